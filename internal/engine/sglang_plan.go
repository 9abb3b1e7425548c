package engine

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/llm-charts/llm-charts/internal/model"
)

// LoRA defaults of SGLang's server_args.py: max_loras_per_batch 8. SGLang infers the rank from the adapters, which
// chartgen does not know, so it plans vLLM's DefaultLoRARank.
const SGLangDefaultMaxLoras = 8

// sglangMTPTypes are the model_type values SGLang v0.5.19 runs with NEXTN (python/sglang/srt/models: deepseek_nextn.py
// for DeepSeek V3/V3.2 and GLM-5's DSA architecture, glm4_moe_nextn.py, glm4_moe_lite_nextn.py, qwen3_next_mtp.py,
// qwen3_5_mtp.py, mimo_mtp.py, exaone_moe_mtp.py, bailing_moe_nextn.py).
var sglangMTPTypes = []string{"deepseek_v3", "deepseek_v32", "glm_moe_dsa", "glm4_moe", "glm4_moe_lite", "qwen3_next",
	"qwen3_5", "qwen3_5_moe", "mimo", "exaone_moe", "bailing_moe"}

func (sglang) title() string { return "SGLang" }

// Version is the release the plan's memory terms follow. SGLang's budget borrows vLLM's measured activation and
// non-torch terms (ActivationPeak, nonTorchBytes), which are keyed by vLLM's releases, so an SGLang plan follows the
// terms of vLLM's default release (engineVersion v0.19.0) whatever SGLang release it is for: reading SGLang v0.5.19
// as a vLLM release would take the terms of vLLM v0.5 (a V0 engine that profiled one sampler copy). A given
// image.version is still checked as a release.
func (sglang) Version(s string) (Version, error) {
	if s != "" {
		if _, err := ParseVersion(s); err != nil {
			return Version{}, err
		}
	}
	return vllm{}.Version("")
}

// CheckKVDType refuses a KV cache dtype SGLang has no equivalent for: the values the spec's row for
// serving.kvCacheDtype maps (KVCacheDTypeChoices; bfloat16 becomes bf16).
func (e sglang) CheckKVDType(d string) error {
	choices := e.KVCacheDTypeChoices()
	if d == "" || slices.Contains(choices, d) {
		return nil
	}
	return fmt.Errorf("kv cache dtype %q has no SGLang equivalent; allowed with --engine sglang: %s", d, strings.Join(choices, ", "))
}

// KVDType resolves the dtype as vLLM's rules do (the chart maps the values spelling to SGLang's), with SGLang's own
// reason for auto: its auto is the model's dtype, and it uses fp8 KV only when asked.
func (sglang) KVDType(f *model.Facts, asked string) (model.KVDType, error) {
	kv, err := model.ResolveKVDType(f, asked)
	if err != nil {
		return kv, err
	}
	if d := strings.ToLower(strings.TrimSpace(asked)); (d == "" || d == "auto") && (f.Quant == nil || !f.Quant.KVCacheFP8) {
		kv.Reason = "auto keeps the model's compute dtype " + kv.Name + " (SGLang's auto is the model's dtype; fp8 KV only when asked)"
	}
	return kv, nil
}

