package plan

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/llm-charts/llm-charts/internal/model"
)

// The llm-d-planner accuracy campaign (testdata/calibration/llmd-planner-v0.19.0-h100.tsv): 74 start-ups of vLLM
// v0.19.0 on one H100 80GB node, one row per run as its log gives it, read from
// llm-d-incubation/llm-d-planner accuracy/results/v0.19.0 (results_raw.csv and the logs it was parsed from; the
// source_path and commit columns name each run's log). Apache-2.0.

// campaignModels maps the campaign's model ids to the config the planner reads (testdata/calibration/models.yaml).
func campaignModels(t testing.TB) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "calibration", "models.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Models map[string]string `json:"models"`
	}
	if err := yaml.UnmarshalStrict(b, &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Models
}

// campaignSkip says why a campaign run is not a memory measurement the planner can be held to ("" = it is).
func campaignSkip(row map[string]string) string {
	switch {
	case row["status"] == "fail" && !strings.HasPrefix(row["fail_kind"], "oom"):
		return "failed for a reason other than memory: " + row["fail_kind"]
	case row["dtype"] == "float32":
		return "--dtype float32 on a bfloat16 checkpoint: chartgen serves a checkpoint in its own dtype"
	case row["quantization"] == "fp8":
		return "--quantization fp8 (online): chartgen plans the checkpoint as published"
	case row["dp"] != "1":
		return "data parallelism"
	}
	return ""
}

// loadCampaign reads the campaign as calibration runs; skipped lists the runs left out, with the reason.
func loadCampaign(t testing.TB) (runs []calibrationRun, skipped []string) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "calibration", "llmd-planner-v0.19.0-h100.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = '\t'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	models := campaignModels(t)
	head := recs[0]
	num := func(row map[string]string, k string) float64 {
		if row[k] == "" {
			return 0
		}
		v, err := strconv.ParseFloat(row[k], 64)
		if err != nil {
			t.Fatalf("%s: %s = %q: %v", row["run"], k, row[k], err)
		}
		return v
	}
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, k := range head {
			row[k] = rec[i]
		}
		if why := campaignSkip(row); why != "" {
			skipped = append(skipped, row["run"]+": "+why)
			continue
		}
		ref, ok := models[row["model"]]
		if !ok {
			t.Errorf("%s: model %s has no config in testdata/calibration/models.yaml", row["run"], row["model"])
			continue
		}
		c := calibrationRun{ID: row["run"], Model: ref, Engine: "vllm", Version: row["vllm"], GPU: "h100-80gb",
			TP: int(num(row, "tp")), PP: int(num(row, "pp")), Utilization: num(row, "gpu_memory_utilization"),
			MaxModelLen: int(num(row, "max_model_len")), MaxNumSeqs: int(num(row, "max_num_seqs")),
			MaxNumBatchedTokens: int(num(row, "max_num_batched_tokens")), KVCacheDType: row["kv_cache_dtype"],
			Outcome: "started", Source: "https://github.com/llm-d-incubation/llm-d-planner/blob/" + row["commit"] + "/" + row["source_path"]}
		if c.KVCacheDType == "auto" {
			c.KVCacheDType = ""
		}
		if row["status"] == "fail" {
			c.Outcome = "oom"
		}
		c.Logged.Weights, c.Logged.Activation, c.Logged.NonTorch = num(row, "weights_gib"), num(row, "activation_gib"), num(row, "non_torch_gib")
		c.Logged.KVGiB, c.Logged.KVTokens = num(row, "kv_cache_gib_rank0"), int64(num(row, "kv_tokens"))
		c.Logged.Graphs, c.Logged.BeforeLoad = num(row, "cuda_graph_actual_gib"), num(row, "init_non_torch_gib")
		if c.PP > 1 {
			// The KV line is rank 0's, the first stage's (no sampler, its own layers); the token count is the
			// engine's, over all stages: judge the tokens only.
			c.Logged.KVGiB, c.Logged.Activation = 0, 0
		}
		runs = append(runs, c)
	}
	return runs, skipped
}

// TestCalibrationWeightRules pins the config rules the campaign's weights depend on, each against the weights vLLM
// v0.19.0 logged for the model ("Model loading took", GiB per GPU).
func TestCalibrationWeightRules(t *testing.T) {
	cases := []struct {
		config string
		tp     int
		logged float64
		rule   string
	}{
		{"configs/gemma-2-2b-it.json", 1, 4.90, "a float32 checkpoint is served in bfloat16"},
		{"configs/gemma-3-27b-it.json", 1, 51.45, "Gemma 3's text_config defaults (vocab_size 262208) and its SigLIP tower"},
		{"configs/mistral-small-3.1-24b-instruct-2503.json", 1, 44.76, "mistral's untied lm_head by default, the Pixtral tower and its projector"},
		{"configs/granite-vision-3.3-2b.json", 1, 5.54, "llava_next: SigLIP and a projector from four feature layers"},
		{"configs/kimi-vl-a3b-instruct.json", 2, 15.53, "MoonViT and Kimi-VL's projector"},
		{"configs/phi-2.json", 1, 5.19, "phi's two-matrix MLP"},
		{"configs/llama-3.3-70b-instruct-quantized.w8a8.json", 2, 33.88, "compressed-tensors int8 per channel: no groups, no zero points"},
		{"configs/llama-4-scout-17b-16e-instruct.json", 4, 53.12, "the RoPE cos/sin cache for 10,485,760 positions on every GPU"},
	}
	for _, c := range cases {
		r := calibrationRun{ID: c.config, Model: c.config, Engine: "vllm", Version: "v0.19.0", GPU: "h100-80gb", TP: c.tp, PP: 1,
			Utilization: 0.95, MaxModelLen: 2048, MaxNumSeqs: 256, MaxNumBatchedTokens: 2048}
		got := predictRun(t, r).weights
		if e := (got - c.logged) / c.logged; e > 0.02 || e < -0.02 {
			t.Errorf("%s at TP %d: %.2f GiB of weights, vLLM loaded %.2f (%+.1f%%): %s", c.config, c.tp, got, c.logged, e*100, c.rule)
		}
	}
	f := calibrationFacts(t, "configs/gemma-3-27b-it.json")
	if f.Vocab != 262208 || f.CountLayers(model.LayerFull) != 10 {
		t.Errorf("gemma-3-27b: vocab %d, %d full-attention layers; want Gemma3TextConfig's 262208 and every sixth of 62 layers (10)", f.Vocab, f.CountLayers(model.LayerFull))
	}
}
