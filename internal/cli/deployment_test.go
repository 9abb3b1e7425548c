package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// explain evaluates a given layout: fits false with the reason, kvTokens kept, the budget term by term.
func TestExplainGivenLayout(t *testing.T) {
	t.Setenv("HF_HUB_OFFLINE", "1")
	out, _, err := run(t, "explain", "--model", "Qwen/Qwen3-32B", "--gpu", "l4", "--tp", "1", "-o", "json")
	if err != nil {
		t.Fatal(err)
	}
	var ps []map[string]any
	if err := json.Unmarshal([]byte(out), &ps); err != nil {
		t.Fatal(err)
	}
	p := ps[0]
	if p["fits"] != false || !strings.Contains(p["notFit"].(string), "does not fit") || p["tensorParallel"] != float64(1) {
		t.Errorf("TP 1 on one L4 for Qwen3-32B: %v / %v / %v", p["fits"], p["notFit"], p["tensorParallel"])
	}
	if _, ok := p["kvTokens"]; !ok {
		t.Error("kvTokens missing")
	}
	b, ok := p["budgetPerGPU"].(map[string]any)
	if !ok || len(b["terms"].([]any)) < 6 {
		t.Errorf("budgetPerGPU: %v", p["budgetPerGPU"])
	}
	out, _, err = run(t, "explain", "--model", "Qwen/Qwen3-32B", "--gpu", "h100-80gb", "--tp", "2", "--max-num-seqs", "256", "--max-num-batched-tokens", "4096")
	if err != nil || !strings.Contains(out, "2/1/1") || !strings.Contains(out, "yes") {
		t.Errorf("TP 2 on H100: %v\n%s", err, out)
	}
	if _, _, err := run(t, "explain", "--model", "Qwen/Qwen3-32B", "--gpu", "h100-80gb", "--pp", "2"); err == nil || ExitCode(err) != 2 {
		t.Errorf("--pp without --tp: %v", err)
	}
	if _, _, err := run(t, "explain", "--model", "Qwen/Qwen3-32B", "--gpu", "h100-80gb", "--tp", "3"); err == nil || !strings.Contains(err.Error(), "tensor parallel size 3") {
		t.Errorf("--tp 3: %v", err)
	}
	if _, _, err := run(t, "values", "--model", "Qwen/Qwen3-32B", "--gpu", "l4", "--tp", "1"); err == nil || !strings.Contains(err.Error(), "does not fit") {
		t.Errorf("values with a layout that does not hold: %v", err)
	}
	out, _, err = run(t, "values", "--model", "Qwen/Qwen3-32B", "--gpu", "h100-80gb", "--tp", "2", "--max-num-seqs", "64")
	if err != nil || !strings.Contains(out, "tensorParallelSize: 2") || !strings.Contains(out, "maxNumSeqs: 64") {
		t.Errorf("values with a given layout: %v\n%s", err, out)
	}
}

// check reads real public logs of both engines.
func TestCheckPublicLogs(t *testing.T) {
	t.Setenv("HF_HUB_OFFLINE", "1")
	logs := filepath.Join("..", "enginelog", "testdata")
	out, _, err := run(t, "check", filepath.Join(logs, "vllm-27508-gpt-oss-120b-h100.log"), "--model", "openai/gpt-oss-120b", "--gpu", "h100-80gb",
		"--gpu-memory-utilization", "0.95", "--max-num-batched-tokens", "1024", "--engine-version", "v0.11.0")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"kvCache", "1.71 GiB", "does not fit", "failed", "ran out of memory, as chartgen predicts", "samplerWarmup", "lower --max-num-seqs", "shorten --max-model-len"} {
		if !strings.Contains(out, want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}
	out, _, err = run(t, "check", filepath.Join(logs, "vllm-10517-llama-3.1-8b-3090.log"), "--model", "meta-llama/Meta-Llama-3.1-8B", "--engine-version", "v0.6.4", "--max-num-batched-tokens", "20000")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"rtx-3090", "weights", "14.99 GiB", "activation", "nonTorch", "kvTokens", "31,232"} {
		if !strings.Contains(out, want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}
	out, _, err = run(t, "check", filepath.Join(logs, "sglang-21348-qwen3-235b-fp8-h100-tp4.log"), "--config", filepath.Join("..", "plan", "testdata", "calibration", "configs", "qwen3-235b-a22b-fp8.json"),
		"--model", "Qwen/Qwen3-235B-A22B-FP8", "--gpu", "h100-80gb", "--tp", "4", "--gpu-memory-utilization", "0.93", "--context", "40960", "-o", "json")
	if err != nil {
		t.Fatal(err)
	}
	var res map[string]any
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res["log"].(map[string]any)["engine"] != "sglang" || !res["check"].(map[string]any)["fits"].(bool) {
		t.Errorf("SGLang check: %s", out)
	}
	if _, _, err := run(t, "check"); ExitCode(err) != 2 {
		t.Errorf("check without a log: %v", err)
	}
	if _, _, err := run(t, "check", filepath.Join(logs, "README.md"), "--model", "Qwen/Qwen3-8B", "--gpu", "l4"); err == nil || !strings.Contains(err.Error(), "start-up log") {
		t.Errorf("check on a file that is no log: %v", err)
	}
}
