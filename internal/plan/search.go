package plan

import (
	"fmt"
	"sort"

	"github.com/llm-charts/llm-charts/internal/engine"
	"github.com/llm-charts/llm-charts/internal/model"
)

// fit is one candidate layout checked against one context length.
type fit struct {
	ok           bool
	wpg, ovh     int64 // weights and activations + runtime per GPU (inside the fraction or in the reserve outside)
	budget, need int64 // KV budget and one context's KV per GPU
	reserved     int64 // what stays outside the fraction (FractionStatic engines)
	reserveWhy   string
	util         float64 // the fraction used (vLLM's gpu-memory-utilization, SGLang's mem-fraction-static)
	b            *Budget
	why          string // why it does not hold (empty when ok)
}

// fitsAt checks a layout: weights + activations + one context of KV inside the fraction, or weights + KV inside it
// with activations, graphs and NCCL buffers in the reserve outside it, as the engine splits the GPU.
func (s *planner) fitsAt(c candidate, tokens, mnbt int) fit {
	f, w, spec := s.f, s.in.Weights, s.spec
	r := fit{util: s.util}
	if why := specUnsupported(spec, c.Layout); why != "" {
		r.why = why
		return r
	}
	r.wpg = weightsPerGPU(f, w.split(visionIf(s.p.Multimodal, w.Vision), mxfp4PaddedWeights(f, s.g, c.Layout.TP), spec.Method == SpecMTP), c.Layout)
	r.wpg += specWeightsPerGPU(spec, c.Layout.TP)
	rope := model.RopeCacheBytes(f) // every rank holds the whole cos/sin cache
	r.wpg += rope
	if c.DPAttention {
		r.wpg += engine.DPAttentionExtra(f, w.Embed, c.Layout)
	}
	sampled := s.maxSeqs // the sampler's rows: with speculative tokens, k + 1 per request
	if spec.Method != "" {
		sampled = specRows(s.maxSeqs, s.specK)
	}
	bi := engine.BudgetInput{Version: s.ver, Visible: s.visible, VisibleWhy: s.visibleWhy, Util: s.util, TP: max(1, c.Layout.TP), PP: max(1, c.Layout.PP),
		Weights: r.wpg, WeightsWhy: ropeWords(w.Source, rope), MNBT: mnbt, Seqs: s.maxSeqs, Multimodal: s.p.Multimodal,
		Activation: engine.ActivationPeak(f, s.ver, c.Layout.TP, mnbt, sampled), VocabSampler: engine.SamplerWarmupBytes(f, sampled, mnbt), Explain: s.explain,
		LoRA: LoRABytesPerGPU(f, s.lora, c.Layout, mnbt), LoRARank: s.lora.MaxRank, LoRASlots: s.lora.MaxLoras,
		DPAttention: c.DPAttention, SpecMethod: spec.Method, Facts: f, StageLayers: stageLayers(f, c.Layout.PP), NVLink: s.g.NVLink, ComputeMajor: s.g.ComputeMajor}
	b := s.e.Budget(bi)
	r.b, r.util, r.ovh, r.reserved, r.reserveWhy, r.budget = b, b.Utilization, b.Overhead, b.Reserved, b.ReserveWhy, b.KV()
	need, err := model.KVBytesForSequence(f, tokens, c.Layout, model.KVOptions{DType: s.o.KVCacheDType, MaxNumBatchedTokens: mnbt})
	need += specKVPerToken(f, spec, c.Layout.TP, s.o.KVCacheDType) * int64(tokens)
	r.need = need
	r.ok = err == nil && r.budget > 0 && need <= r.budget && !b.OutOfMemory()
	if r.ok || !s.explain {
		return r // the search needs the verdict only
	}
	r.why = notHoldWords(r, err, tokens, s.visible)
	return r
}

// ropeWords adds the RoPE cos/sin cache to the weights' reason (vLLM counts it in "Model loading took").
func ropeWords(source string, rope int64) string {
	if rope < MiB {
		return source
	}
	return fmt.Sprintf("%s; with the %.2f GiB RoPE cos/sin cache for every position, which every GPU holds", source, float64(rope)/GiB)
}

// stageLayers is the decoder layers on the most loaded pipeline stage, as model.StageLayers partitions them (vLLM's
// get_pp_indices).
func stageLayers(f *model.Facts, pp int) int {
	most := 0
	for _, st := range model.StageLayers(f.Layers, pp) {
		most = max(most, st[1]-st[0])
	}
	return most
}

