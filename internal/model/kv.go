package model

import (
	"fmt"
	"strings"
)

// Layout is a parallel layout of one model replica.
type Layout struct {
	TP  int // tensor parallel size
	PP  int // pipeline parallel size
	DCP int // decode context parallel size
}

func (l Layout) norm() Layout {
	if l.TP < 1 {
		l.TP = 1
	}
	if l.PP < 1 {
		l.PP = 1
	}
	if l.DCP < 1 {
		l.DCP = 1
	}
	return l
}

// KVOptions are the engine settings the KV cache depends on.
type KVOptions struct {
	// DType is vLLM's --kv-cache-dtype: auto, bfloat16, float16, fp8, fp8_e4m3, fp8_e5m2, fp8_ds_mla.
	// auto keeps the compute dtype (bf16 even for fp8 checkpoints).
	DType string
	// MaxNumBatchedTokens bounds sliding-window reservations (vLLM default 8192 when 0).
	MaxNumBatchedTokens int
	// BlockSize is the KV page size in tokens (vLLM default 16 when 0).
	BlockSize int
}

// Defaults used when KVOptions leaves a field zero.
const (
	DefaultMaxNumBatchedTokens = 8192
	DefaultBlockSize           = 16
)

// KVDType is the resolved KV cache dtype and its size.
type KVDType struct {
	Name   string // bfloat16, float16, fp8_e4m3, fp8_e5m2, fp8_ds_mla
	Bytes  int    // per element
	Reason string
}

// ResolveKVDType applies vLLM's rules: auto = compute dtype (bf16 even for fp8 checkpoints,
// unless the checkpoint carries an fp8 kv_cache_scheme); fp8 variants are 1 byte; on
// DeepSeek-V3.2 / GLM-5 (sparse MLA) any fp8 becomes fp8_ds_mla (656 bytes per token per layer).
func ResolveKVDType(f *Facts, dtype string) (KVDType, error) {
	d := strings.ToLower(strings.TrimSpace(dtype))
	sparseMLA := f.MLA != nil && f.Indexer != nil
	switch d {
	case "", "auto":
		if f.Quant != nil && f.Quant.KVCacheFP8 {
			if sparseMLA {
				return KVDType{"fp8_ds_mla", 1, "auto with an fp8 kv_cache_scheme in the checkpoint; sparse MLA uses fp8_ds_mla"}, nil
			}
			return KVDType{"fp8_e4m3", 1, "auto: the checkpoint's quantization_config asks for an fp8 KV cache"}, nil
		}
		name := f.DType
		if name == "float32" {
			name = "bfloat16"
		}
		b := 2
		return KVDType{name, b, "auto keeps the model's compute dtype " + name + " (vLLM does not use fp8 KV for fp8 weights unless asked)"}, nil
	case "bfloat16", "bf16":
		return KVDType{"bfloat16", 2, "explicit"}, nil
	case "float16", "fp16", "half":
		return KVDType{"float16", 2, "explicit"}, nil
	case "fp8", "fp8_e4m3", "fp8_e5m2", "fp8_inc", "fp8_ds_mla":
		if sparseMLA {
			return KVDType{"fp8_ds_mla", 1, "DeepSeek sparse MLA: any fp8 KV dtype becomes fp8_ds_mla"}, nil
		}
		if d == "fp8_ds_mla" {
			return KVDType{}, fmt.Errorf("kv cache dtype fp8_ds_mla needs a sparse-MLA model (DeepSeek-V3.2, GLM-5); allowed: auto, bfloat16, float16, fp8, fp8_e4m3, fp8_e5m2")
		}
		if d == "fp8" {
			d = "fp8_e4m3"
		}
		return KVDType{d, 1, "explicit"}, nil
	}
	return KVDType{}, fmt.Errorf("kv cache dtype %q is not supported; allowed: auto, bfloat16, float16, fp8, fp8_e4m3, fp8_e5m2, fp8_ds_mla", dtype)
}

// fp8DSMLABytes is FlashMLA's packed fp8_ds_mla entry: 512 fp8 latent + 4 F32 scales + 64 bf16
// rope values = 656 bytes per token per layer (vLLM flashmla_sparse backend get_kv_cache_shape).
const fp8DSMLABytes = 656

