package engine

import (
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/llm-charts/llm-charts/internal/catalog"
	"github.com/llm-charts/llm-charts/internal/flagtable"
	"github.com/llm-charts/llm-charts/internal/model"
)

// catalogFacts loads an embedded catalog model's facts.
func catalogFacts(t testing.TB, id string) *model.Facts {
	t.Helper()
	md, err := catalog.Catalog{}.Load(context.Background(), id)
	require.NoError(t, err)
	f, err := md.Facts(model.TaskAuto)
	require.NoError(t, err, id)
	return f
}

// Terms keyed by the engine release: the profile's sampler peak fell at v0.17, CUDA graphs moved inside the
// fraction at v0.20, and non-torch memory is larger from v0.12 (on NVLink nodes).
func TestVersionKeyedTerms(t *testing.T) {
	f := catalogFacts(t, "Qwen/Qwen3-8B")
	v16, _ := ParseVersion("v0.16.0")
	v17, _ := ParseVersion("0.17.1")
	v19, _ := vllm{}.Version("")
	v20, _ := ParseVersion("v0.20.1")
	v21, _ := ParseVersion("v0.21.0")
	old := ActivationPeak(f, v16, 1, 8192, 1024)
	now := ActivationPeak(f, v17, 1, 8192, 1024)
	assert.InDelta(t, 0.6, 1-float64(now)/float64(old), 0.01, "the profile's activation fell by about 60%% at v0.17")
	g19, inside19 := cudaGraphBytes(v19, f, 1024, 8192, f.Layers, false)
	_, inside20 := cudaGraphBytes(v20, f, 1024, 8192, f.Layers, false)
	g21, inside21 := cudaGraphBytes(v21, f, 1024, 8192, f.Layers, false)
	assert.False(t, inside19, "v0.19.0 captures its graphs after the KV cache, outside the fraction")
	assert.True(t, inside20, "graph memory profiling is on by default from v0.20.0")
	assert.True(t, inside21)
	assert.Equal(t, g19, g21)
	assert.InDelta(t, 1.05, float64(g19)/GiB, 0.05, "Qwen3-8B's pool at 1024 sequences: 0.96 GiB measured (campaign)")
	p, f2 := cudaGraphSizes(captureLimit(f, 256, 8192), 256)
	assert.Equal(t, [2]int{51, 35}, [2]int{p, f2}, "vLLM v0.19 logs PIECEWISE=51, FULL=35 at max_num_seqs 256")
	oss := catalogFacts(t, "openai/gpt-oss-120b")
	p, f2 = cudaGraphSizes(captureLimit(oss, 1024, 8192), 1024)
	assert.Equal(t, [2]int{83, 83}, [2]int{p, f2}, "gpt-oss captures to 1024: PIECEWISE=83, FULL=83")
	assert.Zero(t, largeCaptureExtra(f, 1024, 8192, false))
	assert.Positive(t, largeCaptureExtra(oss, 1024, 8192, false))
	v11, _ := ParseVersion("v0.11.0")
	assert.Less(t, nonTorchBytes(v11, 2, 1, true, 9), nonTorchBytes(v19, 2, 1, true, 9))
	assert.Less(t, nonTorchBytes(v19, 8, 1, true, 8), nonTorchBytes(v19, 8, 1, true, 9), "TP 8 on Hopper: NVLink SHARP and symmetric-memory buffers")
	assert.Less(t, nonTorchBytes(v19, 4, 1, false, 9), nonTorchBytes(v19, 4, 1, true, 9), "no symmetric-memory all-reduce without NVLink")
	_, err := ParseVersion("latest")
	assert.Error(t, err)
}

func TestSGLangReserve(t *testing.T) {
	r, why := sglangReserve(80*GiB, model.Layout{TP: 4, PP: 3}, 8192, 128, GiB, false)
	want := int64((512 + 1.5*8192 + 256 + 12.0/8*1024) * MiB)
	assert.Equal(t, want, r)
	assert.Contains(t, why, "server_args.py")
	r, _ = sglangReserve(80*GiB, model.Layout{TP: 1, PP: 1}, 2048, 8, GiB, false)
	assert.Equal(t, int64(10*GiB), r, "10 GiB floor on 80 GB")
	r, _ = sglangReserve(24*GiB, model.Layout{TP: 1, PP: 1}, 2048, 8, 9*GiB, false)
	assert.Equal(t, int64(11*GiB), r, "own estimate above the rule")
}

