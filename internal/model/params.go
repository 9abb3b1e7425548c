package model

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Part says which part of a checkpoint a tensor belongs to: the engine always loads Main,
// loads MTP only for speculative decoding with the model's own MTP head, and Vision only
// for multimodal serving.
type Part int

const (
	PartMain Part = iota
	PartMTP
	PartVision
)

type role int

const (
	roleEmbed  role = iota
	roleHead        // lm_head
	roleLinear      // a quantizable matmul weight
	roleRouter      // router and small gates: never quantized
	roleNorm        // norm weights and biases
	roleBias        // linear biases
	roleF32         // stored in float32 whatever the dtype (e_score_correction_bias)
	roleOther       // conv weights, A_log, dt_bias, sinks: compute dtype
)

// tensor is one weight (or n identical ones, for experts) of shape [rows, cols]; cols == 0 is a vector.
type tensor struct {
	name       string
	rows, cols int64
	n          int64
	role       role
	part       Part
	expert     bool // a routed expert: only PerToken/Routed of it is active per token
}

func (t tensor) elems() int64 {
	if t.cols == 0 {
		return t.rows * t.n
	}
	return t.rows * t.cols * t.n
}

// DTypeCount is one row of a per-dtype breakdown, like hf-mem's table. Params counts stored
// elements for scale tensors and logical parameters for packed formats (MXFP4, NVFP4, INT4).
type DTypeCount struct {
	DType  string `json:"dtype"`
	Params int64  `json:"params"`
	Bytes  int64  `json:"bytes"`
}

// ParamEstimate is an architecture-aware count from config.json alone.
type ParamEstimate struct {
	// Params counts logical parameters of everything the checkpoint ships (main + MTP + vision),
	// quantization scales excluded. Stored adds the scale/zero-point elements.
	Params int64
	Stored int64
	// Per part, logical parameters and bytes on disk (scales included).
	MainParams, MTPParams, VisionParams int64
	MainBytes, MTPBytes, VisionBytes    int64
	// Bytes on disk of everything counted.
	Bytes int64
	// ActiveParams is what one token touches (all non-expert weights + PerToken routed experts).
	ActiveParams int64
	// LayerBytes are the bytes of each main decoder layer (len == Facts.Layers), EmbedBytes the input embedding's,
	// HeadBytes the output head's (0 when tied to the embedding). Pipeline stages are sized from these.
	LayerBytes            []int64
	EmbedBytes, HeadBytes int64
	Breakdown             []DTypeCount
	// Excluded names parts the count leaves out, with the reason.
	Excluded []string
	Notes    []string
}

// LoadedBytes is what the engine loads onto GPUs: main weights, plus MTP and vision when used.
func (e *ParamEstimate) LoadedBytes(withMTP, withVision bool) int64 {
	b := e.MainBytes
	if withMTP {
		b += e.MTPBytes
	}
	if withVision {
		b += e.VisionBytes
	}
	return b
}

// EstimateParams counts parameters and bytes per dtype from the facts, honouring quantization.
func EstimateParams(f *Facts) *ParamEstimate {
	est := &ParamEstimate{}
	ts := buildTensors(f, est)
	q := newQuantizer(f)
	acc := map[string]*DTypeCount{}
	add := func(dtype string, elems, bytes int64) {
		c := acc[dtype]
		if c == nil {
			c = &DTypeCount{DType: dtype}
			acc[dtype] = c
		}
		c.Params += elems
		c.Bytes += bytes
	}
	activeFrac := 1.0
	if f.MoE != nil && f.MoE.Routed > 0 && f.MoE.PerToken > 0 {
		activeFrac = float64(f.MoE.PerToken) / float64(f.MoE.Routed)
	}
	est.LayerBytes = make([]int64, f.Layers)
	for _, t := range ts {
		logical := t.elems()
		rows := q.store(t, add)
		if t.part == PartMain {
			switch {
			case t.name == "model.embed_tokens":
				est.EmbedBytes += rows.bytes
			case t.name == "lm_head":
				est.HeadBytes += rows.bytes
			default:
				if i, ok := layerIndex(t.name); ok && i < len(est.LayerBytes) {
					est.LayerBytes[i] += rows.bytes
				}
			}
		}
		est.Params += logical
		est.Stored += rows.elems
		if t.expert {
			est.ActiveParams += int64(float64(logical) * activeFrac)
		} else if t.part == PartMain {
			est.ActiveParams += logical
		}
		switch t.part {
		case PartMain:
			est.MainParams += logical
			est.MainBytes += rows.bytes
		case PartMTP:
			est.MTPParams += logical
			est.MTPBytes += rows.bytes
		case PartVision:
			est.VisionParams += logical
			est.VisionBytes += rows.bytes
		}
		est.Bytes += rows.bytes
	}
	for _, c := range acc {
		est.Breakdown = append(est.Breakdown, *c)
	}
	sort.Slice(est.Breakdown, func(i, j int) bool {
		return dtypeOrder(est.Breakdown[i].DType) < dtypeOrder(est.Breakdown[j].DType)
	})
	est.Notes = append(est.Notes, q.notes...)
	return est
}