// KVLayerBytesPerToken is one layer's per-token KV bytes on one GPU (attention layers only).
// For MLA it is the latent, the same on every TP rank; for MHA/GQA each rank holds
// max(1, kv_heads/TP) heads (duplicated beyond TP = kv_heads).
func KVLayerBytesPerToken(f *Facts, tp int, kv KVDType) int64 {
	if tp < 1 {
		tp = 1
	}
	var b int64
	if f.MLA != nil {
		if kv.Name == "fp8_ds_mla" {
			b = fp8DSMLABytes
		} else {
			b = int64(f.MLA.LatentDim()) * int64(kv.Bytes)
		}
		if f.Indexer != nil {
			// DSA lightning indexer key cache: index_head_dim fp8 values + one F32 scale per 128
			// (vLLM DeepseekV32IndexerCache: head_dim + head_dim // 128 * 4 bytes, uint8).
			b += int64(f.Indexer.HeadDim + f.Indexer.HeadDim/128*4)
		}
		return b
	}
	heads := f.KVHeads / tp
	if heads < 1 {
		heads = 1
	}
	return 2 * int64(heads) * int64(f.HeadDim) * int64(kv.Bytes)
}

// KVPerToken is the full-context per-token KV of the whole model at TP=1 (all layers that
// keep KV counted as if full): the hf-mem style figure, useful as a check.
func KVPerToken(f *Facts, kv KVDType) int64 {
	n := 0
	for _, k := range f.LayerTypes {
		if k.GrowsWithContext() {
			n++
		}
	}
	return int64(n) * KVLayerBytesPerToken(f, 1, kv)
}

// StateBytesPerSequence is one linear-attention / Mamba layer's fixed state per sequence on one
// GPU: conv state (kernel−1 × conv channels) plus the recurrent state, both split across TP.
func StateBytesPerSequence(f *Facts, kind LayerKind, tp int, kv KVDType) int64 {
	if tp < 1 {
		tp = 1
	}
	compute := int64(2)
	if f.DType == "float32" {
		compute = 2 // served as bf16
	}
	stateBytes := func(d string) int64 {
		if d == "float32" {
			return 4
		}
		return compute
	}
	switch {
	case kind == LayerLinear && f.Linear != nil:
		la := f.Linear
		conv := int64(2*la.NumKeyHeads*la.KeyHeadDim+la.NumValueHeads*la.ValueHeadDim) * int64(la.ConvKernel-1)
		ssm := int64(la.NumValueHeads) * int64(la.KeyHeadDim) * int64(la.ValueHeadDim)
		return (conv*compute + ssm*stateBytes(la.StateDType)) / int64(tp)
	case kind == LayerMamba && f.Mamba != nil:
		m := f.Mamba
		conv := int64(m.Inner()+2*m.Groups*m.StateSize) * int64(m.ConvKernel-1)
		ssm := int64(m.NumHeads) * int64(m.HeadDim) * int64(m.StateSize)
		return (conv*compute + ssm*stateBytes(m.StateDType)) / int64(tp)
	}
	return 0
}

// StageLayers returns each pipeline stage's [first, end) layer range as vLLM partitions them
// (vllm/distributed/utils.py get_pp_indices: L // pp per stage, the remainder to the later stages but the last).
func StageLayers(n, pp int) [][2]int { return stageLayers(n, pp) }

// stageLayers returns the layer indices of the pipeline stage that holds the most layers
// (vLLM: L // pp per stage, the remainder to the later stages; the worst stage governs).
func stageLayers(n, pp int) [][2]int {
	if pp < 1 {
		pp = 1
	}
	base, rem := n/pp, n%pp
	out := make([][2]int, pp)
	start := 0
	for s := 0; s < pp; s++ {
		size := base
		// vLLM get_pp_indices gives the remainder to partitions[-2], [-3], ...: stages
		// pp-1-rem .. pp-2, never the last one.
		if pp > 1 && s >= pp-1-rem && s < pp-1 {
			size++
		}
		out[s] = [2]int{start, start + size}
		start += size
	}
	return out
}

