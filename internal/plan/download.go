package plan

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Download modes: the llm-model chart's storage.download.mode.
const (
	// DownloadInitContainer: a download init container fills each pod's own cache volume (the chart's default).
	DownloadInitContainer = "initContainer"
	// DownloadSharedCache: one Job fills one ReadWriteMany claim that every pod mounts read-only.
	DownloadSharedCache = "sharedCache"
	// DownloadEngine: the engine downloads at start (the guide's way).
	DownloadEngine = "engine"
)

// DownloadModes lists the modes chartgen accepts (--download).
var DownloadModes = []string{DownloadInitContainer, DownloadSharedCache, DownloadEngine}

// DefaultDownloadExclude is the llm-model chart's storage.download.exclude default (a test holds the two equal): the
// files vLLM never reads for a safetensors checkpoint. Its loader (model_loader/default_loader.py _prepare_weights)
// takes the first of *.safetensors, *.bin, *.pt that matches a repository file and then only the shards
// model.safetensors.index.json lists (weight_utils.py filter_duplicate_safetensors_files: Mistral repositories ship a
// consolidated copy beside the shards); LoadConfig.ignore_patterns skips original/ (Llama's own checkpoint). The rest
// are other frameworks' copies.
var DefaultDownloadExclude = []string{
	"original/*", "consolidated*.safetensors", "*.bin", "*.pt", "*.pth", "*.gguf", "*.onnx", "*.onnx_data", "onnx/*",
	"openvino/*", "*.h5", "*.msgpack", "*.ot", "*.tflite", "coreml/*",
}

// EngineCacheGiB is the per-pod volume when the weights live on the shared cache: it holds only the engines' compile
// and JIT caches (torch.compile, Triton, FlashInfer, vLLM's own). A guess on the safe side, not a measurement: these
// caches are typically a few GiB.
const EngineCacheGiB = 20

// DownloadPlan is what the download step fetches and the disk it needs.
type DownloadPlan struct {
	Mode string `json:"mode"`
	// Bytes are the weight files downloaded, as known (the safetensors shards the engine reads, exactly when the
	// headers were read).
	Bytes int64 `json:"bytes"`
	// Skipped are the repository's files the exclude patterns skip; Unsized the downloaded weight files whose size
	// is not known (safetensors outside the index).
	Skipped []string `json:"skipped,omitempty"`
	Unsized []string `json:"unsized,omitempty"`
	// PodGiB is each pod's cache volume; SharedGiB the shared claim (sharedCache mode, else 0).
	PodGiB    int64  `json:"podGiB"`
	SharedGiB int64  `json:"sharedGiB,omitempty"`
	Reason    string `json:"reason"`
	// Warning is set when the default patterns would skip the only weights of the repository.
	Warning string `json:"warning,omitempty"`
}

// PlanDownload sizes the cache for a download mode: pure, from the repository's file list (nil when unknown), the
// weights (OnDisk: the safetensors shards the engine reads) and the pods that would each hold a copy.
func PlanDownload(files []string, w Weights, mode string, pods int) DownloadPlan {
	if mode == "" {
		mode = DownloadInitContainer
	}
	d := DownloadPlan{Mode: mode, Bytes: w.OnDisk}
	var what string
	if len(files) == 0 {
		what = "the repository's file list is unknown, so no file is known to be skipped"
	} else {
		var weights []string
		for _, f := range files {
			if matchAny(DefaultDownloadExclude, f) {
				d.Skipped = append(d.Skipped, f)
				continue
			}
			if strings.HasSuffix(f, ".safetensors") {
				weights = append(weights, f)
			}
		}
		if len(weights) == 0 {
			for _, f := range d.Skipped {
				if strings.HasSuffix(f, ".bin") || strings.HasSuffix(f, ".pt") || strings.HasSuffix(f, ".pth") {
					d.Warning = fmt.Sprintf("the repository has no safetensors weights outside the default excludes and ships %s: remove its pattern from storage.download.exclude, or the download step skips the weights", f)
					break
				}
			}
		}
		d.Unsized = unsizedShards(weights)
		sort.Strings(d.Skipped)
		what = fmt.Sprintf("%d of the repository's %d files skipped by storage.download.exclude", len(d.Skipped), len(files))
		if len(d.Skipped) > 0 {
			what += " (" + listSome(d.Skipped, 4) + ")"
		}
		if len(d.Unsized) > 0 {
			what += fmt.Sprintf("; %d more safetensors files outside the index are downloaded but not sized (%s): exclude them if the engine never reads them", len(d.Unsized), listSome(d.Unsized, 3))
		}
	}
	size, sizeWhy := disk(d.Bytes)
	switch mode {
	case DownloadSharedCache:
		d.SharedGiB, d.PodGiB = size, EngineCacheGiB
		d.Reason = fmt.Sprintf("once, on the shared claim that every pod of every group and rank mounts read-only: %s; %s. Each pod's own volume holds only the compile caches: %d Gi (a guess on the safe side)", sizeWhy, what, EngineCacheGiB)
	case DownloadEngine:
		d.PodGiB = size
		d.Reason = fmt.Sprintf("per pod, downloaded by the engine itself (storage.download.mode engine), which reads no exclude patterns: %s; the engine also fetches any consolidated or duplicate safetensors copy, not counted here", sizeWhy)
	default:
		d.PodGiB = size
		d.Reason = fmt.Sprintf("per pod, what the download step fetches: %s; %s", sizeWhy, what)
		if pods > 1 {
			d.Reason = fmt.Sprintf("per pod (each of the %d pods downloads its own copy; storage.download.mode sharedCache stores one): ", pods) + d.Reason
		}
	}
	return d
}

