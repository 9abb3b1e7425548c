// Package cli is chartgen's command line: `Run(args, streams)` parses the subcommand and its flags, calls the pure
// packages (model sources, GPU catalog, planner, values) and writes the result. main only maps the error to an exit
// code, so every command is testable into buffers.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
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

// command is one subcommand; `chartgen gateway` slots in here as another entry.
type command struct {
	summary string
	run     func(args []string, s IOStreams) error
}

func commands() map[string]command {
	return map[string]command{
		"values":  {"plan a model on GPU types and write an llm-model values file, every number explained", runValues},
		"explain": {"plan a model on GPU types and print the plans side by side (table, json or yaml)", runExplain},
		"gpus":    {"list the GPU catalog", runGPUs},
		"models":  {"list the embedded model catalog (works offline)", runModels},
		"import":  {"port existing StatefulSet / Deployment manifests onto llm-model values, listing what cannot be mapped", runImport},
		"gateway": {"write the llm-gateway values that publish llm-model values files through Envoy AI Gateway", runGateway},
	}
}

// Run runs chartgen with args (without the program name).
func Run(args []string, s IOStreams) error {
	if s.Out == nil {
		s.Out = io.Discard
	}
	if s.ErrOut == nil {
		s.ErrOut = io.Discard
	}
	cmds := commands()
	if len(args) == 0 {
		usage(s.ErrOut, cmds)
		return usageErr("a command is required: one of %s", strings.Join(names(cmds), ", "))
	}
	switch args[0] {
	case "-h", "--help", "help":
		usage(s.Out, cmds)
		return nil
	}
	c, ok := cmds[args[0]]
	if !ok {
		return usageErr("unknown command %q; commands: %s (run chartgen --help)", args[0], strings.Join(names(cmds), ", "))
	}
	if err := c.run(args[1:], s); !errors.Is(err, errHelp) {
		return err
	}
	return nil // --help was answered
}

func names(cmds map[string]command) []string {
	out := make([]string, 0, len(cmds))
	for n := range cmds {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func usage(w io.Writer, cmds map[string]command) {
	fmt.Fprintln(w, "chartgen: size LLM deployments and write Helm values for the llm-model and llm-gateway charts.")
	fmt.Fprintln(w, "\nUsage: chartgen <command> [flags]   (chartgen <command> --help for its flags)")
	fmt.Fprintln(w, "\nCommands:")
	for _, n := range names(cmds) {
		fmt.Fprintf(w, "  %-8s %s\n", n, cmds[n].summary)
	}
}

// parse parses a flag set; --help prints the flags to Out and returns errHelp.
var errHelp = errors.New("help shown")

func parse(fs *flag.FlagSet, args []string, s IOStreams, synopsis string) error {
	if err := parseWithArgs(fs, args, s, synopsis); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErr("chartgen %s: unexpected argument %q; flags come as --name value (run chartgen %s --help)", fs.Name(), fs.Arg(0), fs.Name())
	}
	return nil
}

// parseWithArgs is parse for commands that take arguments after their flags (fs.Args()).
func parseWithArgs(fs *flag.FlagSet, args []string, s IOStreams, synopsis string) error {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(s.Out, "Usage: %s\n\nFlags:\n", synopsis)
			fs.SetOutput(s.Out)
			fs.PrintDefaults()
			return errHelp
		}
		return usageErr("chartgen %s: %v (run chartgen %s --help)", fs.Name(), err, fs.Name())
	}
	return nil
}

// stringList is a repeatable flag.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error {
	for _, x := range strings.Split(v, ",") {
		if x = strings.TrimSpace(x); x != "" {
			*l = append(*l, x)
		}
	}
	return nil
}
