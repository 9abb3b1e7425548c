// Package schema embeds the JSON Schemas of the charts' values (the one source of truth; the charts carry copies made
// by `make schemas`) and validates values with the same validator Helm runs at install.
package schema

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed *.values.schema.json
var files embed.FS

// Chart names with a schema.
const (
	LLMModel   = "llm-model"
	LLMGateway = "llm-gateway"
)

var (
	mu       sync.Mutex
	compiled = map[string]*jsonschema.Schema{}
)

// Raw returns the schema file of a chart.
func Raw(chart string) ([]byte, error) {
	return files.ReadFile(chart + ".values.schema.json")
}

// Compile returns the compiled schema of a chart.
func Compile(chart string) (*jsonschema.Schema, error) {
	mu.Lock()
	defer mu.Unlock()
	if s, ok := compiled[chart]; ok {
		return s, nil
	}
	raw, err := Raw(chart)
	if err != nil {
		return nil, fmt.Errorf("no schema for chart %q", chart)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("schema of %s: %w", chart, err)
	}
	c := jsonschema.NewCompiler()
	url := "file:///schema/" + chart + ".values.schema.json"
	if err := c.AddResource(url, doc); err != nil {
		return nil, err
	}
	s, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("compiling the schema of %s: %w", chart, err)
	}
	compiled[chart] = s
	return s, nil
}

// Validate checks values (any Go value that marshals to JSON) against a chart's schema. The error lists every
// violation with its path, as `helm install` would.
func Validate(chart string, values any) error {
	s, err := Compile(chart)
	if err != nil {
		return err
	}
	data, err := json.Marshal(values)
	if err != nil {
		return err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	if err := s.Validate(doc); err != nil {
		return fmt.Errorf("values do not match schema/%s.values.schema.json: %v", chart, err)
	}
	return nil
}
