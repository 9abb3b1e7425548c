package engine

// ServedNames: vLLM serves every name of --served-model-name.
func (e vllm) ServedNames(names []string) []string { return servedNamesBySpec(e, names) }