// Each engine gives its own reason for the KV cache dtype: vLLM's rule keeps bf16 KV for fp8 weights unless asked,
// SGLang's auto is the model's dtype.
func TestKVDTypeReasons(t *testing.T) {
	f := catalogFacts(t, "Qwen/Qwen3-8B")
	for _, c := range []struct {
		engine       Name
		asked        string
		name, reason string
		err          string
	}{
		{VLLM, "", "bfloat16", "auto keeps the model's compute dtype bfloat16 (vLLM does not use fp8 KV for fp8 weights unless asked)", ""},
		{SGLang, "", "bfloat16", "auto keeps the model's compute dtype bfloat16 (SGLang's auto is the model's dtype; fp8 KV only when asked)", ""},
		{SGLang, "auto", "bfloat16", "auto keeps the model's compute dtype bfloat16 (SGLang's auto is the model's dtype; fp8 KV only when asked)", ""},
		{VLLM, "fp8", "fp8_e4m3", "explicit", ""},
		{SGLang, "fp8_e5m2", "fp8_e5m2", "explicit", ""},
		{VLLM, "float16", "float16", "explicit", ""},
		{SGLang, "float16", "", "", `kv cache dtype "float16" has no SGLang equivalent; allowed with --engine sglang: auto, bfloat16, fp8, fp8_e4m3, fp8_e5m2`},
	} {
		e := MustLookup(string(c.engine))
		if c.err != "" {
			assert.EqualError(t, e.CheckKVDType(c.asked), c.err)
			continue
		}
		require.NoError(t, e.CheckKVDType(c.asked))
		kv, err := e.KVDType(f, c.asked)
		require.NoError(t, err)
		assert.Equal(t, c.name, kv.Name, "%s %q", c.engine, c.asked)
		assert.Equal(t, c.reason, kv.Reason, "%s %q", c.engine, c.asked)
	}
}

// Each engine reads its own release; SGLang's memory terms borrow vLLM's, so without image.version it follows vLLM's
// default release's terms.
func TestVersions(t *testing.T) {
	for _, c := range []struct {
		engine Name
		in     string
		want   string
		err    bool
	}{
		{VLLM, "", "v0.19.0", false},
		{VLLM, "v0.18.0", "v0.18.0", false},
		{VLLM, "0.17.1rc1", "v0.17.1", false},
		{VLLM, "0.19", "v0.19.0", false},
		{SGLang, "", "v0.19.0", false},
		{SGLang, "v0.5.19", "v0.19.0", false}, // SGLang borrows vLLM v0.19.0's measured terms, not vLLM v0.5's
		{VLLM, "latest", "", true},
		{SGLang, "nightly", "", true},
	} {
		v, err := MustLookup(string(c.engine)).Version(c.in)
		if c.err {
			assert.Error(t, err, "%s %q", c.engine, c.in)
			continue
		}
		require.NoError(t, err)
		assert.Equal(t, c.want, v.String(), "%s %q", c.engine, c.in)
	}
	for _, e := range All() {
		_, err := ParseVersion(e.Spec().DefaultRelease)
		assert.NoError(t, err, "%s's defaultRelease", e.Name())
	}
}

// What each engine refuses, and the words it refuses with.
func TestSupports(t *testing.T) {
	for _, c := range []struct {
		engine Name
		f      Feature
		err    string // "" = supported
	}{
		{VLLM, Speculative(SpecEagle3), ""},
		{SGLang, Speculative(SpecDraft), ""},
		{VLLM, MTP("glm_moe_dsa"), ""},
		{SGLang, MTP("glm_moe_dsa"), ""},
		{VLLM, MTP("minimax_m2"), "vLLM v0.19.0 has no MTP drafter for model_type minimax_m2"},
		{SGLang, MTP("ernie4_5_moe"), "SGLang v0.5.19 has no MTP drafter for model_type ernie4_5_moe"},
		{VLLM, LoRAWithSpeculative(SpecMTP), ""},
		{SGLang, LoRAWithSpeculative(SpecNgram), ""},
		{SGLang, LoRAWithSpeculative(SpecMTP), "SGLang v0.5.19 runs LoRA only with n-gram speculative decoding (server_args.py), not mtp"},
		{VLLM, Simple(FeatureCPULoRA), ""},
		{SGLang, Simple(FeatureCPULoRA), "LoRA adapter slots in CPU memory (max_cpu_loras) are a vLLM option; SGLang has none: use --engine vllm"},
		{VLLM, Simple(FeatureDCP), ""},
		{SGLang, Simple(FeatureDCP), "SGLang has no decode context parallelism; allowed with --engine sglang: 1"},
		{VLLM, Simple(FeatureDPAttention), "DP attention is an SGLang option"},
		{SGLang, Simple(FeatureDPAttention), ""},
		{VLLM, Simple(FeatureExpertParallel), ""},
		{SGLang, Simple(FeatureExpertParallel), ""},
		{VLLM, Simple(FeatureOffload), ""},
		{SGLang, Simple(FeatureOffload), "vLLM options"},
		{VLLM, Simple(FeatureMultimodalCache), ""},
		{SGLang, Simple(FeatureMultimodalCache), "vLLM option"},
		{VLLM, Simple(FeatureDisaggregation), "prefill/decode disaggregation is not supported with vLLM yet"},
		{SGLang, Simple(FeatureDisaggregation), "prefill/decode disaggregation is not supported with SGLang yet"},
	} {
		err := MustLookup(string(c.engine)).Supports(c.f)
		if c.err == "" {
			assert.NoError(t, err, "%s %+v", c.engine, c.f)
		} else if assert.Error(t, err, "%s %+v", c.engine, c.f) {
			assert.Contains(t, err.Error(), c.err)
		}
	}
}

