package engine

import "github.com/llm-charts/llm-charts/internal/model"

// The memory model follows what vLLM v0.19.0 does at start-up, term by term (vllm/v1/worker/gpu_worker.py):
//
//	init_device:                 snapshot of the GPU; memory already in use (CUDA context) stays outside the fraction
//	load_model:                  weights                                      ┐
//	determine_available_memory:  profile_run → torch peak (activation)        │ inside gpu_memory_utilization × the
//	                             non-torch increase (NCCL, cuBLAS, ...)      │ CUDA-visible total; what is left is
//	                             profile_cudagraph_memory (from v0.20)        │ the KV cache
//	initialize_from_config:      KV cache                                     ┘
//	compile_or_warm_up_model:    capture_model (before v0.20: outside), then _dummy_sampler_run in the memory the
//	                             profile's activation held, freed by then
//
// Each term below is one named function with the source it follows. Terms that are measured rather than derived say
// where the measurement comes from (internal/plan/testdata/calibration holds the runs); where a figure is a guess it
// is on the safe side and the reason says so.

// memoryBeforeLoad is what a GPU already uses when vLLM takes its initial snapshot (gpu_worker.py init_device: CUDA
// context; with several ranks NCCL communicators too). vLLM measures non-torch memory from that snapshot, so this
// stays outside the fraction, and start-up fails when free memory is below utilization × total. Measured on H100
// 80GB: 0.61 GiB on one GPU (llm-d-benchmark, v0.11) and 0.51 GiB on every single-GPU run of the llm-d-planner
// v0.19.0 campaign (testdata/calibration); with several ranks 1.43-1.53 GiB in 14 of that campaign's 18 multi-GPU
// runs and 1.99-2.05 GiB in four (Mixtral-8x7B, Kimi-VL-A3B and gpt-oss-20b at TP 2, Llama-4-Scout at TP 4), which
// all had room to spare. 1.55 GiB is the common figure: taking the rare one would call the campaign's tightest
// started runs (70B models at TP 2) out of memory.
func memoryBeforeLoad(tp, pp int) int64 {
	if max(1, tp)*max(1, pp) > 1 {
		return 155 * GiB / 100
	}
	return 61 * GiB / 100
}

