package model

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseCatalogFacts(t *testing.T) {
	cases := []struct {
		dir                      string
		layers, heads, kv, hd    int
		ctx                      int
		mla, moe, multimodal     bool
		full, sliding, lin, mamb int
		mtp                      int
		quant                    string
	}{
		{"meta-llama__Meta-Llama-3.1-8B", 32, 32, 8, 128, 131072, false, false, false, 32, 0, 0, 0, 0, ""},
		{"MiniMaxAI__MiniMax-M2.5", 62, 48, 8, 128, 196608, false, true, false, 62, 0, 0, 0, 0, "fp8"},
		{"Qwen__Qwen3-Next-80B-A3B-Thinking", 48, 16, 2, 256, 262144, false, true, false, 12, 0, 36, 0, 1, ""},
		{"Qwen__Qwen3.5-397B-A17B", 60, 32, 2, 256, 262144, false, true, true, 15, 0, 45, 0, 1, ""},
		{"Qwen__Qwen3-VL-235B-A22B-Instruct", 94, 64, 4, 128, 262144, false, true, true, 94, 0, 0, 0, 0, ""},
		{"deepseek-ai__DeepSeek-V3.2", 61, 128, 128, 56, 163840, true, true, false, 61, 0, 0, 0, 1, "fp8"},
		{"moonshotai__Kimi-K2-Instruct", 61, 64, 64, 112, 131072, true, true, false, 61, 0, 0, 0, 0, "fp8"},
		{"zai-org__GLM-5-FP8", 78, 64, 64, 64, 202752, true, true, false, 78, 0, 0, 0, 1, "fp8"},
		{"openai__gpt-oss-120b", 36, 64, 8, 64, 131072, false, true, false, 18, 18, 0, 0, 0, "mxfp4"},
		{"nvidia__Nemotron-H-56B-Base-8K", 118, 64, 8, 128, 8192, false, false, false, 10, 0, 0, 54, 0, ""},
		{"mistralai__Mixtral-8x7B-v0.1", 32, 32, 8, 128, 32768, false, true, false, 32, 0, 0, 0, 0, ""},
	}
	for _, tc := range cases {
		t.Run(tc.dir, func(t *testing.T) {
			f := loadModel(t, tc.dir)
			assert.True(t, f.Known, "warnings: %v", f.Warnings)
			assert.Equal(t, tc.layers, f.Layers)
			assert.Equal(t, tc.heads, f.Heads)
			assert.Equal(t, tc.kv, f.KVHeads)
			assert.Equal(t, tc.hd, f.HeadDim)
			assert.Equal(t, tc.ctx, f.MaxContext, f.ContextReason)
			assert.Equal(t, tc.mla, f.MLA != nil)
			assert.Equal(t, tc.moe, f.MoE != nil)
			assert.Equal(t, tc.multimodal, f.Multimodal)
			assert.Equal(t, tc.full, f.CountLayers(LayerFull))
			assert.Equal(t, tc.sliding, f.CountLayers(LayerSliding))
			assert.Equal(t, tc.lin, f.CountLayers(LayerLinear))
			assert.Equal(t, tc.mamb, f.CountLayers(LayerMamba))
			assert.Equal(t, tc.mtp, f.MTPLayers)
			if tc.quant == "" {
				assert.Nil(t, f.Quant)
			} else {
				require.NotNil(t, f.Quant)
				assert.Equal(t, tc.quant, f.Quant.Method)
			}
			assert.False(t, f.Embedding)
		})
	}
}

