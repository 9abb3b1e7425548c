package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/llm-charts/llm-charts/internal/catalog"
	"github.com/llm-charts/llm-charts/internal/model"
	"github.com/llm-charts/llm-charts/internal/plan"
	"github.com/spf13/cobra"
)

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

func newModelsCmd(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "models [-o table|json|yaml]",
		Short: "list the embedded model catalog (works offline)",
		Long: `Lists the models whose metadata is embedded in chartgen (config.json and safetensors headers), so that
chartgen values and explain work for them offline; any other model id is looked up on the Hugging Face Hub.`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error { return runModels(format, a.streams) },
	}
	formatFlag(cmd, &format)
	return cmd
}

func runModels(format string, s IOStreams) error {
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
