package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/llm-charts/llm-charts/internal/plan"
	"github.com/spf13/cobra"
)

// plans is explain's output.
type plans []*plan.Plan

func (ps plans) data() any { return []*plan.Plan(ps) }

// explained is explain's output when GPU types were named: the plans, then each one's alternatives.
type explained struct{ plans }

func (e explained) table(w io.Writer) error {
	if err := e.plans.table(w); err != nil {
		return err
	}
	for _, p := range e.plans {
		if len(p.Alternatives) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s: one-pod layouts that hold %s (objective %s; * = chosen; --objective picks another):\n", p.GPU, p.Model, p.Objective)
		tw := newTab(w)
		fmt.Fprintln(tw, "\tGPUS\tTP×PP×DCP\tKV TOKENS\tCONCURRENCY\tPICKED BY")
		for _, a := range p.Alternatives {
			mark := ""
			if a.Chosen {
				mark = "*"
			}
			by := strings.Join(a.PickedBy, ", ")
			if by == "" {
				by = "-"
			}
			fmt.Fprintf(tw, "%s\t%d\t%d×%d×%d\t%s\t%.2f×\t%s\n", mark, a.GPUs, a.TP, a.PP, a.DCP, plan.Commas(a.KVTokens), a.Concurrency, by)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

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
			float64(p.WeightsPerGPU)/plan.GiB, plan.Commas(p.KVTokens)+specWords(p.Speculative)+loraWords(p.LoRA), plan.Commas(int64(p.MaxModelLen)), fits)
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
instead of choosing one: fits is false, with the reason, when it does not hold. With --gpu, the table is followed by
each GPU type's alternatives: every GPU count whose one-pod layout holds the model, with TP × PP × DCP, KV capacity
and the objective (--objective balanced, gpus or latency) that picks it. With --speculative each plan carries
speculative decoding, and its KV capacity stands beside the same layout's without it; so does --max-loras / --lora-rank
with the LoRA adapter buffers.`,
		Example: `  chartgen explain --model MiniMaxAI/MiniMax-M2.5
  chartgen explain --model zai-org/GLM-5-FP8 --gpu a100-80gb --gpu h200 -o json
  chartgen explain --model meta-llama/Meta-Llama-3.1-70B --gpu a100-80gb --objective gpus
  chartgen explain --model zai-org/GLM-5-FP8 --gpu h200 --speculative
  chartgen explain --model openai/gpt-oss-120b --gpu h100-80gb --tp 1 --gpu-memory-utilization 0.95 --max-num-seqs 1024`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runExplain(cmd.Context(), &pf, format, a.streams) },
	}
	pf.register(cmd.Flags())
	formatFlag(cmd, &format)
	pf.complete(cmd)
	return cmd
}

func runExplain(ctx context.Context, pf *planFlags, format string, s IOStreams) error {
	if err := checkFormat(format); err != nil {
		return err
	}
	if pf.model == "" && pf.config == "" && pf.modelDir == "" {
		return usageErr("chartgen explain: --model is required (or --config / --model-dir)")
	}
	_, _, ps, err := pf.plan(ctx, true, s.ErrOut)
	if err != nil {
		return err
	}
	if len(pf.gpus) > 0 {
		// Named GPU types: each plan's alternatives follow the table (json and yaml carry them always).
		return write(s.Out, format, explained{plans(ps)})
	}
	return write(s.Out, format, plans(ps))
}

// specWords puts a plan's KV capacity without speculative decoding beside the one with it: " (mtp ×1; 3,439,041
// without)".
func specWords(sp *plan.SpecPlan) string {
	if sp == nil {
		return ""
	}
	return withoutWords(fmt.Sprintf("%s ×%d", sp.Method, sp.Tokens), sp.KVTokensWithout)
}

// loraWords puts a plan's KV capacity without LoRA beside the one with it: " (LoRA 4×r64; 104,487 without)".
func loraWords(lp *plan.LoRAPlan) string {
	if lp == nil {
		return ""
	}
	return withoutWords(fmt.Sprintf("LoRA %d×r%d", lp.MaxLoras, lp.MaxRank), lp.KVTokensWithout)
}

// withoutWords is " (label)", with the KV capacity without the feature when it is known.
func withoutWords(label string, without int64) string {
	if without == 0 {
		return " (" + label + ")"
	}
	return fmt.Sprintf(" (%s; %s without)", label, plan.Commas(without))
}
