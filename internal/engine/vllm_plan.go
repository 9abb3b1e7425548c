package engine

import (
	"fmt"
	"slices"

	"github.com/llm-charts/llm-charts/internal/model"
)

// LoRA defaults and limits of vLLM's LoRAConfig (vllm/config/lora.py): max_lora_rank 16, max_loras 1; the ranks
// --max-lora-rank takes (MaxLoRARanks) at v0.19.0.
const (
	DefaultLoRARank     = 16
	VLLMDefaultMaxLoras = 1
)

// VLLMLoRARanks are the ranks vLLM v0.19.0 takes for --max-lora-rank (vllm/config/lora.py MaxLoRARanks): the list
// chartgen's flag check takes (vllmLoRARankChoices, vllm_describe.go), so the two cannot drift.
var VLLMLoRARanks = vllmLoRARankChoices

// vllmMTPTypes are the model_type values vLLM v0.19.0 turns into an MTP drafter (vllm/config/speculative.py
// SpeculativeConfig.hf_config_override; one vllm/model_executor/models/*_mtp.py file each). The index this was read
// from holds a newer commit than the tag; types that vLLM's release notes date after v0.19.0 (deepseek_v4, kimi_k3,
// minimax_m3, hy_v3/v4, gemma4, inkling, glm5_next, qwen4_exp, exaone4_5, bailing v3, dots3) are left out.
var vllmMTPTypes = []string{"deepseek_v3", "deepseek_v32", "glm_moe_dsa", "glm4_moe", "glm4_moe_lite", "ernie4_5_moe",
	"qwen3_next", "qwen3_5", "qwen3_5_moe", "longcat_flash", "step3p5", "mimo", "mimo_v2_flash", "pangu_ultra_moe",
	"nemotron_h", "bailing_hybrid", "exaone_moe"}

func (vllm) title() string { return "vLLM" }

// Version reads image.version; "" is the spec's default release. vLLM's memory terms are keyed by it.
func (e vllm) Version(s string) (Version, error) {
	if s == "" {
		s = e.Spec().DefaultRelease
	}
	return ParseVersion(s)
}

// CheckKVDType: vLLM takes every dtype model.ResolveKVDType knows, which refuses the rest.
func (vllm) CheckKVDType(string) error { return nil }

// KVDType is model.ResolveKVDType: vLLM's rules, with their reasons.
func (vllm) KVDType(f *model.Facts, asked string) (model.KVDType, error) {
	return model.ResolveKVDType(f, asked)
}

