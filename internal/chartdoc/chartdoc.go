// Package chartdoc generates a chart's README.md from its values.yaml comments, in the helm-docs dialect the charts
// use: `# -- description` above a key (continued on the following comment lines), `# @default -- text` where the
// real default is computed, and a `For example:` line after which the comment lines are a YAML example. The type of
// each key comes from the chart's values.schema.json (the source of truth), the default from values.yaml.
//
// A key with a `# --` comment is a row; a mapping whose keys have no `# --` comment is documented whole by its own
// row. A key with neither (and no documented ancestor) is an error: every key is documented.
package chartdoc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Row is one documented values key.
type Row struct {
	Key         string // dotted path, e.g. serving.tensorParallelSize
	Type        string // from the schema, e.g. "integer or null"
	Default     string // Markdown: `value` as JSON, or the @default text
	Description string // the `# --` text, one paragraph
	Example     string // the YAML after "For example:", if any
}

// Chart is what the README is made of.
type Chart struct {
	Name, Description, Version, AppVersion string
	Rows                                   []Row
}

// Load reads charts/<dir>: Chart.yaml, values.yaml and values.schema.json.
func Load(dir string) (*Chart, error) {
	meta, err := os.ReadFile(filepath.Join(dir, "Chart.yaml"))
	if err != nil {
		return nil, err
	}
	var c struct {
		Name        string `yaml:"name"`
		Description string `yaml:"description"`
		Version     string `yaml:"version"`
		AppVersion  string `yaml:"appVersion"`
	}
	if err := yaml.Unmarshal(meta, &c); err != nil {
		return nil, fmt.Errorf("%s/Chart.yaml: %w", dir, err)
	}
	values, err := os.ReadFile(filepath.Join(dir, "values.yaml"))
	if err != nil {
		return nil, err
	}
	var schema map[string]any
	if raw, err := os.ReadFile(filepath.Join(dir, "values.schema.json")); err == nil {
		if err := json.Unmarshal(raw, &schema); err != nil {
			return nil, fmt.Errorf("%s/values.schema.json: %w", dir, err)
		}
	}
	rows, err := Parse(values, schema)
	if err != nil {
		return nil, fmt.Errorf("%s/values.yaml: %w", dir, err)
	}
	return &Chart{Name: c.Name, Description: strings.TrimSpace(c.Description), Version: c.Version, AppVersion: c.AppVersion, Rows: rows}, nil
}

// Parse reads the documented keys of a values file, in file order. schema may be nil (types then come from the
// YAML values).
func Parse(values []byte, schema map[string]any) ([]Row, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(values, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("not a mapping")
	}
	p := &parser{schema: schema}
	p.walk(nil, doc.Content[0], false)
	if len(p.undocumented) > 0 {
		return nil, fmt.Errorf("keys without a `# --` comment: %s", strings.Join(p.undocumented, ", "))
	}
	return p.rows, nil
}

type parser struct {
	schema       map[string]any
	rows         []Row
	undocumented []string
}

func (p *parser) walk(path []string, m *yaml.Node, documented bool) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		kp := append(append([]string{}, path...), k.Value)
		desc, def, example, ok := parseComment(k.HeadComment)
		childrenDocumented := v.Kind == yaml.MappingNode && hasDocumentedKey(v)
		if ok {
			p.rows = append(p.rows, Row{
				Key: strings.Join(kp, "."), Type: p.typeOf(kp, v), Default: defaultOf(def, v), Description: desc, Example: example,
			})
		}
		switch {
		case childrenDocumented:
			p.walk(kp, v, ok || documented)
		case !ok && !documented:
			if v.Kind == yaml.MappingNode && len(v.Content) > 0 {
				p.walk(kp, v, false) // reports the undocumented leaves below
			} else {
				p.undocumented = append(p.undocumented, strings.Join(kp, "."))
			}
		}
	}
}

func hasDocumentedKey(m *yaml.Node) bool {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if _, _, _, ok := parseComment(m.Content[i].HeadComment); ok {
			return true
		}
		if v := m.Content[i+1]; v.Kind == yaml.MappingNode && hasDocumentedKey(v) {
			return true
		}
	}
	return false
}

// parseComment finds the last `# --` block of a head comment (section comments may come before it).
func parseComment(head string) (desc, def, example string, ok bool) {
	lines := strings.Split(head, "\n")
	start := -1
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "# --") {
			start = i
		}
	}
	if start < 0 {
		return "", "", "", false
	}
	var d, ex []string
	inExample := false
	for i, l := range lines[start:] {
		t := strings.TrimPrefix(strings.TrimSpace(l), "#")
		if i == 0 {
			t = strings.TrimPrefix(strings.TrimSpace(t), "--")
		}
		switch trimmed := strings.TrimSpace(t); {
		case inExample:
			ex = append(ex, strings.TrimPrefix(t, " "))
		case strings.HasPrefix(trimmed, "@default --"):
			def = strings.TrimSpace(strings.TrimPrefix(trimmed, "@default --"))
		case trimmed == "For example:":
			inExample = true
		default:
			if trimmed != "" {
				d = append(d, trimmed)
			}
		}
	}
	return strings.Join(d, " "), def, strings.TrimRight(strings.Join(ex, "\n"), "\n"), true
}

