package values

import (
	"crypto/sha256"
	"encoding/binary"
	"strconv"
)

// Limits of the CRDs the llm-gateway chart targets (Envoy AI Gateway v1.1.0, aigateway.envoyproxy.io/v1beta1).
const (
	// GatewayMaxRulesPerRoute is maxItems of AIGatewayRoute spec.rules: the Gateway API's 16 HTTPRoute rules, one kept
	// by the controller for its catch-all "route-not-found" rule.
	GatewayMaxRulesPerRoute = 15
	// GatewayMaxTargetsPerSecurityPolicy is maxItems of BackendSecurityPolicy spec.targetRefs.
	GatewayMaxTargetsPerSecurityPolicy = 16
	// GatewayDefaultServicePort is the port of a backend given as a Service (the llm-model chart's Service port).
	GatewayDefaultServicePort = 5000
	// GatewayReservedRuleName is the rule name the AIGatewayRoute CRD reserves.
	GatewayReservedRuleName = "route-not-found"
)

// GatewayValues is the values file of the llm-gateway chart. JSON tags match schema/llm-gateway.values.schema.json;
// optional fields are pointers or omitempty so that a marshalled value leaves the chart's defaults alone.
type GatewayValues struct {
	NameOverride     string                    `json:"nameOverride,omitempty"`
	FullnameOverride string                    `json:"fullnameOverride,omitempty"`
	ClusterDomain    string                    `json:"clusterDomain,omitempty"`
	Gateway          *GatewayParentRef         `json:"gateway,omitempty"`
	Routes           *GatewayRoutes            `json:"routes,omitempty"`
	LLMRequestCosts  []GatewayLLMRequestCost   `json:"llmRequestCosts,omitempty"`
	ModelDefaults    *GatewayModelDefaults     `json:"modelDefaults,omitempty"`
	Models           []GatewayModel            `json:"models,omitempty"`
	Backends         map[string]GatewayBackend `json:"backends,omitempty"`
	TrafficPolicy    *GatewayTrafficPolicy     `json:"trafficPolicy,omitempty"`
	RBAC             *GatewayRBAC              `json:"rbac,omitempty"`
	Tests            *GatewayTests             `json:"tests,omitempty"`
}

// GatewayParentRef is the Gateway every AIGatewayRoute attaches to.
type GatewayParentRef struct {
	Name        string `json:"name,omitempty"`
	Namespace   string `json:"namespace,omitempty"`
	SectionName string `json:"sectionName,omitempty"`
}

// GatewayRoutes says how models are spread over AIGatewayRoutes; see GatewayRouteKey.
type GatewayRoutes struct {
	NamePrefix       string `json:"namePrefix,omitempty"`
	Buckets          int    `json:"buckets,omitempty"`
	MaxRulesPerRoute int    `json:"maxRulesPerRoute,omitempty"`
}

// GatewayLLMRequestCost is one token count recorded per request.
type GatewayLLMRequestCost struct {
	MetadataKey string `json:"metadataKey"`
	// Type is OutputToken, InputToken, CachedInputToken, CacheCreationInputToken, TotalToken, ReasoningToken or CEL.
	Type string `json:"type"`
	CEL  string `json:"cel,omitempty"`
}

// GatewayModelDefaults applies to every model that leaves the field empty.
type GatewayModelDefaults struct {
	Timeout       string `json:"timeout,omitempty"`
	ModelsOwnedBy string `json:"modelsOwnedBy,omitempty"`
}

// GatewayModel is one public model: one AIGatewayRoute rule.
type GatewayModel struct {
	Name          string              `json:"name"`
	BackendRefs   []GatewayBackendRef `json:"backendRefs"`
	Timeout       string              `json:"timeout,omitempty"`
	ModelsOwnedBy string              `json:"modelsOwnedBy,omitempty"`
	Route         string              `json:"route,omitempty"`
	RuleName      string              `json:"ruleName,omitempty"`
}

