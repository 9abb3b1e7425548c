package flagtable

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// Collected is what `make flagtable` reads from an engine release: its entry point's --help text (which the
// release's own argument parser writes, flag by flag, with the choices of every choice flag and, for the parser
// flags, the registered parser names) and the names of the environment variables its source declares.
type Collected struct {
	Help []byte
	Env  []string
}

// FromHelp builds a table from an argparse --help text. Every flag becomes an entry whose source is its argument
// group; a flag with a metavar takes a value (`{a,b}` gives its choices, `X [X ...]` makes it a list), `--x` with
// `--no-x` is a negatable switch. The flags of the groups named in frontendGroups (and the flags named in
// frontendFlags) are marked as API-server flags. The choices of the parser flags become the parser lists.
//
// Kinds that help text cannot tell (int, float, JSON) are taken from prev, the table being refreshed, for the flags
// it already had; new flags are strings. The source block is left for the caller to fill.
func FromHelp(engine, version string, entrypoint []string, c Collected, prev *Table, frontendGroups, frontendFlags []string) (*Table, error) {
	t := newTable(engine, version, entrypoint, prev)
	group := ""
	negations := map[string]bool{}
	var current []string                  // the flags of the entry being read
	help := map[string]*strings.Builder{} // flag → its help text, for the default it prints
	sc := bufio.NewScanner(strings.NewReader(string(c.Help)))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line != "" && !strings.HasPrefix(line, " ") && strings.HasSuffix(line, ":"):
			group, current = strings.TrimSuffix(line, ":"), nil
		case strings.HasPrefix(line, "  -"):
			spec := strings.TrimSpace(line)
			text := ""
			if i := strings.Index(spec, "   "); i > 0 { // the help column starts after two or more spaces
				spec, text = spec[:i], spec[i:]
			}
			current = nil
			for _, alt := range splitAlternatives(spec) {
				name, metavar, _ := strings.Cut(alt, " ")
				if !strings.HasPrefix(name, "--") || name == "--help" {
					continue
				}
				if rest, ok := strings.CutPrefix(name, "--no-"); ok && metavar == "" {
					negations["--"+rest] = true
				}
				f := Flag{Source: "--help, group " + group}
				if metavar != "" {
					f.Value = String
					switch {
					case strings.HasPrefix(metavar, "{"):
						end := strings.Index(metavar, "}")
						if end < 0 {
							return nil, fmt.Errorf("%s: unclosed choices %q", name, metavar)
						}
						f.Choices = strings.Split(metavar[1:end], ",")
					case strings.Contains(metavar, "..."):
						f.Value = List
					}
				}
				f.Frontend = contains(frontendGroups, group) || contains(frontendFlags, name)
				t.Flags[name] = f
				current = append(current, name)
				help[name] = &strings.Builder{}
			}
			for _, name := range current {
				help[name].WriteString(text)
			}
		case strings.HasPrefix(line, "   "):
			for _, name := range current {
				help[name].WriteString(" " + line)
			}
		}
	}
	for name, b := range help {
		if f, ok := t.Flags[name]; ok {
			f.Default = defaultOf(b.String())
			t.Flags[name] = f
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for name := range negations {
		if f, ok := t.Flags[name]; ok && f.Value == Switch {
			f.Negatable = true
			t.Flags[name] = f
			delete(t.Flags, "--no-"+strings.TrimPrefix(name, "--"))
		}
	}
	for name, f := range t.Flags {
		if old, ok := prev.flag(name); ok && f.Value == String && (len(f.Choices) == 0 || numeric(old.Value, f.Choices)) {
			f.Value = old.Value
		}
		t.Flags[name] = f
	}
	return t, t.finish("the help text", c.Env)
}

// defaultOf reads the default a flag's help text ends with, as argparse's ArgumentDefaultsHelpFormatter writes it:
// `(default: 0.9)`; "" for none, and for None (no default: the engine decides at run time).
func defaultOf(help string) string {
	text := strings.Join(strings.Fields(help), " ")
	i := strings.LastIndex(text, "(default: ")
	if i < 0 {
		return ""
	}
	v := text[i+len("(default: "):]
	end := strings.LastIndex(v, ")")
	if end < 0 {
		return ""
	}
	v = strings.TrimSpace(v[:end])
	if v == "None" {
		return ""
	}
	return v
}

// newTable starts a table of a release, with what neither --help nor a dump of the parser can tell (the positional
// argument, the metrics, the paths and the series) kept from prev, the table being refreshed or the nearest one.
func newTable(engine, version string, entrypoint []string, prev *Table) *Table {
	t := &Table{Engine: engine, Version: version, Entrypoint: entrypoint, Flags: map[string]Flag{}, Env: map[string]string{}}
	if prev != nil {
		t.Positional, t.Metrics, t.Paths, t.Series = prev.Positional, prev.Metrics, prev.Paths, prev.Series
	}
	return t
}

// finish does what both readers share once the flags are read: the defaults a table keeps, the parser flags' choices
// moved into the parser lists, and the variables. from names the input for the error when it held no flag.
func (t *Table) finish(from string, env []string) error {
	if len(t.Flags) == 0 {
		return fmt.Errorf("no flags in %s", from)
	}
	for name, f := range t.Flags {
		f.Default = keptDefault(f)
		switch name {
		case "--tool-call-parser":
			f.Parsers, t.ToolCallParsers, f.Choices = "tool", f.Choices, nil
		case "--reasoning-parser":
			f.Parsers, t.ReasoningParsers, f.Choices = "reasoning", f.Choices, nil
		}
		t.Flags[name] = f
	}
	sort.Strings(t.ToolCallParsers)
	sort.Strings(t.ReasoningParsers)
	for _, e := range env {
		if e = strings.TrimSpace(e); e != "" {
			t.Env[e] = "declared by the release's source"
		}
	}
	return nil
}

// keptDefault is the default a table records: none for JSON flags (their defaults are whole config objects, which
// the help text wraps mid-word) and none longer than a line.
func keptDefault(f Flag) string {
	if f.Value == JSON || len(f.Default) > 80 {
		return ""
	}
	return f.Default
}

// numeric reports whether choices are all numbers of a numeric kind (vLLM's --max-lora-rank {1,8,16,...}): the
// flag keeps that kind.
func numeric(kind string, choices []string) bool {
	if kind != Int && kind != Float {
		return false
	}
	for _, c := range choices {
		if _, err := strconv.ParseFloat(c, 64); err != nil {
			return false
		}
	}
	return true
}

func (t *Table) flag(name string) (Flag, bool) {
	if t == nil {
		return Flag{}, false
	}
	f, ok := t.Flags[name]
	return f, ok
}

// splitAlternatives splits an option spec such as `--tensor-parallel-size N, -tp N` at the commas outside braces.
func splitAlternatives(spec string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range spec {
		switch r {
		case '{':
			depth++
		case '}':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(spec[start:i]))
				start = i + 1
			}
		}
	}
	return append(out, strings.TrimSpace(spec[start:]))
}

