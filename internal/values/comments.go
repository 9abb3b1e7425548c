package values

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// Comments are head comments for a values document, keyed by path: "serving.tensorParallelSize",
// "resourceGroups[0].gpu.count", or a list item itself, "models[3]". The text may hold several lines; "# " is added
// to each.
type Comments map[string]string

// MarshalWithComments writes v (any value that marshals to JSON, e.g. a Model) as YAML with the document comment
// `header` at the top and each path's comment as a head comment on its key, the way cert-manager's helm-tool reads
// them back. Keys keep the JSON field order. Paths in comments that are not in the document are an error, so a
// comment never silently goes missing.
func MarshalWithComments(v any, header string, comments Comments) ([]byte, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, fmt.Errorf("values: not a single YAML document")
	}
	root := doc.Content[0]
	unstyle(root)
	used := map[string]bool{}
	walk(root, "", func(path string, node *yaml.Node) {
		if c, ok := comments[path]; ok {
			node.HeadComment = commentText(c)
			used[path] = true
		}
	})
	var missing []string
	for p := range comments {
		if !used[p] {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("values: comments for keys not in the document: %s", strings.Join(missing, ", "))
	}
	if header != "" {
		doc.HeadComment = commentText(header)
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// unstyle drops the JSON flow style and quoting the decoder keeps, so the output is block YAML; strings that would
// read back as something else stay quoted by the encoder.
func unstyle(n *yaml.Node) {
	n.Style = 0
	for _, c := range n.Content {
		unstyle(c)
	}
}

func walk(n *yaml.Node, prefix string, visit func(path string, key *yaml.Node)) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			p := k.Value
			if prefix != "" {
				p = prefix + "." + k.Value
			}
			visit(p, k)
			walk(val, p, visit)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p := prefix + "[" + strconv.Itoa(i) + "]"
			visit(p, c) // a comment on a list item stands above its "- "
			walk(c, p, visit)
		}
	}
}

func commentText(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		if l == "" {
			lines[i] = "#"
		} else {
			lines[i] = "# " + l
		}
	}
	return strings.Join(lines, "\n")
}