// Budget splits one GPU the way vLLM's worker does (budget_terms.go): KV = utilization × visible − weights −
// activation − non-torch − CUDA graphs (from v0.20) − the multimodal encoder reserve; outside the fraction the
// memory in use before load, before v0.20 the graphs, what the warm-up needs beyond the profile's freed activation,
// and a margin. Without an asked fraction it takes the largest (rounded down to 0.01, at most MaxUtilization) that
// leaves room outside for what vLLM puts there.
func (vllm) Budget(in BudgetInput) *Budget {
	o := vllmOutside(in)
	if in.Util == 0 {
		in.Util = floorFraction(in.Visible, o.total(), 0.05)
	}
	b := &Budget{Engine: string(VLLM), Version: in.Version.String(), Utilization: in.Util, visible: in.Visible, explain: in.Explain,
		Semantics: FractionCoversRuntime}
	b.add(TermVisible, "total", in.Visible, func() string { return in.VisibleWhy })
	b.add(TermWeights, "inside", in.Weights, func() string { return in.WeightsWhy })
	b.addLoRA(in)
	b.add(TermActivation, "inside", in.Activation, func() string {
		return fmt.Sprintf("vLLM's profile run: the larger of the forward pass over %d batched tokens and the dummy sampler over %d rows × %.0f fp32 vocab-sized tensors (%s)",
			in.MNBT, samplerRows(in.Seqs, in.MNBT), samplerCopies(in.Version), in.Version)
	})
	b.add(TermNonTorch, "inside", nonTorchBytes(in.Version, in.TP, in.PP, in.NVLink, in.ComputeMajor), func() string {
		link := "NVLink"
		if !in.NVLink {
			link = "PCIe"
		}
		return fmt.Sprintf("non-torch memory measured for TP %d × PP %d over %s (%s)", in.TP, in.PP, link, in.Version)
	})
	graphs, inside := cudaGraphBytes(in.Version, in.Facts, in.Seqs, in.MNBT, in.StageLayers, in.Eager)
	where, when := "outside", "captured after the KV cache, outside the fraction before vLLM v0.20"
	if inside {
		where, when = "inside", "profiled and taken out of the KV budget from vLLM v0.20"
	}
	b.add(TermGraphs, where, graphs, func() string {
		if in.Eager {
			return "enforce-eager: no CUDA graphs"
		}
		pw, fl := cudaGraphSizes(captureLimit(in.Facts, in.Seqs, in.MNBT), in.Seqs)
		return fmt.Sprintf("%d PIECEWISE + %d FULL capture sizes (largest %d) for %d layers on the GPU, as measured pools of vLLM v0.19.0 grow; %s",
			pw, fl, captureLimit(in.Facts, in.Seqs, in.MNBT), max(1, in.StageLayers), when)
	})
	if in.Multimodal {
		b.add(TermEncoder, "inside", max(0, MultimodalEncoderReserve-in.Activation), func() string {
			return fmt.Sprintf("vision encoder profiled with the largest allowed input (the guide), %.0f GiB, in the same profile run as the activation: only what exceeds it (in the llm-d-planner campaign the logged peak of every multimodal model, Gemma 3, Mistral-Small-3.1, Granite-Vision, Kimi-VL, was the text model's own)", float64(MultimodalEncoderReserve)/GiB)
		})
	}
	b.add(TermBeforeLoad, "outside", o.beforeLoad, func() string { return "in use before vLLM's first snapshot (CUDA context, NCCL)" })
	b.add(TermSampler, "outside", o.sampler, func() string {
		words := fmt.Sprintf("sampler warm-up after the KV cache: about 4 × %d rows × vocab × 4 B, in the memory the profile's activation held", samplerRows(in.Seqs, in.MNBT))
		if o.sampler > o.largeCapture {
			words += fmt.Sprintf(", %.2f GiB beyond it", float64(o.sampler-o.largeCapture)/GiB)
		}
		if o.largeCapture > 0 {
			words += fmt.Sprintf("; %.2f GiB more because graphs are captured above 512 tokens (measured on gpt-oss-20b, whose warm-up then ran out of memory at utilization 0.95)", float64(o.largeCapture)/GiB)
		}
		return words
	})
	b.add(TermMargin, "outside", OutsideMargin, func() string {
		return "allocator fragmentation and workspaces (0.57 GiB cached but unusable when gpt-oss-20b's warm-up failed)"
	})
	b.finish("what the fraction leaves")
	b.Overhead = b.inside - in.Weights
	return b
}

// vllmOutsideTerms is what a layout needs outside vLLM's fraction.
type vllmOutsideTerms struct {
	beforeLoad, graphs, sampler, largeCapture int64
}

func (o vllmOutsideTerms) total() int64 {
	return o.beforeLoad + o.graphs + o.sampler + OutsideMargin
}

// vllmOutside is what a layout needs outside vLLM's fraction: before-load memory, the graphs before v0.20, the
// warm-up beyond the profile's freed activation (samplerExcess, largeCaptureExtra; sampler includes largeCapture)
// and the margin.
func vllmOutside(in BudgetInput) vllmOutsideTerms {
	o := vllmOutsideTerms{beforeLoad: memoryBeforeLoad(in.TP, in.PP)}
	if g, inside := cudaGraphBytes(in.Version, in.Facts, in.Seqs, in.MNBT, in.StageLayers, in.Eager); !inside {
		o.graphs = g
	}
	o.largeCapture = largeCaptureExtra(in.Facts, in.Seqs, in.MNBT, in.Eager)
	o.sampler = samplerExcess(in.VocabSampler, in.Activation) + o.largeCapture
	return o
}

