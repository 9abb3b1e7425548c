package values

import (
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSecretShapesMatchChart: the Go list is the chart's llm-model.secretShapes, kind for kind and pattern for
// pattern, so chartgen refuses what helm template would.
func TestSecretShapesMatchChart(t *testing.T) {
	b, err := os.ReadFile("../../charts/llm-model/templates/_validate_secrets.tpl")
	require.NoError(t, err)
	var chart [][2]string
	for _, m := range regexp.MustCompile("\\(list \"([^\"]+)\" `([^`]+)`\\)").FindAllStringSubmatch(string(b), -1) {
		chart = append(chart, [2]string{m[1], m[2]})
	}
	var ours [][2]string
	for _, s := range SecretShapes {
		ours = append(ours, [2]string{s.Kind, s.Pattern.String()})
	}
	assert.Equal(t, chart, ours)
	assert.Equal(t, "OpenAI-style API key", SecretKind("sk-proj-abcdefghijklmnopqrstuvwxyz0123"))
	assert.Equal(t, "", SecretKind("my-model-api-key"))
}
