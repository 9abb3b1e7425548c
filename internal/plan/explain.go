package plan

import (
	"fmt"
	"math"
	"strings"

	"github.com/llm-charts/llm-charts/internal/engine"
)

// The plan's reasons: each step's words, apart from the decisions. The words that differ per engine come from the
// engine (its KV dtype reason, its utilization words, its serving defaults); here they differ only by what the
// engine's budget says (its utilization semantics).

// inputReasons explain the KV cache dtype, the weights and the task.
func (s *planner) inputReasons() {
	p, w, kv := s.p, s.in.Weights, s.kv
	p.Reasons[ReasonKVDType] = fmt.Sprintf("%s (%d byte(s) per value): %s", kv.Name, kv.Bytes, kv.Reason)
	p.Reasons[ReasonWeights] = fmt.Sprintf("%.2f GiB loaded on GPUs, %.2f GiB on disk, %.2fB parameters: %s",
		float64(w.Loaded)/GiB, float64(w.OnDisk)/GiB, float64(w.Params)/1e9, w.Source)
	p.Reasons[ReasonTask] = string(s.task)
	if s.f.EmbeddingReason != "" {
		p.Reasons[ReasonTask] += ": " + s.f.EmbeddingReason
	}
}

// notHoldWords says why a layout's budget does not hold one context of tokens.
func notHoldWords(r fit, err error, tokens int, visible int64) string {
	why := ""
	switch {
	case err != nil:
		why = err.Error()
	case r.budget <= 0:
		why = fmt.Sprintf("no room for a KV cache: %.2f GiB inside the fraction %.2f of %.2f GiB go to weights, activations and runtime", float64(r.b.Inside())/GiB, r.util, float64(visible)/GiB)
	case r.need > r.budget:
		why = fmt.Sprintf("one %s-token context needs %.2f GiB of KV per GPU, the budget is %.2f GiB", commas(int64(tokens)), float64(r.need)/GiB, float64(r.budget)/GiB)
	}
	if r.b.OutOfMemory() {
		oom := fmt.Sprintf("out of memory after the KV cache: outside the fraction %.2f there are %.2f GiB, and vLLM puts %.2f GiB there (%s)", r.util, float64(visible)*(1-r.util)/GiB, float64(r.b.Outside())/GiB, engine.OutsideWords(r.b))
		if why != "" {
			oom = why + "; and " + oom
		}
		why = oom
	}
	return why
}

// notFit says why no layout holds the model.
func (s *planner) notFit() {
	p, f, w := s.p, s.f, s.in.Weights
	wpg := float64(w.Loaded) / float64(s.maxPod*s.maxNodes) / GiB
	u, extra := s.e.NotFitWords(engine.BudgetInput{Version: s.ver, Visible: s.visible, Util: s.util, TP: s.maxPod, Seqs: s.maxSeqs,
		MNBT: DefaultBatchedTokens, Facts: f, StageLayers: f.Layers, NVLink: s.g.NVLink, ComputeMajor: s.g.ComputeMajor,
		Activation:   engine.ActivationPeak(f, s.ver, s.maxPod, DefaultBatchedTokens, s.maxSeqs),
		VocabSampler: engine.SamplerWarmupBytes(f, s.maxSeqs, DefaultBatchedTokens)})
	p.NotFit = fmt.Sprintf("does not fit: %.1f GiB of weights + one %s-token context do not fit in %d nodes × %d %s GPUs (%.1f GiB of weights per GPU against %.1f GiB usable at %.2f); use a larger GPU type",
		float64(w.Loaded)/GiB, commas(int64(s.ctx)), s.maxNodes, s.maxPod, s.g.ID, wpg, float64(s.visible)*u/GiB, u) + extra
	if s.spec.Method != "" {
		p.NotFit += fmt.Sprintf("; speculative decoding (%s) needs one pipeline stage, so only one-pod layouts without PP were tried: plan without it", s.spec.Method)
	}
	p.Reasons[ReasonGPUs] = p.NotFit
}