func TestParseDetails(t *testing.T) {
	ds := loadModel(t, "deepseek-ai__DeepSeek-V3.2")
	require.NotNil(t, ds.MLA)
	assert.Equal(t, 576, ds.MLA.LatentDim())
	assert.Equal(t, []int{0, 1, 2}, ds.MoE.DenseLayers)
	assert.Equal(t, [2]int{128, 128}, ds.Quant.WeightBlock)
	require.NotNil(t, ds.Indexer)
	assert.Equal(t, 128, ds.Indexer.HeadDim)
	assert.Equal(t, "yarn", ds.RoPE.Type)

	glm := loadModel(t, "zai-org__GLM-5-FP8")
	assert.Len(t, glm.Quant.Ignore, 712)
	assert.Equal(t, "bfloat16", glm.DType, "transformers v5 'dtype' key")

	q35 := loadModel(t, "Qwen__Qwen3.5-397B-A17B")
	assert.Equal(t, "qwen3_5_moe_text", q35.TextModelType)
	assert.Equal(t, "float32", q35.Linear.StateDType)
	assert.True(t, q35.AttentionOutputGate)
	assert.Equal(t, 1024, q35.MoE.SharedIntermediate)

	nem := loadModel(t, "nvidia__Nemotron-H-56B-Base-8K")
	require.NotNil(t, nem.Mamba)
	assert.Equal(t, 16384, nem.Mamba.Inner())
	assert.Equal(t, 54, nem.CountLayers(LayerMLP))

	mm := loadModel(t, "MiniMaxAI__MiniMax-M2.5")
	assert.Equal(t, 3, mm.MTPDeclared)
	assert.Equal(t, 0, mm.MTPLayers)
	assert.Equal(t, "bfloat16", mm.DType)
	assert.Contains(t, mm.Quant.Ignore, "gate")

	oss := loadModel(t, "openai__gpt-oss-120b")
	assert.Equal(t, 128, oss.SlidingWindow)
	assert.Equal(t, LayerSliding, oss.LayerTypes[0])
	assert.Equal(t, LayerFull, oss.LayerTypes[1])
}

func TestParseErrors(t *testing.T) {
	cases := []struct{ name, json, want string }{
		{"empty", ``, "empty"},
		{"not json", `{`, "not valid JSON"},
		{"array", `[]`, "must be a JSON object"},
		{"missing layers", `{"hidden_size":8,"num_attention_heads":2,"vocab_size":10}`, `missing required field "num_hidden_layers"`},
		{"string layers", `{"num_hidden_layers":"32","hidden_size":8,"num_attention_heads":2,"vocab_size":10}`, `"num_hidden_layers": must be a number`},
		{"negative", `{"num_hidden_layers":-1,"hidden_size":8,"num_attention_heads":2,"vocab_size":10}`, "num_hidden_layers"},
		{"fraction", `{"num_hidden_layers":1.5,"hidden_size":8,"num_attention_heads":2,"vocab_size":10}`, "whole number"},
		{"zero heads", `{"num_hidden_layers":2,"hidden_size":8,"num_attention_heads":0,"vocab_size":10}`, `"num_attention_heads" must be a positive integer`},
		{"kv not dividing", `{"num_hidden_layers":2,"hidden_size":8,"num_attention_heads":4,"num_key_value_heads":3,"vocab_size":10}`, "num_key_value_heads (3)"},
		{"bad pattern", `{"model_type":"nemotron_h","num_hidden_layers":2,"hidden_size":8,"num_attention_heads":2,"vocab_size":10,"hybrid_override_pattern":"MX"}`, "hybrid_override_pattern[1]"},
		{"pattern length", `{"model_type":"nemotron_h","num_hidden_layers":3,"hidden_size":8,"num_attention_heads":2,"vocab_size":10,"hybrid_override_pattern":"M*"}`, "has 2 entries"},
		{"layer_types length", `{"num_hidden_layers":3,"hidden_size":8,"num_attention_heads":2,"vocab_size":10,"layer_types":["full_attention"]}`, "layer_types has 1 entries"},
		{"quant type", `{"num_hidden_layers":2,"hidden_size":8,"num_attention_heads":2,"vocab_size":10,"quantization_config":{"quant_method":7}}`, `"quantization_config.quant_method": must be a string`},
		{"head dim", `{"num_hidden_layers":2,"hidden_size":9,"num_attention_heads":2,"vocab_size":10}`, "head_dim is absent"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.json), ParseOptions{})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestParseUnknownModelTypeWarns(t *testing.T) {
	f, err := Parse([]byte(`{"model_type":"brand_new","torch_dtype":"bfloat16","num_hidden_layers":4,"hidden_size":64,"num_attention_heads":8,"vocab_size":100,"intermediate_size":128,"max_position_embeddings":2048}`), ParseOptions{})
	require.NoError(t, err)
	assert.False(t, f.Known)
	require.NotEmpty(t, f.Warnings)
	assert.Contains(t, f.Warnings[0], "brand_new")
	assert.Equal(t, 8, f.HeadDim)
	assert.True(t, f.HeadDimDerived)
	assert.Equal(t, 8, f.KVHeads, "MHA default")
	assert.Greater(t, EstimateParams(f).Params, int64(0))
}

func TestContextLength(t *testing.T) {
	base := `{"model_type":"llama","torch_dtype":"bfloat16","num_hidden_layers":2,"hidden_size":64,"num_attention_heads":4,"vocab_size":100,"max_position_embeddings":%d,"rope_scaling":%s}`
	cases := []struct {
		name string
		max  int
		rope string
		want int
	}{
		{"none", 4096, "null", 4096},
		{"linear", 4096, `{"type":"linear","factor":2.0}`, 8192},
		{"dynamic", 196608, `{"type":"dynamic","factor":1.5,"original_max_position_embeddings":196608}`, 294912},
		{"llama3 not multiplied", 131072, `{"rope_type":"llama3","factor":8.0,"original_max_position_embeddings":8192}`, 131072},
		{"longrope not multiplied", 131072, `{"type":"longrope","factor":32}`, 131072},
		{"yarn from original", 163840, `{"type":"yarn","factor":40,"original_max_position_embeddings":4096}`, 163840},
		{"yarn extends", 32768, `{"rope_type":"yarn","factor":4.0,"original_max_position_embeddings":32768}`, 131072},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse([]byte(sprintf(base, tc.max, tc.rope)), ParseOptions{})
			require.NoError(t, err)
			assert.Equal(t, tc.want, f.MaxContext, f.ContextReason)
		})
	}
	// The smallest length key wins (vLLM).
	f, err := Parse([]byte(`{"torch_dtype":"bfloat16","num_hidden_layers":2,"hidden_size":64,"num_attention_heads":4,"vocab_size":100,"max_position_embeddings":8192,"seq_length":4096}`), ParseOptions{})
	require.NoError(t, err)
	assert.Equal(t, 4096, f.MaxContext)
}

