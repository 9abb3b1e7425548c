package importer

import (
	"sort"
	"strings"
)

// chartLabels are the pod labels the chart sets itself (charts/llm-model/templates/_validate.tpl refuses them in
// podLabels).
var chartLabels = map[string]bool{"app": true, "service-group": true, "component": true, "llm-charts.io/role": true,
	"helm.sh/chart": true, "app.kubernetes.io/name": true, "app.kubernetes.io/instance": true,
	"app.kubernetes.io/version": true, "app.kubernetes.io/managed-by": true, "app.kubernetes.io/part-of": true}

// workloadSpec maps spec and returns the pod labels.
func (s *state) workloadSpec(m map[string]any, all []Object, used map[int]bool) map[string]any {
	if v, ok := take(m, "spec", "replicas"); ok {
		n := toInt(v)
		if n != 1 {
			s.group.Replicas = &n
		}
	}
	sel, _ := take(m, "spec", "selector")
	if sm, ok := sel.(map[string]any); ok {
		ml, _ := sm["matchLabels"].(map[string]any)
		if len(sm) != 1 || len(ml) != 1 || ml["app"] != s.name {
			s.note("the selector changes from %s to app + app.kubernetes.io/name + app.kubernetes.io/instance (selectors are immutable)", jsonString(sel))
		}
	}
	s.workloadKind(m)
	tm, _ := get(m, "spec", "template").(map[string]any)
	if tm == nil {
		s.unmapped("spec.template: missing")
		return nil
	}
	podLabels := map[string]any{}
	if l, ok := get(tm, "metadata", "labels").(map[string]any); ok {
		keys := make([]string, 0, len(l))
		for k := range l {
			keys = append(keys, k)
		}
		sort.Strings(keys) // the not-mapped list in a fixed order
		for _, k := range keys {
			v := l[k]
			podLabels[k] = v
			if (k == "app" && (v == s.name || v == s.fullname)) || (k == "component" && v == "llm") {
				delete(l, k)
				continue
			}
			delete(l, k)
			if chartLabels[k] {
				s.unmapped("pod label %s=%v: the chart sets this label itself (its selectors use it); a Service or client selecting pods by it must use the chart's labels", k, v)
				continue
			}
			if s.v.PodLabels == nil {
				s.v.PodLabels = map[string]string{}
			}
			s.v.PodLabels[k] = str(v)
		}
	}
	if a, ok := take(tm, "metadata", "annotations"); ok {
		for k, v := range a.(map[string]any) {
			if s.v.PodAnnotations == nil {
				s.v.PodAnnotations = map[string]string{}
			}
			s.v.PodAnnotations[k] = str(v)
		}
	}
	spec, _ := tm["spec"].(map[string]any)
	if spec == nil {
		return podLabels
	}
	s.podSpec(spec, m, all, used)
	return podLabels
}

// podLabels are the labels the workload's pods carry: the template's, and those a LeaderWorkerSet adds to its leader.
func (s *state) podLabels(template map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range template {
		out[k] = v
	}
	if s.lws != nil {
		out["leaderworkerset.sigs.k8s.io/name"] = s.name
		out["leaderworkerset.sigs.k8s.io/worker-index"] = "0"
	}
	return out
}

// workloadKind maps the fields of the workload's own kind: a StatefulSet's, which the chart's keeps, or a
// Deployment's or LeaderWorkerSet's, with how to move onto the chart's workload.
func (s *state) workloadKind(m map[string]any) {
	if s.kind == "StatefulSet" {
		if v := str(takeV(m, "spec", "serviceName")); v != "" && v != s.name {
			s.unmapped("spec.serviceName %q: the chart uses the fullname %q", v, s.name)
		}
		if v := str(takeV(m, "spec", "podManagementPolicy")); v != "" && v != "OrderedReady" {
			s.unmapped("spec.podManagementPolicy %s: the chart uses OrderedReady", v)
		}
		if v, ok := take(m, "spec", "persistentVolumeClaimRetentionPolicy"); ok {
			pm, _ := v.(map[string]any)
			if str(pm["whenDeleted"]) != "Retain" || str(pm["whenScaled"]) != "Retain" {
				s.unmapped("spec.persistentVolumeClaimRetentionPolicy %s: the chart keeps PVCs (Retain/Retain)", jsonString(v))
			}
		} else {
			s.note("the chart sets persistentVolumeClaimRetentionPolicy Retain/Retain (the Kubernetes default too)")
		}
		s.note("to move onto the chart: kubectl -n %s delete statefulset %s (its PVCs stay), then helm install; the StatefulSet and volume claim template keep their names, so the new pods mount the same PVCs and the downloaded weights", s.r.Namespace, s.name)
	} else {
		for _, f := range []string{"strategy", "revisionHistoryLimit", "progressDeadlineSeconds", "minReadySeconds"} {
			if v, ok := take(m, "spec", f); ok && !empty(v) {
				s.unmapped("spec.%s %s: Deployment-only, a StatefulSet has no such field", f, jsonString(v))
			}
		}
		if s.lws != nil && s.lws.size > 1 {
			s.lwsMoveNote(!empty(get(m, "spec", "volumeClaimTemplates")))
		} else {
			s.note("the %s is ported to a StatefulSet %s (OrderedReady, PVCs kept on delete and scale-down); kubectl -n %s delete %s %s before helm install", s.kind, s.fullname, s.r.Namespace, strings.ToLower(s.kind), s.name)
		}
	}
}
