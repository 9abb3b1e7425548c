package model

import (
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
)

// Task overrides pooling detection.
type Task string

const (
	TaskAuto     Task = ""
	TaskGenerate Task = "generate"
	TaskEmbed    Task = "embed"
)

// ParseOptions carry what is known besides config.json.
type ParseOptions struct {
	// Name is the model id or directory name ("Qwen/Qwen3-Embedding-8B"); used for embedding detection.
	Name string
	// Files lists the repository's file names when the source knows them
	// (sentence-transformers' modules.json / sentence_bert_config.json mark embedding models).
	Files []string
	// Task forces generation or embedding; TaskAuto detects.
	Task Task
}

// knownTypes are the model_type values whose layout this package models. Others fall
// back to the generic (Llama-like) fields with a warning.
var knownTypes = map[string]bool{
	"llama": true, "mistral": true, "qwen2": true, "qwen3": true, "qwen3_moe": true,
	"qwen3_next": true, "qwen3_5": true, "qwen3_5_moe": true, "qwen3_vl": true, "qwen3_vl_moe": true,
	"mixtral": true, "deepseek_v2": true, "deepseek_v3": true, "deepseek_v32": true, "kimi_k2": true,
	"glm_moe_dsa": true, "minimax_m2": true, "gpt_oss": true, "nemotron_h": true, "llama4": true, "llama4_text": true,
	"qwen3_vl_moe_text": true, "qwen3_5_moe_text": true, "qwen3_vl_text": true, "qwen3_5_text": true,
}

// Parse reads config.json bytes into Facts. Required fields missing or of the wrong type
// give an error naming the field; unknown model types give a warning, never an error.
func Parse(data []byte, opts ParseOptions) (*Facts, error) {
	rc, err := decodeConfig(data)
	if err != nil {
		return nil, err
	}
	f := &Facts{}
	f.ModelType = rc.rootString("model_type")
	if rc.text != nil {
		if s, ok := rc.text["model_type"].(string); ok {
			f.TextModelType = s
		}
	}
	f.applyTextDefaults(rc)
	f.Architectures = rc.strings("architectures")
	if rc.root["architectures"] == nil && rc.text != nil {
		f.Architectures = nil
	}
	family := f.family()
	f.Known = knownTypes[family] || knownTypes[f.TextModelType]
	if !f.Known {
		if f.ModelType == "" {
			f.Warnings = append(f.Warnings, "config.json has no model_type; reading the generic Llama-style fields")
		} else {
			f.Warnings = append(f.Warnings, fmt.Sprintf("model_type %q is not one this tool models; reading the generic Llama-style fields, check the figures", f.ModelType))
		}
	}

	if err := f.parseShape(rc); err != nil {
		return nil, err
	}
	f.parseMLA(rc)
	f.parseMoE(rc)
	f.parseLinear(rc)
	if err := f.parseLayerTypes(rc); err != nil {
		return nil, err
	}
	f.parseMTP(rc)
	f.parseDType(rc)
	f.parseQuant(rc)
	f.parseContext(rc)
	f.parseVision(rc)
	f.detectEmbedding(opts)
	bounds := map[string][2]int{"max_position_embeddings (the context after RoPE scaling)": {f.MaxContext, maxContext}}
	if f.MoE != nil {
		bounds["num_experts"] = [2]int{f.MoE.Routed, maxExperts}
	}
	if err := plausible(bounds); err != nil {
		rc.fail(err)
	}
	if errs := *rc.errs; len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return f, nil
}

// textDefaults are fields transformers' config class of a text model fills in when config.json leaves them out, and
// that decide the model's size: published Gemma 3 configs carry only the fields that differ from Gemma3TextConfig's
// defaults (transformers models/gemma3/configuration_gemma3.py: vocab_size 262208, 8 attention heads, 4 KV heads,
// head_dim 256, max_position_embeddings 131072, and every sixth layer full attention, the rest sliding:
// sliding_window_pattern 6; vLLM v0.19.0 logs 36,560 KV tokens for gemma-3-27b-it's 19.53 GiB, exactly 10 full and
// 52 sliding layers in its hybrid groups).
var textDefaults = map[string]map[string]any{
	"gemma3_text": {"vocab_size": json.Number("262208"), "num_attention_heads": json.Number("8"), "num_key_value_heads": json.Number("4"),
		"head_dim": json.Number("256"), "max_position_embeddings": json.Number("131072"), "sliding_window_pattern": json.Number("6")},
}

