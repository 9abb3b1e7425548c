package engine

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLookup(t *testing.T) {
	e, err := Lookup("")
	require.NoError(t, err)
	assert.Equal(t, VLLM, e.Name())
	for _, n := range Names() {
		e, err := Lookup(string(n))
		require.NoError(t, err)
		assert.Equal(t, n, e.Name())
		assert.Equal(t, n, e.Spec().Name)
	}
	_, err = Lookup("trtllm")
	assert.EqualError(t, err, `engine "trtllm" is not one of vllm, sglang`)
}
