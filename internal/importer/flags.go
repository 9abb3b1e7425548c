package importer

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/llm-charts/llm-charts/internal/flagtable"
	"github.com/llm-charts/llm-charts/internal/values"
)

// command maps the container's command and args: a `bash -c` / `sh -c` script, or the engine argv directly.
func (s *state) command(cmd, args []string) {
	argv := append(append([]string{}, cmd...), args...)
	if len(argv) >= 3 && (argv[0] == "bash" || argv[0] == "sh" || argv[0] == "/bin/bash" || argv[0] == "/bin/sh") && argv[1] == "-c" {
		if len(argv) > 3 {
			s.unmapped("command: arguments after the `%s -c` script (%q) are not mapped", argv[0], argv[3:])
		}
		cmds, exp, err := splitScript(argv[2])
		if err != nil {
			s.unmapped("command: the shell script cannot be mapped (%v); script: %q", err, argv[2])
			return
		}
		for _, e := range exp {
			s.unmapped("command: shell expansion %q is kept literally; the chart passes arguments without a shell", e)
		}
		engine := -1
		for i, c := range cmds {
			if isEngine(stripExec(c.Words)) {
				engine = i
			}
		}
		if engine < 0 {
			s.unmapped("command: no vLLM server command (python3 -m vllm.entrypoints.openai.api_server or vllm serve) in %q", argv[2])
			return
		}
		for _, c := range cmds[:engine] {
			s.serving.PreStartCommands = append(s.serving.PreStartCommands, c.Text)
		}
		for _, c := range cmds[engine+1:] {
			s.unmapped("command: %q runs after the engine exits; not mapped", c.Text)
		}
		s.engineArgs(stripExec(cmds[engine].Words))
		return
	}
	if !isEngine(argv) {
		s.unmapped("command: %q is not a vLLM server command", argv)
		return
	}
	s.engineArgs(argv)
}

func stripExec(w []string) []string {
	if len(w) > 0 && w[0] == "exec" {
		return w[1:]
	}
	return w
}

func isEngine(w []string) bool {
	if len(w) >= 3 && (w[0] == "python3" || w[0] == "python") && w[1] == "-m" && w[2] == "vllm.entrypoints.openai.api_server" {
		return true
	}
	return len(w) >= 2 && w[0] == "vllm" && w[1] == "serve"
}

var shortFlags = map[string]string{"-tp": "--tensor-parallel-size", "-pp": "--pipeline-parallel-size",
	"-dcp": "--decode-context-parallel-size", "-dp": "--data-parallel-size"}

// engineTable is the flag table of the vLLM release the imported image runs, else of the release the chart defaults
// to (with a note saying so).
func (s *state) engineTable() *flagtable.Table {
	tag := ""
	if s.v.Image != nil {
		tag = s.v.Image.Tag
	}
	if t, ok := flagtable.Lookup("vllm", flagtable.VersionOfTag(tag)); ok {
		return t
	}
	t, _ := flagtable.Default("vllm")
	if tag != "" {
		s.note("image tag %q: the chart has no engine flag table for its release, so the flags were checked against vLLM %s (the chart's default)", tag, t.Version)
	}
	return t
}