// layerIndex reads N from "model.layers.N.…".
func layerIndex(name string) (int, bool) {
	rest, ok := strings.CutPrefix(name, "model.layers.")
	if !ok {
		return 0, false
	}
	n, _, _ := strings.Cut(rest, ".")
	i, err := strconv.Atoi(n)
	return i, err == nil
}

func dtypeOrder(d string) string {
	order := map[string]string{"F32": "0", "BF16": "1", "F16": "2", "F8_E4M3": "3", "I32": "4", "U8": "5", "MXFP4": "6", "NVFP4": "7", "INT4": "8", "INT8": "9"}
	if o, ok := order[d]; ok {
		return o
	}
	return "z" + d
}

func computeDTypeName(d string) string {
	switch d {
	case "float16":
		return "F16"
	case "float32":
		return "F32"
	}
	return "BF16"
}

// buildTensors lists the checkpoint's tensors with Hugging Face names, so that ignore lists
// (modules_to_not_convert, ignored_layers) can be matched against them.
func buildTensors(f *Facts, est *ParamEstimate) []tensor {
	H := int64(f.Hidden)
	V := int64(f.Vocab)
	var ts []tensor
	ts = append(ts, tensor{name: "model.embed_tokens", rows: V, cols: H, n: 1, role: roleEmbed})
	if !f.TiedEmbeddings {
		ts = append(ts, tensor{name: "lm_head", rows: V, cols: H, n: 1, role: roleHead})
	}
	ts = append(ts, tensor{name: "model.norm", rows: H, n: 1, role: roleNorm})
	for i := 0; i < f.Layers; i++ {
		ts = appendLayer(ts, f, fmt.Sprintf("model.layers.%d", i), i, f.LayerTypes[i], PartMain)
	}
	ts = appendMTP(ts, f, est)
	ts = appendVision(ts, f, est)
	return ts
}

func isDense(f *Facts, i int) bool {
	if f.MoE == nil {
		return true
	}
	for _, d := range f.MoE.DenseLayers {
		if d == i {
			return true
		}
	}
	return false
}

func appendLayer(ts []tensor, f *Facts, p string, i int, kind LayerKind, part Part) []tensor {
	H := int64(f.Hidden)
	if f.family() == "nemotron_h" {
		// Nemotron-H blocks are single-mixer: one norm, then attention, mamba or MLP.
		ts = append(ts, tensor{name: p + ".norm", rows: H, n: 1, role: roleNorm, part: part})
		switch kind {
		case LayerMamba:
			return appendMamba(ts, f, p+".mixer", part)
		case LayerMLP:
			I := int64(f.Intermediate)
			return append(ts,
				tensor{name: p + ".mixer.up_proj", rows: I, cols: H, n: 1, role: roleLinear, part: part},
				tensor{name: p + ".mixer.down_proj", rows: H, cols: I, n: 1, role: roleLinear, part: part})
		case LayerMoE:
			return appendMoE(ts, f, p+".mixer", part)
		default:
			return appendGQA(ts, f, p+".mixer", part)
		}
	}
	ts = append(ts,
		tensor{name: p + ".input_layernorm", rows: H, n: 1, role: roleNorm, part: part},
		tensor{name: p + ".post_attention_layernorm", rows: H, n: 1, role: roleNorm, part: part})
	switch {
	case kind == LayerLinear && f.Linear != nil:
		ts = appendGatedDeltaNet(ts, f, p+".linear_attn", part)
	case kind == LayerMamba && f.Mamba != nil:
		ts = appendMamba(ts, f, p+".mixer", part)
	case f.MLA != nil:
		ts = appendMLA(ts, f, p+".self_attn", part)
	default:
		ts = appendGQA(ts, f, p+".self_attn", part)
	}
	mlp := p + ".mlp"
	if f.family() == "llama4" {
		mlp = p + ".feed_forward" // Llama 4's checkpoint names
	}
	if isDense(f, i) || part == PartMTP && f.MoE == nil {
		return appendDenseMLP(ts, f, mlp, int64(f.Intermediate), part)
	}
	return appendMoE(ts, f, mlp, part)
}

