package flagtable

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func table(version string, flags map[string]Flag, tool []string) *Table {
	return &Table{Engine: "vllm", Version: version, Flags: flags, ToolCallParsers: tool,
		Env: map[string]string{"VLLM_A": "x"}, Metrics: map[string]string{"vllm:a": "x"}, Paths: map[string]string{"health": "/health"}}
}

func TestCompare(t *testing.T) {
	a := table("v0.19.0", map[string]Flag{
		"--gone":    {Source: "s"},
		"--kept":    {Value: Int, Source: "s"},
		"--util":    {Value: Float, Default: "0.9", Source: "s"},
		"--choice":  {Value: String, Choices: []string{"a", "b"}, Source: "s"},
		"--nodflt":  {Value: Float, Source: "s"},
		"--ignored": {Source: "s"},
	}, []string{"hermes", "old"})
	b := table("v0.33.0", map[string]Flag{
		"--new":     {Source: "s"},
		"--kept":    {Value: Int, Source: "s"},
		"--util":    {Value: Float, Default: "0.92", Source: "s"},
		"--choice":  {Value: String, Choices: []string{"a", "b", "c"}, Source: "s"},
		"--nodflt":  {Value: Float, Default: "1", Source: "s"},
		"--ignored": {Value: Int, Source: "s"},
	}, []string{"hermes", "new"})
	b.Env["VLLM_B"] = "y"
	b.Paths["health"] = "/healthz"
	d, err := Compare(a, b, func(f string) bool { return f != "--ignored" })
	require.NoError(t, err)
	assert.Equal(t, Delta{Added: []string{"--new"}, Removed: []string{"--gone"}}, d.Flags)
	assert.Equal(t, []Change{
		{Name: "--choice", What: "choices", Before: "a,b", After: "a,b,c", Added: []string{"c"}},
		{Name: "--util", What: "default", Before: "0.9", After: "0.92"},
	}, d.Changed, "a default only one table records is no change; --ignored is left out")
	assert.Equal(t, Delta{Added: []string{"new"}, Removed: []string{"old"}}, d.ToolCallParsers)
	assert.Equal(t, Delta{Added: []string{"VLLM_B"}}, d.Env)
	assert.True(t, d.Metrics.Empty())
	assert.Equal(t, []Change{{Name: "health", What: "path", Before: "/health", After: "/healthz"}}, d.Paths)

	// A partial table's lists are subsets: nothing it lacks is a removal.
	b.Partial = true
	d, err = Compare(a, b, nil)
	require.NoError(t, err)
	assert.Equal(t, Delta{Added: []string{"--new"}}, d.Flags)
	assert.Equal(t, Delta{Added: []string{"new"}}, d.ToolCallParsers)
	assert.Equal(t, []string{"v0.33.0"}, d.Partial)

	other := table("v0.5.19", nil, nil)
	other.Engine = "sglang"
	_, err = Compare(a, other, nil)
	assert.ErrorContains(t, err, "one engine")
}

func TestSpans(t *testing.T) {
	f := Flag{Source: "s"}
	list := []*Table{
		table("v0.19.0", map[string]Flag{"--always": f, "--old": f}, nil),
		table("v0.20.0", map[string]Flag{"--always": f, "--old": f, "--mid": f}, nil),
		table("v0.21.0", map[string]Flag{"--always": f, "--mid": f, "--new": f}, nil),
	}
	got, err := spans("vllm", list)
	require.NoError(t, err)
	assert.Equal(t, map[string]Span{
		"--old": {First: "v0.19.0", Last: "v0.20.0", GoneIn: "v0.21.0"},
		"--mid": {First: "v0.20.0", Last: "v0.21.0", After: "v0.19.0"},
		"--new": {First: "v0.21.0", Last: "v0.21.0", After: "v0.20.0"},
	}, got)

	// A partial table neither starts nor ends a span, nor breaks one.
	list[0].Partial, list[1].Partial = true, true
	delete(list[1].Flags, "--old")
	got, err = spans("vllm", list)
	require.NoError(t, err)
	assert.Equal(t, map[string]Span{
		"--old": {First: "v0.19.0", Last: "v0.19.0", GoneIn: "v0.21.0"},
	}, got, "--mid and --new: no complete table lacks them")

	list[0].Partial, list[1].Partial = false, false
	list = append(list, table("v0.22.0", map[string]Flag{"--always": f, "--old": f}, nil))
	_, err = spans("vllm", list)
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "--old is in v0.19.0 and v0.22.0 but not in v0.20.0"), err.Error())
}

func TestSpansOfTheTables(t *testing.T) {
	for _, e := range Engines() {
		_, err := Spans(e)
		assert.NoError(t, err, "every flag of %s has one unbroken span of releases", e)
	}
}

func TestSeries(t *testing.T) {
	assert.Equal(t, "v0.27", Series("vllm", "v0.27.1"))
	assert.Equal(t, "v0.27.0", SeriesStart("vllm", "v0.27.1"))
	assert.Equal(t, "v0.28.0", NextSeries("vllm", "v0.27.1"))
	assert.Equal(t, "latest", Series("vllm", "latest"))
	// SGLang's tables say each release is its own series.
	assert.Equal(t, "v0.5.19", Series("sglang", "v0.5.19"))
	assert.Equal(t, "v0.5.19", SeriesStart("sglang", "v0.5.19"))
	assert.Equal(t, "v0.5.20", NextSeries("sglang", "v0.5.19"))
	_, ok := ForRelease("sglang", "v0.5.20")
	assert.False(t, ok, "v0.5.19's table does not cover v0.5.20")
}

func TestForReleaseAndNearest(t *testing.T) {
	saved := tables["vllm"]
	t.Cleanup(func() { tables["vllm"] = saved })
	tables["vllm"] = map[string]*Table{}
	for _, v := range []string{"v0.19.0", "v0.20.2", "v0.27.1"} {
		tables["vllm"][v] = table(v, nil, nil)
	}
	for _, c := range []struct {
		release, covered, nearest string
	}{
		{"v0.20.2", "v0.20.2", "v0.20.2"},
		{"v0.20.0", "v0.20.2", "v0.19.0"}, // its minor's table covers it; the nearest older table is v0.19.0
		{"v0.27.0", "v0.27.1", "v0.20.2"},
		{"v0.24.0", "", "v0.20.2"},
		{"v0.40.0", "", "v0.27.1"},
		{"v0.18.0", "", "v0.19.0"},
		{"nightly", "", "v0.19.0"},
	} {
		got, ok := ForRelease("vllm", c.release)
		if c.covered == "" {
			assert.False(t, ok, c.release)
		} else if assert.True(t, ok, c.release) {
			assert.Equal(t, c.covered, got.Version, c.release)
		}
		n, ok := Nearest("vllm", c.release)
		require.True(t, ok)
		assert.Equal(t, c.nearest, n.Version, c.release)
	}
}