// engineArgs maps the engine's flags. Flags without a values key go to serving.extraArgs in order and are listed.
// Whether a flag takes a value, and whether the release knows it, comes from the engine flag table.
func (s *state) engineArgs(argv []string) {
	tab := s.engineTable()
	var rest []string
	if argv[0] == "vllm" {
		rest = argv[2:]
		if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
			s.v.Model.Name = rest[0]
			rest = rest[1:]
		}
	} else {
		rest = argv[3:]
		s.note("the engine command python3 -m vllm.entrypoints.openai.api_server becomes `vllm serve MODEL`: that entry point acts on --api-server-count and --headless, which the old one parses and ignores")
	}
	type flag struct {
		name string
		vals []string
		raw  []string
	}
	var flags []flag
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		if !strings.HasPrefix(a, "-") {
			s.unmapped("engine argument %q: not after a flag; not mapped", a)
			continue
		}
		f := flag{name: a, raw: []string{a}}
		if n, v, ok := strings.Cut(a, "="); ok {
			f.name, f.vals = n, []string{v}
		} else if takes, known := tab.TakesValue(a); takes || !known {
			for i+1 < len(rest) && !isFlag(rest[i+1]) {
				f.vals = append(f.vals, rest[i+1])
				f.raw = append(f.raw, rest[i+1])
				i++
			}
		}
		if long, ok := shortFlags[f.name]; ok {
			f.name = long
		}
		flags = append(flags, f)
	}
	have := map[string]string{}
	checked := []string{"MODEL"} // the positional model of `vllm serve`
	for _, f := range flags {
		have[f.name] = strings.Join(f.vals, " ")
		checked = append(append(checked, f.name), f.vals...)
	}
	for _, p := range tab.CheckArgs(checked) {
		s.note("vLLM %s flag table (internal/flagtable): %s", tab.Version, p)
	}
	extra := func(f flag, why string) {
		s.serving.ExtraArgs = append(s.serving.ExtraArgs, f.raw...)
		s.unmapped("engine flag %s: %s; kept in serving.extraArgs", strings.Join(f.raw, " "), why)
	}
	one := func(f flag) (string, bool) { return strings.Join(f.vals, " "), len(f.vals) == 1 }
	intOf := func(f flag) (int, bool) {
		v, ok := one(f)
		n, err := strconv.Atoi(v)
		return n, ok && err == nil
	}
	mm := func() *values.Multimodal {
		if s.vllm.Multimodal == nil {
			s.vllm.Multimodal = &values.Multimodal{Enabled: true}
		}
		return s.vllm.Multimodal
	}
	off := func() *values.CPUOffload {
		if s.vllm.CPUOffload == nil {
			s.vllm.CPUOffload = &values.CPUOffload{}
		}
		return s.vllm.CPUOffload
	}
	port := 8000 // vLLM's default
	downloadDir := ""
	for _, f := range flags {
		v, single := one(f)
		n, isNum := intOf(f)
		switch f.name {
		case "--port":
			if !isNum {
				extra(f, "not a port number")
				continue
			}
			port = n
		case "--host":
			if v != "0.0.0.0" {
				extra(f, "the chart listens on 0.0.0.0")
			}
		case "--download-dir":
			downloadDir = v
		case "--model":
			s.v.Model.Name = v
		case "--revision":
			s.v.Model.Revision = v
		case "--served-model-name":
			s.v.Model.ServedModelNames = append(s.v.Model.ServedModelNames, f.vals...)
		case "--api-server-count":
			if !isNum {
				extra(f, "not an integer")
				continue
			}
			s.vllm.APIServerCount = &n
		case "--tensor-parallel-size", "--pipeline-parallel-size", "--data-parallel-size", "--decode-context-parallel-size":
			if !isNum || n < 1 {
				extra(f, "not a positive integer")
				continue
			}
			switch f.name {
			case "--tensor-parallel-size":
				s.serving.TensorParallelSize = n
			case "--pipeline-parallel-size":
				s.serving.PipelineParallelSize = n
			case "--data-parallel-size":
				s.serving.DataParallelSize = n
			default:
				s.vllm.DecodeContextParallelSize = &n
			}
		case "--enable-expert-parallel":
			s.serving.EnableExpertParallel = ptr(true)
		case "--trust-remote-code":
			s.serving.TrustRemoteCode = ptr(true)
		case "--enable-chunked-prefill", "--no-enable-chunked-prefill":
			s.vllm.EnableChunkedPrefill = ptr(f.name == "--enable-chunked-prefill")
		case "--enable-prefix-caching", "--no-enable-prefix-caching":
			s.serving.EnablePrefixCaching = ptr(f.name == "--enable-prefix-caching")
		case "--max-num-seqs", "--max-model-len", "--max-num-batched-tokens":
			if !isNum {
				extra(f, "not a plain integer")
				continue
			}
			x := int64(n)
			switch f.name {
			case "--max-num-seqs":
				s.serving.MaxNumSeqs = &x
			case "--max-model-len":
				s.serving.MaxModelLen = &x
			default:
				s.serving.MaxNumBatchedTokens = &x
			}
		case "--gpu-memory-utilization":
			x, err := strconv.ParseFloat(v, 64)
			if err != nil || !single {
				extra(f, "not a number")
				continue
			}
			s.serving.GPUMemoryUtilization = &x
		case "--kv-cache-dtype":
			s.serving.KVCacheDtype = v
		case "--runner", "--convert":
			if have["--runner"] == "pooling" && have["--convert"] == "embed" {
				s.v.Model.Task = values.TaskEmbed
				continue
			}
			extra(f, "only --runner pooling with --convert embed maps (model.task: embed)")
		case "--task":
			if v == "embed" || v == "embedding" {
				s.v.Model.Task = values.TaskEmbed
				s.note("the old --task %s becomes model.task: embed, rendered as --runner pooling --convert embed", v)
				continue
			}
			extra(f, "only --task embed maps")
		case "--enable-auto-tool-choice":
			if have["--tool-call-parser"] == "" {
				extra(f, "the chart adds it only with a tool-call parser")
			}
		case "--tool-call-parser":
			s.serving.ToolCallParser = v
			if _, ok := have["--enable-auto-tool-choice"]; !ok {
				s.note("the chart adds --enable-auto-tool-choice with --tool-call-parser")
			}
		case "--reasoning-parser":
			s.serving.ReasoningParser = v
		case "--mamba-cache-mode":
			s.vllm.MambaCacheMode = v
		case "--mm-processor-cache-gb":
			if !isNum {
				extra(f, "not an integer")
				continue
			}
			mm().ProcessorCacheGB = &n
		case "--mm-processor-cache-type":
			mm().ProcessorCacheType = v
		case "--mm-encoder-tp-mode":
			mm().EncoderTPMode = v
		case "--offload-backend":
			off().Backend = v
		case "--cpu-offload-gb":
			if !isNum {
				extra(f, "not an integer")
				continue
			}
			off().GB = &n
			if _, ok := have["--offload-backend"]; !ok {
				off().Backend = "uva"
				s.note("--cpu-offload-gb alone becomes vllm.cpuOffload.backend uva (the chart adds --offload-backend uva and its mandatory variables)")
			}
		case "--offload-group-size", "--offload-num-in-group", "--offload-prefetch-step":
			if !isNum {
				extra(f, "not an integer")
				continue
			}
			switch f.name {
			case "--offload-group-size":
				off().GroupSize = &n
			case "--offload-num-in-group":
				off().NumInGroup = &n
			default:
				off().PrefetchStep = &n
			}
		case "--kv-offloading-backend":
			if v != "native" {
				extra(f, "the chart renders the native backend")
			}
		case "--kv-offloading-size":
			if !isNum {
				extra(f, "not an integer")
				continue
			}
			s.vllm.KVOffload = &values.KVOffload{SizeGB: &n}
		case "--hf-overrides":
			var o map[string]any
			if err := json.Unmarshal([]byte(v), &o); err != nil {
				extra(f, "not a JSON object")
				continue
			}
			s.serving.HFOverrides = o
		case "--api-key":
			s.unmapped("engine flag --api-key: a secret in plain text, NOT copied; put it in a Secret (credentials.apiKey)")
		default:
			extra(f, "no values key for it")
		}
	}
	s.v.Service = orNew(s.v.Service)
	s.v.Service.Port = port
	s.downloadDir = downloadDir
}

func isFlag(a string) bool {
	if !strings.HasPrefix(a, "-") {
		return false
	}
	_, err := strconv.ParseFloat(a, 64) // a negative number is a value
	return err != nil
}

func ptr[T any](v T) *T { return &v }