// Every engine tells its own log lines apart.
func TestEveryEngineReadsLogs(t *testing.T) {
	for _, c := range []struct {
		line    string
		engine  Name
		claim   Claim
		version string
	}{
		{"INFO 01-01 vLLM API server version 0.19.0", VLLM, NoClaim, "v0.19.0"},
		{"INFO 01-01 vLLM API server version 0.19.0", SGLang, NoClaim, ""},
		{"[2025-01-01] sglang==0.5.19", SGLang, SureClaim, "v0.5.19"},
		{"[2025-01-01] sglang==0.5.19", VLLM, NoClaim, ""},
		{"[2025] server_args=ServerArgs(model_path='x')", SGLang, SureClaim, ""},
		{"[2025] Load weight end. type=Qwen3, dtype=bf16, avail mem=20 GB, mem usage=56.98 GB.", SGLang, SureClaim, ""},
		{"python -m sglang.launch_server", SGLang, HintClaim, ""},
		{"vllm quoting sglang", SGLang, NoClaim, ""},
	} {
		r := MustLookup(string(c.engine)).(LogReader)
		assert.Equal(t, c.claim, r.LogClaim(c.line), "%s: %s", c.engine, c.line)
		assert.Equal(t, c.version, r.LogVersion(c.line), "%s: %s", c.engine, c.line)
	}
	assert.Equal(t, 16, vllm{}.KVBlock(0))
	assert.Equal(t, 32, vllm{}.KVBlock(32))
	assert.Equal(t, 1, sglang{}.KVBlock(16))
}

// Each engine's layouts: vLLM shards an MLA model's KV with DCP = TP, SGLang keeps DCP 1.
func TestLayoutsPerEngine(t *testing.T) {
	f := catalogFacts(t, "deepseek-ai/DeepSeek-V3.2")
	for _, c := range MustLookup(string(VLLM)).Layouts(f, 8, 8, 1) {
		assert.Equal(t, c.Layout.TP, c.Layout.DCP, "vLLM MLA: DCP = TP (%+v)", c.Layout)
	}
	for _, c := range MustLookup(string(SGLang)).Layouts(f, 8, 8, 1) {
		assert.Equal(t, 1, c.Layout.DCP, "SGLang: no DCP (%+v)", c.Layout)
	}
}

// TestParsersInEveryTable: every tool-call and reasoning parser vLLM's planner picks is registered in every vLLM
// release whose flag table lists its parsers (a release whose --help lists none is not checked for that kind).
func TestParsersInEveryTable(t *testing.T) {
	families := []struct{ modelType, name string }{
		{"minimax_m2", "MiniMaxAI/MiniMax-M2.5"}, {"qwen3", "Qwen/Qwen3-8B"}, {"qwen3_moe", "Qwen/Qwen3-235B-A22B"},
		{"qwen3_next", "Qwen/Qwen3-Next-80B-A3B-Thinking"}, {"qwen3_vl_moe", "Qwen/Qwen3-VL-235B-A22B-Thinking"},
		{"qwen3_vl_moe", "Qwen/Qwen3-VL-235B-A22B-Instruct"}, {"qwen3_5_moe", "Qwen/Qwen3.5-397B-A17B"},
		{"deepseek_v32", "deepseek-ai/DeepSeek-V3.2"}, {"deepseek_v3", "deepseek-ai/DeepSeek-R1"},
		{"deepseek_v3", "deepseek-ai/DeepSeek-V3.1"}, {"deepseek_v3", "deepseek-ai/DeepSeek-V3"},
		{"kimi_k2", "moonshotai/Kimi-K2-Thinking"}, {"kimi_k2", "moonshotai/Kimi-K2-Instruct"},
		{"glm_moe_dsa", "zai-org/GLM-5-FP8"}, {"glm4_moe", "zai-org/GLM-4.7"}, {"glm4_moe", "zai-org/GLM-4.6"},
		{"gpt_oss", "openai/gpt-oss-120b"}, {"llama", "meta-llama/Llama-3.1-8B-Instruct"},
		{"mistral", "mistralai/Mistral-7B-Instruct-v0.3"}, {"mixtral", "mistralai/Mixtral-8x7B-Instruct-v0.1"},
	}
	checked := 0
	for _, v := range flagtable.Versions("vllm") {
		tab, _ := flagtable.Lookup("vllm", v)
		for _, fam := range families {
			p := parsersFor(&model.Facts{ModelType: fam.modelType}, fam.name, model.TaskGenerate)
			for _, c := range []struct{ kind, name string }{{"tool", p.Tool}, {"reasoning", p.Reasoning}} {
				if c.name == "" || slices.Contains(tab.Unlisted, c.kind) {
					continue
				}
				list := tab.ToolCallParsers
				if c.kind == "reasoning" {
					list = tab.ReasoningParsers
				}
				assert.Contains(t, list, c.name, "vllm %s: the %s parser chartgen picks for %s", v, c.kind, fam.name)
				checked++
			}
		}
	}
	assert.Positive(t, checked)
}