// applyTextDefaults fills what the text model's config class defaults (textDefaults) into the config it reads, with a
// note per field.
func (f *Facts) applyTextDefaults(rc *rawConfig) {
	typ := f.TextModelType
	if typ == "" {
		typ = f.ModelType
	}
	defaults := textDefaults[typ]
	if len(defaults) == 0 {
		return
	}
	target := rc.root
	if rc.text != nil {
		target = rc.text
	}
	keys := make([]string, 0, len(defaults))
	for k := range defaults {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if rc.has(k) {
			continue
		}
		target[k] = defaults[k]
		f.note("%s absent: %v, the default of transformers' %s config", k, defaults[k], typ)
	}
}

// untiedFamilies are the text model types whose transformers config class defaults tie_word_embeddings to false
// (LlamaConfig, MistralConfig, MixtralConfig, Qwen2Config, Qwen3Config, Phi3Config, PhiConfig, DeepseekV2/V3Config,
// GptOssConfig, ...): a config.json that leaves the key out has an untied lm_head.
var untiedFamilies = map[string]bool{"llama": true, "mistral": true, "mixtral": true, "qwen2": true, "qwen2_moe": true,
	"qwen3": true, "qwen3_moe": true, "phi": true, "phi3": true, "deepseek_v2": true, "deepseek_v3": true, "gpt_oss": true,
	"granite": true, "granitemoe": true, "starcoder2": true, "olmo2": true, "cohere": true}

// ungatedMLPFamilies have a two-matrix MLP (fc1 → activation → fc2) instead of the gated three (gate, up, down):
// Phi-1/2, GPT-2/NeoX/BigCode, StarCoder2, OPT, Falcon, BLOOM, MPT and the BERT family.
var ungatedMLPFamilies = map[string]bool{"phi": true, "gpt2": true, "gpt_neox": true, "gpt_bigcode": true, "starcoder2": true,
	"opt": true, "falcon": true, "bloom": true, "mpt": true, "bert": true, "roberta": true, "xlm-roberta": true, "nomic_bert": true}

// family is model_type, with a few aliases folded in.
func (f *Facts) family() string {
	switch f.ModelType {
	case "deepseek_v32", "glm_moe_dsa", "kimi_k2", "deepseek_v3", "deepseek_v2":
		return f.ModelType
	}
	if f.ModelType == "" && f.TextModelType != "" {
		return strings.TrimSuffix(f.TextModelType, "_text")
	}
	return f.ModelType
}

// Family returns the normalised model family (model_type, or the text model's type without "_text").
func (f *Facts) Family() string { return f.family() }

func (f *Facts) note(format string, args ...any) {
	f.Notes = append(f.Notes, fmt.Sprintf(format, args...))
}

func (f *Facts) warn(format string, args ...any) {
	f.Warnings = append(f.Warnings, fmt.Sprintf(format, args...))
}

func requireInt(rc *rawConfig, keys ...string) (int, error) {
	n, _, ok := rc.firstInt(keys...)
	if ok && n > 0 {
		return n, nil
	}
	if len(*rc.errs) > 0 {
		return 0, errors.Join(*rc.errs...)
	}
	alt := ""
	if len(keys) > 1 {
		alt = fmt.Sprintf(" (also looked for %s)", strings.Join(keys[1:], ", "))
	}
	if ok {
		return 0, fmt.Errorf("config.json: field %q must be a positive integer, got 0", keys[0])
	}
	return 0, fmt.Errorf("config.json: missing required field %q%s", keys[0], alt)
}

