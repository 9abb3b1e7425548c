package values

// InferencePool is the llm-model chart's `inferencePool` block: an InferencePool (inference.networking.k8s.io/v1)
// over the serving pods and its endpoint picker (Gateway API Inference Extension).
type InferencePool struct {
	Enabled     bool    `json:"enabled,omitempty"`
	FailureMode string  `json:"failureMode,omitempty"` // FailOpen or FailClose
	Picker      *Picker `json:"picker,omitempty"`
}

// Failure modes of an InferencePool's endpointPickerRef.
const (
	FailClose = "FailClose"
	FailOpen  = "FailOpen"
)

// Picker is the endpoint picker (EPP) Deployment of an InferencePool.
type Picker struct {
	Image        *TestImage        `json:"image,omitempty"`
	Replicas     int               `json:"replicas,omitempty"`
	Resources    map[string]any    `json:"resources,omitempty"`
	LogVerbosity *int              `json:"logVerbosity,omitempty"`
	Scorers      *PickerScorers    `json:"scorers,omitempty"`
	NodeSelector map[string]string `json:"nodeSelector,omitempty"`
	Tolerations  []map[string]any  `json:"tolerations,omitempty"`
}

// PickerScorers are the weights of the picker's scorers; nil keeps the chart's default, 0 leaves a scorer out.
type PickerScorers struct {
	PrefixCache        *PrefixCacheScorer `json:"prefixCache,omitempty"`
	Queue              *ScorerWeight      `json:"queue,omitempty"`
	KVCacheUtilization *ScorerWeight      `json:"kvCacheUtilization,omitempty"`
}

// ScorerWeight is one scorer's weight.
type ScorerWeight struct {
	Weight *int `json:"weight,omitempty"`
}

// PrefixCacheScorer is the prefix-cache scorer's weight and matching depth.
type PrefixCacheScorer struct {
	Weight                 *int `json:"weight,omitempty"`
	MaxPrefixBlocksToMatch *int `json:"maxPrefixBlocksToMatch,omitempty"`
}
