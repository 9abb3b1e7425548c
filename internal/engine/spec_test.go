package engine

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/llm-charts/llm-charts/internal/flagtable"
)

// TestSpecsMatchFlagTables checks every spec row against the flag table of the engine's default release: the flag
// exists, takes a value exactly when the row's type gives one, is negatable when the row renders --no-, is a
// frontend flag when the row says so, and every alias names a flag of the table.
func TestSpecsMatchFlagTables(t *testing.T) {
	for _, e := range All() {
		s := e.Spec()
		tab, ok := flagtable.Lookup(string(s.Name), s.DefaultRelease)
		require.True(t, ok, "%s: no flag table for the default release %s", s.Name, s.DefaultRelease)
		assert.Equal(t, tab.Entrypoint, s.Entrypoint, "%s: entrypoint", s.Name)
		for _, r := range append(append([]KeyRow(nil), s.Keys...), s.RankFlags...) {
			f, ok := tab.Flags[r.Flag]
			if !assert.True(t, ok, "%s: %s is not a flag of %s", s.Name, r.Flag, s.DefaultRelease) {
				continue
			}
			switch r.Type {
			case TypeBool, TypeWhen:
				assert.Equal(t, flagtable.Switch, f.Value, "%s %s: a %s row renders the flag alone", s.Name, r.Flag, r.Type)
			case TypeNegatable:
				assert.True(t, f.Negatable, "%s %s: a negatable row needs --no-", s.Name, r.Flag)
			case "":
			default:
				assert.NotEqual(t, flagtable.Switch, f.Value, "%s %s: a %s row renders a value", s.Name, r.Flag, r.Type)
			}
			if r.Frontend {
				assert.True(t, f.Frontend, "%s %s: the table does not call it a frontend flag", s.Name, r.Flag)
			}
		}
		for a, f := range s.Aliases {
			_, ok := tab.Flags[f]
			assert.True(t, ok, "%s: alias %s names %s, not a flag of %s", s.Name, a, f, s.DefaultRelease)
		}
	}
}

// TestSpecRow checks the lookups the importer and the chart's generated data rely on.
func TestSpecRow(t *testing.T) {
	s := MustLookup("sglang").Spec()
	r, ok := s.Row("--tp")
	require.True(t, ok)
	assert.Equal(t, "serving.tensorParallelSize", r.Key)
	assert.Equal(t, "tp", r.From)
	r, ok = s.Row("--kv-cache-dtype")
	require.True(t, ok)
	assert.Equal(t, "bf16", r.Map["bfloat16"])
	_, ok = s.Row("--no-such-flag")
	assert.False(t, ok)
	v := MustLookup("vllm").Spec()
	assert.Contains(t, v.Flags(), "--headless")
	for _, e := range All() {
		for _, r := range e.Spec().Keys {
			assert.True(t, r.Plain() == (r.Logic == "" && r.Fixed == ""), r.Flag)
		}
	}
}

// TestSpecCheck refuses rows the chart could not render.
func TestSpecCheck(t *testing.T) {
	for name, s := range map[string]Spec{
		"flag must start with --":  {Keys: []KeyRow{{Key: "a", Flag: "-x", Type: TypeInt}}},
		`type "number" is not one`: {Keys: []KeyRow{{Key: "a", Flag: "--x", Type: "number"}}},
		"needs a key":              {Keys: []KeyRow{{Flag: "--x", Type: TypeInt}}},
		"when is for":              {Keys: []KeyRow{{Key: "a", Flag: "--x", Type: TypeBool, When: "x"}}},
		"needs a flag and a key":   {RankFlags: []KeyRow{{Flag: "--x"}}},
	} {
		err := s.check()
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), name)
	}
}

// TestTagSuffix: a release takes the newest image tag scheme not after it (vLLM's plain tag became the CUDA 13.0
// build at v0.20.0).
func TestTagSuffix(t *testing.T) {
	s := MustLookup("vllm").Spec()
	for _, c := range []struct{ release, cuda, want string }{
		{"v0.19.0", "13.0", "-cu130"}, {"v0.19.1", "12.9", ""},
		{"v0.20.0", "13.0", ""}, {"v0.27.1", "12.9", "-cu129"},
		{"nightly", "13.0", "-cu130"},
	} {
		got, ok := s.TagSuffix(c.release, c.cuda)
		assert.True(t, ok, c.release)
		assert.Equal(t, c.want, got, "%s %s", c.release, c.cuda)
	}
	_, ok := s.TagSuffix("v0.27.1", "11.8")
	assert.False(t, ok)
}

// TestCUDAOfTag: the CUDA build an image tag names, by its suffix or by the release's plain-tag build.
func TestCUDAOfTag(t *testing.T) {
	s := MustLookup("vllm").Spec()
	for tag, want := range map[string]string{
		"v0.19.0": "12.9", "v0.19.0-cu130": "13.0", "v0.20.0": "13.0", "v0.27.1-cu129": "12.9",
		"v0.25.1-x86_64-cu129": "12.9", "v0.20.0-cu130-ubuntu2404": "13.0", "nightly": "", "v0.27.1-ubuntu2404": "",
	} {
		got, ok := s.CUDAOfTag(tag)
		assert.Equal(t, want, got, tag)
		assert.Equal(t, want != "", ok, tag)
	}
}