// KVBytesForSequence answers: bytes of KV cache (plus fixed per-sequence state) one sequence of
// `tokens` tokens takes on the most loaded GPU of the layout.
func KVBytesForSequence(f *Facts, tokens int, l Layout, o KVOptions) (int64, error) {
	kv, err := ResolveKVDType(f, o.DType)
	if err != nil {
		return 0, err
	}
	if tokens < 0 {
		return 0, fmt.Errorf("tokens must be non-negative, got %d", tokens)
	}
	if err := validateLayout(f, l); err != nil {
		return 0, err
	}
	l = l.norm()
	mnbt := o.MaxNumBatchedTokens
	if mnbt <= 0 {
		mnbt = DefaultMaxNumBatchedTokens
	}
	bs := o.BlockSize
	if bs <= 0 {
		bs = DefaultBlockSize
	}
	perLayer := KVLayerBytesPerToken(f, l.TP, kv)
	var worst int64
	for _, st := range stageLayers(f.Layers, l.PP) {
		var total int64
		var c kindCounts
		for i := st[0]; i < st[1]; i++ {
			c.add(f.LayerTypes[i])
		}
		c.pad()
		for k, n := range c.n {
			if n > 0 {
				total += int64(n) * layerBytes(f, kindOrder[k], tokens, perLayer, l, kv, mnbt, bs)
			}
		}
		if total > worst {
			worst = total
		}
	}
	return worst, nil
}

// kindOrder indexes kindCounts; the first three keep per-token KV.
var kindOrder = [...]LayerKind{LayerFull, LayerSliding, LayerChunked, LayerLinear, LayerMamba, LayerMLP, LayerMoE}

// kindCounts counts a stage's layers by kind without allocating (KVBytesForSequence runs inside searches).
type kindCounts struct{ n [len(kindOrder)]int }

func (c *kindCounts) add(k LayerKind) {
	for i, x := range kindOrder {
		if x == k {
			c.n[i]++
			return
		}
	}
}

// pad applies PaddedAttentionLayers' rule in place.
func (c *kindCounts) pad() {
	if c.n[3]+c.n[4] > 0 {
		return
	}
	minN, maxN, kinds := 0, 0, 0
	for _, n := range c.n[:3] {
		if n == 0 {
			continue
		}
		kinds++
		if minN == 0 || n < minN {
			minN = n
		}
		maxN = max(maxN, n)
	}
	if kinds < 2 {
		return
	}
	group := minN
	if float64(maxN) < 1.25*float64(minN) {
		group = maxN
	}
	for i, n := range c.n[:3] {
		if n > 0 {
			c.n[i] = int(ceilDiv(int64(n), int64(group))) * group
		}
	}
}

// PaddedAttentionLayers is how many layers of each kind vLLM's hybrid KV cache manager allocates for. When a stage
// mixes attention kinds that all keep per-token KV (Gemma 3: full and sliding; Llama 4: full and chunked), vLLM
// v0.19.0 (v1/core/kv_cache_utils.py, _get_kv_cache_groups_uniform_page_size) cuts every kind into groups of
// group_size layers, group_size being the smallest kind's count (or the largest's when that is under 1.25× the
// smallest), and pads each kind up to a whole number of groups: each group slot is a real KV tensor. Gemma 3 27B:
// 10 full + 52 sliding layers become 10 + 60 (+12.9% bytes per token over 62 layers). Counts of other kinds (and of
// stages with one attention kind, or with Mamba / linear-attention state) are returned unchanged.
func PaddedAttentionLayers(counts map[LayerKind]int) map[LayerKind]int {
	var c kindCounts
	for k, n := range counts {
		for i := 0; i < n; i++ {
			c.add(k)
		}
	}
	c.pad()
	out := make(map[LayerKind]int, len(counts))
	for k, n := range counts {
		out[k] = n
	}
	for i, k := range kindOrder {
		if _, ok := counts[k]; ok {
			out[k] = c.n[i]
		}
	}
	return out
}

