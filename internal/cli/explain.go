package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/llm-charts/llm-charts/internal/plan"
	"github.com/spf13/cobra"
)

// plans is explain's output.
type plans []*plan.Plan

func (ps plans) data() any { return []*plan.Plan(ps) }

func (ps plans) table(w io.Writer) error {
	tw := newTab(w)
	fmt.Fprintln(tw, "GPU\tGPUS\tTP/PP/DCP\tNODES\tWEIGHTS/GPU\tKV TOKENS\tCONTEXT\tFITS")
	for _, p := range ps {
		if p.NotFit != "" && p.GPUs > 0 {
			// A given layout that does not hold: its numbers, and why.
			fmt.Fprintf(tw, "%s\t%d\t%d/%d/%d\t%d\t%.1f GiB\t%s\t%s\tno: %s\n", p.GPU, p.GPUs, p.TP, p.PP, p.DCP, p.Nodes,
				float64(p.WeightsPerGPU)/plan.GiB, plan.Commas(max(0, p.KVTokens)), plan.Commas(int64(p.MaxModelLen)), strings.TrimPrefix(p.NotFit, "does not fit: "))
			continue
		}
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
			float64(p.WeightsPerGPU)/plan.GiB, plan.Commas(p.KVTokens)+specWords(p.Speculative), plan.Commas(int64(p.MaxModelLen)), fits)
	}
	return tw.Flush()
}

func newExplainCmd(a *app) *cobra.Command {
	var pf planFlags
	var format string
	cmd := &cobra.Command{
		Use:   "explain --model ID [--gpu TYPE]... [-o table|json|yaml]",
		Short: "plan a model on GPU types and print the plans side by side (table, json or yaml)",
		Long: `Plans a model on every GPU type of the catalog (or those given with --gpu) and prints the plans side by side:
the table for people, json or yaml with every number, the reason for each choice and each GPU's memory term by term
(budgetPerGPU). With --tp (and --pp, --dcp, --max-num-seqs, --max-num-batched-tokens) it evaluates that deployment
instead of choosing one: fits is false, with the reason, when it does not hold. With --speculative each plan carries
speculative decoding, and its KV capacity stands beside the same layout's without it.`,
		Example: `  chartgen explain --model MiniMaxAI/MiniMax-M2.5
  chartgen explain --model zai-org/GLM-5-FP8 --gpu a100-80gb --gpu h200 -o json
  chartgen explain --model zai-org/GLM-5-FP8 --gpu h200 --speculative
  chartgen explain --model openai/gpt-oss-120b --gpu h100-80gb --tp 1 --gpu-memory-utilization 0.95 --max-num-seqs 1024`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error { return runExplain(&pf, format, a.streams) },
	}
	pf.register(cmd.Flags())
	formatFlag(cmd, &format)
	pf.complete(cmd)
	return cmd
}

func runExplain(pf *planFlags, format string, s IOStreams) error {
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

// specWords puts a plan's KV capacity without speculative decoding beside the one with it: " (mtp ×1; 3,439,041
// without)".
func specWords(sp *plan.SpecPlan) string {
	if sp == nil {
		return ""
	}
	if sp.KVTokensWithout == 0 {
		return fmt.Sprintf(" (%s ×%d)", sp.Method, sp.Tokens)
	}
	return fmt.Sprintf(" (%s ×%d; %s without)", sp.Method, sp.Tokens, plan.Commas(sp.KVTokensWithout))
}
