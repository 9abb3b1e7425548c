package engine

import (
	"fmt"

	"github.com/llm-charts/llm-charts/internal/model"
)

// MaxPPPerPod bounds the pipeline stages inside one pod: the guide's examples stop at PP 4 inside a node ("8 GPUs
// using --tensor-parallel-size 2 --pipeline-parallel-size 4") and warn that PP costs VRAM and speed, so a count
// such as 5 or 7 GPUs that only TP 1 × PP 5/7 could use is skipped for the next count TP can share.
const MaxPPPerPod = 4

// Candidate is one layout of one replica that an engine can run.
type Candidate struct {
	Layout model.Layout
	// EP is expert parallelism; DPAttention SGLang's DP attention with DP = TP.
	EP          bool
	DPAttention bool
	// PerPod GPUs in each of Pods pods.
	PerPod, Pods int
	// Why explains the layout.
	Why string
}

// GPUs is the candidate's GPU count.
func (c Candidate) GPUs() int { return max(1, c.Layout.TP) * max(1, c.Layout.PP) }

// layoutClass is where an engine puts one TP × PP shape in its list.
type layoutClass int

const (
	skipLayout  layoutClass = iota
	firstLayout             // among the preferred layouts
	laterLayout             // after them (KV duplication or resharding)
)

// layouts is the search both engines share: TP a power of two within a pod (the guide: TP inside a node,
// {1,2,4,8}), PP takes the rest; TP must divide the attention heads; FP8 block-quantized MoE models whose
// (moe_intermediate_size / TP) % block != 0 get expert parallelism; a dense FP8 block model whose intermediate size
// does not split is skipped. classify sets the engine's DCP and reason and says where the layout goes.
func layouts(f *model.Facts, n, perPod, pods int, classify func(c *Candidate, tp, pp int) layoutClass) []Candidate {
	var out, later []Candidate
	for tp := 8; tp >= 1; tp /= 2 {
		if tp > perPod || perPod%tp != 0 || n%tp != 0 {
			continue
		}
		pp := n / tp
		if pp > f.Layers || f.Heads%tp != 0 || pp/pods > MaxPPPerPod {
			continue
		}
		c := Candidate{Layout: model.Layout{TP: tp, PP: pp, DCP: 1}, PerPod: perPod, Pods: pods}
		if FP8Block(f) {
			b := BlockN(f)
			if f.MoE != nil && f.MoE.Routed > 0 {
				if f.MoE.Intermediate%(tp*b) != 0 && tp > 1 {
					c.EP = true
				}
			} else if f.Intermediate%(tp*b) != 0 && tp > 1 {
				continue
			}
		}
		switch classify(&c, tp, pp) {
		case firstLayout:
			out = append(out, c)
		case laterLayout:
			later = append(later, c)
		}
	}
	all := append(out, later...)
	if pods > 1 {
		// Across nodes every pod must be one whole set of pipeline stages: TP fills the pod.
		var keep []Candidate
		for _, c := range all {
			if c.Layout.TP*c.Layout.PP/pods == perPod && c.Layout.PP%pods == 0 {
				keep = append(keep, c)
			}
		}
		all = keep
	}
	return all
}

// ppWhy explains the pipeline stages of a layout.
func ppWhy(pp, pods int) string {
	switch {
	case pp == 1:
		return "1 (the weights fit without it)"
	case pods > 1:
		return fmt.Sprintf("%d across %d pods (the guide: PP between nodes, TP within)", pp, pods)
	default:
		return fmt.Sprintf("%d for the rest of the GPUs (the guide: PP for counts TP cannot take and to shard weights and KV without duplication)", pp)
	}
}

// BlockN is the FP8 weight block's first dimension (128 when the checkpoint does not say).
func BlockN(f *model.Facts) int {
	if f.Quant != nil && f.Quant.WeightBlock[0] > 0 {
		return f.Quant.WeightBlock[0]
	}
	return 128
}

// FP8Block reports whether the checkpoint is FP8 block-quantized.
func FP8Block(f *model.Facts) bool {
	return f.Quant != nil && f.Quant.Method == "fp8" && f.Quant.WeightBlock[0] > 0
}