// Budget splits one GPU the way SGLang does: the KV pool is what is free after the weights load less
// total × (1 − mem_fraction_static) (model_runner.py profile_max_num_token), so memory in use before load (CUDA
// context, NCCL) comes out of the pool too; activations, CUDA graphs and NCCL buffers live in the reserve outside
// (sglangReserve, plus SGLang's speculative reserve). Without an asked fraction it is (VRAM − reserved) / VRAM.
func (e sglang) Budget(in BudgetInput) *Budget {
	ovh := in.Activation + nonTorchBytes(in.Version, max(1, in.TP), max(1, in.PP), in.NVLink, in.ComputeMajor)
	if in.Multimodal {
		ovh += MultimodalEncoderReserve
	}
	reserved, why := sglangReserve(in.Visible, model.Layout{TP: in.TP, PP: in.PP}, sglangDefaultChunk(in.Visible), in.Seqs, ovh, in.DPAttention)
	if extra := e.SpecReserve(in.SpecMethod); extra > 0 {
		reserved += extra
		why += fmt.Sprintf(" + %.0f GiB for speculative decoding (%s; SGLang server_args.py reserve_memory)", float64(extra)/GiB, in.SpecMethod)
	}
	if in.Util == 0 {
		in.Util = floorFraction(in.Visible, reserved, 0)
	}
	b := &Budget{Engine: string(SGLang), Version: in.Version.String(), Utilization: in.Util, visible: in.Visible, explain: in.Explain,
		Semantics: FractionStatic, Overhead: ovh, Reserved: reserved, ReserveWhy: why}
	b.add(TermVisible, "total", in.Visible, func() string { return in.VisibleWhy })
	b.add(TermWeights, "inside", in.Weights, func() string { return in.WeightsWhy })
	b.addLoRA(in)
	b.add(TermBeforeLoad, "inside", memoryBeforeLoad(in.TP, in.PP), func() string {
		return "in use before the weights load (CUDA context, NCCL): SGLang's pool is sized from free memory, so it comes out of the pool"
	})
	frac := int64(float64(in.Visible) * in.Util)
	b.add(TermReserved, "outside", min(reserved, in.Visible-frac), func() string { return why })
	b.finish("free memory after the weights less total × (1 − mem-fraction-static)")
	b.OutsideFree = in.Visible - frac - reserved
	return b
}

// NotFitWords is the fraction a "does not fit" message quotes: SGLang's own depends on a layout's reserve, which
// no layout gives here, so the message quotes the bound vLLM's outside terms give at TP in.TP (as SGLang plans
// always have); nothing to add.
func (sglang) NotFitWords(in BudgetInput) (float64, string) {
	u, _ := vllm{}.NotFitWords(in)
	return u, ""
}

// UtilizationWords explains --mem-fraction-static, or warns when an asked one leaves less outside than the
// reserve.
func (sglang) UtilizationWords(b *Budget, asked bool, _ string) (string, string) {
	util, visible := b.Utilization, float64(b.visible)
	if !asked {
		return fmt.Sprintf("--mem-fraction-static %.2f = (%.1f GiB - %.2f GiB reserved) / %.1f GiB, rounded down: SGLang puts weights and the KV pool inside the fraction (max_total_num_tokens = (available - total × (1 - fraction)) / cell size) and activations, CUDA graphs and NCCL buffers outside it; reserved = %s",
			util, visible/GiB, float64(b.Reserved)/GiB, visible/GiB, b.ReserveWhy), ""
	}
	if (1-util)*visible < float64(b.Reserved) {
		return "", fmt.Sprintf("mem-fraction-static %.2f leaves %.1f GiB outside for activations, CUDA graphs and NCCL buffers (< %.1f GiB estimated); lower it if SGLang runs out of memory", util, (1-util)*visible/GiB, float64(b.Reserved)/GiB)
	}
	return "", ""
}

// Layouts lists SGLang's layouts of n GPUs in pods of perPod GPUs, best first (see layouts). SGLang has no decode
// context parallelism: its layouts keep DCP 1, so TP above the KV heads (and any TP of an MLA model) duplicates the
// KV cache on every rank; for MLA + MoE models its DP attention avoids that (see ChooseDPAttention).
func (sglang) Layouts(f *model.Facts, n, perPod, pods int) []Candidate {
	return layouts(f, n, perPod, pods, func(c *Candidate, tp, pp int) layoutClass {
		switch {
		case f.MLA != nil:
			c.Why = fmt.Sprintf("TP %d × PP %d: an MLA model (one latent KV head for the engine); SGLang has no decode context parallelism, so %s; PP %s", tp, pp, mlaDupWhy(tp), ppWhy(pp, pods))
			return firstLayout
		case tp > f.KVHeads && tp%f.KVHeads == 0:
			c.Why = fmt.Sprintf("TP %d × PP %d: TP above the %d KV heads duplicates the KV cache (SGLang has no decode context parallelism to shard it again), so this comes after the layouts without duplication; TP divides the %d attention heads; PP %s", tp, pp, f.KVHeads, f.Heads, ppWhy(pp, pods))
			return laterLayout
		case tp <= f.KVHeads:
			c.Why = fmt.Sprintf("TP %d × PP %d: TP up to the %d KV heads, so the KV cache is not duplicated; TP divides the %d attention heads; PP %s", tp, pp, f.KVHeads, f.Heads, ppWhy(pp, pods))
			return firstLayout
		}
		return skipLayout
	})
}

