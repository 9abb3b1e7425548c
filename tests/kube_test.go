package tests

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/llm-charts/llm-charts/internal/render"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/client-go/kubernetes/scheme"
)

// strictDecoder decodes built-in kinds and fails on unknown or duplicate fields, as `kubectl apply --validate=strict`.
var strictDecoder = serializer.NewCodecFactory(scheme.Scheme, serializer.EnableStrict).UniversalDeserializer()

// CheckDocument applies every document-level check: strict decoding for built-in kinds, the CRD schema for custom
// resources, and the project's lint rules.
func CheckDocument(t *testing.T, d render.Doc) {
	t.Helper()
	obj, err := DecodeStrict(d)
	if err != nil {
		t.Errorf("%s: %v", d.Source, err)
		return
	}
	if obj == nil {
		if err := validateCustomResource(t, d.Object); err != nil {
			t.Errorf("%s: %s %s: %v", d.Source, d.Kind(), d.Name(), err)
		}
		return
	}
	for _, problem := range Lint(obj) {
		t.Errorf("%s: %s %s: %s", d.Source, d.Kind(), d.Name(), problem)
	}
}

// DecodeStrict decodes a built-in kind strictly; it returns nil, nil for kinds the client-go scheme doesn't know
// (custom resources).
func DecodeStrict(d render.Doc) (runtime.Object, error) {
	obj, gvk, err := strictDecoder.Decode([]byte(d.Body), nil, nil)
	if err != nil {
		if runtime.IsNotRegisteredError(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("strict decoding: %w", err)
	}
	if gvk.Kind != d.Kind() {
		return nil, fmt.Errorf("decoded kind %s, document says %s", gvk.Kind, d.Kind())
	}
	return obj, nil
}

// Lint checks what the API server accepts but a cluster would not work with.
func Lint(obj runtime.Object) []string {
	var p []string
	switch o := obj.(type) {
	case *appsv1.StatefulSet:
		// The controller-revision-hash label is the name plus 11 characters and must stay within 63.
		if len(o.Name) > 52 {
			p = append(p, fmt.Sprintf("StatefulSet name is %d characters; at most 52 keep controller-revision-hash within 63", len(o.Name)))
		}
		p = append(p, lintLabels("metadata.labels", o.Labels)...)
		p = append(p, lintLabels("spec.template.metadata.labels", o.Spec.Template.Labels)...)
		for k, v := range o.Spec.Selector.MatchLabels {
			if o.Spec.Template.Labels[k] != v {
				p = append(p, fmt.Sprintf("selector %s=%s does not match the pod template labels", k, v))
			}
			if k == "helm.sh/chart" || k == "app.kubernetes.io/version" {
				p = append(p, fmt.Sprintf("selector uses %s, which changes between versions: selectors are immutable", k))
			}
		}
		// Workers of multi-node instances serve no HTTP and are never behind a Service: no readiness probe.
		worker := o.Spec.Template.Labels["llm-charts.io/role"] == "worker"
		p = append(p, lintPodSpec(&o.Spec.Template.Spec, worker)...)
	case *corev1.Service:
		p = append(p, lintLabels("metadata.labels", o.Labels)...)
		if len(o.Spec.Selector) == 0 {
			p = append(p, "Service has no selector")
		}
	}
	return p
}

func lintLabels(where string, labels map[string]string) []string {
	var p []string
	for k, v := range labels {
		for _, e := range validation.IsQualifiedName(k) {
			p = append(p, fmt.Sprintf("%s key %q: %s", where, k, e))
		}
		for _, e := range validation.IsValidLabelValue(v) {
			p = append(p, fmt.Sprintf("%s[%s]=%q: %s", where, k, v, e))
		}
	}
	return p
}

func lintPodSpec(s *corev1.PodSpec, worker bool) []string {
	var p []string
	if a := s.Affinity; a != nil && a.NodeAffinity != nil && a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution != nil {
		for _, term := range a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms {
			for _, e := range term.MatchExpressions {
				if e.Operator != corev1.NodeSelectorOpGt && e.Operator != corev1.NodeSelectorOpLt {
					continue
				}
				// The API server takes any string here; the scheduler parses an integer and never matches otherwise.
				if len(e.Values) != 1 {
					p = append(p, fmt.Sprintf("node affinity %s %s needs exactly one value", e.Key, e.Operator))
					continue
				}
				if _, err := strconv.ParseInt(e.Values[0], 10, 64); err != nil {
					p = append(p, fmt.Sprintf("node affinity %s %s %q is not an integer: the scheduler would never match it", e.Key, e.Operator, e.Values[0]))
				}
			}
		}
	}
	for _, c := range s.Containers {
		for name, req := range c.Resources.Requests {
			if !strings.Contains(string(name), "/") {
				continue
			}
			// Extended resources (GPUs) must have request == limit.
			if lim, ok := c.Resources.Limits[name]; !ok || lim.Cmp(req) != 0 {
				p = append(p, fmt.Sprintf("container %s: %s request %s differs from its limit", c.Name, name, req.String()))
			}
		}
		for name, req := range c.Resources.Requests {
			if lim, ok := c.Resources.Limits[name]; ok && req.Cmp(lim) > 0 {
				p = append(p, fmt.Sprintf("container %s: %s request %s is over its limit %s", c.Name, name, req.String(), lim.String()))
			}
		}
		if c.StartupProbe == nil || c.LivenessProbe == nil || (c.ReadinessProbe == nil && !worker) {
			p = append(p, fmt.Sprintf("container %s lacks a startup, readiness or liveness probe", c.Name))
		}
		if sc := c.SecurityContext; sc == nil || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
			p = append(p, fmt.Sprintf("container %s allows privilege escalation", c.Name))
		}
		for _, e := range c.Env {
			if e.Value != "" && (strings.HasPrefix(e.Value, "hf_") || e.Name == "HF_TOKEN" || e.Name == "VLLM_API_KEY") {
				p = append(p, fmt.Sprintf("container %s: env %s carries a secret in plain text", c.Name, e.Name))
			}
		}
	}
	return p
}
