package engine

import (
	"github.com/llm-charts/llm-charts/internal/flagtable"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Every engine words each comment: labels that start a sentence, a two-line memory model, its layout numbers.
func TestDescriberWording(t *testing.T) {
	for _, e := range All() {
		t.Run(string(e.Name()), func(t *testing.T) {
			if e.Name() != Default().Name() {
				assert.NotEmpty(t, e.EngineComment(), "a values file naming a non-default engine gets a comment above engine:")
			}
			mm := e.MemoryModelNote()
			assert.True(t, strings.HasSuffix(mm, ".\n") && strings.Count(mm, "\n") == 2, "two lines ending in a full stop: %q", mm)
			for _, l := range []string{e.UtilizationLabel(), e.BatchedTokensLabel()} {
				assert.True(t, strings.HasSuffix(l, ": "), "a label ends in \": \": %q", l)
			}
			assert.True(t, strings.HasPrefix(e.LayoutNote(LayoutWords{TP: 4, PP: 2, DCP: 1, DP: 1}), "TP 4 × PP 2"))
			assert.NotEmpty(t, e.RankFlagsNote())
			for _, flag := range []string{"--nnodes", "--node-rank"} {
				assert.Contains(t, e.RankFlagsNote(), flag, "the rank flags the spec lists")
			}
			if n := e.ExpertParallelNote(8); n != "" {
				assert.True(t, strings.HasSuffix(n, "."), "a sentence: %q", n)
			}
			assert.NotEmpty(t, e.PipelineNote(2), "pipeline stages across pods need a word on timeouts")
		})
	}
	assert.Equal(t, "TP 2 × PP 1 × DCP 2", MustLookup(string(VLLM)).LayoutNote(LayoutWords{TP: 2, PP: 1, DCP: 2}))
	assert.Equal(t, "TP 8 × PP 1 with DP attention 8", MustLookup(string(SGLang)).LayoutNote(LayoutWords{TP: 8, PP: 1, DP: 8, DPAttention: true}))
	assert.Empty(t, MustLookup(string(VLLM)).PipelineNote(1), "vLLM's pipeline timeouts are a multi-node matter")
	assert.Contains(t, MustLookup(string(VLLM)).PipelineNote(2), "VLLM_RPC_TIMEOUT")
	assert.Contains(t, MustLookup(string(SGLang)).PipelineNote(2), "--dist-timeout 1200")
}

// The command-line checks: an empty or auto KV cache dtype passes everywhere, each listed choice passes, a name no
// engine knows is refused; LoRA flags left out raise nothing.
func TestDescriberFlagChecks(t *testing.T) {
	for _, e := range All() {
		t.Run(string(e.Name()), func(t *testing.T) {
			for _, d := range append([]string{"", "auto", "fp8"}, e.KVCacheDTypeChoices()...) {
				assert.Empty(t, e.KVCacheDTypeFlagError(d), "dtype %q", d)
			}
			assert.Contains(t, e.KVCacheDTypeFlagError("int3"), "int3")
			assert.Empty(t, e.LoRAFlagErrors(0, 0))
			assert.Empty(t, e.LoRAFlagErrors(16, 0), "16 is every engine's default rank")
			d := e.LogDefaults(80*1024, "")
			assert.GreaterOrEqual(t, d.MaxNumSeqs, 0)
			assert.True(t, d.Utilization >= 0 && d.Utilization < 1)
		})
	}
	sg, vl := MustLookup(string(SGLang)), MustLookup(string(VLLM))
	assert.Equal(t, []string{"auto", "bfloat16", "fp8", "fp8_e4m3", "fp8_e5m2"}, sg.KVCacheDTypeChoices(), "the serving.kvCacheDtype row's map")
	assert.Equal(t, `--kv cache dtype "float16" has no SGLang equivalent; allowed with --engine sglang: auto, bfloat16, fp8, fp8_e4m3, fp8_e5m2`, sg.KVCacheDTypeFlagError("float16"))
	assert.Empty(t, vl.KVCacheDTypeFlagError("float16"))
	assert.Equal(t, []string{"--lora-rank 48 is not a rank vLLM takes ([1 8 16 32 64 128 256 320 512]); use the next one up"}, vl.LoRAFlagErrors(48, 0))
	assert.Empty(t, sg.LoRAFlagErrors(48, 0), "SGLang infers the rank from the adapters")
	assert.Equal(t, []string{"--max-cpu-loras: LoRA adapter slots in CPU memory (max_cpu_loras) are a vLLM option; SGLang has none: use --engine vllm"}, sg.LoRAFlagErrors(0, 2))
	assert.Empty(t, vl.LoRAFlagErrors(0, 2), "vLLM keeps adapters in CPU memory")
	// One rule, one wording: the flag check is the planner's refusal with the flag named.
	for _, e := range All() {
		var want []string
		if err := e.Supports(Simple(FeatureCPULoRA)); err != nil {
			want = []string{"--max-cpu-loras: " + err.Error()}
		}
		assert.Equal(t, want, e.LoRAFlagErrors(0, 2), "%s", e.Name())
	}
	assert.Equal(t, LogDefaults{MaxNumSeqs: 256, MaxNumBatchedTokens: 2048, Utilization: 0.9, VersionFromLog: true, TunedUtilization: true}, vl.LogDefaults(24*1024, ""))
	assert.Equal(t, 1024, vl.LogDefaults(80*1024, "").MaxNumSeqs)
	assert.Equal(t, LogDefaults{}, sg.LogDefaults(80*1024, "v0.5.19"))
}

// RendersKey follows the spec: each engine's own block is its own, and every row's key is rendered.
func TestRendersKey(t *testing.T) {
	for _, e := range All() {
		for _, r := range e.Spec().Keys {
			if r.Key != "" {
				assert.True(t, RendersKey(e, r.Key), "%s %s", e.Name(), r.Key)
			}
		}
		assert.True(t, RendersKey(e, "serving.maxModelLen"))
		assert.False(t, RendersKey(e, "serving.maxModel"), "a prefix of a key is not a block")
		for _, other := range All() {
			if other.Name() != e.Name() {
				assert.False(t, RendersKey(e, string(other.Name())), "%s renders no key of %s's block", e.Name(), other.Name())
			}
		}
	}
	assert.True(t, RendersKey(MustLookup(string(VLLM)), "vllm.multimodal"))
	assert.True(t, RendersKey(MustLookup(string(SGLang)), "lora.targetModules"))
	assert.False(t, RendersKey(MustLookup(string(VLLM)), "lora.targetModules"))
}

// The engine comment is built from the spec rows; this is its wording in the chartgen golden cases.
func TestEngineCommentFromSpec(t *testing.T) {
	assert.Equal(t, "Engine: SGLang (python3 -m sglang.launch_server). The serving block maps to its flags: tensorParallelSize → --tp-size, pipelineParallelSize → --pp-size, dataParallelSize → --dp-size, maxModelLen → --context-length, gpuMemoryUtilization → --mem-fraction-static, maxNumSeqs → --max-running-requests, maxNumBatchedTokens → --chunked-prefill-size, the parsers → --tool-call-parser / --reasoning-parser.",
		MustLookup(string(SGLang)).EngineComment())
	for _, e := range All() {
		assert.NotContains(t, servingMapping(e), "→ ,", "%s: every serving key has a flag", e.Name())
	}
}

// TestUtilizationDefaultMatchesTables: vLLM's default --gpu-memory-utilization by release is what every flag table
// that records the flag's default prints.
func TestUtilizationDefaultMatchesTables(t *testing.T) {
	vl := MustLookup(string(VLLM))
	assert.Equal(t, 0.9, vl.LogDefaults(80*1024, "v0.19.1").Utilization)
	assert.Equal(t, 0.92, vl.LogDefaults(80*1024, "v0.20.0").Utilization)
	checked := 0
	for _, v := range flagtable.Versions("vllm") {
		tab, _ := flagtable.Lookup("vllm", v)
		if def := tab.Flags["--gpu-memory-utilization"].Default; def != "" {
			assert.Equal(t, def, strconv.FormatFloat(vl.LogDefaults(80*1024, v).Utilization, 'f', -1, 64), v)
			checked++
		}
	}
	assert.Positive(t, checked)
}
