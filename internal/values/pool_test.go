package values

import (
	"testing"

	"github.com/llm-charts/llm-charts/schema"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The inferencePool block with every field set validates against the schema, and the schema refuses a failure mode
// the InferencePool CRD does not have, a negative weight and zero picker replicas.
func TestInferencePoolValidatesAgainstSchema(t *testing.T) {
	m := Model{Model: ModelRef{Name: "Qwen/Qwen3-8B"}}
	m.InferencePool = &InferencePool{Enabled: true, FailureMode: FailOpen, Picker: &Picker{
		Image:    &TestImage{Repository: "registry.k8s.io/gateway-api-inference-extension/epp", Tag: "v1.5.0", PullPolicy: "IfNotPresent"},
		Replicas: 2, Resources: map[string]any{"requests": map[string]any{"cpu": "500m"}}, LogVerbosity: ptr(2),
		Scorers: &PickerScorers{PrefixCache: &PrefixCacheScorer{Weight: ptr(3), MaxPrefixBlocksToMatch: ptr(512)},
			Queue: &ScorerWeight{Weight: ptr(0)}, KVCacheUtilization: &ScorerWeight{Weight: ptr(2)}},
		NodeSelector: map[string]string{"kubernetes.io/os": "linux"}, Tolerations: []map[string]any{{"operator": "Exists"}},
	}}
	require.NoError(t, schema.Validate(schema.LLMModel, m))

	bad := *m.InferencePool
	bad.FailureMode = "Open"
	m.InferencePool = &bad
	assert.Error(t, schema.Validate(schema.LLMModel, m), "failureMode outside the CRD's enum")

	bad.FailureMode = FailClose
	p := *bad.Picker
	p.Scorers = &PickerScorers{Queue: &ScorerWeight{Weight: ptr(-1)}}
	bad.Picker = &p
	assert.Error(t, schema.Validate(schema.LLMModel, m), "a negative weight")

	// replicas 0 is dropped by omitempty in the Go type, so it is checked on a raw values map
	raw := map[string]any{"model": map[string]any{"name": "x"}, "inferencePool": map[string]any{"picker": map[string]any{"replicas": 0}}}
	assert.Error(t, schema.Validate(schema.LLMModel, raw), "zero picker replicas")
}
