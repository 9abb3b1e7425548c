package engine

import (
	"sort"
	"strconv"
	"strings"

	"github.com/llm-charts/llm-charts/internal/flagtable"
)

// Recognizer is what the importer and the log reader ask an engine: whether an image, command line or start-up log
// is this engine's, and how to read its flags back into values. Implemented in vllm_recognize.go and
// sglang_recognize.go. The spec (Spec) gives the rest: the repository, the default port, the aliases and, row by
// row, the values key of every flag the chart renders; the importer reads the plain rows back by their type.
type Recognizer interface {
	// EntryPoint returns how many words at the start of argv start this engine's server (0: argv is not this
	// engine's command) and, when argv uses an older entry point that the chart replaces, a note saying what
	// changes.
	EntryPoint(argv []string) (n int, note string)
	// Mentions reports whether a command line (the words joined, or a shell script) names this engine's server, as
	// it is read before the command is split (to tell the image's default repository).
	Mentions(commandLine string) bool
	// PositionalModel reports whether the entry point takes the model as its first argument (vllm serve MODEL).
	PositionalModel() bool
	// FlagName is the flag as the engine's parser reads a name as written: its aliases (Spec.Aliases) resolved and,
	// for a parser that reads _ as -, the dashed name; rewritten is true when underscores were read as dashes.
	FlagName(written string) (name string, rewritten bool)
	// RewriteNote is the note for the flags FlagName rewrote, as written ("" when the engine rewrites none).
	RewriteNote(written []string) string
	// UnknownFlagHint is added to the reason a flag the release does not have is kept in serving.extraArgs (""
	// for none).
	UnknownFlagHint(name string, tab *flagtable.Table) string
	// APIKeyFlag is the flag that passes the engine its API key; APIKeyFromEnv the variable the engine reads the
	// key from by itself ("" when it reads none).
	APIKeyFlag() string
	APIKeyFromEnv() string
	// ReadLogic reads back one flag whose row needs this engine's own knowledge (KeyRow.Logic: vLLM's
	// --speculative-config JSON and --runner/--convert, SGLang's NGRAM steps). all holds every flag of the command
	// line with its values. ok false: the importer's engine-neutral reading of the row applies.
	ReadLogic(row KeyRow, vals []string, all map[string][]string) (r Reading, ok bool)
	// RuntimeLoRA reports whether the engine loads adapters at run time with the container's environment env
	// (lora.runtimeUpdates), and if not why the LoRA flags cannot be mapped without adapters.
	RuntimeLoRA(env map[string]string) (ok bool, why string)
}

// Setting is one values key (a path such as speculative.method) and the value the importer gives it: an int,
// int64, float64, bool, string, []string, map[string]string or map[string]any.
type Setting struct {
	Key   string
	Value any
}

// Reading is what an engine reads back from one of its flags.
type Reading struct {
	// Settings are the values keys the flag sets.
	Settings []Setting
	// Notes explain what changes.
	Notes []string
	// Refusal, when not empty, is why the flag cannot be mapped: it stays in serving.extraArgs.
	Refusal string
}

// refuse is a Reading that keeps the flag in serving.extraArgs.
func refuse(why string) Reading { return Reading{Refusal: why} }

// entryPoint matches argv against an entry point: python and python3 are the same interpreter.
func entryPoint(argv, entry []string) int {
	if len(argv) < len(entry) {
		return 0
	}
	for i, w := range entry {
		if w != argv[i] && !(isPython(w) && isPython(argv[i])) {
			return 0
		}
	}
	return len(entry)
}

func isPython(w string) bool { return w == "python3" || w == "python" }

// alias resolves a flag's other spellings (Spec.Aliases).
func (s *Spec) alias(name string) string {
	if a, ok := s.Aliases[name]; ok {
		return a
	}
	return name
}

// reverse returns the values spelling of an engine's value through a row's Map: the key whose value it is (the
// key equal to it first, when several map to it); ok false when none does.
func (r KeyRow) reverse(v string) (string, bool) {
	if m, ok := r.Map[v]; ok && m == v {
		return v, true
	}
	keys := make([]string, 0, len(r.Map))
	for k := range r.Map {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if r.Map[k] == v {
			return k, true
		}
	}
	return "", false
}

// Reverse is the values spelling of an engine value v of the row: through Map (see reverse), else v as written.
func (r KeyRow) Reverse(v string) string {
	if k, ok := r.reverse(v); ok {
		return k
	}
	return v
}

// one is the single value of a flag, and whether it had exactly one.
func one(vals []string) (string, bool) { return strings.Join(vals, " "), len(vals) == 1 }

// atoi reads one whole number.
func atoi(vals []string) (int, bool) {
	v, single := one(vals)
	n, err := strconv.Atoi(v)
	return n, single && err == nil
}
