package flagtable

import (
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// help is argparse-shaped help text written for this test (the layout argparse prints, made-up flags).
const help = `usage: engine serve [model_tag] [options]

options:
  -h, --help            show this help message and exit
  --headless            Run without an API server. (default: False)

Frontend:
  Arguments for the frontend.

  --port PORT           Port number. (default: 8000)
  --enable-auto-tool-choice, --no-enable-auto-tool-choice
                        Enable auto tool choice. (default: False)
  --tool-call-parser {hermes,mistral} or name registered in --tool-parser-plugin
                        Tool parser.
  --api-key API_KEY [API_KEY ...]
                        Keys.

ParallelConfig:
  --tensor-parallel-size TENSOR_PARALLEL_SIZE, -tp TENSOR_PARALLEL_SIZE
                        TP. (default: 1)
  --api-server-count API_SERVER_COUNT, -asc API_SERVER_COUNT
                        API servers.

CacheConfig:
  --kv-cache-dtype {auto,fp8}
                        KV dtype. (default: auto)
  --reasoning-parser {qwen3,deepseek_r1}
                        Reasoning parser.
  --brand-new-flag BRAND_NEW_FLAG
                        New in this release.
`

func TestFromHelp(t *testing.T) {
	prev, _ := Lookup("vllm", "v0.19.0")
	tab, err := FromHelp("vllm", "v0.99.0", prev.Entrypoint, Collected{Help: []byte(help), Env: []string{"VLLM_A", " ", "VLLM_B"}},
		prev, []string{"Frontend"}, []string{"--api-server-count"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Flag{
		"--headless":                {Default: "False", Source: "--help, group options"},
		"--port":                    {Value: Int, Frontend: true, Default: "8000", Source: "--help, group Frontend"},
		"--enable-auto-tool-choice": {Negatable: true, Frontend: true, Default: "False", Source: "--help, group Frontend"},
		"--tool-call-parser":        {Value: String, Parsers: "tool", Frontend: true, Source: "--help, group Frontend"},
		"--api-key":                 {Value: List, Frontend: true, Source: "--help, group Frontend"},
		"--tensor-parallel-size":    {Value: Int, Default: "1", Source: "--help, group ParallelConfig"},
		"--api-server-count":        {Value: Int, Frontend: true, Source: "--help, group ParallelConfig"},
		"--kv-cache-dtype":          {Value: String, Choices: []string{"auto", "fp8"}, Default: "auto", Source: "--help, group CacheConfig"},
		"--reasoning-parser":        {Value: String, Parsers: "reasoning", Source: "--help, group CacheConfig"},
		"--brand-new-flag":          {Value: String, Source: "--help, group CacheConfig"},
	}
	got, _ := yaml.Marshal(tab.Flags)
	exp, _ := yaml.Marshal(want)
	if string(got) != string(exp) {
		t.Errorf("flags:\n%s\nwant:\n%s", got, exp)
	}
	if strings.Join(tab.ToolCallParsers, ",") != "hermes,mistral" || strings.Join(tab.ReasoningParsers, ",") != "deepseek_r1,qwen3" {
		t.Errorf("parsers %v %v", tab.ToolCallParsers, tab.ReasoningParsers)
	}
	if len(tab.Env) != 2 || tab.Positional != "model" || tab.Paths["health"] != "/health" || len(tab.Metrics) == 0 {
		t.Errorf("env %v, positional %q", tab.Env, tab.Positional)
	}
	if p := tab.CheckArgs([]string{"m", "--port", "1", "--no-enable-auto-tool-choice", "--tool-call-parser", "hermes"}); p != nil {
		t.Errorf("problems %q", p)
	}
	if _, err := FromHelp("vllm", "v0.99.0", nil, Collected{Help: []byte("usage: x\n")}, nil, nil, nil); err == nil {
		t.Error("help text without flags accepted")
	}
}
