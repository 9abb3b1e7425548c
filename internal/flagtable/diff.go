package flagtable

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Diff is what changed between two releases' tables of one engine: flags, parser names, environment variables,
// metrics and paths added or removed, and flags whose value kind, choices, negation or default changed.
type Diff struct {
	Engine, From, To string
	// Partial names the tables that list only some of their release's flags: a flag only the other table has may
	// exist in these too (compare with keep set to the flags the chart renders, which every table lists).
	Partial []string `json:"partial,omitempty"`
	// Unlisted names the lists not compared: those one of the tables' sources does not enumerate.
	Unlisted         []string `json:"unlisted,omitempty"`
	Flags            Delta    `json:"flags"`
	Changed          []Change `json:"changed,omitempty"`
	ToolCallParsers  Delta    `json:"toolCallParsers"`
	ReasoningParsers Delta    `json:"reasoningParsers"`
	Env              Delta    `json:"env"`
	Metrics          Delta    `json:"metrics"`
	Paths            []Change `json:"paths,omitempty"`
}

// Delta lists the names only the newer table has (Added) and those only the older one has (Removed), sorted.
type Delta struct {
	Added   []string `json:"added,omitempty"`
	Removed []string `json:"removed,omitempty"`
}

// Empty reports whether nothing was added or removed.
func (d Delta) Empty() bool { return len(d.Added) == 0 && len(d.Removed) == 0 }

// Change is one thing both tables have that differs: a flag's value kind, choices, negation or default, or an
// endpoint's path.
type Change struct {
	Name   string `json:"name"`
	What   string `json:"what"`
	Before string `json:"before"`
	After  string `json:"after"`
	// Added and Removed are, for a choice list both tables have, the choices only the newer and only the older one
	// has (a partial table's choices are a subset: what it lacks is not counted).
	Added   []string `json:"added,omitempty"`
	Removed []string `json:"removed,omitempty"`
}

// Compare diffs two tables of one engine, a older than b. keep, when not nil, limits the flags (added, removed and
// changed) to those it accepts: e.g. the flags the chart renders.
func Compare(a, b *Table, keep func(flag string) bool) (*Diff, error) {
	if a.Engine != b.Engine {
		return nil, fmt.Errorf("the tables are of %s and %s: compare releases of one engine", a.Engine, b.Engine)
	}
	if keep == nil {
		keep = func(string) bool { return true }
	}
	d := &Diff{Engine: a.Engine, From: a.Version, To: b.Version, Partial: partials(a, b)}
	// A partial table's lists are subsets: what it lacks is no removal, and what the other has beside it no addition.
	seen := func(x, y []string) Delta {
		dd := delta(x, y)
		if a.Partial {
			dd.Added = nil
		}
		if b.Partial {
			dd.Removed = nil
		}
		return dd
	}
	d.Flags = seen(keysOf(a.Flags, keep), keysOf(b.Flags, keep))
	for _, name := range sortedKeys(a.Flags) {
		fb, ok := b.Flags[name]
		if !ok || !keep(name) {
			continue
		}
		fa := a.Flags[name]
		if len(fa.Choices) > 0 && len(fb.Choices) > 0 {
			if c := seen(fa.Choices, fb.Choices); !c.Empty() {
				d.Changed = append(d.Changed, Change{Name: name, What: "choices", Before: choiceSet(fa.Choices), After: choiceSet(fb.Choices), Added: c.Added, Removed: c.Removed})
			}
		} else if len(fa.Choices)+len(fb.Choices) > 0 {
			d.Changed = append(d.Changed, Change{Name: name, What: "choices", Before: choiceSet(fa.Choices), After: choiceSet(fb.Choices)})
		}
		for _, c := range []Change{
			{Name: name, What: "value", Before: kindName(fa.Value), After: kindName(fb.Value)},
			{Name: name, What: "negatable", Before: fmt.Sprint(fa.Negatable), After: fmt.Sprint(fb.Negatable)},
			{Name: name, What: "default", Before: fa.Default, After: fb.Default},
		} {
			// A default only one table records (an older hand-read table has none) is not a change.
			if c.Before != c.After && (c.What != "default" || (c.Before != "" && c.After != "")) {
				d.Changed = append(d.Changed, c)
			}
		}
	}
	// A list one table's source does not enumerate has nothing to compare.
	listed := func(kind string) bool {
		return !slices.Contains(a.Unlisted, kind) && !slices.Contains(b.Unlisted, kind)
	}
	if listed("tool") {
		d.ToolCallParsers = seen(a.ToolCallParsers, b.ToolCallParsers)
	}
	if listed("reasoning") {
		d.ReasoningParsers = seen(a.ReasoningParsers, b.ReasoningParsers)
	}
	if listed("env") {
		d.Env = seen(sortedKeys(a.Env), sortedKeys(b.Env))
	}
	d.Unlisted = append(append([]string{}, a.Unlisted...), b.Unlisted...)
	slices.Sort(d.Unlisted)
	d.Unlisted = slices.Compact(d.Unlisted)
	d.Metrics = seen(sortedKeys(a.Metrics), sortedKeys(b.Metrics))
	for _, name := range sortedKeys(a.Paths) {
		if after, ok := b.Paths[name]; ok && after != a.Paths[name] {
			d.Paths = append(d.Paths, Change{Name: name, What: "path", Before: a.Paths[name], After: after})
		}
	}
	return d, nil
}