// checkDownloadSources refuses a draft model that the download mode cannot serve, as the chart's validateDownload
// does (templates/_download.tpl): with sharedCache the engines mount the shared cache read-only and run with
// HF_HUB_OFFLINE=1, and the download Job publishes only the model's revision there, so a draft given as a Hugging
// Face id is never fetched. chartgen writes no lora.adapters (adapters are loaded at run time), so the draft is the
// only extra repository it can write.
func checkDownloadSources(mode string, s Speculative) error {
	if mode != DownloadSharedCache || s.Draft == nil || !isHubID(s.Draft.Name) {
		return nil
	}
	return fmt.Errorf("--download %s cannot serve the draft model %s (--draft-model), a Hugging Face id: the engines mount the shared cache read-only and run offline (HF_HUB_OFFLINE=1), and its download Job fetches only the model; use --download %s (each pod's download step fetches the draft with the model) or --download %s; or, with --download %s, a method that takes no draft model (--speculative-method ngram or mtp)",
		DownloadSharedCache, s.Draft.Name, DownloadInitContainer, DownloadEngine, DownloadSharedCache)
}

// isHubID reports that a draft model or adapter source is a Hugging Face id, not a path in the container (the chart's
// llm-model.isHubId: a path starts with /, ./, ../ or ~).
func isHubID(src string) bool {
	for _, p := range []string{"/", "./", "../", "~"} {
		if strings.HasPrefix(src, p) {
			return false
		}
	}
	return true
}

// unsizedShards are the safetensors files chartgen has no header for: those outside the numbered shard set
// (model-00001-of-00005.safetensors) or the single model.safetensors.
func unsizedShards(weights []string) []string {
	var out []string
	for _, f := range weights {
		base := f[strings.LastIndex(f, "/")+1:]
		if f != base || (base != "model.safetensors" && !shardName.MatchString(base)) {
			out = append(out, f)
		}
	}
	return out
}

var shardName = regexp.MustCompile(`^.*-[0-9]+-of-[0-9]+\.safetensors$`)

func listSome(xs []string, n int) string {
	if len(xs) <= n {
		return strings.Join(xs, ", ")
	}
	return strings.Join(xs[:n], ", ") + fmt.Sprintf(", and %d more", len(xs)-n)
}

func matchAny(patterns []string, name string) bool {
	for _, p := range patterns {
		if fnmatch(p, name) {
			return true
		}
	}
	return false
}

// fnmatch matches as Python's fnmatch does, which huggingface_hub's filter_repo_objects uses for --include and
// --exclude: `*` matches any run of characters, "/" included, `?` one character, `[...]` a class; a pattern ending
// in "/" matches everything below that directory.
func fnmatch(pattern, name string) bool {
	if strings.HasSuffix(pattern, "/") {
		pattern += "*"
	}
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(pattern); i++ {
		switch c := pattern[i]; c {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		case '[':
			j := strings.IndexByte(pattern[i+1:], ']')
			if j < 0 {
				b.WriteString(`\[`)
				continue
			}
			class := pattern[i+1 : i+1+j]
			if strings.HasPrefix(class, "!") {
				class = "^" + class[1:]
			}
			b.WriteString("[" + strings.ReplaceAll(class, `\`, `\\`) + "]")
			i += j + 1
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	return err == nil && re.MatchString(name)
}
