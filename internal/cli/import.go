package cli

import (
	"bytes"
	"fmt"
	"os"

	"github.com/llm-charts/llm-charts/internal/importer"
	"github.com/spf13/cobra"
)

// runImport ports existing StatefulSet / Deployment manifests (+ PVC, Service) onto the llm-model chart: one values
// file per workload, headed by everything that could not be mapped and the notes on moving the data.
func newImportCmd(a *app) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "import MANIFEST.yaml... [-o FILE]",
		Short: "port existing StatefulSet / Deployment manifests onto llm-model values, listing what cannot be mapped",
		Long: `Reads hand-written StatefulSets, Deployments and LeaderWorkerSets (with their PVCs and Services) and writes one
llm-model values file per workload: a sh -c / bash -c command is tokenized, the commands before the engine become
serving.preStartCommands, vLLM (vllm serve, python3 -m vllm.entrypoints.openai.api_server) and SGLang
(python3 -m sglang.launch_server) flags are read as the engine's parser reads them and mapped to typed values, and
anything else goes to serving.extraArgs, as unknown when the engine's flag table lacks it. Tokens and API keys from
Secret keys become credentials, the old Hugging Face cache directory becomes storage.hubCacheDir and the Service
keeps its port (service.enginePort for the engine's) and name. Everything that is not mapped is listed at the top
of the values file (never dropped); a Deployment becomes a StatefulSet, and the notes name the new PVC and how to
copy or re-bind the data. Several workloads are written as one YAML stream.`,
		Example: `  chartgen import minimax-statefulset.yaml -o minimax.yaml
  chartgen import deploy/*.yaml > imported.yaml`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageErr("chartgen import: name one or more manifest files (usage: chartgen %s)", cmd.Use)
			}
			return nil
		},
		ValidArgsFunction: yamlFiles,
		RunE:              func(_ *cobra.Command, files []string) error { return runImport(files, out, a.streams) },
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "write the values file to `FILE` (one workload only; atomically) instead of standard output")
	return cmd
}

func runImport(files []string, out string, s IOStreams) error {
	var objs []importer.Object
	for _, f := range files {
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