func (f *Facts) parseShape(rc *rawConfig) error {
	var err error
	if f.Layers, err = requireInt(rc, "num_hidden_layers", "n_layer", "num_layers", "n_layers"); err != nil {
		return err
	}
	if f.Hidden, err = requireInt(rc, "hidden_size", "d_model", "n_embd", "dim"); err != nil {
		return err
	}
	if f.Heads, err = requireInt(rc, "num_attention_heads", "n_head", "n_heads", "num_heads"); err != nil {
		return err
	}
	if f.Vocab, err = requireInt(rc, "vocab_size", "padded_vocab_size", "n_vocab"); err != nil {
		return err
	}
	if err := plausible(map[string][2]int{
		"num_hidden_layers":   {f.Layers, maxLayers},
		"hidden_size":         {f.Hidden, maxHidden},
		"num_attention_heads": {f.Heads, maxHeads},
		"vocab_size":          {f.Vocab, maxVocab},
	}); err != nil {
		return err
	}
	f.KVHeads = f.Heads
	if n, key, ok := rc.firstInt("num_key_value_heads", "n_kv_heads", "num_kv_heads", "multi_query_group_num"); ok {
		if n == 0 || n > f.Heads || f.Heads%n != 0 {
			return fmt.Errorf("config.json: %s (%d) must be between 1 and num_attention_heads (%d) and divide it", key, n, f.Heads)
		}
		f.KVHeads = n
	}
	if n, _, ok := rc.firstInt("head_dim", "attention_head_dim", "kv_channels"); ok && n > 0 {
		f.HeadDim = n
	} else {
		if f.Hidden%f.Heads != 0 {
			return fmt.Errorf("config.json: head_dim is absent and hidden_size (%d) is not a multiple of num_attention_heads (%d)", f.Hidden, f.Heads)
		}
		f.HeadDim = f.Hidden / f.Heads
		f.HeadDimDerived = true
	}
	f.Intermediate, _, _ = rc.firstInt("intermediate_size", "ffn_hidden_size", "n_inner", "ffn_dim")
	if err := plausible(map[string][2]int{"head_dim": {f.HeadDim, maxHeadDim}, "intermediate_size": {f.Intermediate, maxIntermediate}}); err != nil {
		return err
	}
	text := f.TextModelType
	if text == "" {
		text = f.ModelType
	}
	f.UngatedMLP = ungatedMLPFamilies[text]
	if pr, ok := rc.float("partial_rotary_factor"); ok && pr > 0 && pr <= 1 {
		f.PartialRotary = pr
	}
	if tied, ok := rc.bool("tie_word_embeddings"); ok {
		f.TiedEmbeddings = tied
	} else if untiedFamilies[text] {
		f.note("tie_word_embeddings absent: false, the default of transformers' %s config (a separate lm_head)", text)
	} else {
		// transformers' PretrainedConfig default is True; most LLM configs set it explicitly.
		f.TiedEmbeddings = true
		f.note("tie_word_embeddings absent: assuming true, the transformers default")
	}
	f.AttentionBias, _ = rc.bool("attention_bias")
	if b, ok := rc.bool("qkv_bias"); ok && b {
		f.AttentionBias = true
	}
	fam := f.family()
	switch fam {
	case "qwen2":
		// Qwen2 has q/k/v biases without saying so in config.json.
		f.AttentionBias = true
	case "qwen3", "qwen3_moe", "qwen3_next", "qwen3_5", "qwen3_5_moe", "qwen3_vl", "qwen3_vl_moe":
		f.QKNorm = true
	case "minimax_m2":
		if b, _ := rc.bool("use_qk_norm"); b {
			f.QKNorm = true
			if t, _ := rc.string("qk_norm_type"); t == "per_layer" {
				f.QKNormPerLayer = true
			}
		}
	}
	if g, ok := rc.bool("attn_output_gate"); ok {
		f.AttentionOutputGate = g
	} else if fam == "qwen3_next" {
		f.AttentionOutputGate = true // Qwen3-Next gated attention, always on
	}
	return nil
}