// ReadLines reads a list of names, one a line.
func ReadLines(r io.Reader) ([]string, error) {
	var out []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if s := strings.TrimSpace(sc.Text()); s != "" && !strings.HasPrefix(s, "#") {
			out = append(out, s)
		}
	}
	return out, sc.Err()
}

// Action is one argument of an engine's parser as the parser itself holds it (argparse's Action: option strings,
// default, choices, the name of its type function and nargs), as a dump of make_arg_parser()'s actions lists them.
type Action struct {
	Flags   []string
	Default string
	Choices []string
	Type    string
	Nargs   string
}

// ReadActions reads a dump of a parser's actions, one a line, tab-separated: the option strings (comma-separated),
// the default, the choices (comma-separated), the type function's name and nargs. Lines starting with # are comments.
func ReadActions(r io.Reader) ([]Action, error) {
	var out []Action
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 5 {
			return nil, fmt.Errorf("line %d: %d tab-separated fields, want 5 (flags, default, choices, type, nargs)", n, len(f))
		}
		a := Action{Default: f[1], Type: f[3], Nargs: f[4]}
		for _, x := range strings.Split(f[0], ",") {
			a.Flags = append(a.Flags, strings.TrimSpace(x))
		}
		if f[2] != "" {
			a.Choices = strings.Split(f[2], ",")
		}
		out = append(out, a)
	}
	return out, sc.Err()
}

// actionKinds maps the type functions of vLLM's parser to value kinds; a type it does not name (an optional
// wrapper such as _optional_type, a lambda, human_readable_int, which takes 8192 and 8k) takes the kind of the
// previous table, else String.
var actionKinds = map[string]string{
	"int": Int, "float": Float, "str": String,
	"loads": JSON, "union_dict_and_str": JSON, "parse_dataclass": JSON, "_parse_type": JSON,
}

// FromActions builds a table from a dump of the parser's actions: the same table FromHelp writes, with value kinds
// read from the type functions instead of guessed. A dump has no argument groups, so API-server flags are those
// the previous table marks and those named in frontendFlags.
func FromActions(engine, version string, entrypoint []string, actions []Action, env []string, prev *Table, frontendFlags []string) (*Table, error) {
	t := newTable(engine, version, entrypoint, prev)
	for _, a := range actions {
		long := ""
		negatable := false
		for _, x := range a.Flags {
			switch {
			case strings.HasPrefix(x, "--no-"):
				negatable = true
			case strings.HasPrefix(x, "--") && long == "":
				long = x
			}
		}
		if long == "" || long == "--help" {
			continue
		}
		f := Flag{Source: "parser action, type " + a.Type, Choices: a.Choices, Negatable: negatable}
		if a.Default != "None" {
			f.Default = strings.Trim(a.Default, `"`)
		}
		switch {
		case a.Type == "bool" || a.Type == "":
			f.Value = Switch
		case a.Nargs == "+" || a.Nargs == "*":
			f.Value = List
		default:
			kind, ok := actionKinds[a.Type]
			if old, known := prev.flag(long); !ok && known {
				kind = old.Value
			} else if !ok {
				kind = String
			}
			f.Value = kind
		}
		if old, known := prev.flag(long); known {
			f.Frontend = old.Frontend
		}
		f.Frontend = f.Frontend || contains(frontendFlags, long)
		t.Flags[long] = f
	}
	return t, t.finish("the parser's actions", env)
}