func appendGQA(ts []tensor, f *Facts, p string, part Part) []tensor {
	H, hd := int64(f.Hidden), int64(f.HeadDim)
	q, kv := int64(f.Heads)*hd, int64(f.KVHeads)*hd
	qOut := q
	if f.AttentionOutputGate {
		qOut = 2 * q
	}
	ts = append(ts,
		tensor{name: p + ".q_proj", rows: qOut, cols: H, n: 1, role: roleLinear, part: part},
		tensor{name: p + ".k_proj", rows: kv, cols: H, n: 1, role: roleLinear, part: part},
		tensor{name: p + ".v_proj", rows: kv, cols: H, n: 1, role: roleLinear, part: part},
		tensor{name: p + ".o_proj", rows: H, cols: q, n: 1, role: roleLinear, part: part})
	if f.AttentionBias {
		ts = append(ts,
			tensor{name: p + ".q_proj.bias", rows: qOut, n: 1, role: roleBias, part: part},
			tensor{name: p + ".k_proj.bias", rows: kv, n: 1, role: roleBias, part: part},
			tensor{name: p + ".v_proj.bias", rows: kv, n: 1, role: roleBias, part: part})
		if f.family() != "qwen2" {
			ts = append(ts, tensor{name: p + ".o_proj.bias", rows: H, n: 1, role: roleBias, part: part})
		}
	}
	if f.QKNorm {
		if f.QKNormPerLayer {
			ts = append(ts,
				tensor{name: p + ".q_norm", rows: q, n: 1, role: roleNorm, part: part},
				tensor{name: p + ".k_norm", rows: kv, n: 1, role: roleNorm, part: part})
		} else {
			ts = append(ts,
				tensor{name: p + ".q_norm", rows: hd, n: 1, role: roleNorm, part: part},
				tensor{name: p + ".k_norm", rows: hd, n: 1, role: roleNorm, part: part})
		}
	}
	if f.family() == "gpt_oss" {
		ts = append(ts, tensor{name: p + ".sinks", rows: int64(f.Heads), n: 1, role: roleOther, part: part})
	}
	return ts
}

func appendMLA(ts []tensor, f *Facts, p string, part Part) []tensor {
	m := f.MLA
	H, nh := int64(f.Hidden), int64(f.Heads)
	qHead := int64(m.QKNopeHeadDim + m.QKRopeHeadDim)
	if m.QLoraRank > 0 {
		ql := int64(m.QLoraRank)
		ts = append(ts,
			tensor{name: p + ".q_a_proj", rows: ql, cols: H, n: 1, role: roleLinear, part: part},
			tensor{name: p + ".q_a_layernorm", rows: ql, n: 1, role: roleNorm, part: part},
			tensor{name: p + ".q_b_proj", rows: nh * qHead, cols: ql, n: 1, role: roleLinear, part: part})
	} else {
		ts = append(ts, tensor{name: p + ".q_proj", rows: nh * qHead, cols: H, n: 1, role: roleLinear, part: part})
	}
	kvl := int64(m.KVLoraRank)
	ts = append(ts,
		tensor{name: p + ".kv_a_proj_with_mqa", rows: kvl + int64(m.QKRopeHeadDim), cols: H, n: 1, role: roleLinear, part: part},
		tensor{name: p + ".kv_a_layernorm", rows: kvl, n: 1, role: roleNorm, part: part},
		tensor{name: p + ".kv_b_proj", rows: nh * int64(m.QKNopeHeadDim+m.VHeadDim), cols: kvl, n: 1, role: roleLinear, part: part},
		tensor{name: p + ".o_proj", rows: H, cols: nh * int64(m.VHeadDim), n: 1, role: roleLinear, part: part})
	if ix := f.Indexer; ix != nil {
		src := int64(m.QLoraRank)
		if src == 0 {
			src = H
		}
		ihd := int64(ix.HeadDim)
		wp := p + ".indexer.weights_proj"
		if f.family() == "glm_moe_dsa" {
			wp = p + ".indexers_proj" // GLM-5's checkpoint name (see its ignored_layers)
		}
		ts = append(ts,
			tensor{name: p + ".indexer.wq_b", rows: int64(ix.Heads) * ihd, cols: src, n: 1, role: roleLinear, part: part},
			tensor{name: p + ".indexer.wk", rows: ihd, cols: H, n: 1, role: roleLinear, part: part},
			tensor{name: p + ".indexer.k_norm", rows: ihd, n: 1, role: roleNorm, part: part},
			tensor{name: p + ".indexer.k_norm.bias", rows: ihd, n: 1, role: roleNorm, part: part},
			tensor{name: wp, rows: int64(ix.Heads), cols: H, n: 1, role: roleRouter, part: part})
	}
	return ts
}