func (f *Facts) parseMLA(rc *rawConfig) {
	kv, ok := rc.int("kv_lora_rank")
	if !ok || kv == 0 {
		return
	}
	m := &MLA{KVLoraRank: kv}
	m.QLoraRank = rc.intOr("q_lora_rank", 0)
	m.QKRopeHeadDim = rc.intOr("qk_rope_head_dim", 64)
	m.QKNopeHeadDim = rc.intOr("qk_nope_head_dim", 128)
	m.VHeadDim = rc.intOr("v_head_dim", m.QKNopeHeadDim)
	f.MLA = m
	f.note("MLA (kv_lora_rank %d): the engine sees 1 KV head whatever num_key_value_heads says (%d)", kv, f.KVHeads)
	if n, ok := rc.int("index_n_heads"); ok && n > 0 {
		f.Indexer = &Indexer{Heads: n, HeadDim: rc.intOr("index_head_dim", 128), TopK: rc.intOr("index_topk", 2048)}
	}
}

func (f *Facts) parseMoE(rc *rawConfig) {
	routed, _, ok := rc.firstInt("n_routed_experts", "num_experts", "num_local_experts", "moe_num_experts")
	if !ok || routed <= 1 {
		return
	}
	m := &MoE{Routed: routed}
	m.PerToken, _, _ = rc.firstInt("num_experts_per_tok", "experts_per_token", "moe_topk", "num_experts_per_token")
	if m.PerToken == 0 {
		f.warn("MoE config has no num_experts_per_tok; active parameters unknown")
	}
	if n, ok := rc.int("moe_intermediate_size"); ok && n > 0 {
		m.Intermediate = n
	} else {
		m.Intermediate = f.Intermediate // Mixtral, gpt-oss, MiniMax: intermediate_size is per expert
	}
	if n, ok := rc.int("n_shared_experts"); ok && n > 0 {
		m.SharedCount, m.SharedIntermediate = n, m.Intermediate
	}
	if n, ok := rc.int("shared_expert_intermediate_size"); ok && n > 0 {
		m.SharedCount, m.SharedIntermediate, m.SharedGate = 1, n, true
	}
	if n, ok := rc.int("shared_intermediate_size"); ok && n > 0 {
		m.SharedCount, m.SharedIntermediate = 1, n
	}
	if n, ok := rc.int("moe_shared_expert_intermediate_size"); ok && n > 0 {
		// Nemotron-3 (nemotron_h with experts): n_shared_experts of this width.
		m.SharedCount, m.SharedIntermediate = max(1, rc.intOr("n_shared_experts", 1)), n
	}
	fam := f.family()
	switch fam {
	case "llama4":
		// Llama 4 (transformers Llama4TextConfig, vLLM models/llama4.py): intermediate_size is each routed
		// expert's width and also the one shared expert's; dense layers use intermediate_size_mlp.
		m.SharedCount, m.SharedIntermediate = 1, m.Intermediate
		if n, ok := rc.int("intermediate_size_mlp"); ok && n > 0 {
			f.Intermediate = n
		}
	case "deepseek_v2", "deepseek_v3", "deepseek_v32", "kimi_k2", "glm_moe_dsa", "glm4_moe":
		m.RouterBias = fam != "deepseek_v2"
	case "minimax_m2":
		if b, _ := rc.bool("use_routing_bias"); b {
			m.RouterBias = true
		}
	}
	firstDense := rc.intOr("first_k_dense_replace", 0)
	freq := rc.intOr("moe_layer_freq", 1)
	step := rc.intOr("decoder_sparse_step", 1)
	if n, ok := rc.int("interleave_moe_layer_step"); ok && n > 1 {
		// Llama 4 Maverick: MoE on layers (i+1) % step == 0, dense MLP on the others (vLLM llama4.py is_moe_layer).
		step = n
	}
	only := rc.ints("mlp_only_layers")
	for i := 0; i < f.Layers; i++ {
		dense := i < firstDense
		if freq > 1 && i%freq != 0 {
			dense = true
		}
		if step > 1 && (i+1)%step != 0 {
			dense = true
		}
		if slices.Contains(only, i) {
			dense = true
		}
		if dense {
			m.DenseLayers = append(m.DenseLayers, i)
		}
	}
	if len(m.DenseLayers) > 0 && f.Intermediate == 0 {
		f.warn("dense layers %v need intermediate_size, which is absent", m.DenseLayers)
	}
	f.MoE = m
}