// search finds the layout: the given one, else the one-pod layouts that hold a full context (the objective picks
// one), else several pods joined by pipeline parallelism, else the longest context one pod holds. nil: nothing
// holds.
func (s *planner) search() (*candidate, error) {
	if s.o.Layout != nil {
		c, err := s.givenLayout(*s.o.Layout)
		if err != nil {
			return nil, err
		}
		if why := specUnsupported(s.spec, c.Layout); why != "" {
			return nil, fmt.Errorf("layout TP %d × PP %d: %s; choose a layout without pipeline parallelism or plan without speculative decoding", c.Layout.TP, c.Layout.PP, why)
		}
		s.p.MultiNode = c.Pods > 1
		return &c, nil
	}
	if c := s.onePod(); c != nil {
		return c, nil
	}
	if c := s.multiNode(); c != nil {
		s.p.MultiNode = true
		return c, nil
	}
	return s.shortened(), nil
}

// fitting is the engine's preferred layout of n GPUs in pods of perPod that holds a full context and, after it, the
// fitting one with the fewest pipeline stages when the preferred one has more (TP above the KV heads with DCP).
func (s *planner) fitting(n, perPod, pods int) []candidate {
	var out []candidate
	for _, c := range s.e.Layouts(s.f, n, perPod, pods) {
		if len(out) > 0 && max(1, c.Layout.PP) >= max(1, out[0].Layout.PP) {
			continue
		}
		if !s.fitsAt(c, s.ctx, DefaultBatchedTokens).ok {
			continue
		}
		out = append(out, c)
		if len(out) == 2 {
			break
		}
	}
	return out
}

// onePod is the guide's preferred layout at each GPU count of one pod that holds a full context, and after it the
// fitting layout with the fewest pipeline stages at that count when the preferred one has more (TP above the KV heads
// with DCP, for --objective latency); the objective picks one.
func (s *planner) onePod() *candidate {
	for n := 1; n <= s.maxPod; n++ {
		s.alts = append(s.alts, s.fitting(n, n, 1)...)
	}
	if len(s.alts) == 0 {
		return nil
	}
	i, why := pickByObjective(s.alts, s.o.Objective)
	c := s.alts[i]
	s.p.Objective = s.o.Objective
	if s.p.Objective == "" {
		s.p.Objective = DefaultObjective
	}
	s.p.Reasons[ReasonObjective] = why
	s.p.fewest = gpusOf(s.alts[0])
	return &c
}

// MultiNodeGPUSlack is how many more GPUs (as a fraction of the fewest) the balanced objective spends across nodes
// to save pipeline stages: each stage between nodes is a hop per decoded token. A judgement bounded by the guide's own
// GLM-5-FP8 deployment, three pods of 4 A100/H100 GPUs at TP 4 × DCP 4 × PP 3, where two pods of 8 (a third more
// GPUs for one stage fewer) were not taken; on 8-GPU L40S nodes the same model takes three pods of 8 (TP 8 × PP 3)
// over five of 4 (a fifth more GPUs for two stages fewer).
const MultiNodeGPUSlack = 0.25

// multiNode is the layout of several pods (one per node, as the chart places them) joined by pipeline parallelism
// that holds a full context. Every node count and pod size (whole nodes, half nodes) gets its fitting layouts;
// the objective picks: gpus the fewest GPUs, latency the fewest stages, balanced the fewest stages within
// MultiNodeGPUSlack of the fewest GPUs (ties: fewer GPUs).
func (s *planner) multiNode() *candidate {
	var fits []candidate
	for nodes := 2; nodes <= s.maxNodes; nodes++ {
		for _, pod := range podSizes(s.maxPod) {
			n := nodes * pod
			if n <= s.maxPod {
				continue // one pod holds this many GPUs; onePod has tried it
			}
			fits = append(fits, s.fitting(n, pod, nodes)...)
		}
	}
	if len(fits) == 0 {
		return nil
	}
	sort.SliceStable(fits, func(i, j int) bool {
		if gpusOf(fits[i]) != gpusOf(fits[j]) {
			return gpusOf(fits[i]) < gpusOf(fits[j])
		}
		return fits[i].Layout.PP < fits[j].Layout.PP
	})
	fewest := fits[0]
	pick, why := 0, fmt.Sprintf("gpus: the fewest GPUs across nodes, %d pods of %d", fewest.Pods, fewest.PerPod)
	objective := s.o.Objective
	if objective == "" {
		objective = DefaultObjective
	}
	if objective != ObjectiveGPUs {
		limit := int(float64(gpusOf(fewest)) * (1 + MultiNodeGPUSlack))
		for i, c := range fits {
			if (objective == ObjectiveLatency || gpusOf(c) <= limit) && c.Layout.PP < fits[pick].Layout.PP {
				pick = i
			}
		}
		c := fits[pick]
		why = fmt.Sprintf("%s: %d pods of %d GPUs at TP %d × PP %d", objective, c.Pods, c.PerPod, c.Layout.TP, c.Layout.PP)
		switch {
		case pick == 0:
			why += ", the fewest GPUs across nodes and no layout with fewer pipeline stages"
			if objective == ObjectiveBalanced {
				why += fmt.Sprintf(" within %.0f%% more GPUs", MultiNodeGPUSlack*100)
			}
		default:
			why += fmt.Sprintf(": %d GPUs (%d pods of %d, PP %d) would do, but each pipeline stage between nodes is a hop per decoded token", gpusOf(fewest), fewest.Pods, fewest.PerPod, fewest.Layout.PP)
			if objective == ObjectiveBalanced {
				why += fmt.Sprintf(", and %d GPUs are within %.0f%% of them (--objective gpus takes %d)", gpusOf(c), MultiNodeGPUSlack*100, gpusOf(fewest))
			}
		}
	}
	s.p.Objective = objective
	s.p.Reasons[ReasonObjective] = why
	s.p.fewest = gpusOf(fewest)
	c := fits[pick]
	return &c
}

