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

	"github.com/llm-charts/llm-charts/internal/render"
	"github.com/llm-charts/llm-charts/internal/values"
)

// gatewayValues builds llm-gateway values for n models "model-0000"…, each on its own in-cluster backend, plus
// extra models, with the given hash buckets.
func gatewayValues(n, buckets int, extra ...string) values.GatewayValues {
	v := values.GatewayValues{
		Gateway:  &values.GatewayParentRef{Name: "envoy-ai-gateway"},
		Routes:   &values.GatewayRoutes{NamePrefix: "llm", Buckets: buckets},
		Backends: map[string]values.GatewayBackend{},
	}
	names := extra
	for i := range n {
		names = append(names, fmt.Sprintf("model-%04d", i))
	}
	sort.Strings(names)
	for _, name := range names {
		v.Backends[name] = values.GatewayBackend{Service: &values.GatewayServiceRef{Name: name, Namespace: "models"}}
		v.Models = append(v.Models, values.GatewayModel{
			Name:        name,
			BackendRefs: []values.GatewayBackendRef{{Name: name, ModelNameOverride: "org/" + name}},
		})
	}
	return v
}

func renderGateway(t testing.TB, v values.GatewayValues) *render.Result {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]any{}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	res, err := render.Chart(LoadChart(t, "llm-gateway"), m, render.Options{ReleaseName: "gw", Namespace: "llm"})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// gatewayObjects indexes the rendered documents by "Kind/name".
func gatewayObjects(res *render.Result) map[string]render.Doc {
	out := map[string]render.Doc{}
	for _, d := range res.Docs {
		out[d.Kind()+"/"+d.Name()] = d
	}
	return out
}

// ruleRoutes maps each public model name to the AIGatewayRoute holding its rule.
func ruleRoutes(t testing.TB, res *render.Result) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, d := range res.Docs {
		if d.Kind() != "AIGatewayRoute" {
			continue
		}
		spec := d.Object["spec"].(map[string]any)
		for _, r := range spec["rules"].([]any) {
			h := r.(map[string]any)["matches"].([]any)[0].(map[string]any)["headers"].([]any)[0].(map[string]any)
			name := h["value"].(string)
			if prev, dup := out[name]; dup {
				t.Fatalf("model %s is in both %s and %s", name, prev, d.Name())
			}
			out[name] = d.Name()
		}
	}
	return out
}

// changedObjects lists the objects that differ between two renderings (added, removed or edited).
func changedObjects(a, b *render.Result) []string {
	oa, ob := gatewayObjects(a), gatewayObjects(b)
	var changed []string
	for k, d := range oa {
		if e, ok := ob[k]; !ok || e.Body != d.Body {
			changed = append(changed, k)
		}
	}
	for k := range ob {
		if _, ok := oa[k]; !ok {
			changed = append(changed, k)
		}
	}
	sort.Strings(changed)
	return changed
}

