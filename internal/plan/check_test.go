package plan

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/llm-charts/llm-charts/internal/engine"
	"github.com/llm-charts/llm-charts/internal/enginelog"
	"github.com/llm-charts/llm-charts/internal/model"
)

func readLog(t *testing.T, name string) *enginelog.Facts {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "enginelog", "testdata", name))
	require.NoError(t, err)
	lf, err := enginelog.Parse(strings.NewReader(string(b)))
	require.NoError(t, err)
	return lf
}

// The public gpt-oss-120b log (0.95, 1024 batched tokens, one H100) ran out of memory in the sampler warm-up:
// check agrees and advises a lower utilization.
func TestCheckOutOfMemoryLog(t *testing.T) {
	lf := readLog(t, "vllm-27508-gpt-oss-120b-h100.log")
	in := catalogInput(t, "openai/gpt-oss-120b")
	o := Options{EngineVersion: "v0.11.0", GPUMemoryUtilization: 0.95, MaxNumSeqs: 1024, MaxNumBatchedTokens: 1024, Layout: &model.Layout{TP: 1}}
	p, err := New(in, gpuByID(t, "h100-80gb"), o)
	require.NoError(t, err)
	o.GPUMemoryUtilization = 0
	tuned, err := New(in, gpuByID(t, "h100-80gb"), o)
	require.NoError(t, err)
	r := Check(p, tuned, lf)
	assert.False(t, r.Fits)
	assert.False(t, r.Started)
	assert.Contains(t, r.Advice[0], "ran out of memory, as chartgen predicts")
	var kv CheckRow
	for _, row := range r.Rows {
		if row.Term == TermKV {
			kv = row
		}
	}
	assert.Equal(t, 1.71, kv.Logged)
	require.NotNil(t, kv.Error)
}

// The SGLang and vLLM logs of the same Qwen3-235B-A22B-FP8 deployment (4 × H100, TP 4): predicted within a few
// percent, never above by more than 2%.
func TestCheckBothEnginesLogs(t *testing.T) {
	f := calibrationFacts(t, "configs/qwen3-235b-a22b-fp8.json")
	in := Input{Name: "Qwen/Qwen3-235B-A22B-FP8", Facts: f, Weights: WeightsFromEstimate(f, model.EstimateParams(f), nil)}
	for _, tc := range []struct {
		log string
		o   Options
	}{
		{"vllm-21348-qwen3-235b-fp8-h100-tp4.log", Options{EngineVersion: "v0.9.2", Context: 40960, MaxNumSeqs: 1024, MaxNumBatchedTokens: 8192, GPUMemoryUtilization: 0.9}},
		{"sglang-21348-qwen3-235b-fp8-h100-tp4.log", Options{Engine: string(engine.SGLang), Context: 40960, GPUMemoryUtilization: 0.93}},
	} {
		lf := readLog(t, tc.log)
		tc.o.Layout = &model.Layout{TP: 4}
		p, err := New(in, gpuByID(t, "h100-80gb"), tc.o)
		require.NoError(t, err)
		r := Check(p, nil, lf)
		assert.True(t, r.Fits && r.Started, tc.log)
		for _, row := range r.Rows {
			if row.Term == "kvTokens" {
				require.NotNil(t, row.Error, tc.log)
				assert.InDelta(t, 0, *row.Error, 0.03, "%s: predicted %.0f, logged %.0f", tc.log, row.Predicted, row.Logged)
				assert.LessOrEqual(t, *row.Error, 0.02, tc.log)
			}
		}
		assert.Contains(t, r.Advice[0], "the deployment holds", tc.log)
	}
}

// A log whose engine failed after sizing its KV cache did not start, whatever its memory lines say, and the advice
// says where to look.
func TestCheckStartFailedLog(t *testing.T) {
	lf := readLog(t, "vllm-32105-pp2-engine-failed.log")
	in := catalogInput(t, "Qwen/Qwen3-8B")
	p, err := New(in, gpuByID(t, "h100-80gb"), Options{GPUMemoryUtilization: 0.9, MaxNumSeqs: 256, Layout: &model.Layout{TP: 1, PP: 2}})
	require.NoError(t, err)
	r := Check(p, nil, lf)
	assert.False(t, r.Started)
	assert.Contains(t, r.Failure, "EngineCore failed to start.")
	require.NotEmpty(t, r.Advice)
	if p.Fits {
		assert.Contains(t, r.Advice[0], "failed to start after sizing its memory")
	} else {
		assert.Contains(t, r.Advice[0], "the engine failed to start, and chartgen says these settings do not hold")
	}
}
