package plan

import (
	"fmt"
	"math"
	"regexp"
	"strconv"

	"github.com/llm-charts/llm-charts/internal/gpu"
	"github.com/llm-charts/llm-charts/internal/model"
)

// GiB is 2^30 bytes, the unit vLLM and hf-mem print.
const GiB = 1 << 30

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

// EngineVersion is an engine release, e.g. vLLM v0.19.0.
type EngineVersion struct{ Major, Minor, Patch int }

// DefaultVLLMVersion is the vLLM release the llm-model chart runs (its appVersion); plans follow image.version.
const DefaultVLLMVersion = "v0.19.0"

var versionPattern = regexp.MustCompile(`^v?(\d+)\.(\d+)(?:\.(\d+))?`)

// ParseEngineVersion reads "v0.19.0", "0.19.0", "0.19.0rc1" or "0.19"; "" is DefaultVLLMVersion.
func ParseEngineVersion(s string) (EngineVersion, error) {
	if s == "" {
		s = DefaultVLLMVersion
	}
	m := versionPattern.FindStringSubmatch(s)
	if m == nil {
		return EngineVersion{}, fmt.Errorf("engine version %q is not a release number such as v0.19.0", s)
	}
	var v EngineVersion
	v.Major, _ = strconv.Atoi(m[1])
	v.Minor, _ = strconv.Atoi(m[2])
	if m[3] != "" {
		v.Patch, _ = strconv.Atoi(m[3])
	}
	return v, nil
}

// AtLeast reports v >= major.minor.
func (v EngineVersion) AtLeast(major, minor int) bool {
	return v.Major > major || v.Major == major && v.Minor >= minor
}

func (v EngineVersion) String() string { return fmt.Sprintf("v%d.%d.%d", v.Major, v.Minor, v.Patch) }