func appendGatedDeltaNet(ts []tensor, f *Facts, p string, part Part) []tensor {
	la := f.Linear
	H := int64(f.Hidden)
	kDim := int64(la.NumKeyHeads * la.KeyHeadDim)
	vDim := int64(la.NumValueHeads * la.ValueHeadDim)
	nv := int64(la.NumValueHeads)
	conv := 2*kDim + vDim
	return append(ts,
		tensor{name: p + ".in_proj_qkvz", rows: 2*kDim + 2*vDim, cols: H, n: 1, role: roleLinear, part: part},
		tensor{name: p + ".in_proj_ba", rows: 2 * nv, cols: H, n: 1, role: roleLinear, part: part},
		tensor{name: p + ".conv1d", rows: conv, cols: int64(la.ConvKernel), n: 1, role: roleOther, part: part},
		tensor{name: p + ".dt_bias", rows: nv, n: 1, role: roleOther, part: part},
		tensor{name: p + ".A_log", rows: nv, n: 1, role: roleOther, part: part},
		tensor{name: p + ".norm", rows: int64(la.ValueHeadDim), n: 1, role: roleNorm, part: part},
		tensor{name: p + ".out_proj", rows: H, cols: vDim, n: 1, role: roleLinear, part: part})
}

func appendMamba(ts []tensor, f *Facts, p string, part Part) []tensor {
	m := f.Mamba
	if m == nil {
		return ts
	}
	H := int64(f.Hidden)
	inner := int64(m.Inner())
	gs := int64(m.Groups * m.StateSize)
	nh := int64(m.NumHeads)
	conv := inner + 2*gs
	ts = append(ts,
		tensor{name: p + ".in_proj", rows: 2*inner + 2*gs + nh, cols: H, n: 1, role: roleLinear, part: part},
		tensor{name: p + ".conv1d", rows: conv, cols: int64(m.ConvKernel), n: 1, role: roleOther, part: part},
		tensor{name: p + ".dt_bias", rows: nh, n: 1, role: roleOther, part: part},
		tensor{name: p + ".A_log", rows: nh, n: 1, role: roleOther, part: part},
		tensor{name: p + ".D", rows: nh, n: 1, role: roleOther, part: part},
		tensor{name: p + ".norm", rows: inner, n: 1, role: roleNorm, part: part},
		tensor{name: p + ".out_proj", rows: H, cols: inner, n: 1, role: roleLinear, part: part})
	if m.ConvBias {
		ts = append(ts, tensor{name: p + ".conv1d.bias", rows: conv, n: 1, role: roleOther, part: part})
	}
	if m.ProjBias {
		ts = append(ts,
			tensor{name: p + ".in_proj.bias", rows: 2*inner + 2*gs + nh, n: 1, role: roleBias, part: part},
			tensor{name: p + ".out_proj.bias", rows: H, n: 1, role: roleBias, part: part})
	}
	return ts
}

func appendDenseMLP(ts []tensor, f *Facts, p string, I int64, part Part) []tensor {
	H := int64(f.Hidden)
	if f.UngatedMLP {
		return append(ts,
			tensor{name: p + ".fc1", rows: I, cols: H, n: 1, role: roleLinear, part: part},
			tensor{name: p + ".fc1.bias", rows: I, n: 1, role: roleBias, part: part},
			tensor{name: p + ".fc2", rows: H, cols: I, n: 1, role: roleLinear, part: part},
			tensor{name: p + ".fc2.bias", rows: H, n: 1, role: roleBias, part: part})
	}
	return append(ts,
		tensor{name: p + ".gate_proj", rows: I, cols: H, n: 1, role: roleLinear, part: part},
		tensor{name: p + ".up_proj", rows: I, cols: H, n: 1, role: roleLinear, part: part},
		tensor{name: p + ".down_proj", rows: H, cols: I, n: 1, role: roleLinear, part: part})
}