// TestGatewayRouteStability renders N models, then N+1 and N-1, and checks that no rule of an unrelated model moved:
// every model keeps its route, and the only objects that change are the added/removed model's own Backend and
// AIServiceBackend, the one AIGatewayRoute that holds it, and the BackendTrafficPolicy only when a route appears or
// disappears.
func TestGatewayRouteStability(t *testing.T) {
	const n, buckets = 120, 32
	base := renderGateway(t, gatewayValues(n, buckets))
	baseRoutes := ruleRoutes(t, base)
	if len(baseRoutes) != n {
		t.Fatalf("%d rules for %d models", len(baseRoutes), n)
	}
	if routes := len(gatewayKinds(base)["AIGatewayRoute"]); routes < n/values.GatewayMaxRulesPerRoute {
		t.Fatalf("only %d routes for %d models", routes, n)
	}

	check := func(t *testing.T, other *render.Result, model string) {
		otherRoutes := ruleRoutes(t, other)
		moved := 0
		for name, r := range baseRoutes {
			if or, ok := otherRoutes[name]; ok && or != r {
				t.Errorf("model %s moved from %s to %s", name, r, or)
				moved++
			}
		}
		route := baseRoutes[model]
		if route == "" {
			route = otherRoutes[model]
		}
		allowed := map[string]bool{
			"AIGatewayRoute/" + route:                  true,
			"AIServiceBackend/gw-llm-gateway-" + model: true,
			"Backend/gw-llm-gateway-" + model:          true,
			"BackendTrafficPolicy/gw-llm-gateway":      true,
		}
		changed := changedObjects(base, other)
		for _, k := range changed {
			if !allowed[k] {
				t.Errorf("%s changed, but it does not hold %s", k, model)
			}
		}
		t.Logf("%s: %d rules moved; changed objects: %s", model, moved, strings.Join(changed, ", "))
	}
	t.Run("add", func(t *testing.T) {
		check(t, renderGateway(t, gatewayValues(n, buckets, "zz-new-model")), "zz-new-model")
	})
	t.Run("add first in the list", func(t *testing.T) {
		check(t, renderGateway(t, gatewayValues(n, buckets, "aa-new-model")), "aa-new-model")
	})
	t.Run("remove", func(t *testing.T) {
		v := gatewayValues(n, buckets)
		removed := v.Models[n/2].Name
		v.Models = append(v.Models[:n/2], v.Models[n/2+1:]...)
		delete(v.Backends, removed)
		check(t, renderGateway(t, v), removed)
	})
}

// TestGatewayRemovedModelGolden: the golden pair many-models / many-models-removed differ only in the route that
// held the removed model (the rest is byte for byte the same, release name aside).
func TestGatewayRemovedModelGolden(t *testing.T) {
	read := func(name string) *render.Result {
		c := Case{Chart: "llm-gateway", Name: name, Path: filepath.Join("cases", "llm-gateway", name+".yaml"), Release: "same", Namespace: "llm"}
		res, err := RenderCase(t, c)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	before, after := read("many-models"), read("many-models-removed")
	route := ruleRoutes(t, before)["gpt-oss-120b"]
	changed := changedObjects(before, after)
	if len(changed) != 1 || changed[0] != "AIGatewayRoute/"+route {
		t.Fatalf("removing gpt-oss-120b changed %v, want only AIGatewayRoute/%s", changed, route)
	}
}

func gatewayKinds(res *render.Result) map[string][]render.Doc {
	out := map[string][]render.Doc{}
	for _, d := range res.Docs {
		out[d.Kind()] = append(out[d.Kind()], d)
	}
	return out
}

// TestGatewayCases checks every llm-gateway case for what a golden file alone does not say: the BackendTrafficPolicy
// targets every generated HTTPRoute, no route is over the CRD's limit, every backendRef names a rendered
// AIServiceBackend, and the route of each model is the one values.GatewayRouteKey computes (the Go and template
// implementations agree).
func TestGatewayCases(t *testing.T) {
	for _, c := range LoadCases(t) {
		if c.Chart != "llm-gateway" || c.WantError {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			res, err := RenderCase(t, c)
			if err != nil {
				t.Fatal(err)
			}
			data, _ := os.ReadFile(c.Path)
			raw, _ := render.ReadValues(data)
			j, _ := json.Marshal(raw)
			var v values.GatewayValues
			dec := json.NewDecoder(bytes.NewReader(j))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&v); err != nil {
				t.Fatalf("the case does not decode into values.GatewayValues: %v", err)
			}
			kinds := gatewayKinds(res)
			targets := map[string]bool{}
			for _, d := range kinds["BackendTrafficPolicy"] {
				for _, r := range d.Object["spec"].(map[string]any)["targetRefs"].([]any) {
					ref := r.(map[string]any)
					targets[ref["kind"].(string)+"/"+ref["name"].(string)] = true
				}
			}
			services := map[string]bool{}
			for _, d := range kinds["AIServiceBackend"] {
				services[d.Name()] = true
			}
			prefix := "llm-gateway" // release name = case name; fullname = <release>-llm-gateway unless overridden
			if v.FullnameOverride != "" {
				prefix = v.FullnameOverride
			} else {
				prefix = c.Release + "-" + prefix
			}
			if v.Routes != nil && v.Routes.NamePrefix != "" {
				prefix = v.Routes.NamePrefix
			}
			buckets := 16
			if v.Routes != nil && v.Routes.Buckets != 0 {
				buckets = v.Routes.Buckets
			}
			routes := ruleRoutes(t, res)
			for _, m := range v.Models {
				if want := prefix + "-" + values.GatewayRouteKey(m, buckets); routes[m.Name] != want {
					t.Errorf("model %s is in route %s; values.GatewayRouteKey says %s", m.Name, routes[m.Name], want)
				}
			}
			for _, d := range kinds["AIGatewayRoute"] {
				if (v.TrafficPolicy == nil || v.TrafficPolicy.Enabled == nil || *v.TrafficPolicy.Enabled) && !targets["HTTPRoute/"+d.Name()] {
					t.Errorf("the BackendTrafficPolicy does not target HTTPRoute %s", d.Name())
				}
				rules := d.Object["spec"].(map[string]any)["rules"].([]any)
				if len(rules) > values.GatewayMaxRulesPerRoute {
					t.Errorf("%s has %d rules", d.Name(), len(rules))
				}
				for _, r := range rules {
					for _, b := range r.(map[string]any)["backendRefs"].([]any) {
						ref := b.(map[string]any)
						if ref["kind"] == "InferencePool" {
							// a pool backend: the InferencePool itself, made by the llm-model chart, never an AIServiceBackend
							if !poolRefs(v)[ref["name"].(string)] || ref["group"] != "inference.networking.k8s.io" {
								t.Errorf("%s references InferencePool %v (group %v), which no backends.*.inferencePool names", d.Name(), ref["name"], ref["group"])
							}
							continue
						}
						if name := ref["name"].(string); !services[name] {
							t.Errorf("%s references AIServiceBackend %s, which is not rendered", d.Name(), name)
						}
					}
				}
			}
		})
	}
}