func layerBytes(f *Facts, kind LayerKind, tokens int, perLayer int64, l Layout, kv KVDType, mnbt, bs int) int64 {
	dcp := int64(l.DCP)
	switch kind {
	case LayerFull:
		blocks := ceilDiv(int64(tokens), int64(bs))
		return ceilDiv(blocks*int64(bs)*perLayer, dcp)
	case LayerSliding:
		// vLLM SlidingWindowSpec: min(window − 1 + max_num_batched_tokens, max_model_len) tokens + one block.
		n := min(int64(f.SlidingWindow-1+mnbt), int64(tokens))
		blocks := ceilDiv(n, int64(bs)) + 1
		if tokens == 0 {
			blocks = 0
		}
		return ceilDiv(blocks*int64(bs)*perLayer, dcp)
	case LayerChunked:
		n := min(int64(f.AttentionChunkSize+mnbt), int64(tokens))
		return ceilDiv(ceilDiv(n, int64(bs))*int64(bs)*perLayer, dcp)
	case LayerLinear, LayerMamba:
		if tokens == 0 {
			return 0
		}
		return StateBytesPerSequence(f, kind, l.TP, kv)
	}
	return 0
}

// TokensThatFit answers: the longest single sequence whose KV (and fixed state) fits in budget
// bytes on each GPU of the layout. Sliding-window and state-only models can fit any length once
// their bounded part fits; the result is then capped at capTokens (pass the context you want).
func TokensThatFit(f *Facts, budget int64, capTokens int, l Layout, o KVOptions) (int, error) {
	if capTokens <= 0 {
		return 0, fmt.Errorf("capTokens must be positive, got %d", capTokens)
	}
	if b, err := KVBytesForSequence(f, capTokens, l, o); err != nil {
		return 0, err
	} else if b <= budget {
		return capTokens, nil
	}
	lo, hi := 0, capTokens // bytes(lo) <= budget < bytes(hi)
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		b, _ := KVBytesForSequence(f, mid, l, o)
		if b <= budget {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo, nil
}

// validateLayout checks what vLLM checks: TP divides the attention heads; past the KV-head count
// TP must be a multiple of it; DCP (non-MLA) needs TP > kv_heads and DCP ≤ TP / kv_heads;
// PP cannot exceed the layers.
func validateLayout(f *Facts, l Layout) error {
	l = l.norm()
	if f.Heads%l.TP != 0 {
		return fmt.Errorf("tensor parallel size %d must divide num_attention_heads %d", l.TP, f.Heads)
	}
	if f.MLA == nil && l.TP > f.KVHeads && l.TP%f.KVHeads != 0 {
		return fmt.Errorf("tensor parallel size %d above num_key_value_heads %d must be a multiple of it", l.TP, f.KVHeads)
	}
	if l.PP > f.Layers {
		return fmt.Errorf("pipeline parallel size %d exceeds the %d layers", l.PP, f.Layers)
	}
	if l.DCP > 1 {
		if l.TP%l.DCP != 0 {
			return fmt.Errorf("decode context parallel size %d must divide tensor parallel size %d", l.DCP, l.TP)
		}
		if f.MLA == nil && (l.TP <= f.KVHeads || l.DCP > l.TP/f.KVHeads) {
			return fmt.Errorf("decode context parallel size %d needs tensor parallel size > num_key_value_heads (%d) and at most TP/kv_heads = %d", l.DCP, f.KVHeads, max(1, l.TP/f.KVHeads))
		}
	}
	return nil
}

// RopeCacheBytes is vLLM's rotary-embedding cos/sin cache on every GPU: one [max_position_embeddings × rotary_dim]
// tensor in the compute dtype, built when the model is created and shared by its layers
// (model_executor/layers/rotary_embedding base.py _compute_cos_sin_cache; get_rope caches one instance), so it is
// part of "Model loading took". It only matters for very long contexts: Llama-4-Scout's 10,485,760 positions × 128
// × 2 B = 2.5 GiB, which is what its TP 4 load in the llm-d-planner campaign (53.12 GiB per GPU) has above the
// checkpoint's share (50.8 GiB); Llama 3.1's 131,072 positions take 32 MiB.
func RopeCacheBytes(f *Facts) int64 {
	if f.MaxContext <= 0 || f.HeadDim <= 0 {
		return 0
	}
	rotary := float64(f.HeadDim) * f.PartialRotary
	if f.PartialRotary <= 0 {
		rotary = float64(f.HeadDim)
	}
	return int64(float64(f.MaxContext) * rotary * 2)
}
