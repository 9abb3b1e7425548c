package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/llm-charts/llm-charts/internal/render"
	"github.com/llm-charts/llm-charts/internal/source"
)

var update = flag.Bool("update", false, "rewrite tests/cases/llm-model/chartgen-*.yaml from chartgen's current output")

// offlineHub fails like the Hub client does with HF_HUB_OFFLINE=1 and an empty cache.
type offlineHub struct{}

func (offlineHub) Load(_ context.Context, ref string) (*source.Metadata, error) {
	return nil, errors.New("HF_HUB_OFFLINE is set and " + ref + " is not in the cache")
}

func run(t testing.TB, args ...string) (string, string, error) {
	t.Helper()
	hubSource = func() source.Source { return offlineHub{} }
	var out, errOut bytes.Buffer
	err := Run(args, IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut})
	return out.String(), errOut.String(), err
}

// goldenCases are chartgen outputs committed as llm-model golden cases (rendered by tests/golden_test.go).
var goldenCases = []struct {
	file string
	args []string
}{
	{"chartgen-minimax-m2.5-a100.yaml", []string{"values", "--model", "MiniMaxAI/MiniMax-M2.5", "--gpu", "a100-80gb"}},
	{"chartgen-qwen3-8b-two-gpus.yaml", []string{"values", "--model", "Qwen/Qwen3-8B", "--gpu", "l4", "--gpu", "v100-32gb"}},
	{"chartgen-qwen3-8b-api-key.yaml", []string{"values", "--model", "Qwen/Qwen3-8B", "--gpu", "l4", "--api-key-secret", "qwen3-8b-api-key"}},
	{"chartgen-glm-5-fp8-a100-multinode.yaml", []string{"values", "--model", "zai-org/GLM-5-FP8", "--gpu", "a100-80gb"}},
	{"chartgen-qwen3-32b-sglang-a100.yaml", []string{"values", "--model", "Qwen/Qwen3-32B", "--gpu", "a100-80gb", "--engine", "sglang"}},
	{"chartgen-glm-5-fp8-sglang-a100.yaml", []string{"values", "--model", "zai-org/GLM-5-FP8", "--gpu", "a100-80gb", "--engine", "sglang"}},
	// The default objective (balanced) takes 4 GPUs at TP 4 where 3 at TP 1 × PP 3 would hold it.
	{"chartgen-llama-3.1-70b-a100.yaml", []string{"values", "--model", "meta-llama/Meta-Llama-3.1-70B", "--gpu", "a100-80gb"}},
	{"chartgen-glm-5-fp8-a100-shared-cache.yaml", []string{"values", "--model", "zai-org/GLM-5-FP8", "--gpu", "a100-80gb", "--download", "sharedCache"}},
	{"chartgen-glm-5-fp8-a100-lws.yaml", []string{"values", "--model", "zai-org/GLM-5-FP8", "--gpu", "a100-80gb", "--multi-node-mode", "leaderWorkerSet"}},
	{"chartgen-glm-5-fp8-sglang-a100-lws.yaml", []string{"values", "--model", "zai-org/GLM-5-FP8", "--gpu", "a100-80gb", "--engine", "sglang", "--multi-node-mode", "leaderWorkerSet"}},
	{"chartgen-glm-5-fp8-h200-mtp.yaml", []string{"values", "--model", "zai-org/GLM-5-FP8", "--gpu", "h200", "--speculative"}},
	{"chartgen-glm-5-fp8-sglang-h200-mtp.yaml", []string{"values", "--model", "zai-org/GLM-5-FP8", "--gpu", "h200", "--engine", "sglang", "--speculative"}},
	{"chartgen-qwen3-32b-draft-model.yaml", []string{"values", "--model", "Qwen/Qwen3-32B", "--gpu", "h100-80gb", "--speculative", "--draft-model", "Qwen/Qwen3-8B"}},
	{"chartgen-qwen3-8b-l4-lora.yaml", []string{"values", "--model", "Qwen/Qwen3-8B", "--gpu", "l4", "--max-loras", "4", "--lora-rank", "64"}},
	{"chartgen-mixtral-8x7b-sglang-h100-lora.yaml", []string{"values", "--model", "mistralai/Mixtral-8x7B-v0.1", "--gpu", "h100-80gb", "--engine", "sglang", "--lora-rank", "32"}},
}