// budget is the chosen layout's memory, term by term, with the KV capacity it leaves and the reasons for the
// fraction and the GPU count.
func (s *planner) budget(c candidate, mnbt int) fit {
	p := s.p
	p.Alternatives = alternatives(s.alts, c, s.o.Objective, func(a candidate) fit {
		if r := s.fitsAt(a, s.ctx, mnbt); r.ok {
			return r
		}
		return s.fitsAt(a, s.ctx, DefaultBatchedTokens)
	}, s.ctx)
	s.explain = true
	fa := s.fitsAt(c, s.ctx, mnbt)
	p.WeightsPerGPU, p.OverheadPerGPU, p.KVBudgetPerGPU, p.KVPerGPUForContext = fa.wpg, fa.ovh, fa.budget, fa.need
	p.Budget = fa.b
	if !fa.ok {
		// Only a given layout gets here: it does not hold.
		p.Fits, p.NotFit = false, "does not fit: "+fa.why
		p.Reasons[ReasonGPUs] = p.NotFit
	}
	p.GPUMemoryUtilization = fa.util
	asked := s.o.GPUMemoryUtilization > 0
	reason, warning := s.e.UtilizationWords(fa.b, asked, s.visibleWhy)
	if fa.need > 0 {
		p.Concurrency = float64(fa.budget) / float64(fa.need)
		if c.DPAttention {
			// Every DP rank keeps its own requests' KV: the instance holds dp times one rank's pool.
			p.Concurrency *= float64(p.DP)
		}
		p.KVTokens = int64(math.Floor(p.Concurrency * float64(s.ctx)))
	}
	for i := range p.Alternatives {
		if p.Alternatives[i].Chosen {
			// The chosen layout's figures are the plan's (SGLang's DP attention may have changed them).
			p.Alternatives[i].KVTokens, p.Alternatives[i].Concurrency = p.KVTokens, p.Concurrency
		}
	}
	p.ReservedPerGPU = fa.reserved
	if reason != "" {
		p.Reasons[ReasonUtil] = reason
	}
	if warning != "" {
		p.Warnings = append(p.Warnings, warning)
	}
	if fa.ok {
		p.Reasons[ReasonGPUs] = s.gpusWords(fa)
	}
	return fa
}

// gpusWords explains the GPU count by the budget of the chosen layout, as the engine's fraction splits it.
func (s *planner) gpusWords(fa fit) string {
	p, g, w := s.p, s.g, s.in.Weights
	usable := float64(s.visible) * fa.util
	kv := float64(kvWhole(s.f, s.ctx, s.o.KVCacheDType)) / GiB
	if fa.b.Semantics == engine.FractionStatic {
		before := fa.b.Term(TermBeforeLoad)
		return fmt.Sprintf("%d %s GPU(s)%s: %.1f GiB of weights + %.2f GiB of KV for one %s-token context need, per GPU, %.2f GiB of weights + %.2f GiB of KV + %.2f GiB in use before the weights load = %.2f GiB of the %.2f GiB inside --mem-fraction-static %.2f (%.1f GiB each; %.2f GiB reserved outside for activations and runtime)%s",
			p.GPUs, g.ID, podWords(p), float64(w.Loaded)/GiB, kv, commas(int64(s.ctx)),
			float64(fa.wpg)/GiB, float64(fa.need)/GiB, float64(before)/GiB, float64(fa.wpg+fa.need+before)/GiB, usable/GiB, fa.util, float64(s.visible)/GiB, float64(fa.reserved)/GiB, fewerNote(p))
	}
	return fmt.Sprintf("%d %s GPU(s)%s: %.1f GiB of weights + %.2f GiB of KV for one %s-token context need, per GPU, %.2f GiB of weights + %.2f GiB of KV + %.2f GiB of activations and runtime = %.2f GiB of the %.2f GiB usable at %.2f (%.1f GiB each)%s",
		p.GPUs, g.ID, podWords(p), float64(w.Loaded)/GiB, kv, commas(int64(s.ctx)),
		float64(fa.wpg)/GiB, float64(fa.need)/GiB, float64(fa.ovh)/GiB, float64(fa.wpg+fa.need+fa.ovh)/GiB, usable/GiB, fa.util, float64(s.visible)/GiB, fewerNote(p))
}

