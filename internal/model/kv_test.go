package model

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const gib = float64(1 << 30)

func TestKVMiniMaxMatchesGuide(t *testing.T) {
	f := loadModel(t, "MiniMaxAI__MiniMax-M2.5")
	kv, err := ResolveKVDType(f, "bfloat16")
	require.NoError(t, err)
	// 2 × 62 layers × 8 KV heads × 128 × 2 bytes
	assert.Equal(t, int64(253952), KVPerToken(f, kv))
	b, err := KVBytesForSequence(f, 196608, Layout{TP: 1}, KVOptions{DType: "bfloat16"})
	require.NoError(t, err)
	assert.Equal(t, int64(253952)*196608, b)
	assert.Equal(t, "46.50", sprintf("%.2f", float64(b)/gib), "the guide's hf-mem figure")
	// auto = bf16 on this fp8 checkpoint (vLLM keeps KV in the compute dtype).
	auto, err := KVBytesForSequence(f, 196608, Layout{TP: 1}, KVOptions{})
	require.NoError(t, err)
	assert.Equal(t, b, auto)
	// TP 4: 2 heads per GPU, a quarter each.
	b4, err := KVBytesForSequence(f, 196608, Layout{TP: 4}, KVOptions{})
	require.NoError(t, err)
	assert.Equal(t, b/4, b4)
	// TP 16 (> 8 KV heads): 1 head per GPU, duplicated; DCP 2 halves it.
	b16, err := KVBytesForSequence(f, 196608, Layout{TP: 16}, KVOptions{})
	require.NoError(t, err)
	assert.Equal(t, b/8, b16)
	d16, err := KVBytesForSequence(f, 196608, Layout{TP: 16, DCP: 2}, KVOptions{})
	require.NoError(t, err)
	assert.Equal(t, b16/2, d16)
	// fp8 halves it.
	f8, err := KVBytesForSequence(f, 196608, Layout{TP: 1}, KVOptions{DType: "fp8"})
	require.NoError(t, err)
	assert.Equal(t, b/2, f8)
}

func TestKVMLA(t *testing.T) {
	ds := loadModel(t, "deepseek-ai__DeepSeek-V3.2")
	kv, err := ResolveKVDType(ds, "auto")
	require.NoError(t, err)
	assert.Equal(t, "bfloat16", kv.Name)
	// (512 + 64) × 2 bytes latent + 132-byte indexer key per layer; the same on every TP rank.
	assert.Equal(t, int64(576*2+132), KVLayerBytesPerToken(ds, 1, kv))
	assert.Equal(t, KVLayerBytesPerToken(ds, 1, kv), KVLayerBytesPerToken(ds, 8, kv))
	f8, err := ResolveKVDType(ds, "fp8")
	require.NoError(t, err)
	assert.Equal(t, "fp8_ds_mla", f8.Name)
	assert.Equal(t, int64(656+132), KVLayerBytesPerToken(ds, 8, f8))

	kimi := loadModel(t, "moonshotai__Kimi-K2-Instruct")
	kk, _ := ResolveKVDType(kimi, "auto")
	assert.Equal(t, int64(61*576*2), KVPerToken(kimi, kk))
	// A naive 2 × layers × 64 heads × 192 would be ~43× more.
	naive := int64(2 * 61 * 64 * 192 * 2)
	assert.Greater(t, naive/KVPerToken(kimi, kk), int64(20))
	_, err = ResolveKVDType(kimi, "fp8_ds_mla")
	require.Error(t, err)
}

func TestKVSlidingWindow(t *testing.T) {
	f := loadModel(t, "openai__gpt-oss-120b")
	o := KVOptions{MaxNumBatchedTokens: 8192, BlockSize: 16}
	b, err := KVBytesForSequence(f, 131072, Layout{TP: 1}, o)
	require.NoError(t, err)
	per := int64(2 * 8 * 64 * 2)
	full := int64(18) * 131072 * per
	// sliding layers: min(128 − 1 + 8192, 131072) = 8319 tokens → 520 blocks + 1 = 521 blocks of 16.
	swa := int64(18) * 521 * 16 * per
	assert.Equal(t, full+swa, b)
	// hf-mem style (every layer full) would be twice the full part.
	assert.Less(t, b, 2*full)
}

