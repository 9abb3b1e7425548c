package importer

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/llm-charts/llm-charts/internal/engine"
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
		at := -1
		for i, c := range cmds {
			if isEngineCommand(stripExec(c.Words)) {
				at = i
			}
		}
		if at < 0 {
			s.unmapped("command: no vLLM or SGLang server command (vllm serve, python3 -m vllm.entrypoints.openai.api_server, python3 -m sglang.launch_server) in %q", argv[2])
			return
		}
		for _, e := range exp {
			if !s.expansionMapped(e) {
				s.unmapped("command: shell expansion %q is kept literally; the chart passes arguments without a shell", e)
			}
		}
		for _, c := range cmds[:at] {
			if isRayBootstrap(c.Words) {
				s.unmapped("command: %q starts a Ray cluster; not mapped: the chart starts multi-node ranks without Ray (the engine's own --nnodes/--node-rank, vLLM workers --headless)", c.Text)
				continue
			}
			s.serving.PreStartCommands = append(s.serving.PreStartCommands, c.Text)
		}
		for _, c := range cmds[at+1:] {
			s.unmapped("command: %q runs after the engine exits; not mapped", c.Text)
		}
		s.engineArgs(stripExec(cmds[at].Words))
		return
	}
	if !isEngineCommand(argv) {
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

// recognize finds the engine whose server argv starts: the engine, how many words its entry point has and the
// engine's note on that entry point; nil when argv starts none.
func recognize(argv []string) (engine.Engine, int, string) {
	for _, e := range engine.All() {
		if n, note := e.EntryPoint(argv); n > 0 {
			return e, n, note
		}
	}
	return nil, 0, ""
}

// isEngineCommand reports whether argv starts an engine's server.
func isEngineCommand(argv []string) bool {
	e, _, _ := recognize(argv)
	return e != nil
}

// engineTable is the flag table of the engine release the imported image runs (its own, or its minor series'),
// else of the release the chart defaults to when the image names none, else the nearest older table (with a note
// saying so).
func (s *state) engineTable() *flagtable.Table {
	tag := ""
	if s.v.Image != nil {
		tag = s.v.Image.Tag
	}
	name := string(s.engine.Name())
	release := flagtable.VersionOfTag(tag)
	if t, ok := flagtable.ForRelease(name, release); ok {
		return t
	}
	if release == "" {
		t, _ := flagtable.Lookup(name, s.engine.Spec().DefaultRelease)
		if tag != "" {
			s.note("image tag %q names no release: the flags were checked against %s %s (the chart's default)", tag, name, t.Version)
		}
		return t
	}
	t, _ := flagtable.Nearest(name, release)
	s.note("image tag %q: the chart has no engine flag table for %s %s, so the flags were checked against %s %s, the nearest release with one", tag, name, release, name, t.Version)
	return t
}

// arg is one flag of the engine command line: its name as the engine reads it, its values and the words as written.
type arg struct {
	name string
	vals []string
	raw  []string
}

// parseArgs reads an engine argument list the way the engine's parser does (the engine's FlagName: vLLM's
// FlexibleArgumentParser turns `_` into `-` and accepts `--model` in place of `vllm serve`'s positional model;
// SGLang's plain argparse does neither; both resolve their aliases). `--flag=value` is one flag with one value;
// whether a flag takes a value comes from the engine table.
func (s *state) parseArgs(tab *flagtable.Table, rest []string) (positional string, flags []arg) {
	if s.engine.PositionalModel() && len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		positional, rest = rest[0], rest[1:]
	}
	var rewritten []string
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
		name, re := s.engine.FlagName(f.name)
		if re {
			rewritten = append(rewritten, a)
		}
		f.name = name
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
	if len(rewritten) > 0 {
		s.note("%s", s.engine.RewriteNote(rewritten))
	}
	return positional, flags
}

