package plan

import (
	"math"
	"strings"
	"testing"

	"github.com/llm-charts/llm-charts/internal/catalog"
	"github.com/llm-charts/llm-charts/internal/engine"
	"github.com/llm-charts/llm-charts/internal/gpu"
	"github.com/llm-charts/llm-charts/internal/model"
)

// sglangToolParsers and sglangReasoningParsers are the keys of SGLang's registries
// (FunctionCallParser.ToolCallParserEnum in python/sglang/srt/function_call/function_call_parser.py and
// ReasoningParser.DetectorMap in python/sglang/srt/parser/reasoning_parser.py) that chartgen may emit.
var (
	sglangToolParsers      = map[string]bool{"deepseekv3": true, "deepseekv31": true, "deepseekv32": true, "glm": true, "glm45": true, "glm47": true, "gpt-oss": true, "kimi_k2": true, "llama3": true, "mistral": true, "qwen": true, "qwen25": true, "qwen3_coder": true, "minimax-m2": true, "hermes": true, "pythonic": true}
	sglangReasoningParsers = map[string]bool{"deepseek-r1": true, "deepseek-v3": true, "glm45": true, "gpt-oss": true, "kimi": true, "kimi_k2": true, "qwen3": true, "qwen3-thinking": true, "minimax": true, "minimax-append-think": true, "mistral": true}
)

// TestSGLangEveryModelOnEveryGPU: SGLang plans keep DCP 1, put weights + one context inside mem-fraction-static with
// the reserve outside, use 1 API server in the CPU formula, and emit only parser names SGLang registers.
func TestSGLangEveryModelOnEveryGPU(t *testing.T) {
	for _, id := range catalog.IDs() {
		in := catalogInput(t, id)
		for _, g := range catalogGPUs(t) {
			p, err := New(in, g, Options{Engine: string(engine.SGLang)})
			if err != nil {
				t.Fatalf("%s on %s: %v", id, g.ID, err)
			}
			if p.NotFit != "" {
				continue
			}
			name := id + "/" + g.ID
			if p.Engine != string(engine.SGLang) || p.DCP != 1 || p.GPUs != p.TP*p.PP || p.GPUsPerPod*p.Nodes != p.GPUs {
				t.Errorf("%s: engine %s, DCP %d, GPUs %d = TP %d × PP %d = %d pods × %d", name, p.Engine, p.DCP, p.GPUs, p.TP, p.PP, p.Nodes, p.GPUsPerPod)
			}
			if p.DPAttention && (p.DP != p.TP || p.PP != 1) {
				t.Errorf("%s: DP attention with DP %d, TP %d, PP %d", name, p.DP, p.TP, p.PP)
			}
			visible, _ := cudaVisibleBytes(g)
			frac := float64(visible) * p.GPUMemoryUtilization
			if p.WeightsPerGPU+p.KVBudgetPerGPU+p.Budget.Term(TermBeforeLoad) != int64(frac) || p.KVPerGPUForContext > p.KVBudgetPerGPU {
				t.Errorf("%s: weights %d + KV budget %d != %d inside the fraction, or one context %d over the budget", name, p.WeightsPerGPU, p.KVBudgetPerGPU, int64(frac), p.KVPerGPUForContext)
			}
			if p.ReservedPerGPU < p.OverheadPerGPU+CUDAGraphReserve || frac+float64(p.ReservedPerGPU) > float64(visible) {
				t.Errorf("%s: reserve %d outside the fraction %.2f does not hold activations %d + graphs", name, p.ReservedPerGPU, p.GPUMemoryUtilization, p.OverheadPerGPU)
			}
			if p.GPUMemoryUtilization != staticFraction(visible, p.ReservedPerGPU) {
				t.Errorf("%s: fraction %.2f, want %.2f", name, p.GPUMemoryUtilization, staticFraction(visible, p.ReservedPerGPU))
			}
			extra := 0
			if p.DP > 1 {
				extra = 1
			}
			if p.APIServers != 1 || p.Resources.CPURequest != 1+p.GPUsPerPod+1+p.DP+extra {
				t.Errorf("%s: API servers %d, CPU %d", name, p.APIServers, p.Resources.CPURequest)
			}
			if p.MambaCacheMode != "" || p.ChunkedPrefill || p.PrefixCaching {
				t.Errorf("%s: vLLM-only settings in an SGLang plan", name)
			}
			if p.Parsers.Tool != "" && !sglangToolParsers[p.Parsers.Tool] || p.Parsers.Reasoning != "" && !sglangReasoningParsers[p.Parsers.Reasoning] {
				t.Errorf("%s: parsers %q / %q are not SGLang names", name, p.Parsers.Tool, p.Parsers.Reasoning)
			}
		}
	}
}

