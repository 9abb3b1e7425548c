package engine

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/llm-charts/llm-charts/internal/catalog"
	"github.com/llm-charts/llm-charts/internal/model"
)

// catalogFacts loads an embedded catalog model's facts.
func catalogFacts(t testing.TB, id string) *model.Facts {
	t.Helper()
	md, err := catalog.Catalog{}.Load(context.Background(), id)
	require.NoError(t, err)
	f, err := md.Facts(model.TaskAuto)
	require.NoError(t, err, id)
	return f
}

// Terms keyed by the engine release: the profile's sampler peak fell at v0.17, CUDA graphs moved inside the
// fraction at v0.19, and non-torch memory is larger from v0.12.
func TestVersionKeyedTerms(t *testing.T) {
	f := catalogFacts(t, "Qwen/Qwen3-8B")
	v16, _ := ParseVersion("v0.16.0")
	v17, _ := ParseVersion("0.17.1")
	v18, _ := ParseVersion("v0.18.0")
	v19, _ := vllm{}.Version("")
	old := ActivationPeak(f, v16, 1, 8192, 1024)
	now := ActivationPeak(f, v17, 1, 8192, 1024)
	assert.InDelta(t, 0.6, 1-float64(now)/float64(old), 0.01, "the profile's activation fell by about 60%% at v0.17")
	_, inside18 := cudaGraphBytes(v18, 128, false)
	g19, inside19 := cudaGraphBytes(v19, 128, false)
	assert.False(t, inside18)
	assert.True(t, inside19)
	assert.Positive(t, g19)
	p, f2 := cudaGraphSizes(256)
	assert.Equal(t, [2]int{51, 35}, [2]int{p, f2}, "vLLM v0.19 logs PIECEWISE=51, FULL=35 at max_num_seqs 256")
	v11, _ := ParseVersion("v0.11.0")
	assert.Less(t, nonTorchBytes(v11, 2, 1), nonTorchBytes(v19, 2, 1))
	_, err := ParseVersion("latest")
	assert.Error(t, err)
}
