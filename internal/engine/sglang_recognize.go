package engine

import (
	"strings"

	"github.com/llm-charts/llm-charts/internal/flagtable"
)

func (g sglang) EntryPoint(argv []string) (int, string) {
	return entryPoint(argv, g.Spec().Entrypoint), ""
}

// Mentions looks for the server module (python3 -m sglang.launch_server).
func (g sglang) Mentions(line string) bool {
	e := g.Spec().Entrypoint
	return strings.Contains(line, e[len(e)-1])
}

func (sglang) PositionalModel() bool { return false }

// FlagName: SGLang's plain argparse.ArgumentParser (server_args.py prepare_server_args) reads names as written; only
// its other names and abbreviations (Spec.Aliases) resolve.
func (g sglang) FlagName(written string) (string, bool) { return g.Spec().alias(written), false }

func (sglang) RewriteNote([]string) string { return "" }

// UnknownFlagHint tells a SGLang user that an underscore flag name is the likely cause.
func (sglang) UnknownFlagHint(name string, tab *flagtable.Table) string {
	if !strings.Contains(name, "_") {
		return ""
	}
	dashed := "--" + strings.ReplaceAll(strings.TrimPrefix(name, "--"), "_", "-")
	if _, ok := tab.Lookup(dashed); ok {
		return "; SGLang's parser (plain argparse) does not read _ as -, so the old pod would have refused it too: did you mean " + dashed + "?"
	}
	return ""
}

// APIKeyFlag is the row the chart renders credentials.apiKey to; SGLang reads no variable for it (server_args.py
// api_key is only a flag).
func (g sglang) APIKeyFlag() string {
	for _, r := range g.Spec().Keys {
		if r.Logic == "apiKey" {
			return r.Flag
		}
	}
	return ""
}

func (sglang) APIKeyFromEnv() string { return "" }

// RuntimeLoRA: with --enable-lora SGLang serves /load_lora_adapter (server_args.py "LoRA" group).
func (sglang) RuntimeLoRA(map[string]string) (bool, string) { return true, "" }

// ReadLogic reads SGLang's speculative flags where NGRAM differs: the chart renders it no --speculative-num-steps
// and no --speculative-eagle-topk (llm-model.speculativeArgs), and a chain of numSpeculativeTokens = draft tokens -
// 1 by default.
func (g sglang) ReadLogic(row KeyRow, vals []string, all map[string][]string) (Reading, bool) {
	algo, _ := g.Spec().Row("--speculative-algorithm")
	ngram := row.Logic == "speculative" && algo.Reverse(strings.Join(all[algo.Flag], " ")) == "ngram"
	if !ngram {
		return Reading{}, false
	}
	switch row.Key {
	case "speculative.numSpeculativeTokens", "sglang.speculativeEagleTopk":
		return refuse("the chart renders it only with the EAGLE-style algorithms, not NGRAM"), true
	case "sglang.speculativeNumDraftTokens":
		n, ok := atoi(vals)
		if !ok || n < 2 {
			return refuse("not an integer of at least 2"), true
		}
		return Reading{Settings: []Setting{
			{Key: "speculative.numSpeculativeTokens", Value: n - 1},
			{Key: row.Key, Value: n},
		}}, true
	}
	return Reading{}, false
}
