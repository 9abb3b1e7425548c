// Package enginelog reads what a vLLM or SGLang start-up log says about memory: the settings the engine ran with
// and, per GPU, the weights, activation, non-torch memory, KV cache size and capacity, and whether start-up failed
// for lack of memory. Lines are matched as the engines print them (vLLM V0 and V1 wordings, SGLang's scheduler);
// anything absent stays zero. Pure functions, no I/O besides the reader.
package enginelog

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/llm-charts/llm-charts/internal/engine"
)

// Facts is what one start-up log says. Sizes are GiB per GPU as logged (SGLang's "GB" are GiB); 0 = not logged.
type Facts struct {
	Engine  string `json:"engine"` // vllm or sglang
	Version string `json:"version,omitempty"`
	Model   string `json:"model,omitempty"`

	TP                  int     `json:"tensorParallel,omitempty"`
	PP                  int     `json:"pipelineParallel,omitempty"`
	DCP                 int     `json:"decodeContextParallel,omitempty"`
	Utilization         float64 `json:"utilization,omitempty"` // gpu_memory_utilization / mem_fraction_static
	MaxModelLen         int     `json:"maxModelLen,omitempty"`
	MaxNumSeqs          int     `json:"maxNumSeqs,omitempty"`
	MaxNumBatchedTokens int     `json:"maxNumBatchedTokens,omitempty"`
	KVCacheDType        string  `json:"kvCacheDtype,omitempty"`
	BlockSize           int     `json:"blockSize,omitempty"`
	EnforceEager        bool    `json:"enforceEager,omitempty"`

	TotalGiB      float64 `json:"totalGiB,omitempty"`
	WeightsGiB    float64 `json:"weightsGiB,omitempty"`
	ActivationGiB float64 `json:"activationGiB,omitempty"`
	NonTorchGiB   float64 `json:"nonTorchGiB,omitempty"`
	GraphsGiB     float64 `json:"cudaGraphsGiB,omitempty"`
	// GraphsProfiled: the engine took its CUDA-graph estimate out of the fraction before sizing the KV cache
	// ("CUDA graph memory profiling is enabled"), where older releases captured the graphs outside it.
	GraphsProfiled bool    `json:"cudaGraphsProfiled,omitempty"`
	KVGiB          float64 `json:"kvCacheGiB,omitempty"`
	KVTokens       int64   `json:"kvTokens,omitempty"`
	Concurrency    float64 `json:"concurrency,omitempty"`

	// OutOfMemory: CUDA ran out of memory during start-up (or the loaded weights left no memory for the KV cache).
	// KVTooSmall: start-up refused because one max_model_len context does not fit the KV cache (or none is left).
	// StartFailed: the engine failed to start after its memory lines, for a reason the log names elsewhere
	// ("EngineCore failed to start."). Failure quotes the first failure line.
	OutOfMemory bool   `json:"outOfMemory,omitempty"`
	KVTooSmall  bool   `json:"kvTooSmall,omitempty"`
	StartFailed bool   `json:"startFailed,omitempty"`
	Failure     string `json:"failure,omitempty"`
	// KVNeededGiB is the KV cache one max_model_len context needs, where the engine said so in refusing it.
	KVNeededGiB float64 `json:"kvNeededGiB,omitempty"`
	// MaxLenThatFits is the longest context the engine said would fit ("estimated maximum model length is N" or
	// "the maximum number of tokens that can be stored in KV cache (N)").
	MaxLenThatFits int `json:"maxLenThatFits,omitempty"`
}

const num = `([0-9][0-9,]*\.?[0-9]*)`

