package engine

// Planner is what chartgen's planner (internal/plan) asks an engine: its release type and default release, KV
// cache dtype rule, memory budget terms and utilization semantics, the layouts it can run, parsers, serving
// defaults and supported features. Implemented in vllm_plan.go and sglang_plan.go.
type Planner interface{}
