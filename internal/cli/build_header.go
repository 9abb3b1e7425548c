package cli

import (
	"fmt"
	"strings"

	"github.com/llm-charts/llm-charts/internal/engine"
	"github.com/llm-charts/llm-charts/internal/plan"
	"github.com/llm-charts/llm-charts/internal/values"
)

// header is the values file's document comment: the command line, the memory model the plan assumes, one line per
// plan and the plans' warnings.
func header(e engine.Engine, in plan.Input, plans []*plan.Plan, cmdline string) string {
	var h strings.Builder
	fmt.Fprintf(&h, "llm-model values for %s, written by: %s\n", in.Name, cmdline)
	fmt.Fprintf(&h, "Every computed number is explained in the comment above it; the plan assumes %s", e.MemoryModelNote())
	for _, p := range plans {
		layout := e.LayoutNote(engine.LayoutWords{TP: p.TP, PP: p.PP, DCP: p.DCP, DP: p.DP, DPAttention: p.DPAttention})
		if p.Nodes > 1 {
			layout += fmt.Sprintf(", %d pods (nodes) of %d GPUs", p.Nodes, p.GPUsPerPod)
		}
		fmt.Fprintf(&h, "%s: %d GPU(s), %s, max_model_len %s, KV capacity %s tokens (%.2f× one context)\n",
			p.GPU, p.GPUs, layout, plan.Commas(int64(p.MaxModelLen)), plan.Commas(p.KVTokens), p.Concurrency)
	}
	for _, w := range warnings(plans) {
		fmt.Fprintf(&h, "WARNING: %s\n", w)
	}
	return h.String()
}

// planSummary is the informational plan block NOTES.txt prints: the model's own context (so NOTES only warns when
// max_model_len differs from it), the KV capacity of the smallest instance, and with several GPU types one line per
// resource group.
func planSummary(plans []*plan.Plan) *values.Plan {
	sum := &values.Plan{}
	for _, p := range plans {
		if p.ModelMaxLen > 0 && sum.ModelMaxLen == nil {
			sum.ModelMaxLen = ptr(int64(p.ModelMaxLen))
		}
		if sum.KVCacheTokens == nil || p.KVTokens < *sum.KVCacheTokens {
			sum.KVCacheTokens = ptr(p.KVTokens)
		}
		if len(plans) == 1 {
			continue // kvCacheTokens says it all
		}
		sum.Notes = append(sum.Notes, fmt.Sprintf("%s: KV cache for %s tokens per instance (%.2f× one %s-token context)",
			p.GPU, plan.Commas(p.KVTokens), p.Concurrency, plan.Commas(int64(p.MaxModelLen))))
	}
	return sum
}

func gpuIDs(plans []*plan.Plan) []string {
	out := make([]string, len(plans))
	for i, p := range plans {
		out[i] = p.GPU
	}
	return out
}

func warnings(plans []*plan.Plan) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range plans {
		for _, w := range p.Warnings {
			if !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	return out
}
