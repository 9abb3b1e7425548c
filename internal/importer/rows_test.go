package importer

import (
	"strings"
	"testing"

	"github.com/llm-charts/llm-charts/internal/engine"
	"github.com/llm-charts/llm-charts/internal/flagtable"
	"github.com/llm-charts/llm-charts/internal/values"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSetPath(t *testing.T) {
	v := &values.Model{}
	require.NoError(t, setPath(v, "serving.maxNumSeqs", int64(8)))
	require.NoError(t, setPath(v, "serving.enablePrefixCaching", "false"))
	require.NoError(t, setPath(v, "serving.tensorParallelSize", int64(2)))
	require.NoError(t, setPath(v, "model.task", "embed"))
	require.NoError(t, setPath(v, "sglang.enableDpAttention", true))
	require.NoError(t, setPath(v, "vllm.multimodal.processorCacheGb", int64(4)))
	require.NoError(t, setPath(v, "serving.gpuMemoryUtilization", 0.9))
	require.NoError(t, setPath(v, "lora.adapters", map[string]string{"a": "org/a"}))
	require.NoError(t, setPath(v, "lora.targetModules", []string{"q_proj"}))
	require.NoError(t, setPath(v, "serving.hfOverrides", map[string]any{"x": 1.0}))
	assert.Equal(t, int64(8), *v.Serving.MaxNumSeqs)
	assert.Equal(t, false, *v.Serving.EnablePrefixCaching)
	assert.Equal(t, 2, v.Serving.TensorParallelSize)
	assert.Equal(t, "embed", v.Model.Task)
	assert.True(t, v.SGLang.EnableDPAttention)
	assert.Equal(t, 4, *v.VLLM.Multimodal.ProcessorCacheGB)
	assert.Equal(t, 0.9, *v.Serving.GPUMemoryUtilization)
	assert.Equal(t, map[string]string{"a": "org/a"}, v.LoRA.Adapters)
	assert.Equal(t, []string{"q_proj"}, v.LoRA.TargetModules)
	assert.Equal(t, map[string]any{"x": 1.0}, v.Serving.HFOverrides)
	assert.ErrorContains(t, setPath(v, "serving.noSuchKey", 1), "no field noSuchKey")
	assert.ErrorContains(t, setPath(v, "model.task", 1), "does not fit")
	assert.ErrorContains(t, setPath(v, "model.name.x", "a"), "is not a block")
	assert.Error(t, setPath(v, "serving.trustRemoteCode", "maybe"))
}

// TestEverySpecRowReadsBack imports, for every row of every engine's spec, a command line with that flag: none may
// come back as a flag without a values key (the spec names one for each, and a reader of its type or logic reads
// it).
func TestEverySpecRowReadsBack(t *testing.T) {
	read := 0
	for _, e := range engine.All() {
		tab, ok := flagtable.Lookup(string(e.Name()), e.Spec().DefaultRelease)
		require.True(t, ok)
		for _, row := range e.Spec().Keys {
			words := []string{row.Flag}
			if def, _ := tab.Lookup(row.Flag); def.Value != flagtable.Switch {
				words = append(words, sampleValue(tab, row, def))
			}
			cmd := "exec " + strings.Join(e.Spec().Entrypoint, " ") + " Qwen/Qwen3-8B "
			if !e.PositionalModel() {
				cmd = "exec " + strings.Join(e.Spec().Entrypoint, " ") + " --model-path Qwen/Qwen3-8B "
			}
			res := importEdited(t, "exec vllm serve Qwen/Qwen3-8B --port 8000 -tp 2", cmd+strings.Join(quote(words), " "))
			require.Equal(t, e.Name(), engine.MustLookup(res[0].Values.Engine).Name())
			read++
			for _, u := range res[0].Unmapped {
				assert.NotContains(t, u, row.Flag+" "+strings.Join(words[1:], " ")+": no values key", "%s %s", e.Name(), row.Flag)
				assert.NotContains(t, u, "values key "+row.Key+":", "%s %s: the row's key is not a values path", e.Name(), row.Flag)
			}
		}
	}
	assert.Greater(t, read, 70, "every row of both specs")
	// The check bites: a flag no row names is listed.
	res := importEdited(t, "--port 8000 -tp 2", "--port 8000 -tp 2 --enforce-eager")
	assert.Contains(t, strings.Join(res[0].Unmapped, "\n"), "--enforce-eager: no values key")
}

// sampleValue is a value the flag table takes for the row's flag.
func sampleValue(tab *flagtable.Table, row engine.KeyRow, def flagtable.Flag) string {
	switch {
	case len(def.Choices) > 0:
		return def.Choices[0]
	case def.Parsers == "tool":
		return tab.ToolCallParsers[0]
	case def.Parsers == "reasoning":
		return tab.ReasoningParsers[0]
	case row.Fixed != "":
		return row.Fixed
	}
	switch row.Type {
	case engine.TypeInt:
		return "2"
	case engine.TypeFloat:
		return "0.5"
	case engine.TypeJSON:
		return `{"method":"ngram","num_speculative_tokens":3}`
	case engine.TypeWords:
		return "a=org/a"
	}
	return "x"
}

func quote(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = "'" + w + "'"
	}
	return out
}

