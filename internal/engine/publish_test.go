package engine

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// ServedNames keeps what the chart passes the engine: one name always, several where the spec renders them as
// words after one flag.
func TestServedNames(t *testing.T) {
	names := []string{"a", "b"}
	for _, e := range All() {
		assert.Equal(t, []string{"a"}, e.ServedNames([]string{"a"}), e.Name())
		row, ok := e.Spec().Row("--served-model-name")
		if assert.True(t, ok, e.Name()) && row.Type == TypeWords {
			assert.Equal(t, names, e.ServedNames(names), e.Name())
		} else {
			assert.Equal(t, names[:1], e.ServedNames(names), e.Name())
		}
	}
	assert.Equal(t, names, MustLookup(string(VLLM)).ServedNames(names))
	assert.Equal(t, []string{"a"}, MustLookup(string(SGLang)).ServedNames(names))
}
