package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/llm-charts/llm-charts/internal/flagtable"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReleases lists every table with its source, the default release marked.
func TestReleases(t *testing.T) {
	out, _, err := run(t, "releases")
	require.NoError(t, err)
	for _, e := range flagtable.Engines() {
		for _, v := range flagtable.Versions(e) {
			assert.Regexp(t, `(?m)^`+e+` +`+strings.ReplaceAll(v, ".", `\.`)+` `, out)
		}
	}
	assert.Regexp(t, `(?m)^vllm +v0\.19\.0 +default `, out)
	out, _, err = run(t, "releases", "sglang", "-o", "json")
	require.NoError(t, err)
	var rows []releaseInfo
	require.NoError(t, json.Unmarshal([]byte(out), &rows))
	require.NotEmpty(t, rows)
	for _, r := range rows {
		assert.Equal(t, "sglang", r.Engine)
		assert.NotEmpty(t, r.Source)
	}
}

// TestReleasesDiff: the flags vLLM removed at v0.27 and those it added, from the v0.25.0 and v0.27.1 tables; with
// --rendered only the flags the chart renders.
func TestReleasesDiff(t *testing.T) {
	out, _, err := run(t, "releases", "diff", "vllm", "v0.25.0", "v0.27.1")
	require.NoError(t, err)
	for _, want := range []string{"vllm v0.25.0 → v0.27.1", "  - --max-num-partial-prefills", "  - --max-long-partial-prefills",
		"  + --max-num-scheduled-tokens", "not compared (a table's source does not list them): reasoning"} {
		assert.Contains(t, out, want)
	}
	out, _, err = run(t, "releases", "diff", "vllm", "v0.19.0", "v0.27.1", "--rendered", "-o", "json")
	require.NoError(t, err)
	var d flagtable.Diff
	require.NoError(t, json.Unmarshal([]byte(out), &d))
	assert.Equal(t, []string{"v0.19.0"}, d.Partial)
	assert.Empty(t, d.Flags.Removed, "every flag the chart renders for v0.19.0 is still in v0.27.1")
	for _, f := range d.Flags.Added {
		t.Errorf("--rendered listed %s, which the chart does not render", f)
	}
}

// TestReleasesUsageErrors: a bad command line exits 2 and names what is allowed.
func TestReleasesUsageErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"releases", "diff", "vllm", "v0.25.0"}, "takes ENGINE FROM TO, got 2 argument(s)"},
		{[]string{"releases", "diff", "tgi", "v0.25.0", "v0.27.1"}, "tgi"},
		{[]string{"releases", "diff", "vllm", "v0.25.0", "latest"}, `"latest" is not a release`},
		{[]string{"releases", "diff", "vllm", "v0.25.0", "v0.99.0"}, "vllm v0.99.0 has no flag table; the tables are v0.19.0"},
		{[]string{"releases", "vllm", "sglang"}, "takes at most one ENGINE"},
		{[]string{"releases", "-o", "xml"}, `-o "xml" is not an output format`},
	} {
		_, _, err := run(t, c.args...)
		require.Error(t, err, c.args)
		assert.Equal(t, 2, ExitCode(err), err.Error())
		assert.Contains(t, err.Error(), c.want)
	}
}
