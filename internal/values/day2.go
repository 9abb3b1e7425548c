package values

// Plan is what chartgen worked out, shown by the llm-model chart's NOTES.txt; informational only (nothing rendered
// depends on it).
type Plan struct {
	// KVCacheTokens is the KV cache capacity per instance in tokens.
	KVCacheTokens *int64 `json:"kvCacheTokens,omitempty"`
	// ModelMaxLen is the model's own maximum context; NOTES compares serving.maxModelLen with it.
	ModelMaxLen *int64 `json:"modelMaxLen,omitempty"`
	// Notes are lines NOTES prints under the resource groups.
	Notes []string `json:"notes,omitempty"`
}

// TestImage is the image of a `helm test` Pod (POSIX sh and curl).
type TestImage struct {
	Repository string `json:"repository,omitempty"`
	Tag        string `json:"tag,omitempty"`
	PullPolicy string `json:"pullPolicy,omitempty"`
}

// ModelTests is the llm-model chart's `helm test` Pod: /health, /v1/models, then one completion token or one
// embedding.
type ModelTests struct {
	Enabled          *bool          `json:"enabled,omitempty"`
	Image            *TestImage     `json:"image,omitempty"`
	Command          []string       `json:"command,omitempty"`
	WaitSeconds      *int           `json:"waitSeconds,omitempty"`
	HookDeletePolicy string         `json:"hookDeletePolicy,omitempty"`
	Resources        map[string]any `json:"resources,omitempty"`
}

// Monitoring holds the Prometheus Operator monitors of the llm-model chart; at most one may be enabled.
type Monitoring struct {
	ServiceMonitor *Monitor `json:"serviceMonitor,omitempty"`
	PodMonitor     *Monitor `json:"podMonitor,omitempty"`
}

// Monitor is a ServiceMonitor or PodMonitor scraping the engines' /metrics on the http port.
type Monitor struct {
	Enabled       bool              `json:"enabled,omitempty"`
	Interval      *string           `json:"interval,omitempty"` // "" (not nil): Prometheus' global interval
	ScrapeTimeout string            `json:"scrapeTimeout,omitempty"`
	HonorLabels   bool              `json:"honorLabels,omitempty"`
	Labels        map[string]string `json:"labels,omitempty"`
}

// GatewayTests is the llm-gateway chart's `helm test` Pod: one request through the Gateway with the x-ai-eg-model
// header.
type GatewayTests struct {
	Enabled          bool           `json:"enabled,omitempty"`
	GatewayURL       string         `json:"gatewayUrl,omitempty"`
	Model            string         `json:"model,omitempty"`
	Task             string         `json:"task,omitempty"`
	APIKeySecret     *SecretRef     `json:"apiKeySecret,omitempty"`
	Image            *TestImage     `json:"image,omitempty"`
	Command          []string       `json:"command,omitempty"`
	HookDeletePolicy string         `json:"hookDeletePolicy,omitempty"`
	Resources        map[string]any `json:"resources,omitempty"`
}

// SecretRef is one key of a Secret in the release namespace.
type SecretRef struct {
	Name string `json:"name,omitempty"`
	Key  string `json:"key,omitempty"`
}
