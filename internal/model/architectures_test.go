package model

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func loadArchitecture(t *testing.T, name string) *Facts {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "architectures", name))
	require.NoError(t, err)
	f, err := Parse(b, ParseOptions{Name: name})
	require.NoError(t, err)
	return f
}

// The publishers' totals for architectures the catalog does not carry. Llama 4's totals include the vision
// encoder, which this package does not count (about 0.8B), so the language model must land just under them.
func TestArchitectureTotalsMatchPublished(t *testing.T) {
	for _, tc := range []struct {
		file      string
		published float64
		tolerance float64
		source    string
	}{
		{"llama4-scout.json", 109e9, 0.02, "Llama 4 model card: Scout 17B active, 109B total"},
		{"llama4-maverick.json", 400e9, 0.02, "Llama 4 model card: Maverick 17B active, 400B total"},
		{"nemotron3-nano.json", 31.6e9, 0.01, "NVIDIA Nemotron 3 Nano technical report: 31.6B total (3.2B active)"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			e := EstimateParams(loadArchitecture(t, tc.file))
			got := float64(e.MainParams)
			assert.InDelta(t, tc.published, got, tc.published*tc.tolerance, "%s: counted %.2fB", tc.source, got/1e9)
		})
	}
}

func TestLlama4Layers(t *testing.T) {
	scout := loadArchitecture(t, "llama4-scout.json")
	assert.Empty(t, scout.MoE.DenseLayers, "Scout: every layer is MoE")
	assert.Equal(t, 1, scout.MoE.SharedCount)
	assert.False(t, scout.TiedEmbeddings, "Llama 4's output head is its own matrix")
	assert.Equal(t, 12, scout.CountLayers(LayerFull), "every 4th layer is NoPE, global attention")
	assert.Equal(t, 36, scout.CountLayers(LayerChunked), "the RoPE layers attend in 8192-token chunks")

	mav := loadArchitecture(t, "llama4-maverick.json")
	require.Len(t, mav.MoE.DenseLayers, 24, "Maverick interleaves: MoE on odd layers only")
	assert.Equal(t, 0, mav.MoE.DenseLayers[0])
	assert.Equal(t, 16384, mav.Intermediate, "dense layers use intermediate_size_mlp")
	assert.Equal(t, 8192, mav.MoE.Intermediate)
}

func TestNemotron3ExpertsHaveTwoMatrices(t *testing.T) {
	f := loadArchitecture(t, "nemotron3-nano.json")
	require.NotNil(t, f.MoE)
	e := EstimateParams(f)
	// 23 MoE layers × 128 experts × (up + down) × 2688 × 1856.
	experts := int64(23 * 128 * 2 * 2688 * 1856)
	assert.Greater(t, e.MainParams, experts)
	assert.Less(t, e.MainParams, experts*3/2, "a third (gate) matrix per expert would add %d", experts/2)
}

// vLLM pads each attention kind to whole groups: Gemma 3 27B's 52 sliding layers take 60 slots beside its 10 full
// ones, 70 layers' worth of KV per token where 62 exist (+12.9%).
func TestGemma3GroupPadding(t *testing.T) {
	f := loadArchitecture(t, "gemma3-27b.json")
	require.Equal(t, 10, f.CountLayers(LayerFull))
	require.Equal(t, 52, f.CountLayers(LayerSliding))
	padded := PaddedAttentionLayers(map[LayerKind]int{LayerFull: 10, LayerSliding: 52})
	assert.Equal(t, map[LayerKind]int{LayerFull: 10, LayerSliding: 60}, padded)
	// At a context within the window every layer holds every token: 70 layers' bytes.
	b, err := KVBytesForSequence(f, 512, Layout{TP: 1}, KVOptions{})
	require.NoError(t, err)
	perLayer := KVLayerBytesPerToken(f, 1, KVDType{Bytes: 2})
	assert.Equal(t, int64(10*512+60*(512+16))*perLayer, b)
	assert.InDelta(t, 0.129, 70.0/62-1, 0.001)
	// Kinds of equal or near-equal counts are not padded (gpt-oss: 18 + 18; 12 vs 14 within 1.25×).
	assert.Equal(t, map[LayerKind]int{LayerFull: 18, LayerSliding: 18}, PaddedAttentionLayers(map[LayerKind]int{LayerFull: 18, LayerSliding: 18}))
	assert.Equal(t, map[LayerKind]int{LayerFull: 14, LayerSliding: 14}, PaddedAttentionLayers(map[LayerKind]int{LayerFull: 12, LayerSliding: 14}))
}

func TestIgnoreGlobsWithinAPart(t *testing.T) {
	qz := &quantizer{exact: map[string]bool{}, globs: [][]string{{"self_attn*"}, {"model", "layers", "*", "mlp", "gate"}}}
	assert.True(t, qz.ignored("model.layers.0.self_attn.q_proj"))
	assert.True(t, qz.ignored("model.layers.7.mlp.gate"))
	assert.False(t, qz.ignored("model.layers.0.mlp.experts.down_proj"))
}