func TestImportLoRAAndSpeculative(t *testing.T) {
	const old = "exec vllm serve Qwen/Qwen3-8B --port 8000 -tp 2"
	// vLLM: adapters, limits and one --speculative-config.
	res := importEdited(t, old, old+` --enable-lora --lora-modules a=org/a b=org/b --max-loras 2 --max-lora-rank 16 --max-cpu-loras 4 --speculative-config '{"method":"eagle3","num_speculative_tokens":2,"model":"org/eagle"}'`)
	v := res[0].Values
	assert.Equal(t, &values.LoRA{Adapters: map[string]string{"a": "org/a", "b": "org/b"}, MaxLoras: ptr(2), MaxRank: ptr(16), MaxCPULoras: ptr(4)}, v.LoRA)
	assert.Equal(t, &values.Speculative{Method: "eagle3", NumSpeculativeTokens: ptr(2), DraftModel: "org/eagle"}, v.Speculative)
	assert.NotContains(t, strings.Join(v.Serving.ExtraArgs, " "), "lora")
	// Without adapters, vLLM loads them at run time only with its variable.
	res = importEdited(t, old, old+" --enable-lora --max-loras 2")
	assert.Nil(t, res[0].Values.LoRA)
	assert.Equal(t, []string{"--enable-lora", "--max-loras", "2"}, res[0].Values.Serving.ExtraArgs[len(res[0].Values.Serving.ExtraArgs)-3:])
	objs, err := Read("x.yaml", []byte(strings.NewReplacer(old, old+" --enable-lora --max-loras 2",
		"        - {name: NCCL_DEBUG, value: INFO}", "        - {name: VLLM_ALLOW_RUNTIME_LORA_UPDATING, value: 'True'}").Replace(sts)))
	require.NoError(t, err)
	res, err = Import(objs)
	require.NoError(t, err)
	assert.Equal(t, &values.LoRA{MaxLoras: ptr(2), RuntimeUpdates: true}, res[0].Values.LoRA)
	// A --speculative-config with keys the chart does not render stays as written.
	res = importEdited(t, old, old+` --speculative-config '{"method":"ngram","num_speculative_tokens":3,"prompt_lookup_max":4}'`)
	assert.Nil(t, res[0].Values.Speculative)
	assert.Contains(t, strings.Join(res[0].Unmapped, "\n"), "not prompt_lookup_max; kept in serving.extraArgs")
	// SGLang: adapters, limits, target modules and NGRAM.
	res = importEdited(t, old, "exec python3 -m sglang.launch_server --model-path Qwen/Qwen3-8B --tp 2 --enable-lora --lora-paths a=org/a --max-loras-per-batch 2 --lora-target-modules q_proj v_proj --speculative-algorithm NGRAM --speculative-num-draft-tokens 5")
	v = res[0].Values
	assert.Equal(t, &values.LoRA{Adapters: map[string]string{"a": "org/a"}, MaxLoras: ptr(2), TargetModules: []string{"q_proj", "v_proj"}}, v.LoRA)
	assert.Equal(t, &values.Speculative{Method: "ngram", NumSpeculativeTokens: ptr(4)}, v.Speculative)
	assert.Equal(t, 5, *v.SGLang.SpeculativeNumDraftTokens)
	// SGLang with --enable-lora and no adapters: runtime updates.
	res = importEdited(t, old, "exec python3 -m sglang.launch_server --model-path Qwen/Qwen3-8B --tp 2 --enable-lora --max-lora-rank 16 --lora-target-modules all")
	assert.True(t, res[0].Values.LoRA.RuntimeUpdates)
	// An adapter word that is not name=path stays as written.
	res = importEdited(t, old, old+" --enable-lora --lora-modules org/a")
	assert.Contains(t, strings.Join(res[0].Unmapped, "\n"), "org/a is not one")
}

func TestImportPlainRowsByType(t *testing.T) {
	const old = "exec vllm serve Qwen/Qwen3-8B --port 8000 -tp 2"
	res := importEdited(t, old, old+" --no-enable-expert-parallel --no-enable-chunked-prefill --load-format safetensors --safetensors-load-strategy lazy --kv-cache-dtype fp8 --mamba-cache-mode align")
	v := res[0].Values
	assert.Equal(t, false, *v.Serving.EnableExpertParallel)
	assert.Equal(t, false, *v.VLLM.EnableChunkedPrefill)
	assert.Equal(t, "safetensors", v.Model.LoadFormat)
	assert.Equal(t, "lazy", v.Model.SafetensorsLoadStrategy)
	assert.Equal(t, "fp8", v.Serving.KVCacheDtype)
	assert.Equal(t, "align", v.VLLM.MambaCacheMode)
	// SGLang's spellings through the spec's map and its when rows.
	res = importEdited(t, old, "exec python3 -m sglang.launch_server --model-path Qwen/Qwen3-8B --tp 2 --kv-cache-dtype bf16 --disable-radix-cache --is-embedding --enable-dp-attention --dist-timeout 600")
	v = res[0].Values
	assert.Equal(t, "bfloat16", v.Serving.KVCacheDtype)
	assert.Equal(t, false, *v.Serving.EnablePrefixCaching)
	assert.Equal(t, values.TaskEmbed, v.Model.Task)
	assert.True(t, v.SGLang.EnableDPAttention)
	assert.Equal(t, 600, *v.SGLang.DistTimeoutSeconds)
	assert.Equal(t, 30000, v.Service.Port, "SGLang's default port")
	assert.Equal(t, "lmsysorg/sglang", mentioned([]string{"python3", "-m", "sglang.launch_server"}).Spec().Repository)
}
