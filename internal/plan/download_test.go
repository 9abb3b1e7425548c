package plan

import (
	"os"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

func TestFnmatch(t *testing.T) {
	for _, c := range []struct {
		pattern, name string
		want          bool
	}{
		{"original/*", "original/consolidated.00.pth", true},
		{"original/*", "original/sub/params.json", true}, // `*` crosses "/" as in Python's fnmatch
		{"original/", "original/tokenizer.model", true},
		{"original/*", "model-00001-of-00002.safetensors", false},
		{"consolidated*.safetensors", "consolidated.safetensors", true},
		{"consolidated*.safetensors", "model-00001-of-00002.safetensors", false},
		{"*.bin", "pytorch_model.bin", true},
		{"*.bin", "sub/training_args.bin", true},
		{"*.safetensors", "model.safetensors.index.json", false},
		{"model-0000?-of-00002.safetensors", "model-00001-of-00002.safetensors", true},
		{"[!m]*.json", "config.json", true},
		{"[!m]*.json", "model.safetensors.index.json", false},
		{"a[", "a[", true},
	} {
		if got := fnmatch(c.pattern, c.name); got != c.want {
			t.Errorf("fnmatch(%q, %q) = %v, want %v", c.pattern, c.name, got, c.want)
		}
	}
}

func TestPlanDownload(t *testing.T) {
	const gib = int64(GiB)
	// A Llama-style repository: shards, the original checkpoint, a consolidated copy and a .bin copy.
	files := []string{"config.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors",
		"model.safetensors.index.json", "original/consolidated.00.pth", "original/params.json", "consolidated.safetensors",
		"pytorch_model.bin", "tokenizer.json"}
	w := Weights{OnDisk: 15 * gib}

	d := PlanDownload(files, w, "", 1)
	if d.Mode != DownloadInitContainer || d.PodGiB != 18 || d.SharedGiB != 0 {
		t.Fatalf("per pod: %+v", d)
	}
	if got := strings.Join(d.Skipped, ","); got != "consolidated.safetensors,original/consolidated.00.pth,original/params.json,pytorch_model.bin" {
		t.Errorf("skipped %s", got)
	}
	if len(d.Unsized) != 0 || d.Warning != "" || !strings.Contains(d.Reason, "4 of the repository's 9 files skipped") {
		t.Errorf("per pod: %+v", d)
	}

	multi := PlanDownload(files, w, DownloadInitContainer, 3)
	if multi.PodGiB != 18 || !strings.Contains(multi.Reason, "each of the 3 pods downloads its own copy") {
		t.Errorf("multi-node: %+v", multi)
	}

	shared := PlanDownload(files, w, DownloadSharedCache, 3)
	if shared.SharedGiB != 18 || shared.PodGiB != EngineCacheGiB || !strings.Contains(shared.Reason, "once, on the shared claim") {
		t.Errorf("shared: %+v", shared)
	}

	engine := PlanDownload(files, w, DownloadEngine, 1)
	if engine.PodGiB != 18 || len(engine.Skipped) != 4 || !strings.Contains(engine.Reason, "reads no exclude patterns") {
		t.Errorf("engine: %+v", engine)
	}

	// No file list (the embedded catalog): nothing known to be skipped.
	if d := PlanDownload(nil, w, "", 1); len(d.Skipped) != 0 || !strings.Contains(d.Reason, "file list is unknown") {
		t.Errorf("no list: %+v", d)
	}

	// Only .bin weights: the defaults would skip them, which is a warning.
	if d := PlanDownload([]string{"config.json", "pytorch_model.bin"}, w, "", 1); !strings.Contains(d.Warning, "pytorch_model.bin") {
		t.Errorf("bin only: %+v", d)
	}

	// Safetensors outside the shard set are downloaded but not sized.
	if d := PlanDownload([]string{"model.safetensors", "mtp/extra.safetensors"}, w, "", 1); strings.Join(d.Unsized, ",") != "mtp/extra.safetensors" || !strings.Contains(d.Reason, "not sized") {
		t.Errorf("unsized: %+v", d)
	}
}

// The chart's storage.download.exclude default and chartgen's must be the same list.
func TestDownloadExcludeMatchesChart(t *testing.T) {
	b, err := os.ReadFile("../../charts/llm-model/values.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Storage struct {
			Download struct {
				Exclude []string `json:"exclude"`
			} `json:"download"`
		} `json:"storage"`
	}
	if err := yaml.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(v.Storage.Download.Exclude, " "), strings.Join(DefaultDownloadExclude, " "); got != want {
		t.Errorf("charts/llm-model/values.yaml storage.download.exclude = %s\nplan.DefaultDownloadExclude = %s", got, want)
	}
}

// TestDownloadSourcesRefusesHubDraftOnSharedCache: the chart refuses a draft model given as a Hugging Face id with
// storage.download.mode sharedCache (templates/_download.tpl validateDownload), so the planner does too, naming the
// flags; the other modes, and a draft given as a path in the container, are accepted.
func TestDownloadSourcesRefusesHubDraftOnSharedCache(t *testing.T) {
	in := catalogInput(t, "Qwen/Qwen3-32B")
	draft := catalogInput(t, "Qwen/Qwen3-8B")
	h100 := gpuByID(t, "h100-80gb")
	spec := Speculative{Method: SpecDraft, Draft: &draft}
	_, err := New(in, h100, Options{Download: DownloadSharedCache, Speculative: spec})
	if err == nil {
		t.Fatal("sharedCache with a Hub draft model: want a refusal")
	}
	for _, want := range []string{"--download sharedCache", "--draft-model", "Qwen/Qwen3-8B", "--download initContainer", "--download engine"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("refusal %q does not name %q", err, want)
		}
	}
	for _, mode := range []string{"", DownloadInitContainer, DownloadEngine} {
		if _, err := New(in, h100, Options{Download: mode, Speculative: spec}); err != nil {
			t.Errorf("--download %q with a Hub draft model: %v", mode, err)
		}
	}
	local := draft
	local.Name = "/mnt/model-source/qwen3-8b"
	if _, err := New(in, h100, Options{Download: DownloadSharedCache, Speculative: Speculative{Method: SpecDraft, Draft: &local}}); err != nil {
		t.Errorf("sharedCache with a draft model path in the container: %v", err)
	}
	if _, err := New(in, h100, Options{Download: DownloadSharedCache, Speculative: Speculative{Method: SpecNgram}}); err != nil {
		t.Errorf("sharedCache with ngram: %v", err)
	}
}

func TestIsHubID(t *testing.T) {
	for src, want := range map[string]bool{"Qwen/Qwen3-8B": true, "gpt2": true, "/models/d": false, "./d": false, "../d": false, "~/d": false} {
		if got := isHubID(src); got != want {
			t.Errorf("isHubID(%q) = %v, want %v", src, got, want)
		}
	}
}
