package engine

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEntryPoints(t *testing.T) {
	v, g := MustLookup("vllm"), MustLookup("sglang")
	for _, c := range []struct {
		e        Engine
		argv     []string
		n        int
		withNote bool
	}{
		{v, []string{"vllm", "serve", "m"}, 2, false},
		{v, []string{"python3", "-m", "vllm.entrypoints.openai.api_server", "--model", "m"}, 3, true},
		{v, []string{"python", "-m", "vllm.entrypoints.openai.api_server"}, 3, true},
		{v, []string{"python3", "-m", "sglang.launch_server"}, 0, false},
		{g, []string{"python3", "-m", "sglang.launch_server", "--model-path", "m"}, 3, false},
		{g, []string{"python", "-m", "sglang.launch_server"}, 3, false},
		{g, []string{"vllm", "serve"}, 0, false},
		{g, []string{"python3"}, 0, false},
	} {
		n, note := c.e.EntryPoint(c.argv)
		assert.Equal(t, c.n, n, "%s %q", c.e.Name(), c.argv)
		assert.Equal(t, c.withNote, note != "", "%s %q: %s", c.e.Name(), c.argv, note)
	}
	assert.True(t, g.Mentions("pip install x && python3 -m sglang.launch_server --tp 2"))
	assert.False(t, v.Mentions("python3 -m sglang.launch_server --tp 2"))
	assert.True(t, v.Mentions("exec vllm serve m"))
	assert.True(t, v.PositionalModel())
	assert.False(t, g.PositionalModel())
}

func TestFlagNames(t *testing.T) {
	v, g := MustLookup("vllm"), MustLookup("sglang")
	for _, c := range []struct {
		e             Engine
		written, name string
		rewritten     bool
	}{
		{v, "--max_num_seqs", "--max-num-seqs", true},
		{v, "--hf_overrides.rope_scaling", "--hf-overrides.rope_scaling", true},
		{v, "-tp", "--tensor-parallel-size", false},
		{v, "--max-model-len", "--max-model-len", false},
		{g, "--tp", "--tp-size", false},
		{g, "--model", "--model-path", false},
		{g, "--tp_size", "--tp_size", false},
	} {
		name, re := c.e.FlagName(c.written)
		assert.Equal(t, c.name, name, c.written)
		assert.Equal(t, c.rewritten, re, c.written)
	}
	assert.Contains(t, v.RewriteNote([]string{"--max_num_seqs"}), "FlexibleArgumentParser")
	assert.Empty(t, g.RewriteNote(nil))
	assert.Equal(t, "--api-key", v.APIKeyFlag())
	assert.Equal(t, "--api-key", g.APIKeyFlag())
	assert.Equal(t, "VLLM_API_KEY", v.APIKeyFromEnv())
	assert.Empty(t, g.APIKeyFromEnv(), "SGLang reads its key only from --api-key")
}

func TestReverseMap(t *testing.T) {
	row, ok := MustLookup("sglang").Spec().Row("--kv-cache-dtype")
	require.True(t, ok)
	for engineValue, want := range map[string]string{"bf16": "bfloat16", "fp8_e4m3": "fp8_e4m3", "fp8_e5m2": "fp8_e5m2", "auto": "auto", "bfloat16": "bfloat16"} {
		assert.Equal(t, want, row.Reverse(engineValue), engineValue)
	}
	algo, _ := MustLookup("sglang").Spec().Row("--speculative-algorithm")
	assert.Equal(t, "draft", algo.Reverse("STANDALONE"))
	assert.Equal(t, "mtp", algo.Reverse("NEXTN"))
}

func TestVLLMSpeculativeConfig(t *testing.T) {
	v := MustLookup("vllm")
	row, _ := v.Spec().Row("--speculative-config")
	read := func(js string) Reading {
		r, ok := v.ReadLogic(row, []string{js}, nil)
		require.True(t, ok)
		return r
	}
	r := read(`{"method":"draft_model","num_speculative_tokens":4,"model":"org/draft","revision":"main","draft_tensor_parallel_size":1}`)
	assert.Empty(t, r.Refusal)
	assert.Equal(t, []Setting{{"speculative.method", "draft"}, {"speculative.numSpeculativeTokens", 4}, {"speculative.draftModel", "org/draft"},
		{"speculative.draftRevision", "main"}, {"vllm.speculativeDraftTensorParallelSize", 1}}, r.Settings)
	assert.Contains(t, read(`{"method":"ngram","num_speculative_tokens":3,"prompt_lookup_max":4}`).Refusal, "not prompt_lookup_max")
	assert.Contains(t, read(`{"method":"medusa","num_speculative_tokens":3}`).Refusal, "method medusa")
	assert.Contains(t, read(`{"method":"ngram"}`).Refusal, "num_speculative_tokens")
	assert.Contains(t, read(`{"method":"ngram","num_speculative_tokens":"3"}`).Refusal, "not a positive integer")
	assert.Equal(t, "not a JSON object", read(`[1]`).Refusal)

	task, _ := v.Spec().Row("--runner")
	r, ok := v.ReadLogic(task, []string{"pooling"}, map[string][]string{"--runner": {"pooling"}, "--convert": {"embed"}})
	require.True(t, ok)
	assert.Equal(t, []Setting{{"model.task", "embed"}}, r.Settings)
	r, _ = v.ReadLogic(task, []string{"pooling"}, map[string][]string{"--runner": {"pooling"}})
	assert.NotEmpty(t, r.Refusal)
}

func TestSGLangNGRAM(t *testing.T) {
	g := MustLookup("sglang")
	row := func(f string) KeyRow { r, ok := g.Spec().Row(f); require.True(t, ok, f); return r }
	ngram := map[string][]string{"--speculative-algorithm": {"NGRAM"}, "--speculative-num-draft-tokens": {"4"}}
	r, ok := g.ReadLogic(row("--speculative-num-draft-tokens"), []string{"4"}, ngram)
	require.True(t, ok)
	assert.Equal(t, []Setting{{"speculative.numSpeculativeTokens", 3}, {"sglang.speculativeNumDraftTokens", 4}}, r.Settings)
	r, ok = g.ReadLogic(row("--speculative-eagle-topk"), []string{"1"}, ngram)
	assert.True(t, ok)
	assert.NotEmpty(t, r.Refusal)
	_, ok = g.ReadLogic(row("--speculative-num-steps"), []string{"3"}, map[string][]string{"--speculative-algorithm": {"EAGLE"}})
	assert.False(t, ok, "EAGLE's flags are plain rows")
	_, ok = g.ReadLogic(row("--speculative-algorithm"), []string{"NGRAM"}, ngram)
	assert.False(t, ok, "the algorithm is a plain row through its map")
}

func TestRuntimeLoRA(t *testing.T) {
	ok, why := MustLookup("vllm").RuntimeLoRA(map[string]string{"VLLM_ALLOW_RUNTIME_LORA_UPDATING": "True"})
	assert.True(t, ok)
	assert.Empty(t, why)
	ok, why = MustLookup("vllm").RuntimeLoRA(nil)
	assert.False(t, ok)
	assert.Contains(t, why, "VLLM_ALLOW_RUNTIME_LORA_UPDATING")
	ok, _ = MustLookup("sglang").RuntimeLoRA(nil)
	assert.True(t, ok)
}
