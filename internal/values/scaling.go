package values

// Autoscaling modes of the llm-model chart.
const (
	AutoscalingKEDA = "keda"
	AutoscalingHPA  = "hpa"
)

// Autoscaling is the llm-model chart's autoscaling block (also a resource group's overrides): a KEDA ScaledObject or
// an HPA per resource group on the engine's own gauges.
type Autoscaling struct {
	Enabled                       *bool               `json:"enabled,omitempty"`
	Mode                          string              `json:"mode,omitempty"`
	MinReplicas                   *int                `json:"minReplicas,omitempty"`
	MaxReplicas                   *int                `json:"maxReplicas,omitempty"`
	Targets                       *AutoscalingTargets `json:"targets,omitempty"`
	ScaleDownStabilizationSeconds *int                `json:"scaleDownStabilizationSeconds,omitempty"`
	ScaleToZero                   *ScaleToZero        `json:"scaleToZero,omitempty"`
	KEDA                          *KEDA               `json:"keda,omitempty"`
	HPA                           *HPA                `json:"hpa,omitempty"`
}

// AutoscalingTargets are per-instance targets of the engine's gauges: waiting requests and KV cache usage (0..1].
type AutoscalingTargets struct {
	QueueLength  *float64 `json:"queueLength,omitempty"`
	KVCacheUsage *float64 `json:"kvCacheUsage,omitempty"`
}

// ScaleToZero lets KEDA take a group to 0 instances, woken by a query outside the engine.
type ScaleToZero struct {
	Enabled             *bool    `json:"enabled,omitempty"`
	ActivationQuery     string   `json:"activationQuery,omitempty"`
	ActivationThreshold *float64 `json:"activationThreshold,omitempty"`
	Threshold           *float64 `json:"threshold,omitempty"`
}

// KEDA holds the KEDA mode's Prometheus connection.
type KEDA struct {
	ServerAddress     string `json:"serverAddress,omitempty"`
	AuthenticationRef string `json:"authenticationRef,omitempty"`
	PollingInterval   *int   `json:"pollingInterval,omitempty"`
}

// HPA holds the HPA mode's metric source (prometheus-adapter).
type HPA struct {
	MetricType       string            `json:"metricType,omitempty"`
	MetricNames      *HPAMetricNames   `json:"metricNames,omitempty"`
	ExternalSelector map[string]string `json:"externalSelector,omitempty"`
}

// HPAMetricNames are the names prometheus-adapter serves the gauges under; empty: the engine's names.
type HPAMetricNames struct {
	QueueLength  string `json:"queueLength,omitempty"`
	KVCacheUsage string `json:"kvCacheUsage,omitempty"`
}

// PodDisruptionBudget is the llm-model chart's disruption budget block (also a resource group's overrides).
type PodDisruptionBudget struct {
	Enabled                    *bool  `json:"enabled,omitempty"`
	MaxUnavailable             *int   `json:"maxUnavailable,omitempty"`
	UnhealthyPodEvictionPolicy string `json:"unhealthyPodEvictionPolicy,omitempty"`
}
