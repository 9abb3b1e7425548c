package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"sigs.k8s.io/yaml"
)

// printer writes the same data as a table, JSON or YAML (helm's pkg/cli/output pattern): table is for people, the
// others for programs and carry every field.
type printer interface {
	table(w io.Writer) error
	data() any
}

// formats are the -o values of the listing commands.
var formats = []string{"table", "json", "yaml"}

// formatFlag registers -o/--output FORMAT (default table) with its completion.
func formatFlag(cmd *cobra.Command, format *string) {
	cmd.Flags().StringVarP(format, "output", "o", "table", "output `FORMAT`: "+strings.Join(formats, ", "))
	_ = cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions(formats, cobra.ShellCompDirectiveNoFileComp))
}

func checkFormat(f string) error {
	if f == "" || slices.Contains(formats, f) {
		return nil
	}
	return usageErr("-o %q is not an output format; allowed: %s", f, strings.Join(formats, ", "))
}

func write(w io.Writer, format string, p printer) error {
	if err := checkFormat(format); err != nil {
		return err
	}
	switch format {
	case "json":
		b, err := json.MarshalIndent(p.data(), "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
		return err
	case "yaml":
		b, err := yaml.Marshal(p.data())
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	}
	return p.table(w)
}

func newTab(w io.Writer) *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 4, 2, ' ', 0) }

// cmdline is the command as typed, without the output file (which does not change the values).
func cmdline(cmd string, args []string) string {
	out := []string{"chartgen", cmd}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-o" || a == "--output":
			i++
			continue
		case a == "--":
			out = append(out, args[i:]...)
			return strings.Join(out, " ")
		case strings.HasPrefix(a, "-o") || strings.HasPrefix(a, "--output="): // -o FILE, -oFILE, -o=FILE
			continue
		}
		out = append(out, a)
	}
	return strings.Join(out, " ")
}

// writeFileAtomic writes data to a temporary file in the target's directory and renames it over the target, so the
// target is either the old file or the whole new one, never a partial write.
func writeFileAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