// TestSGLangGLM5A100: on 80 GB A100s vLLM holds GLM-5 in three 4-GPU pods (TP 4 × DCP 4 × PP 3); SGLang, without DCP,
// duplicates the latent KV on the TP ranks and its default reserve (14.25 GiB outside the fraction at chunk 8192)
// leaves too little for one context there, so it takes two 8-GPU pods (TP 8 × PP 2). DP attention is off because
// SGLang's PP + DP attention crashes.
func TestSGLangGLM5A100(t *testing.T) {
	p, err := New(catalogInput(t, "zai-org/GLM-5-FP8"), gpuByID(t, "a100-80gb"), Options{Engine: string(engine.SGLang)})
	if err != nil {
		t.Fatal(err)
	}
	if !p.MultiNode || p.Nodes != 2 || p.GPUsPerPod != 8 || p.TP != 8 || p.PP != 2 || p.DCP != 1 || p.DPAttention {
		t.Errorf("%d pods × %d, TP %d PP %d DCP %d DPA %v", p.Nodes, p.GPUsPerPod, p.TP, p.PP, p.DCP, p.DPAttention)
	}
	if !strings.Contains(p.Reasons[ReasonDPAttention], "9805") || !strings.Contains(p.Reasons[ReasonParallelism], "no decode context parallelism") {
		t.Errorf("reasons: %q / %q", p.Reasons[ReasonDPAttention], p.Reasons[ReasonParallelism])
	}
	if p.Parsers.Tool != "glm47" || p.Parsers.Reasoning != "glm45" || p.Probe.FailureThreshold != 2160 {
		t.Errorf("parsers %+v, probe %d", p.Parsers, p.Probe.FailureThreshold)
	}
	// The duplicated latent: the same layout with vLLM's DCP 8 holds an eighth of it per GPU.
	v, err := New(catalogInput(t, "zai-org/GLM-5-FP8"), gpuByID(t, "a100-80gb"), Options{Layout: &model.Layout{TP: 8, PP: 2, DCP: 8}})
	if err != nil {
		t.Fatal(err)
	}
	if r := float64(p.KVPerGPUForContext) / float64(v.KVPerGPUForContext); math.Abs(r-8) > 0.01 {
		t.Errorf("SGLang KV per GPU %d is %.2f× vLLM's %d, want 8×", p.KVPerGPUForContext, r, v.KVPerGPUForContext)
	}
}

// TestSGLangDPAttention: an MLA + MoE model whose plan needs no PP gets DP attention (DP = TP), with the attention
// weights replicated on every rank and the KV capacity multiplied by DP.
func TestSGLangDPAttention(t *testing.T) {
	big := gpu.GPU{ID: "big", MemoryMiB: 288 * 1024, VRAMBytes: 288 * GiB, GPUsPerNode: 8, Resource: "nvidia.com/gpu", Product: "X", ComputeMajor: 10}
	in := catalogInput(t, "moonshotai/Kimi-K2-Instruct")
	p, err := New(in, big, Options{Engine: string(engine.SGLang)})
	if err != nil {
		t.Fatal(err)
	}
	if !p.DPAttention || p.DP != p.TP || p.TP < 2 || p.PP != 1 || p.GPUs != p.TP {
		t.Fatalf("DPA %v DP %d TP %d PP %d GPUs %d: %s", p.DPAttention, p.DP, p.TP, p.PP, p.GPUs, p.Reasons[ReasonDPAttention])
	}
	plain := weightsPerGPU(in.Facts, in.Weights.split(0, 0, false), model.Layout{TP: p.TP, PP: 1})
	if p.WeightsPerGPU <= plain {
		t.Errorf("DP attention weights per GPU %d not above plain TP %d", p.WeightsPerGPU, plain)
	}
	want := int64(math.Floor(float64(p.KVBudgetPerGPU) / float64(p.KVPerGPUForContext) * float64(p.DP) * float64(p.MaxModelLen)))
	if p.KVTokens != want || p.Resources.CPURequest != 1+p.GPUs+1+p.DP+1 {
		t.Errorf("KV tokens %d, want %d (DP × one rank); CPU %d", p.KVTokens, want, p.Resources.CPURequest)
	}
	// The same model and GPU with vLLM uses DCP, never DP attention.
	v, err := New(in, big, Options{})
	if err != nil || v.DPAttention || v.DCP != v.TP {
		t.Errorf("vLLM: %v DPA %v DCP %d TP %d", err, v.DPAttention, v.DCP, v.TP)
	}
}