func (f *Facts) parseLinear(rc *rawConfig) {
	if nv, ok := rc.int("linear_num_value_heads"); ok && nv > 0 {
		la := &LinearAttention{NumValueHeads: nv}
		la.NumKeyHeads = rc.intOr("linear_num_key_heads", nv)
		la.KeyHeadDim = rc.intOr("linear_key_head_dim", 128)
		la.ValueHeadDim = rc.intOr("linear_value_head_dim", 128)
		la.ConvKernel = rc.intOr("linear_conv_kernel_dim", 4)
		la.StateDType, _ = rc.string("mamba_ssm_dtype")
		la.StateDType = normDType(la.StateDType)
		f.Linear = la
	}
	if nh, ok := rc.int("mamba_num_heads"); ok && nh > 0 {
		m := &Mamba{NumHeads: nh}
		m.HeadDim = rc.intOr("mamba_head_dim", 64)
		m.Groups = rc.intOr("n_groups", 1)
		m.StateSize = rc.intOr("ssm_state_size", 128)
		m.ConvKernel = rc.intOr("conv_kernel", 4)
		m.ConvBias, _ = rc.bool("use_conv_bias")
		m.ProjBias, _ = rc.bool("mamba_proj_bias")
		m.StateDType, _ = rc.string("mamba_ssm_dtype")
		m.StateDType = normDType(m.StateDType)
		f.Mamba = m
	}
}

func (f *Facts) parseMTP(rc *rawConfig) {
	if n, ok := rc.int("num_nextn_predict_layers"); ok {
		f.MTPLayers, f.MTPDeclared = n, n
	}
	if n, ok := rc.int("mtp_num_hidden_layers"); ok {
		f.MTPLayers, f.MTPDeclared = n, n
	}
	switch f.family() {
	case "qwen3_next":
		if f.MTPDeclared == 0 {
			// Qwen3-Next ships one MTP layer (mtp.* tensors) without a config field for it.
			f.MTPLayers, f.MTPDeclared = 1, 1
			f.note("qwen3_next: counting the one MTP layer the checkpoint ships (no config field names it)")
		}
	case "minimax_m2":
		if use, _ := rc.bool("use_mtp"); use {
			f.MTPDeclared = rc.intOr("num_mtp_modules", 1)
			f.MTPLayers = 0
			f.note("minimax_m2: config declares %d MTP modules but the published checkpoint ships none (hf-mem's 228.70B total has no MTP)", f.MTPDeclared)
		}
	}
}

// Upper bounds of config.json figures: far above any published model (the largest have hidden_size 16384-25600,
// vocabularies of about 256k, 128 heads, head_dim 512, some hundred layers), low enough that a corrupt or hand-edited
// value (hidden_size 2^40) is refused with its field named instead of planning terabytes.
const (
	maxLayers       = 4096
	maxHidden       = 1 << 17
	maxHeads        = 1 << 14
	maxVocab        = 1 << 24
	maxHeadDim      = 1 << 13
	maxIntermediate = 1 << 20
	maxExperts      = 1 << 16
	maxContext      = 1 << 27
)

// plausible checks each field's value against its upper bound, naming the first field over it (in name order).
func plausible(fields map[string][2]int) error {
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if v := fields[k]; v[0] > v[1] {
			return fmt.Errorf("config.json: %s (%d) is implausibly large (at most %d): the file is corrupt or mistyped", k, v[0], v[1])
		}
	}
	return nil
}

func normDType(s string) string {
	switch strings.ToLower(strings.TrimPrefix(s, "torch.")) {
	case "bfloat16", "bf16":
		return "bfloat16"
	case "float16", "fp16", "half":
		return "float16"
	case "float32", "fp32", "float":
		return "float32"
	case "":
		return ""
	}
	return strings.ToLower(s)
}

