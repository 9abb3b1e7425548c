// Package flagtable holds, per engine and release, the command-line flags the engine's server entry point accepts
// and acts on, the allowed values of its choice flags, its tool-call and reasoning parser names and the environment
// variables it reads. The tables are test data and import data, collected from each release's source (the commit
// and the files read are recorded in every table); nothing here is engine code.
//
// The golden tests check every rendering of the llm-model chart against the table of the engine release it targets,
// and chartgen's importer reads the same table to tell flags that take a value from switches and to flag what the
// target release does not know. `make flagtable` refreshes a table from a release (see the README).
package flagtable

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"sigs.k8s.io/yaml"
)

//go:embed tables
var tablesFS embed.FS

// Value kinds of a flag.
const (
	// Switch flags take no value (`--trust-remote-code`).
	Switch = ""
	Int    = "int"
	Float  = "float"
	String = "string"
	// JSON values must parse as a JSON object.
	JSON = "json"
	// List flags take one or more values (`--served-model-name a b`).
	List = "list"
)

// Flag is one flag of an entry point.
type Flag struct {
	// Value is the kind of value the flag takes; Switch (empty) for none.
	Value string `json:"value,omitempty"`
	// Negatable switches also accept `--no-<name>` (argparse BooleanOptionalAction).
	Negatable bool `json:"negatable,omitempty"`
	// Choices are the allowed values; empty: any value of the kind.
	Choices []string `json:"choices,omitempty"`
	// Parsers names the table's parser list the value must be in: "tool" or "reasoning".
	Parsers string `json:"parsers,omitempty"`
	// Frontend flags configure the HTTP API server; a headless rank (no API server) must not get them.
	Frontend bool `json:"frontend,omitempty"`
	// Default is the value the release uses when the flag is not given, as its --help prints it; empty where the
	// table's source does not say.
	Default string `json:"default,omitempty"`
	// Source is the file (and argument group) that defines the flag.
	Source string `json:"source"`
}

// Source records where a table's facts come from.
type Source struct {
	Repository string `json:"repository"`
	Tag        string `json:"tag"`
	// Files are the files read, each with the commit it was read at.
	Files []File `json:"files"`
	// Image is the release image the facts were read from, by digest, where they were read from one.
	Image string `json:"image,omitempty"`
	// How says how the table was collected, and what it covers.
	How string `json:"how"`
}

// File is one source file read for a table: a file of the engine's repository, or of Repository where it is
// another one's (a published dump of the release's --help, say).
type File struct {
	Repository string `json:"repository,omitempty"`
	Path       string `json:"path"`
	Commit     string `json:"commit"`
}

// Table is one engine release's table.
type Table struct {
	Engine  string `json:"engine"`
	Version string `json:"version"`
	// Entrypoint is the command that starts the server, before the arguments (e.g. `vllm serve`).
	Entrypoint []string `json:"entrypoint"`
	// Positional names the positional argument the entry point takes first, if any (vLLM: the model).
	Positional string `json:"positional,omitempty"`
	// Series is how the engine's releases share flags: "minor" (the default: every patch of a minor release has the
	// same flags, as vLLM's) or "patch" (every release is its own, as SGLang's v0.5.x). Every table of an engine says
	// the same.
	Series string `json:"series,omitempty"`
	// Partial tables list only some of the release's flags (those the chart renders, the importer maps and the test
	// cases pass): a flag they have exists at the release, a flag they lack may exist too.
	Partial          bool            `json:"partial,omitempty"`
	Source           Source          `json:"source"`
	Flags            map[string]Flag `json:"flags"`
	ToolCallParsers  []string        `json:"toolCallParsers"`
	ReasoningParsers []string        `json:"reasoningParsers"`
	// Unlisted names the lists ("tool", "reasoning", "env") the table's source does not enumerate (vLLM's
	// --reasoning-parser takes any registered name and its --help lists none): what they would hold is not checked.
	Unlisted []string `json:"unlisted,omitempty"`
	// Env maps each environment variable the engine reads to where it is read.
	Env map[string]string `json:"env"`
	// Metrics maps each metric the chart's monitors, autoscalers and endpoint picker read to where the release
	// defines it.
	Metrics map[string]string `json:"metrics"`
	// Paths are the HTTP paths the chart calls (health, metrics, models), as the release serves them.
	Paths map[string]string `json:"paths"`
}

