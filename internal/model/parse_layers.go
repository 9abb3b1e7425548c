package model

import (
	"errors"
	"fmt"
)

// parseLayerTypes sets LayerTypes, the kind of each decoder layer: from the first of the config's per-layer
// descriptions that is present (hybrid_override_pattern, layer_types, attn_type_list, full_attention_interval,
// sliding_window_pattern, sliding_window with use_sliding_window), then chunked attention on top (Llama 4).
func (f *Facts) parseLayerTypes(rc *rawConfig) error {
	n := f.Layers
	kinds := make([]LayerKind, n)
	for i := range kinds {
		kinds[i] = LayerFull
	}
	window, hasWindow := rc.int("sliding_window")
	if hasWindow && window > 0 {
		f.SlidingWindow = window
	}
	if err := f.layerPattern(rc, kinds); err != nil {
		return err
	}
	f.chunkedLayers(rc, kinds)
	if count(kinds, LayerSliding) > 0 && f.SlidingWindow == 0 {
		return fmt.Errorf("config.json: %d layers are sliding_attention but sliding_window is absent", count(kinds, LayerSliding))
	}
	if count(kinds, LayerLinear) > 0 && f.Linear == nil && f.family() != "minimax" {
		f.warn("linear-attention layers without linear_* fields: their state size is unknown")
	}
	if count(kinds, LayerMamba) > 0 && f.Mamba == nil {
		f.warn("mamba layers without mamba_* fields: their state size is unknown")
	}
	f.LayerTypes = kinds
	return nil
}

// layerPattern marks kinds from the first per-layer description the config has.
func (f *Facts) layerPattern(rc *rawConfig, kinds []LayerKind) error {
	n := len(kinds)
	switch {
	case rc.has("hybrid_override_pattern"):
		return f.hybridPattern(rc, kinds)
	case rc.has("layer_types"):
		return f.layerTypeList(rc, kinds)
	case rc.has("attn_type_list"):
		list := rc.ints("attn_type_list")
		if len(list) != n {
			return fmt.Errorf("config.json: attn_type_list has %d entries, num_hidden_layers is %d", len(list), n)
		}
		for i, t := range list {
			if t == 0 {
				kinds[i] = LayerLinear // MiniMax lightning attention
			}
		}
	case rc.has("full_attention_interval") && f.Linear != nil:
		iv, _ := rc.int("full_attention_interval")
		if iv <= 0 {
			return fmt.Errorf("config.json: full_attention_interval must be positive, got %d", iv)
		}
		for i := range kinds {
			if (i+1)%iv != 0 {
				kinds[i] = LayerLinear
			}
		}
	case rc.has("sliding_window_pattern") && f.SlidingWindow > 0:
		p, _ := rc.int("sliding_window_pattern")
		for i := range kinds {
			if p > 0 && (i+1)%p != 0 {
				kinds[i] = LayerSliding
			}
		}
	case f.SlidingWindow > 0:
		use, set := rc.bool("use_sliding_window")
		switch {
		case set && !use:
			// Qwen2/3 ship a sliding_window value with use_sliding_window false: not used.
		case set && use:
			mwl := rc.intOr("max_window_layers", 0)
			for i := mwl; i < n; i++ {
				kinds[i] = LayerSliding
			}
		default:
			for i := range kinds { // Mistral-style: every layer slides
				kinds[i] = LayerSliding
			}
		}
	}
	return nil
}

// hybridPattern reads hybrid_override_pattern (Nemotron-H): one character per layer.
func (f *Facts) hybridPattern(rc *rawConfig, kinds []LayerKind) error {
	p, _ := rc.string("hybrid_override_pattern")
	if len(p) != len(kinds) {
		return fmt.Errorf("config.json: hybrid_override_pattern has %d entries, num_hidden_layers is %d", len(p), len(kinds))
	}
	for i, c := range p {
		switch c {
		case '*':
			kinds[i] = LayerFull
		case 'M':
			kinds[i] = LayerMamba
		case '-':
			kinds[i] = LayerMLP
		case 'E':
			kinds[i] = LayerMoE
		default:
			return fmt.Errorf("config.json: hybrid_override_pattern[%d] is %q; allowed are * (attention), M (mamba), - (MLP), E (MoE)", i, c)
		}
	}
	f.note("hybrid_override_pattern: %d attention, %d mamba, %d MLP/MoE blocks", count(kinds, LayerFull), count(kinds, LayerMamba), count(kinds, LayerMLP)+count(kinds, LayerMoE))
	return nil
}

// layerTypeList reads layer_types: one name per layer; an unknown name counts as full attention, with a warning.
func (f *Facts) layerTypeList(rc *rawConfig, kinds []LayerKind) error {
	types := rc.strings("layer_types")
	if types == nil {
		return errors.Join(*rc.errs...)
	}
	if len(types) != len(kinds) {
		return fmt.Errorf("config.json: layer_types has %d entries, num_hidden_layers is %d", len(types), len(kinds))
	}
	for i, t := range types {
		switch t {
		case "full_attention", "attention":
			kinds[i] = LayerFull
		case "sliding_attention", "sliding_window_attention":
			kinds[i] = LayerSliding
		case "chunked_attention":
			kinds[i] = LayerChunked
		case "linear_attention":
			kinds[i] = LayerLinear
		case "mamba":
			kinds[i] = LayerMamba
		default:
			f.warn("layer_types[%d] is %q, not a kind this tool knows; counting it as full attention", i, t)
		}
	}
	return nil
}

// chunkedLayers marks the full-attention layers that use chunked attention (attention_chunk_size; Llama 4: the
// RoPE layers, per no_rope_layers).
func (f *Facts) chunkedLayers(rc *rawConfig, kinds []LayerKind) {
	n := len(kinds)
	chunk, ok := rc.int("attention_chunk_size")
	if !ok || chunk <= 0 {
		return
	}
	f.AttentionChunkSize = chunk
	nope := rc.ints("no_rope_layers")
	if len(nope) != n && f.family() == "llama4" {
		// transformers Llama4TextConfig: an empty no_rope_layers means every no_rope_layer_interval-th layer
		// (default 4) is NoPE (global attention) and the rest use RoPE with chunked attention.
		iv := rc.intOr("no_rope_layer_interval", 4)
		nope = make([]int, n)
		for i := range nope {
			if iv <= 0 || (i+1)%iv != 0 {
				nope[i] = 1
			}
		}
	}
	if len(nope) == n {
		for i, v := range nope {
			if v == 1 && kinds[i] == LayerFull {
				kinds[i] = LayerChunked // Llama 4: RoPE layers are chunked, NoPE layers global
			}
		}
	}
}

func count(kinds []LayerKind, k LayerKind) int {
	c := 0
	for _, x := range kinds {
		if x == k {
			c++
		}
	}
	return c
}

// CountLayers returns how many decoder layers are of kind k.
func (f *Facts) CountLayers(k LayerKind) int { return count(f.LayerTypes, k) }