func (f *Facts) parseDType(rc *rawConfig) {
	s, ok := rc.string("torch_dtype")
	if !ok {
		s, ok = rc.string("dtype")
	}
	f.DType = normDType(s)
	switch {
	case (!ok || f.DType == "") && rc.object("quantization_config") == nil && rc.object("compression_config") == nil:
		// The weights' data type decides their size (2 bytes for bfloat16, 4 for float32): guessing could halve or
		// double every memory figure.
		rc.fail(errors.New(`config.json: "torch_dtype" (or "dtype") is missing: the weights' data type decides their size; add the checkpoint's type, e.g. "torch_dtype": "bfloat16"`))
		f.DType = "bfloat16"
	case !ok || f.DType == "":
		// Quantized checkpoints (e.g. gpt-oss' mxfp4) describe their weights in quantization_config; the rest is
		// kept in transformers' default compute type.
		f.DType = "bfloat16"
		f.note("torch_dtype absent: assuming bfloat16 for the layers quantization_config leaves unquantized")
	case f.DType == "float32":
		// vLLM serves float32 checkpoints in bfloat16 by default (dtype auto).
		f.note("checkpoint dtype float32: vLLM's dtype auto serves it as bfloat16")
	case f.DType != "bfloat16" && f.DType != "float16":
		f.warn("torch_dtype %q is not bfloat16, float16 or float32; assuming bfloat16", s)
		f.DType = "bfloat16"
	}
}

func (f *Facts) parseQuant(rc *rawConfig) {
	obj := rc.object("quantization_config")
	if obj == nil {
		obj = rc.object("compression_config")
	}
	if obj == nil {
		return
	}
	qc := rc.sub("quantization_config", obj)
	q := &Quantization{}
	method, _ := qc.string("quant_method")
	method = strings.ToLower(method)
	q.Format, _ = qc.string("fmt")
	for _, key := range []string{"modules_to_not_convert", "ignored_layers", "ignore", "exclude_modules"} {
		q.Ignore = append(q.Ignore, qc.strings(key)...)
	}
	if bs := qc.ints("weight_block_size"); len(bs) == 2 && bs[0] > 0 && bs[1] > 0 {
		q.WeightBlock = [2]int{bs[0], bs[1]}
	}
	switch method {
	case "fp8", "fbgemm_fp8":
		q.Method, q.Bits = "fp8", 8
	case "mxfp4":
		q.Method, q.Bits, q.GroupSize = "mxfp4", 4, 32
	case "awq", "gptq", "gptq_marlin", "awq_marlin":
		q.Method = strings.TrimSuffix(method, "_marlin")
		q.Bits = qc.intOr("bits", qc.intOr("w_bit", 4))
		q.GroupSize = qc.intOr("group_size", qc.intOr("q_group_size", 128))
		if q.Method == "awq" {
			q.ZeroPoint = true
			if zp, ok := qc.bool("zero_point"); ok {
				q.ZeroPoint = zp
			}
		} else if sym, ok := qc.bool("sym"); ok {
			q.ZeroPoint = !sym
		}
	case "modelopt", "modelopt_fp4":
		algo, _ := qc.string("quant_algo")
		if algo == "" {
			if inner := qc.object("quantization"); inner != nil {
				algo, _ = qc.sub("quantization", inner).string("quant_algo")
			}
		}
		switch strings.ToUpper(algo) {
		case "NVFP4", "NVFP4_AWQ":
			q.Method, q.Bits, q.GroupSize = "nvfp4", 4, 16
		case "FP8", "FP8_PER_CHANNEL_PER_TOKEN", "FP8_PB_WO":
			q.Method, q.Bits = "fp8", 8
		default:
			q.Method, q.Bits = "modelopt", 8
			f.warn("quantization_config.quant_algo %q is not one this tool sizes; assuming 8-bit weights", algo)
		}
		if kv, _ := qc.string("kv_cache_quant_algo"); strings.EqualFold(kv, "FP8") {
			q.KVCacheFP8 = true
		}
	case "compressed-tensors":
		f.parseCompressedTensors(qc, q)
	case "bitsandbytes":
		q.Method, q.Bits = "bitsandbytes", 8
		if b, _ := qc.bool("load_in_4bit"); b {
			q.Bits, q.GroupSize = 4, 64
		}
	case "":
		if len(obj) == 0 {
			return
		}
		f.warn("quantization_config has no quant_method; ignoring it")
		return
	default:
		q.Method = method
		q.Bits = qc.intOr("bits", 8)
		f.warn("quantization_config.quant_method %q is not one this tool sizes; assuming %d-bit weights", method, q.Bits)
	}
	f.Quant = q
}

