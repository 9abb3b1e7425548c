package plan

import (
	"fmt"
	"math"

	"github.com/llm-charts/llm-charts/internal/model"
)

// Budget term names, as explain -o json and chartgen check print them.
const (
	TermVisible    = "cudaVisible"
	TermBeforeLoad = "beforeLoad"
	TermWeights    = "weights"
	TermActivation = "activation"
	TermNonTorch   = "nonTorch"
	TermGraphs     = "cudaGraphs"
	TermEncoder    = "multimodalEncoder"
	TermKV         = "kvCache"
	TermSampler    = "samplerWarmup"
	TermMargin     = "outsideMargin"
	TermReserved   = "reservedOutside"
	TermLoRA       = "loraAdapters"
)

// Term is one part of a GPU's memory.
type Term struct {
	Name  string  `json:"name"`
	Bytes int64   `json:"bytes"`
	GiB   float64 `json:"gib"`
	// Where: "total" (what the engine budgets from), "inside" the utilization fraction, or "outside" it.
	Where  string `json:"where"`
	Source string `json:"source"`
}

// Budget is one GPU's memory as the engine splits it, term by term (the most loaded GPU of the layout).
type Budget struct {
	Engine      string  `json:"engine"`
	Version     string  `json:"version"`
	Utilization float64 `json:"utilization"`
	Terms       []Term  `json:"terms"`
	// OutsideFree is what stays unused outside the fraction after the outside terms (negative: out of memory).
	OutsideFree     int64 `json:"outsideFreeBytes"`
	visible, kv     int64
	inside, outside int64
	explain         bool // fill Term.Source (only for the plan's own layout: the search skips the words)
}

// Term returns the named term's bytes (0 when absent).
func (b *Budget) Term(name string) int64 {
	for _, t := range b.Terms {
		if t.Name == name {
			return t.Bytes
		}
	}
	return 0
}

func (b *Budget) add(name, where string, bytes int64, source func() string) {
	t := Term{Name: name, Bytes: bytes, GiB: math.Round(float64(bytes)/GiB*100) / 100, Where: where}
	if b.explain {
		t.Source = source()
	}
	b.Terms = append(b.Terms, t)
	switch where {
	case "inside":
		b.inside += bytes
	case "outside":
		b.outside += bytes
	}
}

// finish sets the KV term (the fraction less the inside terms) and the free memory outside it.
func (b *Budget) finish(kvSource string) {
	frac := int64(float64(b.visible) * b.Utilization)
	b.kv = frac - b.inside
	b.add(TermKV, "inside", b.kv, func() string { return kvSource })
	b.inside -= b.kv
	b.OutsideFree = b.visible - frac - b.outside
}

// budgetInput is what one layout's budget depends on.
type budgetInput struct {
	version      EngineVersion
	visible      int64
	visibleWhy   string
	util         float64
	tp, pp       int
	weights      int64
	weightsWhy   string
	mnbt, seqs   int
	eager        bool
	multimodal   bool
	activation   int64
	vocabSampler int64 // samplerWarmupBytes
	explain      bool  // fill the terms' sources
	// lora is the LoRA slots' buffers (LoRABytesPerGPU), allocated with the weights: loraSlots at rank loraRank.
	lora                int64
	loraSlots, loraRank int
}

// addLoRA puts the LoRA buffers inside the fraction (both engines allocate them when the model loads, before the KV
// cache is sized), when there are any.
func (b *Budget) addLoRA(in budgetInput) {
	if in.lora > 0 {
		b.add(TermLoRA, "inside", in.lora, func() string {
			return fmt.Sprintf("%d LoRA slot(s) at rank %d: lora_a/lora_b buffers of every LoRA-able layer, pre-allocated when the model loads", in.loraSlots, in.loraRank)
		})
	}
}

