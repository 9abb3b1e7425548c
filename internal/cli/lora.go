package cli

import (
	"fmt"

	"github.com/llm-charts/llm-charts/internal/engine"
	"github.com/llm-charts/llm-charts/internal/plan"
	"github.com/spf13/pflag"
)

// loraFlags ask for LoRA adapter capacity (values and explain): the slots and rank the engine pre-allocates
// buffers for, counted out of the KV cache.
type loraFlags struct {
	rank, maxLoras, maxCPULoras int
}

func (l *loraFlags) register(fs *pflag.FlagSet) {
	fs.IntVar(&l.rank, "lora-rank", 0, fmt.Sprintf("plan LoRA adapters up to rank `N` (--max-lora-rank; default %d when --max-loras is given); their GPU buffers are counted out of the KV cache", plan.DefaultLoRARank))
	fs.IntVar(&l.maxLoras, "max-loras", 0, fmt.Sprintf("plan `N` LoRA adapter slots on the GPU (vLLM --max-loras, SGLang --max-loras-per-batch; default %d / %d when --lora-rank is given)", plan.DefaultVLLMMaxLoras, plan.DefaultSGLangMaxLoras))
	fs.IntVar(&l.maxCPULoras, "max-cpu-loras", 0, "vLLM only: `N` adapters kept in CPU memory (--max-cpu-loras, at least --max-loras; default --max-loras)")
}

// validate checks the flags; e is the engine they are for, nil when --engine is not one (refused elsewhere).
func (l *loraFlags) validate(e engine.Engine) []string {
	var errs []string
	for _, f := range []struct {
		name string
		v    int
	}{{"--lora-rank", l.rank}, {"--max-loras", l.maxLoras}, {"--max-cpu-loras", l.maxCPULoras}} {
		if f.v < 0 {
			errs = append(errs, fmt.Sprintf("%s %d must be positive", f.name, f.v))
		}
	}
	if e != nil {
		errs = append(errs, e.LoRAFlagErrors(l.rank, l.maxCPULoras)...)
	}
	if l.maxCPULoras > 0 && l.maxCPULoras < max(l.maxLoras, plan.DefaultVLLMMaxLoras) {
		errs = append(errs, fmt.Sprintf("--max-cpu-loras %d is below --max-loras %d (vLLM requires max_cpu_loras >= max_loras)", l.maxCPULoras, max(l.maxLoras, plan.DefaultVLLMMaxLoras)))
	}
	return errs
}

func (l *loraFlags) options() plan.LoRA {
	return plan.LoRA{MaxLoras: l.maxLoras, MaxRank: l.rank, MaxCPULoras: l.maxCPULoras}
}