func TestLayerTypeRules(t *testing.T) {
	mk := func(extra string) *Facts {
		f, err := Parse([]byte(`{"torch_dtype":"bfloat16","num_hidden_layers":6,"hidden_size":64,"num_attention_heads":4,"vocab_size":100`+extra+`}`), ParseOptions{})
		require.NoError(t, err)
		return f
	}
	assert.Equal(t, 6, mk(`,"model_type":"mistral","sliding_window":4096`).CountLayers(LayerSliding), "mistral: every layer slides")
	assert.Equal(t, 0, mk(`,"model_type":"qwen3","sliding_window":4096,"use_sliding_window":false`).CountLayers(LayerSliding))
	assert.Equal(t, 2, mk(`,"model_type":"qwen2","sliding_window":4096,"use_sliding_window":true,"max_window_layers":4`).CountLayers(LayerSliding))
	assert.Equal(t, 5, mk(`,"model_type":"gemma3_text","sliding_window":1024,"sliding_window_pattern":6`).CountLayers(LayerSliding))
	assert.Equal(t, 3, mk(`,"attn_type_list":[0,1,0,1,0,1]`).CountLayers(LayerLinear))
	f := mk(`,"model_type":"llama4_text","attention_chunk_size":8192,"no_rope_layers":[1,1,1,0,1,1]`)
	assert.Equal(t, 5, f.CountLayers(LayerChunked))
	_, err := Parse([]byte(`{"num_hidden_layers":2,"hidden_size":64,"num_attention_heads":4,"vocab_size":100,"layer_types":["sliding_attention","full_attention"]}`), ParseOptions{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "sliding_window is absent")
}

func TestEmbeddingDetection(t *testing.T) {
	cfg := `{"model_type":"qwen3","torch_dtype":"bfloat16","architectures":[%q],"num_hidden_layers":2,"hidden_size":64,"num_attention_heads":4,"vocab_size":100}`
	cases := []struct {
		name string
		arch string
		opts ParseOptions
		want bool
		why  string
	}{
		{"causal lm", "Qwen3ForCausalLM", ParseOptions{Name: "Qwen/Qwen3-8B"}, false, ""},
		{"bare model", "Qwen3Model", ParseOptions{}, true, "no LM head"},
		{"for embedding", "Qwen3ForEmbedding", ParseOptions{}, true, "embedding model"},
		{"sentence-transformers", "Qwen3ForCausalLM", ParseOptions{Files: []string{"config.json", "modules.json"}}, true, "modules.json"},
		{"sbert config", "Qwen3ForCausalLM", ParseOptions{Files: []string{"1_Pooling/config.json", "sentence_bert_config.json"}}, true, "sentence_bert_config.json"},
		{"name", "Qwen3VLForConditionalGeneration", ParseOptions{Name: "Qwen/Qwen3-VL-Embedding-8B"}, true, "name"},
		{"explicit embed", "Qwen3ForCausalLM", ParseOptions{Task: TaskEmbed}, true, "explicitly"},
		{"explicit generate wins", "Qwen3Model", ParseOptions{Task: TaskGenerate, Files: []string{"modules.json"}}, false, "explicitly"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse([]byte(sprintf(cfg, tc.arch)), tc.opts)
			require.NoError(t, err)
			assert.Equal(t, tc.want, f.Embedding, f.EmbeddingReason)
			assert.Contains(t, f.EmbeddingReason, tc.why)
		})
	}
}