// vllmBudget splits one GPU the way vLLM's worker does (see memory.go): KV = utilization × visible − weights −
// activation − non-torch − CUDA graphs (from v0.19) − the multimodal encoder reserve; outside the fraction the memory
// in use before load, the sampler warm-up, and before v0.19 the graphs.
func vllmBudget(in budgetInput) *Budget {
	b := &Budget{Engine: EngineVLLM, Version: in.version.String(), Utilization: in.util, visible: in.visible, explain: in.explain}
	b.add(TermVisible, "total", in.visible, func() string { return in.visibleWhy })
	b.add(TermWeights, "inside", in.weights, func() string { return in.weightsWhy })
	b.addLoRA(in)
	b.add(TermActivation, "inside", in.activation, func() string {
		return fmt.Sprintf("vLLM's profile run: the larger of the forward pass over %d batched tokens and the dummy sampler over %d rows × %.0f fp32 vocab-sized tensors (%s)",
			in.mnbt, samplerRows(in.seqs, in.mnbt), samplerCopies(in.version), in.version)
	})
	b.add(TermNonTorch, "inside", nonTorchBytes(in.version, in.tp, in.pp), func() string {
		return fmt.Sprintf("non-torch memory measured for TP %d × PP %d (%s)", in.tp, in.pp, in.version)
	})
	graphs, inside := cudaGraphBytes(in.version, in.seqs, in.eager)
	pw, fl := cudaGraphSizes(in.seqs)
	switch {
	case in.eager:
		b.add(TermGraphs, "inside", 0, func() string { return "enforce-eager: no CUDA graphs" })
	case inside:
		b.add(TermGraphs, "inside", graphs, func() string {
			return fmt.Sprintf("%d PIECEWISE + %d FULL capture sizes × 9 MiB, inside the fraction from vLLM v0.19", pw, fl)
		})
	default:
		b.add(TermGraphs, "outside", graphs, func() string {
			return "captured after the KV cache, outside the fraction before vLLM v0.19; measured net change about zero at v0.11"
		})
	}
	if in.multimodal {
		b.add(TermEncoder, "inside", MultimodalEncoderReserve, func() string { return "vision encoder profiled with the largest allowed input (the guide)" })
	}
	b.add(TermBeforeLoad, "outside", memoryBeforeLoad(in.tp, in.pp), func() string { return "in use before vLLM's first snapshot (CUDA context, NCCL)" })
	b.add(TermSampler, "outside", in.vocabSampler, func() string {
		return fmt.Sprintf("sampler warm-up after the KV cache: 6 × %d rows × vocab × 4 B", samplerRows(in.seqs, in.mnbt))
	})
	b.add(TermMargin, "outside", OutsideMargin, func() string { return "allocator fragmentation and workspaces (a guess, on the safe side)" })
	b.finish("what the fraction leaves")
	return b
}

// sglangBudget splits one GPU the way SGLang does: the KV pool is what is free after the weights load less
// total × (1 − mem_fraction_static) (model_runner.py profile_max_num_token), so memory in use before load (CUDA
// context, NCCL) comes out of the pool too; activations, CUDA graphs and NCCL buffers live in the reserve outside.
func sglangBudget(in budgetInput, reserved int64, reserveWhy string) *Budget {
	b := &Budget{Engine: EngineSGLang, Version: in.version.String(), Utilization: in.util, visible: in.visible, explain: in.explain}
	b.add(TermVisible, "total", in.visible, func() string { return in.visibleWhy })
	b.add(TermWeights, "inside", in.weights, func() string { return in.weightsWhy })
	b.addLoRA(in)
	b.add(TermBeforeLoad, "inside", memoryBeforeLoad(in.tp, in.pp), func() string {
		return "in use before the weights load (CUDA context, NCCL): SGLang's pool is sized from free memory, so it comes out of the pool"
	})
	frac := int64(float64(in.visible) * in.util)
	b.add(TermReserved, "outside", min(reserved, in.visible-frac), func() string { return reserveWhy })
	b.finish("free memory after the weights less total × (1 − mem-fraction-static)")
	b.OutsideFree = in.visible - frac - reserved
	return b
}

// outsideNeed is what a layout needs outside vLLM's fraction: before-load memory, the sampler warm-up, the margin,
// and before v0.19 the graphs.
func outsideNeed(v EngineVersion, f int64, tp, pp, seqs int, eager bool) int64 {
	n := memoryBeforeLoad(tp, pp) + f + OutsideMargin
	if g, inside := cudaGraphBytes(v, seqs, eager); !inside {
		n += g
	}
	return n
}

// vllmUtilization is the largest gpu-memory-utilization (rounded down to 0.01, at most MaxUtilization) that leaves
// room outside the fraction for what vLLM puts there.
func vllmUtilization(visible, outside int64) float64 {
	u := float64(visible-outside) / float64(visible)
	u = math.Floor(u*100+1e-9) / 100
	return math.Max(0.05, math.Min(MaxUtilization, u))
}

// EngineKVTokens is the KV capacity an engine logs for kv bytes per GPU. vLLM's "GPU KV cache size" is num_blocks ×
// block_size, num_blocks being kv over one block of every attention layer of the stage, each kind padded to vLLM's
// groups (v1/core/kv_cache_utils.py; a sliding or chunked layer counts like a full one here), the smallest over the
// stages. SGLang's "#tokens" is kv over one token of every layer (model_runner.py's cell size). Hybrid models with
// Mamba or linear-attention state are not modelled: 0.
func EngineKVTokens(f *model.Facts, engine string, kv int64, l model.Layout, dtype string, blockSize int) int64 {
	if kv <= 0 || f.CountLayers(model.LayerMamba)+f.CountLayers(model.LayerLinear) > 0 {
		return 0
	}
	d, err := model.ResolveKVDType(f, dtype)
	if err != nil {
		return 0
	}
	tp, pp, dcp := max(1, l.TP), max(1, l.PP), max(1, l.DCP)
	per := model.KVLayerBytesPerToken(f, tp, d)
	if blockSize <= 0 || engine == EngineSGLang {
		blockSize = 1
		if engine != EngineSGLang {
			blockSize = model.DefaultBlockSize
		}
	}
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
