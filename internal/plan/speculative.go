package plan

import (
	"fmt"
	"math"
	"slices"

	"github.com/llm-charts/llm-charts/internal/engine"
	"github.com/llm-charts/llm-charts/internal/gpu"
	"github.com/llm-charts/llm-charts/internal/model"
)

// Speculative decoding methods, engine-neutral (the chart's speculative.method; engine.SpecMTP and the others say
// how each engine spells them).
const (
	SpecMTP    = engine.SpecMTP
	SpecEagle  = engine.SpecEagle
	SpecEagle3 = engine.SpecEagle3
	SpecDraft  = engine.SpecDraft
	SpecNgram  = engine.SpecNgram
)

// SpecMethods lists the allowed Speculative.Method values.
var SpecMethods = []string{SpecMTP, SpecEagle, SpecEagle3, SpecDraft, SpecNgram}

// DefaultSpecTokens is the number of speculative tokens chartgen plans when not asked: 1 for MTP (the model ships
// one MTP layer per predicted token, and vLLM warns that more than n_predict reruns the same layer at a lower
// acceptance rate: vllm/config/speculative.py), 3 for a draft model or n-gram lookup (the engines' documented
// examples: vLLM's EAGLE and SGLang's --speculative-num-steps 3).
func DefaultSpecTokens(method string, f *model.Facts) int {
	if method == SpecMTP && f != nil && f.MTPLayers > 0 {
		return f.MTPLayers
	}
	if method == SpecMTP {
		return 1
	}
	return 3
}

// Speculative is what the user asked of speculative decoding.
type Speculative struct {
	// Method is one of SpecMethods ("" = off).
	Method string
	// Tokens is the number of speculative tokens (0 = DefaultSpecTokens).
	Tokens int
	// Draft is the draft model (eagle, eagle3, draft): its facts and weights.
	Draft *Input
}

// SpecPlan is the speculative decoding a plan carries, with what it costs.
type SpecPlan struct {
	Method string `json:"method"`
	Tokens int    `json:"numSpeculativeTokens"`
	// DraftModel is the draft's Hugging Face id (eagle, eagle3, draft).
	DraftModel string `json:"draftModel,omitempty"`
	// WeightsPerGPU is the MTP layers' or the draft's weights on the most loaded GPU.
	WeightsPerGPU int64 `json:"weightsBytesPerGPU"`
	// DraftKVPerToken is the drafter's KV per token on one GPU (MTP layers or the draft model's layers).
	DraftKVPerToken int64 `json:"draftKVBytesPerToken"`
	// ActivationPerGPU is the extra activation and sampler memory of the speculative tokens.
	ActivationPerGPU int64 `json:"activationBytesPerGPU"`
	// KVTokensWithout is the same layout's KV capacity without speculative decoding (0 when unknown).
	KVTokensWithout int64 `json:"kvTokensWithout"`
}

// ReasonSpeculative is the reason key of speculative decoding.
const ReasonSpeculative = "speculative"

// MTPUnsupported says why the engine (its values name; "" = the default) cannot run the model's own MTP layers
// ("" when it can).
func MTPUnsupported(f *model.Facts, engineName string) string {
	e, err := engine.Lookup(engineName)
	if err != nil {
		return err.Error()
	}
	return mtpUnsupported(f, e)
}

func mtpUnsupported(f *model.Facts, e engine.Engine) string {
	switch {
	case f.MTPLayers == 0 && f.MTPDeclared > 0:
		return fmt.Sprintf("the config declares %d MTP module(s) but the checkpoint ships no MTP weights, so there is nothing to draft with; use a draft model (--draft-model) or n-gram lookup", f.MTPDeclared)
	case f.MTPLayers == 0:
		return "the model ships no MTP layers; use a draft model (--draft-model) or n-gram lookup"
	}
	if err := e.Supports(engine.MTP(f.Family())); err != nil {
		return err.Error()
	}
	return ""
}

// SpecMethod is the method chartgen --speculative picks: the model's own MTP layers when the engine runs them,
// else a draft model when one is given, else n-gram prompt lookup (no extra weights). The second value says why.
func SpecMethod(f *model.Facts, engineName string, draft bool) (string, string) {
	if draft {
		return SpecDraft, "a draft model was given (--draft-model)"
	}
	why := MTPUnsupported(f, engineName)
	if why == "" {
		return SpecMTP, fmt.Sprintf("the model ships %d MTP layer(s), which the engine runs as the drafter", f.MTPLayers)
	}
	return SpecNgram, "n-gram prompt lookup (no extra weights or KV): " + why
}

