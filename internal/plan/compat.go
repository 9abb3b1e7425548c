package plan

import (
	"fmt"

	"github.com/llm-charts/llm-charts/internal/gpu"
	"github.com/llm-charts/llm-charts/internal/model"
)

// ReasonDType explains a --dtype override (see computeDType).
const ReasonDType = "dtype"

// minComputeForQuant is the oldest compute capability whose kernels load each low-precision weight format:
// vLLM runs FP8 natively from 8.9 (Ada, Hopper) and as Marlin weight-only kernels from 8.0 (Ampere), and MXFP4 and
// NVFP4 likewise through Marlin from 8.0; nothing older (Volta 7.0, Turing 7.5) has a kernel for them.
var minComputeForQuant = map[string][2]int{
	"fp8":   {8, 0},
	"mxfp4": {8, 0},
	"nvfp4": {8, 0},
}

// unsupported says why the model's weights cannot run on the GPU at all, whatever the memory ("" when they can).
func unsupported(f *model.Facts, g gpu.GPU) string {
	if f.Quant == nil {
		return ""
	}
	need, ok := minComputeForQuant[f.Quant.Method]
	if !ok || !olderThan(g, need) {
		return ""
	}
	return fmt.Sprintf("not supported: %s weights need compute capability %d.%d or newer (vLLM's FP8/FP4 kernels: native from 8.9, Marlin weight-only from 8.0); %s is %s",
		f.Quant.Method, need[0], need[1], g.ID, g.ComputeCapability())
}

// computeDType is the --dtype a GPU needs for the model ("" = the engine's auto): bfloat16 needs compute
// capability 8.0, so on older GPUs (V100, T4) a bf16 model runs in float16, which vLLM refuses to pick by itself.
func computeDType(f *model.Facts, g gpu.GPU) (dtype, why string) {
	if f.DType != "bfloat16" || !olderThan(g, [2]int{8, 0}) {
		return "", ""
	}
	return "half", fmt.Sprintf("%s (compute capability %s) has no bfloat16: the bf16 weights run in float16 (--dtype half); rare activations over 65,504 overflow, so check the model's outputs", g.ID, g.ComputeCapability())
}

func olderThan(g gpu.GPU, need [2]int) bool {
	return g.ComputeMajor < need[0] || (g.ComputeMajor == need[0] && g.ComputeMinor < need[1])
}