// engineArgs maps the engine's flags: each by its row in the engine's spec (internal/engine/specs), a plain row by
// its type (rows.go), a row with logic by the engine or the importer's reader of that logic. Flags without a values
// key go to serving.extraArgs in order and are listed, as unknown when the engine's flag table does not have them.
func (s *state) engineArgs(argv []string) {
	e, n, entryNote := recognize(argv)
	s.engine = e
	if e != engine.Default() {
		s.v.Engine = string(e.Name())
	}
	tab := s.engineTable()
	if entryNote != "" {
		s.note("%s", entryNote)
	}
	positional, flags := s.parseArgs(tab, argv[n:])
	if positional != "" {
		s.v.Model.Name = positional
	}
	c := &cmdline{all: map[string][]string{}}
	for _, f := range flags {
		c.all[f.name] = f.vals
	}
	s.enginePort = e.Spec().Port // the engine's default
	for _, f := range flags {
		if _, known := tab.Lookup(f.name); !known {
			s.extra(f, "not a flag of "+tab.Engine+" "+tab.Version+tableScope(tab)+e.UnknownFlagHint(f.name, tab))
			continue
		}
		if p := flagProblem(tab, f); p != "" {
			s.extra(f, p)
			continue
		}
		if s.rankFlag(f) {
			continue
		}
		if f.name == e.APIKeyFlag() {
			s.apiKeyFlag(f)
			continue
		}
		if !s.readFlag(f, c) {
			s.extra(f, "no values key for it")
		}
	}
	s.loraFlags(c)
}

// extra keeps a flag in serving.extraArgs, as written, and lists why.
func (s *state) extra(f arg, why string) {
	s.serving.ExtraArgs = append(s.serving.ExtraArgs, f.raw...)
	s.unmapped("engine flag %s: %s; kept in serving.extraArgs", strings.Join(f.raw, " "), why)
}

// flagProblem checks a flag's values against the table (kind, choices, parser names).
func flagProblem(tab *flagtable.Table, f arg) string {
	args := append([]string{f.name}, f.vals...)
	if tab.Positional != "" {
		args = append([]string{"MODEL"}, args...)
	}
	return strings.Join(tab.CheckArgs(args), "; ")
}

// nnodesFlag is the rank flag that carries the number of nodes (both engines spell it so).
const nnodesFlag = "--nnodes"

// rankFlag drops the multi-node flags the chart renders itself for every rank (the spec's rank flags) and maps what
// carries a value: the node count, and multiNode.port from --master-port or the port of --dist-init-addr.
func (s *state) rankFlag(f arg) bool {
	v := strings.Join(f.vals, " ")
	if f.name == "--distributed-executor-backend" {
		if v == "ray" {
			s.unmapped("engine flag --distributed-executor-backend ray: not mapped (and not kept): the chart starts multi-node ranks without Ray")
			return true
		}
		return false
	}
	var row engine.KeyRow
	for _, r := range s.engine.Spec().RankFlags {
		if r.Flag == f.name {
			row = r
		}
	}
	switch {
	case row.Flag == "":
		return false
	case f.name == nnodesFlag:
		if n, err := strconv.Atoi(v); err == nil && n > 1 {
			s.nodesFromFlag = n
		}
	case row.Key == "multiNode.port":
		port := v
		if i := strings.LastIndex(v, ":"); i >= 0 {
			port = v[i+1:]
		}
		if n, err := strconv.Atoi(port); err == nil {
			s.v.MultiNode = &values.MultiNode{Port: n}
		}
	}
	s.note("engine flag %s: the chart renders the rank flags of multi-node instances itself (--nnodes, --node-rank, and --master-addr/--master-port or --dist-init-addr from multiNode.port)", strings.Join(f.raw, " "))
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

// tableScope qualifies "not a flag of" by what the table covers: a partial table lists only the flags the chart and
// its tests use.
func tableScope(tab *flagtable.Table) string {
	if tab.Partial {
		return " as far as the chart's flag table knows (internal/flagtable: a checked subset)"
	}
	return " (its flag table, read from the release)"
}