// specUnsupported says why a layout cannot run speculative decoding ("" when it can): the pinned engines do not
// combine it with pipeline parallelism (vLLM: the drafter's parallel config is checked for SupportsPP and the
// pipeline's sampled-token broadcast assumes one token per request, vllm-project/vllm#52069 and #57755; SGLang: a
// guess on the safe side, its speculative workers run one pipeline stage).
func specUnsupported(s Speculative, l model.Layout) string {
	if s.Method != "" && max(1, l.PP) > 1 {
		return fmt.Sprintf("speculative decoding (%s) does not run with pipeline parallelism (PP %d) in the pinned engines (vllm-project/vllm#52069, #57755)", s.Method, l.PP)
	}
	return ""
}

// specWeightsPerGPU is the drafter's weights on one GPU besides the MTP layers (which weightsPerGPU places on the last
// stage): a draft model at the target's TP (vLLM's default draft_tensor_parallel_size), with the TP slack.
func specWeightsPerGPU(s Speculative, tp int) int64 {
	if s.Draft == nil || s.Method == SpecMTP || s.Method == SpecNgram {
		return 0
	}
	tp = max(1, tp)
	slack := 1.0
	if tp > 1 {
		slack = TPWeightSlack
	}
	return int64(math.Ceil(float64(s.Draft.Weights.Loaded) * slack / float64(tp)))
}

// specKVPerToken is the drafter's KV per token on one GPU: each MTP layer is one full-attention layer of the model's
// own shape (vLLM allocates it in the same block pool, so every block costs the target's layers plus these); a draft
// model has its own layers. n-gram lookup keeps none.
func specKVPerToken(f *model.Facts, s Speculative, tp int, dtype string) int64 {
	switch {
	case s.Method == SpecMTP:
		kv, err := model.ResolveKVDType(f, dtype)
		if err != nil {
			return 0
		}
		return int64(f.MTPLayers) * model.KVLayerBytesPerToken(f, max(1, tp), kv)
	case s.Draft != nil && s.Method != SpecNgram:
		b, err := model.KVBytesForSequence(s.Draft.Facts, 1024, model.Layout{TP: max(1, tp)}, model.KVOptions{})
		if err != nil {
			return 0
		}
		return b / 1024
	}
	return 0
}

// specTokens is the plan's number of speculative tokens.
func specTokens(s Speculative, f *model.Facts) int {
	if s.Tokens > 0 {
		return s.Tokens
	}
	return DefaultSpecTokens(s.Method, f)
}

// specRows is the rows the sampler sees with k speculative tokens: every request carries its k draft tokens plus the
// bonus token to verify (vLLM's rejection sampler takes [num_reqs × (k + 1), vocab] logits), so the profile run's
// sampler and the warm-up after the KV cache grow by that factor. An estimate on the safe side: the engine's dummy
// run may sample fewer rows.
func specRows(seqs, k int) int { return max(1, seqs) * (1 + max(0, k)) }

// specReason is the speculative reason: the method, what it costs per GPU and the KV capacity it takes.
func specReason(sp *SpecPlan, why string, kvTokens int64) string {
	r := fmt.Sprintf("%s with %d speculative token(s) (%s): %.2f GiB of drafter weights and %.2f GiB of extra activation and sampler memory per GPU; the drafter keeps %s bytes of KV per token per GPU",
		sp.Method, sp.Tokens, why, float64(sp.WeightsPerGPU)/GiB, float64(sp.ActivationPerGPU)/GiB, commas(sp.DraftKVPerToken))
	return r + kvCostWords(kvTokens, sp.KVTokensWithout, "speculative decoding")
}

// kvCostWords is "; KV capacity N tokens against M without <what> on this layout (K fewer, P%)", "" when M is unknown.
func kvCostWords(kvTokens, without int64, what string) string {
	if without <= 0 {
		return ""
	}
	cost := without - kvTokens
	return fmt.Sprintf("; KV capacity %s tokens against %s without %s on this layout (%s fewer, %.1f%%)",
		commas(kvTokens), commas(without), what, commas(cost), 100*float64(cost)/float64(without))
}

