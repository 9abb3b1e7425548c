package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/llm-charts/llm-charts/internal/engine"
	"github.com/llm-charts/llm-charts/internal/flagtable"
	"github.com/spf13/cobra"
)

// releaseInfo is one row of `chartgen releases`: an engine release with a flag table.
type releaseInfo struct {
	Engine  string `json:"engine"`
	Version string `json:"version"`
	Default bool   `json:"default"`
	Flags   int    `json:"flags"`
	Source  string `json:"source"`
}

type releaseList []releaseInfo

func (l releaseList) data() any { return []releaseInfo(l) }

func (l releaseList) table(w io.Writer) error {
	tw := newTab(w)
	fmt.Fprintln(tw, "ENGINE\tRELEASE\tDEFAULT\tFLAGS\tSOURCE")
	for _, r := range l {
		d := ""
		if r.Default {
			d = "default"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", r.Engine, r.Version, d, r.Flags, r.Source)
	}
	return tw.Flush()
}

func newReleasesCmd(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "releases [ENGINE] [-o table|json|yaml]",
		Short: "list the engine releases chartgen and the chart have flag tables for",
		Long: `Lists the engine releases whose flag table (the flags, parsers, environment variables and metrics of the
release's server entry point, read from that release) chartgen and the llm-model chart check against, with each
table's source. "releases diff" shows what changed between two of them.`,
		Args: argsBetween(0, 1, "at most one ENGINE"),
		RunE: func(_ *cobra.Command, args []string) error { return runReleases(args, format, a.streams) },
	}
	formatFlag(cmd, &format)
	cmd.AddCommand(newReleasesDiffCmd(a))
	return cmd
}

func runReleases(args []string, format string, s IOStreams) error {
	if err := checkFormat(format); err != nil {
		return err
	}
	names := engine.NameStrings()
	if len(args) == 1 {
		if _, err := engine.Lookup(args[0]); err != nil {
			return usageErr("releases: %v", err)
		}
		names = args
	}
	var out releaseList
	for _, e := range names {
		def := engine.MustLookup(e).Spec().DefaultRelease
		for _, v := range flagtable.Versions(e) {
			t, _ := flagtable.Lookup(e, v)
			src := t.Source.Repository + " " + t.Source.Tag
			if len(t.Source.Files) > 0 {
				src += " (" + t.Source.Files[0].Path + " at " + t.Source.Files[0].Commit[:12] + ")"
			}
			out = append(out, releaseInfo{Engine: e, Version: v, Default: v == def, Flags: len(t.Flags), Source: src})
		}
	}
	return write(s.Out, format, out)
}

// releaseDiff is `chartgen releases diff`'s answer.
type releaseDiff struct{ *flagtable.Diff }

func (d releaseDiff) data() any { return d.Diff }

func (d releaseDiff) table(w io.Writer) error {
	fmt.Fprintf(w, "%s %s → %s\n", d.Engine, d.From, d.To)
	if len(d.Partial) > 0 {
		fmt.Fprintf(w, "partial tables (only the flags the chart renders, maps or tests): %s; a flag only the other table lists may exist in them too\n", strings.Join(d.Partial, ", "))
	}
	if len(d.Unlisted) > 0 {
		fmt.Fprintf(w, "not compared (a table's source does not list them): %s\n", strings.Join(d.Unlisted, ", "))
	}
	section := func(title string, x flagtable.Delta) {
		if x.Empty() {
			return
		}
		fmt.Fprintf(w, "\n%s:\n", title)
		for _, s := range x.Added {
			fmt.Fprintf(w, "  + %s\n", s)
		}
		for _, s := range x.Removed {
			fmt.Fprintf(w, "  - %s\n", s)
		}
	}
	changes := func(title string, list []flagtable.Change) {
		if len(list) == 0 {
			return
		}
		fmt.Fprintf(w, "\n%s:\n", title)
		tw := newTab(w)
		for _, c := range list {
			fmt.Fprintf(tw, "  ~ %s\t%s\t%s\n", c.Name, c.What, change(c))
		}
		_ = tw.Flush()
	}
	section("flags", d.Flags)
	changes("flags changed", d.Changed)
	section("tool-call parsers", d.ToolCallParsers)
	section("reasoning parsers", d.ReasoningParsers)
	section("environment variables", d.Env)
	section("metrics", d.Metrics)
	changes("paths", d.Paths)
	if d.Flags.Empty() && len(d.Changed) == 0 && d.ToolCallParsers.Empty() && d.ReasoningParsers.Empty() &&
		d.Env.Empty() && d.Metrics.Empty() && len(d.Paths) == 0 {
		fmt.Fprintln(w, "\nno differences")
	}
	return nil
}

// change is one change as a person reads it: a choice list as the choices added and removed, anything else as
// before → after.
func change(c flagtable.Change) string {
	if c.What != "choices" || c.Before == "" || c.After == "" {
		return orDash(c.Before) + " → " + orDash(c.After)
	}
	var words []string
	for _, s := range c.Added {
		words = append(words, "+"+s)
	}
	for _, s := range c.Removed {
		words = append(words, "-"+s)
	}
	return strings.Join(words, " ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func newReleasesDiffCmd(a *app) *cobra.Command {
	var format string
	var rendered bool
	cmd := &cobra.Command{
		Use:   "diff ENGINE FROM TO [--rendered] [-o table|json|yaml]",
		Short: "show what changed between two releases of an engine: flags, choices, defaults, parsers, variables, metrics",
		Long: `Compares the flag tables of two releases of one engine: the flags, parser names, environment variables and
metrics the newer one added (+) or removed (-), and the flags whose value kind, choices, negation or default
changed (~). --rendered limits the flags to those the llm-model chart renders from values (its engine spec).`,
		Example: "  chartgen releases diff vllm v0.19.0 v0.33.0 --rendered",
		Args:    argsBetween(3, 3, "ENGINE FROM TO"),
		RunE: func(_ *cobra.Command, args []string) error {
			return runReleasesDiff(args[0], args[1], args[2], rendered, format, a.streams)
		},
	}
	cmd.Flags().BoolVar(&rendered, "rendered", false, "only the flags the llm-model chart renders from values")
	formatFlag(cmd, &format)
	return cmd
}

func runReleasesDiff(name, from, to string, rendered bool, format string, s IOStreams) error {
	if err := checkFormat(format); err != nil {
		return err
	}
	e, err := engine.Lookup(name)
	if err != nil {
		return usageErr("releases diff: %v", err)
	}
	var tabs [2]*flagtable.Table
	for i, v := range []string{from, to} {
		if _, err := engine.ParseRelease(v); err != nil {
			return usageErr("releases diff: %v", err)
		}
		t, ok := flagtable.Lookup(name, v)
		if !ok {
			return usageErr("releases diff: %s %s has no flag table; the tables are %s (chartgen releases %s)", name, v,
				strings.Join(flagtable.Versions(name), ", "), name)
		}
		tabs[i] = t
	}
	var keep func(string) bool
	if rendered {
		flags := map[string]bool{}
		for _, f := range e.Spec().Flags() {
			flags[f] = true
		}
		keep = func(f string) bool { return flags[f] }
	}
	d, err := flagtable.Compare(tabs[0], tabs[1], keep)
	if err != nil {
		return err
	}
	return write(s.Out, format, releaseDiff{d})
}
