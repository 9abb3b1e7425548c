package cli

import (
	"bytes"
	"flag"
	"fmt"
	"os"

	"github.com/llm-charts/llm-charts/internal/importer"
)

// runImport ports existing StatefulSet / Deployment manifests (+ PVC, Service) onto the llm-model chart: one values
// file per workload, headed by everything that could not be mapped and the notes on moving the data.
func runImport(args []string, s IOStreams) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	var out string
	fs.StringVar(&out, "o", "", "write the values file to FILE (one workload only) instead of standard output")
	const synopsis = "chartgen import [-o FILE] MANIFEST.yaml..."
	if err := parseWithArgs(fs, args, s, synopsis); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageErr("chartgen import: name one or more manifest files (usage: %s)", synopsis)
	}
	var objs []importer.Object
	for _, f := range fs.Args() {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		o, err := importer.Read(f, data)
		if err != nil {
			return err
		}
		objs = append(objs, o...)
	}
	results, err := importer.Import(objs)
	if err != nil {
		return err
	}
	if out != "" && len(results) > 1 {
		return usageErr("chartgen import: -o takes one workload, the files hold %d; omit -o to write them all as a YAML stream", len(results))
	}
	var buf bytes.Buffer
	for i, r := range results {
		if i > 0 {
			buf.WriteString("---\n")
		}
		if err := importer.WriteValues(&buf, r); err != nil {
			return err
		}
		if n := len(r.Unmapped); n > 0 {
			fmt.Fprintf(s.ErrOut, "chartgen import: %s: %d item(s) not mapped, listed at the top of the values\n", r.Source, n)
		}
	}
	if out != "" {
		return writeFileAtomic(out, buf.Bytes())
	}
	_, err = s.Out.Write(buf.Bytes())
	return err
}