// Span is the range of an engine's tabled releases that have a flag: First and Last are the oldest and newest
// tables that list it; After is the newest complete table before First (which lacks it), GoneIn the oldest complete
// table after Last (which lacks it) ("" where there is none: the tables do not bound the flag on that side).
type Span struct {
	First  string `json:"first"`
	Last   string `json:"last"`
	After  string `json:"after,omitempty"`
	GoneIn string `json:"goneIn,omitempty"`
}

// Spans maps every flag that some complete table of an engine lacks to the releases that have it. A flag must have
// one unbroken span (a flag removed and added back is reported as an error: the chart's check could not say which
// release removed it). Flags the tables do not bound are left out.
func Spans(engine string) (map[string]Span, error) {
	var list []*Table
	for _, v := range Versions(engine) {
		list = append(list, tables[engine][v])
	}
	return spans(engine, list)
}

// spans is Spans over a list of one engine's tables, oldest first. A partial table is evidence that the flags it
// lists exist at its release, not that the others do not: a span starts or ends at a partial table's neighbour only
// where that neighbour is complete, and a partial table inside a span does not break it.
func spans(engine string, list []*Table) (map[string]Span, error) {
	has := map[string][]int{} // flag → the indexes of the tables that have it, oldest first
	for i, t := range list {
		for name := range t.Flags {
			has[name] = append(has[name], i)
		}
	}
	out := map[string]Span{}
	for _, name := range sortedKeys(has) {
		idx := has[name]
		sort.Ints(idx)
		first, last := idx[0], idx[len(idx)-1]
		for i := first + 1; i < last; i++ {
			if _, ok := list[i].Flags[name]; !ok && !list[i].Partial {
				return nil, fmt.Errorf("%s: flag %s is in %s and %s but not in %s between; give it one span", engine, name, list[first].Version, list[last].Version, list[i].Version)
			}
		}
		s := Span{First: list[first].Version, Last: list[last].Version}
		for i := first - 1; i >= 0 && s.After == ""; i-- {
			if !list[i].Partial {
				s.After = list[i].Version
			}
		}
		for i := last + 1; i < len(list) && s.GoneIn == ""; i++ {
			if !list[i].Partial {
				s.GoneIn = list[i].Version
			}
		}
		if s.After != "" || s.GoneIn != "" {
			out[name] = s
		}
	}
	return out, nil
}

// Series is the release series a table stands for: the engine numbers its releases so that a series shares one set
// of flags. vLLM's series is the minor release (v0.27.0 and v0.27.1 are one series, v0.27); SGLang's is every
// release (v0.5.19 and v0.5.20 differ in their flags), which its tables say with series: patch.
func Series(engine, version string) string {
	v, err := ParseVersion(version)
	if err != nil {
		return version
	}
	if SeriesKind(engine) == "patch" {
		return fmt.Sprintf("v%d.%d.%d", v[0], v[1], v[2])
	}
	return fmt.Sprintf("v%d.%d", v[0], v[1])
}

// SeriesStart is the first release of a version's series (v0.27.1 → v0.27.0 for vLLM; itself for SGLang), and
// NextSeries the first release of the series after it (v0.28.0; v0.5.20).
func SeriesStart(engine, version string) string {
	v, _ := ParseVersion(version)
	if SeriesKind(engine) == "patch" {
		return fmt.Sprintf("v%d.%d.%d", v[0], v[1], v[2])
	}
	return fmt.Sprintf("v%d.%d.0", v[0], v[1])
}

// NextSeries is the first release of the series after a version's.
func NextSeries(engine, version string) string {
	v, _ := ParseVersion(version)
	if SeriesKind(engine) == "patch" {
		return fmt.Sprintf("v%d.%d.%d", v[0], v[1], v[2]+1)
	}
	return fmt.Sprintf("v%d.%d.0", v[0], v[1]+1)
}

// SeriesKind is how an engine's tables number their series: "patch" where they say so, else "minor".
func SeriesKind(engine string) string {
	for _, t := range tables[engine] {
		if t.Series == "patch" {
			return "patch"
		}
	}
	return "minor"
}

// choiceSet is a choice list in sorted order: the order argparse prints them in is not a change.
func choiceSet(c []string) string {
	s := slices.Clone(c)
	slices.Sort(s)
	return strings.Join(slices.Compact(s), ",")
}

func partials(tabs ...*Table) []string {
	var out []string
	for _, t := range tabs {
		if t.Partial {
			out = append(out, t.Version)
		}
	}
	return out
}

func keysOf(m map[string]Flag, keep func(string) bool) []string {
	var out []string
	for k := range m {
		if keep(k) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func delta(a, b []string) Delta {
	in := func(list []string) map[string]bool {
		m := map[string]bool{}
		for _, s := range list {
			m[s] = true
		}
		return m
	}
	ina, inb := in(a), in(b)
	var d Delta
	for _, s := range b {
		if !ina[s] {
			d.Added = append(d.Added, s)
		}
	}
	for _, s := range a {
		if !inb[s] {
			d.Removed = append(d.Removed, s)
		}
	}
	sort.Strings(d.Added)
	sort.Strings(d.Removed)
	return d
}

func kindName(v string) string {
	if v == Switch {
		return "switch"
	}
	return v
}
