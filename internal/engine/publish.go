package engine

// Publisher is what the gateway generator (internal/gatewaygen) asks an engine: the port its pods serve on and
// how its API is published (metrics, paths), where that differs by engine. Implemented in vllm_publish.go and
// sglang_publish.go.
type Publisher interface{}