// KVNote says that plain TP keeps an MLA model's latent KV on every rank.
func (sglang) KVNote(f *model.Facts, c Candidate) string {
	if c.DPAttention || f.MLA == nil || c.Layout.TP <= 1 {
		return ""
	}
	return fmt.Sprintf("; every one of the %d TP ranks holds the same latent KV (SGLang has no decode context parallelism)", c.Layout.TP)
}

// Parsers are SGLang's --tool-call-parser and --reasoning-parser.
func (sglang) Parsers(f *model.Facts, name string, task model.Task) Parsers {
	return sglangParsers(f, name, task)
}

// Batched: chartgen leaves --chunked-prefill-size to SGLang, whose default depends on the GPU's memory.
func (sglang) Batched(_ model.Task, _ int, vram int64, _ func(int) bool) Batched {
	return Batched{Tokens: DefaultBatchedTokens, Why: fmt.Sprintf("SGLang's default --chunked-prefill-size (%d on this GPU): the guide's %d is vLLM's --max-num-batched-tokens, and SGLang's own memory rule reserves 1.5 MiB per chunk token outside --mem-fraction-static, so a larger chunk costs KV cache", sglangDefaultChunk(vram), BatchedTokens)}
}

// Serving is SGLang's serving defaults: one HTTP server, and chunked prefill and the radix cache left on by
// default (the chart has no flag to turn them on).
func (sglang) Serving(ServingInput) Serving {
	return Serving{APIServers: 1,
		APIServersWhy: "1: SGLang has one HTTP server and tokenizer process (no --api-server-count); the chart counts 1 API server in the CPU formula",
		PrefillWhy:    "SGLang's default (chunked prefill is on; --chunked-prefill-size sets the chunk)",
		PrefixWhy:     "SGLang's default (the radix cache is on unless --disable-radix-cache)"}
}

// MultimodalWhy: SGLang has no processor cache the chart sizes.
func (sglang) MultimodalWhy() string { return "" }

// LoRA is SGLang's adapter-slot defaults and wording.
func (sglang) LoRA() LoRARules {
	return LoRARules{DefaultMaxLoras: SGLangDefaultMaxLoras, SlotsFlag: "--max-loras-per-batch", ExpertsNote: ", the experts a guess on the safe side for SGLang"}
}

// CheckLoRA refuses what SGLang refuses: CPU slots (it has none) and any speculative method but n-gram.
func (e sglang) CheckLoRA(_, _, cpuLoras int, specMethod string) error {
	if cpuLoras > 0 {
		return e.Supports(Simple(FeatureCPULoRA))
	}
	if specMethod != "" {
		return e.Supports(LoRAWithSpeculative(specMethod))
	}
	return nil
}

// SpecReserve is what SGLang v0.5.x adds to its reserve outside --mem-fraction-static for speculative decoding
// (server_args.py reserve_memory: 6 GiB for STANDALONE draft models, 2 GiB for EAGLE, EAGLE3 and NEXTN, nothing for
// NGRAM), in bytes.
func (sglang) SpecReserve(method string) int64 {
	switch method {
	case SpecDraft:
		return 6 * GiB
	case SpecMTP, SpecEagle, SpecEagle3:
		return 2 * GiB
	}
	return 0
}

// Supports says what SGLang v0.5.19 with the chart runs.
func (e sglang) Supports(ft Feature) error {
	switch ft.Kind {
	case FeatureMTP:
		if !slices.Contains(sglangMTPTypes, ft.Family) {
			return fmt.Errorf("%s %s has no MTP drafter for model_type %s (it has one for %v)", e.title(), e.Spec().DefaultRelease, ft.Family, sglangMTPTypes)
		}
	case FeatureLoRAWithSpeculative:
		if ft.Method != SpecNgram {
			return fmt.Errorf("SGLang %s runs LoRA only with n-gram speculative decoding (server_args.py), not %s: use --speculative-method ngram or --engine vllm", e.Spec().DefaultRelease, ft.Method)
		}
	case FeatureCPULoRA:
		return fmt.Errorf("LoRA adapter slots in CPU memory (max_cpu_loras) are a vLLM option; SGLang has none: use --engine vllm")
	case FeatureDCP:
		return fmt.Errorf("SGLang has no decode context parallelism; allowed with --engine sglang: 1")
	case FeatureOffload:
		return fmt.Errorf("weight and KV offload (vllm.cpuOffload, vllm.kvOffload) are vLLM options; SGLang has none in the chart")
	case FeatureMultimodalCache:
		return fmt.Errorf("the multimodal processor cache (vllm.multimodal) is a vLLM option; SGLang has none in the chart")
	case FeatureDisaggregation:
		return disaggregationRefused(e.title())
	}
	return nil
}