var (
	reModelLoading = regexp.MustCompile(`(?:Model loading took|Loading model weights took) ` + num + ` ?(GiB|GB)`)
	reProfileV1    = regexp.MustCompile(`torch peak memory increase: ` + num + `GiB; non-torch forward increase memory: ` + num + `GiB; weights memory: ` + num + `GiB`)
	reProfileV0    = regexp.MustCompile(`model weights take ` + num + `GiB; non_torch_memory takes ` + num + `GiB; PyTorch activation peak memory takes ` + num + `GiB; the rest of the memory reserved for KV Cache is ` + num + `GiB`)
	reProfileV0Old = regexp.MustCompile(`total_gpu_memory=` + num + `GiB .*?peak_torch_memory=` + num + `GiB .*?non_torch_memory=` + num + `GiB kv_cache_size=` + num + `GiB gpu_memory_utilization=` + num)
	reTotalV0      = regexp.MustCompile(`total_gpu_memory \(` + num + `GiB\) x gpu_memory_utilization \(` + num + `\)`)
	reFreeOnDevice = regexp.MustCompile(`Free memory on device \(` + num + `/` + num + ` GiB\)`)
	reAvailableKV  = regexp.MustCompile(`Available KV cache memory: (-?)` + num + ` GiB`)
	reKVTokens     = regexp.MustCompile(`GPU KV cache size: ` + num + ` tokens`)
	reGPUBlocks    = regexp.MustCompile(`# (?:GPU|CUDA) blocks: ` + num)
	reConcurrency  = regexp.MustCompile(`Maximum concurrency for ` + num + ` tokens per request: ` + num + `x`)
	reGraphs       = regexp.MustCompile(`(?:Estimated CUDA graph memory: ` + num + ` GiB|Graph capturing finished in [0-9.]+ secs?, took ` + num + ` GiB)`)
	reSGLangKV     = regexp.MustCompile(`KV Cache is allocated\..*?#tokens: ` + num + `, K size: ` + num + ` GB, V size: ` + num + ` GB`)
	reSGLangTokens = regexp.MustCompile(`max_total_num_tokens=` + num)
	reSGLangLoad   = regexp.MustCompile(`Load weight end\..*?mem usage=` + num + ` GB`)
	reOOM          = regexp.MustCompile(`CUDA out of|OutOfMemoryError|out of memory|Not enough memory|leave no GPU memory for the KV cache`)
	reNeededKV     = regexp.MustCompile(`\(` + num + ` GiB KV cache is needed, which is larger than the available KV cache memory \(` + num + ` GiB\)`)
	reEquivalent   = regexp.MustCompile(`CUDA graph memory profiling is enabled.*?--gpu-memory-utilization=` + num + ` is equivalent to`)
	reStartFailed  = regexp.MustCompile(`EngineCore failed to start|Engine core initialization failed`)
	reKVShort      = regexp.MustCompile(`(?:larger than the maximum number of tokens that can be stored in KV cache \(` + num + `\)|KV cache is needed, which is larger than the available KV cache memory.*?estimated maximum model length is ` + num + `|No available memory for the cache blocks)`)

	// Settings, from vLLM's "non-default args: {...}" (Python dict) or engine config "key=value" and SGLang's
	// server_args "key=value".
	reArgDict = regexp.MustCompile(`'([a-z_]+)': ('[^']*'|[^,}]+)`)
	reArgKV   = regexp.MustCompile(`\b([a-z_]+)=('[^']*'|[^,\s)]+)`)
)