func TestSanitizeNonFinite(t *testing.T) {
	in := `{"a":[0.0, Infinity, -Infinity, NaN],"s":"Infinity NaN"}`
	out := string(sanitizeNonFinite([]byte(in)))
	assert.Equal(t, `{"a":[0.0, null, null, null],"s":"Infinity NaN"}`, out)
	assert.False(t, strings.Contains(out, "[0.0, Inf"))
}

// TestParseRefusesImplausibleConfigs: a missing dtype (without a quantization_config that describes the weights)
// and absurd figures fail, naming the field.
func TestParseRefusesImplausibleConfigs(t *testing.T) {
	base := `"model_type":"llama","num_hidden_layers":2,"hidden_size":64,"num_attention_heads":4,"vocab_size":100`
	for name, c := range map[string]struct{ cfg, want string }{
		"missing dtype":     {`{` + base + `}`, `"torch_dtype" (or "dtype") is missing`},
		"hidden 2^40":       {`{"torch_dtype":"bfloat16","model_type":"llama","num_hidden_layers":2,"hidden_size":1099511627776,"num_attention_heads":4,"vocab_size":100}`, "hidden_size (1099511627776) is implausibly large"},
		"vocab":             {`{"torch_dtype":"bfloat16",` + base[:len(base)-3] + `999999999}`, "vocab_size (999999999) is implausibly large"},
		"experts":           {`{"torch_dtype":"bfloat16",` + base + `,"num_experts":10000000,"num_experts_per_tok":2}`, "num_experts (10000000) is implausibly large"},
		"context":           {`{"torch_dtype":"bfloat16",` + base + `,"max_position_embeddings":1000000000000}`, "max_position_embeddings (the context after RoPE scaling) (1000000000000) is implausibly large"},
		"intermediate size": {`{"torch_dtype":"bfloat16",` + base + `,"intermediate_size":100000000}`, "intermediate_size (100000000) is implausibly large"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Parse([]byte(c.cfg), ParseOptions{})
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
	// A quantized checkpoint without torch_dtype (gpt-oss) is planned: quantization_config describes its weights.
	_, err := Parse([]byte(`{`+base+`,"quantization_config":{"quant_method":"mxfp4"}}`), ParseOptions{})
	require.NoError(t, err)
}