// sglangReserve is what a GPU keeps outside --mem-fraction-static. SGLang's own default (server_args.py,
// _handle_gpu_memory_settings) reserves, in MiB, 512 + 1.5 × max(chunked_prefill_size, 2048) + 2 × cuda_graph_max_bs
// + TP × PP / 8 × 1024 (+ 3 × cuda_graph_max_bs × dp with DP attention), at least 10 GiB on GPUs above 60 GB; the
// planner takes the larger of that and its own activation + runtime estimate plus CUDAGraphReserve, so neither the
// engine's rule nor the model's shape is undercut. The graph batch is max-running-requests (SGLang captures graphs
// up to it).
func sglangReserve(vram int64, l model.Layout, chunk, maxSeqs int, ovh int64, dpAttn bool) (int64, string) {
	tp, pp := max(1, l.TP), max(1, l.PP)
	mib := 512 + 1.5*float64(max(chunk, 2048)) + 2*float64(maxSeqs) + float64(tp*pp)/8*1024
	dpNote := ""
	if dpAttn {
		mib += 3 * float64(maxSeqs*tp)
		dpNote = fmt.Sprintf(" + 3 MiB × %d × DP %d", maxSeqs, tp)
	}
	floorNote := ""
	if vram > 60*1024*MiB && mib < 10*1024 {
		mib = 10 * 1024
		floorNote = ", raised to SGLang's 10 GiB floor for GPUs above 60 GB"
	}
	engine := int64(mib * MiB)
	ours := ovh + CUDAGraphReserve
	r := max(engine, ours)
	return r, fmt.Sprintf("the larger of SGLang's own default rule (512 MiB + 1.5 MiB × %d chunk tokens + 2 MiB × %d graph batch + TP %d × PP %d / 8 GiB%s%s = %.2f GiB; server_args.py _handle_gpu_memory_settings) and this planner's estimate (%.2f GiB of activations and runtime + %d GiB of CUDA graphs = %.2f GiB)",
		max(chunk, 2048), maxSeqs, tp, pp, dpNote, floorNote, float64(engine)/GiB, float64(ovh)/GiB, CUDAGraphReserve/GiB, float64(ours)/GiB)
}

// sglangDefaultChunk is SGLang's default --chunked-prefill-size by GPU memory (server_args.py,
// _handle_chunked_prefill_size): 2048 below 35 GiB, 8192 below 160 GiB, 16384 above. chartgen leaves the flag unset,
// so this is the chunk the engine runs with.
func sglangDefaultChunk(vram int64) int {
	switch {
	case vram < 35*GiB:
		return 2048
	case vram < 160*GiB:
		return 8192
	}
	return 16384
}

// attentionParamsPerLayer counts one attention layer's projection parameters (MLA: q_a/q_b or q, kv_a, kv_b, o and
// the DSA indexer; GQA/MHA: q, k, v, o).
func attentionParamsPerLayer(f *model.Facts) int64 {
	h, heads := int64(f.Hidden), int64(f.Heads)
	if m := f.MLA; m != nil {
		qk := int64(m.QKNopeHeadDim + m.QKRopeHeadDim)
		q := h * heads * qk
		if m.QLoraRank > 0 {
			q = h*int64(m.QLoraRank) + int64(m.QLoraRank)*heads*qk
		}
		kv := h*int64(m.KVLoraRank+m.QKRopeHeadDim) + int64(m.KVLoraRank)*heads*int64(m.QKNopeHeadDim+m.VHeadDim)
		o := heads * int64(m.VHeadDim) * h
		var idx int64
		if ix := f.Indexer; ix != nil {
			qin := h
			if m.QLoraRank > 0 {
				qin = int64(m.QLoraRank)
			}
			idx = qin*int64(ix.Heads*ix.HeadDim) + h*int64(ix.HeadDim) + h*int64(ix.Heads)
		}
		return q + kv + o + idx
	}
	d := int64(f.HeadDim)
	return h*(heads+2*int64(f.KVHeads))*d + heads*d*h
}

