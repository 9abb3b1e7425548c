package engine

// sglang is SGLang. Its other methods live in sglang_*.go, one file per concern.
type sglang struct{}

var _ Engine = sglang{}

func (sglang) Name() Name  { return SGLang }
func (sglang) Spec() *Spec { return mustSpec(SGLang) }
