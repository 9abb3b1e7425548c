package plan

import (
	"fmt"
	"slices"
	"strings"
)

// Planning objectives: how the search picks among the one-pod layouts that hold the model and one full context.
const (
	// ObjectiveGPUs takes the fewest GPUs, whatever the layout.
	ObjectiveGPUs = "gpus"
	// ObjectiveBalanced takes the fewest GPUs, or one GPU more when that buys a pod of 1, 2, 4 or 8 GPUs or fewer
	// pipeline stages (more TP).
	ObjectiveBalanced = "balanced"
	// ObjectiveLatency takes the fewest pipeline stages any one-pod layout allows, then the fewest GPUs.
	ObjectiveLatency = "latency"
	// DefaultObjective is balanced: the operations guide sizes TP first ("TP up to the KV heads, then PP"), uses PP
	// for the GPU counts TP cannot take, and ties the large-GPU toleration to pods of 4 or 8 GPUs; a 3-GPU pod at
	// TP 1 × PP 3 is the fewest GPUs but decodes through three stages per token and misses that toleration, while 4
	// GPUs at TP 4 cost one GPU more.
	DefaultObjective = ObjectiveBalanced
)

// Objectives lists the allowed Options.Objective values.
var Objectives = []string{ObjectiveBalanced, ObjectiveGPUs, ObjectiveLatency}

// CheckObjective returns an error naming the allowed values for an unknown objective ("" is the default).
func CheckObjective(o string) error {
	if o == "" || slices.Contains(Objectives, o) {
		return nil
	}
	return fmt.Errorf("objective %q is not known; allowed: %s", o, strings.Join(Objectives, ", "))
}

// Alternative is one one-pod layout that holds the model and one full context: the guide's preferred layout at that
// GPU count, with its KV capacity, and the objectives that pick it.
type Alternative struct {
	GPUs        int      `json:"gpus"`
	TP          int      `json:"tensorParallel"`
	PP          int      `json:"pipelineParallel"`
	DCP         int      `json:"decodeContextParallel"`
	EP          bool     `json:"expertParallel,omitempty"`
	KVTokens    int64    `json:"kvTokens"`
	Concurrency float64  `json:"concurrency"`
	Chosen      bool     `json:"chosen,omitempty"`
	PickedBy    []string `json:"pickedBy,omitempty"`
}

func gpusOf(c candidate) int { return c.GPUs() }

// podSize124 reports whether n is a pod size of 1, 2, 4 or 8 GPUs (a power of two).
func podSize124(n int) bool { return n > 0 && n&(n-1) == 0 }

// pickByObjective chooses among the fitting one-pod layouts, fewest GPUs first: at each count the guide's preferred
// one, then one with fewer pipeline stages where there is one (onePod); gpus and balanced look at the preferred ones,
// latency at all. It says why.
func pickByObjective(alts []candidate, objective string) (int, string) {
	if objective == "" {
		objective = DefaultObjective
	}
	n0, pp0 := gpusOf(alts[0]), max(1, alts[0].Layout.PP)
	fewest := fmt.Sprintf("%d GPU(s) at TP %d × PP %d", n0, max(1, alts[0].Layout.TP), pp0)
	switch objective {
	case ObjectiveGPUs:
		return 0, fmt.Sprintf("gpus: the fewest GPUs that hold the weights and one full context, %s", fewest)
	case ObjectiveLatency:
		best := 0
		for i, c := range alts {
			if max(1, c.Layout.PP) < max(1, alts[best].Layout.PP) {
				best = i
			}
		}
		c := alts[best]
		why := fmt.Sprintf("latency: the fewest pipeline stages a one-pod layout allows (PP %d; each stage is a hop per decoded token), then the fewest GPUs: %d GPU(s) at TP %d", max(1, c.Layout.PP), gpusOf(c), max(1, c.Layout.TP))
		if best != 0 {
			why += fmt.Sprintf(" (the fewest GPUs would be %s)", fewest)
		}
		return best, why
	}
	// balanced
	const guide = "the guide sizes TP first, up to the KV heads, and PP only for the GPU counts TP cannot take (pipeline-only decode is slow per request), and ties the large-gpu toleration to pods of 4 or 8 GPUs"
	next := slices.IndexFunc(alts, func(c candidate) bool { return gpusOf(c) == n0+1 })
	if next > 0 {
		c := alts[next]
		n1, pp1 := gpusOf(c), max(1, c.Layout.PP)
		pow0, pow1 := podSize124(n0), podSize124(n1)
		if (pow1 || !pow0) && pp1 <= pp0 && (pow1 && !pow0 || pp1 < pp0) {
			var buys []string
			if pow1 && !pow0 {
				buys = append(buys, fmt.Sprintf("a pod of %d GPUs instead of %d", n1, n0))
			}
			if pp1 < pp0 {
				buys = append(buys, fmt.Sprintf("TP %d × PP %d instead of TP %d × PP %d", max(1, c.Layout.TP), pp1, max(1, alts[0].Layout.TP), pp0))
			}
			return next, fmt.Sprintf("balanced (the default): %s hold it, but one GPU more buys %s; %s (--objective gpus takes %d)", fewest, strings.Join(buys, " and "), guide, n0)
		}
	}
	why := fmt.Sprintf("balanced (the default): the fewest GPUs, %s", fewest)
	switch {
	case podSize124(n0) && pp0 == 1:
		why += ", already a pod of 1, 2, 4 or 8 GPUs without pipeline stages"
	default:
		why += fmt.Sprintf(": %d GPUs give neither a pod of 1, 2, 4 or 8 GPUs nor fewer pipeline stages, and more than one GPU extra is not worth it here (--objective latency takes the fewest stages)", n0+1)
	}
	return 0, why
}

// alternatives lists the fitting one-pod layouts with their KV capacity (measure gives each one's budget and one
// context's need) and the objectives that pick each; chosen is marked.
func alternatives(alts []candidate, chosen candidate, objective string, measure func(candidate) fit, ctx int) []Alternative {
	if len(alts) == 0 {
		return nil
	}
	picked := map[int][]string{}
	for _, o := range Objectives {
		i, _ := pickByObjective(alts, o)
		picked[i] = append(picked[i], o)
	}
	out := make([]Alternative, 0, len(alts))
	for i, c := range alts {
		a := Alternative{GPUs: gpusOf(c), TP: max(1, c.Layout.TP), PP: max(1, c.Layout.PP), DCP: max(1, c.Layout.DCP), EP: c.EP, PickedBy: picked[i],
			Chosen: c.Layout == chosen.Layout}
		if r := measure(c); r.need > 0 && r.budget > 0 {
			a.Concurrency = float64(r.budget) / float64(r.need)
			a.KVTokens = int64(a.Concurrency * float64(ctx))
		}
		out = append(out, a)
	}
	return out
}
