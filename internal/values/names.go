package values

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
)

// HashedName returns name when it has at most max characters; otherwise its first max-9 characters (trailing "-" and
// "." dropped), "-" and the first 8 hex digits of the SHA-256 of the whole name. Long names stay distinct and
// stable: a bare cut could make two names equal. The charts compute the same ("llm-model.shortName" in
// charts/llm-model/templates/_names.tpl, "llm-gateway.objectName"), so chartgen predicts the names they render.
func HashedName(name string, max int) string {
	if len(name) <= max {
		return name
	}
	sum := sha256.Sum256([]byte(name))
	head := strings.TrimRight(name[:max-9], "-.")
	return head + "-" + hex.EncodeToString(sum[:])[:8]
}

// EnvironmentValues is serving.env: variable name → value. The schema lets a value be a string, a number or a boolean (the chart
// renders each as written); EnvironmentValues keeps each as the text the values file gave, so 1200000 stays "1200000".
type EnvironmentValues map[string]string

// UnmarshalJSON accepts strings, numbers and booleans, as the schema does.
func (e *EnvironmentValues) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	out := make(EnvironmentValues, len(raw))
	for k, v := range raw {
		var s string
		switch {
		case json.Unmarshal(v, &s) == nil:
			out[k] = s
		case bytes.Equal(v, []byte("true")), bytes.Equal(v, []byte("false")):
			out[k] = string(v)
		default:
			var n json.Number
			if err := json.Unmarshal(v, &n); err != nil {
				return fmt.Errorf("env.%s: want a string, number or boolean, got %s", k, v)
			}
			out[k] = n.String()
		}
	}
	*e = out
	return nil
}
