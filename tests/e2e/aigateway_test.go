package e2e

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// What the Envoy AI Gateway controller makes of the chart's objects, for Envoy Gateway's translator.
//
// The chart targets Envoy AI Gateway v1.1.0, whose Go module the module proxy does not serve, so these rules are
// written down here from its source (envoyproxy/ai-gateway at tag v1.1.0, commit
// c217da8a539570ba3f6014a60c2687c29a945f1f), not imported:
//
// internal/controller/ai_gateway_route.go, newHTTPRoute and generateHTTPRouteFilters:
//   - one HTTPRoute per AIGatewayRoute, same name and namespace, its labels and annotations copied, its parentRefs
//     and hostnames copied;
//   - one HTTPRoute rule per AIGatewayRoute rule, in order, with the rule's name; every match keeps its headers and
//     gets the path match "/" (a PathPrefix: the controller's --rootPrefix flag defaults to "/", cmd/controller);
//   - each backendRef becomes the referenced AIServiceBackend's spec.backendRef (here a gateway.envoyproxy.io
//     Backend), with the AIGatewayRoute ref's weight; the namespace is added only when the AIServiceBackend lives
//     in another namespace (the ref's namespace, allowed by a ReferenceGrant from AIGatewayRoute there:
//     internal/controller/referencegrant.go, which the chart's grants satisfy by construction). The ref's priority
//     is not carried (see effectivePriority);
//   - every rule gets the filter ExtensionRef HTTPRouteFilter "ai-eg-host-rewrite-<route>" (urlRewrite of the
//     hostname, type Backend); the rule's timeouts are kept, request defaulting to 60s
//     (api/v1beta1/ai_gateway_route_helper.go, GetTimeoutsOrDefault);
//   - a last rule "route-not-found" matches "/" with HTTPRouteFilter "ai-eg-route-not-found-response-<route>" (a
//     direct 404 response);
//   - the annotation gateway.envoyproxy.io/backend-ref-priority lists "<rule>:<ref name>:<priority>" for every ref.
//
//   - an InferencePool ref (group inference.networking.k8s.io) is passed on as is; the extension server routes it
//     through the pool's endpoint picker (internal/extensionserver/inferencepool.go). Not modeled here: such rules
//     reach the translator without backendRefs and are counted, not checked.
//
// internal/extensionserver/post_translate_modify.go, maybeModifyCluster (Envoy Gateway calls the AI Gateway's
// extension server after translating; egctl does not): in a cluster named httproute/<ns>/<route>/rule/<i> the k-th
// locality, counting only refs whose weight is not 0, gets the priority of that ref of AIGatewayRoute rule i; in a
// per-backend cluster httproute/<ns>/<route>/rule/<i>/backend/<j>, every locality gets ref j's priority.
// The AI Gateway's BackendSecurityPolicy (API keys) only configures its own external processor, not Envoy Gateway
// objects, so it has no counterpart here.

const (
	aigwHostRewritePrefix   = "ai-eg-host-rewrite-"
	aigwNotFoundPrefix      = "ai-eg-route-not-found-response-"
	aigwNotFoundRule        = "route-not-found"
	aigwDefaultTimeout      = "60s"
	aigwPriorityAnnotation  = "gateway.envoyproxy.io/backend-ref-priority"
	envoyGatewayGroup       = "gateway.envoyproxy.io"
	gatewayAPIGroupVersion  = "gateway.networking.k8s.io/v1"
	envoyGatewayAPIVersion  = "gateway.envoyproxy.io/v1alpha1"
	aigwRouteKind           = "AIGatewayRoute"
	aigwServiceBackendKind  = "AIServiceBackend"
	envoyGatewayBackendKind = "Backend"
)

// aigwRef is one backendRef of an AIGatewayRoute rule, resolved to the Backend it reaches.
type aigwRef struct {
	name     string // AIServiceBackend name
	backend  string // Backend name
	weight   int64  // 1 unless set
	priority int64  // 0 unless set
}

