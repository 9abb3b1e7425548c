{{- /*
Capability checks: every optional custom resource the values turn on must be one the cluster serves. helm install and
upgrade see the cluster's API (discovery); Argo CD renders with `helm template --api-versions` for each API the
cluster serves; a plain `helm template` knows only the built-in APIs, so it needs `--api-versions GROUP/VERSION/KIND`
for each of these to render them (the chart cannot tell "offline" from "not installed", and rendering an object the
cluster would refuse with "resource mapping not found" is what these checks exist to prevent). Each error names the
values key that turned the object on, the API and the project that serves it.
Usage: {{ include "llm-model.validateCapabilities" (dict "root" $ "groups" $groups) | fromYamlArray }}
*/}}
{{- define "llm-model.validateCapabilities" -}}
{{- $v := .root.Values }}
{{- $need := list }}
{{- range $g := .groups }}
{{- $key := ternary "autoscaling.mode" (printf "resourceGroups[%d].autoscaling.mode" (int $g.index)) (eq (len $.groups) 1) }}
{{- if and $g.autoscaling.enabled (eq $g.autoscaling.mode "keda") }}
{{- $need = append $need (dict "key" (printf "%s: keda" $key) "api" "keda.sh/v1alpha1" "kind" "ScaledObject" "from" "KEDA (keda.sh)") }}
{{- end }}
{{- if $g.leaderWorkerSet }}
{{- $need = append $need (dict "key" "multiNode.mode: leaderWorkerSet" "api" "leaderworkerset.x-k8s.io/v1" "kind" "LeaderWorkerSet" "from" "the LeaderWorkerSet controller (kubernetes-sigs/lws)") }}
{{- end }}
{{- end }}
{{- if $v.inferencePool.enabled }}
{{- $need = append $need (dict "key" "inferencePool.enabled" "api" "inference.networking.k8s.io/v1" "kind" "InferencePool" "from" "the Gateway API Inference Extension CRDs") }}
{{- end }}
{{- if $v.monitoring.serviceMonitor.enabled }}
{{- $need = append $need (dict "key" "monitoring.serviceMonitor.enabled" "api" "monitoring.coreos.com/v1" "kind" "ServiceMonitor" "from" "the Prometheus Operator CRDs") }}
{{- end }}
{{- if $v.monitoring.podMonitor.enabled }}
{{- $need = append $need (dict "key" "monitoring.podMonitor.enabled" "api" "monitoring.coreos.com/v1" "kind" "PodMonitor" "from" "the Prometheus Operator CRDs") }}
{{- end }}
{{- $errors := list }}
{{- $seen := dict }}
{{- range $need }}
{{- $gvk := printf "%s/%s" .api .kind }}
{{- if and (not (hasKey $seen (printf "%s %s" .key $gvk))) (not ($.root.Capabilities.APIVersions.Has $gvk)) }}
{{- $_ := set $seen (printf "%s %s" .key $gvk) true }}
{{- $errors = append $errors (printf "%s renders kind %s (%s), which the cluster does not serve (or, with helm template, --api-versions does not list): install %s, or turn %s off; to render without a cluster, pass --api-versions %s (Argo CD passes the cluster's own list)" .key .kind .api .from (first (splitList ":" .key)) $gvk) }}
{{- end }}
{{- end }}
{{- toYaml $errors }}
{{- end }}
