package chartdoc

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestChartREADMEsAreGenerated is the drift check: each chart's committed README.md must be exactly what the
// generator writes from the chart's values.yaml now.
func TestChartREADMEsAreGenerated(t *testing.T) {
	charts, err := filepath.Glob(filepath.Join("..", "..", "charts", "*", "Chart.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, charts)
	for _, c := range charts {
		dir := filepath.Dir(c)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			want, err := Generate(dir)
			require.NoError(t, err)
			got, err := os.ReadFile(filepath.Join(dir, "README.md"))
			require.NoError(t, err, "run make docs")
			assert.True(t, bytes.Equal(want, got), "%s/README.md differs from what chartdoc generates from values.yaml: run make docs", dir)
		})
	}
}

func TestParse(t *testing.T) {
	values := []byte(`# File comment.

# -- A name.
name: ""
# Section comment, not a row.
server:
  # -- Port.
  # @default -- computed from the engine
  port: null
  # -- Extra args, in order.
  # For example:
  # args: ["--seed", "1"]
  args: []
# -- A map documented whole.
labels:
  a: b
`)
	schema := map[string]any{"properties": map[string]any{
		"server": map[string]any{"properties": map[string]any{"port": map[string]any{"type": []any{"null", "integer"}}}},
	}}
	rows, err := Parse(values, schema)
	require.NoError(t, err)
	assert.Equal(t, []Row{
		{Key: "name", Type: "string", Default: "`\"\"`", Description: "A name."},
		{Key: "server.port", Type: "integer or null", Default: "computed from the engine", Description: "Port."},
		{Key: "server.args", Type: "list", Default: "`[]`", Description: "Extra args, in order.", Example: `args: ["--seed", "1"]`},
		{Key: "labels", Type: "object", Default: "`{\"a\":\"b\"}`", Description: "A map documented whole."},
	}, rows)
}

func TestParseRefusesUndocumentedKeys(t *testing.T) {
	_, err := Parse([]byte("# -- ok\na: 1\nb: 2\nsection:\n  c: 3\n"), nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "b, section.c")
}

func TestRenderEscapes(t *testing.T) {
	out := string(Render(&Chart{Name: "x", Rows: []Row{{Key: "k", Type: "string", Default: "`\"a|b\"`",
		Description: "Named `<fullname>-<key>`, else <fullname>.", Example: "k: <v> | w"}}}))
	assert.Contains(t, out, "| `k` | string | `\"a\\|b\"` | Named `<fullname>-<key>`, else &lt;fullname&gt;. For example:<pre>k: &lt;v&gt; &#124; w</pre> |")
	assert.True(t, strings.HasPrefix(out, "# x\n"))
}
