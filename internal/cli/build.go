package cli

import (
	"github.com/llm-charts/llm-charts/internal/engine"
	"github.com/llm-charts/llm-charts/internal/plan"
	"github.com/llm-charts/llm-charts/internal/values"
)

func ptr[T any](v T) *T { return &v }

// builder holds what the values sections are built from, and the values and comments they fill.
type builder struct {
	e             engine.Engine
	in            plan.Input
	plans         []*plan.Plan
	o             plan.Options
	multiNodeMode string
	v             *values.Model
	c             values.Comments
}

// buildValues turns plans (one per GPU type) into llm-model values and the comments that explain them.
// One plan: every setting in the shared blocks and one unnamed group (the guide's naming). Several: the model-wide
// settings shared, the layout per group, each group named after its GPU id, all behind the one Service. A plan that
// needs several nodes becomes a multi-node group (nodes: N, gpu.count per pod). An engine other than the default sets
// engine: NAME; each engine-specific setting goes to the engine's own block (vllm, sglang) when the engine's spec
// renders that key, and the engine-neutral serving block is mapped by the chart to the engine's flags (the mapping is
// the spec rows of internal/engine/specs, and the engine comment spells it). multiNodeMode (--multi-node-mode) is
// written as multiNode.mode when a plan is multi-node.
func buildValues(e engine.Engine, in plan.Input, plans []*plan.Plan, o plan.Options, multiNodeMode, cmdline string) (*values.Model, string, values.Comments) {
	b := &builder{e: e, in: in, plans: plans, o: o, multiNodeMode: multiNodeMode, v: &values.Model{Model: values.ModelRef{Name: in.Name}}, c: values.Comments{}}
	b.buildModel()
	s, x, sg := b.buildServing()
	b.buildGroups(s, x, sg)
	writeMultiNodeMode(b.v, plans, multiNodeMode, b.c)
	autoscaleTargets(b.v, plans, multiNodeMode, b.c)
	b.buildStorage()
	b.v.Plan = planSummary(plans)
	b.c["plan"] = "What chartgen worked out, for NOTES.txt (informational: nothing renders from it)."
	return b.v, header(e, in, plans, cmdline), b.c
}
