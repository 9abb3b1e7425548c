package tests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"
)

// TestChartVersionsMatchVERSION: VERSION is the one place the charts' version is set (`make package` stamps it);
// every Chart.yaml must agree with it, so that `helm template` from the tree and the packaged chart say the same.
func TestChartVersionsMatchVERSION(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(repoRoot, "VERSION"))
	require.NoError(t, err)
	want := strings.TrimSpace(string(raw))
	charts, err := filepath.Glob(filepath.Join(repoRoot, "charts", "*", "Chart.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, charts)
	for _, f := range charts {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		var c struct {
			Version    string `json:"version"`
			AppVersion string `json:"appVersion"`
		}
		require.NoError(t, yaml.Unmarshal(data, &c))
		assert.Equal(t, want, c.Version, "%s: version differs from VERSION; change both", f)
		assert.NotEmpty(t, c.AppVersion, "%s: appVersion", f)
	}
}
