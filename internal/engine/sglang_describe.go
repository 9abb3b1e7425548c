package engine

import (
	"fmt"
	"slices"
	"strings"
)

// EngineComment names the entry point and spells the serving block's mapping to SGLang's flags, from the rows of
// specs/sglang.yaml.
func (e sglang) EngineComment() string {
	return "Engine: SGLang (" + strings.Join(e.Spec().Entrypoint, " ") + "). The serving block maps to its flags: " + servingMapping(e) + "."
}

func (sglang) MemoryModelNote() string {
	return "SGLang's memory model\n(weights + one full context of KV inside mem-fraction-static; activations, CUDA graphs and NCCL buffers outside).\n"
}

func (sglang) LayoutNote(l LayoutWords) string {
	s := fmt.Sprintf("TP %d × PP %d", l.TP, l.PP)
	if l.DPAttention {
		s += fmt.Sprintf(" with DP attention %d", l.DP)
	}
	return s
}

func (sglang) UtilizationLabel() string   { return "Memory fraction: " }
func (sglang) BatchedTokensLabel() string { return "Prefill chunk (--chunked-prefill-size): " }

// ExpertParallelNote: SGLang's expert parallelism is an EP size equal to the TP size (the guide).
func (sglang) ExpertParallelNote(tp int) string {
	return fmt.Sprintf("The chart passes it to SGLang as --ep-size %d (= TP, the guide).", tp)
}

func (sglang) PipelineNote(nodes int) string {
	s := "SGLang has no pipeline timeout variables"
	if nodes > 1 {
		s += "; the chart passes --dist-timeout 1200 to a multi-node instance"
	}
	return s
}

func (sglang) RankFlagsNote() string {
	return "SGLang: --nnodes N --node-rank R --dist-init-addr <rank 0>:29500, and --dist-timeout 1200"
}

// LogDefaults: SGLang sizes its running requests and memory fraction itself, so chartgen check plans its own
// limit and fraction, and its memory terms do not follow the release.
func (sglang) LogDefaults(int64, string) LogDefaults { return LogDefaults{} }

// KVCacheDTypeFlagError refuses a dtype the chart cannot map to SGLang's names (the serving.kvCacheDtype row's map).
func (e sglang) KVCacheDTypeFlagError(asked string) string {
	choices := e.KVCacheDTypeChoices()
	if asked == "" || slices.Contains(choices, asked) {
		return ""
	}
	return fmt.Sprintf("--kv cache dtype %q has no SGLang equivalent; allowed with --engine %s: %s", asked, SGLang, strings.Join(choices, ", "))
}

func (e sglang) KVCacheDTypeChoices() []string { return mappedValues(e, "serving.kvCacheDtype") }

// LoRAFlagErrors refuses --max-cpu-loras with the planner's words (Supports(FeatureCPULoRA)); SGLang takes any rank
// (it infers it from the adapters).
func (e sglang) LoRAFlagErrors(_, maxCPULoras int) []string {
	return cpuLoRAFlagErrors(e, maxCPULoras)
}
