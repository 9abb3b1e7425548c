package plan

import (
	"fmt"
	"slices"

	"github.com/llm-charts/llm-charts/internal/engine"
	"github.com/llm-charts/llm-charts/internal/gpu"
	"github.com/llm-charts/llm-charts/internal/model"
)

// LoRA is what the user asked of LoRA adapters (MaxLoras 0 = off).
type LoRA struct {
	// MaxLoras is the adapter slots on the GPU (vLLM --max-loras, SGLang --max-loras-per-batch).
	MaxLoras int
	// MaxRank is the largest adapter rank (--max-lora-rank; 0 = DefaultLoRARank).
	MaxRank int
	// MaxCPULoras is vLLM's --max-cpu-loras (0 = MaxLoras): host memory only, no GPU bytes.
	MaxCPULoras int
}

// LoRA defaults of the pinned engines (each engine's Planner.LoRA; internal/engine says where they come from),
// named here for internal/cli's flag help.
const (
	DefaultLoRARank        = engine.DefaultLoRARank
	DefaultVLLMMaxLoras    = engine.VLLMDefaultMaxLoras
	DefaultSGLangMaxLoras  = engine.SGLangDefaultMaxLoras
	ReasonLoRA             = "lora"
	loraPunicaBytesPerTok  = 6 * 8 // punica metadata: about six int64 index tensors of max_num_batched_tokens
	loraShrinkSlices       = 3     // the widest packed module (qkv) shrinks into 3 fp32 slices per token
	loraShrinkBytesPerElem = 4
)

// VLLMLoRARanks are the ranks vLLM takes for --max-lora-rank (engine.VLLMLoRARanks), for internal/cli's check.
var VLLMLoRARanks = engine.VLLMLoRARanks

// LoRAPlan is the LoRA capacity a plan reserves, with what it costs.
type LoRAPlan struct {
	MaxLoras    int `json:"maxLoras"`
	MaxRank     int `json:"maxRank"`
	MaxCPULoras int `json:"maxCpuLoras,omitempty"`
	// BytesPerGPU is the adapter slots' weight buffers and the punica metadata on the most loaded GPU.
	BytesPerGPU int64 `json:"bytesPerGPU"`
	// KVTokensWithout is the same layout's KV capacity without LoRA (0 when unknown).
	KVTokensWithout int64 `json:"kvTokensWithout"`
}

// loraDefaults fills the engine defaults into a LoRA that is on.
func loraDefaults(l LoRA, e engine.Engine) LoRA {
	if l.MaxLoras == 0 && l.MaxRank == 0 && l.MaxCPULoras == 0 {
		return LoRA{}
	}
	if l.MaxLoras == 0 {
		l.MaxLoras = e.LoRA().DefaultMaxLoras
	}
	if l.MaxRank == 0 {
		l.MaxRank = DefaultLoRARank
	}
	return l
}

// checkLoRA refuses what no engine serves (negative counts, LoRA on an embedding model: the chart serves adapters
// for generation only) and what the engine refuses (Planner.CheckLoRA: vLLM's ranks and CPU slots, SGLang's
// missing CPU slots and its LoRA with speculative methods other than n-gram).
func checkLoRA(l LoRA, e engine.Engine, task model.Task, spec Speculative) error {
	if l.MaxLoras == 0 {
		return nil
	}
	switch {
	case l.MaxLoras < 0 || l.MaxRank < 0 || l.MaxCPULoras < 0:
		return fmt.Errorf("LoRA max loras %d, rank %d and CPU loras %d must be positive", l.MaxLoras, l.MaxRank, l.MaxCPULoras)
	case task == model.TaskEmbed:
		return fmt.Errorf("LoRA adapters are served for generation only; an embedding model (task embed) takes none")
	}
	return e.CheckLoRA(l.MaxLoras, l.MaxRank, l.MaxCPULoras, spec.Method)
}

// loraPair is one LoRA-wrapped linear layer's buffers for one slot on one GPU: lora_a is rank × in, lora_b out ×
// rank, in the model dtype. A column-parallel layer (qkv, gate/up) keeps lora_a whole and shards lora_b's out by TP;
// a row-parallel one (o, down) shards lora_a's in and keeps lora_b whole (vllm/lora/layers column_parallel_linear.py
// and row_parallel_linear.py without fully_sharded_loras; SGLang's lora/mem_pool.py get_lora_A_shape/get_lora_B_shape
// divide the same side by TP).
func loraPair(in, out int64, rank int64) int64 { return rank * (in + out) }

