package engine

import "fmt"

// Speculative decoding methods, engine-neutral (the chart's speculative.method). The chart maps them to vLLM's
// --speculative-config "method" and SGLang's --speculative-algorithm:
//
//	mtp    → vLLM "mtp" (vllm/config/speculative.py: the per-architecture names deepseek_mtp, glm4_moe_mtp,
//	         qwen3_next_mtp, qwen3_5_mtp, ... are deprecated aliases of it), SGLang NEXTN
//	eagle  → vLLM "eagle", SGLang EAGLE
//	eagle3 → vLLM "eagle3", SGLang EAGLE3
//	draft  → vLLM "draft_model", SGLang STANDALONE (a small model of the same tokenizer)
//	ngram  → vLLM "ngram", SGLang NGRAM (prompt lookup: no weights, no KV)
const (
	SpecMTP    = "mtp"
	SpecEagle  = "eagle"
	SpecEagle3 = "eagle3"
	SpecDraft  = "draft"
	SpecNgram  = "ngram"
)

// FeatureKind names something a plan may ask of an engine.
type FeatureKind int

const (
	// FeatureSpeculative is speculative decoding by Feature.Method.
	FeatureSpeculative FeatureKind = iota + 1
	// FeatureMTP is speculative decoding with the model's own MTP layers, for the model_type Feature.Family.
	FeatureMTP
	// FeatureLoRAWithSpeculative is LoRA adapters together with speculative decoding by Feature.Method.
	FeatureLoRAWithSpeculative
	// FeatureCPULoRA is adapter slots in host memory (vLLM --max-cpu-loras).
	FeatureCPULoRA
	// FeatureDCP is decode context parallelism (DCP > 1).
	FeatureDCP
	// FeatureDPAttention is attention data parallelism inside the TP group (SGLang --enable-dp-attention).
	FeatureDPAttention
	// FeatureExpertParallel is expert parallelism.
	FeatureExpertParallel
	// FeatureOffload is KV cache or weight offload to host memory.
	FeatureOffload
	// FeatureMultimodalCache is a multimodal processor cache in host memory that the chart sizes the pod for (vLLM
	// --mm-processor-cache-gb).
	FeatureMultimodalCache
	// FeatureDisaggregation is prefill/decode disaggregation (separate prefill and decode instances).
	FeatureDisaggregation
)

// Feature is one thing a plan may ask of an engine (Planner.Supports).
type Feature struct {
	Kind FeatureKind
	// Method is the speculative method (FeatureSpeculative, FeatureLoRAWithSpeculative).
	Method string
	// Family is the model_type (FeatureMTP).
	Family string
}

// Speculative is speculative decoding by method.
func Speculative(method string) Feature { return Feature{Kind: FeatureSpeculative, Method: method} }

// MTP is speculative decoding with the MTP layers of a model_type.
func MTP(family string) Feature { return Feature{Kind: FeatureMTP, Family: family} }

// LoRAWithSpeculative is LoRA adapters together with speculative decoding by method.
func LoRAWithSpeculative(method string) Feature {
	return Feature{Kind: FeatureLoRAWithSpeculative, Method: method}
}

// Simple is a feature that takes no parameter.
func Simple(k FeatureKind) Feature { return Feature{Kind: k} }

// disaggregationRefused is what every engine says today of prefill/decode disaggregation: the chart has no roles
// for it yet (issue 25 keeps the `role` name free for it).
func disaggregationRefused(title string) error {
	return fmt.Errorf("prefill/decode disaggregation is not supported with %s yet: the chart deploys one kind of instance (no prefill and decode roles)", title)
}
