package engine

import (
	"fmt"
	"math"
	"strings"

	"github.com/llm-charts/llm-charts/internal/model"
)

// GiB is 2^30 bytes, the unit vLLM and hf-mem print.
const GiB = 1 << 30

// MiB is 2^20 bytes.
const MiB = 1 << 20

// Memory constants both engines' budgets use. Each says where its number comes from.
const (
	// MaxUtilization caps --gpu-memory-utilization: the guide's MiniMax-M2.5 deployment runs at 0.95 on A100-80GB.
	MaxUtilization = 0.95
	// CUDAGraphReserve is the headroom SGLang plans keep outside --mem-fraction-static for CUDA graphs on top of the
	// activation estimate (the guide, loading step 2; full graphs at the default capture sizes take about 1-2 GiB).
	CUDAGraphReserve = 2 * GiB
	// MultimodalEncoderReserve covers vLLM's profiling of the vision encoder with the largest allowed image/video
	// (guide step 2: "some multimodal models may also consume more memory outside --gpu-memory-utilization").
	MultimodalEncoderReserve = 2 * GiB
	// ForwardSafety multiplies the forward-pass activation estimate (activationForward): it is reasoned from the
	// tensors a decoder layer keeps alive, not measured for every architecture.
	ForwardSafety = 1.1
	// OutsideMargin is kept free outside the fraction beyond the modelled terms (allocator fragmentation, cuBLAS
	// workspaces created on first use): a guess, on the safe side.
	OutsideMargin = GiB / 2
	// TPWeightSlack is on weights per GPU under tensor parallelism: tensors every rank replicates (norms, routers,
	// KV projections past the KV-head count) and the vocabulary padded to a multiple of 64 × TP. Measured runs load
	// exactly 1/TP within 0.1% (Llama-3.3-70B-FP8: 67.72 GiB at TP 1, 33.88 at TP 2), so 0.5% is on the safe side.
	TPWeightSlack = 1.005
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

// Semantics is what an engine's utilization fraction covers.
type Semantics int

const (
	// FractionCoversRuntime: the fraction (vLLM's gpu-memory-utilization) holds weights, activations, runtime and
	// the KV cache; the engine's own allocations outside it must fit what the fraction leaves, or it runs out of
	// memory after the KV cache.
	FractionCoversRuntime Semantics = iota
	// FractionStatic: the fraction (SGLang's mem-fraction-static) holds weights and the KV pool only; activations,
	// CUDA graphs and NCCL buffers live in a reserve outside it, which the planner estimates.
	FractionStatic
)

// Budget is one GPU's memory as the engine splits it, term by term (the most loaded GPU of the layout).
type Budget struct {
	Engine      string  `json:"engine"`
	Version     string  `json:"version"`
	Utilization float64 `json:"utilization"`
	Terms       []Term  `json:"terms"`
	// OutsideFree is what stays unused outside the fraction after the outside terms (negative: out of memory).
	OutsideFree int64 `json:"outsideFreeBytes"`
	// Semantics is what the fraction covers.
	Semantics Semantics `json:"-"`
	// Overhead is what the layout needs besides weights and KV: inside the fraction (FractionCoversRuntime) or in
	// the reserve outside it (FractionStatic).
	Overhead int64 `json:"-"`
	// Reserved (FractionStatic) is what stays outside the fraction, and ReserveWhy how it was reckoned.
	Reserved   int64  `json:"-"`
	ReserveWhy string `json:"-"`

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

// KV is the KV cache budget: the fraction less the inside terms.
func (b *Budget) KV() int64 { return b.kv }

// Inside is the inside terms other than the KV cache; Outside the outside terms.
func (b *Budget) Inside() int64  { return b.inside }
func (b *Budget) Outside() int64 { return b.outside }

// OutOfMemory reports that the engine's allocations outside the fraction do not fit what it leaves (only where the
// engine puts known allocations there: FractionCoversRuntime).
func (b *Budget) OutOfMemory() bool { return b.Semantics == FractionCoversRuntime && b.OutsideFree < 0 }

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

// BudgetInput is what one layout's budget depends on.
type BudgetInput struct {
	// Version is the release the memory terms follow (Planner.Version).
	Version    Version
	Visible    int64
	VisibleWhy string
	// Util is the fraction asked for; 0 = the engine chooses it.
	Util       float64
	TP, PP     int
	Weights    int64
	WeightsWhy string
	MNBT, Seqs int
	Eager      bool
	Multimodal bool
	// Activation is ActivationPeak for the layout, VocabSampler SamplerWarmupBytes.
	Activation   int64
	VocabSampler int64
	// Facts is the model (capture sizes and the graph pool depend on its family, MoE and layers); StageLayers the
	// decoder layers on the most loaded GPU's pipeline stage; NVLink whether the node's GPUs talk over NVLink (the
	// all-reduce buffers vLLM allocates depend on it, and on ComputeMajor, the GPU's compute capability).
	Facts        *model.Facts
	StageLayers  int
	NVLink       bool
	ComputeMajor int
	// Explain fills the terms' sources.
	Explain bool
	// LoRA is the LoRA slots' buffers, allocated with the weights: LoRASlots at rank LoRARank.
	LoRA                int64
	LoRASlots, LoRARank int
	// DPAttention is SGLang's DP attention on the layout; Chunk the prefill chunk the engine runs with;
	// SpecMethod the speculative method ("" = none).
	DPAttention bool
	Chunk       int
	SpecMethod  string
}

// addLoRA puts the LoRA buffers inside the fraction (both engines allocate them when the model loads, before the KV
// cache is sized), when there are any.
func (b *Budget) addLoRA(in BudgetInput) {
	if in.LoRA > 0 {
		b.add(TermLoRA, "inside", in.LoRA, func() string {
			return fmt.Sprintf("%d LoRA slot(s) at rank %d: lora_a/lora_b buffers of every LoRA-able layer, pre-allocated when the model loads", in.LoRASlots, in.LoRARank)
		})
	}
}

// floorFraction is (total - outside) / total rounded down to 0.01, between lo and MaxUtilization.
func floorFraction(total, outside int64, lo float64) float64 {
	u := float64(total-outside) / float64(total)
	u = math.Floor(u*100+1e-9) / 100
	return math.Max(lo, math.Min(MaxUtilization, u))
}

// OutsideWords lists the terms a budget puts outside the fraction.
func OutsideWords(b *Budget) string {
	var parts []string
	for _, t := range b.Terms {
		if t.Where == "outside" && t.Bytes > 0 {
			parts = append(parts, fmt.Sprintf("%.2f GiB %s", float64(t.Bytes)/GiB, t.Name))
		}
	}
	return strings.Join(parts, " + ")
}