// aigwRule is one AIGatewayRoute rule.
type aigwRule struct {
	name, model, timeout string
	refs                 []aigwRef
	// pool is the InferencePool ("<ns>/<name>") of a rule that references one; such a rule reaches Envoy Gateway's
	// translator without backendRefs (see aiGatewayTranslate) and is not checked against xDS.
	pool string
}

// aigwRoute is one AIGatewayRoute with its rules, in order.
type aigwRoute struct {
	name, namespace string
	rules           []aigwRule
}

// cluster is the name Envoy Gateway gives the cluster of rule i when all its backends share one cluster.
func (r aigwRoute) cluster(i int) string {
	return fmt.Sprintf("httproute/%s/%s/rule/%d", r.namespace, r.name, i)
}

// aiGatewayTranslate returns the AIGatewayRoutes of a rendering and the HTTPRoutes and HTTPRouteFilters the AI
// Gateway controller would create from them.
func aiGatewayTranslate(objs []*unstructured.Unstructured) ([]aigwRoute, []map[string]any, error) {
	services := map[string]map[string]any{} // "<ns>/<name>" → AIServiceBackend spec.backendRef
	for _, o := range objs {
		if o.GetKind() == aigwServiceBackendKind {
			ref, _, _ := unstructured.NestedMap(o.Object, "spec", "backendRef")
			services[o.GetNamespace()+"/"+o.GetName()] = ref
		}
	}
	var routes []aigwRoute
	var out []map[string]any
	for _, o := range objs {
		if o.GetKind() != aigwRouteKind {
			continue
		}
		ns, name := o.GetNamespace(), o.GetName()
		route := aigwRoute{name: name, namespace: ns}
		spec, _, _ := unstructured.NestedMap(o.Object, "spec")
		rawRules, _, _ := unstructured.NestedSlice(spec, "rules")
		hostRewrite := map[string]any{"type": "ExtensionRef", "extensionRef": map[string]any{
			"group": envoyGatewayGroup, "kind": "HTTPRouteFilter", "name": aigwHostRewritePrefix + name}}
		var rules []any
		var prio []string
		for i, rr := range rawRules {
			r := rr.(map[string]any)
			rule := aigwRule{}
			rule.name, _, _ = unstructured.NestedString(r, "name")
			rule.timeout, _, _ = unstructured.NestedString(r, "timeouts", "request")
			timeouts, _, _ := unstructured.NestedMap(r, "timeouts")
			if timeouts == nil {
				timeouts = map[string]any{}
			}
			if rule.timeout == "" {
				rule.timeout = aigwDefaultTimeout
				timeouts["request"] = aigwDefaultTimeout
			}
			var matches []any
			rawMatches, _, _ := unstructured.NestedSlice(r, "matches")
			for _, m := range rawMatches {
				headers, _, _ := unstructured.NestedSlice(m.(map[string]any), "headers")
				for _, h := range headers {
					if hm := h.(map[string]any); hm["name"] == "x-ai-eg-model" {
						rule.model, _ = hm["value"].(string)
					}
				}
				matches = append(matches, map[string]any{"headers": headers, "path": map[string]any{"value": "/"}})
			}
			var refs []any
			rawRefs, _, _ := unstructured.NestedSlice(r, "backendRefs")
			for _, br := range rawRefs {
				b := br.(map[string]any)
				if kind, _ := b["kind"].(string); kind == "InferencePool" {
					// The controller passes an InferencePool ref to the HTTPRoute as is (group, kind, name,
					// namespace, weight); Envoy AI Gateway's extension server then replaces its cluster with one
					// that asks the pool's endpoint picker (internal/extensionserver/inferencepool.go), which
					// egctl does not run. The translator gets the rule without backendRefs, keeping rule indexes.
					poolNS, _ := b["namespace"].(string)
					if poolNS == "" {
						poolNS = ns
					}
					poolName, _ := b["name"].(string)
					rule.pool = poolNS + "/" + poolName
					continue
				}
				ref := aigwRef{weight: 1}
				ref.name, _ = b["name"].(string)
				refNS, _ := b["namespace"].(string)
				if refNS == "" {
					refNS = ns
				}
				if w, ok := asInt(b["weight"]); ok {
					ref.weight = w
				}
				if p, ok := asInt(b["priority"]); ok {
					ref.priority = p
				}
				target, ok := services[refNS+"/"+ref.name]
				if !ok {
					return nil, nil, fmt.Errorf("AIGatewayRoute %s rule %d: AIServiceBackend %s/%s not rendered", name, i, refNS, ref.name)
				}
				ref.backend, _ = target["name"].(string)
				hb := map[string]any{}
				for k, v := range target {
					hb[k] = v
				}
				if _, set := hb["namespace"]; !set && refNS != ns {
					hb["namespace"] = refNS
				}
				if _, set := b["weight"]; set {
					hb["weight"] = ref.weight
				}
				refs = append(refs, hb)
				rule.refs = append(rule.refs, ref)
				prio = append(prio, fmt.Sprintf("%d:%s:%d", i, ref.name, ref.priority))
			}
			hr := map[string]any{"matches": matches, "backendRefs": refs, "filters": []any{hostRewrite}, "timeouts": timeouts}
			if rule.name != "" {
				hr["name"] = rule.name
			}
			rules = append(rules, hr)
			route.rules = append(route.rules, rule)
		}
		rules = append(rules, map[string]any{
			"name":    aigwNotFoundRule,
			"matches": []any{map[string]any{"path": map[string]any{"value": "/"}}},
			"filters": []any{map[string]any{"type": "ExtensionRef", "extensionRef": map[string]any{
				"group": envoyGatewayGroup, "kind": "HTTPRouteFilter", "name": aigwNotFoundPrefix + name}}},
		})
		annotations := map[string]any{aigwPriorityAnnotation: strings.Join(prio, ",")}
		for k, v := range o.GetAnnotations() {
			annotations[k] = v
		}
		labels := map[string]any{}
		for k, v := range o.GetLabels() {
			labels[k] = v
		}
		hrSpec := map[string]any{"parentRefs": spec["parentRefs"], "rules": rules}
		if h, ok := spec["hostnames"]; ok {
			hrSpec["hostnames"] = h
		}
		out = append(out,
			map[string]any{"apiVersion": gatewayAPIGroupVersion, "kind": "HTTPRoute",
				"metadata": map[string]any{"name": name, "namespace": ns, "labels": labels, "annotations": annotations},
				"spec":     hrSpec},
			map[string]any{"apiVersion": envoyGatewayAPIVersion, "kind": "HTTPRouteFilter",
				"metadata": map[string]any{"name": aigwHostRewritePrefix + name, "namespace": ns},
				"spec":     map[string]any{"urlRewrite": map[string]any{"hostname": map[string]any{"type": "Backend"}}}},
			map[string]any{"apiVersion": envoyGatewayAPIVersion, "kind": "HTTPRouteFilter",
				"metadata": map[string]any{"name": aigwNotFoundPrefix + name, "namespace": ns},
				"spec": map[string]any{"directResponse": map[string]any{"statusCode": int64(404), "body": map[string]any{
					"type":   "Inline",
					"inline": "No matching route found. It is likely because the model specified in your request is not configured in the Gateway."}}}},
		)
		routes = append(routes, route)
	}
	return routes, out, nil
}

// effectivePriority is the priority the AI Gateway's extension server gives locality k of the cluster named
// cluster, which belongs to rule i of route r (see the rules above); ok is false when the cluster is not one of
// the rule's.
func effectivePriority(r aigwRoute, i int, cluster string, k int) (prio int64, ok bool) {
	rule := r.rules[i]
	if cluster == r.cluster(i) {
		n := 0
		for _, ref := range rule.refs {
			if ref.weight == 0 {
				continue
			}
			if n == k {
				return ref.priority, true
			}
			n++
		}
		return 0, false
	}
	var j int
	if _, err := fmt.Sscanf(strings.TrimPrefix(cluster, r.cluster(i)), "/backend/%d", &j); err != nil || j >= len(rule.refs) {
		return 0, false
	}
	return rule.refs[j].priority, true
}

// asInt reads a number of a parsed YAML or JSON document (float64 from encoding/json, int64 from others).
func asInt(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case int:
		return int64(n), true
	case float64:
		return int64(n), true
	}
	return 0, false
}