func (f *Facts) parseCompressedTensors(qc *rawConfig, q *Quantization) {
	q.Method, q.Bits = "compressed-tensors", 8
	if format, ok := qc.string("format"); ok {
		q.Format = format
	}
	if kv := qc.object("kv_cache_scheme"); kv != nil {
		if t, _ := qc.sub("kv_cache_scheme", kv).string("type"); t == "float" {
			q.KVCacheFP8 = true
		}
	}
	groups := qc.object("config_groups")
	for name, g := range groups {
		gm, ok := g.(map[string]any)
		if !ok {
			continue
		}
		gc := qc.sub("config_groups."+name, gm)
		w := gc.object("weights")
		if w == nil {
			continue
		}
		wc := gc.sub("weights", w)
		bits := wc.intOr("num_bits", 8)
		typ, _ := wc.string("type")
		q.Bits = bits
		q.GroupSize = wc.intOr("group_size", 0)
		switch {
		case bits == 4 && typ == "float":
			q.Method, q.GroupSize = "nvfp4", 16
		case bits == 8 && typ == "float":
			q.Method = "fp8"
			if bs := wc.ints("block_structure"); len(bs) == 2 && bs[0] > 0 && bs[1] > 0 {
				q.WeightBlock = [2]int{bs[0], bs[1]}
			}
		case typ == "int" && bits == 8 && strategy(wc) == "channel":
			// one scale per output channel, no groups, no zero points (RedHat's w8a8): the per-channel int8 formula
		case typ == "int":
			q.Method = "gptq" // packed int weights with group scales: same storage as GPTQ
			if sym, ok := wc.bool("symmetric"); ok {
				q.ZeroPoint = !sym
			}
			if q.GroupSize == 0 {
				q.GroupSize = 128
			}
		}
		break // one group describes the linear layers in every published checkpoint we know
	}
}

// strategy is a compressed-tensors weight scheme's quantization strategy (tensor, channel, group, block).
func strategy(wc *rawConfig) string {
	s, _ := wc.string("strategy")
	return s
}

// parseContext applies vLLM's rule: the smallest of the length keys, times the RoPE factor
// unless the type is su / longrope / llama3 (whose factor is already in max_position_embeddings);
// yarn starts from original_max_position_embeddings.
func (f *Facts) parseContext(rc *rawConfig) {
	keys := []string{"max_position_embeddings", "n_positions", "max_seq_len", "seq_length", "max_sequence_length", "max_seq_length", "seq_len", "model_max_length"}
	best, bestKey := 0, ""
	for _, k := range keys {
		if n, ok := rc.int(k); ok && n > 0 && (best == 0 || n < best) {
			best, bestKey = n, k
		}
	}
	if best == 0 {
		f.warn("no context-length field (%s); the context must be given explicitly", strings.Join(keys, ", "))
		return
	}
	f.MaxContext = best
	f.ContextReason = fmt.Sprintf("%s = %d", bestKey, best)
	obj := rc.object("rope_scaling")
	name := "rope_scaling"
	if obj == nil {
		obj, name = rc.object("rope_parameters"), "rope_parameters"
	}
	if obj == nil {
		return
	}
	sc := rc.sub(name, obj)
	r := &RoPEScaling{}
	r.Type, _ = sc.string("rope_type")
	if r.Type == "" {
		r.Type, _ = sc.string("type")
	}
	r.Factor, _ = sc.float("factor")
	r.Original = sc.intOr("original_max_position_embeddings", 0)
	f.RoPE = r
	switch r.Type {
	case "su", "longrope", "llama3", "default", "mrope", "":
		return
	}
	if r.Factor <= 1 {
		return
	}
	base, baseKey := best, bestKey
	if r.Type == "yarn" && r.Original > 0 {
		base, baseKey = r.Original, "original_max_position_embeddings"
	}
	derived := float64(base) * r.Factor
	if derived > 0 && derived < maxIntValue {
		f.MaxContext = int(derived)
		f.ContextReason = fmt.Sprintf("%s %d × %s.factor %g (%s)", baseKey, base, name, r.Factor, r.Type)
	}
}