// fewContextsWarning warns when a plan that holds the model holds fewer than two full contexts: a second request at
// the full length waits (or preempts the first), so the model serves one long request at a time. It says what gives
// more: the fitting layout with the most contexts, an fp8 KV cache where the cache is 16-bit, a shorter context.
func fewContextsWarning(p *Plan, kvBytes int, given bool) string {
	if !p.Fits || p.Concurrency <= 0 || p.Concurrency >= 2 {
		return ""
	}
	var more []string
	best := -1
	for i, a := range p.Alternatives {
		if !a.Chosen && a.Concurrency > p.Concurrency && (best < 0 || a.Concurrency > p.Alternatives[best].Concurrency) {
			best = i
		}
	}
	if best >= 0 {
		a := p.Alternatives[best]
		more = append(more, fmt.Sprintf("%d GPUs at TP %d × PP %d × DCP %d hold %.2f×", a.GPUs, a.TP, a.PP, a.DCP, a.Concurrency))
	} else if !given && !p.MultiNode {
		more = append(more, "a layout with more GPUs (chartgen explain --tp N --pp M evaluates one)")
	}
	if kvBytes >= 2 {
		more = append(more, "--kv-cache-dtype fp8 (half the KV per token)")
	}
	more = append(more, fmt.Sprintf("a shorter --context (half of %s holds about twice as many)", commas(int64(p.MaxModelLen))))
	return fmt.Sprintf("the KV cache holds %.2f× one full %s-token context: two requests at full length cannot run at once (the second waits or preempts the first); for more: %s",
		p.Concurrency, commas(int64(p.MaxModelLen)), strings.Join(more, "; "))
}

// costs are the KV capacity's reason, what speculative decoding and LoRA cost, expert parallelism's reason and the
// multi-node warning.
func (s *planner) costs(c candidate, fa fit, mnbt int) {
	p, f := s.p, s.f
	p.Reasons[ReasonKV] = fmt.Sprintf("%.2f GiB of KV budget per GPU holds %s tokens (%.2f× one full context)", float64(fa.budget)/GiB, commas(p.KVTokens), p.Concurrency)
	if s.spec.Method != "" && fa.ok {
		rows, seqs := specRows(s.maxSeqs, s.specK), s.maxSeqs
		act := engine.ActivationPeak(f, s.ver, p.TP, mnbt, rows) - engine.ActivationPeak(f, s.ver, p.TP, mnbt, seqs) +
			engine.SamplerWarmupBytes(f, rows, mnbt) - engine.SamplerWarmupBytes(f, seqs, mnbt)
		act += s.e.SpecReserve(s.spec.Method)
		p.Speculative = p.specPlan(s.in, s.g, s.o, s.spec, s.specK, act)
	}
	if s.lora.MaxLoras > 0 && fa.ok {
		p.LoRA = p.loraPlan(s.in, s.g, s.o, s.lora, fa.b.Term(TermLoRA))
	}
	if c.DPAttention {
		p.Reasons[ReasonKV] = fmt.Sprintf("%.2f GiB of KV budget per GPU, on each of the %d DP-attention ranks, holds %s tokens in all (%.2f× one full context)", float64(fa.budget)/GiB, p.DP, commas(p.KVTokens), p.Concurrency)
	} else {
		p.Reasons[ReasonKV] += s.e.KVNote(f, c)
	}
	if c.EP {
		p.Reasons[ReasonEP] = fmt.Sprintf("FP8 block-quantized experts need (moe_intermediate_size %d / TP %d) %% %d == 0, which fails; expert parallelism keeps the experts whole (DESIGN.md)", f.MoE.Intermediate, c.Layout.TP, engine.BlockN(f))
	}
	if w := fewContextsWarning(p, s.kv.Bytes, s.o.Layout != nil); w != "" {
		p.Warnings = append(p.Warnings, w)
	}
	if p.MultiNode {
		shape := fmt.Sprintf("TP %d × DCP %d × PP %d", p.TP, p.DCP, p.PP)
		if s.e.Supports(engine.Simple(engine.FeatureDCP)) != nil {
			shape = fmt.Sprintf("TP %d × PP %d", p.TP, p.PP)
		}
		p.Warnings = append(p.Warnings, fmt.Sprintf("needs %d nodes: one instance is %d pods of %d %s GPUs joined by pipeline parallelism (%s), each pod on its own node; chartgen writes a multi-node resource group (nodes: %d)", p.Nodes, p.Nodes, p.GPUsPerPod, s.g.ID, shape, p.Nodes))
	}
}
