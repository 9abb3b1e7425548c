package plan

import (
	"github.com/llm-charts/llm-charts/internal/engine"
	"github.com/llm-charts/llm-charts/internal/model"
)

// Budget is one GPU's memory as the engine splits it, term by term; Term one part of it. Both live in the engine
// package, which computes them (Planner.Budget).
type (
	Budget = engine.Budget
	Term   = engine.Term
)

// Budget term names, as explain -o json and chartgen check print them.
const (
	TermVisible    = engine.TermVisible
	TermBeforeLoad = engine.TermBeforeLoad
	TermWeights    = engine.TermWeights
	TermActivation = engine.TermActivation
	TermNonTorch   = engine.TermNonTorch
	TermGraphs     = engine.TermGraphs
	TermEncoder    = engine.TermEncoder
	TermKV         = engine.TermKV
	TermSampler    = engine.TermSampler
	TermMargin     = engine.TermMargin
	TermReserved   = engine.TermReserved
	TermLoRA       = engine.TermLoRA
)

// EngineKVTokens is the KV capacity an engine logs for kv bytes per GPU: kv over one block of every attention layer
// of the stage (each kind padded to vLLM's groups, v1/core/kv_cache_utils.py; a sliding or chunked layer counts like
// a full one here) times the block, the smallest over the stages. The block is the engine's (LogReader.KVBlock:
// vLLM's "GPU KV cache size" is num_blocks × block_size, SGLang's "#tokens" is kv over one token's cell). Hybrid
// models with Mamba or linear-attention state are not modelled: 0.
func EngineKVTokens(f *model.Facts, e engine.LogReader, kv int64, l model.Layout, dtype string, blockSize int) int64 {
	if kv <= 0 || f.CountLayers(model.LayerMamba)+f.CountLayers(model.LayerLinear) > 0 {
		return 0
	}
	d, err := model.ResolveKVDType(f, dtype)
	if err != nil {
		return 0
	}
	tp, pp, dcp := max(1, l.TP), max(1, l.PP), max(1, l.DCP)
	per := model.KVLayerBytesPerToken(f, tp, d)
	blockSize = e.KVBlock(blockSize)
	var tokens int64 = -1
	for _, st := range model.StageLayers(f.Layers, pp) {
		counts := map[model.LayerKind]int{}
		for i := st[0]; i < st[1]; i++ {
			counts[f.LayerTypes[i]]++
		}
		layers := 0
		for k, n := range model.PaddedAttentionLayers(counts) {
			if k.GrowsWithContext() {
				layers += n
			}
		}
		if layers == 0 {
			continue
		}
		block := int64(layers) * per * int64(blockSize)
		t := kv * int64(dcp) / block * int64(blockSize)
		if tokens < 0 || t < tokens {
			tokens = t
		}
	}
	return max(0, tokens)
}
