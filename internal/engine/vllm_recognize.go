package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/llm-charts/llm-charts/internal/flagtable"
)

// vllmLegacyEntry is the OpenAI server's module entry point, which older manifests run instead of `vllm serve`.
var vllmLegacyEntry = []string{"python3", "-m", "vllm.entrypoints.openai.api_server"}

func (v vllm) EntryPoint(argv []string) (int, string) {
	if n := entryPoint(argv, v.Spec().Entrypoint); n > 0 {
		return n, ""
	}
	if n := entryPoint(argv, vllmLegacyEntry); n > 0 {
		return n, "the engine command python3 -m vllm.entrypoints.openai.api_server becomes `vllm serve MODEL`: that entry point acts on --api-server-count and --headless, which the old one parses and ignores"
	}
	return 0, ""
}

func (v vllm) Mentions(line string) bool {
	return strings.Contains(line, strings.Join(v.Spec().Entrypoint, " ")) || strings.Contains(line, vllmLegacyEntry[2])
}

func (vllm) PositionalModel() bool { return true }

// FlagName reads a flag as vLLM's FlexibleArgumentParser (vllm/utils/argparse_utils.py) does: `_` is `-` in every
// flag name up to a `.`; then its short aliases (arg_utils.py).
func (v vllm) FlagName(written string) (string, bool) {
	name, rewritten := written, false
	if strings.HasPrefix(name, "--") && strings.Contains(name, "_") {
		head, tail, dotted := strings.Cut(name[2:], ".")
		name = "--" + strings.ReplaceAll(head, "_", "-")
		if dotted {
			name += "." + tail
		}
		rewritten = true
	}
	return v.Spec().alias(name), rewritten
}

func (vllm) RewriteNote(written []string) string {
	return fmt.Sprintf("engine flags written with underscores (%s): vLLM's parser reads _ and - alike (FlexibleArgumentParser), so they were mapped under their - names", strings.Join(written, " "))
}

func (vllm) UnknownFlagHint(string, *flagtable.Table) string { return "" }

// APIKeyFlag: vllm/entrypoints/openai/cli_args.py --api-key; the chart passes the key as VLLM_API_KEY instead,
// which vllm/envs.py reads as the key the server requires.
func (vllm) APIKeyFlag() string      { return "--api-key" }
func (v vllm) APIKeyFromEnv() string { return v.Spec().APIKeyEnv }

// vllmRuntimeLoRAEnv is the variable without which vLLM serves no /v1/load_lora_adapter (vllm/envs.py
// VLLM_ALLOW_RUNTIME_LORA_UPDATING: "1" or "true", any case); the chart sets it with lora.runtimeUpdates.
const vllmRuntimeLoRAEnv = "VLLM_ALLOW_RUNTIME_LORA_UPDATING"

func (vllm) RuntimeLoRA(env map[string]string) (bool, string) {
	switch strings.ToLower(strings.TrimSpace(env[vllmRuntimeLoRAEnv])) {
	case "1", "true":
		return true, ""
	}
	return false, "no --lora-modules, and without " + vllmRuntimeLoRAEnv + " vLLM loads no adapter at run time; the chart renders the LoRA flags only with lora.adapters or lora.runtimeUpdates"
}

func (v vllm) ReadLogic(row KeyRow, vals []string, all map[string][]string) (Reading, bool) {
	switch row.Logic {
	case "task":
		// The chart renders model.task embed as --runner pooling --convert embed (and nothing else).
		if strings.Join(all["--runner"], " ") == "pooling" && strings.Join(all["--convert"], " ") == "embed" {
			return Reading{Settings: []Setting{{Key: "model.task", Value: "embed"}}}, true
		}
		return refuse("only --runner pooling with --convert embed maps (model.task: embed)"), true
	case "speculative":
		return vllmSpeculative(vals), true
	}
	return Reading{}, false
}

// vllmSpecMethods maps each --speculative-config method the chart renders back to its speculative.method: the
// reverse of the spec row's map (specs/vllm.yaml), which the chart reads too.
func vllmSpecMethods() map[string]string {
	r, _ := mustSpec(VLLM).Row("--speculative-config")
	out := make(map[string]string, len(r.Map))
	for method, name := range r.Map {
		out[name] = method
	}
	return out
}

// vllmSpecKeys are the --speculative-config keys the chart renders, and the values key of each.
var vllmSpecKeys = []struct {
	json, key string
	number    bool
}{
	{"method", "speculative.method", false},
	{"num_speculative_tokens", "speculative.numSpeculativeTokens", true},
	{"model", "speculative.draftModel", false},
	{"revision", "speculative.draftRevision", false},
	{"draft_tensor_parallel_size", "vllm.speculativeDraftTensorParallelSize", true},
}

// vllmSpeculative reads --speculative-config back into speculative.* when it holds only what the chart renders.
func vllmSpeculative(vals []string) Reading {
	v, single := one(vals)
	dec := json.NewDecoder(bytes.NewReader([]byte(v)))
	dec.UseNumber()
	var c map[string]any
	if err := dec.Decode(&c); err != nil || !single {
		return refuse("not a JSON object")
	}
	var other []string
	known := map[string]string{}
	for _, k := range vllmSpecKeys {
		known[k.json] = k.key
	}
	for k := range c {
		if known[k] == "" {
			other = append(other, k)
		}
	}
	if len(other) > 0 {
		sort.Strings(other)
		return refuse(fmt.Sprintf("the chart renders only method, num_speculative_tokens, model, revision and draft_tensor_parallel_size (speculative.*), not %s", strings.Join(other, ", ")))
	}
	methods := vllmSpecMethods()
	method, ok := methods[fmt.Sprint(c["method"])]
	if !ok {
		names := slices.Sorted(maps.Keys(methods))
		return refuse(fmt.Sprintf("method %v: the chart renders %s (speculative.method)", c["method"], strings.Join(names, ", ")))
	}
	r := Reading{Settings: []Setting{{Key: "speculative.method", Value: method}}}
	for _, k := range vllmSpecKeys[1:] {
		x, set := c[k.json]
		if !set {
			continue
		}
		n, isNum := x.(json.Number)
		s, isStr := x.(string)
		i, err := n.Int64()
		switch {
		case k.number && (!isNum || err != nil || i < 1):
			return refuse(fmt.Sprintf("%s %v is not a positive integer", k.json, x))
		case k.number:
			r.Settings = append(r.Settings, Setting{Key: k.key, Value: int(i)})
		case !isStr || s == "":
			return refuse(fmt.Sprintf("%s %v is not a string", k.json, x))
		default:
			r.Settings = append(r.Settings, Setting{Key: k.key, Value: s})
		}
	}
	if _, set := c["num_speculative_tokens"]; !set {
		return refuse("no num_speculative_tokens: the chart needs speculative.numSpeculativeTokens")
	}
	return r
}