// DPAttentionExtra is the weight SGLang's DP attention (DP = TP, attention TP 1) adds on each GPU over plain TP: the
// attention projections of the stage's layers and the input embedding (VocabParallelEmbedding is not sharded under
// DP attention) are whole on every rank instead of 1/TP.
func DPAttentionExtra(f *model.Facts, embed int64, l model.Layout) int64 {
	tp, pp := max(1, l.TP), max(1, l.PP)
	if tp == 1 {
		return 0
	}
	bytes := int64(2)
	if FP8Block(f) {
		bytes = 1
	}
	layers := int64((f.Layers + pp - 1) / pp)
	whole := float64(attentionParamsPerLayer(f)*bytes*layers + embed)
	return int64(math.Ceil(whole * (1 - 1/float64(tp)) * TPWeightSlack))
}

func mlaDupWhy(tp int) string {
	if tp == 1 {
		return "at TP 1 nothing is duplicated"
	}
	return fmt.Sprintf("the latent KV is duplicated on all %d TP ranks", tp)
}

// ChooseDPAttention decides SGLang's --enable-dp-attention for the chosen layout. SGLang cannot shard an MLA
// model's latent KV across TP ranks (no decode context parallelism); DP attention (DP = TP inside the TP group) gives
// each rank its own requests and their KV instead, so the instance holds TP times the KV. It is used for MLA + MoE
// generation models (the guide: "--enable-dp-attention with --expert-parallel-size in SGLang" for MoE models) when
// the weights with replicated attention plus one full context still fit, and only without pipeline parallelism
// (SGLang's PP with DP attention crashes: github.com/sgl-project/sglang/issues/9805).
func (sglang) ChooseDPAttention(f *model.Facts, c Candidate, task model.Task, fits func(Candidate) bool) (Candidate, string) {
	if f.MLA == nil {
		return c, ""
	}
	no := func(why string) (Candidate, string) { return c, "not used: " + why }
	switch {
	case task != model.TaskGenerate:
		return no("an embedding model")
	case f.MoE == nil || f.MoE.Routed == 0:
		return no("SGLang's DP attention is meant for MoE models")
	case c.Layout.TP < 2:
		return no("TP 1 duplicates nothing")
	case c.Layout.PP > 1:
		return no(fmt.Sprintf("the layout needs pipeline parallelism (PP %d), and SGLang's PP with DP attention crashes (github.com/sgl-project/sglang/issues/9805); the latent KV stays duplicated on the %d TP ranks, so KV capacity is that of one GPU's budget", c.Layout.PP, c.Layout.TP))
	}
	d := c
	d.DPAttention = true
	if !fits(d) {
		return no(fmt.Sprintf("with the attention weights and the embedding whole on each of the %d ranks, one full context no longer fits", c.Layout.TP))
	}
	return d, fmt.Sprintf("DP attention, DP %d = TP %d: SGLang has no decode context parallelism, so plain TP keeps the same latent KV on all %d ranks; with --enable-dp-attention each rank runs attention for its own requests and keeps only their KV, so the instance holds %d× the KV (the guide: DP attention for MoE models). Attention weights and the embedding are replicated on every rank (counted in the weights per GPU); the MoE layers stay sharded. GPUs stay TP × PP = %d (DP runs inside the TP group)",
		c.Layout.TP, c.Layout.TP, c.Layout.TP, c.Layout.TP, c.Layout.TP*c.Layout.PP)
}

