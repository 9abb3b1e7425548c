package engine

// ServedNames: SGLang takes one --served-model-name, the first.
func (e sglang) ServedNames(names []string) []string { return servedNamesBySpec(e, names) }