// loraLayerElems is one decoder layer's LoRA buffer elements for one slot of rank r on one TP rank.
//
// Modules: attention q/k/v (packed qkv) and o, MLP gate/up (packed) and down, the vLLM default (every module the
// model's SupportsLoRA packed_modules_mapping names) and SGLang's --lora-target-modules all. MLA attention: q_a/q_b
// (or q), kv_a and kv_b, o. MoE layers: every routed expert's gate/up and down (vLLM v0.19.0 wraps FusedMoE with
// FusedMoEWithLoRA, allocating per expert: vllm/lora/layers/fused_moe.py; SGLang v0.5.19's MoE LoRA is newer and
// target-dependent, so counting it there is a guess on the safe side) plus shared experts as a plain MLP; the
// router gate is not wrapped. Mamba and linear-attention mixers are counted as a full attention layer's projections
// (a guess: the engines' LoRA support for them varies).
func loraLayerElems(f *model.Facts, layer int, r, tp int64) int64 {
	h := int64(f.Hidden)
	var n int64
	if m := f.MLA; m != nil {
		heads := int64(f.Heads)
		qk := int64(m.QKNopeHeadDim + m.QKRopeHeadDim)
		if m.QLoraRank > 0 {
			n += loraPair(h, int64(m.QLoraRank), r)           // q_a: replicated
			n += loraPair(int64(m.QLoraRank), heads*qk/tp, r) // q_b: column
		} else {
			n += loraPair(h, heads*qk/tp, r) // q: column
		}
		n += loraPair(h, int64(m.KVLoraRank+m.QKRopeHeadDim), r)                          // kv_a: replicated
		n += loraPair(int64(m.KVLoraRank), heads*int64(m.QKNopeHeadDim+m.VHeadDim)/tp, r) // kv_b: column
		n += loraPair(heads*int64(m.VHeadDim)/tp, h, r)                                   // o: row
	} else {
		q := int64(f.Heads*f.HeadDim) / tp
		kv := int64(f.HeadDim) * max(1, int64(f.KVHeads)/tp) // KV heads replicate when TP is above them
		n += 3*r*h + r*(q+2*kv)                              // qkv: three lora_a slices of the hidden size, lora_b sharded
		n += loraPair(int64(f.Heads*f.HeadDim)/tp, h, r)     // o: row
	}
	mlp := func(inter int64) int64 { return 2*r*h + 2*r*inter/tp + loraPair(inter/tp, h, r) } // gate/up + down
	if moe := f.MoE; moe != nil && moe.Routed > 0 && !slices.Contains(moe.DenseLayers, layer) {
		n += int64(moe.Routed) * mlp(int64(moe.Intermediate))
		if moe.SharedCount > 0 {
			n += mlp(int64(moe.SharedCount * moe.SharedIntermediate))
		}
	} else {
		n += mlp(int64(f.Intermediate))
	}
	return n
}

// loraDTypeBytes is the model dtype's size: vLLM's lora_dtype "auto" and SGLang's pool take the model dtype, also for
// quantized checkpoints (the adapters are not quantized).
func loraDTypeBytes(f *model.Facts) int64 {
	if f.DType == "float32" {
		return 4
	}
	return 2
}

// LoRABytesPerGPU is what the engine pre-allocates on the most loaded GPU for l.MaxLoras adapter slots at rank
// l.MaxRank: every LoRA-able linear layer of the largest pipeline stage (see loraLayerElems), the embedding and the
// head (vocab × rank and hidden × rank per slot, on both end stages: a guess on the safe side, vLLM wraps them only
// when an adapter targets them), plus the punica metadata and the shrink kernel's fp32 intermediate over
// max-num-batched-tokens tokens. The buffers are allocated when the model loads (vLLM's create_lora_manager,
// SGLang's init_lora_manager before the KV pool), so they come out of the KV cache.
func LoRABytesPerGPU(f *model.Facts, l LoRA, layout model.Layout, mnbt int) int64 {
	if l.MaxLoras <= 0 || l.MaxRank <= 0 {
		return 0
	}
	r, tp := int64(l.MaxRank), int64(max(1, layout.TP))
	var most int64
	for _, st := range model.StageLayers(f.Layers, max(1, layout.PP)) {
		var s int64
		for i := st[0]; i < st[1]; i++ {
			s += loraLayerElems(f, i, r, tp)
		}
		most = max(most, s)
	}
	v := int64(f.Vocab)
	most += 2 * (r*v + r*int64(f.Hidden)) // embedding and head: a vocab × rank and a hidden × rank buffer each
	slot := most * loraDTypeBytes(f)
	meta := int64(max(1, mnbt)) * (loraPunicaBytesPerTok + int64(loraShrinkSlices)*r*loraShrinkBytesPerElem)
	return int64(l.MaxLoras)*slot + meta
}

// loraReason is the lora reason: the slots, their bytes per GPU and the KV capacity they take.
func loraReason(lp *LoRAPlan, f *model.Facts, rules engine.LoRARules, kvTokens int64) string {
	mods := "attention q/k/v/o and MLP gate/up/down"
	if f.MoE != nil && f.MoE.Routed > 0 {
		mods = fmt.Sprintf("attention q/k/v/o and the gate/up/down of each of the %d routed experts (and shared ones)", f.MoE.Routed)
		mods += rules.ExpertsNote
	}
	r := fmt.Sprintf("%d adapter slot(s) (%s) at rank %d: the engine pre-allocates %.2f GiB per GPU of LoRA buffers when the model loads (lora_a rank × in and lora_b out × rank per slot for %s, in the model dtype, sharded by TP; the embedding and head counted too, on the safe side), out of the KV cache",
		lp.MaxLoras, rules.SlotsFlag, lp.MaxRank, float64(lp.BytesPerGPU)/GiB, mods)
	return r + kvCostWords(kvTokens, lp.KVTokensWithout, "LoRA")
}

// loraPlan is the LoRA capacity of a plan that holds, with its cost: the bytes per GPU and the KV capacity of the
// plan chartgen makes on the same layout without it.
func (p *Plan) loraPlan(in Input, g gpu.GPU, o Options, l LoRA, bytes int64) *LoRAPlan {
	lp := &LoRAPlan{MaxLoras: l.MaxLoras, MaxRank: l.MaxRank, MaxCPULoras: l.MaxCPULoras, BytesPerGPU: bytes}
	base := o
	base.LoRA = LoRA{}
	lay := p.layout()
	base.Layout = &lay
	if b, err := New(in, g, base); err == nil && b.NotFit == "" {
		lp.KVTokensWithout = b.KVTokens
	}
	p.Reasons[ReasonLoRA] = loraReason(lp, p.facts, engine.MustLookup(p.Engine).LoRA(), p.KVTokens)
	return lp
}
