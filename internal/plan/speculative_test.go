package plan

import (
	"strings"
	"testing"

	"github.com/llm-charts/llm-charts/internal/engine"
	"github.com/llm-charts/llm-charts/internal/model"
)

// TestSpeculativeMTPCostsKV: MTP on GLM-5 (H200, vLLM) loads the MTP layer, keeps the drafter's KV beside the
// model's and says how much KV capacity that costs against the same layout without it.
func TestSpeculativeMTPCostsKV(t *testing.T) {
	in := catalogInput(t, "zai-org/GLM-5-FP8")
	g := gpuByID(t, "h200")
	for _, engine := range engine.NameStrings() {
		p, err := New(in, g, Options{Engine: engine, Speculative: Speculative{Method: SpecMTP}})
		if err != nil {
			t.Fatalf("%s: %v", engine, err)
		}
		sp := p.Speculative
		if sp == nil || !p.Fits || p.PP != 1 {
			t.Fatalf("%s: want a one-stage plan with speculative decoding, got fits %v PP %d spec %+v (%s)", engine, p.Fits, p.PP, sp, p.NotFit)
		}
		if sp.Tokens != in.Facts.MTPLayers || sp.WeightsPerGPU <= 0 || sp.DraftKVPerToken <= 0 || sp.ActivationPerGPU <= 0 {
			t.Errorf("%s: speculative terms missing: %+v", engine, sp)
		}
		// One MTP layer of the model's own shape: its per-token KV is one layer's.
		kv, _ := model.ResolveKVDType(in.Facts, "")
		if want := model.KVLayerBytesPerToken(in.Facts, p.TP, kv); sp.DraftKVPerToken != want {
			t.Errorf("%s: draft KV per token %d, want one layer's %d", engine, sp.DraftKVPerToken, want)
		}
		if sp.KVTokensWithout <= p.KVTokens {
			t.Errorf("%s: KV capacity with speculative decoding %d is not below the %d without", engine, p.KVTokens, sp.KVTokensWithout)
		}
		if r := p.Reasons[ReasonSpeculative]; !strings.Contains(r, "KV capacity") || !strings.Contains(r, "without speculative decoding") {
			t.Errorf("%s: reason does not give the KV cost: %s", engine, r)
		}
	}
}

// TestSpeculativeRefusals: the planner refuses what no engine runs, with the reason.
func TestSpeculativeRefusals(t *testing.T) {
	glm := catalogInput(t, "zai-org/GLM-5-FP8")
	minimax := catalogInput(t, "MiniMaxAI/MiniMax-M2.5")
	llama := catalogInput(t, "meta-llama/Meta-Llama-3.1-8B")
	qwen8 := catalogInput(t, "Qwen/Qwen3-8B")
	h200 := gpuByID(t, "h200")
	for _, c := range []struct {
		name string
		in   Input
		o    Options
		want string
	}{
		{"MTP declared but not shipped", minimax, Options{Speculative: Speculative{Method: SpecMTP}}, "ships no MTP weights"},
		{"no MTP layers", llama, Options{Speculative: Speculative{Method: SpecMTP}}, "ships no MTP layers"},
		{"draft method without a draft", llama, Options{Speculative: Speculative{Method: SpecEagle3}}, "needs a draft model"},
		{"draft with another tokenizer", llama, Options{Speculative: Speculative{Method: SpecDraft, Draft: &qwen8}}, "share the tokenizer"},
		{"ngram with a draft", llama, Options{Speculative: Speculative{Method: SpecNgram, Draft: &qwen8}}, "takes no draft model"},
		{"tokens not a multiple of the MTP layers", glm, Options{Speculative: Speculative{Method: SpecMTP, Tokens: 3}}, ""},
		{"given layout with PP", glm, Options{Layout: &model.Layout{TP: 4, PP: 2}, Speculative: Speculative{Method: SpecMTP}}, "pipeline parallelism"},
		{"embedding", qwen8, Options{Task: model.TaskEmbed, Speculative: Speculative{Method: SpecNgram}}, "embedding model"},
		{"unknown method", llama, Options{Speculative: Speculative{Method: "medusa"}}, "not known"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := New(c.in, h200, c.o)
			if c.want == "" {
				// GLM-5 ships one MTP layer: any token count is a multiple of it.
				if err != nil {
					t.Fatalf("unexpected refusal: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("want an error containing %q, got %v", c.want, err)
			}
		})
	}
}

// TestSpeculativeNeedsOneStage: a model that needs pipeline parallelism across nodes gets no plan with speculative
// decoding, and the reason says so.
func TestSpeculativeNeedsOneStage(t *testing.T) {
	in := catalogInput(t, "zai-org/GLM-5-FP8")
	p, err := New(in, gpuByID(t, "a100-80gb"), Options{Speculative: Speculative{Method: SpecMTP}})
	if err != nil {
		t.Fatal(err)
	}
	if p.NotFit == "" || !strings.Contains(p.NotFit, "one pipeline stage") || p.Speculative != nil {
		t.Fatalf("want no plan, naming the pipeline stage; got fits %v, PP %d, %q", p.Fits, p.PP, p.NotFit)
	}
}

// TestSpecMethodPicks: --speculative picks MTP where the engine runs the model's layers, a given draft first, else
// n-gram lookup.
func TestSpecMethodPicks(t *testing.T) {
	for _, c := range []struct {
		id, engine string
		draft      bool
		want       string
	}{
		{"zai-org/GLM-5-FP8", string(engine.VLLM), false, SpecMTP},
		{"zai-org/GLM-5-FP8", string(engine.SGLang), false, SpecMTP},
		{"deepseek-ai/DeepSeek-V3.2", string(engine.VLLM), false, SpecMTP},
		{"Qwen/Qwen3-Next-80B-A3B-Thinking", string(engine.VLLM), false, SpecMTP},
		{"MiniMaxAI/MiniMax-M2.5", string(engine.VLLM), false, SpecNgram},
		{"Qwen/Qwen3-32B", string(engine.VLLM), true, SpecDraft},
		{"Qwen/Qwen3-32B", string(engine.VLLM), false, SpecNgram},
	} {
		in := catalogInput(t, c.id)
		if got, why := SpecMethod(in.Facts, c.engine, c.draft); got != c.want || why == "" {
			t.Errorf("%s on %s: method %q (%s), want %q", c.id, c.engine, got, why, c.want)
		}
	}
}

// TestSpecDraftModelWeights: a draft model's weights are split across the model's TP ranks, and its KV is its own.
func TestSpecDraftModelWeights(t *testing.T) {
	in := catalogInput(t, "Qwen/Qwen3-32B")
	draft := catalogInput(t, "Qwen/Qwen3-8B")
	p, err := New(in, gpuByID(t, "h100-80gb"), Options{Speculative: Speculative{Method: SpecDraft, Draft: &draft}})
	if err != nil {
		t.Fatal(err)
	}
	sp := p.Speculative
	if sp == nil || sp.DraftModel != "Qwen/Qwen3-8B" || sp.Tokens != 3 {
		t.Fatalf("speculative plan %+v", sp)
	}
	if want := specWeightsPerGPU(Speculative{Method: SpecDraft, Draft: &draft}, p.TP); sp.WeightsPerGPU != want || want < draft.Weights.Loaded/int64(p.TP) {
		t.Errorf("draft weights per GPU %d, want %d (1/%d of %d)", sp.WeightsPerGPU, want, p.TP, draft.Weights.Loaded)
	}
}