// sglangParsers picks SGLang's --tool-call-parser and --reasoning-parser by model family. SGLang's names differ
// from vLLM's; each one is a key of SGLang's registries: FunctionCallParser.ToolCallParserEnum in
// python/sglang/srt/function_call/function_call_parser.py (deepseekv3, deepseekv31, deepseekv32, glm45, glm47,
// gpt-oss, kimi_k2, llama3, mistral, qwen25, qwen3_coder, minimax-m2, ...) and ReasoningParser.DetectorMap in
// python/sglang/srt/parser/reasoning_parser.py (deepseek-r1, deepseek-v3, glm45, gpt-oss, kimi_k2, qwen3,
// qwen3-thinking, minimax, ...); per-model choices follow docs.sglang.io (advanced_features/tool_parser,
// advanced_features/separate_reasoning, the model cookbooks).
func sglangParsers(f *model.Facts, name string, task model.Task) Parsers {
	v := parsersFor(f, name, task)
	if v.Tool == "" && v.Reasoning == "" {
		return v // embedding, base checkpoint or unknown family: the same reason
	}
	thinking := strings.Contains(strings.ToLower(name), "thinking")
	switch f.Family() {
	case "minimax_m2":
		return Parsers{"minimax-m2", "minimax", "MiniMax-M2 family in SGLang: minimax-m2 tool calls; the minimax reasoning parser treats everything before </think> as reasoning (the model emits no opening <think>), like vLLM's minimax_m2"}
	case "qwen3", "qwen3_moe", "qwen3_next":
		if thinking {
			return Parsers{"qwen25", "qwen3-thinking", "Qwen3 Thinking in SGLang: qwen25 tool calls (Hermes-style <tool_call> JSON) and qwen3-thinking, which expects reasoning from the first token (the chat template opens <think>)"}
		}
		return Parsers{"qwen25", "qwen3", "Qwen3 in SGLang: qwen25 tool calls (Hermes-style <tool_call> JSON) and the qwen3 reasoning parser (enable_thinking switch)"}
	case "qwen3_vl", "qwen3_vl_moe":
		if thinking {
			return Parsers{"qwen25", "qwen3-thinking", "Qwen3-VL Thinking in SGLang: qwen25 tool calls, qwen3-thinking reasoning"}
		}
		return Parsers{"qwen25", "", "Qwen3-VL Instruct in SGLang: qwen25 tool calls; a non-thinking release, so no reasoning parser"}
	case "qwen3_5", "qwen3_5_moe":
		return Parsers{"qwen3_coder", "qwen3", "Qwen3.5 in SGLang: XML tool calls (qwen3_coder) and qwen3 reasoning, as SGLang's Qwen3.5 cookbook"}
	case "deepseek_v32":
		return Parsers{"deepseekv32", "deepseek-v3", "DeepSeek-V3.2 in SGLang: DSML tool calls (deepseekv32) and the deepseek-v3 reasoning parser (thinking via the thinking chat-template parameter)"}
	case "deepseek_v3", "deepseek_v2":
		switch v.Tool {
		case "deepseek_v31":
			return Parsers{"deepseekv31", "deepseek-v3", "DeepSeek-V3.1 in SGLang: deepseekv31 tool calls, deepseek-v3 reasoning"}
		}
		if v.Reasoning == "deepseek_r1" {
			return Parsers{"deepseekv3", "deepseek-r1", "DeepSeek-R1 in SGLang: deepseekv3 tool calls, deepseek-r1 reasoning"}
		}
		return Parsers{"deepseekv3", "", "DeepSeek-V3 in SGLang: deepseekv3 tool calls; no reasoning"}
	case "kimi_k2":
		if v.Reasoning != "" {
			return Parsers{"kimi_k2", "kimi_k2", "Kimi-K2 Thinking in SGLang: kimi_k2 for both"}
		}
		return Parsers{"kimi_k2", "", "Kimi-K2 Instruct in SGLang: kimi_k2 tool calls; a non-thinking release, so no reasoning parser"}
	case "glm_moe_dsa":
		return Parsers{"glm47", "glm45", "GLM-5 in SGLang: the GLM-4.7 tool-call format (glm47) and the glm45 reasoning parser"}
	case "glm4_moe":
		if v.Tool == "glm47" {
			return Parsers{"glm47", "glm45", "GLM-4.7 in SGLang: glm47 tool calls, glm45 reasoning"}
		}
		return Parsers{"glm45", "glm45", "GLM-4.5/4.6 in SGLang: glm45 for both"}
	case "gpt_oss":
		return Parsers{"gpt-oss", "gpt-oss", "gpt-oss in SGLang: the harmony format (gpt-oss for both)"}
	case "llama":
		return Parsers{"llama3", "", "Llama 3.x Instruct in SGLang: llama3 tool calls; no reasoning"}
	case "mistral", "mixtral":
		return Parsers{"mistral", "", "Mistral / Mixtral Instruct in SGLang: mistral tool calls; no reasoning"}
	}
	return Parsers{Reason: "no known SGLang parser for model family " + quote(f.Family()) + ": set serving.toolCallParser / reasoningParser by hand from the model card"}
}