// Outside lists the environment variables the chart sets that engines do not read themselves but their libraries,
// the kubelet or the chart's own scripts do, with who reads them. They are allowed for every engine.
var Outside = map[string]string{
	"HF_TOKEN":                                 "huggingface_hub: the Hub token",
	"HF_HUB_CACHE":                             "huggingface_hub: the hub cache directory (default $HF_HOME/hub)",
	"XDG_CACHE_HOME":                           "XDG base directories: ~/.cache for every library that follows them (huggingface_hub, vLLM, FlashInfer, pip)",
	"TRITON_CACHE_DIR":                         "Triton: the kernel cache (default ~/.triton/cache, outside XDG)",
	"TORCHINDUCTOR_CACHE_DIR":                  "PyTorch Inductor: the torch.compile cache (default under /tmp)",
	"FLASHINFER_WORKSPACE_BASE":                "FlashInfer: the base directory of its JIT cache (default the home directory)",
	"PYTORCH_ALLOC_CONF":                       "PyTorch: the CUDA caching allocator's configuration",
	"POD_INDEX":                                "the chart's rank script: the StatefulSet pod index (apps.kubernetes.io/pod-index)",
	"HF_HUB_OFFLINE":                           "huggingface_hub: resolve files from the cache only, never call the Hub",
	"HF_ENDPOINT":                              "huggingface_hub: the Hub's URL (a mirror or proxy)",
	"AWS_ENDPOINT_URL":                         "boto3 and the Run:ai streamer: the S3 endpoint (S3-compatible storage)",
	"AWS_DEFAULT_REGION":                       "boto3 and the Run:ai streamer: the S3 region",
	"AWS_EC2_METADATA_DISABLED":                "boto3: do not query the EC2 instance metadata for credentials",
	"AWS_ACCESS_KEY_ID":                        "boto3 and the Run:ai streamer: the S3 access key id",
	"AWS_SECRET_ACCESS_KEY":                    "boto3 and the Run:ai streamer: the S3 secret access key",
	"RUNAI_STREAMER_S3_USE_VIRTUAL_ADDRESSING": "Run:ai streamer: virtual-hosted (1) or path-style (0) bucket addresses",
}

var (
	tables  = map[string]map[string]*Table{} // engine → version → table
	loadErr error
)

func init() { loadErr = load(tablesFS) }

func load(fsys fs.FS) error {
	return fs.WalkDir(fsys, "tables", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".yaml" {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		t, err := Parse(data)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		if want := path.Join("tables", t.Engine, t.Version+".yaml"); p != want {
			return fmt.Errorf("%s: a table of %s %s belongs in %s", p, t.Engine, t.Version, want)
		}
		if tables[t.Engine] == nil {
			tables[t.Engine] = map[string]*Table{}
		}
		tables[t.Engine][t.Version] = t
		return nil
	})
}

