package model

import (
	"fmt"
	"path"
	"strings"
)

type quantizer struct {
	q       *Quantization
	compute string // BF16, F16 or F32
	exact   map[string]bool
	globs   [][]string
	notes   []string
}

type stored struct{ elems, bytes int64 }

func newQuantizer(f *Facts) *quantizer {
	qz := &quantizer{q: f.Quant, compute: computeDTypeName(f.DType), exact: map[string]bool{}}
	if f.Quant == nil {
		return qz
	}
	for _, p := range f.Quant.Ignore {
		p = strings.TrimSuffix(strings.TrimPrefix(p, "re:"), ".weight")
		if strings.ContainsAny(p, "*") {
			qz.globs = append(qz.globs, strings.Split(p, "."))
		} else {
			qz.exact[p] = true
		}
	}
	if len(f.Quant.Ignore) > 0 {
		qz.notes = append(qz.notes, fmt.Sprintf("%d module patterns kept unquantized (quantization_config ignore list)", len(f.Quant.Ignore)))
	}
	return qz
}

// ignored reports whether a tensor name matches an ignore pattern. A pattern matches when it
// equals a contiguous run of the name's dot-separated parts ("gate" matches
// "model.layers.0.block_sparse_moe.gate", "lm_head" matches "lm_head"); "*" matches one part.
// Within a part, "*" matches any run of characters, so NVFP4's "self_attn*" (ModelOpt exclude_modules, matched with
// fnmatch by vLLM's modelopt.py is_layer_excluded) matches "model.layers.0.self_attn.q_proj". This is how vLLM and
// transformers treat modules_to_not_convert in practice.
func (qz *quantizer) ignored(name string) bool {
	if len(qz.exact) == 0 && len(qz.globs) == 0 {
		return false
	}
	parts := strings.Split(name, ".")
	for i := range parts {
		for j := i + 1; j <= len(parts); j++ {
			if qz.exact[strings.Join(parts[i:j], ".")] {
				return true
			}
		}
	}
	for _, g := range qz.globs {
		for i := 0; i+len(g) <= len(parts); i++ {
			ok := true
			for k, seg := range g {
				if m, err := path.Match(seg, parts[i+k]); err != nil || !m {
					ok = false
					break
				}
			}
			if ok {
				return true
			}
		}
	}
	return false
}

func ceilDiv(a, b int64) int64 {
	if b <= 0 {
		return 0
	}
	return (a + b - 1) / b
}

func bytesOf(dtype string) int64 {
	switch dtype {
	case "F32", "I32":
		return 4
	case "BF16", "F16":
		return 2
	}
	return 1
}

// store adds a tensor's storage to the breakdown and returns the stored elements and bytes.
func (qz *quantizer) store(t tensor, add func(dtype string, elems, bytes int64)) stored {
	n := t.elems()
	plain := func(dtype string) stored {
		b := n * bytesOf(dtype)
		add(dtype, n, b)
		return stored{n, b}
	}
	switch t.role {
	case roleF32:
		return plain("F32")
	case roleLinear:
	default:
		return plain(qz.compute)
	}
	q := qz.q
	if q == nil || t.cols == 0 || qz.ignored(t.name) {
		return plain(qz.compute)
	}
	rows, cols, cnt := t.rows, t.cols, t.n
	switch q.Method {
	case "fp8":
		add("F8_E4M3", n, n)
		var scales int64
		if q.WeightBlock[0] > 0 {
			// Block-wise scale_inv: one F32 per [128×128] block, rounded up on each side.
			scales = ceilDiv(rows, int64(q.WeightBlock[0])) * ceilDiv(cols, int64(q.WeightBlock[1])) * cnt
		} else {
			scales = cnt // one per-tensor weight_scale
		}
		add("F32", scales, 4*scales)
		return stored{n + scales, n + 4*scales}
	case "mxfp4":
		// 4-bit E2M1 values, two per byte, plus one E8M0 scale byte per 32 values.
		scales := ceilDiv(cols, 32) * rows * cnt
		add("MXFP4", n, n/2)
		add("U8", scales, scales)
		return stored{n + scales, n/2 + scales}
	case "nvfp4":
		// 4-bit values, one FP8 E4M3 scale per 16, plus per-tensor F32 weight_scale_2 and input_scale.
		scales := ceilDiv(cols, 16) * rows * cnt
		add("NVFP4", n, n/2)
		add("F8_E4M3", scales, scales)
		add("F32", 2*cnt, 8*cnt)
		return stored{n + scales + 2*cnt, n/2 + scales + 8*cnt}
	case "awq", "gptq":
		bits := int64(q.Bits)
		if bits <= 0 || bits > 8 {
			bits = 4
		}
		g := int64(q.GroupSize)
		if g <= 0 {
			g = cols // group_size -1: one group per row
		}
		groups := ceilDiv(cols, g) * rows * cnt
		wBytes := ceilDiv(n*bits, 8)
		add(fmt.Sprintf("INT%d", bits), n, wBytes)
		add("F16", groups, 2*groups)
		b := wBytes + 2*groups
		el := n + groups
		if q.ZeroPoint || q.Method == "gptq" {
			// qzeros are packed like the weights (GPTQ stores them even when symmetric).
			zb := ceilDiv(groups*bits, 8)
			add("I32", ceilDiv(zb, 4), zb)
			b += zb
			el += ceilDiv(zb, 4)
		}
		return stored{el, b}
	case "int8", "compressed-tensors", "bitsandbytes", "modelopt":
		bits := int64(q.Bits)
		if bits <= 0 || bits > 16 {
			bits = 8
		}
		wBytes := ceilDiv(n*bits, 8)
		add(fmt.Sprintf("INT%d", bits), n, wBytes)
		add("F32", rows*cnt, 4*rows*cnt) // per-channel scales
		return stored{n + rows*cnt, wBytes + 4*rows*cnt}
	}
	bits := int64(q.Bits)
	if bits <= 0 || bits > 16 {
		bits = 8
	}
	wBytes := ceilDiv(n*bits, 8)
	add(fmt.Sprintf("INT%d", bits), n, wBytes)
	return stored{n, wBytes}
}
