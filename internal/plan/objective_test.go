package plan

import (
	"strings"
	"testing"

	"github.com/llm-charts/llm-charts/internal/engine"
	"github.com/llm-charts/llm-charts/internal/model"
)

func cand(tp, pp int) candidate { return candidate{Layout: model.Layout{TP: tp, PP: pp, DCP: 1}} }

// The objectives' choice among fitting one-pod layouts (one per GPU count, fewest first), as a pure function.
func TestPickByObjective(t *testing.T) {
	cases := []struct {
		name                    string
		alts                    []candidate
		gpus, balanced, latency int // index picked
		balancedWhy             string
	}{
		{"3 at PP 3 vs 4 at TP 4", []candidate{cand(1, 3), cand(4, 1), cand(2, 3), cand(8, 1)}, 0, 1, 1, "a pod of 4 GPUs instead of 3 and TP 4 × PP 1 instead of TP 1 × PP 3"},
		{"1 GPU already", []candidate{cand(1, 1), cand(2, 1), cand(4, 1)}, 0, 0, 0, "already a pod of 1, 2, 4 or 8"},
		{"2 at PP 2, 3 only PP", []candidate{cand(1, 2), cand(1, 3), cand(4, 1)}, 0, 0, 2, "3 GPUs give neither"},
		{"6 at TP2×PP3, 8 costs two more", []candidate{cand(2, 3), cand(8, 1)}, 0, 0, 1, "7 GPUs give neither"},
		{"3 at PP 3, next fit at 4 is TP 2 × PP 2", []candidate{cand(1, 3), cand(2, 2), cand(8, 1)}, 0, 1, 2, "a pod of 4 GPUs instead of 3 and TP 2 × PP 2"},
		{"4 at TP 2 × PP 2, nothing at 5", []candidate{cand(2, 2), cand(2, 3), cand(8, 1)}, 0, 0, 2, "5 GPUs give neither"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, o := range []struct {
				obj  string
				want int
			}{{ObjectiveGPUs, c.gpus}, {ObjectiveBalanced, c.balanced}, {"", c.balanced}, {ObjectiveLatency, c.latency}} {
				got, why := pickByObjective(c.alts, o.obj)
				if got != o.want {
					t.Errorf("%q picks %d (%+v), want %d: %s", o.obj, got, c.alts[got].Layout, o.want, why)
				}
				if o.obj == ObjectiveBalanced && !strings.Contains(why, c.balancedWhy) {
					t.Errorf("balanced reason %q lacks %q", why, c.balancedWhy)
				}
			}
		})
	}
	if err := CheckObjective("fast"); err == nil || !strings.Contains(err.Error(), "allowed: balanced, gpus, latency") {
		t.Errorf("CheckObjective: %v", err)
	}
}

// The two layouts a person would not pick: the default objective takes one GPU more for TP, and the
// alternatives say what each objective picks with its KV capacity.
func TestObjectiveKnownCases(t *testing.T) {
	for _, c := range []struct {
		model, gpu, engine string
		fewest, balanced   [3]int // GPUs, TP, PP
	}{
		{"meta-llama/Meta-Llama-3.1-70B", "a100-80gb", string(engine.VLLM), [3]int{3, 1, 3}, [3]int{4, 4, 1}},
		{"MiniMaxAI/MiniMax-M2.5", "h200", string(engine.SGLang), [3]int{3, 1, 3}, [3]int{4, 4, 1}},
	} {
		t.Run(c.model+"/"+c.gpu, func(t *testing.T) {
			in, g := catalogInput(t, c.model), gpuByID(t, c.gpu)
			few, err := New(in, g, Options{Engine: c.engine, Objective: ObjectiveGPUs})
			if err != nil {
				t.Fatal(err)
			}
			def, err := New(in, g, Options{Engine: c.engine})
			if err != nil {
				t.Fatal(err)
			}
			if got := [3]int{few.GPUs, few.TP, few.PP}; got != c.fewest {
				t.Errorf("gpus objective: %v, want %v", got, c.fewest)
			}
			if got := [3]int{def.GPUs, def.TP, def.PP}; got != c.balanced {
				t.Errorf("default objective: %v, want %v", got, c.balanced)
			}
			if def.Objective != ObjectiveBalanced || !strings.Contains(def.Reasons[ReasonObjective], "one GPU more buys a pod of 4 GPUs instead of 3") {
				t.Errorf("reason: %s", def.Reasons[ReasonObjective])
			}
			if !def.Placement.LargeGPU || few.Placement.LargeGPU {
				t.Errorf("large-gpu toleration: default %v, fewest %v", def.Placement.LargeGPU, few.Placement.LargeGPU)
			}
			if def.KVTokens <= few.KVTokens {
				t.Errorf("4 GPUs hold %d KV tokens, 3 hold %d", def.KVTokens, few.KVTokens)
			}
			var chosen, three *Alternative
			for i, a := range def.Alternatives {
				switch {
				case a.Chosen:
					chosen = &def.Alternatives[i]
				case a.GPUs == 3:
					three = &def.Alternatives[i]
				}
			}
			if chosen == nil || three == nil || chosen.KVTokens != def.KVTokens || three.KVTokens != few.KVTokens {
				t.Fatalf("alternatives %+v (plan KV %d, fewest %d)", def.Alternatives, def.KVTokens, few.KVTokens)
			}
			if strings.Join(three.PickedBy, ",") != ObjectiveGPUs || !strings.Contains(strings.Join(chosen.PickedBy, ","), ObjectiveBalanced) {
				t.Errorf("picked by: 3 GPUs %v, chosen %v", three.PickedBy, chosen.PickedBy)
			}
		})
	}
	// A given layout is evaluated as given: no objective, no alternatives.
	l := model.Layout{TP: 1, PP: 3}
	p, err := New(catalogInput(t, "meta-llama/Meta-Llama-3.1-70B"), gpuByID(t, "a100-80gb"), Options{Layout: &l})
	if err != nil {
		t.Fatal(err)
	}
	if p.Objective != "" || p.Alternatives != nil || p.GPUs != 3 {
		t.Errorf("given layout: objective %q, %d alternatives, %d GPUs", p.Objective, len(p.Alternatives), p.GPUs)
	}
	if _, err := New(catalogInput(t, "meta-llama/Meta-Llama-3.1-70B"), gpuByID(t, "a100-80gb"), Options{Objective: "cheap"}); err == nil {
		t.Error("unknown objective accepted")
	}
}
