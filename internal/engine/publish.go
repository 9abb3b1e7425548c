package engine

// Publisher is what the gateway generator (internal/gatewaygen) asks an engine, where publishing a model differs
// by engine: today only the names the engine answers to (the gateway reaches every engine through the model's
// Service port, service.port, so it needs no engine port). Implemented in vllm_publish.go and sglang_publish.go;
// their answers come from the spec (specs/<name>.yaml), so they stay in step with what the chart renders.
type Publisher interface {
	// ServedNames are the names the engine answers to when the values list names (model.servedModelNames, not
	// empty): all of them, or those the chart passes (the spec's row of model.servedModelNames).
	ServedNames(names []string) []string
}

// servedNamesBySpec keeps every name when the engine's chart renders model.servedModelNames as words after one
// flag, and the first when it renders one string.
func servedNamesBySpec(e Engine, names []string) []string {
	for _, r := range e.Spec().Keys {
		if r.Key == "model.servedModelNames" && r.Type == TypeString && len(names) > 1 {
			return names[:1]
		}
	}
	return names
}
