// Package model turns a Hugging Face config.json (and, when available, safetensors
// headers) into the facts the sizing planner needs: architecture shape, attention kind,
// per-layer types, experts, dtype and quantization, context length, modality and pooling.
// It also estimates parameter counts and weight bytes from config.json alone and computes
// KV-cache sizes per GPU under a parallel layout. Every function is pure.
package model

// LayerKind says how one decoder layer keeps context.
type LayerKind string

const (
	// LayerFull is full attention: KV grows with every token.
	LayerFull LayerKind = "full_attention"
	// LayerSliding is sliding-window attention: KV is bounded by the window.
	LayerSliding LayerKind = "sliding_attention"
	// LayerChunked is chunked local attention (Llama 4): KV bounded by the chunk.
	LayerChunked LayerKind = "chunked_attention"
	// LayerLinear is linear attention (Qwen3-Next / Qwen3.5 gated delta net): fixed state.
	LayerLinear LayerKind = "linear_attention"
	// LayerMamba is a Mamba-2 mixer (Nemotron-H `M`): fixed state.
	LayerMamba LayerKind = "mamba"
	// LayerMLP is an MLP-only block (Nemotron-H `-`): no context state at all.
	LayerMLP LayerKind = "mlp"
	// LayerMoE is an MoE-only block (Nemotron-H `E`): no context state at all.
	LayerMoE LayerKind = "moe"
)

// GrowsWithContext reports whether the layer keeps per-token KV (bounded or not).
func (k LayerKind) GrowsWithContext() bool {
	return k == LayerFull || k == LayerSliding || k == LayerChunked
}

// Facts are what config.json says about a model, normalised across families.
type Facts struct {
	// ModelType is the top-level model_type; TextModelType the nested text_config one.
	ModelType     string
	TextModelType string
	Architectures []string
	// Known is false when model_type is not a family this package models; the generic
	// fields are then used and Warnings says so.
	Known bool

	Layers         int
	Hidden         int
	Heads          int
	KVHeads        int
	HeadDim        int
	HeadDimDerived bool // head_dim absent: hidden_size / num_attention_heads
	Intermediate   int
	Vocab          int
	TiedEmbeddings bool
	AttentionBias  bool
	// AttentionOutputGate: Qwen3-Next / Qwen3.5 gated attention doubles q_proj.
	AttentionOutputGate bool
	// QKNorm: per-head (Qwen3) or per-layer (MiniMax-M2) query/key RMSNorm.
	QKNorm         bool
	QKNormPerLayer bool

	MLA     *MLA
	Indexer *Indexer

	SlidingWindow      int
	AttentionChunkSize int
	// LayerTypes has one entry per decoder layer (len == Layers).
	LayerTypes []LayerKind

	Linear *LinearAttention
	Mamba  *Mamba
	MoE    *MoE

	// MTPLayers counts multi-token-prediction layers shipped with the checkpoint.
	MTPLayers int
	// MTPDeclared counts MTP modules the config declares; may exceed MTPLayers when the
	// published checkpoint does not ship them (MiniMax-M2).
	MTPDeclared int

	// PartialRotary is partial_rotary_factor: the share of head_dim RoPE rotates (0 = all of it).
	PartialRotary float64
	// SpatialMergeSize is a multimodal wrapper's patch merge (mistral3's spatial_merge_size at the top level).
	SpatialMergeSize int
	// UngatedMLP: the dense MLP has two matrices (fc1, fc2), not gate/up/down (ungatedMLPFamilies).
	UngatedMLP bool
	// DType is the compute dtype (torch_dtype / dtype), normalised: bfloat16, float16, float32.
	DType string
	Quant *Quantization

	MaxContext    int
	ContextReason string
	RoPE          *RoPEScaling

	Multimodal bool
	Vision     *Vision

	Embedding       bool
	EmbeddingReason string

	// Notes explain family-specific choices; Warnings are things the caller should show.
	Notes    []string
	Warnings []string
}

