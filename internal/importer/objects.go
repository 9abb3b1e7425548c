package importer

import (
	"encoding/json"
	"fmt"
)

// get returns the value at path in m, nil when a step is missing or not a map.
func get(m map[string]any, path ...string) any {
	var cur any = m
	for _, p := range path {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mm[p]
	}
	return cur
}

func take(m map[string]any, path ...string) (any, bool) {
	cur := m
	for _, p := range path[:len(path)-1] {
		next, ok := cur[p].(map[string]any)
		if !ok {
			return nil, false
		}
		cur = next
	}
	last := path[len(path)-1]
	v, ok := cur[last]
	delete(cur, last)
	return v, ok
}

func takeV(m map[string]any, path ...string) any { v, _ := take(m, path...); return v }

func str(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case float64:
		if t == float64(int64(t)) {
			return fmt.Sprint(int64(t))
		}
	}
	return fmt.Sprint(v)
}

func asList(v any) []any { l, _ := v.([]any); return l }

func asStrings(v any) []string {
	var out []string
	for _, x := range asList(v) {
		out = append(out, str(x))
	}
	return out
}

func isInt(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if (r < '0' || r > '9') && !(i == 0 && r == '-') {
			return false
		}
	}
	return true
}

func toInt(v any) int {
	var n int
	_, _ = fmt.Sscan(str(v), &n)
	return n
}

func empty(v any) bool {
	switch t := v.(type) {
	case nil:
		return true
	case string:
		return t == ""
	case map[string]any:
		for _, x := range t {
			if !empty(x) {
				return false
			}
		}
		return true
	case []any:
		for _, x := range t {
			if !empty(x) {
				return false
			}
		}
		return true
	}
	return false
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	s := string(b)
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

func deepCopy(m map[string]any) map[string]any {
	b, _ := json.Marshal(m)
	out := map[string]any{}
	_ = json.Unmarshal(b, &out)
	return out
}

func isZero[T any](p *T) bool {
	if p == nil {
		return true
	}
	b, _ := json.Marshal(p)
	return string(b) == "{}"
}

func orNew[T any](p *T) *T {
	if p == nil {
		return new(T)
	}
	return p
}
