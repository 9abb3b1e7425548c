package values

import (
	"testing"

	"github.com/llm-charts/llm-charts/schema"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The day-two keys (plan, tests, monitoring) with every field set validate against the schemas, and the schema
// refuses what the chart refuses.
func TestDay2ValuesValidateAgainstSchema(t *testing.T) {
	m := Model{Model: ModelRef{Name: "Qwen/Qwen3-8B"}}
	m.Plan = &Plan{KVCacheTokens: ptr(int64(131072)), ModelMaxLen: ptr(int64(40960)), Notes: []string{"TP 2"}}
	m.Tests = &ModelTests{Enabled: ptr(true), Image: &TestImage{Repository: "curlimages/curl", Tag: "8.17.0", PullPolicy: "IfNotPresent"},
		Command: []string{"sh", "-c", "true"}, WaitSeconds: ptr(600), HookDeletePolicy: "before-hook-creation,hook-succeeded",
		Resources: map[string]any{"limits": map[string]any{"cpu": "100m"}}}
	m.Monitoring = &Monitoring{
		ServiceMonitor: &Monitor{Enabled: true, Interval: ptr("30s"), ScrapeTimeout: "10s", HonorLabels: true, Labels: map[string]string{"release": "kps"}},
		PodMonitor:     &Monitor{Interval: ptr("")},
	}
	require.NoError(t, schema.Validate(schema.LLMModel, m))
	m.Monitoring.PodMonitor.Interval = ptr("30 seconds")
	assert.Error(t, schema.Validate(schema.LLMModel, m))

	g := GatewayValues{Tests: &GatewayTests{Enabled: true, GatewayURL: "http://gw.envoy-gateway-system.svc", Model: "qwen3", Task: TaskEmbed,
		APIKeySecret: &SecretRef{Name: "key", Key: "apiKey"}, Image: &TestImage{Repository: "curlimages/curl", Tag: "8.17.0", PullPolicy: "Always"},
		Command: []string{"true"}, HookDeletePolicy: "before-hook-creation", Resources: map[string]any{}}}
	require.NoError(t, schema.Validate(schema.LLMGateway, g))
	g.Tests.GatewayURL = "http://gw/"
	assert.Error(t, schema.Validate(schema.LLMGateway, g), "a trailing slash is refused")
}