func appendMoE(ts []tensor, f *Facts, p string, part Part) []tensor {
	m := f.MoE
	if m == nil {
		return appendDenseMLP(ts, f, p, int64(f.Intermediate), part)
	}
	H, E, I := int64(f.Hidden), int64(m.Routed), int64(m.Intermediate)
	routerName := p + ".gate"
	switch f.family() {
	case "gpt_oss":
		// gpt-oss fuses gate and up into one tensor and has biases on every expert matmul.
		return append(ts,
			tensor{name: p + ".router", rows: E, cols: H, n: 1, role: roleRouter, part: part},
			tensor{name: p + ".router.bias", rows: E, n: 1, role: roleRouter, part: part},
			tensor{name: p + ".experts.gate_up_proj", rows: 2 * I, cols: H, n: E, role: roleLinear, part: part, expert: true},
			tensor{name: p + ".experts.gate_up_proj_bias", rows: 2 * I, n: E, role: roleBias, part: part, expert: true},
			tensor{name: p + ".experts.down_proj", rows: H, cols: I, n: E, role: roleLinear, part: part, expert: true},
			tensor{name: p + ".experts.down_proj_bias", rows: H, n: E, role: roleBias, part: part, expert: true})
	case "nemotron_h":
		// Nemotron-3 experts are relu² MLPs (vLLM nemotron_h.py NemotronHMoE, mlp_hidden_act relu2): up and down
		// projections only, no gate; the shared expert likewise.
		ts = append(ts,
			tensor{name: p + ".experts.up_proj", rows: I, cols: H, n: E, role: roleLinear, part: part, expert: true},
			tensor{name: p + ".experts.down_proj", rows: H, cols: I, n: E, role: roleLinear, part: part, expert: true},
			tensor{name: p + ".gate", rows: E, cols: H, n: 1, role: roleRouter, part: part},
			tensor{name: p + ".gate.e_score_correction_bias", rows: E, n: 1, role: roleF32, part: part})
		if m.SharedCount > 0 && m.SharedIntermediate > 0 {
			S := int64(m.SharedCount * m.SharedIntermediate)
			ts = append(ts,
				tensor{name: p + ".shared_experts.up_proj", rows: S, cols: H, n: 1, role: roleLinear, part: part},
				tensor{name: p + ".shared_experts.down_proj", rows: H, cols: S, n: 1, role: roleLinear, part: part})
		}
		return ts
	case "llama4":
		// Llama 4 fuses gate and up per expert ([E, H, 2I]); one shared expert and a router beside them.
		ts = append(ts,
			tensor{name: p + ".experts.gate_up_proj", rows: 2 * I, cols: H, n: E, role: roleLinear, part: part, expert: true},
			tensor{name: p + ".experts.down_proj", rows: H, cols: I, n: E, role: roleLinear, part: part, expert: true},
			tensor{name: p + ".router", rows: E, cols: H, n: 1, role: roleRouter, part: part})
		if m.SharedCount > 0 && m.SharedIntermediate > 0 {
			ts = appendDenseMLP(ts, f, p+".shared_expert", int64(m.SharedCount*m.SharedIntermediate), part)
		}
		return ts
	case "minimax_m2", "mixtral":
		p = strings.TrimSuffix(p, ".mlp") + ".block_sparse_moe"
		routerName = p + ".gate"
		ts = append(ts,
			tensor{name: p + ".experts.w1", rows: I, cols: H, n: E, role: roleLinear, part: part, expert: true},
			tensor{name: p + ".experts.w3", rows: I, cols: H, n: E, role: roleLinear, part: part, expert: true},
			tensor{name: p + ".experts.w2", rows: H, cols: I, n: E, role: roleLinear, part: part, expert: true})
	default:
		ts = append(ts,
			tensor{name: p + ".experts.gate_proj", rows: I, cols: H, n: E, role: roleLinear, part: part, expert: true},
			tensor{name: p + ".experts.up_proj", rows: I, cols: H, n: E, role: roleLinear, part: part, expert: true},
			tensor{name: p + ".experts.down_proj", rows: H, cols: I, n: E, role: roleLinear, part: part, expert: true})
	}
	routerRole := roleRouter
	if f.family() == "minimax_m2" {
		routerRole = roleF32 // MiniMax-M2 stores its router in float32 (hf-mem: 62.65M F32)
	}
	ts = append(ts, tensor{name: routerName, rows: E, cols: H, n: 1, role: routerRole, part: part})
	if m.RouterBias {
		ts = append(ts, tensor{name: routerName + ".e_score_correction_bias", rows: E, n: 1, role: roleF32, part: part})
	}
	if m.SharedCount > 0 && m.SharedIntermediate > 0 {
		name := p + ".shared_experts"
		if m.SharedGate {
			name = p + ".shared_expert"
		}
		// DeepSeek fuses its n_shared_experts into one MLP of n × moe_intermediate_size.
		ts = appendDenseMLP(ts, f, name, int64(m.SharedCount*m.SharedIntermediate), part)
		if m.SharedGate {
			ts = append(ts, tensor{name: p + ".shared_expert_gate", rows: 1, cols: H, n: 1, role: roleRouter, part: part})
		}
	}
	return ts
}