// Parse reads one table and checks that it is complete.
func Parse(data []byte) (*Table, error) {
	t := &Table{}
	if err := yaml.UnmarshalStrict(data, t); err != nil {
		return nil, err
	}
	var problems []string
	if t.Engine == "" || t.Version == "" || len(t.Entrypoint) == 0 {
		problems = append(problems, "engine, version and entrypoint are required")
	}
	if _, err := ParseVersion(t.Version); err != nil {
		problems = append(problems, err.Error())
	}
	for _, k := range []string{"health", "metrics", "models"} {
		if !strings.HasPrefix(t.Paths[k], "/") {
			problems = append(problems, fmt.Sprintf("paths.%s: the release's path is required", k))
		}
	}
	for kind, list := range map[string][]string{"tool": t.ToolCallParsers, "reasoning": t.ReasoningParsers} {
		if len(list) == 0 && !contains(t.Unlisted, kind) {
			problems = append(problems, fmt.Sprintf("no %s parsers: list them, or name %q in unlisted when the source does not enumerate them", kind, kind))
		}
	}
	if t.Series != "" && t.Series != "minor" && t.Series != "patch" {
		problems = append(problems, fmt.Sprintf("series %q: minor or patch", t.Series))
	}
	if len(t.Metrics) == 0 {
		problems = append(problems, "metrics: the metrics the chart reads, each with its source, are required")
	}
	if t.Source.Repository == "" || t.Source.Tag == "" || len(t.Source.Files) == 0 || t.Source.How == "" {
		problems = append(problems, "source.repository, tag, files and how are required")
	}
	for _, f := range t.Source.Files {
		if len(f.Commit) != 40 {
			problems = append(problems, fmt.Sprintf("source file %s: commit %q is not a full commit id", f.Path, f.Commit))
		}
	}
	for name, f := range t.Flags {
		switch {
		case !strings.HasPrefix(name, "--"):
			problems = append(problems, fmt.Sprintf("flag %q: not a long flag", name))
		case f.Source == "":
			problems = append(problems, fmt.Sprintf("flag %s: no source", name))
		case f.Negatable && f.Value != Switch:
			problems = append(problems, fmt.Sprintf("flag %s: only switches are negatable", name))
		case f.Parsers != "" && f.Parsers != "tool" && f.Parsers != "reasoning":
			problems = append(problems, fmt.Sprintf("flag %s: parsers is tool or reasoning", name))
		}
		switch f.Value {
		case Switch, Int, Float, String, JSON, List:
		default:
			problems = append(problems, fmt.Sprintf("flag %s: unknown value kind %q", name, f.Value))
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return t, nil
}

// Err reports a table that failed to load (a test checks it is nil).
func Err() error { return loadErr }

// Lookup returns the table of an engine release: the engine's name (internal/engine's Name) and the release, e.g.
// v0.19.0.
func Lookup(engine, version string) (*Table, bool) {
	t, ok := tables[engine][version]
	return t, ok
}

// ForRelease returns the table that covers a release: its own, else the table of its series (Series: vLLM's tables
// hold the newest patch of a minor release, and its patch releases do not change the entry point's flags).
func ForRelease(engine, version string) (*Table, bool) {
	if t, ok := Lookup(engine, version); ok {
		return t, true
	}
	if _, err := ParseVersion(version); err != nil {
		return nil, false
	}
	for _, v := range Versions(engine) {
		if Series(engine, v) == Series(engine, version) {
			return Lookup(engine, v)
		}
	}
	return nil, false
}

// Nearest returns the table whose facts are the best guess for a release no table covers: the newest table older
// than it, else (for a release older than every table, or a tag that names none) the oldest.
func Nearest(engine, version string) (*Table, bool) {
	versions := Versions(engine)
	if len(versions) == 0 {
		return nil, false
	}
	best := versions[0]
	if _, err := ParseVersion(version); err == nil {
		for _, v := range versions {
			if !Less(version, v) {
				best = v
			}
		}
	}
	return Lookup(engine, best)
}

// Versions lists the releases of an engine that have a table, oldest first.
func Versions(engine string) []string {
	var out []string
	for v := range tables[engine] {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return Less(out[i], out[j]) })
	return out
}

// Engines lists the engines that have tables, sorted.
func Engines() []string {
	var out []string
	for e := range tables {
		out = append(out, e)
	}
	sort.Strings(out)
	return out
}

// Newest is the table of an engine's newest release with one (the engine's default release, which the chart and
// chartgen target unless told otherwise, is in internal/engine's spec: it may be an older one).
func Newest(engine string) (*Table, bool) {
	v := Versions(engine)
	if len(v) == 0 {
		return nil, false
	}
	return Lookup(engine, v[len(v)-1])
}

// ParseVersion reads a release name `vMAJOR.MINOR.PATCH` (an image tag's suffix after `-` is ignored).
func ParseVersion(s string) ([3]int, error) {
	var out [3]int
	core, _, _ := strings.Cut(strings.TrimPrefix(s, "v"), "-")
	parts := strings.Split(core, ".")
	if !strings.HasPrefix(s, "v") || len(parts) != 3 {
		return out, fmt.Errorf("version %q is not vMAJOR.MINOR.PATCH", s)
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return out, fmt.Errorf("version %q is not vMAJOR.MINOR.PATCH", s)
		}
		out[i] = n
	}
	return out, nil
}

// Less orders release names; names that do not parse sort first.
func Less(a, b string) bool {
	x, errA := ParseVersion(a)
	y, errB := ParseVersion(b)
	if errA != nil || errB != nil {
		return errA != nil && errB == nil
	}
	for i := range x {
		if x[i] != y[i] {
			return x[i] < y[i]
		}
	}
	return false
}

// VersionOfTag returns the release an image tag names (`v0.19.0-cu130` → `v0.19.0`), or "" for a tag that names
// none (a nightly build).
func VersionOfTag(tag string) string {
	core, _, _ := strings.Cut(tag, "-")
	if _, err := ParseVersion(core); err != nil {
		return ""
	}
	return core
}

// Lookup finds a flag by the name as written: `--no-x` finds the negatable switch `--x`.
func (t *Table) Lookup(name string) (Flag, bool) {
	if f, ok := t.Flags[name]; ok {
		return f, true
	}
	if rest, ok := strings.CutPrefix(name, "--no-"); ok {
		if f, ok := t.Flags["--"+rest]; ok && f.Negatable {
			return f, true
		}
	}
	return Flag{}, false
}

// TakesValue reports whether a flag (as written) is followed by a value; unknown flags are assumed to take one
// when the next word is not a flag.
func (t *Table) TakesValue(name string) (bool, bool) {
	f, ok := t.Lookup(name)
	return ok && f.Value != Switch, ok
}

// Arg is one flag of a command line with its values.
type Arg struct {
	Name   string
	Values []string
}

