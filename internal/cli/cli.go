// Package cli is chartgen's command line, built on spf13/cobra and pflag (what helm and kubectl users know): flags
// anywhere on the line, --flag=value or --flag value, -h/--help on every command, --version, shell completion.
// `Run(args, streams)` runs one command line into the given streams and returns its error; main only maps the error
// to an exit code (ExitCode), so every command is testable into buffers.
//
// One file per command: values.go, explain.go, gpus.go, models.go, import.go, gateway.go each hold a newXCmd(*app)
// and the command's code; a new command is a new file plus one line in newRoot. Flag-set problems (an unknown flag, a
// bad value, a missing argument) and the checks a command makes on its flags return a *UsageError (exit 2).
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	llmcharts "github.com/llm-charts/llm-charts"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// IOStreams are the command's standard streams.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
}

// UsageError is a bad command line: exit code 2, with a hint to --help.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func usageErr(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// ExitCode maps an error to the process exit code: 0 ok, 2 usage, 1 anything else.
func ExitCode(err error) int {
	var u *UsageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &u):
		return 2
	}
	return 1
}

// app is what every command shares: the streams and the command line as typed (the values files' headers quote it).
type app struct {
	streams IOStreams
	args    []string
}

// typed returns the arguments that followed the command name on the command line, as typed.
func (a *app) typed(cmd *cobra.Command) []string {
	for i, x := range a.args {
		if x == cmd.Name() {
			return a.args[i+1:]
		}
	}
	return nil
}

// newRoot builds the command tree. Add a command here (and write it in its own file).
func newRoot(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "chartgen",
		Short: "size LLM deployments and write Helm values for the llm-model and llm-gateway charts",
		Long: "chartgen: size LLM deployments and write Helm values for the llm-model and llm-gateway charts.\n\n" +
			"Exit codes: 0 ok, 2 a bad command line, 1 anything else (e.g. a model that fits on no GPU type given).",
		Version:           llmcharts.Version(),
		SilenceErrors:     true, // main prints the error once, with the exit code Run's error maps to
		SilenceUsage:      true, // an error message names the flag and points at --help instead of a wall of text
		DisableAutoGenTag: true,
	}
	root.AddCommand(
		newValuesCmd(a),
		newExplainCmd(a),
		newGPUsCmd(a),
		newModelsCmd(a),
		newImportCmd(a),
		newGatewayCmd(a),
		newCheckCmd(a),
		newReleasesCmd(a),
	)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageErr("%s: %v (run %s --help)", c.CommandPath(), err, c.CommandPath())
	})
	root.SetArgs(a.args)
	root.SetIn(a.streams.In)
	root.SetOut(a.streams.Out)
	root.SetErr(a.streams.ErrOut)
	completionShells(root) // after SetOut: cobra's completion commands take the writer when they are made
	return root
}

// completionShells adds cobra's `completion bash|zsh|fish|powershell` now (cobra would add it when it runs) so that a
// missing or unknown shell is a bad command line (exit 2) instead of the command's help with exit 0.
func completionShells(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	c, _, err := root.Find([]string{"completion"})
	if err != nil || c == root {
		return
	}
	var shells []string
	for _, s := range c.Commands() {
		shells = append(shells, s.Name())
	}
	c.Args = cobra.ArbitraryArgs
	c.RunE = func(c *cobra.Command, args []string) error {
		if len(args) == 0 {
			return usageErr("%s: name a shell: %s", c.CommandPath(), strings.Join(shells, ", "))
		}
		return usageErr("%s: unknown shell %q; allowed: %s", c.CommandPath(), args[0], strings.Join(shells, ", "))
	}
}

