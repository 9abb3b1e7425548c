package engine

import (
	"regexp"
	"strings"

	"github.com/llm-charts/llm-charts/internal/model"
)

// reVLLMVersion is the release vLLM's start-up log names: "LLM engine (v0.19.0)", "vLLM API server version 0.19.0".
var reVLLMVersion = regexp.MustCompile(`(?:LLM engine \(v|vLLM API server version |version )v?([0-9]+\.[0-9]+\.[0-9]+[0-9A-Za-z.+]*)`)

// LogClaim: vLLM is the default engine of a log, so it claims no line.
func (vllm) LogClaim(string) Claim { return NoClaim }

// LogVersion is the release a vLLM line names (not a line about SGLang, whose versions read alike).
func (vllm) LogVersion(line string) string {
	if m := reVLLMVersion.FindStringSubmatch(line); m != nil && !strings.Contains(strings.ToLower(line), "sglang") {
		return "v" + m[1]
	}
	return ""
}

// LogTerms: vLLM's profile line gives the activation peak and the non-torch memory, and its graph capture the CUDA
// graphs.
func (vllm) LogTerms() []string { return []string{TermActivation, TermNonTorch, TermGraphs} }

// KVBlock: vLLM's "GPU KV cache size" is num_blocks × block_size (model.DefaultBlockSize unless logged).
func (vllm) KVBlock(logged int) int {
	if logged > 0 {
		return logged
	}
	return model.DefaultBlockSize
}

// SpareRoomAdvice: with vLLM a longer --max-model-len or more --max-num-seqs use spare KV capacity.
func (vllm) SpareRoomAdvice() bool { return true }
