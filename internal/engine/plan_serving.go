package engine

import (
	"fmt"
	"strings"

	"github.com/llm-charts/llm-charts/internal/model"
)

// Serving constants from the operations guide (../shared/reference/managing-ai-models-guide.txt) that an engine's
// defaults follow.
const (
	// LargeModelParams: at or above it the guide's "8 API servers for larger models"; below, 4.
	LargeModelParams = 100e9
	// MaxNumSeqs is the guide's MiniMax-M2.5 --max-num-seqs: fewer CUDA-graph batch sizes and a smaller sampler
	// peak than vLLM's default (256, or 1024 on large GPUs).
	MaxNumSeqs = 128
	// BatchedTokens is the guide's "increase --max-num-batched-tokens to around 16384 but below --max-model-len"
	// (vLLM's default is 8192), applied only when one full context still fits with it.
	BatchedTokens = 16384
	// DefaultBatchedTokens is vLLM's default --max-num-batched-tokens, used while searching for a layout.
	DefaultBatchedTokens = 8192
	// MultimodalCacheGB is the guide's --mm-processor-cache-gb for multimodal models ("perhaps 8").
	MultimodalCacheGB = 8
)

// Serving is an engine's serving defaults for a model, each with its reason ("" = no reason to give).
type Serving struct {
	// APIServers is the API-server processes the chart counts in the CPU formula.
	APIServers    int
	APIServersWhy string
	// ChunkedPrefill and PrefixCaching are the flags chartgen writes for a generation model (false: the engine's
	// own default, which the reasons describe).
	ChunkedPrefill, PrefixCaching bool
	PrefillWhy, PrefixWhy         string
	// MambaCacheMode is the engine's mamba cache mode for hybrid models ("" = none).
	MambaCacheMode, MambaWhy string
}

// ServingInput is what an engine's serving defaults depend on.
type ServingInput struct {
	Facts  *model.Facts
	Task   model.Task
	Params int64
}

// Batched is the max-num-batched-tokens decision for a plan that holds.
type Batched struct {
	// Tokens is what the budget is planned with; Set says chartgen writes it (else the engine's default runs).
	Tokens int
	Set    bool
	Why    string
}

// LoRARules are an engine's adapter-slot default and how its reasons name them.
type LoRARules struct {
	// DefaultMaxLoras is the slots when only a rank is asked.
	DefaultMaxLoras int
	// SlotsFlag is the flag that sets the slots.
	SlotsFlag string
	// ExpertsNote is added where routed experts' LoRA buffers are counted ("" = nothing to add).
	ExpertsNote string
}

// Commas formats 196608 as 196,608.
func Commas(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