// MLA holds multi-head latent attention ranks (DeepSeek V2/V3/V3.2, Kimi K2, GLM-5).
type MLA struct {
	KVLoraRank    int
	QLoraRank     int // 0 = no q compression (DeepSeek-V2-Lite)
	QKRopeHeadDim int
	QKNopeHeadDim int
	VHeadDim      int
}

// LatentDim is what one token of one layer stores: kv_lora_rank + qk_rope_head_dim.
func (m *MLA) LatentDim() int { return m.KVLoraRank + m.QKRopeHeadDim }

// Indexer is DeepSeek sparse attention's lightning indexer (DeepSeek-V3.2, GLM-5).
type Indexer struct {
	Heads   int
	HeadDim int
	TopK    int
}

// LinearAttention is the gated delta net of Qwen3-Next / Qwen3.5.
type LinearAttention struct {
	ConvKernel    int
	NumKeyHeads   int
	NumValueHeads int
	KeyHeadDim    int
	ValueHeadDim  int
	// StateDType is the recurrent state dtype (mamba_ssm_dtype), "" = compute dtype.
	StateDType string
}

// Mamba is a Mamba-2 mixer (Nemotron-H).
type Mamba struct {
	NumHeads   int
	HeadDim    int
	Groups     int
	StateSize  int
	ConvKernel int
	ConvBias   bool
	ProjBias   bool
	StateDType string
}

// Inner is the mixer's inner width (num_heads × head_dim).
func (m *Mamba) Inner() int { return m.NumHeads * m.HeadDim }

// MoE describes the experts.
type MoE struct {
	Routed       int
	PerToken     int
	Intermediate int // per routed expert
	// Shared experts: SharedCount experts of SharedIntermediate each.
	SharedCount        int
	SharedIntermediate int
	// SharedGate: Qwen-style sigmoid gate on the shared expert (hidden → 1).
	SharedGate bool
	// RouterBias: DeepSeek-style e_score_correction_bias (F32) per layer.
	RouterBias bool
	// DenseLayers are decoder layers with a dense MLP instead of experts.
	DenseLayers []int
}

// Quantization is the normalised quantization_config.
type Quantization struct {
	// Method: fp8, mxfp4, nvfp4, awq, gptq, int8, bitsandbytes or the raw quant_method.
	Method string
	// Bits per weight of quantized linear layers (8 for fp8, 4 for mxfp4/nvfp4/awq/gptq).
	Bits int
	// GroupSize for group-wise scales (awq/gptq 128, mxfp4 32, nvfp4 16); 0 = none.
	GroupSize int
	// WeightBlock is fp8 block quantization's [rows, cols] (DeepSeek [128,128]); zero = per tensor/channel.
	WeightBlock [2]int
	ZeroPoint   bool
	Format      string
	// Ignore lists modules kept unquantized (modules_to_not_convert, ignored_layers, ignore, exclude_modules).
	Ignore []string
	// KVCacheFP8 is true when the checkpoint asks for an fp8 KV cache (kv_cache_scheme / kv_cache_quant_algo).
	KVCacheFP8 bool
}

// RoPEScaling is rope_scaling / rope_parameters.
type RoPEScaling struct {
	Type     string
	Factor   float64
	Original int
}

// Vision is the subset of vision_config the parameter count needs.
type Vision struct {
	ModelType          string
	Depth              int
	Hidden             int
	Intermediate       int
	Heads              int
	PatchSize          int
	TemporalPatchSize  int
	InChannels         int
	SpatialMergeSize   int
	OutHidden          int
	PositionEmbeddings int
	DeepstackMergers   int
	// ImageSize is the tower's input side in pixels; PosEmbHeight/Width MoonViT's learned position grid;
	// FeatureLayers how many of its layers llava_next concatenates (vision_feature_layer as a list); ProjectorDim
	// Llama 4's pixel-shuffle MLP width.
	ImageSize                 int
	PosEmbHeight, PosEmbWidth int
	FeatureLayers             int
	ProjectorDim              int
}
