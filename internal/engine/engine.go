// Package engine is the one place that knows how the serving engines differ. Each engine (vLLM, SGLang) is one
// implementation of Engine in its own files, and its declarative flag spec (specs/<name>.yaml) is the single
// source of the "values key ↔ engine flag" knowledge, from which the chart's engine data (templates/_engines.tpl)
// and the importer's reverse map are generated or read. Outside this package no code compares an engine name:
// callers Lookup the engine and ask it.
//
// The interface is composed of one sub-interface per concern, each declared in its own file, so that a concern
// (planning, wording, importing) can grow without touching the others.
package engine

import (
	"fmt"
	"strings"
)

// Name is an engine's name as the chart's `engine` value spells it. The constants below are the only places the
// names are spelled in Go.
type Name string

const (
	// VLLM is vLLM (`vllm serve`).
	VLLM Name = "vllm"
	// SGLang is SGLang (`python3 -m sglang.launch_server`).
	SGLang Name = "sglang"
)

// Engine answers every question on which the engines differ.
type Engine interface {
	// Name is the engine's name.
	Name() Name
	// Spec is the engine's declarative flag spec (specs/<name>.yaml).
	Spec() *Spec
	Planner
	Describer
	Recognizer
	Publisher
	LogReader
}

// registry holds the engines in the order the chart's schema lists them (vLLM, the default, first).
var registry = []Engine{vllm{}, sglang{}}

// Default is the engine a values file without `engine` runs.
func Default() Engine { return registry[0] }

// All returns every engine, the default first.
func All() []Engine { return append([]Engine(nil), registry...) }

// Names lists the engines' names, the default first.
func Names() []Name {
	out := make([]Name, len(registry))
	for i, e := range registry {
		out[i] = e.Name()
	}
	return out
}

// NameStrings lists the engines' names as strings (for flag help and error messages).
func NameStrings() []string {
	out := make([]string, len(registry))
	for i, e := range registry {
		out[i] = string(e.Name())
	}
	return out
}

// Lookup returns the engine called name; "" is the default engine. An unknown name is refused, listing the
// allowed ones.
func Lookup(name string) (Engine, error) {
	if name == "" {
		return Default(), nil
	}
	for _, e := range registry {
		if string(e.Name()) == name {
			return e, nil
		}
	}
	return nil, fmt.Errorf("engine %q is not one of %s", name, strings.Join(NameStrings(), ", "))
}

// MustLookup is Lookup for names the caller has already checked (a values file that passed the schema, a
// constant); it panics on an unknown name, which is a programming error.
func MustLookup(name string) Engine {
	e, err := Lookup(name)
	if err != nil {
		panic(err)
	}
	return e
}