// checkSpeculative refuses what no engine runs: an unknown method, speculative decoding of an embedding model, MTP
// where the engine has no drafter for the architecture, a draft method without a draft model, n-gram or MTP with one.
func checkSpeculative(f *model.Facts, s Speculative, e engine.Engine, task model.Task) error {
	if s.Method == "" {
		if s.Draft != nil {
			return fmt.Errorf("a draft model needs speculative decoding: pass --speculative")
		}
		return nil
	}
	if !slices.Contains(SpecMethods, s.Method) {
		return fmt.Errorf("speculative method %q is not known; allowed: %v", s.Method, SpecMethods)
	}
	if task == model.TaskEmbed {
		return fmt.Errorf("speculative decoding drafts generated tokens; an embedding model (task embed) generates none")
	}
	if s.Tokens < 0 {
		return fmt.Errorf("speculative tokens %d must be positive", s.Tokens)
	}
	if err := e.Supports(engine.Speculative(s.Method)); err != nil {
		return err
	}
	switch s.Method {
	case SpecMTP:
		if why := mtpUnsupported(f, e); why != "" {
			return fmt.Errorf("speculative decoding with the model's MTP layers: %s", why)
		}
		if s.Draft != nil {
			return fmt.Errorf("method mtp drafts with the model's own layers; a draft model goes with eagle, eagle3 or draft")
		}
		// vLLM: num_speculative_tokens above n_predict must be a multiple of it (SpeculativeConfig.__post_init__).
		if k := s.Tokens; k > f.MTPLayers && k%f.MTPLayers != 0 {
			return fmt.Errorf("%d speculative tokens with %d MTP layers: above the layer count it must be a multiple of it (vLLM reruns the layers)", k, f.MTPLayers)
		}
	case SpecNgram:
		if s.Draft != nil {
			return fmt.Errorf("method ngram looks tokens up in the prompt; it takes no draft model")
		}
	default:
		if s.Draft == nil || s.Draft.Facts == nil {
			return fmt.Errorf("method %s needs a draft model (--draft-model)", s.Method)
		}
		if s.Draft.Facts.Vocab > 0 && f.Vocab > 0 && s.Draft.Facts.Vocab != f.Vocab && s.Method == SpecDraft {
			return fmt.Errorf("draft model %s has a vocabulary of %d tokens, the model %d: a draft model must share the tokenizer", s.Draft.Name, s.Draft.Facts.Vocab, f.Vocab)
		}
	}
	return nil
}

// specPlan is the speculative decoding of a plan that holds, with its cost: the drafter's weights and the extra
// activation (act: the sampler's larger profile and warm-up, SGLang's speculative reserve) per GPU, and the KV
// capacity of the plan chartgen makes on the same TP × PP without it.
func (p *Plan) specPlan(in Input, g gpu.GPU, o Options, s Speculative, k int, act int64) *SpecPlan {
	sp := &SpecPlan{Method: s.Method, Tokens: k, ActivationPerGPU: act,
		DraftKVPerToken: specKVPerToken(p.facts, s, p.TP, o.KVCacheDType)}
	why := "prompt lookup: no weights, no KV"
	switch {
	case s.Method == SpecMTP:
		// One stage (specUnsupported refuses PP): every rank holds 1/TP of the MTP layers.
		sp.WeightsPerGPU = specWeightsPerGPU(Speculative{Method: SpecDraft, Draft: &Input{Weights: Weights{Loaded: in.Weights.MTP}}}, p.TP)
		why = fmt.Sprintf("the model's %d MTP layer(s) as the drafter", p.facts.MTPLayers)
	case s.Draft != nil:
		sp.DraftModel = s.Draft.Name
		sp.WeightsPerGPU = specWeightsPerGPU(s, p.TP)
		why = "draft model " + s.Draft.Name + " at the model's TP"
	}
	base := o
	base.Speculative, base.SpeculativeMTP = Speculative{}, false
	l := p.layout()
	base.Layout = &l
	if b, err := New(in, g, base); err == nil && b.NotFit == "" {
		sp.KVTokensWithout = b.KVTokens
		if b.DPAttention && !p.DPAttention {
			why += fmt.Sprintf("; without it the layout would run SGLang's DP attention (DP %d), which one full context with the drafter no longer fits", b.DP)
		}
	}
	p.Reasons[ReasonSpeculative] = specReason(sp, why, p.KVTokens)
	return sp
}
