package values

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

const gatewaySchemaPath = "../../schema/llm-gateway.values.schema.json"

func gatewaySchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(gatewaySchemaPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	abs, _ := filepath.Abs(gatewaySchemaPath)
	if err := c.AddResource(abs, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(abs)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validateGateway(t *testing.T, s *jsonschema.Schema, v any) error {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return s.Validate(inst)
}

func ptr[T any](v T) *T { return &v }

// populatedGateway sets every field of every type at least once.
func populatedGateway() GatewayValues {
	return GatewayValues{
		NameOverride:     "gw",
		FullnameOverride: "envoy-ai-gateway-nrp",
		ClusterDomain:    "cluster.local",
		Gateway:          &GatewayParentRef{Name: "envoy-ai-gateway-nrp", Namespace: "envoy-gateway-system", SectionName: "https"},
		Routes:           &GatewayRoutes{NamePrefix: "nrp", Buckets: 16, MaxRulesPerRoute: GatewayMaxRulesPerRoute},
		LLMRequestCosts: []GatewayLLMRequestCost{
			{MetadataKey: "llm_input_token", Type: "InputToken"},
			{MetadataKey: "llm_weighted", Type: "CEL", CEL: "input_tokens + output_tokens"},
		},
		ModelDefaults: &GatewayModelDefaults{Timeout: "1200s", ModelsOwnedBy: "NRP"},
		Models: []GatewayModel{
			{Name: "qwen3", BackendRefs: []GatewayBackendRef{{Name: "qwen", ModelNameOverride: "Qwen/Qwen3-235B-A22B-Thinking-2507-FP8"}}},
			{Name: "qwen3-32b", BackendRefs: []GatewayBackendRef{{Name: "pool"}}},
			{
				Name: "qwen3-combined", Timeout: "30m", ModelsOwnedBy: "SDSC", Route: "qwen", RuleName: "combined",
				BackendRefs: []GatewayBackendRef{
					{Name: "qwen", Weight: ptr[int32](2)},
					{Name: "sdsc", Priority: ptr[int32](1), Weight: ptr[int32](1)},
				},
			},
		},
		Backends: map[string]GatewayBackend{
			"qwen": {Service: &GatewayServiceRef{Name: "qwen-vllm", Namespace: "nrp-llm", Port: GatewayDefaultServicePort}},
			"sdsc": {FQDN: &GatewayHostPort{Hostname: "llm.sdsc.example.org", Port: 443}, APIKeySecret: &GatewaySecretRef{Name: "openai-apikey", Namespace: "nrp-llm"}, Schema: "OpenAI"},
			"lab-1": {IP: &GatewayIPPort{Address: "10.0.0.7", Port: 8000}, Namespace: "lab", TLS: &GatewayBackendTLS{
				Enabled: ptr(true), SNI: "lab-1.example.internal", CACertificateRef: &GatewayCertificateRef{Kind: "ConfigMap", Name: "lab-ca"},
				ClientCertificateRef: &GatewaySecretRef{Name: "gateway-client", Namespace: "lab"}, MinVersion: "1.3"}},
			"pool": {InferencePool: &GatewayPoolRef{Name: "qwen3-32b", Namespace: "nrp-llm"}},
		},
		TrafficPolicy: &GatewayTrafficPolicy{
			Enabled:         ptr(true),
			ExtraTargetRefs: []GatewayTargetRef{{Name: "envoy-ai-gateway-nrp"}, {Name: "grpc", Kind: "GRPCRoute"}},
			Retry: &GatewayRetry{
				NumRetries: ptr[int32](5), NumAttemptsPerPriority: ptr[int32](2),
				PerRetry: &GatewayPerRetry{BackOff: &GatewayBackOff{BaseInterval: "100ms", MaxInterval: "10s"}, Timeout: "1200s"},
				RetryOn:  &GatewayRetryOn{HTTPStatusCodes: []int{429, 503}, Triggers: []string{"connect-failure", "retriable-status-codes"}},
			},
		},
		RBAC: &GatewayRBAC{Enabled: true, Groups: []string{"oidcgroup:nrp-llm"},
			ClusterRole: &GatewayClusterRole{Enabled: true, Verbs: []string{"get", "list", "watch"}}},
	}
}

func TestGatewayValuesMatchSchema(t *testing.T) {
	s := gatewaySchema(t)
	if err := validateGateway(t, s, populatedGateway()); err != nil {
		t.Fatalf("a populated GatewayValues does not validate: %v", err)
	}
	if err := validateGateway(t, s, GatewayValues{}); err != nil {
		t.Fatalf("an empty GatewayValues does not validate: %v", err)
	}
	// Every JSON key the Go types write must be a schema property: strictness would reject any other.
	// And the schema must reject what the types cannot express, e.g. a misspelt key.
	bad := map[string]any{}
	data, _ := json.Marshal(populatedGateway())
	_ = json.Unmarshal(data, &bad)
	bad["model"] = []any{}
	if err := validateGateway(t, s, bad); err == nil || !strings.Contains(err.Error(), "model") {
		t.Fatalf("a misspelt key validated: %v", err)
	}
}

func TestGatewaySchemaRejects(t *testing.T) {
	s := gatewaySchema(t)
	for name, mutate := range map[string]func(v *GatewayValues){
		"bad timeout":        func(v *GatewayValues) { v.Models[0].Timeout = "20 minutes" },
		"upper-case route":   func(v *GatewayValues) { v.Models[0].Route = "Qwen" },
		"rules over the CRD": func(v *GatewayValues) { v.Routes.MaxRulesPerRoute = GatewayMaxRulesPerRoute + 1 },
		"two endpoints": func(v *GatewayValues) {
			b := v.Backends["lab-1"]
			b.FQDN = &GatewayHostPort{Hostname: "a.b", Port: 1}
			v.Backends["lab-1"] = b
		},
		"a pool and a service": func(v *GatewayValues) {
			b := v.Backends["pool"]
			b.Service = &GatewayServiceRef{Name: "qwen3-32b"}
			v.Backends["pool"] = b
		},
		"pool without name": func(v *GatewayValues) {
			v.Backends["pool"] = GatewayBackend{InferencePool: &GatewayPoolRef{Namespace: "llm"}}
		},
		"CEL without cel":    func(v *GatewayValues) { v.LLMRequestCosts[1].CEL = "" },
		"rbac without group": func(v *GatewayValues) { v.RBAC.Groups = nil },
		"bad backend key": func(v *GatewayValues) {
			v.Backends["Bad_Key"] = GatewayBackend{IP: &GatewayIPPort{Address: "10.0.0.1", Port: 1}}
		},
		"no backendRefs": func(v *GatewayValues) { v.Models[0].BackendRefs = nil },
	} {
		t.Run(name, func(t *testing.T) {
			v := populatedGateway()
			mutate(&v)
			if err := validateGateway(t, s, v); err == nil {
				t.Fatal("validated, want a schema error")
			}
		})
	}
}

func TestGatewayRouteKey(t *testing.T) {
	// sha256("qwen3") starts 61b6a805 = 1639360517; mod 16 = 5 (the chart computes the same, see tests/).
	if got := GatewayRouteKey(GatewayModel{Name: "qwen3"}, 16); got != "5" {
		t.Fatalf("GatewayRouteKey(qwen3, 16) = %s, want 5", got)
	}
	if got := GatewayRouteKey(GatewayModel{Name: "qwen3", Route: "qwen"}, 16); got != "qwen" {
		t.Fatalf("pinned route ignored: %s", got)
	}
}
