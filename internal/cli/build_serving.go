package cli

import (
	"github.com/llm-charts/llm-charts/internal/engine"
	"github.com/llm-charts/llm-charts/internal/plan"
	"github.com/llm-charts/llm-charts/internal/values"
)

// buildServing fills the model-wide blocks from the first plan: serving, the engine's own block (whichever of vllm
// and sglang the engine's spec renders each setting from) and the speculative and LoRA blocks. It returns the
// shared serving, vllm and sglang blocks, which buildGroups completes with the layout of a single plan.
func (b *builder) buildServing() (*values.Serving, *values.VLLM, *values.SGLang) {
	c, p0 := b.c, b.plans[0]
	s, x, sg := &values.Serving{}, &values.VLLM{}, &values.SGLang{}
	if engine.RendersKey(b.e, "vllm.apiServerCount") {
		x.APIServerCount = ptr(p0.APIServers)
		c["vllm.apiServerCount"] = "API servers: " + p0.Reasons[plan.ReasonAPIServers] + "."
	}
	if p0.MaxNumSeqs > 0 {
		s.MaxNumSeqs = ptr(int64(p0.MaxNumSeqs))
		c["serving.maxNumSeqs"] = "Max concurrent sequences: " + p0.Reasons[plan.ReasonMaxNumSeqs] + "."
	}
	if b.o.KVCacheDType != "" {
		s.KVCacheDtype = b.o.KVCacheDType
		c["serving.kvCacheDtype"] = "KV cache dtype: " + p0.Reasons[plan.ReasonKVDType] + "."
	}
	if p0.Parsers.Tool != "" {
		s.ToolCallParser = p0.Parsers.Tool
		c["serving.toolCallParser"] = "Parsers: " + p0.Parsers.Reason + "."
	}
	if p0.Parsers.Reasoning != "" {
		s.ReasoningParser = p0.Parsers.Reasoning
		if p0.Parsers.Tool == "" {
			c["serving.reasoningParser"] = "Parsers: " + p0.Parsers.Reason + "."
		}
	}
	if p0.TrustRemoteCode {
		s.TrustRemoteCode = ptr(true)
		c["serving.trustRemoteCode"] = "Trust remote code: " + p0.Reasons[plan.ReasonTrust] + "."
	}
	if p0.PrefixCaching {
		s.EnablePrefixCaching = ptr(true)
		c["serving.enablePrefixCaching"] = "Prefix caching " + p0.Reasons[plan.ReasonPrefix] + "."
	}
	if p0.ChunkedPrefill && engine.RendersKey(b.e, "vllm.enableChunkedPrefill") {
		x.EnableChunkedPrefill = ptr(true)
		c["vllm.enableChunkedPrefill"] = "Chunked prefill " + p0.Reasons[plan.ReasonPrefill] + "."
	}
	if p0.MambaCacheMode != "" && engine.RendersKey(b.e, "vllm.mambaCacheMode") {
		x.MambaCacheMode = p0.MambaCacheMode
		c["vllm.mambaCacheMode"] = "Mamba cache mode " + p0.Reasons[plan.ReasonMamba] + "."
	}
	if p0.Multimodal && engine.RendersKey(b.e, "vllm.multimodal") {
		x.Multimodal = &values.Multimodal{Enabled: true, ProcessorCacheGB: ptr(plan.MultimodalCacheGB)}
		c["vllm.multimodal"] = "Multimodal: " + p0.Reasons[plan.ReasonMultimodal] + "."
	}
	b.buildFeatures()
	return s, x, sg
}

// buildFeatures writes the speculative and LoRA blocks of the first plan.
func (b *builder) buildFeatures() {
	v, c, p0 := b.v, b.c, b.plans[0]
	if sp := p0.Speculative; sp != nil {
		v.Speculative = &values.Speculative{Method: sp.Method, NumSpeculativeTokens: ptr(sp.Tokens), DraftModel: sp.DraftModel}
		c["speculative"] = "Speculative decoding: " + p0.Reasons[plan.ReasonSpeculative] + "."
	}
	if lp := p0.LoRA; lp != nil {
		// chartgen knows no adapters: they are loaded at run time (or listed in lora.adapters by hand), so the limits
		// render with runtime updates on; an engine that takes the target modules (SGLang) then needs them to size
		// its pool (all of them, as planned).
		v.LoRA = &values.LoRA{MaxLoras: ptr(lp.MaxLoras), MaxRank: ptr(lp.MaxRank), RuntimeUpdates: true}
		if lp.MaxCPULoras > 0 {
			v.LoRA.MaxCPULoras = ptr(lp.MaxCPULoras)
		}
		if engine.RendersKey(b.e, "lora.targetModules") {
			v.LoRA.TargetModules = []string{"all"} // server_args.py: --lora-target-modules takes "all" (every supported module)
		}
		c["lora"] = "LoRA: " + p0.Reasons[plan.ReasonLoRA] + ". Adapters are loaded at run time (runtimeUpdates) or listed in lora.adapters."
	}
}
