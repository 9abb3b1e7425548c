package tests

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"
)

// chartsWithSchema lists the charts whose values.schema.json is a copy of schema/<chart>.values.schema.json.
func chartsWithSchema(t *testing.T) []string {
	files, err := filepath.Glob(filepath.Join(repoRoot, "schema", "*.values.schema.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	var names []string
	for _, f := range files {
		names = append(names, strings.TrimSuffix(filepath.Base(f), ".values.schema.json"))
	}
	return names
}

// TestChartSchemasAreCopies: schema/ is the one source of truth; the charts carry byte-identical copies.
func TestChartSchemasAreCopies(t *testing.T) {
	for _, name := range chartsWithSchema(t) {
		src, err := os.ReadFile(filepath.Join(repoRoot, "schema", name+".values.schema.json"))
		require.NoError(t, err)
		cp, err := os.ReadFile(filepath.Join(repoRoot, "charts", name, "values.schema.json"))
		require.NoError(t, err, "charts/%s/values.schema.json", name)
		assert.True(t, bytes.Equal(src, cp), "charts/%s/values.schema.json differs from schema/%s.values.schema.json: run make schemas", name, name)
	}
}

// TestSchemasAreStrictAndDescribed: every object forbids unknown keys (unless it is a free-form map or a
// Kubernetes passthrough object, whose additionalProperties is a schema), and every property has a description.
func TestSchemasAreStrictAndDescribed(t *testing.T) {
	for _, name := range chartsWithSchema(t) {
		data, err := os.ReadFile(filepath.Join(repoRoot, "schema", name+".values.schema.json"))
		require.NoError(t, err)
		var root map[string]any
		require.NoError(t, json.Unmarshal(data, &root))
		var problems []string
		walkSchema("", root, &problems)
		sort.Strings(problems)
		assert.Empty(t, problems, "schema/%s.values.schema.json", name)
	}
}

func walkSchema(path string, s map[string]any, problems *[]string) {
	if props, ok := s["properties"].(map[string]any); ok {
		if ap, ok := s["additionalProperties"]; !ok || ap == true {
			*problems = append(*problems, fmt.Sprintf("%s: object with properties must set additionalProperties: false", orRoot(path)))
		}
		for k, v := range props {
			ps, _ := v.(map[string]any)
			if d, _ := ps["description"].(string); strings.TrimSpace(d) == "" {
				*problems = append(*problems, fmt.Sprintf("%s.%s: no description", path, k))
			}
			walkSchema(path+"."+k, ps, problems)
		}
	}
	for _, key := range []string{"items", "additionalProperties"} {
		if sub, ok := s[key].(map[string]any); ok {
			walkSchema(path+"["+key+"]", sub, problems)
		}
	}
	for _, key := range []string{"definitions", "$defs"} {
		if defs, ok := s[key].(map[string]any); ok {
			for k, v := range defs {
				if sub, ok := v.(map[string]any); ok {
					walkSchema("#"+key+"/"+k, sub, problems)
				}
			}
		}
	}
	for _, key := range []string{"oneOf", "anyOf", "allOf"} {
		if list, ok := s[key].([]any); ok {
			for i, v := range list {
				if sub, ok := v.(map[string]any); ok {
					walkSchema(fmt.Sprintf("%s(%s %d)", path, key, i), sub, problems)
				}
			}
		}
	}
}

func orRoot(p string) string {
	if p == "" {
		return "(root)"
	}
	return p
}

// CompileSchema compiles a chart's schema with the validator Helm itself uses.
func CompileSchema(t testing.TB, chart string) *jsonschema.Schema {
	t.Helper()
	path, err := filepath.Abs(filepath.Join(repoRoot, "schema", chart+".values.schema.json"))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	s, err := c.Compile(path)
	require.NoError(t, err)
	return s
}

// TestDefaultValuesMatchSchema: each chart's own values.yaml validates against its schema.
func TestDefaultValuesMatchSchema(t *testing.T) {
	for _, name := range chartsWithSchema(t) {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(repoRoot, "charts", name, "values.yaml"))
			require.NoError(t, err)
			var v any
			require.NoError(t, yaml.Unmarshal(data, &v))
			// values.yaml may leave required keys empty (model.name): validate the shape with them filled in.
			if m, ok := v.(map[string]any); ok && name == "llm-model" {
				m["model"].(map[string]any)["name"] = "example/model"
			}
			assert.NoError(t, CompileSchema(t, name).Validate(jsonRoundTrip(t, v)))
		})
	}
}

func jsonRoundTrip(t testing.TB, v any) any {
	data, err := json.Marshal(v)
	require.NoError(t, err)
	out, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	require.NoError(t, err)
	return out
}