func (f *Facts) parseVision(rc *rawConfig) {
	for _, k := range []string{"audio_config", "speech_config"} {
		if _, ok := rc.root[k].(map[string]any); ok {
			f.Multimodal = true
		}
	}
	obj, ok := rc.root["vision_config"].(map[string]any)
	if !ok {
		return
	}
	f.Multimodal = true
	vc := rc.sub("vision_config", obj)
	v := &Vision{}
	v.ModelType, _ = vc.string("model_type")
	v.Depth, _, _ = vc.firstInt("depth", "num_hidden_layers")
	v.Hidden, _, _ = vc.firstInt("hidden_size", "embed_dim")
	v.Intermediate, _ = vc.int("intermediate_size")
	v.Heads, _, _ = vc.firstInt("num_heads", "num_attention_heads")
	v.PatchSize, _ = vc.int("patch_size")
	v.TemporalPatchSize = vc.intOr("temporal_patch_size", 1)
	v.InChannels = vc.intOr("in_channels", 3)
	v.SpatialMergeSize = vc.intOr("spatial_merge_size", 1)
	v.OutHidden, _ = vc.int("out_hidden_size")
	v.PositionEmbeddings, _ = vc.int("num_position_embeddings")
	v.DeepstackMergers = len(vc.ints("deepstack_visual_indexes"))
	v.InChannels = vc.intOr("num_channels", v.InChannels)
	v.ImageSize, _ = vc.int("image_size")
	v.PosEmbHeight, _ = vc.int("init_pos_emb_height")
	v.PosEmbWidth, _ = vc.int("init_pos_emb_width")
	v.ProjectorDim, _ = vc.int("projector_input_dim")
	v.FeatureLayers = 1
	if raw, _, ok := rc.lookup("vision_feature_layer"); ok {
		if list, isList := raw.([]any); isList {
			v.FeatureLayers = max(1, len(list)) // llava_next concatenates the listed layers' features
		}
	}
	f.SpatialMergeSize = rc.intOr("spatial_merge_size", 1)
	f.Vision = v
}

// detectEmbedding decides whether this is a pooling (embedding) model: an explicit task
// wins, then sentence-transformers files, then architectures, then the name.
func (f *Facts) detectEmbedding(opts ParseOptions) {
	switch opts.Task {
	case TaskEmbed:
		f.Embedding, f.EmbeddingReason = true, "task embed given explicitly"
		return
	case TaskGenerate:
		f.EmbeddingReason = "task generate given explicitly"
		return
	}
	for _, file := range opts.Files {
		base := path.Base(file)
		if base == "modules.json" || base == "sentence_bert_config.json" {
			f.Embedding, f.EmbeddingReason = true, "repository has sentence-transformers file "+base
			return
		}
	}
	for _, a := range f.Architectures {
		switch {
		case strings.HasSuffix(a, "ForEmbedding") || strings.HasSuffix(a, "EmbeddingModel"):
			f.Embedding, f.EmbeddingReason = true, "architecture "+a+" is an embedding model"
			return
		case strings.HasSuffix(a, "Model") && !strings.Contains(a, "For"):
			// A bare *Model (Qwen3Model, BertModel) has no LM head: used for pooling.
			f.Embedding, f.EmbeddingReason = true, "architecture "+a+" has no LM head"
			return
		}
	}
	if strings.Contains(strings.ToLower(opts.Name), "embedding") {
		f.Embedding, f.EmbeddingReason = true, "model name "+opts.Name+" says embedding"
	}
}
