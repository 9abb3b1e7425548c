package flagtable

import (
	"bufio"
	"fmt"
	"io"
	"sort"
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
	t := &Table{Engine: engine, Version: version, Entrypoint: entrypoint, Flags: map[string]Flag{}, Env: map[string]string{}}
	if prev != nil {
		t.Positional = prev.Positional
	}
	group := ""
	negations := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(string(c.Help)))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line != "" && !strings.HasPrefix(line, " ") && strings.HasSuffix(line, ":"):
			group = strings.TrimSuffix(line, ":")
		case strings.HasPrefix(line, "  -"):
			spec := strings.TrimSpace(line)
			if i := strings.Index(spec, "   "); i > 0 { // the help column starts after two or more spaces
				spec = spec[:i]
			}
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
			}
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
		if old, ok := prev.flag(name); ok && f.Value == String && len(f.Choices) == 0 {
			f.Value = old.Value
		}
		switch name {
		case "--tool-call-parser":
			f.Parsers, t.ToolCallParsers, f.Choices = "tool", f.Choices, nil
		case "--reasoning-parser":
			f.Parsers, t.ReasoningParsers, f.Choices = "reasoning", f.Choices, nil
		}
		t.Flags[name] = f
	}
	if len(t.Flags) == 0 {
		return nil, fmt.Errorf("no flags in the help text")
	}
	sort.Strings(t.ToolCallParsers)
	sort.Strings(t.ReasoningParsers)
	for _, e := range c.Env {
		if e = strings.TrimSpace(e); e != "" {
			t.Env[e] = "declared by the release's source"
		}
	}
	return t, nil
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
