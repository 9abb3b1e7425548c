package engine

import (
	"fmt"
	"slices"

	"github.com/llm-charts/llm-charts/internal/model"
)

// vllmLoRARankChoices are the ranks vLLM takes for --max-lora-rank: the spec's loraRanks (specs/vllm.yaml, from
// vllm/config/lora.py MaxLoRARanks), which the chart checks lora.maxRank against too. internal/plan rounds a planned
// rank up to the same list (plan.VLLMLoRARanks).
var vllmLoRARankChoices = mustSpec(VLLM).LoRARanks

// EngineComment is empty: vLLM is the default engine, whose values leave `engine` out.
func (vllm) EngineComment() string { return "" }

func (vllm) MemoryModelNote() string {
	return "vLLM's memory model\n(weights + activations + one full context of KV inside gpu-memory-utilization, CUDA graphs outside).\n"
}

func (vllm) LayoutNote(l LayoutWords) string {
	return fmt.Sprintf("TP %d × PP %d × DCP %d", l.TP, l.PP, l.DCP)
}

func (vllm) UtilizationLabel() string   { return "GPU memory utilization: " }
func (vllm) BatchedTokensLabel() string { return "Batched tokens: " }

// ExpertParallelNote is empty: vLLM takes --enable-expert-parallel itself.
func (vllm) ExpertParallelNote(int) string { return "" }

// PipelineNote names the guide's pipeline timeouts, which the chart sets on a multi-node instance.
func (vllm) PipelineNote(nodes int) string {
	if nodes <= 1 {
		return ""
	}
	return "the chart sets the guide's pipeline timeouts (VLLM_RPC_TIMEOUT 1200000, VLLM_EXECUTE_MODEL_TIMEOUT_SECONDS and VLLM_ENGINE_ITERATION_TIMEOUT_S 1200) because PP > 1"
}

func (vllm) RankFlagsNote() string {
	return "vLLM: --nnodes N --node-rank R --master-addr <rank 0> --master-port 29500, workers with --headless (no API server)"
}

// LogDefaults are vLLM's OpenAI server defaults (vllm/engine/arg_utils.py): 1024 sequences and 8192 batched tokens
// on GPUs of 70 GiB or more, 256 and 2048 below; gpu_memory_utilization 0.9, and 0.92 from v0.20 (vllmUtilization).
func (e vllm) LogDefaults(gpuMemoryMiB int64, release string) LogDefaults {
	d := LogDefaults{MaxNumSeqs: 256, MaxNumBatchedTokens: 2048, Utilization: vllmUtilization(release, e.Spec().DefaultRelease), VersionFromLog: true, TunedUtilization: true}
	if gpuMemoryMiB >= 70*1024 {
		d.MaxNumSeqs, d.MaxNumBatchedTokens = 1024, 8192
	}
	return d
}

// vllmUtilization is vLLM's default --gpu-memory-utilization at a release: 0.9 up to v0.19 (vllm/config/cache.py),
// 0.92 from v0.20.0 (vllm-project/vllm#38284, with the CUDA-graph profiling; the help of every tabled release from
// v0.22.1 on prints "(default: 0.92)", which TestUtilizationDefaultMatchesTables checks). A release that does not
// parse takes the default release's.
func vllmUtilization(release, defaultRelease string) float64 {
	r, err := ParseRelease(release)
	if err != nil {
		r = MustParseRelease(defaultRelease)
	}
	if !MustParseRelease("v0.20.0").After(r) {
		return 0.92
	}
	return 0.9
}

// KVCacheDTypeFlagError checks the name against a sparse-MLA model, which takes every name: a dtype name no model
// takes is a bad command line, whether a model takes fp8_ds_mla is known only once it is loaded.
func (vllm) KVCacheDTypeFlagError(asked string) string {
	if _, err := model.ResolveKVDType(&model.Facts{DType: "bfloat16", MLA: &model.MLA{}, Indexer: &model.Indexer{}}, asked); err != nil {
		return "--kv-cache-dtype: " + err.Error()
	}
	return ""
}

// KVCacheDTypeChoices is nil: vLLM takes the names the model takes (model.ResolveKVDType).
func (vllm) KVCacheDTypeChoices() []string { return nil }

// LoRAFlagErrors refuses a --lora-rank vLLM does not take, and --max-cpu-loras where the planner would
// (Supports(FeatureCPULoRA), which vLLM supports).
func (e vllm) LoRAFlagErrors(rank, maxCPULoras int) []string {
	var errs []string
	if rank > 0 && !slices.Contains(vllmLoRARankChoices, rank) {
		errs = append(errs, fmt.Sprintf("--lora-rank %d is not a rank vLLM takes (%v); use the next one up", rank, vllmLoRARankChoices))
	}
	return append(errs, cpuLoRAFlagErrors(e, maxCPULoras)...)
}

// cpuLoRAFlagErrors is the refusal of --max-cpu-loras n (0: not given): the planner's Supports(FeatureCPULoRA) with
// the flag named, so the flag check and the planner say one rule in one wording.
func cpuLoRAFlagErrors(p Planner, n int) []string {
	if n <= 0 {
		return nil
	}
	if err := p.Supports(Simple(FeatureCPULoRA)); err != nil {
		return []string{"--max-cpu-loras: " + err.Error()}
	}
	return nil
}