// Run runs chartgen with args (without the program name).
func Run(args []string, s IOStreams) error {
	if s.In == nil {
		s.In = strings.NewReader("")
	}
	if s.Out == nil {
		s.Out = io.Discard
	}
	if s.ErrOut == nil {
		s.ErrOut = io.Discard
	}
	if args == nil {
		args = []string{} // cobra reads os.Args when given nil
	}
	root := newRoot(&app{streams: s, args: args})
	if len(args) == 0 {
		root.SetOut(s.ErrOut) // the command line was wrong: the usage goes with the error
		_ = root.Usage()
		return usageErr("a command is required: one of %s", strings.Join(commandNames(root), ", "))
	}
	if err := singleDashLongFlag(root, args); err != nil {
		return err
	}
	// Ctrl-C (or SIGTERM) cancels what the command is doing, e.g. a Hub lookup, which then says it was interrupted;
	// a second Ctrl-C ends the process the usual way.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	context.AfterFunc(ctx, stop)
	cmd, err := root.ExecuteContextC(ctx)
	var u *UsageError
	if err != nil && cmd == root && !errors.As(err, &u) {
		// The root runs nothing itself, so its only other error is cobra's "unknown command".
		return unknownCommand(root, args)
	}
	return err
}

// unknownCommand names the first argument that is not a command, with cobra's suggestions (e.g. valuez → values).
func unknownCommand(root *cobra.Command, args []string) error {
	name := ""
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			name = a
			break
		}
	}
	hint := ""
	if s := root.SuggestionsFor(name); len(s) > 0 {
		hint = " (did you mean " + strings.Join(s, " or ") + "?)"
	}
	return usageErr("unknown command %q%s; commands: %s (run chartgen --help)", name, hint, strings.Join(commandNames(root), ", "))
}

// commandNames lists the commands a user can run.
func commandNames(root *cobra.Command) []string {
	var out []string
	for _, c := range root.Commands() {
		if c.IsAvailableCommand() && c.Name() != "help" {
			out = append(out, c.Name())
		}
	}
	return out
}

// singleDashLongFlag refuses a long flag written with one dash (-model, -output), which the standard flag package
// accepted: pflag reads -output as -o utput, which would silently write to a file named "utput".
func singleDashLongFlag(root *cobra.Command, args []string) error {
	cmd, _, err := root.Find(args)
	if err != nil || cmd == root {
		return nil
	}
	for _, a := range args {
		if a == "--" {
			return nil
		}
		if len(a) < 3 || a[0] != '-' || a[1] == '-' {
			continue
		}
		name, _, _ := strings.Cut(a[1:], "=")
		if f := cmd.Flags().Lookup(name); f != nil {
			return usageErr("%s: %s: long flags take two dashes: --%s (run %s --help)", cmd.CommandPath(), a, a[1:], cmd.CommandPath())
		}
	}
	return nil
}

// noArgs is cobra's Args for commands that take only flags.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageErr("%s: unexpected argument %q; it takes flags only (run %s --help)", cmd.CommandPath(), args[0], cmd.CommandPath())
	}
	return nil
}

// argsBetween is cobra's Args for commands that take min to max arguments, named in want (e.g. "ENGINE FROM TO").
func argsBetween(min, max int, want string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < min || len(args) > max {
			return usageErr("%s: takes %s, got %d argument(s) (run %s --help)", cmd.CommandPath(), want, len(args), cmd.CommandPath())
		}
		return nil
	}
}

// stringList is a repeatable flag whose values may also be comma-separated (--gpu l4 --gpu a10, --gpu l4,a10).
type stringList []string

var _ pflag.Value = (*stringList)(nil)

func (l *stringList) String() string { return strings.Join(*l, ",") }
func (l *stringList) Type() string   { return "strings" }
func (l *stringList) Set(v string) error {
	for _, x := range strings.Split(v, ",") {
		if x = strings.TrimSpace(x); x == "" {
			return fmt.Errorf("empty value %q: give one value, or several separated by commas", v)
		}
		*l = append(*l, x)
	}
	return nil
}

// pairList is a repeatable flag of FILE=VALUE (or, for --namespace, a plain VALUE); values are not split on commas.
type pairList []string

var _ pflag.Value = (*pairList)(nil)

func (l *pairList) String() string     { return strings.Join(*l, " ") }
func (l *pairList) Type() string       { return "pairs" }
func (l *pairList) Set(v string) error { *l = append(*l, v); return nil }
