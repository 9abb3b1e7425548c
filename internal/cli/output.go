package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/llm-charts/llm-charts/internal/catalog"
	"github.com/llm-charts/llm-charts/internal/gpu"
	"github.com/llm-charts/llm-charts/internal/model"
	"github.com/llm-charts/llm-charts/internal/plan"
	"sigs.k8s.io/yaml"
)

// printer writes the same data as a table, JSON or YAML (helm's pkg/cli/output pattern): table is for people, the
// others for programs and carry every field.
type printer interface {
	table(w io.Writer) error
	data() any
}

func write(w io.Writer, format string, p printer) error {
	switch format {
	case "", "table":
		return p.table(w)
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
	return usageErr("-o %q is not an output format; allowed: table, json, yaml", format)
}

func checkFormat(f string) error {
	switch f {
	case "", "table", "json", "yaml":
		return nil
	}
	return usageErr("-o %q is not an output format; allowed: table, json, yaml", f)
}

func newTab(w io.Writer) *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 4, 2, ' ', 0) }

// plans is explain's output.
type plans []*plan.Plan

func (ps plans) data() any { return []*plan.Plan(ps) }

func (ps plans) table(w io.Writer) error {
	tw := newTab(w)
	fmt.Fprintln(tw, "GPU\tGPUS\tTP/PP/DCP\tNODES\tWEIGHTS/GPU\tKV TOKENS\tCONTEXT\tFITS")
	for _, p := range ps {
		if p.NotFit != "" {
			why := fmt.Sprintf("does not fit in %d nodes", plan.DefaultMaxNodes)
			if p.Unsupported {
				why = "weights unsupported on this GPU generation"
			}
			fmt.Fprintf(tw, "%s\t-\t-\t-\t-\t-\t-\tno: %s\n", p.GPU, why)
			continue
		}
		fits := "yes"
		switch {
		case p.MultiNode:
			fits = fmt.Sprintf("multi-node: %d pods × %d GPUs", p.Nodes, p.GPUsPerPod)
		case p.Shortened:
			fits = "yes, context cut"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d/%d/%d\t%d\t%.1f GiB\t%s\t%s\t%s\n", p.GPU, p.GPUs, p.TP, p.PP, p.DCP, p.Nodes,
			float64(p.WeightsPerGPU)/plan.GiB, plan.Commas(p.KVTokens), plan.Commas(int64(p.MaxModelLen)), fits)
	}
	return tw.Flush()
}

func runExplain(args []string, s IOStreams) error {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	var pf planFlags
	pf.register(fs)
	var format string
	fs.StringVar(&format, "o", "table", "output format: table, json or yaml")
	fs.StringVar(&format, "output", "table", "same as -o")
	if err := parse(fs, args, s, "chartgen explain --model ID [--gpu TYPE]... [-o table|json|yaml] (all catalog GPUs when no --gpu)"); err != nil {
		if errors.Is(err, errHelp) {
			return nil
		}
		return err
	}
	if err := checkFormat(format); err != nil {
		return err
	}
	if pf.model == "" && pf.config == "" && pf.modelDir == "" {
		return usageErr("chartgen explain: --model is required (or --config / --model-dir)")
	}
	_, _, ps, err := pf.plan(true)
	if err != nil {
		return err
	}
	return write(s.Out, format, plans(ps))
}

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

func runGPUs(args []string, s IOStreams) error {
	fs := flag.NewFlagSet("gpus", flag.ContinueOnError)
	var format, file string
	fs.StringVar(&format, "o", "table", "output format: table, json or yaml")
	fs.StringVar(&file, "gpu-catalog", "", "GPU catalog file replacing the embedded one")
	if err := parse(fs, args, s, "chartgen gpus [--gpu-catalog FILE] [-o table|json|yaml]"); err != nil {
		if errors.Is(err, errHelp) {
			return nil
		}
		return err
	}
	if err := checkFormat(format); err != nil {
		return err
	}
	c, err := gpu.Load(file)
	if err != nil {
		return err
	}
	return write(s.Out, format, gpuList(c.All()))
}

// modelInfo is one row of the models command.
type modelInfo struct {
	ID          string  `json:"id"`
	Family      string  `json:"family"`
	ParamsB     float64 `json:"paramsBillions"`
	WeightsGiB  float64 `json:"weightsGiB"`
	Context     int     `json:"context"`
	Attention   string  `json:"attention"`
	Quantized   string  `json:"quantization,omitempty"`
	Multimodal  bool    `json:"multimodal"`
	Description string  `json:"-"`
}

type modelList []modelInfo

func (l modelList) data() any { return []modelInfo(l) }

func (l modelList) table(w io.Writer) error {
	tw := newTab(w)
	fmt.Fprintln(tw, "ID\tFAMILY\tPARAMS\tWEIGHTS\tCONTEXT\tATTENTION\tQUANT")
	for _, m := range l {
		q := m.Quantized
		if q == "" {
			q = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%.1fB\t%.1f GiB\t%s\t%s\t%s\n", m.ID, m.Family, m.ParamsB, m.WeightsGiB, plan.Commas(int64(m.Context)), m.Attention, q)
	}
	return tw.Flush()
}

func runModels(args []string, s IOStreams) error {
	fs := flag.NewFlagSet("models", flag.ContinueOnError)
	var format string
	fs.StringVar(&format, "o", "table", "output format: table, json or yaml")
	if err := parse(fs, args, s, "chartgen models [-o table|json|yaml]"); err != nil {
		if errors.Is(err, errHelp) {
			return nil
		}
		return err
	}
	if err := checkFormat(format); err != nil {
		return err
	}
	var out modelList
	for _, id := range catalog.IDs() {
		md, err := catalog.Catalog{}.Load(context.Background(), id)
		if err != nil {
			return err
		}
		f, err := md.Facts(model.TaskAuto)
		if err != nil {
			return fmt.Errorf("embedded model %s: %w", id, err)
		}
		est := model.EstimateParams(f)
		mi := modelInfo{ID: id, Family: f.Family(), ParamsB: float64(est.Params) / 1e9, WeightsGiB: float64(est.LoadedBytes(false, f.Multimodal)) / plan.GiB,
			Context: f.MaxContext, Attention: attention(f), Multimodal: f.Multimodal}
		if f.Quant != nil {
			mi.Quantized = f.Quant.Method
		}
		out = append(out, mi)
	}
	return write(s.Out, format, out)
}

func attention(f *model.Facts) string {
	var parts []string
	switch {
	case f.MLA != nil:
		parts = append(parts, "MLA")
	case f.KVHeads < f.Heads:
		parts = append(parts, fmt.Sprintf("GQA %d/%d", f.KVHeads, f.Heads))
	default:
		parts = append(parts, "MHA")
	}
	for _, k := range []model.LayerKind{model.LayerSliding, model.LayerChunked, model.LayerLinear, model.LayerMamba} {
		if n := f.CountLayers(k); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, strings.TrimSuffix(string(k), "_attention")))
		}
	}
	if f.MoE != nil && f.MoE.Routed > 0 {
		parts = append(parts, fmt.Sprintf("MoE %d/%d", f.MoE.PerToken, f.MoE.Routed))
	}
	return strings.Join(parts, ", ")
}