func TestKVHybridState(t *testing.T) {
	f := loadModel(t, "Qwen__Qwen3-Next-80B-A3B-Thinking")
	kv, _ := ResolveKVDType(f, "auto")
	// conv: (2×16×128 + 32×128) × 3 × 2 bytes; ssm: 32 × 128 × 128 × 2 bytes
	want := int64((2*16*128+32*128)*3*2 + 32*128*128*2)
	assert.Equal(t, want, StateBytesPerSequence(f, LayerLinear, 1, kv))
	b1, _ := KVBytesForSequence(f, 1000, Layout{TP: 1}, KVOptions{})
	b2, _ := KVBytesForSequence(f, 2000, Layout{TP: 1}, KVOptions{})
	// only the 12 full-attention layers grow: 12 × 2 × 2 × 256 × 2 bytes per token.
	// blocks of 16: 2000 tokens = 2000 slots, 1000 tokens = 1008 slots.
	assert.Equal(t, int64(12*2*2*256*2)*(2000-1008), b2-b1, "growth counts full layers only")

	nem := loadModel(t, "nvidia__Nemotron-H-56B-Base-8K")
	nb, err := KVBytesForSequence(nem, 8192, Layout{TP: 1}, KVOptions{})
	require.NoError(t, err)
	attn := int64(10) * 8192 * 2 * 8 * 128 * 2
	assert.Greater(t, nb, attn)
	assert.Less(t, nb, attn+54*StateBytesPerSequence(nem, LayerMamba, 1, kv)+1)
}

func TestKVPipelineParallel(t *testing.T) {
	f := loadModel(t, "MiniMaxAI__MiniMax-M2.5") // 62 layers
	assert.Equal(t, [][2]int{{0, 15}, {15, 31}, {31, 47}, {47, 62}}, stageLayers(62, 4), "62 = 15+16+16+15: remainder to the middle-late stages")
	assert.Equal(t, [][2]int{{0, 21}, {21, 42}, {42, 62}}, stageLayers(62, 3), "partitions[-2] and [-3] get the remainder")
	b1, _ := KVBytesForSequence(f, 1024, Layout{TP: 1}, KVOptions{})
	b4, err := KVBytesForSequence(f, 1024, Layout{TP: 1, PP: 4}, KVOptions{})
	require.NoError(t, err)
	assert.Equal(t, b1/62*16, b4, "the worst stage (16 layers) governs")
}

func TestKVLayoutValidation(t *testing.T) {
	f := loadModel(t, "MiniMaxAI__MiniMax-M2.5") // 48 heads, 8 KV heads
	for _, tc := range []struct {
		l    Layout
		want string
	}{
		{Layout{TP: 5}, "must divide num_attention_heads"},
		{Layout{TP: 12}, "must be a multiple"},
		{Layout{TP: 8, DCP: 2}, "decode context parallel"},
		{Layout{TP: 1, PP: 63}, "exceeds the 62 layers"},
	} {
		_, err := KVBytesForSequence(f, 10, tc.l, KVOptions{})
		require.Error(t, err, "%+v", tc.l)
		assert.Contains(t, err.Error(), tc.want)
	}
	_, err := KVBytesForSequence(f, 10, Layout{}, KVOptions{DType: "int3"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "allowed: auto")
}

func TestTokensThatFit(t *testing.T) {
	f := loadModel(t, "MiniMaxAI__MiniMax-M2.5")
	per := int64(253952)
	n, err := TokensThatFit(f, per*100000, 196608, Layout{TP: 1}, KVOptions{})
	require.NoError(t, err)
	assert.Equal(t, 100000-100000%16, n, "whole blocks of 16")
	n, err = TokensThatFit(f, per*300000, 196608, Layout{TP: 1}, KVOptions{})
	require.NoError(t, err)
	assert.Equal(t, 196608, n, "capped at the context asked for")
	n, err = TokensThatFit(f, 0, 196608, Layout{TP: 1}, KVOptions{})
	require.NoError(t, err)
	assert.Equal(t, 0, n)
	_, err = TokensThatFit(f, 1, 0, Layout{TP: 1}, KVOptions{})
	require.Error(t, err)
}

// TestKVFullContextTable logs each catalog model's KV at its full context, bf16, TP 1.
func TestKVFullContextTable(t *testing.T) {
	for _, tc := range publishedParams {
		f := loadModel(t, tc.dir)
		b, err := KVBytesForSequence(f, f.MaxContext, Layout{TP: 1}, KVOptions{DType: "bfloat16"})
		require.NoError(t, err)
		kv, _ := ResolveKVDType(f, "bfloat16")
		t.Logf("%-36s ctx %7d  B/token (all KV layers as full) %7d  one sequence %7.2f GiB", tc.dir, f.MaxContext, KVPerToken(f, kv), float64(b)/gib)
	}
}
