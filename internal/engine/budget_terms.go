package engine

import "github.com/llm-charts/llm-charts/internal/model"

// The memory model follows what vLLM v0.19.0 does at start-up, term by term (vllm/v1/worker/gpu_worker.py):
//
//	init_device:                 snapshot of the GPU; memory already in use (CUDA context) stays outside the fraction
//	load_model:                  weights                                      ┐
//	determine_available_memory:  profile_run → torch peak (activation)        │ inside gpu_memory_utilization × the
//	                             non-torch increase (NCCL, cuBLAS, ...)      │ CUDA-visible total; what is left is
//	                             profile_cudagraph_memory (v0.19: inside)     │ the KV cache
//	initialize_from_config:      KV cache                                     ┘
//	compile_or_warm_up_model:    capture_model (before v0.19: outside), then _dummy_sampler_run: outside
//
// Each term below is one named function with the source it follows. Terms that are measured rather than derived say
// where the measurement comes from (internal/plan/testdata/calibration holds the runs); where a figure is a guess it
// is on the safe side and the reason says so.

// memoryBeforeLoad is what a GPU already uses when vLLM takes its initial snapshot (gpu_worker.py init_device: CUDA
// context; with several ranks NCCL communicators too). vLLM measures non-torch memory from that snapshot, so this
// stays outside the fraction, and start-up fails when free memory is below utilization × total. Measured: 0.61 GiB
// on one H100 (llm-d-benchmark empirical-vllm-memory-results.md: 78.57 of 79.18 GiB free at start); up to 2 GiB
// per GPU with TP 2/4 (issue 13's H100 runs at v0.19.0).
func memoryBeforeLoad(tp, pp int) int64 {
	if max(1, tp)*max(1, pp) > 1 {
		return 2 * GiB
	}
	return 61 * GiB / 100
}

// nonTorchBytes is vLLM's "non-torch forward increase memory": memory outside PyTorch's allocator that appears
// during the profile run (NCCL buffers, custom all-reduce, cuBLAS workspaces), inside the fraction. Measured at
// v0.19.0 on H100 (issue 13): 0.24-0.46 GiB on one GPU, 2.06-2.21 GiB with TP 2/4, 0.07 GiB with PP only; at v0.11
// (llm-d-benchmark): 0.13 GiB on one GPU, 0.55 GiB at TP 2. Versions between take the v0.19 figures (the larger), and
// so does TP above 2 on older versions, where no measurement exists (a guess on the safe side).
func nonTorchBytes(v Version, tp, pp int) int64 {
	tp, pp = max(1, tp), max(1, pp)
	old := !v.AtLeast(0, 12)
	switch {
	case tp == 2 && old:
		return 6 * GiB / 10
	case tp > 1:
		return 225 * GiB / 100
	case pp > 1 && old:
		return 15 * GiB / 100
	case pp > 1:
		return GiB / 4
	case old:
		return 15 * GiB / 100
	}
	return GiB / 2
}

// samplerCopies is how many fp32 [max_num_seqs × vocab] tensors vLLM's profile run holds at its peak
// (gpu_model_runner.py profile_run → _dummy_sampler_run). Measured: the V1 engine before v0.17 peaks at 9.6-9.9 ×
// 1024 × vocab × 4 B whatever the model (llm-d-benchmark, v0.11 on H100: gpt-oss 7.38 GiB, Qwen3 5.56-5.64, Llama
// 4.76-4.84), so 10; the profile fell by about 60% at v0.17 (issue 13), so 4; the V0 engine (before v0.8) profiled
// the logits only, so 1.
func samplerCopies(v Version) float64 {
	switch {
	case !v.AtLeast(0, 8):
		return 1
	case !v.AtLeast(0, 17):
		return 10
	}
	return 4
}

// samplerRows is the batch of vLLM's dummy sampler run: min(max_num_seqs, max_num_batched_tokens).
func samplerRows(seqs, mnbt int) int {
	if mnbt > 0 {
		return max(1, min(seqs, mnbt))
	}
	return max(1, seqs)
}

