// Command flagtable writes an engine flag table (internal/flagtable/tables/<engine>/<version>.yaml) from what a
// release says about itself: its entry point's --help text (or a dump of its parser's actions) and the environment
// variables its source declares. `make flagtable ENGINE=vllm RELEASE=v0.20.0` runs it on the release's image
// (tools/flagtable/collect.sh); a table can also be written from a published dump of the same facts (-dump-*).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/llm-charts/llm-charts/internal/engine"
	"github.com/llm-charts/llm-charts/internal/flagtable"
	"sigs.k8s.io/yaml"
)

type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(v string) error { *l = append(*l, v); return nil }

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "flagtable:", err)
		os.Exit(1)
	}
}

// options are the command's flags.
type options struct {
	engine, version, repo, commit, image       string
	help, actions, env, tool, reasoning, out   string
	dumpRepo, dumpPath, dumpCommit, how, files string
	groups, frontend, unlisted                 list
}

func run(args []string) error {
	var o options
	fs := flag.NewFlagSet("flagtable", flag.ContinueOnError)
	fs.StringVar(&o.engine, "engine", "", "engine: "+strings.Join(engine.NameStrings(), " or "))
	fs.StringVar(&o.version, "version", "", "release, e.g. v0.20.0")
	fs.StringVar(&o.repo, "repository", "", "the engine's source repository")
	fs.StringVar(&o.commit, "commit", "", "the commit the release tag points at (not needed with -dump-*)")
	fs.StringVar(&o.image, "image", "", "the image the facts were read from (by digest where known)")
	fs.StringVar(&o.help, "help", "", "file with the entry point's --help text")
	fs.StringVar(&o.actions, "actions", "", "file with a dump of the parser's actions (flags, default, choices, type, nargs; tab-separated), instead of -help")
	fs.StringVar(&o.env, "env", "", "file with the environment variable names, one a line")
	fs.StringVar(&o.tool, "tool-parsers", "", "file with the tool-call parser names, one a line (when the help or dump does not list them)")
	fs.StringVar(&o.reasoning, "reasoning-parsers", "", "file with the reasoning parser names, one a line (when the help or dump does not list them)")
	fs.StringVar(&o.dumpRepo, "dump-repository", "", "the repository of a published dump the facts were read from")
	fs.StringVar(&o.dumpPath, "dump-path", "", "the dump's path in that repository")
	fs.StringVar(&o.dumpCommit, "dump-commit", "", "the commit the dump was read at")
	fs.StringVar(&o.how, "how", "", "what source.how adds (how the dump was made and read)")
	fs.StringVar(&o.files, "files", "", "the source files read at -commit, comma-separated, when the facts were read from the release's source instead of its image (-how then says how)")
	fs.StringVar(&o.out, "o", "", "table to write (default internal/flagtable/tables/<engine>/<version>.yaml)")
	fs.Var(&o.groups, "frontend-group", "argument group of API-server flags (repeatable)")
	fs.Var(&o.frontend, "frontend-flag", "an API-server flag outside those groups (repeatable)")
	fs.Var(&o.unlisted, "unlisted", "a parser list (tool, reasoning) the source does not enumerate (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dump := o.dumpRepo != "" || o.dumpPath != "" || o.dumpCommit != ""
	switch {
	case o.engine == "" || o.version == "" || o.repo == "" || o.env == "":
		return fmt.Errorf("-engine, -version, -repository and -env are required")
	case (o.help == "") == (o.actions == ""):
		return fmt.Errorf("give one of -help and -actions")
	case dump && (o.dumpRepo == "" || o.dumpPath == "" || len(o.dumpCommit) != 40):
		return fmt.Errorf("a dump needs -dump-repository, -dump-path and -dump-commit (40 hex digits)")
	case !dump && len(o.commit) != 40:
		return fmt.Errorf("-commit (40 hex digits) is required unless the facts come from a dump (-dump-*)")
	}
	t, err := build(o)
	if err != nil {
		return err
	}
	return write(o, t)
}

// build reads the inputs into a table with its source.
func build(o options) (*flagtable.Table, error) {
	env, err := readLines(o.env)
	if err != nil {
		return nil, err
	}
	prev, ok := flagtable.Nearest(o.engine, o.version)
	if !ok {
		return nil, fmt.Errorf("no table of %s to take the entry point from", o.engine)
	}
	var t *flagtable.Table
	what := "the --help text"
	if o.help != "" {
		help, err := os.ReadFile(o.help)
		if err != nil {
			return nil, err
		}
		t, err = flagtable.FromHelp(o.engine, o.version, prev.Entrypoint, flagtable.Collected{Help: help, Env: env}, prev, o.groups, o.frontend)
		if err != nil {
			return nil, err
		}
	} else {
		what = "a dump of the parser's actions"
		f, err := os.Open(o.actions)
		if err != nil {
			return nil, err
		}
		actions, err := flagtable.ReadActions(f)
		f.Close()
		if err != nil {
			return nil, err
		}
		if t, err = flagtable.FromActions(o.engine, o.version, prev.Entrypoint, actions, env, prev, o.frontend); err != nil {
			return nil, err
		}
	}
	for _, p := range []struct {
		file string
		into *[]string
	}{{o.tool, &t.ToolCallParsers}, {o.reasoning, &t.ReasoningParsers}} {
		if p.file == "" {
			continue
		}
		names, err := readLines(p.file)
		if err != nil {
			return nil, err
		}
		*p.into = names
	}
	t.Unlisted = o.unlisted
	t.Source = flagtable.Source{Repository: o.repo, Tag: o.version, Image: o.image,
		How: fmt.Sprintf("%s of %s (written by the release's own argument parser) and the environment variables its "+
			"source declares; kinds the source cannot tell, the metrics and the paths kept from the %s table.", what, o.image, prev.Version)}
	switch {
	case o.dumpRepo != "":
		t.Source.Files = []flagtable.File{{Repository: o.dumpRepo, Path: o.dumpPath, Commit: o.dumpCommit}}
	case o.files != "":
		t.Source.Files = nil
		for _, f := range strings.Split(o.files, ",") {
			t.Source.Files = append(t.Source.Files, flagtable.File{Path: strings.TrimSpace(f), Commit: o.commit})
		}
		t.Source.How = fmt.Sprintf("%s of the release's source; kinds the source cannot tell, the metrics and the paths kept from the %s table.", what, prev.Version)
	default:
		t.Source.Files = []flagtable.File{{Path: strings.Join(prev.Entrypoint, " ") + " --help", Commit: o.commit}}
		t.Source.How = "make flagtable: " + t.Source.How
	}
	if o.how != "" {
		t.Source.How += " " + o.how
	}
	return t, nil
}

// write checks that the table loads, then writes it whole (a temporary file renamed into place).
func write(o options, t *flagtable.Table) error {
	data, err := yaml.Marshal(t)
	if err != nil {
		return err
	}
	data = append([]byte(fmt.Sprintf("# %s %s, written by cmd/flagtable: facts only (flag names, value kinds, choices, defaults, parser and variable names).\n", o.engine, o.version)), data...)
	if _, err := flagtable.Parse(data); err != nil {
		return fmt.Errorf("the table would not load: %w", err)
	}
	path := o.out
	if path == "" {
		path = filepath.Join("internal", "flagtable", "tables", o.engine, o.version+".yaml")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	fmt.Printf("%s: %d flags, %d tool-call parsers, %d reasoning parsers, %d environment variables\n", path, len(t.Flags), len(t.ToolCallParsers), len(t.ReasoningParsers), len(t.Env))
	return nil
}

func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return flagtable.ReadLines(f)
}
