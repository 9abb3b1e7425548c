package plan

import (
	"math"

	"github.com/llm-charts/llm-charts/internal/model"
)

// GiB is 2^30 bytes, the unit vLLM and hf-mem print.
const GiB = 1 << 30

// The memory model's constants. Each one is conservative on purpose: a plan that leaves 1-2 GiB unused per GPU costs
// nothing, a plan that fails at CUDA-graph capture costs an operator's night.
const (
	// MaxUtilization caps --gpu-memory-utilization: the guide's MiniMax-M2.5 deployment runs at 0.95 on A100-80GB.
	MaxUtilization = 0.95
	// CUDAGraphReserve is kept OUTSIDE gpu-memory-utilization for CUDA graphs (the guide, "How to load models into
	// GPUs" step 2: graphs are built outside the fraction; its step 4 says PIECEWISE graphs save only 0.5-1 GB, so
	// full graphs at the default capture sizes take about 1-2 GiB). Utilization = min(0.95, 1 - 2 GiB / VRAM).
	CUDAGraphReserve = 2 * GiB
	// NonTorchBase is what vLLM's profiler counts as non-torch memory on one GPU (CUDA context, cuBLAS/cuDNN
	// workspaces): vLLM logs 0.3-0.9 GiB for it; 1 GiB is the round figure above that.
	NonTorchBase = 1 * GiB
	// NonTorchCollective is added when the replica spans GPUs (NCCL / custom all-reduce buffers, 0.2-0.5 GiB in
	// vLLM's logs).
	NonTorchCollective = GiB / 2
	// ActivationSafety multiplies the estimated activation peak of vLLM's profile run (see activationBytes).
	ActivationSafety = 1.25
	// MultimodalEncoderReserve covers vLLM's profiling of the vision encoder with the largest allowed image/video
	// (guide step 2: "some multimodal models may also consume more memory outside --gpu-memory-utilization").
	MultimodalEncoderReserve = 2 * GiB
	// WeightSlack is on weights per GPU for tensors every rank replicates (norms, routers, KV projections past the
	// KV-head count) and allocator fragmentation; KAITO's estimator uses the same 1.02.
	WeightSlack = 1.02
)

// utilizationFor is min(MaxUtilization, 1 - CUDAGraphReserve / VRAM), rounded down to 0.01.
func utilizationFor(vram int64) float64 {
	u := 1 - float64(CUDAGraphReserve)/float64(vram)
	u = math.Floor(u*100+1e-9) / 100
	return math.Min(MaxUtilization, u)
}

// weightSplit is what the planner knows of a model's loaded weights.
type weightSplit struct {
	total  int64 // everything loaded onto GPUs (main + vision), across all ranks
	embed  int64 // one vocab × hidden matrix (input embedding or output head), compute dtype
	vision int64 // vision tower, on the first pipeline stage
}

// weightsPerGPU is the bytes of weights on the most loaded GPU of the layout. Without PP every rank holds 1/TP of
// everything (vocab-parallel embedding included). With PP, vLLM gives stage s layers by get_pp_indices (the
// remainder to the later-but-last stages); the first stage also holds the embedding and the vision tower, the last
// the output head.
func weightsPerGPU(f *model.Facts, w weightSplit, l model.Layout) int64 {
	tp, pp := max(1, l.TP), max(1, l.PP)
	if pp == 1 || f.Layers < 1 {
		return int64(math.Ceil(float64(w.total) * WeightSlack / float64(tp)))
	}
	layerBytes := w.total - 2*w.embed - w.vision
	if layerBytes < 0 {
		layerBytes = w.total
	}
	base, rem := f.Layers/pp, f.Layers%pp
	perLayer := float64(layerBytes) / float64(f.Layers)
	var worst float64
	for s := 0; s < pp; s++ {
		n := base
		if s >= pp-1-rem && s < pp-1 {
			n++
		}
		b := perLayer * float64(n)
		if s == 0 {
			b += float64(w.embed + w.vision)
		}
		if s == pp-1 {
			b += float64(w.embed)
		}
		worst = math.Max(worst, b)
	}
	return int64(math.Ceil(worst * WeightSlack / float64(tp)))
}

// activationBytes estimates the peak of vLLM's profile run on one GPU: a forward pass of max_num_batched_tokens
// tokens plus the sampler over max_num_seqs rows, in the compute dtype (2 bytes):
//   - about 8 hidden-sized buffers per token (residual, normed input, attention output, all-reduce staging...);
//   - the QKV projection output, split across TP;
//   - dense MLP: gate, up and the activated product (3 × intermediate / TP);
//   - MoE: vLLM's fused_moe caches per routed token, top_k × (2·I/TP + I/TP + hidden);
//   - logits: max_num_seqs × vocab in fp32, twice (logits and probabilities).
//
// The sum is multiplied by ActivationSafety.
func activationBytes(f *model.Facts, tp, mnbt, maxSeqs int) int64 {
	tp = max(1, tp)
	h := float64(f.Hidden)
	width := 8 * h
	width += float64((f.Heads+2*f.KVHeads)*f.HeadDim) / float64(tp)
	switch {
	case f.MoE != nil && f.MoE.Routed > 0:
		k := float64(max(1, f.MoE.PerToken))
		width += k * (3*float64(f.MoE.Intermediate)/float64(tp) + h)
		if f.MoE.SharedCount > 0 {
			width += 3 * float64(f.MoE.SharedCount*f.MoE.SharedIntermediate) / float64(tp)
		}
	default:
		width += 3 * float64(f.Intermediate) / float64(tp)
	}
	act := float64(mnbt) * width * 2
	logits := float64(maxSeqs) * float64(f.Vocab) * 4 * 2
	return int64((act + logits) * ActivationSafety)
}

// overheadPerGPU is activations plus non-torch memory (plus the encoder reserve for multimodal models), all inside
// gpu-memory-utilization.
func overheadPerGPU(f *model.Facts, l model.Layout, mnbt, maxSeqs int, multimodal bool) int64 {
	o := activationBytes(f, l.TP, mnbt, maxSeqs) + NonTorchBase
	if l.TP*max(1, l.PP) > 1 {
		o += NonTorchCollective
	}
	if multimodal {
		o += MultimodalEncoderReserve
	}
	return o
}
