package importer

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"

	"github.com/llm-charts/llm-charts/internal/flagtable"
	"github.com/llm-charts/llm-charts/internal/values"
)

// command maps the container's command and args: a `sh -c` / `bash -c` script, or the engine argv directly.
func (s *state) command(cmd, args []string) {
	argv := append(append([]string{}, cmd...), args...)
	if len(argv) >= 3 && isShell(argv[0]) && (argv[1] == "-c" || argv[1] == "-ec" || argv[1] == "-lc") {
		if len(argv) > 3 {
			s.unmapped("command: arguments after the `%s -c` script (%q) are not mapped", argv[0], argv[3:])
		}
		cmds, exp, err := splitScript(argv[2])
		if err != nil {
			s.unmapped("command: the shell script cannot be mapped (%v); script: %q", err, argv[2])
			return
		}
		engine := -1
		for i, c := range cmds {
			if engineOf(stripExec(c.Words)) != "" {
				engine = i
			}
		}
		if engine < 0 {
			s.unmapped("command: no vLLM or SGLang server command (vllm serve, python3 -m vllm.entrypoints.openai.api_server, python3 -m sglang.launch_server) in %q", argv[2])
			return
		}
		for _, e := range exp {
			if !s.expansionMapped(e) {
				s.unmapped("command: shell expansion %q is kept literally; the chart passes arguments without a shell", e)
			}
		}
		for _, c := range cmds[:engine] {
			if isRayBootstrap(c.Words) {
				s.unmapped("command: %q starts a Ray cluster; not mapped: the chart starts multi-node ranks without Ray (the engine's own --nnodes/--node-rank, vLLM workers --headless)", c.Text)
				continue
			}
			s.serving.PreStartCommands = append(s.serving.PreStartCommands, c.Text)
		}
		for _, c := range cmds[engine+1:] {
			s.unmapped("command: %q runs after the engine exits; not mapped", c.Text)
		}
		s.engineArgs(stripExec(cmds[engine].Words))
		return
	}
	if engineOf(argv) == "" {
		s.unmapped("command: %q is not a vLLM or SGLang server command", argv)
		return
	}
	s.engineArgs(argv)
}

func isShell(w string) bool {
	switch w {
	case "sh", "bash", "/bin/sh", "/bin/bash", "/usr/bin/bash", "/usr/bin/sh":
		return true
	}
	return false
}

func stripExec(w []string) []string {
	if len(w) > 0 && w[0] == "exec" {
		return w[1:]
	}
	return w
}

// isRayBootstrap recognises the Ray start-up of vLLM's multi-node examples (multi-node-serving.sh, ray start).
func isRayBootstrap(w []string) bool {
	for _, x := range w {
		if strings.HasSuffix(x, "multi-node-serving.sh") {
			return true
		}
	}
	return len(w) >= 2 && w[0] == "ray" && w[1] == "start"
}

// engineOf names the engine a command starts ("" for none) and, through entryLen, how many words its entry point has.
func engineOf(w []string) string {
	e, _ := entryPoint(w)
	return e
}

func entryPoint(w []string) (engine string, n int) {
	python := len(w) >= 3 && (w[0] == "python3" || w[0] == "python") && w[1] == "-m"
	switch {
	case python && w[2] == "vllm.entrypoints.openai.api_server":
		return values.EngineVLLM, 3
	case len(w) >= 2 && w[0] == "vllm" && w[1] == "serve":
		return values.EngineVLLM, 2
	case python && w[2] == "sglang.launch_server":
		return values.EngineSGLang, 3
	}
	return "", 0
}

// shortFlags are vLLM's short aliases (arg_utils.py).
var shortFlags = map[string]string{"-tp": "--tensor-parallel-size", "-pp": "--pipeline-parallel-size",
	"-dcp": "--decode-context-parallel-size", "-dp": "--data-parallel-size", "-q": "--quantization"}

// sglangAliases are the alternative names server_args.py gives SGLang's flags (the table lists the primary ones),
// and the abbreviations SGLang's docs use, which its plain argparse parser (allow_abbrev) resolves as unique prefixes.
var sglangAliases = map[string]string{"--model": "--model-path", "--tensor-parallel-size": "--tp-size",
	"--pipeline-parallel-size": "--pp-size", "--data-parallel-size": "--dp-size", "--expert-parallel-size": "--ep-size",
	"--tp": "--tp-size", "--dp": "--dp-size"}

