// Command flagtable writes an engine flag table (internal/flagtable/tables/<engine>/<version>.yaml) from what a
// release says about itself: its entry point's --help text and the environment variables its source declares.
// `make flagtable ENGINE=vllm RELEASE=v0.20.0` runs it on the release's image (tools/flagtable/collect.sh).
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

func run(args []string) error {
	fs := flag.NewFlagSet("flagtable", flag.ContinueOnError)
	engineName := fs.String("engine", "", "engine: "+strings.Join(engine.NameStrings(), " or "))
	version := fs.String("version", "", "release, e.g. v0.20.0")
	repo := fs.String("repository", "", "the engine's source repository")
	commit := fs.String("commit", "", "the commit the release tag points at")
	image := fs.String("image", "", "the image the help text and variables were read from")
	helpFile := fs.String("help", "", "file with the entry point's --help text")
	envFile := fs.String("env", "", "file with the environment variable names, one a line")
	out := fs.String("o", "", "table to write (default internal/flagtable/tables/<engine>/<version>.yaml)")
	var groups, frontend list
	fs.Var(&groups, "frontend-group", "argument group of API-server flags (repeatable)")
	fs.Var(&frontend, "frontend-flag", "an API-server flag outside those groups (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *engineName == "" || *version == "" || *repo == "" || len(*commit) != 40 || *helpFile == "" || *envFile == "" {
		return fmt.Errorf("-engine, -version, -repository, -commit (40 hex digits), -help and -env are required")
	}
	help, err := os.ReadFile(*helpFile)
	if err != nil {
		return err
	}
	f, err := os.Open(*envFile)
	if err != nil {
		return err
	}
	env, err := flagtable.ReadLines(f)
	f.Close()
	if err != nil {
		return err
	}
	prev, ok := flagtable.Lookup(*engineName, *version)
	if !ok {
		prev, ok = flagtable.Default(*engineName)
	}
	if !ok {
		return fmt.Errorf("no table of %s to take the entry point from", *engineName)
	}
	t, err := flagtable.FromHelp(*engineName, *version, prev.Entrypoint, flagtable.Collected{Help: help, Env: env}, prev, groups, frontend)
	if err != nil {
		return err
	}
	t.Source = flagtable.Source{Repository: *repo, Tag: *version,
		Files: []flagtable.File{{Path: strings.Join(prev.Entrypoint, " ") + " --help", Commit: *commit}},
		How: fmt.Sprintf("make flagtable: the --help text of %s (written by the release's own argument parser) and the "+
			"environment variables its source declares; int, float and JSON kinds kept from the %s table.", *image, prev.Version)}
	data, err := yaml.Marshal(t)
	if err != nil {
		return err
	}
	data = append([]byte(fmt.Sprintf("# %s %s, written by `make flagtable`: facts only (flag names, value kinds, choices, parser and variable names).\n", *engineName, *version)), data...)
	if _, err := flagtable.Parse(data); err != nil {
		return fmt.Errorf("the table would not load: %w", err)
	}
	path := *out
	if path == "" {
		path = filepath.Join("internal", "flagtable", "tables", *engineName, *version+".yaml")
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