func defaultOf(def string, v *yaml.Node) string {
	if def != "" {
		return def
	}
	var x any
	if err := v.Decode(&x); err != nil {
		return ""
	}
	b, err := json.Marshal(normalize(x))
	if err != nil {
		return ""
	}
	return "`" + string(b) + "`"
}

// normalize turns yaml.v3's map[string]any / map[any]any into JSON-encodable values.
func normalize(x any) any {
	switch t := x.(type) {
	case map[string]any:
		for k, v := range t {
			t[k] = normalize(v)
		}
		return t
	case map[any]any:
		out := map[string]any{}
		for k, v := range t {
			out[fmt.Sprint(k)] = normalize(v)
		}
		return out
	case []any:
		for i, v := range t {
			t[i] = normalize(v)
		}
		return t
	}
	return x
}

// typeOf reads the key's type from the schema, else from the YAML value.
func (p *parser) typeOf(path []string, v *yaml.Node) string {
	s := p.schema
	for _, k := range path {
		props, _ := s["properties"].(map[string]any)
		next, _ := props[k].(map[string]any)
		if next == nil {
			s = nil
			break
		}
		s = next
	}
	if t := schemaType(s); t != "" {
		return t
	}
	switch v.Kind {
	case yaml.MappingNode:
		return "object"
	case yaml.SequenceNode:
		return "list"
	}
	switch v.Tag {
	case "!!int":
		return "int"
	case "!!float":
		return "float"
	case "!!bool":
		return "bool"
	case "!!null":
		return "null"
	}
	return "string"
}

func schemaType(s map[string]any) string {
	if s == nil {
		return ""
	}
	var types []string
	add := func(t string) {
		if t == "array" {
			t = "list"
		}
		for _, x := range types {
			if x == t {
				return
			}
		}
		types = append(types, t)
	}
	switch t := s["type"].(type) {
	case string:
		add(t)
	case []any:
		for _, x := range t {
			add(fmt.Sprint(x))
		}
	}
	for _, key := range []string{"oneOf", "anyOf"} {
		list, _ := s[key].([]any)
		for _, alt := range list {
			if m, ok := alt.(map[string]any); ok {
				if t := schemaType(m); t != "" {
					for _, x := range strings.Split(t, " or ") {
						add(x)
					}
				}
			}
		}
	}
	if len(types) == 0 {
		if _, ok := s["enum"]; ok {
			return "enum"
		}
		return ""
	}
	// null last: "integer or null".
	sort.SliceStable(types, func(i, j int) bool { return types[j] == "null" && types[i] != "null" })
	return strings.Join(types, " or ")
}

// Render writes the README.
func Render(c *Chart) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s\n\n", c.Name)
	b.WriteString("<!-- Generated by `make docs` (go run ./cmd/chartdoc) from values.yaml, values.schema.json and Chart.yaml.\n")
	b.WriteString("     Do not edit: change the `# --` comments in values.yaml and run `make docs`. -->\n\n")
	fmt.Fprintf(&b, "%s\n\n", c.Description)
	fmt.Fprintf(&b, "Chart version `%s`, app version `%s`.\n\n", c.Version, c.AppVersion)
	b.WriteString("## Usage\n\n```sh\n")
	fmt.Fprintf(&b, "helm install RELEASE oci://REGISTRY/charts/%s --version %s -f values.yaml\n", c.Name, c.Version)
	b.WriteString("helm test RELEASE --logs   # when tests.enabled\n```\n\n")
	b.WriteString("Every key below is checked by `values.schema.json`: an unknown key or a wrong type fails at `helm template`.\n\n")
	b.WriteString("## Values\n\n| Key | Type | Default | Description |\n|-----|------|---------|-------------|\n")
	for _, r := range c.Rows {
		desc := cell(r.Description)
		if r.Example != "" {
			desc += " For example:<pre>" + strings.ReplaceAll(html(r.Example), "\n", "<br>") + "</pre>"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", r.Key, cell(r.Type), cell(r.Default), desc)
	}
	return b.Bytes()
}

// cell makes text safe in a Markdown table cell: `|` escaped, and `<`, `>` outside code spans turned into entities
// (GitHub would take `<fullname>` for an HTML tag and hide it).
func cell(s string) string {
	var b strings.Builder
	inCode := false
	for _, r := range s {
		switch {
		case r == '`':
			inCode = !inCode
			b.WriteRune(r)
		case r == '|':
			b.WriteString(`\|`)
		case !inCode && r == '<':
			b.WriteString("&lt;")
		case !inCode && r == '>':
			b.WriteString("&gt;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func html(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "|", "&#124;").Replace(s)
}

// Generate renders charts/<dir>/README.md's content.
func Generate(dir string) ([]byte, error) {
	c, err := Load(dir)
	if err != nil {
		return nil, err
	}
	return Render(c), nil
}