// sglangAsVLLM names, for each SGLang flag the chart maps, the vLLM flag of the same values key, so that one switch
// maps both engines.
var sglangAsVLLM = map[string]string{"--model-path": "--model", "--tp-size": "--tensor-parallel-size",
	"--pp-size": "--pipeline-parallel-size", "--dp-size": "--data-parallel-size", "--context-length": "--max-model-len",
	"--mem-fraction-static": "--gpu-memory-utilization", "--max-running-requests": "--max-num-seqs",
	"--chunked-prefill-size": "--max-num-batched-tokens", "--json-model-override-args": "--hf-overrides"}

// engineTable is the flag table of the engine release the imported image runs, else of the release the chart
// defaults to (with a note saying so).
func (s *state) engineTable() *flagtable.Table {
	tag := ""
	if s.v.Image != nil {
		tag = s.v.Image.Tag
	}
	if t, ok := flagtable.Lookup(s.engine, flagtable.VersionOfTag(tag)); ok {
		return t
	}
	t, _ := flagtable.Default(s.engine)
	if tag != "" {
		s.note("image tag %q: the chart has no engine flag table for its release, so the flags were checked against %s %s (the chart's default)", tag, s.engine, t.Version)
	}
	return t
}

// arg is one flag of the engine command line: its name as the engine reads it, its values and the words as written.
type arg struct {
	name string
	vals []string
	raw  []string
}

// parseArgs reads an engine argument list the way the engine's parser does: vLLM's FlexibleArgumentParser
// (vllm/utils/argparse_utils.py) turns `_` into `-` in every flag name (up to a `.`) and accepts `--model` in place
// of `vllm serve`'s positional model; SGLang's plain argparse.ArgumentParser (server_args.py prepare_server_args) does
// neither. `--flag=value` is one flag with one value; whether a flag takes a value comes from the engine table.
func (s *state) parseArgs(tab *flagtable.Table, rest []string) (positional string, flags []arg) {
	if s.engine == values.EngineVLLM && len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		positional, rest = rest[0], rest[1:]
	}
	var underscored []string
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		if !isFlag(a) {
			s.unmapped("engine argument %q: not after a flag; not mapped", a)
			continue
		}
		f := arg{name: a, raw: []string{a}}
		if n, v, ok := strings.Cut(a, "="); ok {
			f.name, f.vals = n, []string{v}
		}
		if s.engine == values.EngineVLLM && strings.HasPrefix(f.name, "--") && strings.Contains(f.name, "_") {
			head, tail, dotted := strings.Cut(f.name[2:], ".")
			f.name = "--" + strings.ReplaceAll(head, "_", "-")
			if dotted {
				f.name += "." + tail
			}
			underscored = append(underscored, a)
		}
		if long, ok := shortFlags[f.name]; ok && s.engine == values.EngineVLLM {
			f.name = long
		}
		if long, ok := sglangAliases[f.name]; ok && s.engine == values.EngineSGLang {
			f.name = long
		}
		if len(f.vals) == 0 {
			def, known := tab.Lookup(f.name)
			for known && def.Value != flagtable.Switch || !known {
				if i+1 >= len(rest) || isFlag(rest[i+1]) {
					break
				}
				f.vals = append(f.vals, rest[i+1])
				f.raw = append(f.raw, rest[i+1])
				i++
				if known && def.Value != flagtable.List {
					break
				}
			}
		}
		flags = append(flags, f)
	}
	if len(underscored) > 0 {
		s.note("engine flags written with underscores (%s): vLLM's parser reads _ and - alike (FlexibleArgumentParser), so they were mapped under their - names", strings.Join(underscored, " "))
	}
	return positional, flags
}

