package plan

import (
	"github.com/llm-charts/llm-charts/internal/engine"
	"github.com/llm-charts/llm-charts/internal/model"
)

// Parsers are an engine's --tool-call-parser and --reasoning-parser for a model, with the reason
// (engine.Planner.Parsers picks them).
type Parsers = engine.Parsers

// trustRemoteCode: families whose Hub repositories ship their own modeling/tokenizer code (auto_map), which vLLM's
// config and tokenizer loading need; the guide's MiniMax-M2.5 deployment passes --trust-remote-code.
func trustRemoteCode(f *model.Facts) (bool, string) {
	switch f.Family() {
	case "minimax_m2", "kimi_k2", "deepseek_v32", "nemotron_h":
		return true, "the " + f.Family() + " repository ships its own code (auto_map); the guide's MiniMax deployment passes --trust-remote-code"
	}
	return false, ""
}