// nonTorchBytes is vLLM's "non-torch forward increase memory": memory outside PyTorch's allocator that appears
// during the profile run (NCCL buffers, custom and symmetric-memory all-reduce, cuBLAS workspaces), inside the
// fraction. Measured at v0.19.0 on H100 HGX (llm-d-planner campaign): 0.24-0.46 GiB on one GPU (0.13-0.25 GiB at
// v0.15-v0.18), 2.06-2.21 GiB at TP 2/4, 0.07 GiB with PP only; at v0.11 (llm-d-benchmark): 0.13 GiB on one GPU, 0.55 GiB at TP 2. Without NVLink
// vLLM has neither symmetric-memory all-reduce nor NVLink SHARP buffers: 0.25 GiB at TP 2 on two RTX 4090
// (vllm-project/vllm#13061, v0.7.2); no measurement of a newer release on PCIe exists, so 0.6 GiB, on the safe
// side. At TP 8 over NVLink on Hopper and newer (NVLink SHARP and symmetric-memory buffers need compute capability
// 9.0), public logs of newer releases on H200 show 5.2-5.7 GiB (issue 27's survey; the campaign stops at TP 4):
// 5.75 GiB there, the larger, on the safe side; A100's TP 8 has neither and keeps the H100 TP 2/4 figure, above it.
// Releases before v0.12 take the v0.11 figures, TP above 2 there the newer ones (no measurement; safe side).
func nonTorchBytes(v Version, tp, pp int, nvlink bool, computeMajor int) int64 {
	tp, pp = max(1, tp), max(1, pp)
	old := !v.AtLeast(0, 12)
	switch {
	case tp > 1 && !nvlink:
		return 6 * GiB / 10
	case tp >= 8 && computeMajor >= 9 && !old:
		return 575 * GiB / 100
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
	return 46 * GiB / 100 // the largest single-GPU figure measured (granite-3.1 at v0.19.0)
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

// SamplerWarmupBytes is the peak of the sampler warm-up vLLM runs after the KV cache is allocated and the graphs
// are captured (gpu_worker.py compile_or_warm_up_model → _dummy_sampler_run over min(max_num_seqs,
// max_num_batched_tokens) rows, top-k/top-p on the native path): fp32 logits, the sorted values with their int64
// indices, then probabilities and the exponential noise, about 4 × rows × vocab × 4 B. The failing gpt-oss-20b run
// of the campaign shows it: 2.17 GiB of sampler tensors allocated when random_sample asked for one more 786 MiB
// (1024 × 201,088 × 4 B) copy. It is the same sampler the profile run measured inside the fraction, whose memory is
// free again by then, so only what exceeds the profiled activation needs room outside (samplerExcess).
func SamplerWarmupBytes(f *model.Facts, seqs, mnbt int) int64 {
	return int64(4 * float64(samplerRows(seqs, mnbt)) * float64(f.Vocab) * 4)
}

// samplerExcess is what the warm-up sampler needs beyond the activation memory the profile run held inside the
// fraction (freed before the KV cache is allocated, so the warm-up reuses it). In the llm-d-planner campaign every
// started run had less room outside the fraction than one sampler copy beside its graphs (Llama-3.3-70B-w8a8 at TP 2:
// 0.60 GiB against 0.49 GiB a copy, Kimi-VL at TP 2: 0.71 GiB against 0.63), so the warm-up does run in that reused
// memory; before v0.8 the V0 engine profiled the logits only, and then the rest does need room.
func samplerExcess(sampler, activation int64) int64 {
	return max(0, sampler-activation)
}

// captureLimit is vLLM's largest CUDA-graph capture size: min(2 × max_num_seqs, 512) (vllm/config/vllm.py), raised
// to 1024 for gpt-oss (vllm/model_executor/models/config.py GptOssForCausalLMConfig logs "Overriding max cuda graph
// capture size to 1024 for performance"), and never above max_num_batched_tokens.
func captureLimit(f *model.Facts, seqs, mnbt int) int {
	largest := min(2*max(1, seqs), 512)
	if f != nil && f.ModelType == "gpt_oss" {
		largest = 1024
	}
	if mnbt > 0 {
		largest = min(largest, mnbt)
	}
	return largest
}

// cudaGraphSizes counts vLLM's default capture sizes up to the largest (captureLimit): PIECEWISE graphs for
// [1, 2, 4] + 8..248 by 8 + 256.. by 16, FULL decode graphs for the same list up to max_num_seqs. v0.19 logs
// "PIECEWISE=51 (largest=512), FULL=35 (largest=256)" for max_num_seqs 256 and "PIECEWISE=83 (largest=1024),
// FULL=83" for gpt-oss-20b at 1024.
func cudaGraphSizes(largest, seqs int) (piecewise, full int) {
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
	return count(largest), count(min(max(1, seqs), largest))
}

// Graph pool per captured size, fitted on the 59 pools the llm-d-planner v0.19.0 campaign measured ("Graph capturing
// finished ..., took X GiB"; testdata/calibration): 4 MiB per size plus 0.18 MiB per size and decoder layer on the
// GPU, and 0.6 GiB more for MoE models (their fused-MoE buffers; 0.93-1.57 GiB pools measured for 24-48 layers). The
// fit stays at most 0.1 GiB under any measured pool (Mistral-Small-24B-w8a8: 1.22 GiB against 1.12) and is above
// most: 0.98 GiB for Llama-3.1-8B (0.79-0.96 measured), 1.84 GiB for 80-layer models at TP 2 (1.61-1.85).
const (
	graphBytesPerSize      = 4 << 20
	graphBytesPerSizeLayer = 185 << 10
	graphMoEBytes          = 6 * GiB / 10
)

// cudaGraphBytes is the CUDA-graph pool of a GPU holding stageLayers decoder layers and whether vLLM counts it inside
// the fraction. At v0.19.0 it does not: in every started single-stage run of the campaign KV = requested − (weights
// + activation + non-torch) within 0.01 GiB, its log still says "In v0.19, CUDA graph memory profiling will be
// enabled by default (VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS=1)" with the variable off, and graphs are captured
// after the KV cache into the memory outside the fraction. From v0.20 gpu_worker.py takes its estimate out of the KV
// budget: a public v0.20.0 start-up log (banner "version 0.20.0", image vllm/vllm-openai:v0.20.0-cu130-ubuntu2404;
// Qwen3.6-35B-A3B-NVFP4 under WSL2, in the code index as file 51830815744) prints "Estimated CUDA graph memory: 0.39
// GiB total" and "CUDA graph memory profiling is enabled ... --gpu-memory-utilization=0.9000 is equivalent to
// --gpu-memory-utilization=0.8878 without CUDA graph memory profiling" (the message's own "default since v0.21.0"
// is wrong about the release that shipped it), and v0.21.0 logs say the same (LMCache/LMCache#3430).
func cudaGraphBytes(v Version, f *model.Facts, seqs, mnbt, stageLayers int, eager bool) (bytes int64, inside bool) {
	inside = v.AtLeast(0, 20)
	if eager {
		return 0, inside
	}
	p, fl := cudaGraphSizes(captureLimit(f, seqs, mnbt), seqs)
	bytes = int64(p+fl) * (graphBytesPerSize + int64(max(1, stageLayers))*graphBytesPerSizeLayer)
	if f != nil && f.MoE != nil && f.MoE.Routed > 0 {
		bytes += graphMoEBytes
	}
	return bytes, inside
}

// largeCaptureExtra is what the warm-up needs beyond the pool when graphs are captured above 512 tokens (gpt-oss,
// captureLimit). The campaign's gpt-oss-20b at TP 1 and utilization 0.95 ran out of memory in the sampler warm-up
// with 1.19 GiB more non-PyTorch memory in use than the profile left (78.64 GiB in use, 76.69 GiB of it PyTorch's,
// against 0.51 GiB of context and 0.25 GiB non-torch) beside a 1.84 GiB pool; no run captured at 512 shows it.
// Counted in proportion to the sizes above 512; a single measurement, so taken whole.
func largeCaptureExtra(f *model.Facts, seqs, mnbt int, eager bool) int64 {
	largest := captureLimit(f, seqs, mnbt)
	if eager || largest <= 512 {
		return 0
	}
	return int64(float64(119*GiB/100) * float64(largest-512) / 512)
}
