package plan

import (
	"fmt"
	"math"
	"strings"

	"github.com/llm-charts/llm-charts/internal/model"
)

// fit is one candidate layout checked against one context length.
type fit struct {
	ok           bool
	wpg, ovh     int64 // weights and (vLLM: inside the fraction) activations + runtime per GPU
	budget, need int64 // KV budget and one context's KV per GPU
	reserved     int64 // SGLang: what stays outside --mem-fraction-static
	reserveWhy   string
	util         float64 // the fraction used (vLLM's gpu-memory-utilization, SGLang's mem-fraction-static)
	b            *Budget
	why          string // why it does not hold (empty when ok)
}

// SGLangKVDTypes are the --kv-cache-dtype values the llm-model chart maps to SGLang (bfloat16 becomes bf16).
var SGLangKVDTypes = []string{"auto", "bfloat16", "fp8", "fp8_e4m3", "fp8_e5m2"}

// SGLangKVDType checks a KV cache dtype for SGLang.
func SGLangKVDType(d string) error {
	if d == "" {
		return nil
	}
	for _, x := range SGLangKVDTypes {
		if d == x {
			return nil
		}
	}
	return fmt.Errorf("kv cache dtype %q has no SGLang equivalent; allowed with --engine sglang: %s", d, strings.Join(SGLangKVDTypes, ", "))
}

// MiB is 2^20 bytes.
const MiB = 1 << 20

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

// sglangFraction is (VRAM - reserved) / VRAM rounded down to 0.01, at most MaxUtilization.
func sglangFraction(vram, reserved int64) float64 {
	u := float64(vram-reserved) / float64(vram)
	u = math.Floor(u*100+1e-9) / 100
	return math.Max(0, math.Min(MaxUtilization, u))
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

// dpAttentionExtra is the weight SGLang's DP attention (DP = TP, attention TP 1) adds on each GPU over plain TP: the
// attention projections of the stage's layers and the input embedding (VocabParallelEmbedding is not sharded under
// DP attention) are whole on every rank instead of 1/TP.
func dpAttentionExtra(f *model.Facts, embed int64, l model.Layout) int64 {
	tp, pp := max(1, l.TP), max(1, l.PP)
	if tp == 1 {
		return 0
	}
	bytes := int64(2)
	if fp8Block(f) {
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

// chooseDPAttention decides SGLang's --enable-dp-attention for the chosen layout. SGLang cannot shard an MLA
// model's latent KV across TP ranks (no decode context parallelism); DP attention (DP = TP inside the TP group) gives
// each rank its own requests and their KV instead, so the instance holds TP times the KV. It is used for MLA + MoE
// generation models (the guide: "--enable-dp-attention with --expert-parallel-size in SGLang" for MoE models) when
// the weights with replicated attention plus one full context still fit, and only without pipeline parallelism
// (SGLang's PP with DP attention crashes: github.com/sgl-project/sglang/issues/9805).
func (p *Plan) chooseDPAttention(f *model.Facts, c candidate, task model.Task, fits func(candidate) bool) candidate {
	if f.MLA == nil {
		return c
	}
	no := func(why string) candidate {
		p.Reasons[ReasonDPAttention] = "not used: " + why
		return c
	}
	switch {
	case task != model.TaskGenerate:
		return no("an embedding model")
	case f.MoE == nil || f.MoE.Routed == 0:
		return no("SGLang's DP attention is meant for MoE models")
	case c.l.TP < 2:
		return no("TP 1 duplicates nothing")
	case c.l.PP > 1:
		return no(fmt.Sprintf("the layout needs pipeline parallelism (PP %d), and SGLang's PP with DP attention crashes (github.com/sgl-project/sglang/issues/9805); the latent KV stays duplicated on the %d TP ranks, so KV capacity is that of one GPU's budget", c.l.PP, c.l.TP))
	}
	d := c
	d.dpAttn = true
	if !fits(d) {
		return no(fmt.Sprintf("with the attention weights and the embedding whole on each of the %d ranks, one full context no longer fits", c.l.TP))
	}
	p.DPAttention, p.DP = true, c.l.TP
	p.Reasons[ReasonDPAttention] = fmt.Sprintf("DP attention, DP %d = TP %d: SGLang has no decode context parallelism, so plain TP keeps the same latent KV on all %d ranks; with --enable-dp-attention each rank runs attention for its own requests and keeps only their KV, so the instance holds %d× the KV (the guide: DP attention for MoE models). Attention weights and the embedding are replicated on every rank (counted in the weights per GPU); the MoE layers stay sharded. GPUs stay TP × PP = %d (DP runs inside the TP group)",
		p.DP, c.l.TP, c.l.TP, c.l.TP, c.l.TP*c.l.PP)
	return d
}

// sglangParsersFor picks SGLang's --tool-call-parser and --reasoning-parser by model family. SGLang's names differ
// from vLLM's; each one is a key of SGLang's registries: FunctionCallParser.ToolCallParserEnum in
// python/sglang/srt/function_call/function_call_parser.py (deepseekv3, deepseekv31, deepseekv32, glm45, glm47,
// gpt-oss, kimi_k2, llama3, mistral, qwen25, qwen3_coder, minimax-m2, ...) and ReasoningParser.DetectorMap in
// python/sglang/srt/parser/reasoning_parser.py (deepseek-r1, deepseek-v3, glm45, gpt-oss, kimi_k2, qwen3,
// qwen3-thinking, minimax, ...); per-model choices follow docs.sglang.io (advanced_features/tool_parser,
// advanced_features/separate_reasoning, the model cookbooks).
func sglangParsersFor(f *model.Facts, name string, task model.Task) Parsers {
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