// Parse reads a start-up log. It fails only when the log has none of the lines it knows.
func Parse(r io.Reader) (*Facts, error) {
	f := &Facts{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	seen := false
	blocks := int64(0)
	kvSeen := false
	for sc.Scan() {
		line := sc.Text()
		// A line a person added (a comment in a pasted log) is not the engine's; vLLM V0's "# GPU blocks: N" is.
		if strings.HasPrefix(strings.TrimSpace(line), "#") && !reGPUBlocks.MatchString(line) {
			continue
		}
		f.claim(line)
		if strings.Contains(line, "non-default args:") || strings.Contains(line, "Initializing a V1 LLM engine") ||
			strings.Contains(line, "Initializing an LLM engine") || strings.Contains(line, "server_args=") || strings.Contains(line, "ServerArgs(") {
			f.settings(line)
			seen = true
		}
		if m := reModelLoading.FindStringSubmatch(line); m != nil {
			// vLLM V0's "GB" in "Loading model weights took" is GiB too (it divides by 2^30).
			f.WeightsGiB, seen = flt(m[1]), true
		}
		if m := reProfileV1.FindStringSubmatch(line); m != nil {
			f.ActivationGiB, f.NonTorchGiB, seen = flt(m[1]), flt(m[2]), true
			if f.WeightsGiB == 0 {
				f.WeightsGiB = flt(m[3])
			}
		}
		if m := reProfileV0.FindStringSubmatch(line); m != nil {
			f.WeightsGiB, f.NonTorchGiB, f.ActivationGiB, f.KVGiB, seen = flt(m[1]), flt(m[2]), flt(m[3]), flt(m[4]), true
		}
		if m := reProfileV0Old.FindStringSubmatch(line); m != nil {
			f.TotalGiB, f.NonTorchGiB, f.KVGiB, f.Utilization, seen = flt(m[1]), flt(m[3]), flt(m[4]), flt(m[5]), true
			if f.WeightsGiB > 0 {
				f.ActivationGiB = round2(flt(m[2]) - f.WeightsGiB)
			}
		}
		if m := reTotalV0.FindStringSubmatch(line); m != nil {
			f.TotalGiB, f.Utilization = flt(m[1]), flt(m[2])
		}
		if m := reFreeOnDevice.FindStringSubmatch(line); m != nil {
			f.TotalGiB = flt(m[2])
		}
		if f.kvBudget(line, &kvSeen) {
			seen = true
		}
		if m := reKVTokens.FindStringSubmatch(line); m != nil {
			f.KVTokens, seen = int64(flt(m[1])), true
		}
		if m := reGPUBlocks.FindStringSubmatch(line); m != nil {
			blocks, seen = int64(flt(m[1])), true
		}
		if m := reConcurrency.FindStringSubmatch(line); m != nil {
			f.Concurrency = flt(m[2])
			if f.MaxModelLen == 0 {
				f.MaxModelLen = int(flt(m[1]))
			}
		}
		if m := reGraphs.FindStringSubmatch(line); m != nil {
			f.GraphsGiB = flt(m[1] + m[2])
		}
		if m := reSGLangKV.FindStringSubmatch(line); m != nil {
			f.KVTokens, f.KVGiB, seen = int64(flt(m[1])), round2(flt(m[2])+flt(m[3])), true
		}
		if m := reSGLangTokens.FindStringSubmatch(line); m != nil && f.KVTokens == 0 {
			f.KVTokens, seen = int64(flt(m[1])), true
		}
		if m := reSGLangLoad.FindStringSubmatch(line); m != nil {
			f.WeightsGiB, seen = flt(m[1]), true
		}
		if f.failure(line) {
			seen = true
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading the log: %w", err)
	}
	if !seen {
		return nil, errors.New("the log has no line about memory this tool knows (Model loading took, Available KV cache memory, GPU KV cache size, KV Cache is allocated, ...): pass a vLLM or SGLang start-up log")
	}
	if f.Engine == "" {
		f.Engine = string(engine.Default().Name())
	}
	if f.KVTokens == 0 && blocks > 0 {
		bs := f.BlockSize
		if bs == 0 {
			bs = 16
		}
		f.KVTokens = blocks * int64(bs)
	}
	return f, nil
}

// kvBudget reads the KV budget lines: every rank's "Available KV cache memory" (the tightest decides; none left is
// a failure), the KV a refused context needed and the newer releases' graph-profiling line.
// It reports whether the line was one of them.
func (f *Facts) kvBudget(line string, kvSeen *bool) bool {
	seen := false
	if m := reAvailableKV.FindStringSubmatch(line); m != nil {
		// Every rank logs its own; the tightest one decides what the engine allocates.
		kv := flt(m[2])
		if m[1] == "-" {
			kv = -kv
		}
		if !*kvSeen || kv < f.KVGiB {
			f.KVGiB = kv
		}
		*kvSeen, seen = true, true
		if kv <= 0 {
			f.KVTooSmall = true
			if f.Failure == "" {
				f.Failure = strings.TrimSpace(line)
			}
		}
	}
	if m := reNeededKV.FindStringSubmatch(line); m != nil {
		f.KVNeededGiB = flt(m[1])
		if !*kvSeen {
			f.KVGiB, *kvSeen = flt(m[2]), true
		}
	}
	if m := reEquivalent.FindStringSubmatch(line); m != nil {
		f.GraphsProfiled = true
		if f.Utilization == 0 {
			f.Utilization = flt(m[1])
		}
	}
	return seen
}

// failure reads a start-up failure: a context the KV cache cannot hold (KVTooSmall), else CUDA out of memory
// (OutOfMemory), and the engine's own "failed to start" after its memory lines (StartFailed). It reports whether the
// line was one.
func (f *Facts) failure(line string) bool {
	seen := false
	if reStartFailed.MatchString(line) {
		f.StartFailed, seen = true, true
		if f.Failure == "" {
			f.Failure = strings.TrimSpace(line)
		}
	}
	if m := reKVShort.FindStringSubmatch(line); m != nil {
		f.KVTooSmall, seen = true, true
		if f.Failure == "" {
			f.Failure = strings.TrimSpace(line)
		}
		if n := int(flt(m[1] + m[2])); n > 0 {
			f.MaxLenThatFits = n
		}
	} else if reOOM.MatchString(line) && !strings.Contains(line, "OOM check") {
		f.OutOfMemory, seen = true, true
		if f.Failure == "" {
			f.Failure = strings.TrimSpace(line)
		}
	}
	return seen
}

// claim lets every engine say whether the line is its own and which release it names: a sure line names the
// log's engine (and its release), the first hint names it when nothing surer has; a release is otherwise the first
// one a line names.
func (f *Facts) claim(line string) {
	for _, e := range engine.All() {
		c, v := e.LogClaim(line), e.LogVersion(line)
		switch {
		case c == engine.HintClaim && f.Engine == "":
			f.Engine = string(e.Name())
		case c == engine.SureClaim:
			f.Engine = string(e.Name())
			if v != "" {
				f.Version = v
			}
		}
		if v != "" && f.Version == "" {
			f.Version = v
		}
	}
}

// settings reads the engine's arguments from one line.
func (f *Facts) settings(line string) {
	args := map[string]string{}
	for _, m := range reArgKV.FindAllStringSubmatch(line, -1) {
		args[m[1]] = strings.Trim(m[2], "'\"")
	}
	for _, m := range reArgDict.FindAllStringSubmatch(line, -1) {
		args[m[1]] = strings.Trim(strings.TrimSpace(m[2]), "'\"")
	}
	intArg := func(dst *int, keys ...string) {
		for _, k := range keys {
			if v, ok := args[k]; ok {
				if n, err := strconv.Atoi(v); err == nil && n > 0 {
					*dst = n
					return
				}
			}
		}
	}
	intArg(&f.TP, "tensor_parallel_size", "tp_size")
	intArg(&f.PP, "pipeline_parallel_size", "pp_size")
	intArg(&f.DCP, "decode_context_parallel_size")
	intArg(&f.MaxModelLen, "max_model_len", "max_seq_len", "context_length")
	intArg(&f.MaxNumSeqs, "max_num_seqs", "max_running_requests")
	intArg(&f.MaxNumBatchedTokens, "max_num_batched_tokens", "chunked_prefill_size")
	intArg(&f.BlockSize, "block_size")
	for _, k := range []string{"gpu_memory_utilization", "mem_fraction_static"} {
		if v, err := strconv.ParseFloat(args[k], 64); err == nil && v > 0 && v <= 1 {
			f.Utilization = v
		}
	}
	if v := args["kv_cache_dtype"]; v != "" && v != "None" {
		f.KVCacheDType = v
	}
	for _, k := range []string{"model", "model_path", "model_tag"} {
		if v := args[k]; v != "" && v != "None" && f.Model == "" {
			f.Model = v
		}
	}
	if args["enforce_eager"] == "True" {
		f.EnforceEager = true
	}
}

func flt(s string) float64 {
	v, _ := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
	return v
}

func round2(x float64) float64 { return float64(int64(x*100+0.5)) / 100 }
