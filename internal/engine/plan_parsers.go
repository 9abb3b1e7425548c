package engine

import (
	"strings"

	"github.com/llm-charts/llm-charts/internal/model"
)

// Parsers are vLLM's --tool-call-parser and --reasoning-parser for a model, with the reason.
type Parsers struct {
	Tool      string `json:"toolCallParser,omitempty"`
	Reasoning string `json:"reasoningParser,omitempty"`
	Reason    string `json:"reason"`
}

// parsersFor picks vLLM's parsers by model family and name (SGLang's table starts from its verdict). Sources: vLLM's tool-calling and reasoning-outputs docs
// (docs.vllm.ai/en/stable/features/tool_calling, .../reasoning_outputs: qwen3, deepseek_r1, deepseek_v3, glm45,
// minimax_m2, openai_gptoss), the vLLM parser modules (vllm/tool_parsers, vllm/parser: hermes, llama3_json, mistral,
// kimi_k2, deepseek_v3/v31/v32, glm47, qwen3_coder, openai, minimax_m2) and the guide's MiniMax-M2.5 deployment.
// Base (pre-trained, not chat-tuned) checkpoints get none: they have no chat template to call tools with.
func parsersFor(f *model.Facts, name string, task model.Task) Parsers {
	if task == model.TaskEmbed || f.Embedding {
		return Parsers{Reason: "embedding model: no tool-call or reasoning parser (the chart forbids them with task embed)"}
	}
	n := strings.ToLower(name)
	has := func(s ...string) bool {
		for _, x := range s {
			if strings.Contains(n, x) {
				return true
			}
		}
		return false
	}
	base := has("-base", "_base") || (!has("instruct", "-it", "chat", "thinking") && (f.Family() == "llama" || f.Family() == "mistral" || f.Family() == "mixtral"))
	if base {
		return Parsers{Reason: "a base (pre-trained) checkpoint: no chat template, so no tool-call or reasoning parser"}
	}
	switch f.Family() {
	case "minimax_m2":
		return Parsers{"minimax_m2", "minimax_m2", "MiniMax-M2 family: the guide's deployment uses minimax_m2 for both (vLLM also has minimax_m2_append_think to keep <think> in the content)"}
	case "qwen3", "qwen3_moe":
		return Parsers{"hermes", "qwen3", "Qwen3: Hermes-style <tool_call> JSON (hermes) and <think> reasoning (qwen3), per vLLM's docs"}
	case "qwen3_next":
		return Parsers{"hermes", "qwen3", "Qwen3-Next: hermes tool calls and the qwen3 reasoning parser (it also accepts output without the opening <think> of the Thinking releases)"}
	case "qwen3_vl", "qwen3_vl_moe":
		if has("thinking") {
			return Parsers{"hermes", "qwen3", "Qwen3-VL Thinking: hermes tool calls, qwen3 reasoning"}
		}
		return Parsers{"hermes", "", "Qwen3-VL Instruct: hermes tool calls; a non-thinking release, so no reasoning parser"}
	case "qwen3_5", "qwen3_5_moe":
		return Parsers{"qwen3_coder", "qwen3", "Qwen3.5: XML tool calls (qwen3_coder) and qwen3 reasoning, as the model card's vLLM recipe"}
	case "deepseek_v32":
		return Parsers{"deepseek_v32", "deepseek_v3", "DeepSeek-V3.2: DSML tool calls (deepseek_v32) and the deepseek_v3 reasoning parser (thinking via chat_template_kwargs)"}
	case "deepseek_v3", "deepseek_v2":
		switch {
		case has("r1"):
			return Parsers{"deepseek_v3", "deepseek_r1", "DeepSeek-R1: deepseek_v3 tool calls, deepseek_r1 reasoning"}
		case has("v3.1", "v3_1", "terminus"):
			return Parsers{"deepseek_v31", "deepseek_v3", "DeepSeek-V3.1: deepseek_v31 tool calls, deepseek_v3 reasoning"}
		}
		return Parsers{"deepseek_v3", "", "DeepSeek-V3: deepseek_v3 tool calls; no reasoning"}
	case "kimi_k2":
		if has("thinking") {
			return Parsers{"kimi_k2", "kimi_k2", "Kimi-K2 Thinking: kimi_k2 for both"}
		}
		return Parsers{"kimi_k2", "", "Kimi-K2 Instruct: kimi_k2 tool calls; a non-thinking release, so no reasoning parser"}
	case "glm_moe_dsa":
		return Parsers{"glm47", "glm45", "GLM-5: the GLM-4.7 tool-call format (glm47) and the glm45 reasoning parser"}
	case "glm4_moe":
		if has("4.7") {
			return Parsers{"glm47", "glm45", "GLM-4.7: glm47 tool calls, glm45 reasoning"}
		}
		return Parsers{"glm45", "glm45", "GLM-4.5/4.6: glm45 for both"}
	case "gpt_oss":
		return Parsers{"openai", "openai_gptoss", "gpt-oss: the harmony format (openai tool parser, openai_gptoss reasoning)"}
	case "llama":
		return Parsers{"llama3_json", "", "Llama 3.x Instruct: llama3_json tool calls; no reasoning"}
	case "mistral", "mixtral":
		return Parsers{"mistral", "", "Mistral / Mixtral Instruct: mistral tool calls; no reasoning"}
	}
	return Parsers{Reason: "no known parser for model family " + quote(f.Family()) + ": set serving.toolCallParser / reasoningParser by hand from the model card"}
}

func quote(s string) string { return "\"" + s + "\"" }
