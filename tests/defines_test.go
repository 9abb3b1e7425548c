package tests

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var defineRE = regexp.MustCompile(`\{\{-?\s*define\s+"([^"]+)"`)

// TestTemplateDefinesUnique: a named template defined twice in one chart is not an error to Helm; the file loaded last
// silently wins, so one of the two callers gets the other's behaviour. Each name must be defined once per chart.
func TestTemplateDefinesUnique(t *testing.T) {
	charts, err := filepath.Glob(filepath.Join(repoRoot, "charts", "*"))
	require.NoError(t, err)
	require.NotEmpty(t, charts)
	for _, chart := range charts {
		var files []string
		err := filepath.WalkDir(filepath.Join(chart, "templates"), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				files = append(files, p)
			}
			return err
		})
		require.NoError(t, err)
		where := map[string]string{}
		for _, f := range files {
			data, err := os.ReadFile(f)
			require.NoError(t, err)
			for _, m := range defineRE.FindAllSubmatch(data, -1) {
				name := string(m[1])
				if prev, ok := where[name]; ok {
					assert.Failf(t, "template defined twice", "%s: %q is defined in %s and in %s", filepath.Base(chart), name, prev, filepath.Base(f))
					continue
				}
				where[name] = filepath.Base(f)
			}
		}
		assert.NotEmpty(t, where, "%s defines no named template", chart)
	}
}
