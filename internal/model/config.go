package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// rawConfig is a decoded config.json with typed accessors. Lookups try the nested
// text_config (multimodal wrappers keep the language model there) before the top level.
type rawConfig struct {
	root   map[string]any
	text   map[string]any
	prefix string // "quantization_config." for a nested object, so errors name the full path
	errs   *[]error
}

// maxConfigBytes bounds what Parse accepts; real config.json files are a few kB, GLM-5's
// (with its 712 ignored layers) is about 40 kB.
const maxConfigBytes = 16 << 20

func decodeConfig(data []byte) (*rawConfig, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("config.json is empty")
	}
	if len(data) > maxConfigBytes {
		return nil, fmt.Errorf("config.json is %d bytes, more than the %d allowed", len(data), maxConfigBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(sanitizeNonFinite(data)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("config.json is not valid JSON: %w", err)
	}
	root, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("config.json must be a JSON object, got %s", jsonKind(v))
	}
	rc := &rawConfig{root: root, errs: new([]error)}
	if tc, ok := root["text_config"].(map[string]any); ok {
		rc.text = tc
	}
	return rc, nil
}

// sanitizeNonFinite replaces the bare tokens Infinity, -Infinity and NaN that Python's json
// module writes (Nemotron-H's "time_step_limit": [0.0, Infinity]) with null outside strings,
// so that encoding/json accepts the file.
func sanitizeNonFinite(data []byte) []byte {
	if !bytes.Contains(data, []byte("Infinity")) && !bytes.Contains(data, []byte("NaN")) {
		return data
	}
	out := make([]byte, 0, len(data))
	inString, escaped := false, false
	for i := 0; i < len(data); i++ {
		c := data[i]
		if inString {
			out = append(out, c)
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		if c == '"' {
			inString = true
			out = append(out, c)
			continue
		}
		matched := false
		for _, tok := range []string{"-Infinity", "Infinity", "NaN"} {
			if bytes.HasPrefix(data[i:], []byte(tok)) {
				out = append(out, "null"...)
				i += len(tok) - 1
				matched = true
				break
			}
		}
		if !matched {
			out = append(out, c)
		}
	}
	return out
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// lookup returns the value of key and where it was found ("text_config.key" or "key").
func (rc *rawConfig) lookup(key string) (any, string, bool) {
	if rc.text != nil {
		if v, ok := rc.text[key]; ok && v != nil {
			return v, rc.prefix + "text_config." + key, true
		}
	}
	if v, ok := rc.root[key]; ok && v != nil {
		return v, rc.prefix + key, true
	}
	return nil, rc.prefix + key, false
}

func (rc *rawConfig) has(key string) bool {
	_, _, ok := rc.lookup(key)
	return ok
}

// int reads a non-negative integer; floats with an integral value (1.0) are accepted.
// A value of the wrong type records an error naming the field.
func (rc *rawConfig) int(key string) (int, bool) {
	v, path, ok := rc.lookup(key)
	if !ok {
		return 0, false
	}
	n, err := toInt(v)
	if err != nil {
		rc.fail(fmt.Errorf("field %q: %v", path, err))
		return 0, false
	}
	return n, true
}

// intOr is int with a default when the field is absent.
func (rc *rawConfig) intOr(key string, def int) int {
	if n, ok := rc.int(key); ok {
		return n
	}
	return def
}

// firstInt returns the first present key of keys.
func (rc *rawConfig) firstInt(keys ...string) (int, string, bool) {
	for _, k := range keys {
		if n, ok := rc.int(k); ok {
			return n, k, true
		}
	}
	return 0, "", false
}

// maxIntValue bounds every integer field: larger values are nonsense for a model config and
// would overflow the parameter arithmetic.
const maxIntValue = 1 << 40

func toInt(v any) (int, error) {
	num, ok := v.(json.Number)
	if !ok {
		return 0, fmt.Errorf("must be a number, got %s", jsonKind(v))
	}
	if i, err := strconv.ParseInt(string(num), 10, 64); err == nil {
		if i < 0 || i > maxIntValue {
			return 0, fmt.Errorf("must be between 0 and %d, got %d", int64(maxIntValue), i)
		}
		return int(i), nil
	}
	f, err := num.Float64()
	if err != nil || math.IsNaN(f) || f != math.Trunc(f) {
		return 0, fmt.Errorf("must be a whole number, got %s", num)
	}
	if f < 0 || f > maxIntValue {
		return 0, fmt.Errorf("must be between 0 and %d, got %s", int64(maxIntValue), num)
	}
	return int(f), nil
}

func (rc *rawConfig) float(key string) (float64, bool) {
	v, path, ok := rc.lookup(key)
	if !ok {
		return 0, false
	}
	num, isNum := v.(json.Number)
	if !isNum {
		rc.fail(fmt.Errorf("field %q: must be a number, got %s", path, jsonKind(v)))
		return 0, false
	}
	f, err := num.Float64()
	if err != nil {
		rc.fail(fmt.Errorf("field %q: %v", path, err))
		return 0, false
	}
	return f, true
}

func (rc *rawConfig) bool(key string) (bool, bool) {
	v, path, ok := rc.lookup(key)
	if !ok {
		return false, false
	}
	b, isBool := v.(bool)
	if !isBool {
		rc.fail(fmt.Errorf("field %q: must be true or false, got %s", path, jsonKind(v)))
		return false, false
	}
	return b, true
}

func (rc *rawConfig) string(key string) (string, bool) {
	v, path, ok := rc.lookup(key)
	if !ok {
		return "", false
	}
	s, isStr := v.(string)
	if !isStr {
		rc.fail(fmt.Errorf("field %q: must be a string, got %s", path, jsonKind(v)))
		return "", false
	}
	return s, true
}

func (rc *rawConfig) rootString(key string) string {
	if s, ok := rc.root[key].(string); ok {
		return s
	}
	return ""
}

func (rc *rawConfig) strings(key string) []string {
	v, path, ok := rc.lookup(key)
	if !ok {
		return nil
	}
	arr, isArr := v.([]any)
	if !isArr {
		rc.fail(fmt.Errorf("field %q: must be a list of strings, got %s", path, jsonKind(v)))
		return nil
	}
	out := make([]string, 0, len(arr))
	for i, e := range arr {
		s, isStr := e.(string)
		if !isStr {
			rc.fail(fmt.Errorf("field %q[%d]: must be a string, got %s", path, i, jsonKind(e)))
			return nil
		}
		out = append(out, s)
	}
	return out
}

func (rc *rawConfig) ints(key string) []int {
	v, path, ok := rc.lookup(key)
	if !ok {
		return nil
	}
	arr, isArr := v.([]any)
	if !isArr {
		rc.fail(fmt.Errorf("field %q: must be a list of numbers, got %s", path, jsonKind(v)))
		return nil
	}
	out := make([]int, 0, len(arr))
	for i, e := range arr {
		n, err := toInt(e)
		if err != nil {
			rc.fail(fmt.Errorf("field %q[%d]: %v", path, i, err))
			return nil
		}
		out = append(out, n)
	}
	return out
}

func (rc *rawConfig) object(key string) map[string]any {
	v, path, ok := rc.lookup(key)
	if !ok {
		return nil
	}
	m, isObj := v.(map[string]any)
	if !isObj {
		rc.fail(fmt.Errorf("field %q: must be an object, got %s", path, jsonKind(v)))
		return nil
	}
	return m
}

func (rc *rawConfig) fail(err error) { *rc.errs = append(*rc.errs, err) }

// sub wraps a nested object (quantization_config, rope_scaling, vision_config) with the same
// accessors; its fields are reported as parent.field and its errors join the parent's.
func (rc *rawConfig) sub(parent string, m map[string]any) *rawConfig {
	return &rawConfig{root: m, prefix: rc.prefix + parent + ".", errs: rc.errs}
}