func appendMTP(ts []tensor, f *Facts, est *ParamEstimate) []tensor {
	if f.MTPLayers == 0 {
		if f.MTPDeclared > 0 {
			est.Excluded = append(est.Excluded, fmt.Sprintf("%d MTP modules declared but not shipped in the checkpoint", f.MTPDeclared))
		}
		return ts
	}
	H, V := int64(f.Hidden), int64(f.Vocab)
	switch f.family() {
	case "qwen3_next", "qwen3_5", "qwen3_5_moe":
		for j := 0; j < f.MTPLayers; j++ {
			p := fmt.Sprintf("mtp.layers.%d", j)
			ts = appendLayer(ts, f, p, f.Layers+j, LayerFull, PartMTP)
		}
		ts = append(ts,
			tensor{name: "mtp.fc", rows: H, cols: 2 * H, n: 1, role: roleLinear, part: PartMTP},
			tensor{name: "mtp.pre_fc_norm_embedding", rows: H, n: 1, role: roleNorm, part: PartMTP},
			tensor{name: "mtp.pre_fc_norm_hidden", rows: H, n: 1, role: roleNorm, part: PartMTP},
			tensor{name: "mtp.norm", rows: H, n: 1, role: roleNorm, part: PartMTP})
		return ts
	}
	// DeepSeek-style: layer L+j is a full decoder layer plus enorm, hnorm, eh_proj and a
	// shared_head norm. DeepSeek-V3's checkpoint also stores its own copy of the embedding
	// and the output head in every MTP layer (671B + 14B MTP = 685B on its card).
	for j := 0; j < f.MTPLayers; j++ {
		i := f.Layers + j
		p := fmt.Sprintf("model.layers.%d", i)
		ts = appendLayer(ts, f, p, i, LayerFull, PartMTP)
		ts = append(ts,
			tensor{name: p + ".enorm", rows: H, n: 1, role: roleNorm, part: PartMTP},
			tensor{name: p + ".hnorm", rows: H, n: 1, role: roleNorm, part: PartMTP},
			tensor{name: p + ".eh_proj", rows: H, cols: 2 * H, n: 1, role: roleLinear, part: PartMTP},
			tensor{name: p + ".shared_head.norm", rows: H, n: 1, role: roleNorm, part: PartMTP})
		if mtpHasOwnEmbedding(f) {
			ts = append(ts,
				tensor{name: p + ".embed_tokens", rows: V, cols: H, n: 1, role: roleEmbed, part: PartMTP},
				tensor{name: p + ".shared_head.head", rows: V, cols: H, n: 1, role: roleHead, part: PartMTP})
		}
	}
	return ts
}

// mtpHasOwnEmbedding: DeepSeek V3/V3.2 checkpoints repeat embed_tokens and shared_head.head
// inside the MTP layer; GLM-5's ignored_layers for its MTP layer list only eh_proj, enorm,
// hnorm and shared_head.norm, so it shares the main ones.
func mtpHasOwnEmbedding(f *Facts) bool {
	switch f.family() {
	case "deepseek_v3", "deepseek_v32", "kimi_k2":
		return true
	}
	return false
}