// activationForward estimates the peak of the profile run's forward pass over max_num_batched_tokens tokens on one
// GPU, in the compute dtype (2 bytes): the residual and two hidden-sized buffers, the QKV output and the MLP's
// gate/up output with its activated product (MoE: vLLM's fused_moe cache per routed token), split across TP,
// multiplied by ForwardSafety.
func activationForward(f *model.Facts, tp, mnbt int) int64 {
	tp = max(1, tp)
	h := float64(f.Hidden)
	width := 3 * h
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
	return int64(float64(mnbt) * width * 2 * ForwardSafety)
}

// ActivationPeak is vLLM's "torch peak memory increase" of the profile run: the larger of the forward pass over
// max_num_batched_tokens tokens and the dummy sampler over min(max_num_seqs, max_num_batched_tokens) rows, which
// does not shrink with TP (every rank samples the whole vocabulary).
func ActivationPeak(f *model.Facts, v Version, tp, mnbt, seqs int) int64 {
	sampler := int64(samplerCopies(v) * float64(samplerRows(seqs, mnbt)) * float64(f.Vocab) * 4)
	return max(activationForward(f, tp, mnbt), sampler)
}

// SamplerWarmupBytes is the sampler warm-up vLLM runs after the KV cache is allocated (gpu_worker.py
// compile_or_warm_up_model → _dummy_sampler_run over min(max_num_seqs, max_num_batched_tokens) rows, with the
// top-k/top-p path): fp32 logits, the sorted values and their int64 indices, probabilities and the exponential noise,
// about 6 × rows × vocab × 4 B. It needs memory the fraction no longer has, so it lives outside it: gpt-oss-20b at
// utilization 0.95 on H100 (1024 rows × 201,088 × 4 B × 6 = 4.6 GiB against 3.96 GiB outside) ran out of memory
// exactly there (issue 13; vllm-project/vllm#27508 for gpt-oss-120b).
func SamplerWarmupBytes(f *model.Facts, seqs, mnbt int) int64 {
	return int64(6 * float64(samplerRows(seqs, mnbt)) * float64(f.Vocab) * 4)
}

// cudaGraphSizes are vLLM v0.19.0's default capture sizes (vllm/config/vllm.py): PIECEWISE graphs for [1, 2, 4] +
// 8..248 by 8 + 256.. by 16 up to min(2 × max_num_seqs, 512), FULL decode graphs for the same list up to
// max_num_seqs. A v0.19 log shows "PIECEWISE=51 (largest=512), FULL=35 (largest=256)" for max_num_seqs 256.
func cudaGraphSizes(seqs int) (piecewise, full int) {
	count := func(limit int) int {
		n := 0
		for _, s := range []int{1, 2, 4} {
			if s <= limit {
				n++
			}
		}
		for s := 8; s < 256 && s <= limit; s += 8 {
			n++
		}
		for s := 256; s <= limit; s += 16 {
			n++
		}
		return n
	}
	largest := min(2*max(1, seqs), 512)
	return count(largest), count(min(seqs, largest))
}

// graphBytesPerSize is the memory of one captured size: the v0.19 log above estimates 0.73 GiB for 51 + 35 sizes
// (vllm-project/vllm#39559), about 8.7 MiB each; 9 MiB.
const graphBytesPerSize = 9 << 20

// cudaGraphBytes is the CUDA-graph memory by capture sizes and whether vLLM counts it inside the fraction. From
// v0.19 gpu_worker.py subtracts profile_cudagraph_memory() from the KV budget (VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS
// on by default; v0.18 logs "In v0.19, CUDA graph memory profiling will be enabled by default"). Before, graphs were
// captured after the KV cache into the memory outside the fraction; llm-d-benchmark measured the net change during
// capture at v0.11 as -0.88 to +1.03 GiB (capture reuses the profile's freed cache), so older versions count no
// graph memory outside beyond OutsideMargin.
func cudaGraphBytes(v Version, seqs int, eager bool) (bytes int64, inside bool) {
	if eager {
		return 0, true
	}
	p, f := cudaGraphSizes(seqs)
	if v.AtLeast(0, 19) {
		return int64(p+f) * graphBytesPerSize, true
	}
	return 0, false
}