func TestSGLangRules(t *testing.T) {
	t.Run("parsers by family", func(t *testing.T) {
		for _, c := range []struct{ id, tool, reasoning string }{
			{"Qwen/Qwen3-32B", "qwen25", "qwen3"},
			{"Qwen/Qwen3-Next-80B-A3B-Thinking", "qwen25", "qwen3-thinking"},
			{"Qwen/Qwen3.5-397B-A17B", "qwen3_coder", "qwen3"},
			{"deepseek-ai/DeepSeek-V3.2", "deepseekv32", "deepseek-v3"},
			{"MiniMaxAI/MiniMax-M2.5", "minimax-m2", "minimax"},
			{"moonshotai/Kimi-K2-Instruct", "kimi_k2", ""},
			{"openai/gpt-oss-120b", "gpt-oss", "gpt-oss"},
			{"zai-org/GLM-5-FP8", "glm47", "glm45"},
			{"meta-llama/Meta-Llama-3.1-8B", "", ""},
		} {
			in := catalogInput(t, c.id)
			got := engine.MustLookup(string(engine.SGLang)).Parsers(in.Facts, c.id, model.TaskGenerate)
			if got.Tool != c.tool || got.Reasoning != c.reasoning || got.Reason == "" {
				t.Errorf("%s: %+v, want %s / %s", c.id, got, c.tool, c.reasoning)
			}
		}
	})
	t.Run("KV dtypes SGLang has", func(t *testing.T) {
		in := catalogInput(t, "Qwen/Qwen3-8B")
		for _, d := range []string{"float16", "fp8_inc", "fp8_ds_mla", "bf16"} {
			if _, err := New(in, gpuByID(t, "l4"), Options{Engine: string(engine.SGLang), KVCacheDType: d}); err == nil || !strings.Contains(err.Error(), "auto, bfloat16, fp8, fp8_e4m3, fp8_e5m2") {
				t.Errorf("%s: %v", d, err)
			}
		}
		if _, err := New(in, gpuByID(t, "l4"), Options{Engine: string(engine.SGLang), KVCacheDType: "fp8_e5m2"}); err != nil {
			t.Error(err)
		}
	})
	t.Run("GQA above the KV heads duplicates, so it comes last", func(t *testing.T) {
		f := catalogInput(t, "Qwen/Qwen3-235B-A22B").Facts // 4 KV heads
		ls := engine.MustLookup(string(engine.SGLang)).Layouts(f, 8, 8, 1)
		if len(ls) == 0 || ls[0].Layout.TP > f.KVHeads || ls[len(ls)-1].Layout.TP <= f.KVHeads {
			t.Errorf("order %+v", ls)
		}
		for _, c := range ls {
			if c.Layout.DCP != 1 {
				t.Errorf("SGLang layout with DCP %d", c.Layout.DCP)
			}
		}
	})
}

// staticFraction is (VRAM − reserved) / VRAM rounded down to 0.01, at most MaxUtilization: SGLang's
// mem-fraction-static as chartgen derives it.
func staticFraction(vram, reserved int64) float64 {
	u := float64(vram-reserved) / float64(vram)
	return math.Max(0, math.Min(MaxUtilization, math.Floor(u*100+1e-9)/100))
}