// appendVision counts the vision tower: Qwen3-VL style (Qwen3-VL, Qwen3.5) here, ViT towers with a projector into
// the text model in appendViT (SigLIP, CLIP, Pixtral, MoonViT, Llama 4). Other towers are reported as excluded
// rather than guessed.
func appendVision(ts []tensor, f *Facts, est *ParamEstimate) []tensor {
	v := f.Vision
	if v == nil {
		return ts
	}
	switch v.ModelType {
	case "qwen3_vl", "qwen3_vl_moe", "qwen3_5", "qwen3_5_moe":
	case "siglip_vision_model", "clip_vision_model", "pixtral", "moonvit", "llama4_vision_model":
		return appendViT(ts, f, est)
	default:
		est.Excluded = append(est.Excluded, fmt.Sprintf("vision tower (vision_config.model_type %q has no formula here)", v.ModelType))
		return ts
	}
	if v.Depth == 0 || v.Hidden == 0 || v.Intermediate == 0 || v.PatchSize == 0 || v.OutHidden == 0 {
		est.Excluded = append(est.Excluded, "vision tower (vision_config lacks depth, hidden_size, intermediate_size, patch_size or out_hidden_size)")
		return ts
	}
	D, I := int64(v.Hidden), int64(v.Intermediate)
	patchIn := int64(v.InChannels * v.TemporalPatchSize * v.PatchSize * v.PatchSize)
	p := "model.visual"
	ts = append(ts,
		tensor{name: p + ".patch_embed.proj", rows: D, cols: patchIn, n: 1, role: roleOther, part: PartVision},
		tensor{name: p + ".patch_embed.proj.bias", rows: D, n: 1, role: roleBias, part: PartVision})
	if v.PositionEmbeddings > 0 {
		ts = append(ts, tensor{name: p + ".pos_embed", rows: int64(v.PositionEmbeddings), cols: D, n: 1, role: roleOther, part: PartVision})
	}
	blk := int64(v.Depth)
	ts = append(ts,
		tensor{name: p + ".blocks.norm1", rows: 2 * D, n: blk, role: roleNorm, part: PartVision},
		tensor{name: p + ".blocks.norm2", rows: 2 * D, n: blk, role: roleNorm, part: PartVision},
		tensor{name: p + ".blocks.attn.qkv", rows: 3 * D, cols: D, n: blk, role: roleLinear, part: PartVision},
		tensor{name: p + ".blocks.attn.qkv.bias", rows: 3 * D, n: blk, role: roleBias, part: PartVision},
		tensor{name: p + ".blocks.attn.proj", rows: D, cols: D, n: blk, role: roleLinear, part: PartVision},
		tensor{name: p + ".blocks.attn.proj.bias", rows: D, n: blk, role: roleBias, part: PartVision},
		tensor{name: p + ".blocks.mlp.linear_fc1", rows: I, cols: D, n: blk, role: roleLinear, part: PartVision},
		tensor{name: p + ".blocks.mlp.linear_fc1.bias", rows: I, n: blk, role: roleBias, part: PartVision},
		tensor{name: p + ".blocks.mlp.linear_fc2", rows: D, cols: I, n: blk, role: roleLinear, part: PartVision},
		tensor{name: p + ".blocks.mlp.linear_fc2.bias", rows: D, n: blk, role: roleBias, part: PartVision})
	merge := int64(v.SpatialMergeSize * v.SpatialMergeSize)
	M := D * merge
	out := int64(v.OutHidden)
	merger := func(name string, normDim int64) {
		ts = append(ts,
			tensor{name: name + ".norm", rows: 2 * normDim, n: 1, role: roleNorm, part: PartVision},
			tensor{name: name + ".linear_fc1", rows: M, cols: M, n: 1, role: roleLinear, part: PartVision},
			tensor{name: name + ".linear_fc1.bias", rows: M, n: 1, role: roleBias, part: PartVision},
			tensor{name: name + ".linear_fc2", rows: out, cols: M, n: 1, role: roleLinear, part: PartVision},
			tensor{name: name + ".linear_fc2.bias", rows: out, n: 1, role: roleBias, part: PartVision})
	}
	merger(p+".merger", D)
	for k := 0; k < v.DeepstackMergers; k++ {
		merger(p+".deepstack_merger_list."+strconv.Itoa(k), M) // post-shuffle norm over the merged width
	}
	return ts
}