// GatewayBackendRef is one backend of a model; Name is a key of GatewayValues.Backends.
type GatewayBackendRef struct {
	Name              string `json:"name"`
	ModelNameOverride string `json:"modelNameOverride,omitempty"`
	Priority          *int32 `json:"priority,omitempty"`
	Weight            *int32 `json:"weight,omitempty"`
}

// GatewayBackend is an inference endpoint: exactly one of Service, FQDN, IP or InferencePool.
type GatewayBackend struct {
	Service       *GatewayServiceRef `json:"service,omitempty"`
	FQDN          *GatewayHostPort   `json:"fqdn,omitempty"`
	IP            *GatewayIPPort     `json:"ip,omitempty"`
	InferencePool *GatewayPoolRef    `json:"inferencePool,omitempty"`
	// Namespace of the backend's AIServiceBackend, Backend and BackendSecurityPolicy; empty: the apiKeySecret's,
	// else the release's. Another than the release's gets a ReferenceGrant there.
	Namespace    string            `json:"namespace,omitempty"`
	APIKeySecret *GatewaySecretRef `json:"apiKeySecret,omitempty"`
	// Schema is the AIServiceBackend API schema (default OpenAI).
	Schema string `json:"schema,omitempty"`
	// TLS from the gateway to the backend (Backend spec.tls); nil means TLS exactly when the port is 443.
	TLS *GatewayBackendTLS `json:"tls,omitempty"`
}

// GatewayBackendTLS is the TLS of a backend: on for port 443 unless Enabled says, with SNI (default the host name)
// and the system CA bundle, a pinned CA (CACertificateRef) or no verification (InsecureSkipVerify).
type GatewayBackendTLS struct {
	Enabled            *bool                  `json:"enabled,omitempty"`
	SNI                string                 `json:"sni,omitempty"`
	CACertificateRef   *GatewayCertificateRef `json:"caCertificateRef,omitempty"`
	InsecureSkipVerify bool                   `json:"insecureSkipVerify,omitempty"`
	// ClientCertificateRef is the kubernetes.io/tls Secret (in the backend's namespace) presented for mTLS.
	ClientCertificateRef *GatewaySecretRef `json:"clientCertificateRef,omitempty"`
	// MinVersion is the lowest TLS version offered ("1.2" or "1.3"); empty: Envoy Gateway's default, 1.2.
	MinVersion string `json:"minVersion,omitempty"`
}

// GatewayCertificateRef is a ConfigMap or Secret (Kind) whose key ca.crt holds a CA bundle.
type GatewayCertificateRef struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
}

// GatewayServiceRef is a Service in the cluster, reached as <name>.<namespace>.svc.<clusterDomain>:<port>.
type GatewayServiceRef struct {
	Name      string `json:"name"`
	Namespace string `json:"namespace,omitempty"`
	Port      int32  `json:"port,omitempty"`
}

// GatewayPoolRef is an InferencePool (inference.networking.k8s.io/v1) a model's rule references directly.
type GatewayPoolRef struct {
	Name      string `json:"name"`
	Namespace string `json:"namespace,omitempty"`
}

// GatewayHostPort is a fully qualified host name and port.
type GatewayHostPort struct {
	Hostname string `json:"hostname"`
	Port     int32  `json:"port"`
}

// GatewayIPPort is an IP address and port.
type GatewayIPPort struct {
	Address string `json:"address"`
	Port    int32  `json:"port"`
}

// GatewaySecretRef names an existing Secret holding the key "apiKey".
type GatewaySecretRef struct {
	Name      string `json:"name"`
	Namespace string `json:"namespace,omitempty"`
}

// GatewayTrafficPolicy is the BackendTrafficPolicy targeting every generated HTTPRoute.
type GatewayTrafficPolicy struct {
	Enabled         *bool              `json:"enabled,omitempty"`
	ExtraTargetRefs []GatewayTargetRef `json:"extraTargetRefs,omitempty"`
	Retry           *GatewayRetry      `json:"retry,omitempty"`
	Failover        *GatewayFailover   `json:"failover,omitempty"`
}

