package engine

// Describer is what chartgen's values writer (internal/cli) asks an engine: the wording of the comments it writes
// beside each planned number, where that wording differs by engine. Implemented in vllm_describe.go and
// sglang_describe.go.
type Describer interface{}
