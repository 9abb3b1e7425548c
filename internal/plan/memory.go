package plan

import (
	"fmt"
	"math"

	"github.com/llm-charts/llm-charts/internal/engine"
	"github.com/llm-charts/llm-charts/internal/gpu"
	"github.com/llm-charts/llm-charts/internal/model"
)

// GiB and MiB are 2^30 and 2^20 bytes (engine.GiB, engine.MiB).
const (
	GiB = engine.GiB
	MiB = engine.MiB
)

// The memory model is the engines' (internal/engine budget_terms.go and each engine's Budget); these constants are
// theirs, named here for the planner's callers.
const (
	MaxUtilization           = engine.MaxUtilization
	CUDAGraphReserve         = engine.CUDAGraphReserve
	MultimodalEncoderReserve = engine.MultimodalEncoderReserve
	ForwardSafety            = engine.ForwardSafety
	OutsideMargin            = engine.OutsideMargin
	TPWeightSlack            = engine.TPWeightSlack
)

// EngineVersion is an engine release, e.g. vLLM v0.19.0 (engine.Version; each engine reads its own).
type EngineVersion = engine.Version

// ParseEngineVersion reads "v0.19.0", "0.19.0", "0.19.0rc1" or "0.19"; "" is the default engine's default release.
func ParseEngineVersion(s string) (EngineVersion, error) { return engine.Default().Version(s) }

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
