package cli

import (
	"fmt"
	"io"

	"github.com/llm-charts/llm-charts/internal/gpu"
	"github.com/spf13/cobra"
)

// gpuList is the gpus command's output.
type gpuList []gpu.GPU

func (l gpuList) data() any { return []gpu.GPU(l) }

func (l gpuList) table(w io.Writer) error {
	tw := newTab(w)
	fmt.Fprintln(tw, "ID\tNAME\tMEMORY MIB\tRESOURCE\tPRODUCT\tCOMPUTE\tPER NODE")
	for _, g := range l {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%d\n", g.ID, g.Name, g.MemoryMiB, g.Resource, g.Product, g.ComputeCapability(), g.GPUsPerNode)
	}
	return tw.Flush()
}

func newGPUsCmd(a *app) *cobra.Command {
	var format, file string
	cmd := &cobra.Command{
		Use:   "gpus [--gpu-catalog FILE] [-o table|json|yaml]",
		Short: "list the GPU catalog",
		Long:  "Lists the GPU types chartgen plans for: the embedded catalog, or the one --gpu-catalog FILE gives.",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			c, err := gpu.Load(file)
			if err != nil {
				return err
			}
			return write(a.streams.Out, format, gpuList(c.All()))
		},
	}
	cmd.Flags().StringVar(&file, "gpu-catalog", "", "GPU catalog `FILE` replacing the embedded one")
	formatFlag(cmd, &format)
	completeYAMLFiles(cmd, "gpu-catalog")
	return cmd
}