// Split reads an argument list (after the entry point): the positional argument if the entry point takes one, then
// the flags with their values. `--flag=value` is one flag with one value. Words that are not flags and follow a
// switch are returned as stray.
func (t *Table) Split(args []string) (positional string, flags []Arg, stray []string) {
	i := 0
	if t.Positional != "" && len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		positional, i = args[0], 1
	}
	for ; i < len(args); i++ {
		a := args[i]
		if !isFlag(a) {
			stray = append(stray, a)
			continue
		}
		if name, v, ok := strings.Cut(a, "="); ok {
			flags = append(flags, Arg{Name: name, Values: []string{v}})
			continue
		}
		arg := Arg{Name: a}
		f, known := t.Lookup(a)
		if known && f.Value == Switch {
			flags = append(flags, arg)
			continue
		}
		for i+1 < len(args) && !isFlag(args[i+1]) {
			arg.Values = append(arg.Values, args[i+1])
			i++
			if known && f.Value != List {
				break
			}
		}
		flags = append(flags, arg)
	}
	return positional, flags, stray
}

// CheckArgs lists every problem of an argument list against the table: unknown flags, missing or extra values,
// values of the wrong kind, choices and parser names the release does not have. No problems: nil.
func (t *Table) CheckArgs(args []string) []string {
	var problems []string
	add := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }
	positional, flags, stray := t.Split(args)
	if t.Positional != "" && positional == "" {
		add("%s %s: the %s is missing (the first argument)", t.Engine, t.Version, t.Positional)
	}
	for _, s := range stray {
		add("%q is not a flag and follows no flag that takes a value", s)
	}
	for _, a := range flags {
		f, ok := t.Lookup(a.Name)
		if !ok {
			add("%s is not a flag of %s %s", a.Name, t.Engine, t.Version)
			continue
		}
		if p := f.problem(a.Values, t); p != "" {
			add("%s: %s", a.Name, p)
		}
	}
	return problems
}

func (f Flag) problem(vals []string, t *Table) string {
	switch {
	case f.Value == Switch && len(vals) > 0:
		return fmt.Sprintf("a switch given the value %q", vals)
	case f.Value == Switch:
		return ""
	case len(vals) == 0:
		return "needs a value"
	case f.Value != List && len(vals) > 1:
		return fmt.Sprintf("takes one value, got %q", vals)
	}
	for _, v := range vals {
		switch f.Value {
		case Int:
			if _, err := strconv.ParseInt(v, 10, 64); err != nil {
				return fmt.Sprintf("%q is not an integer", v)
			}
		case Float:
			if _, err := strconv.ParseFloat(v, 64); err != nil {
				return fmt.Sprintf("%q is not a number", v)
			}
		case JSON:
			if !strings.HasPrefix(strings.TrimSpace(v), "{") {
				return fmt.Sprintf("%q is not a JSON object", v)
			}
		}
		if len(f.Choices) > 0 && !contains(f.Choices, v) {
			return fmt.Sprintf("%q is not one of %s", v, strings.Join(f.Choices, ", "))
		}
		switch {
		case contains(t.Unlisted, f.Parsers):
		case f.Parsers == "tool":
			if !contains(t.ToolCallParsers, v) {
				return fmt.Sprintf("%q is not a tool-call parser of %s %s", v, t.Engine, t.Version)
			}
		case f.Parsers == "reasoning":
			if !contains(t.ReasoningParsers, v) {
				return fmt.Sprintf("%q is not a reasoning parser of %s %s", v, t.Engine, t.Version)
			}
		}
	}
	return ""
}

// CheckEnv lists the variables that neither the engine release nor a library it runs (Outside) reads.
func (t *Table) CheckEnv(names []string) []string {
	if contains(t.Unlisted, "env") {
		return nil
	}
	var problems []string
	for _, n := range names {
		if _, ok := t.Env[n]; ok {
			continue
		}
		if _, ok := Outside[n]; ok {
			continue
		}
		problems = append(problems, fmt.Sprintf("environment variable %s is read by neither %s %s nor a library the chart knows", n, t.Engine, t.Version))
	}
	return problems
}

// FrontendFlags lists the flags of an argument list that configure the API server.
func (t *Table) FrontendFlags(args []string) []string {
	var out []string
	_, flags, _ := t.Split(args)
	for _, a := range flags {
		if f, ok := t.Lookup(a.Name); ok && f.Frontend {
			out = append(out, a.Name)
		}
	}
	return out
}

func isFlag(a string) bool {
	if !strings.HasPrefix(a, "-") || a == "-" {
		return false
	}
	_, err := strconv.ParseFloat(a, 64) // a negative number is a value
	return err != nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