// GatewayFailover is what the BackendTrafficPolicy adds when a model has fallback backends.
type GatewayFailover struct {
	NumAttemptsPerPriority *int32                     `json:"numAttemptsPerPriority,omitempty"`
	PassiveHealthCheck     *GatewayPassiveHealthCheck `json:"passiveHealthCheck,omitempty"`
}

// GatewayPassiveHealthCheck is BackendTrafficPolicy spec.healthCheck.passive (outlier detection).
type GatewayPassiveHealthCheck struct {
	Consecutive5XxErrors           *int32 `json:"consecutive5XxErrors,omitempty"`
	ConsecutiveGatewayErrors       *int32 `json:"consecutiveGatewayErrors,omitempty"`
	ConsecutiveLocalOriginFailures *int32 `json:"consecutiveLocalOriginFailures,omitempty"`
	Interval                       string `json:"interval,omitempty"`
	BaseEjectionTime               string `json:"baseEjectionTime,omitempty"`
	MaxEjectionPercent             *int32 `json:"maxEjectionPercent,omitempty"`
}

// GatewayTargetRef is a route or Gateway the BackendTrafficPolicy also targets; Kind defaults to HTTPRoute.
type GatewayTargetRef struct {
	Name string `json:"name"`
	Kind string `json:"kind,omitempty"`
}

// GatewayRetry is BackendTrafficPolicy spec.retry.
type GatewayRetry struct {
	NumRetries             *int32           `json:"numRetries,omitempty"`
	NumAttemptsPerPriority *int32           `json:"numAttemptsPerPriority,omitempty"`
	PerRetry               *GatewayPerRetry `json:"perRetry,omitempty"`
	RetryOn                *GatewayRetryOn  `json:"retryOn,omitempty"`
}

// GatewayPerRetry are the per-attempt retry settings.
type GatewayPerRetry struct {
	BackOff *GatewayBackOff `json:"backOff,omitempty"`
	Timeout string          `json:"timeout,omitempty"`
}

// GatewayBackOff is the jittered exponential back-off between attempts.
type GatewayBackOff struct {
	BaseInterval string `json:"baseInterval,omitempty"`
	MaxInterval  string `json:"maxInterval,omitempty"`
}

// GatewayRetryOn says what triggers a retry.
type GatewayRetryOn struct {
	HTTPStatusCodes []int    `json:"httpStatusCodes,omitempty"`
	Triggers        []string `json:"triggers,omitempty"`
}

// GatewayRBAC is the guide's Role and RoleBinding, and the optional ClusterRole for cluster-scoped kinds.
type GatewayRBAC struct {
	Enabled     bool                `json:"enabled"`
	Groups      []string            `json:"groups,omitempty"`
	ClusterRole *GatewayClusterRole `json:"clusterRole,omitempty"`
}

// GatewayClusterRole is the ClusterRole and ClusterRoleBinding on GatewayClasses.
type GatewayClusterRole struct {
	Enabled bool     `json:"enabled"`
	Verbs   []string `json:"verbs,omitempty"`
}

// GatewayRouteKey returns the route key of a model, exactly as the chart computes it (llm-gateway.routePlan): the
// pinned route when set, else the hash bucket: the first 32 bits of sha256(name), big-endian, mod buckets. The
// AIGatewayRoute is then named "<routes.namePrefix or fullname>-<key>". A model's key depends on nothing but its own
// entry and the bucket count, so adding or removing a model never moves another one.
func GatewayRouteKey(m GatewayModel, buckets int) string {
	if m.Route != "" {
		return m.Route
	}
	sum := sha256.Sum256([]byte(m.Name))
	return strconv.FormatUint(uint64(binary.BigEndian.Uint32(sum[:4]))%uint64(buckets), 10)
}