// TestGoldenCasesCurrent fails when a committed chartgen case differs from what chartgen writes now
// (refresh: go test ./internal/cli -run TestGoldenCasesCurrent -update, then go test ./tests -run TestGolden -update).
func TestGoldenCasesCurrent(t *testing.T) {
	t.Setenv("HF_HUB_OFFLINE", "1")
	for _, c := range goldenCases {
		t.Run(c.file, func(t *testing.T) {
			out, _, err := run(t, c.args...)
			if err != nil {
				t.Fatal(err)
			}
			checkCurrent(t, filepath.Join("..", "..", "tests", "cases", "llm-model", c.file), out, "TestGoldenCasesCurrent")
		})
	}
}

// TestAcceptanceMiniMaxA100 is the "done when": offline, the guide's deployment, rendered through the chart.
func TestAcceptanceMiniMaxA100(t *testing.T) {
	t.Setenv("HF_HUB_OFFLINE", "1")
	dir := t.TempDir()
	file := filepath.Join(dir, "minimax.yaml")
	_, _, err := run(t, "values", "--model", "MiniMaxAI/MiniMax-M2.5", "--gpu", "a100-80gb", "-o", file)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	vals, err := render.ReadValues(data)
	if err != nil {
		t.Fatal(err)
	}
	ch, err := render.Load(filepath.Join("..", "..", "charts", "llm-model"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := render.Chart(ch, vals, render.Options{ReleaseName: "minimax", Namespace: "nrp-llm"})
	if err != nil {
		t.Fatalf("the values do not render: %v", err)
	}
	m := res.Manifest
	for _, want := range []string{
		"--tensor-parallel-size\n            - \"4\"", "--max-model-len\n            - \"196608\"", "--api-server-count\n            - \"8\"",
		"--max-num-batched-tokens\n            - \"16384\"", "--max-num-seqs\n            - \"128\"", "--gpu-memory-utilization\n            - \"0.95\"",
		"--tool-call-parser\n            - minimax_m2", "--reasoning-parser\n            - minimax_m2", "--trust-remote-code",
		"--enable-chunked-prefill", "--enable-prefix-caching",
		"cpu: \"14\"", "cpu: \"28\"", "memory: 180Gi", "memory: 360Gi", "nvidia.com/a100: \"4\"", "storage: 256Gi",
		"- \"80000\"", "value: large-gpu",
	} {
		if !strings.Contains(m, want) {
			t.Errorf("rendered manifest lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(m)
	}
}

func TestErrors(t *testing.T) {
	t.Setenv("HF_HUB_OFFLINE", "1")
	for _, c := range []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"no command", nil, 2, []string{"a command is required"}},
		{"unknown command", []string{"deploy"}, 2, []string{`unknown command "deploy"`, "values"}},
		{"bad flag", []string{"values", "--modle", "x"}, 2, []string{"unknown flag: --modle", "chartgen values --help"}},
		{"no model", []string{"values", "--gpu", "l4"}, 2, []string{"--model is required"}},
		{"bad multi-node mode", []string{"values", "--model", "zai-org/GLM-5-FP8", "--multi-node-mode", "lws"}, 2, []string{`--multi-node-mode "lws"`, "allowed: statefulset, leaderWorkerSet"}},
		{"API key Secret name", []string{"values", "--model", "Qwen/Qwen3-8B", "--api-key-secret", "My_Key"}, 2, []string{`--api-key-secret: "My_Key" is not a Secret name`, "NAME:KEY"}},
		{"API key Secret key", []string{"values", "--model", "Qwen/Qwen3-8B", "--api-key-secret", "my-key:a b"}, 2, []string{`"a b" is not a Secret key`}},
		{"API key pasted for its Secret", []string{"values", "--model", "Qwen/Qwen3-8B", "--api-key-secret", "sk-proj-abcdefghijklmnopqrstuvwxyz0123"}, 2, []string{"looks like a credential itself (OpenAI-style API key; not printed)"}},
		{"empty GPU", []string{"values", "--model", "Qwen/Qwen3-8B", "--gpu", ""}, 2, []string{"--gpu", "empty value"}},
		{"empty GPU in a list", []string{"values", "--model", "Qwen/Qwen3-8B", "--gpu", "l4,"}, 2, []string{"empty value"}},
		{"unknown GPU", []string{"values", "--model", "Qwen/Qwen3-8B", "--gpu", "b200", "--gpu", "h300"}, 2, []string{`"b200", "h300"`, "allowed: a100-80gb"}},
		{"unknown model", []string{"values", "--model", "acme/Nope-1B"}, 1, []string{"not in the embedded catalog", "HF_HUB_OFFLINE", "--config"}},
		{"not an id", []string{"values", "--model", "nope"}, 1, []string{"not a Hugging Face id", "chartgen models"}},
		{"does not fit anywhere", []string{"values", "--model", "moonshotai/Kimi-K2-Instruct", "--gpu", "a10"}, 1, []string{"does not fit", "h200 (8 GPUs)", "a100-80gb (2 pods × 8 GPUs)"}},
		{"bad engine and context", []string{"values", "--model", "Qwen/Qwen3-8B", "--engine", "tgi", "--context", "-5"}, 2, []string{`--engine "tgi"`, "allowed: vllm, sglang", "--context -5"}},
		{"unknown engine", []string{"values", "--model", "Qwen/Qwen3-8B", "--engine", "SGLang"}, 2, []string{`--engine "SGLang" is not supported; allowed: vllm, sglang`}},
		{"unknown engine in explain", []string{"explain", "--model", "Qwen/Qwen3-8B", "--engine", "trtllm"}, 2, []string{"allowed: vllm, sglang"}},
		{"vLLM-only KV dtype with sglang", []string{"values", "--model", "Qwen/Qwen3-8B", "--engine", "sglang", "--kv-cache-dtype", "float16"}, 2, []string{`"float16" has no SGLang equivalent`, "auto, bfloat16, fp8, fp8_e4m3, fp8_e5m2"}},
		{"context over the model's", []string{"values", "--model", "Qwen/Qwen3-8B", "--context", "1000000"}, 1, []string{"RoPE"}},
		{"bad task", []string{"values", "--model", "Qwen/Qwen3-8B", "--task", "chat"}, 2, []string{`--task "chat"`}},
		{"bad kv dtype", []string{"values", "--model", "Qwen/Qwen3-8B", "--kv-cache-dtype", "int3"}, 2, []string{"--kv-cache-dtype: kv cache dtype \"int3\" is not supported", "allowed: auto"}},
		{"bad output format", []string{"explain", "--model", "Qwen/Qwen3-8B", "-o", "xml"}, 2, []string{"allowed: table, json, yaml"}},
		{"missing config", []string{"values", "--model", "a/b", "--config", "/nonexistent/config.json"}, 1, []string{"config file"}},
		{"missing gpu catalog", []string{"gpus", "--gpu-catalog", "/nonexistent.yaml"}, 1, []string{"GPU catalog"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := run(t, c.args...)
			if got := ExitCode(err); got != c.code {
				t.Fatalf("exit code %d, want %d (err: %v)", got, c.code, err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// TestNoPartialFile: a failing run leaves neither the target nor a temporary file, and keeps an old file intact.
func TestNoPartialFile(t *testing.T) {
	t.Setenv("HF_HUB_OFFLINE", "1")
	dir := t.TempDir()
	file := filepath.Join(dir, "out.yaml")
	if _, _, err := run(t, "values", "--model", "zai-org/GLM-5-FP8", "--gpu", "a10", "-o", file); err == nil {
		t.Fatal("expected an error")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("files left after a failed run: %v", entries)
	}
	if err := os.WriteFile(file, []byte("old: true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, "values", "--model", "moonshotai/Kimi-K2-Instruct", "--gpu", "a10", "-o", file); err == nil {
		t.Fatal("expected an error")
	}
	if b, _ := os.ReadFile(file); string(b) != "old: true\n" {
		t.Errorf("old file changed: %q", b)
	}
	if _, _, err := run(t, "values", "--model", "Qwen/Qwen3-8B", "--gpu", "l4", "-o", filepath.Join(dir, "missing", "x.yaml")); err == nil || ExitCode(err) != 1 {
		t.Errorf("writing into a missing directory: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("files left: %v", entries)
	}
}

func TestListAndExplain(t *testing.T) {
	t.Setenv("HF_HUB_OFFLINE", "1")
	out, _, err := run(t, "explain", "--model", "MiniMaxAI/MiniMax-M2.5")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "GPU") || !regexp.MustCompile(`(?m)^a100-80gb +4 +4/1/1 `).MatchString(out) || strings.Count(out, "\n") != 18 {
		t.Errorf("explain table:\n%s", out)
	}
	out, _, err = run(t, "explain", "--model", "MiniMaxAI/MiniMax-M2.5", "--gpu", "a100-80gb", "-o", "json")
	if err != nil || !strings.Contains(out, `"tensorParallel": 4`) || !strings.Contains(out, `"reasons"`) {
		t.Errorf("explain json: %v\n%s", err, out)
	}
	out, _, err = run(t, "explain", "--model", "MiniMaxAI/MiniMax-M2.5", "--gpu", "a100-80gb", "-o", "yaml")
	if err != nil || !strings.Contains(out, "tensorParallel: 4") {
		t.Errorf("explain yaml: %v\n%s", err, out)
	}
	out, _, err = run(t, "gpus")
	if err != nil || !strings.Contains(out, "nvidia.com/rtxa6000") || !strings.HasPrefix(out, "ID") {
		t.Errorf("gpus: %v\n%s", err, out)
	}
	out, _, err = run(t, "models", "-o", "json")
	if err != nil || !strings.Contains(out, `"id": "zai-org/GLM-5-FP8"`) {
		t.Errorf("models: %v\n%s", err, out)
	}
	out, _, err = run(t, "models")
	if err != nil || !strings.Contains(out, "MiniMaxAI/MiniMax-M2.5") {
		t.Errorf("models: %v\n%s", err, out)
	}
	out, _, err = run(t, "--help")
	if err != nil || !strings.Contains(out, "explain") {
		t.Errorf("help: %v\n%s", err, out)
	}
	out, _, err = run(t, "values", "--help")
	if err != nil || !strings.Contains(out, "-kv-cache-dtype") {
		t.Errorf("values --help: %v\n%s", err, out)
	}
}

func TestConfigAndModelDir(t *testing.T) {
	cfg := filepath.Join("..", "catalog", "models", "Qwen__Qwen3-8B", "config.json")
	out, _, err := run(t, "values", "--model", "Qwen/Qwen3-8B", "--config", cfg, "--gpu", "l40s")
	if err != nil || !strings.Contains(out, "name: Qwen/Qwen3-8B") || !strings.Contains(out, "NVIDIA-L40S") {
		t.Errorf("--config: %v\n%s", err, out)
	}
	dir := t.TempDir()
	b, _ := os.ReadFile(cfg)
	os.WriteFile(filepath.Join(dir, "config.json"), b, 0o644)
	if _, _, err := run(t, "explain", "--model-dir", dir, "--gpu", "l4"); err != nil {
		t.Errorf("--model-dir: %v", err)
	}
}

func BenchmarkValues(b *testing.B) {
	b.Setenv("HF_HUB_OFFLINE", "1")
	hubSource = func() source.Source { return offlineHub{} }
	b.ReportAllocs()
	for b.Loop() {
		var out bytes.Buffer
		if err := Run([]string{"values", "--model", "MiniMaxAI/MiniMax-M2.5", "--gpu", "a100-80gb"}, IOStreams{Out: &out}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestEveryFittingPlanRenders writes values for every catalog model on every GPU type that holds it (in one pod or
// as a multi-node group), for both engines, and renders them through the chart (schema, template checks and all).
func TestEveryFittingPlanRenders(t *testing.T) {
	t.Setenv("HF_HUB_OFFLINE", "1")
	ch, err := render.Load(filepath.Join("..", "..", "charts", "llm-model"))
	if err != nil {
		t.Fatal(err)
	}
	out, _, err := run(t, "models", "-o", "json")
	if err != nil {
		t.Fatal(err)
	}
	var models []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(out), &models); err != nil {
		t.Fatal(err)
	}
	for _, m := range models {
		for _, g := range []string{"h200", "a100-80gb", "l40s", "v100-32gb"} {
			for _, engine := range []string{"vllm", "sglang"} {
				out, _, err := run(t, "values", "--model", m.ID, "--gpu", g, "--engine", engine)
				if err != nil {
					if !strings.Contains(err.Error(), "does not fit") && !strings.Contains(err.Error(), "not supported") {
						t.Errorf("%s on %s with %s: %v", m.ID, g, engine, err)
					}
					continue
				}
				vals, err := render.ReadValues([]byte(out))
				if err != nil {
					t.Fatal(err)
				}
				if _, err := render.Chart(ch, vals, render.Options{ReleaseName: "m", Namespace: "llm"}); err != nil {
					t.Errorf("%s on %s with %s does not render: %v\n%s", m.ID, g, engine, err, out)
				}
			}
		}
	}
}

// renderValues runs chartgen values and renders the result through the chart.
func renderValues(t *testing.T, release string, args ...string) (string, string) {
	t.Helper()
	out, _, err := run(t, args...)
	if err != nil {
		t.Fatal(err)
	}
	vals, err := render.ReadValues([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	ch, err := render.Load(filepath.Join("..", "..", "charts", "llm-model"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := render.Chart(ch, vals, render.Options{ReleaseName: release, Namespace: "nrp-llm"})
	if err != nil {
		t.Fatalf("the values do not render: %v\n%s", err, out)
	}
	return out, res.Manifest
}

// TestAcceptanceGLM5MultiNode is issue 6's chartgen acceptance: GLM-5-FP8 on 80 GB A100s comes out as one multi-node
// group of three 4-GPU pods, TP 4 × DCP 4 × PP 3, and renders as a leader StatefulSet (rank 0 behind the Service),
// a workers StatefulSet (ranks 1 and 2, headless) and a headless rank-0 Service.
func TestAcceptanceGLM5MultiNode(t *testing.T) {
	t.Setenv("HF_HUB_OFFLINE", "1")
	out, m := renderValues(t, "glm5", "values", "--model", "zai-org/GLM-5-FP8", "--gpu", "a100-80gb")
	for _, want := range []string{"nodes: 3", "count: 4", "tensorParallelSize: 4", "pipelineParallelSize: 3", "decodeContextParallelSize: 4", "failureThreshold: 2160", "sizeClass: xlarge", "leader StatefulSet"} {
		if !strings.Contains(out, want) {
			t.Errorf("values lack %q", want)
		}
	}
	for _, want := range []string{
		"name: glm5-llm-model\n", "name: glm5-llm-model-workers\n", "name: glm5-llm-model-ranks\n", "clusterIP: None",
		"replicas: 2\n", "podManagementPolicy: Parallel", "nvidia.com/a100: \"4\"",
		"INSTANCE=$POD_INDEX\n", "RANK=0\n", "INSTANCE=$((POD_INDEX / 2))", "RANK=$((1 + POD_INDEX % 2))",
		"LEADER=glm5-llm-model-${INSTANCE}.glm5-llm-model-ranks.nrp-llm.svc.cluster.local",
		`--nnodes 3 --node-rank "$RANK" --master-addr "$LEADER" --master-port 29500` + "\n",
		`--master-port 29500 --headless`,
		"--tensor-parallel-size\n            - \"4\"", "--pipeline-parallel-size\n            - \"3\"", "--decode-context-parallel-size\n            - \"4\"",
		"VLLM_RPC_TIMEOUT", "storage: 816Gi",
	} {
		if !strings.Contains(m, want) {
			t.Errorf("rendered manifest lacks %q", want)
		}
	}
}

// TestSGLangValues: --engine sglang writes engine: sglang and the serving block, never the vllm block, and renders
// SGLang's flags (multi-node: --dist-init-addr on rank 0, --dist-timeout).
func TestSGLangValues(t *testing.T) {
	t.Setenv("HF_HUB_OFFLINE", "1")
	out, m := renderValues(t, "qwen", "values", "--model", "Qwen/Qwen3-32B", "--gpu", "a100-80gb", "--engine", "sglang")
	if !strings.Contains(out, "engine: sglang") || strings.Contains(out, "\nvllm:") || strings.Contains(out, "apiServerCount") {
		t.Errorf("values:\n%s", out)
	}
	for _, want := range []string{"python3\n            - -m\n            - sglang.launch_server", "--tp-size\n            - \"2\"", "--mem-fraction-static", "--context-length\n            - \"40960\"",
		"--max-running-requests\n            - \"128\"", "--tool-call-parser\n            - qwen25", "--reasoning-parser\n            - qwen3", "cpu: \"5\""} {
		if !strings.Contains(m, want) {
			t.Errorf("rendered manifest lacks %q", want)
		}
	}
	out, m = renderValues(t, "glm5", "values", "--model", "zai-org/GLM-5-FP8", "--gpu", "a100-80gb", "--engine", "sglang")
	if !strings.Contains(out, "nodes: 2") || strings.Contains(out, "decodeContextParallelSize") || !strings.Contains(out, "sgl-project/sglang/issues/9805") {
		t.Errorf("values:\n%s", out)
	}
	for _, want := range []string{"--tp-size\n            - \"8\"", "--pp-size\n            - \"2\"", "--dist-timeout\n            - \"1200\"",
		`--nnodes 2 --node-rank "$RANK" --dist-init-addr "$LEADER:29500"`, "name: glm5-llm-model-workers\n"} {
		if !strings.Contains(m, want) {
			t.Errorf("rendered manifest lacks %q", want)
		}
	}
}

// checkCurrent compares a case file that chartgen writes with chartgen's output now, or rewrites it under -update;
// test names the test to run with -update.
func checkCurrent(t *testing.T, path, out, test string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run: go test ./internal/cli -run %s -update)", err, test)
	}
	if string(want) != out {
		t.Errorf("%s differs from chartgen's output; run: go test ./internal/cli -run %s -update, then go test ./tests -run TestGolden -update, and read the diff\n--- got:\n%s", path, test, out)
	}
}

// A user's own GPU catalog (--gpu-catalog) keeps working: entries without labelSource load, list and plan.
func TestUserGPUCatalog(t *testing.T) {
	t.Setenv("HF_HUB_OFFLINE", "1")
	file := filepath.Join(t.TempDir(), "gpus.yaml")
	if err := os.WriteFile(file, []byte(`gpus:
- id: our-h100
  name: our H100 boxes
  memoryMiB: 81559
  resource: nvidia.com/gpu
  product: NVIDIA-H100-80GB-HBM3
  computeMajor: 9
  computeMinor: 0
  gpusPerNode: 8
  nvlink: true
`), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _, err := run(t, "gpus", "--gpu-catalog", file)
	if err != nil || !regexp.MustCompile(`(?m)^our-h100 +our H100 boxes +81559 +nvidia.com/gpu +NVIDIA-H100-80GB-HBM3 +9.0 +8$`).MatchString(out) {
		t.Errorf("gpus --gpu-catalog: %v\n%s", err, out)
	}
	out, _, err = run(t, "values", "--model", "Qwen/Qwen3-8B", "--gpu-catalog", file, "--gpu", "our-h100")
	if err != nil || !strings.Contains(out, "NVIDIA-H100-80GB-HBM3") || !strings.Contains(out, `"80000"`) && !strings.Contains(out, "80000") {
		t.Errorf("values --gpu-catalog: %v\n%s", err, out)
	}
	if _, _, err := run(t, "values", "--model", "Qwen/Qwen3-8B", "--gpu-catalog", file, "--gpu", "h100-80gb"); err == nil || !strings.Contains(err.Error(), "allowed: our-h100") {
		t.Errorf("an id only the embedded catalog has: %v", err)
	}
}

// explain --gpu prints each plan's alternatives after the table; --objective changes the pick; a bad objective is a
// bad command line.
func TestExplainAlternativesAndObjective(t *testing.T) {
	t.Setenv("HF_HUB_OFFLINE", "1")
	for _, c := range []struct {
		file string
		args []string
	}{
		{"explain-llama-3.1-70b-a100.txt", []string{"explain", "--model", "meta-llama/Meta-Llama-3.1-70B", "--gpu", "a100-80gb", "--gpu", "l40s"}},
		{"explain-minimax-m2.5-sglang-h200-gpus.txt", []string{"explain", "--model", "MiniMaxAI/MiniMax-M2.5", "--engine", "sglang", "--gpu", "h200", "--objective", "gpus"}},
	} {
		t.Run(c.file, func(t *testing.T) {
			out, _, err := run(t, c.args...)
			if err != nil {
				t.Fatal(err)
			}
			checkCurrent(t, filepath.Join("testdata", c.file), "$ chartgen "+strings.Join(c.args, " ")+"\n"+out, "TestExplainAlternativesAndObjective")
		})
	}
	out, _, err := run(t, "explain", "--model", "meta-llama/Meta-Llama-3.1-70B", "--gpu", "a100-80gb", "--objective", "latency", "-o", "json")
	if err != nil || !strings.Contains(out, `"objective": "latency"`) || !strings.Contains(out, `"alternatives"`) || !strings.Contains(out, `"pickedBy"`) {
		t.Errorf("explain json: %v\n%s", err, out)
	}
	_, _, err = run(t, "values", "--model", "meta-llama/Meta-Llama-3.1-70B", "--gpu", "a100-80gb", "--objective", "fast")
	if err == nil || !strings.Contains(err.Error(), `--objective "fast" is not known; allowed: balanced, gpus, latency`) {
		t.Errorf("bad objective: %v", err)
	}
}
