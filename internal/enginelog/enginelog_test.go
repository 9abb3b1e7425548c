package enginelog

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func parseFile(t *testing.T, name string) *Facts {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	f, err := Parse(strings.NewReader(string(b)))
	require.NoError(t, err)
	return f
}

func TestParsePublicLogs(t *testing.T) {
	for _, tc := range []struct {
		file string
		want Facts
	}{
		{"vllm-21348-qwen3-235b-fp8-h100-tp4.log", Facts{Engine: "vllm", KVGiB: 8.11, KVTokens: 178880}},
		{"sglang-21348-qwen3-235b-fp8-h100-tp4.log", Facts{Engine: "sglang", KVGiB: 16.46, KVTokens: 367404}},
		{"vllm-17469-qwen3-30b-a3b-a10-tp4.log", Facts{Engine: "vllm", WeightsGiB: 14.2474, KVTokens: 198784, MaxModelLen: 8192, Concurrency: 24.27}},
		{"vllm-10517-llama-3.1-8b-3090.log", Facts{Engine: "vllm", TotalGiB: 23.58, Utilization: 0.9, WeightsGiB: 14.9888, ActivationGiB: 2.07, NonTorchGiB: 0.35, KVGiB: 3.81, KVTokens: 1952 * 16, MaxModelLen: 20000, Concurrency: 1.56}},
		{"vllm-14447-24gb-moe-v0.log", Facts{Engine: "vllm", TotalGiB: 23.58, Utilization: 0.99, WeightsGiB: 21.21, ActivationGiB: 0.37, NonTorchGiB: 0.2, KVGiB: 1.57}},
		{"vllm-29070-opt-2.7b.log", Facts{Engine: "vllm", WeightsGiB: 1.24, ActivationGiB: 0.22, NonTorchGiB: 0.09, KVGiB: 17.24, KVTokens: 226000}},
		{"sglang-18263-qwen3-30b-a3b.log", Facts{Engine: "sglang", WeightsGiB: 56.98, KVGiB: 152.88, KVTokens: 1669816}},
		{"vllm-612-qwen3.6-35b-a3b-5090.log", Facts{Engine: "vllm", Version: "v0.24.0", Model: "~/.cache/huggingface/qwen3.6-35b-a3b-nvfp4", MaxModelLen: 131072,
			MaxNumSeqs: 1, MaxNumBatchedTokens: 8192, KVCacheDType: "fp8", KVGiB: 5.98, KVTokens: 567978, Concurrency: 4.33}},
		{"vllm-101-gguf-qwen3-8b-v0.18.log", Facts{Engine: "vllm", Version: "v0.18.0", Model: "/models/unsloth/Qwen3-8B-GGUF/Qwen3-8B-Q4_K_M.gguf", MaxModelLen: 16384,
			MaxNumSeqs: 16, Utilization: 0.79, KVCacheDType: "fp8"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			assert.Equal(t, tc.want, *parseFile(t, tc.file))
		})
	}
}

func TestParseOutOfMemory(t *testing.T) {
	f := parseFile(t, "vllm-27508-gpt-oss-120b-h100.log")
	assert.True(t, f.OutOfMemory)
	assert.Equal(t, 1.71, f.KVGiB)
	assert.Contains(t, f.Failure, "CUDA out of")

	f, err := Parse(strings.NewReader(`ValueError: To serve at least one request with the models's max seq len (30000), (6.66 GiB KV cache is needed, which is larger than the available KV cache memory (5.44 GiB). Based on the available memory, the estimated maximum model length is 13528. Try increasing gpu_memory_utilization or decreasing max_model_len when initializing the engine.`))
	require.NoError(t, err)
	assert.True(t, f.KVTooSmall)
	assert.Equal(t, 13528, f.MaxLenThatFits)
}

func TestParseRejectsOtherText(t *testing.T) {
	_, err := Parse(strings.NewReader("hello\nworld\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "start-up log")
}

// TestParseFailuresAndRanks: a failure after the memory lines, a negative or missing KV budget, the tightest of
// several ranks, the KV a refused context needed, the newer releases' graph-profiling line, and comment lines, which
// are a person's, not the engine's.
func TestParseFailuresAndRanks(t *testing.T) {
	f := parseFile(t, "vllm-32105-pp2-engine-failed.log")
	assert.True(t, f.StartFailed, "EngineCore failed to start after the KV line")
	assert.False(t, f.OutOfMemory || f.KVTooSmall)
	assert.Equal(t, 9.05, f.KVGiB)
	assert.Contains(t, f.Failure, "EngineCore failed to start.")

	f = parseFile(t, "vllm-lmcache-3326-graph-profiling.log")
	assert.Equal(t, Facts{Engine: "vllm", Utilization: 0.9, GraphsGiB: 0.26, GraphsProfiled: true, KVGiB: 111.99, KVTokens: 229344, MaxModelLen: 16384, Concurrency: 14}, *f)

	two := "(Worker_TP0 pid=1) INFO [gpu_worker.py:358] Available KV cache memory: 9.05 GiB\n" +
		"(Worker_TP1 pid=2) INFO [gpu_worker.py:358] Available KV cache memory: 8.40 GiB\n" +
		"(Worker_TP2 pid=3) INFO [gpu_worker.py:358] Available KV cache memory: 9.10 GiB\n"
	f, err := Parse(strings.NewReader(two))
	require.NoError(t, err)
	assert.Equal(t, 8.4, f.KVGiB, "the tightest rank, not the last")

	f, err = Parse(strings.NewReader("(Worker_TP1 pid=2) INFO [gpu_worker.py:358] Available KV cache memory: -1.37 GiB\n"))
	require.NoError(t, err)
	assert.Equal(t, -1.37, f.KVGiB)
	assert.True(t, f.KVTooSmall, "no memory left for the KV cache")

	f, err = Parse(strings.NewReader(`ValueError: To serve at least one request with the models's max seq len (30000), (6.66 GiB KV cache is needed, which is larger than the available KV cache memory (5.44 GiB). Based on the available memory, the estimated maximum model length is 13528.`))
	require.NoError(t, err)
	assert.Equal(t, 6.66, f.KVNeededGiB)
	assert.Equal(t, 5.44, f.KVGiB)

	f, err = Parse(strings.NewReader("# a note: last time this said CUDA out of memory\nAvailable KV cache memory: 20.00 GiB\n"))
	require.NoError(t, err)
	assert.False(t, f.OutOfMemory, "failure text on a comment line")

	f, err = Parse(strings.NewReader("[2026-01-01 00:00:00] Load weight end. mem usage=70.10 GB\nRuntimeError: Loaded weights leave no GPU memory for the KV cache.\n"))
	require.NoError(t, err)
	assert.True(t, f.OutOfMemory, "SGLang: the weights left no memory for the KV cache")
}