// engineArgs maps the engine's flags. Flags without a values key go to serving.extraArgs in order and are listed,
// as unknown when the engine's flag table does not have them.
func (s *state) engineArgs(argv []string) {
	engine, n := entryPoint(argv)
	s.engine = engine
	if engine == values.EngineSGLang {
		s.v.Engine = values.EngineSGLang
		s.sglang = orNew(s.sglang)
	}
	tab := s.engineTable()
	if engine == values.EngineVLLM && argv[0] != "vllm" {
		s.note("the engine command python3 -m vllm.entrypoints.openai.api_server becomes `vllm serve MODEL`: that entry point acts on --api-server-count and --headless, which the old one parses and ignores")
	}
	positional, flags := s.parseArgs(tab, argv[n:])
	if positional != "" {
		s.v.Model.Name = positional
	}
	have := map[string]string{}
	for _, f := range flags {
		have[f.name] = strings.Join(f.vals, " ")
	}
	extra := func(f arg, why string) {
		s.serving.ExtraArgs = append(s.serving.ExtraArgs, f.raw...)
		s.unmapped("engine flag %s: %s; kept in serving.extraArgs", strings.Join(f.raw, " "), why)
	}
	one := func(f arg) (string, bool) { return strings.Join(f.vals, " "), len(f.vals) == 1 }
	s.enginePort = map[string]int{values.EngineVLLM: 8000, values.EngineSGLang: 30000}[engine] // the engines' defaults
	for _, f := range flags {
		if _, known := tab.Lookup(f.name); !known {
			extra(f, "not a flag of "+tab.Engine+" "+tab.Version+" as far as the chart's flag table knows (internal/flagtable: a checked subset)"+underscoreHint(s.engine, f.name, tab))
			continue
		}
		if p := flagProblem(tab, f); p != "" {
			extra(f, p)
			continue
		}
		if s.rankFlag(f) {
			continue
		}
		name := f.name
		if engine == values.EngineSGLang {
			if vn, ok := sglangAsVLLM[name]; ok {
				name = vn
			} else if s.sglangFlag(f) {
				continue
			}
		}
		if !s.mapFlag(name, f, have, extra, one) {
			extra(f, "no values key for it")
		}
	}
}

// underscoreHint tells a SGLang user that an underscore flag name is the likely cause.
func underscoreHint(engine, name string, tab *flagtable.Table) string {
	if engine != values.EngineSGLang || !strings.Contains(name, "_") {
		return ""
	}
	dashed := "--" + strings.ReplaceAll(strings.TrimPrefix(name, "--"), "_", "-")
	if _, ok := tab.Lookup(dashed); ok {
		return "; SGLang's parser (plain argparse) does not read _ as -, so the old pod would have refused it too: did you mean " + dashed + "?"
	}
	return ""
}

// flagProblem checks a flag's values against the table (kind, choices, parser names).
func flagProblem(tab *flagtable.Table, f arg) string {
	args := append([]string{f.name}, f.vals...)
	if tab.Positional != "" {
		args = append([]string{"MODEL"}, args...)
	}
	return strings.Join(tab.CheckArgs(args), "; ")
}

// rankFlag drops the multi-node flags the chart renders itself for every rank (and maps what carries a value).
func (s *state) rankFlag(f arg) bool {
	v := strings.Join(f.vals, " ")
	switch f.name {
	case "--nnodes":
		if n, err := strconv.Atoi(v); err == nil && n > 1 {
			s.nodesFromFlag = n
		}
	case "--master-port":
		if n, err := strconv.Atoi(v); err == nil {
			s.v.MultiNode = &values.MultiNode{Port: n}
		}
	case "--dist-init-addr":
		if _, port, ok := strings.Cut(v, ":"); ok {
			if n, err := strconv.Atoi(port); err == nil {
				s.v.MultiNode = &values.MultiNode{Port: n}
			}
		}
	case "--node-rank", "--master-addr", "--headless":
	case "--distributed-executor-backend":
		if v == "ray" {
			s.unmapped("engine flag --distributed-executor-backend ray: not mapped (and not kept): the chart starts multi-node ranks without Ray")
			return true
		}
		return false
	default:
		return false
	}
	s.note("engine flag %s: the chart renders the rank flags of multi-node instances itself (--nnodes, --node-rank, and --master-addr/--master-port or --dist-init-addr from multiNode.port)", strings.Join(f.raw, " "))
	return true
}

