package plan

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/llm-charts/llm-charts/internal/model"
)

// gpt-oss-120b's MXFP4 experts load larger than the checkpoint where vLLM pads them: 64.38 GiB logged on H100
// (vllm-project/vllm#33155), 65.9 GiB on A100 (issue 13).
func TestMXFP4PaddingMatchesLogs(t *testing.T) {
	in := catalogInput(t, "openai/gpt-oss-120b")
	for _, tc := range []struct {
		gpu    string
		logged float64
	}{{"h100-80gb", 64.38}, {"a100-80gb", 65.9}} {
		g := gpuByID(t, tc.gpu)
		w := weightsPerGPU(in.Facts, in.Weights.split(0, mxfp4PaddedWeights(in.Facts, g, 1), false), model.Layout{TP: 1})
		assert.InDelta(t, tc.logged, float64(w)/GiB, tc.logged*0.01, tc.gpu)
	}
	assert.Zero(t, mxfp4PaddedWeights(catalogInput(t, "Qwen/Qwen3-8B").Facts, gpuByID(t, "a100-80gb"), 1), "only gpt-oss's MXFP4 experts are padded")
}

// DeepSeek's and GLM's dense first layers make the MoE stages heavier than the average: every stage is sized from
// its own layers and the heaviest governs.
func TestPipelineStagesFromTheirOwnLayers(t *testing.T) {
	for _, id := range []string{"deepseek-ai/DeepSeek-V3.2", "zai-org/GLM-5-FP8"} {
		in := catalogInput(t, id)
		f := in.Facts
		require.NotEmpty(t, f.MoE.DenseLayers, id)
		ws := in.Weights.split(0, 0, false)
		for _, pp := range []int{2, 4} {
			worst := weightsPerGPU(f, ws, model.Layout{TP: 8, PP: pp})
			even := float64(in.Weights.Loaded) / float64(8*pp)
			assert.Greater(t, float64(worst), even*1.02, "%s PP %d: the heaviest stage is above the average", id, pp)
			var sum int64
			for _, b := range in.Weights.Layers {
				sum += b
			}
			assert.InDelta(t, float64(in.Weights.Loaded), float64(sum+in.Weights.Embed+in.Weights.Head), float64(in.Weights.Loaded)*0.001, "%s: the per-layer figures account for the weights", id)
		}
	}
}

// A given layout is evaluated, not searched for: gpt-oss-20b at 0.95 on one H100 runs out of memory in the sampler
// warm-up (issue 13), and chartgen says so with the reason.
func TestGivenLayoutThatDoesNotHold(t *testing.T) {
	f := calibrationFacts(t, "configs/gpt-oss-20b.json")
	in := Input{Name: "openai/gpt-oss-20b", Facts: f, Weights: WeightsFromEstimate(f, model.EstimateParams(f), nil)}
	p, err := New(in, gpuByID(t, "h100-80gb"), Options{GPUMemoryUtilization: 0.95, MaxNumSeqs: 1024, Layout: &model.Layout{TP: 1}})
	require.NoError(t, err)
	assert.False(t, p.Fits)
	assert.Contains(t, p.NotFit, "out of memory after the KV cache")
	assert.Contains(t, p.NotFit, "samplerWarmup")
	assert.Positive(t, p.KVTokens, "the numbers are there all the same")
	// chartgen's own utilization for the same layout holds.
	q, err := New(in, gpuByID(t, "h100-80gb"), Options{MaxNumSeqs: 1024, Layout: &model.Layout{TP: 1}})
	require.NoError(t, err)
	assert.True(t, q.Fits, q.NotFit)
	assert.Less(t, q.GPUMemoryUtilization, 0.95)
	// A layout the model cannot take is an error naming it.
	_, err = New(in, gpuByID(t, "h100-80gb"), Options{Layout: &model.Layout{TP: 3}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "tensor parallel size 3")
	// Larger than a node: whole nodes of pipeline stages.
	r, err := New(catalogInput(t, "zai-org/GLM-5-FP8"), gpuByID(t, "a100-80gb"), Options{Layout: &model.Layout{TP: 4, PP: 3, DCP: 4}})
	require.NoError(t, err)
	assert.True(t, r.MultiNode && r.Nodes == 3 && r.GPUsPerPod == 4, "%d × %d", r.Nodes, r.GPUsPerPod)
}

func TestCUDAVisibleMemory(t *testing.T) {
	v, why := cudaVisibleBytes(gpuByID(t, "h100-80gb"))
	assert.InDelta(t, 79.18, float64(v)/GiB, 0.01)
	assert.Contains(t, why, "llm-d-benchmark")
	v, why = cudaVisibleBytes(gpuByID(t, "l4"))
	assert.InDelta(t, float64(23034)/1024-0.75, float64(v)/GiB, 0.01)
	assert.Contains(t, why, "a guess")
}

// MTP layers load only with speculative decoding: DeepSeek-V3.2's 14B MTP module adds its bytes to the last stage.
func TestMTPOnlyWithSpeculativeDecoding(t *testing.T) {
	in := catalogInput(t, "deepseek-ai/DeepSeek-V3.2")
	require.Positive(t, in.Weights.MTP)
	l := model.Layout{TP: 8, PP: 2, DCP: 8}
	plain := weightsPerGPU(in.Facts, in.Weights.split(0, 0, false), l)
	spec := weightsPerGPU(in.Facts, in.Weights.split(0, 0, true), l)
	assert.InDelta(t, float64(in.Weights.MTP)/8, float64(spec-plain), float64(in.Weights.MTP)/8*0.01)
}