// appendViT counts a ViT vision tower and the projector that maps its features into the text model, as
// transformers lays them out: patch embedding (C × P² → D), position embedding where the tower learns one (SigLIP and
// CLIP over (image_size / patch_size)² positions, MoonViT over its init_pos_emb grid), per block q/k/v/o (with
// biases except Pixtral), a two-matrix MLP (Pixtral: gated, three) and two norms; then the projector of the
// multimodal wrapper (llava_next: two linears from the concatenated feature layers; mistral3: a 2 × 2 patch merger
// and two linears; gemma3: one projection; kimi_vl: two linears after a 2 × 2 merge; llama4: the pixel-shuffle MLP
// and one linear).
func appendViT(ts []tensor, f *Facts, est *ParamEstimate) []tensor {
	v := f.Vision
	if v.Depth == 0 || v.Hidden == 0 || v.Intermediate == 0 || v.PatchSize == 0 {
		est.Excluded = append(est.Excluded, "vision tower (vision_config lacks num_hidden_layers, hidden_size, intermediate_size or patch_size)")
		return ts
	}
	D, I, H := int64(v.Hidden), int64(v.Intermediate), int64(f.Hidden)
	p := "vision_tower"
	add := func(name string, rows, cols int64, n int64, r role) {
		ts = append(ts, tensor{name: p + "." + name, rows: rows, cols: cols, n: n, role: r, part: PartVision})
	}
	add("patch_embedding", D, int64(v.InChannels*v.PatchSize*v.PatchSize), 1, roleOther)
	side := int64(0)
	if v.ImageSize > 0 {
		side = int64(v.ImageSize / v.PatchSize)
	}
	switch v.ModelType {
	case "siglip_vision_model", "clip_vision_model", "llama4_vision_model":
		add("position_embedding", side*side+1, D, 1, roleOther)
	case "moonvit":
		add("pos_emb", int64(max(1, v.PosEmbHeight)*max(1, v.PosEmbWidth)), D, 1, roleOther)
	}
	blk := int64(v.Depth)
	add("layers.attn.qkvo", 4*D, D, blk, roleLinear)
	if v.ModelType != "pixtral" {
		add("layers.attn.bias", 4*D, 0, blk, roleBias)
	}
	if v.ModelType == "pixtral" {
		add("layers.mlp.gate_up", 2*I, D, blk, roleLinear)
		add("layers.mlp.down", D, I, blk, roleLinear)
	} else {
		add("layers.mlp.fc1", I, D, blk, roleLinear)
		add("layers.mlp.fc2", D, I, blk, roleLinear)
		add("layers.mlp.bias", I+D, 0, blk, roleBias)
	}
	add("layers.norms", 4*D, 0, blk, roleNorm)
	add("post_layernorm", 2*D, 0, 1, roleNorm)
	p = "multi_modal_projector"
	switch f.ModelType {
	case "llava_next", "llava":
		in := D * int64(max(1, v.FeatureLayers))
		add("linear_1", H, in, 1, roleLinear)
		add("linear_2", H, H, 1, roleLinear)
		add("bias", 2*H, 0, 1, roleBias)
	case "mistral3":
		m := int64(max(1, f.SpatialMergeSize))
		add("patch_merger", D, D*m*m, 1, roleLinear)
		add("norm", D, 0, 1, roleNorm)
		add("linear_1", H, D, 1, roleLinear)
		add("linear_2", H, H, 1, roleLinear)
	case "gemma3":
		add("mm_input_projection", H, D, 1, roleLinear)
		add("mm_soft_emb_norm", D, 0, 1, roleNorm)
	case "kimi_vl":
		add("pre_norm", 4*D, 0, 1, roleNorm)
		add("linear_1", 4*D, 4*D, 1, roleLinear)
		add("linear_2", H, 4*D, 1, roleLinear)
	case "llama4":
		add("vision_adapter.mlp.fc1", int64(v.ProjectorDim), 4*D, 1, roleLinear)
		add("vision_adapter.mlp.fc2", int64(v.ProjectorDim), int64(v.ProjectorDim), 1, roleLinear)
		add("linear_1", H, int64(v.ProjectorDim), 1, roleLinear)
	default:
		est.Excluded = append(est.Excluded, fmt.Sprintf("multimodal projector (model_type %q has no formula here)", f.ModelType))
	}
	return ts
}
