package plan

import (
	"strings"
	"testing"

	"github.com/llm-charts/llm-charts/internal/engine"
	"github.com/llm-charts/llm-charts/internal/model"
)

// TestLoRABytesPerGPU checks the LoRA buffers against figures worked out by hand from the models' config.json.
func TestLoRABytesPerGPU(t *testing.T) {
	// Qwen3-8B, TP 2, rank 16, 4 slots, 16,384 batched tokens: hidden 4096, 32 heads / 8 KV heads of 128, MLP
	// 12288, 36 layers, vocab 151,936.
	//   qkv  3·16·4096 + 16·(32·128/2 + 2·128·8/2)   = 196,608 + 49,152 = 245,760
	//   o    16·(32·128/2 + 4096)                     =  98,304
	//   mlp  2·16·4096 + 2·16·12288/2 + 16·(6144+4096) = 131,072 + 196,608 + 163,840 = 491,520
	//   layer 835,584 × 36 = 30,081,024; embedding and head 2·16·(151,936 + 4096) = 4,993,024
	//   slot (35,074,048 elements × 2 B) 70,148,096 × 4 = 280,592,384; metadata 16,384 · (48 + 3·16·4) = 3,932,160
	qwen := catalogInput(t, "Qwen/Qwen3-8B")
	if got, want := LoRABytesPerGPU(qwen.Facts, LoRA{MaxLoras: 4, MaxRank: 16}, model.Layout{TP: 2}, 16384), int64(284524544); got != want {
		t.Errorf("Qwen3-8B: %d bytes, want %d", got, want)
	}
	// Mixtral-8x7B, TP 1, rank 16, 1 slot, 8,192 batched tokens: hidden 4096, 32 heads / 8 KV heads of 128, 8
	// experts of 14336, 32 layers, vocab 32,000.
	//   qkv  3·16·4096 + 16·(4096 + 2·1024)      = 196,608 + 98,304 = 294,912
	//   o    16·(4096 + 4096)                     = 131,072
	//   expert 2·16·4096 + 2·16·14336 + 16·(14336+4096) = 131,072 + 458,752 + 294,912 = 884,736, × 8 = 7,077,888
	//   layer 7,503,872 × 32 = 240,123,904; embedding and head 2·16·(32,000 + 4096) = 1,155,072
	//   slot 241,278,976 × 2 B = 482,557,952; metadata 8,192 · 240 = 1,966,080
	mix := catalogInput(t, "mistralai/Mixtral-8x7B-v0.1")
	if got, want := LoRABytesPerGPU(mix.Facts, LoRA{MaxLoras: 1, MaxRank: 16}, model.Layout{TP: 1}, 8192), int64(484524032); got != want {
		t.Errorf("Mixtral-8x7B: %d bytes, want %d", got, want)
	}
	if got := LoRABytesPerGPU(mix.Facts, LoRA{}, model.Layout{TP: 1}, 8192); got != 0 {
		t.Errorf("LoRA off: %d bytes, want 0", got)
	}
}

// TestLoRACostsKV: on Qwen3-8B / L4 and Mixtral / H100 the LoRA term sits inside the fraction, the KV capacity
// drops by about its bytes over one token's KV, and the reason says so.
func TestLoRACostsKV(t *testing.T) {
	for _, c := range []struct{ model, gpu, engine string }{
		{"Qwen/Qwen3-8B", "l4", string(engine.VLLM)},
		{"Qwen/Qwen3-8B", "l4", string(engine.SGLang)},
		{"mistralai/Mixtral-8x7B-v0.1", "h100-80gb", string(engine.VLLM)},
	} {
		in := catalogInput(t, c.model)
		p, err := New(in, gpuByID(t, c.gpu), Options{Engine: c.engine, LoRA: LoRA{MaxLoras: 4, MaxRank: 64}})
		if err != nil {
			t.Fatalf("%s: %v", c.model, err)
		}
		lp := p.LoRA
		if lp == nil || !p.Fits {
			t.Fatalf("%s %s: no LoRA plan (fits %v, %s)", c.model, c.engine, p.Fits, p.NotFit)
		}
		if lp.BytesPerGPU <= 0 || p.Budget.Term(TermLoRA) != lp.BytesPerGPU {
			t.Errorf("%s %s: LoRA term %d, plan %d", c.model, c.engine, p.Budget.Term(TermLoRA), lp.BytesPerGPU)
		}
		kv, _ := model.ResolveKVDType(in.Facts, "")
		perToken := int64(in.Facts.Layers) * model.KVLayerBytesPerToken(in.Facts, p.TP, kv)
		lost := lp.KVTokensWithout - p.KVTokens
		if want := lp.BytesPerGPU / perToken; lost < want-int64(model.DefaultBlockSize) || lost > want+int64(model.DefaultBlockSize) {
			t.Errorf("%s %s: KV capacity %d without LoRA, %d with: %d fewer, want about %d", c.model, c.engine, lp.KVTokensWithout, p.KVTokens, lost, want)
		}
		if r := p.Reasons[ReasonLoRA]; !strings.Contains(r, "without LoRA") || !strings.Contains(r, "rank 64") {
			t.Errorf("%s %s: reason lacks the KV cost: %s", c.model, c.engine, r)
		}
		t.Logf("%s on %s (%s): %d slots at rank %d cost %.2f GiB per GPU; KV %d tokens with, %d without", c.model, c.gpu, c.engine, lp.MaxLoras, lp.MaxRank, float64(lp.BytesPerGPU)/GiB, p.KVTokens, lp.KVTokensWithout)
	}
}

// TestLoRARefusals: what the pinned engines refuse is refused with the reason.
func TestLoRARefusals(t *testing.T) {
	qwen := catalogInput(t, "Qwen/Qwen3-8B")
	glm := catalogInput(t, "zai-org/GLM-5-FP8")
	g := gpuByID(t, "h200")
	for _, c := range []struct {
		name string
		in   Input
		o    Options
		want string
	}{
		{"vLLM rank", qwen, Options{LoRA: LoRA{MaxLoras: 2, MaxRank: 48}}, "not one vLLM takes"},
		{"CPU slots below GPU slots", qwen, Options{LoRA: LoRA{MaxLoras: 4, MaxCPULoras: 2}}, "max_cpu_loras >= max_loras"},
		{"SGLang CPU slots", qwen, Options{Engine: string(engine.SGLang), LoRA: LoRA{MaxLoras: 4, MaxCPULoras: 8}}, "vLLM option"},
		{"SGLang with MTP", glm, Options{Engine: string(engine.SGLang), Speculative: Speculative{Method: SpecMTP}, LoRA: LoRA{MaxLoras: 1}}, "n-gram"},
		{"embedding model", qwen, Options{Task: model.TaskEmbed, LoRA: LoRA{MaxRank: 8}}, "generation only"},
	} {
		_, err := New(c.in, g, c.o)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one naming %q", c.name, err, c.want)
		}
	}
}