// cudaVisibleBytes is the total vLLM and SGLang budget from: torch.cuda.mem_get_info()'s total, which is below the
// nvidia.com/gpu.memory label (nvidia-smi's total) by what the driver keeps. The catalog's cudaMiB gives the measured
// figure with its source; without it the label less 0.75 GiB, the largest gap seen (A100 80GB: 80 GiB labelled,
// 79.25 GiB visible), a guess on the safe side.
func cudaVisibleBytes(g gpu.GPU) (int64, string) {
	if g.CUDAMiB > 0 {
		return g.CUDAMiB * gpu.MiB, fmt.Sprintf("%.2f GiB CUDA-visible (%s)", float64(g.CUDAMiB)/1024, g.CUDASource)
	}
	v := g.VRAMBytes - 3*GiB/4
	return v, fmt.Sprintf("%.2f GiB CUDA-visible: the %d MiB label less 0.75 GiB, the largest driver reservation measured (a guess: no measured figure for this GPU)", float64(v)/GiB, g.MemoryMiB)
}

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
func nonTorchBytes(v EngineVersion, tp, pp int) int64 {
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
func samplerCopies(v EngineVersion) float64 {
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

// activationPeak is vLLM's "torch peak memory increase" of the profile run: the larger of the forward pass over
// max_num_batched_tokens tokens and the dummy sampler over min(max_num_seqs, max_num_batched_tokens) rows, which
// does not shrink with TP (every rank samples the whole vocabulary).
func activationPeak(f *model.Facts, v EngineVersion, tp, mnbt, seqs int) int64 {
	sampler := int64(samplerCopies(v) * float64(samplerRows(seqs, mnbt)) * float64(f.Vocab) * 4)
	return max(activationForward(f, tp, mnbt), sampler)
}

// samplerWarmupBytes is the sampler warm-up vLLM runs after the KV cache is allocated (gpu_worker.py
// compile_or_warm_up_model → _dummy_sampler_run over min(max_num_seqs, max_num_batched_tokens) rows, with the
// top-k/top-p path): fp32 logits, the sorted values and their int64 indices, probabilities and the exponential noise,
// about 6 × rows × vocab × 4 B. It needs memory the fraction no longer has, so it lives outside it: gpt-oss-20b at
// utilization 0.95 on H100 (1024 rows × 201,088 × 4 B × 6 = 4.6 GiB against 3.96 GiB outside) ran out of memory
// exactly there (issue 13; vllm-project/vllm#27508 for gpt-oss-120b).
func samplerWarmupBytes(f *model.Facts, seqs, mnbt int) int64 {
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
func cudaGraphBytes(v EngineVersion, seqs int, eager bool) (bytes int64, inside bool) {
	if eager {
		return 0, true
	}
	p, f := cudaGraphSizes(seqs)
	if v.AtLeast(0, 19) {
		return int64(p+f) * graphBytesPerSize, true
	}
	return 0, false
}

// mxfp4PaddedWeights is gpt-oss's weights as vLLM loads them: its MXFP4 expert matrices are padded to the MoE
// kernels' alignment (vllm/model_executor/layers/quantization/mxfp4.py and utils/mxfp4_utils.py: hidden_size rounded
// up to 256, 2880 → 3072; on GPUs below compute capability 9.0, served by Marlin, the per-rank intermediate size is
// also rounded up to 128, 2880 → 2944). Checked against the logs: gpt-oss-120b loads 64.38 GiB on H100
// (vllm-project/vllm#33155, llm-d-benchmark) and 65.9 GiB on A100 (issue 13), 60.8 GiB in the checkpoint.
func mxfp4PaddedWeights(f *model.Facts, g gpu.GPU, tp int) int64 {
	if f.Family() != "gpt_oss" || f.Quant == nil || f.Quant.Method != "mxfp4" || f.MoE == nil {
		return 0
	}
	tp = max(1, tp)
	h, i := int64(f.Hidden), int64(f.MoE.Intermediate)/int64(tp)
	ph := (h + 255) / 256 * 256
	pi := i
	if g.ComputeMajor < 9 {
		pi = (i + 127) / 128 * 128
	}
	moeLayers := int64(f.Layers - len(f.MoE.DenseLayers))
	// 4-bit values plus one scale byte per 32: 17/32 bytes per element; gate+up (2I × H) and down (H × I).
	unpadded := float64(moeLayers*int64(f.MoE.Routed)*3*i*h) * 17 / 32
	padded := float64(moeLayers*int64(f.MoE.Routed)*3*pi*ph) * 17 / 32
	return int64(padded-unpadded) * int64(tp)
}

// weightSplit is what the planner knows of a model's loaded weights.
type weightSplit struct {
	total  int64   // everything loaded onto GPUs (main + vision), across all ranks
	embed  int64   // the input embedding
	head   int64   // the output head (the embedding's size when tied: the last stage keeps its own copy)
	vision int64   // vision tower, on the first pipeline stage
	layers []int64 // per decoder layer, scaled so that everything sums to total
}

// weightsPerGPU is the bytes of weights on the most loaded GPU of the layout. Without PP every rank holds 1/TP of
// everything. With PP every stage is sized from its own layers as vLLM partitions them (get_pp_indices), the first
// stage also holding the embedding and the vision tower, the last the output head; the heaviest stage governs
// (DeepSeek's and GLM's dense first layers make MoE stages uneven).
func weightsPerGPU(f *model.Facts, w weightSplit, l model.Layout) int64 {
	tp, pp := max(1, l.TP), max(1, l.PP)
	slack := 1.0
	if tp > 1 {
		slack = TPWeightSlack
	}
	if pp == 1 || f.Layers < 1 {
		return int64(math.Ceil(float64(w.total) * slack / float64(tp)))
	}
	layers := w.layers
	if len(layers) != f.Layers {
		// No per-layer figures: spread what is not embedding, head or vision evenly.
		rest := max(0, w.total-w.embed-w.head-w.vision)
		layers = make([]int64, f.Layers)
		for i := range layers {
			layers[i] = rest / int64(f.Layers)
		}
	}
	// What neither the layers nor the embedding, head and vision account for (the final norm) sits on the last stage.
	rest := w.total - w.embed - w.head - w.vision
	for _, b := range layers {
		rest -= b
	}
	var worst int64
	for s, st := range model.StageLayers(f.Layers, pp) {
		var b int64
		for i := st[0]; i < st[1]; i++ {
			b += layers[i]
		}
		if s == pp-1 {
			b += max(0, rest)
		}
		if s == 0 {
			b += w.embed + w.vision
		}
		if s == pp-1 {
			b += w.head
		}
		worst = max(worst, b)
	}
	return int64(math.Ceil(float64(worst) * slack / float64(tp)))
}