// sglangFlag maps the SGLang flags that have no vLLM counterpart in the switch; false: not one of them.
func (s *state) sglangFlag(f arg) bool {
	v := strings.Join(f.vals, " ")
	switch f.name {
	case "--is-embedding":
		s.v.Model.Task = values.TaskEmbed
	case "--disable-radix-cache":
		s.serving.EnablePrefixCaching = ptr(false)
	case "--enable-dp-attention":
		s.sglang.EnableDPAttention = true
	case "--ep-size":
		s.epSize = v
	case "--dist-timeout":
		n, _ := strconv.Atoi(v)
		s.sglang.DistTimeoutSeconds = &n
	case "--enable-metrics":
		s.note("--enable-metrics: the chart adds it when a ServiceMonitor, PodMonitor or autoscaler reads the metrics (monitoring.*); turn one of them on to keep /metrics")
	case "--kv-cache-dtype":
		m := map[string]string{"auto": "auto", "bf16": "bfloat16", "bfloat16": "bfloat16", "fp8_e4m3": "fp8_e4m3", "fp8_e5m2": "fp8_e5m2"}
		if d, ok := m[v]; ok {
			s.serving.KVCacheDtype = d
			return true
		}
		return false
	default:
		return false
	}
	return true
}

// humanInt reads vLLM's human-readable integers (vllm/utils/argparse_utils.py human_readable_int): 32k = 32,000,
// 32K = 32,768.
func humanInt(v string) (int64, bool) {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return n, true
	}
	m := regexp.MustCompile(`^(\d+(?:\.\d+)?)([kKmMgGtT])$`).FindStringSubmatch(v)
	if m == nil {
		return 0, false
	}
	dec := map[string]float64{"k": 1e3, "m": 1e6, "g": 1e9, "t": 1e12}
	bin := map[string]int64{"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
	if d, ok := dec[m[2]]; ok {
		x, _ := strconv.ParseFloat(m[1], 64)
		return int64(x * d), true
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	return n * bin[m[2]], err == nil
}

// mapFlag maps one flag (by its vLLM name) to its values key; false when it has none.
func (s *state) mapFlag(name string, f arg, have map[string]string, extra func(arg, string), one func(arg) (string, bool)) bool {
	v, single := one(f)
	n, err := strconv.Atoi(v)
	isNum := single && err == nil
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
	switch name {
	case "--port":
		s.enginePort = n
	case "--host":
		if v != "0.0.0.0" {
			extra(f, "the chart listens on 0.0.0.0")
		}
	case "--download-dir":
		s.downloadDir = v
	case "--model":
		if s.v.Model.Name != "" && s.v.Model.Name != v {
			s.note("vllm serve has both the positional model %s and --model %s: vLLM moves --model to the front, so %s is served", s.v.Model.Name, v, v)
		}
		s.v.Model.Name = v
	case "--revision":
		s.v.Model.Revision = v
	case "--served-model-name":
		s.v.Model.ServedModelNames = append(s.v.Model.ServedModelNames, f.vals...)
	case "--api-server-count":
		s.vllm.APIServerCount = &n
	case "--tensor-parallel-size", "--pipeline-parallel-size", "--data-parallel-size", "--decode-context-parallel-size":
		if !isNum || n < 1 {
			extra(f, "not a positive integer")
			return true
		}
		switch name {
		case "--tensor-parallel-size":
			s.serving.TensorParallelSize = n
		case "--pipeline-parallel-size":
			s.serving.PipelineParallelSize = n
		case "--data-parallel-size":
			s.serving.DataParallelSize = n
		default:
			s.vllm.DecodeContextParallelSize = &n
		}
	case "--enable-expert-parallel", "--no-enable-expert-parallel":
		s.serving.EnableExpertParallel = ptr(name == "--enable-expert-parallel")
	case "--trust-remote-code":
		s.serving.TrustRemoteCode = ptr(true)
	case "--enable-chunked-prefill", "--no-enable-chunked-prefill":
		s.vllm.EnableChunkedPrefill = ptr(name == "--enable-chunked-prefill")
	case "--enable-prefix-caching", "--no-enable-prefix-caching":
		s.serving.EnablePrefixCaching = ptr(name == "--enable-prefix-caching")
	case "--max-num-seqs", "--max-model-len", "--max-num-batched-tokens":
		x, ok := humanInt(v)
		if !ok || !single {
			extra(f, "not an integer")
			return true
		}
		if _, err := strconv.Atoi(v); err != nil {
			s.note("engine flag %s %s: read as %d, as the engine reads it", f.name, v, x)
		}
		switch name {
		case "--max-num-seqs":
			s.serving.MaxNumSeqs = &x
		case "--max-model-len":
			s.serving.MaxModelLen = &x
		default:
			s.serving.MaxNumBatchedTokens = &x
		}
	case "--gpu-memory-utilization":
		x, _ := strconv.ParseFloat(v, 64)
		s.serving.GPUMemoryUtilization = &x
	case "--kv-cache-dtype":
		s.serving.KVCacheDtype = v
	case "--runner", "--convert":
		if have["--runner"] == "pooling" && have["--convert"] == "embed" {
			s.v.Model.Task = values.TaskEmbed
			return true
		}
		extra(f, "only --runner pooling with --convert embed maps (model.task: embed)")
	case "--enable-auto-tool-choice":
		if have["--tool-call-parser"] == "" {
			extra(f, "the chart adds it only with a tool-call parser")
		}
	case "--tool-call-parser":
		s.serving.ToolCallParser = v
		if _, ok := have["--enable-auto-tool-choice"]; !ok && s.engine == values.EngineVLLM {
			s.note("the chart adds --enable-auto-tool-choice with --tool-call-parser")
		}
	case "--reasoning-parser":
		s.serving.ReasoningParser = v
	case "--mamba-cache-mode":
		s.vllm.MambaCacheMode = v
	case "--mm-processor-cache-gb":
		if !isNum {
			extra(f, "not an integer")
			return true
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
			return true
		}
		off().GB = &n
		if _, ok := have["--offload-backend"]; !ok {
			off().Backend = "uva"
			s.note("--cpu-offload-gb alone becomes vllm.cpuOffload.backend uva (the chart adds --offload-backend uva and its mandatory variables)")
		}
	case "--offload-group-size", "--offload-num-in-group", "--offload-prefetch-step":
		switch name {
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
			return true
		}
		s.vllm.KVOffload = &values.KVOffload{SizeGB: &n}
	case "--hf-overrides":
		var o map[string]any
		if err := json.Unmarshal([]byte(v), &o); err != nil {
			extra(f, "not a JSON object")
			return true
		}
		s.serving.HFOverrides = o
	case "--api-key":
		s.apiKeyFlag(f)
	default:
		return false
	}
	return true
}

// envRef matches a word that is only a reference to one environment variable: the kubelet's $(NAME), or the shell's
// $NAME / ${NAME}.
var envRef = regexp.MustCompile(`^\$(?:\(([A-Za-z_][A-Za-z0-9_]*)\)|\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$`)

func envRefName(w string) string {
	m := envRef.FindStringSubmatch(w)
	if m == nil {
		return ""
	}
	return m[1] + m[2] + m[3]
}

// apiKeyFlag maps `--api-key $(VAR)` (or $VAR in a shell script) whose variable comes from a Secret key to
// credentials.apiKey; a literal key is never copied.
func (s *state) apiKeyFlag(f arg) {
	v := strings.Join(f.vals, " ")
	name := envRefName(v)
	ref, ok := s.secretEnv[name]
	if name == "" || !ok {
		s.unmapped("engine flag --api-key: a secret in plain text (or a variable not taken from a Secret key), NOT copied; put it in a Secret (credentials.apiKey)")
		return
	}
	s.setAPIKey(name, ref)
	delete(s.secretEnv, name)
}

// expansionMapped reports whether a shell expansion of the script is one the import resolves: a variable that only
// names a Secret key (an API key).
func (s *state) expansionMapped(e string) bool {
	name := envRefName(strings.Trim(strings.Fields(e + " ")[0], `"`))
	_, ok := s.secretEnv[name]
	return name != "" && ok
}

func isFlag(a string) bool {
	if !strings.HasPrefix(a, "-") || a == "-" {
		return false
	}
	_, err := strconv.ParseFloat(a, 64) // a negative number is a value
	return err != nil
}

func ptr[T any](v T) *T { return &v }