// TestGatewaySchemaCopy: the chart's values.schema.json is a byte-identical copy of schema/ (make schemas).
func TestGatewaySchemaCopy(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(repoRoot, "schema", "llm-gateway.values.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	cp, err := os.ReadFile(filepath.Join(repoRoot, "charts", "llm-gateway", "values.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(src, cp) {
		t.Fatal("charts/llm-gateway/values.schema.json differs from schema/llm-gateway.values.schema.json; run: make schemas")
	}
}

// TestGatewayDefaults: values.yaml alone validates against the schema and renders nothing but an empty release.
func TestGatewayDefaults(t *testing.T) {
	res := renderGateway(t, values.GatewayValues{})
	if len(res.Docs) != 0 {
		t.Fatalf("default values render %d objects, want none", len(res.Docs))
	}
}

// gatewayBuckets keeps about 4 models per bucket: far enough from 15 that no bucket overflows for these names.
func gatewayBuckets(n int) int { return max(1, n/4) }

// TestGatewayScale: 1,000 models render, one rule each. The speed target (1,000 models well under 2 s) is measured by
// BenchmarkGatewayRender (`make bench`), not asserted here: a timed assertion fails on a busy machine, not on slow code.
func TestGatewayScale(t *testing.T) {
	if testing.Short() {
		t.Skip("renders 1,000 models")
	}
	res := renderGateway(t, gatewayValues(1000, gatewayBuckets(1000)))
	if got := len(ruleRoutes(t, res)); got != 1000 {
		t.Fatalf("1,000 models render %d rules", got)
	}
}

func BenchmarkGatewayRender(b *testing.B) {
	for _, n := range []int{100, 1000, 5000} {
		v := gatewayValues(n, gatewayBuckets(n))
		b.Run(fmt.Sprintf("models=%d", n), func(b *testing.B) {
			renderGateway(b, v) // load the chart outside the timer
			b.ResetTimer()
			for b.Loop() {
				renderGateway(b, v)
			}
		})
	}
}

// poolRefs are the InferencePool names that backends.*.inferencePool names.
func poolRefs(v values.GatewayValues) map[string]bool {
	out := map[string]bool{}
	for _, b := range v.Backends {
		if b.InferencePool != nil {
			out[b.InferencePool.Name] = true
		}
	}
	return out
}
