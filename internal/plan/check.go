package plan

import (
	"fmt"
	"math"

	"github.com/llm-charts/llm-charts/internal/engine"
	"github.com/llm-charts/llm-charts/internal/enginelog"
)

// CheckRow is one memory term: what the planner predicts for the logged settings and what the engine logged.
type CheckRow struct {
	Term      string  `json:"term"`
	Unit      string  `json:"unit"`
	Predicted float64 `json:"predicted"`
	Logged    float64 `json:"logged,omitempty"`
	// Error is (predicted − logged) / logged; absent when the log does not have the term.
	Error *float64 `json:"error,omitempty"`
}

// CheckReport compares a plan for a deployment's settings with its start-up log.
type CheckReport struct {
	Rows []CheckRow `json:"terms"`
	// Fits is the planner's verdict for the logged settings; Started is false when the log shows a failure.
	Fits    bool     `json:"fits"`
	Started bool     `json:"started"`
	Failure string   `json:"failure,omitempty"`
	Advice  []string `json:"advice"`
}

// Check compares p (planned for the log's settings with Options.Layout) with what the engine logged. tuned is the
// same layout planned with chartgen's own utilization (nil when the user's equals it): its figure is the advice when
// the deployment runs out of memory.
func Check(p, tuned *Plan, lf *enginelog.Facts) *CheckReport {
	r := &CheckReport{Fits: p.Fits, Started: !lf.OutOfMemory && !lf.KVTooSmall && !lf.StartFailed, Failure: lf.Failure}
	gib := func(term string) float64 {
		if p.Budget == nil {
			return 0
		}
		return math.Round(float64(p.Budget.Term(term))/GiB*100) / 100
	}
	add := func(term, unit string, pred, logged float64) {
		row := CheckRow{Term: term, Unit: unit, Predicted: pred, Logged: logged}
		if logged != 0 {
			e := (pred - logged) / math.Abs(logged)
			row.Error = &e
		}
		r.Rows = append(r.Rows, row)
	}
	add(TermVisible, "GiB", gib(TermVisible), lf.TotalGiB)
	add(TermWeights, "GiB", gib(TermWeights), lf.WeightsGiB)
	e := engine.MustLookup(p.Engine)
	logged := map[string]float64{TermActivation: lf.ActivationGiB, TermNonTorch: lf.NonTorchGiB, TermGraphs: lf.GraphsGiB}
	for _, term := range e.LogTerms() {
		add(term, "GiB", gib(term), logged[term])
	}
	add(TermKV, "GiB", gib(TermKV), lf.KVGiB)
	var tokens int64
	if p.Budget != nil {
		tokens = EngineKVTokens(p.facts, e, p.Budget.Term(TermKV), p.layout(), p.KVDType, lf.BlockSize)
	}
	add("kvTokens", "tokens", float64(tokens), float64(lf.KVTokens))

	// Advice.
	switch {
	case lf.OutOfMemory && p.Fits:
		r.Advice = append(r.Advice, "the engine ran out of memory but chartgen says these settings fit: the model under-counts something here; lower gpu-memory-utilization by 0.02-0.05 and report the log")
	case lf.OutOfMemory:
		r.Advice = append(r.Advice, "the engine ran out of memory, as chartgen predicts: "+p.NotFit)
	case lf.KVTooSmall && p.Fits:
		r.Advice = append(r.Advice, "the engine found the KV cache too small for one context but chartgen says it fits: the model under-counts something here; report the log")
	case lf.KVTooSmall:
		r.Advice = append(r.Advice, "one context does not fit the KV cache, as chartgen predicts: "+p.NotFit)
	case lf.StartFailed && p.Fits:
		r.Advice = append(r.Advice, "the engine failed to start after sizing its memory, and chartgen says these settings fit: read the lines above the failure for the cause (a memory error there is reported; this one is not)")
	case lf.StartFailed:
		r.Advice = append(r.Advice, "the engine failed to start, and chartgen says these settings do not hold: "+p.NotFit)
	case !p.Fits:
		r.Advice = append(r.Advice, "the log shows no failure, but chartgen says these settings do not hold ("+p.NotFit+"): chartgen errs on the safe side; keep an eye on the sampler warm-up and CUDA-graph capture")
	}
	if tuned != nil && tuned.Fits && (!p.Fits || lf.OutOfMemory) && tuned.GPUMemoryUtilization < p.GPUMemoryUtilization {
		r.Advice = append(r.Advice, fmt.Sprintf("lower --gpu-memory-utilization to %.2f: %s", tuned.GPUMemoryUtilization, tuned.Reasons[ReasonUtil]))
	}
	if p.Budget != nil && p.Budget.Term(TermSampler) > GiB && (!p.Fits || lf.OutOfMemory) {
		r.Advice = append(r.Advice, fmt.Sprintf("or lower --max-num-seqs (the sampler warm-up takes %.2f GiB outside the fraction at max_num_seqs %d)", float64(p.Budget.Term(TermSampler))/GiB, p.MaxNumSeqs))
	}
	if (lf.KVTooSmall || !p.Fits && p.Budget != nil && p.Budget.Term(TermKV) > 0) && p.KVPerGPUForContext > 0 {
		fit := int64(float64(p.MaxModelLen) * float64(max(0, p.Budget.Term(TermKV))) / float64(p.KVPerGPUForContext))
		if lf.MaxLenThatFits > 0 {
			fit = min(fit, int64(lf.MaxLenThatFits))
		}
		if fit < int64(p.MaxModelLen) {
			r.Advice = append(r.Advice, fmt.Sprintf("or shorten --max-model-len to about %s tokens, or use more GPUs (chartgen explain --tp/--pp shows whether a layout holds)", commas(fit/1024*1024)))
		}
	}
	for _, row := range r.Rows {
		if row.Error == nil || row.Term == TermVisible {
			continue
		}
		switch e := *row.Error; {
		case row.Term == TermKV || row.Term == "kvTokens":
			if e > 0.02 && r.Started {
				r.Advice = append(r.Advice, fmt.Sprintf("chartgen predicts %+.0f%% more %s than the engine had: the terms above show where; report the log", e*100, row.Term))
			}
		case math.Abs(e) > 0.25 && math.Abs(row.Predicted-row.Logged) > 0.25:
			r.Advice = append(r.Advice, fmt.Sprintf("%s differs from the log by %+.0f%% (%.2f vs %.2f GiB)", row.Term, e*100, row.Predicted, row.Logged))
		}
	}
	if len(r.Advice) == 0 {
		r.Advice = append(r.Advice, fmt.Sprintf("the deployment holds: %s tokens of KV cache, %.2f× one %s-token context; chartgen's prediction agrees with the log", commas(p.KVTokens), p.Concurrency, commas(int64(p.MaxModelLen))))
		if p.Concurrency > 8 && e.SpareRoomAdvice() {
			r.Advice = append(r.Advice, "room to spare: a longer --max-model-len or a higher --max-num-seqs would still fit")
		}
	}
	return r
}