// NotFitWords is the fraction a "does not fit" message quotes (in.Util when asked, else the largest vLLM's outside
// terms leave at TP in.TP) and, when the asked fraction leaves too little outside even for one GPU, the advice to
// leave it to chartgen.
func (vllm) NotFitWords(in BudgetInput) (float64, string) {
	u := in.Util
	if u == 0 {
		u = floorFraction(in.Visible, vllmOutside(in).total(), 0.05)
	}
	one := in
	one.TP, one.PP = 1, 1
	need := vllmOutside(one).total()
	if in.Util > 0 && float64(in.Visible)*(1-in.Util) < float64(need) {
		return u, fmt.Sprintf(", or leave --gpu-memory-utilization to chartgen: %.2f leaves %.2f GiB outside the fraction, and vLLM %s puts at least %.2f GiB there (memory in use before load, CUDA graphs before v0.20, the warm-up)",
			in.Util, float64(in.Visible)*(1-in.Util)/GiB, in.Version, float64(need)/GiB)
	}
	return u, ""
}

// UtilizationWords explains a fraction vLLM's budget chose (nothing to add when it was asked).
func (vllm) UtilizationWords(b *Budget, asked bool, visibleWhy string) (string, string) {
	if asked {
		return "", ""
	}
	return fmt.Sprintf("%.2f: the most (at most %.2f, the guide's) that leaves room outside the fraction for what vLLM %s puts there (%s), of %s",
		b.Utilization, MaxUtilization, b.Version, OutsideWords(b), visibleWhy), ""
}

// Layouts lists vLLM's layouts of n GPUs in pods of perPod GPUs, best first (see layouts): for GQA/MHA models TP
// stays at or below the KV-head count (no KV duplication), PP making up the count; a TP above it with
// DCP = TP / kv_heads comes after. MLA models (KV heads = 1 for the engine) always get DCP = TP.
func (vllm) Layouts(f *model.Facts, n, perPod, pods int) []Candidate {
	return layouts(f, n, perPod, pods, func(c *Candidate, tp, pp int) layoutClass {
		switch {
		case f.MLA != nil:
			c.Layout.DCP = tp
			c.Why = fmt.Sprintf("TP %d × DCP %d × PP %d: an MLA model (one latent KV head for the engine) duplicates its KV on every TP rank, so DCP = TP shards it (the guide: always DCP for MLA); PP %s", tp, tp, pp, ppWhy(pp, pods))
			return firstLayout
		case tp <= f.KVHeads:
			c.Why = fmt.Sprintf("TP %d × PP %d: TP up to the %d KV heads, so the KV cache is not duplicated; TP divides the %d attention heads; PP %s", tp, pp, f.KVHeads, f.Heads, ppWhy(pp, pods))
			return firstLayout
		case tp%f.KVHeads == 0:
			c.Layout.DCP = tp / f.KVHeads
			c.Why = fmt.Sprintf("TP %d × DCP %d × PP %d: TP above the %d KV heads would duplicate the KV cache, so DCP = TP / KV heads shards it again (the guide's option 2); PP %s", tp, c.Layout.DCP, pp, f.KVHeads, ppWhy(pp, pods))
			return laterLayout
		}
		return skipLayout
	})
}

// ChooseDPAttention: vLLM shards an MLA model's KV with DCP instead, so the layout stays as it is.
func (vllm) ChooseDPAttention(_ *model.Facts, c Candidate, _ model.Task, _ func(Candidate) bool) (Candidate, string) {
	return c, ""
}

// KVNote: vLLM's layouts duplicate no KV that DCP does not shard again.
func (vllm) KVNote(*model.Facts, Candidate) string { return "" }

// Parsers are vLLM's --tool-call-parser and --reasoning-parser.
func (vllm) Parsers(f *model.Facts, name string, task model.Task) Parsers {
	return parsersFor(f, name, task)
}

