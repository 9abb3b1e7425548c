package engine

// vllm is vLLM. Its other methods live in vllm_*.go, one file per concern.
type vllm struct{}

var _ Engine = vllm{}

func (vllm) Name() Name  { return VLLM }
func (vllm) Spec() *Spec { return mustSpec(VLLM) }
