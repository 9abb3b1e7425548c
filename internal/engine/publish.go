package engine

// Publisher is what the gateway generator (internal/gatewaygen) asks an engine: the port its pods serve on and
// how its API is published (metrics, paths), where that differs by engine. Implemented in vllm_publish.go and
// sglang_publish.go.
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