// Batched is max-num-batched-tokens: the guide's 16384 when the context is longer and one full context still fits
// with it, else vLLM's default.
func (vllm) Batched(task model.Task, ctx int, _ int64, fits func(mnbt int) bool) Batched {
	switch {
	case task == model.TaskGenerate && ctx > BatchedTokens && fits(BatchedTokens):
		return Batched{Tokens: BatchedTokens, Set: true, Why: fmt.Sprintf("%d: the guide's value for long-context models (below max_model_len %s), and one full context still fits with its larger activations", BatchedTokens, Commas(int64(ctx)))}
	case task == model.TaskGenerate && ctx > BatchedTokens:
		return Batched{Tokens: DefaultBatchedTokens, Why: fmt.Sprintf("engine default (%d): with %d the larger activations would not leave room for one full context", DefaultBatchedTokens, BatchedTokens)}
	}
	return Batched{Tokens: DefaultBatchedTokens, Why: fmt.Sprintf("engine default (%d): the guide raises it only for long-context generation models with VRAM to spare", DefaultBatchedTokens)}
}

// Serving is vLLM's serving defaults: the guide's API-server count by model size, chunked prefill and prefix caching
// on as the guide's deployment, and the Mamba cache mode prefix caching needs on hybrid models.
func (vllm) Serving(in ServingInput) Serving {
	s := Serving{APIServers: 4, ChunkedPrefill: true, PrefixCaching: true,
		PrefillWhy: "on, as the guide's deployment (long prompts are split across steps of max-num-batched-tokens)",
		PrefixWhy:  "on, as the guide's deployment (shared prompt prefixes reuse KV blocks)"}
	if in.Params >= LargeModelParams {
		s.APIServers = 8
	}
	s.APIServersWhy = fmt.Sprintf("%d: the guide suggests 4 API servers for smaller models and 8 for larger ones (%.0fB parameters; the line is at %.0fB)", s.APIServers, float64(in.Params)/1e9, LargeModelParams/1e9)
	if f := in.Facts; f.CountLayers(model.LayerMamba)+f.CountLayers(model.LayerLinear) > 0 && in.Task == model.TaskGenerate {
		s.MambaCacheMode = "align"
		s.MambaWhy = "align: the model has Mamba / linear-attention layers, and the guide requires --mamba-cache-mode align for prefix caching on them"
	}
	return s
}

// MultimodalWhy explains the processor cache the chart sizes for a multimodal model.
func (vllm) MultimodalWhy() string {
	return fmt.Sprintf("multimodal model: --mm-processor-cache-gb %d (the guide: more than the default 4, perhaps 8); cache type shm with more than one GPU (chart default)", MultimodalCacheGB)
}

// LoRA is vLLM's adapter-slot defaults and wording.
func (vllm) LoRA() LoRARules {
	return LoRARules{DefaultMaxLoras: VLLMDefaultMaxLoras, SlotsFlag: "--max-loras"}
}

// CheckLoRA refuses what vLLM refuses: a rank it does not take, fewer CPU slots than GPU slots.
func (vllm) CheckLoRA(maxLoras, rank, cpuLoras int, _ string) error {
	switch {
	case !slices.Contains(VLLMLoRARanks, rank):
		return fmt.Errorf("LoRA rank %d is not one vLLM takes (%v); use the next one up", rank, VLLMLoRARanks)
	case cpuLoras > 0 && cpuLoras < maxLoras:
		return fmt.Errorf("max CPU loras %d is below max loras %d: vLLM requires max_cpu_loras >= max_loras", cpuLoras, maxLoras)
	}
	return nil
}

// SpecReserve: vLLM budgets speculative decoding term by term, with no fixed reserve.
func (vllm) SpecReserve(string) int64 { return 0 }

// Supports says what vLLM v0.19.0 with the chart runs.
func (e vllm) Supports(ft Feature) error {
	switch ft.Kind {
	case FeatureMTP:
		if !slices.Contains(vllmMTPTypes, ft.Family) {
			return fmt.Errorf("%s %s has no MTP drafter for model_type %s (it has one for %v)", e.title(), e.Spec().DefaultRelease, ft.Family, vllmMTPTypes)
		}
	case FeatureDPAttention:
		return fmt.Errorf("DP attention is an SGLang option; vLLM shards an MLA model's KV with decode context parallelism instead")
	case FeatureDisaggregation:
		return disaggregationRefused(e.title())
	}
	return nil
}