// shortened is, when nothing holds a full context, the one-pod layout that holds the longest one (at least 4,096
// tokens), with a warning; the context is cut to it.
func (s *planner) shortened() *candidate {
	var best *candidate
	bestTokens := 0
	for n := 1; n <= s.maxPod; n++ {
		for _, c := range s.e.Layouts(s.f, n, n, 1) {
			budget := s.fitsAt(c, s.ctx, DefaultBatchedTokens).budget
			if budget <= 0 {
				continue
			}
			t, err := model.TokensThatFit(s.f, budget, s.ctx, c.Layout, model.KVOptions{DType: s.o.KVCacheDType})
			if err == nil && t > bestTokens {
				c := c
				best, bestTokens = &c, t
			}
		}
	}
	short := bestTokens / 1024 * 1024
	if best == nil || short < 4096 {
		return nil
	}
	s.p.Shortened = true
	s.p.Warnings = append(s.p.Warnings, fmt.Sprintf("the full context %s does not fit on %d %s GPUs in one pod nor on %d nodes; max_model_len cut to %s, the most one pod holds (the guide's last resort: first check a larger GPU type)",
		commas(int64(s.ctx)), s.maxPod, s.g.ID, s.maxNodes, commas(int64(short))))
	s.ctxWhy = fmt.Sprintf("cut from %s to %s: the longest context whose KV fits after the weights on the best one-pod layout (rounded down to 1,024)", commas(int64(s.ctx)), commas(int64(short)))
	s.ctx = short
	return best
}

// givenLayout is the candidate for a layout the user gave (chartgen --tp/--pp/--dcp), with the expert-parallel
// choice the search would make for it.
// A layout larger than a node (maxPod GPUs) becomes whole nodes joined by pipeline parallelism, as the search does.
func (s *planner) givenLayout(l model.Layout) (candidate, error) {
	f, maxPod := s.f, s.maxPod
	l.TP, l.PP, l.DCP = max(1, l.TP), max(1, l.PP), max(1, l.DCP)
	if l.DCP > 1 {
		if err := s.e.Supports(engine.Simple(engine.FeatureDCP)); err != nil {
			return candidate{}, fmt.Errorf("--dcp %d: %w", l.DCP, err)
		}
	}
	if _, err := model.KVBytesForSequence(f, 1, l, model.KVOptions{}); err != nil {
		return candidate{}, fmt.Errorf("layout TP %d × PP %d × DCP %d: %w", l.TP, l.PP, l.DCP, err)
	}
	n := l.TP * l.PP
	perPod, pods := n, 1
	if n > maxPod {
		// The largest pod of whole pipeline stages that a node holds.
		perPod = 0
		for pod := maxPod; pod >= l.TP && perPod == 0; pod-- {
			if pod%l.TP == 0 && n%pod == 0 && l.PP%(n/pod) == 0 {
				perPod, pods = pod, n/pod
			}
		}
		if perPod == 0 {
			return candidate{}, fmt.Errorf("layout TP %d × PP %d needs %d GPUs: more than one node's %d, and it does not split into pods of whole pipeline stages (TP at most %d, the pods dividing PP)", l.TP, l.PP, n, maxPod, maxPod)
		}
	}
	for _, c := range s.e.Layouts(f, n, perPod, pods) {
		if c.Layout == l {
			c.Why = "as given: " + c.Why
			return c, nil
		}
	}
	c := candidate{Layout: l, PerPod: perPod, Pods: pods, Why: fmt.Sprintf("TP %d × DCP %d × PP %d, as given (not a layout chartgen would choose)", l.TP, l.DCP, l.PP)}
	if engine.FP8Block(f) && f.MoE != nil && f.MoE.Routed > 0 && l.TP > 1 && f.MoE.Intermediate%(l.TP*engine.BlockN(f)) != 0 {
		c.EP = true
	}
	return c, nil
}

// podSizes are the pod sizes a multi-node replica may use, larger first: a whole node or half of one (each pipeline
// stage across pods is a network hop, so pods stay large; the guide's GLM-5 example uses 4-GPU pods).
func podSizes(maxPod int) []int {
	var out []int
	for _, s := range []int{maxPod, maxPod / 2} {
		if s >= 1 && (len(out) == 0 || out[len(out)-1] != s) {
			out = append(out, s)
		}
	}
	return out
}
