{{/*
The InferencePool's endpoint picker (EPP, Gateway API Inference Extension v1.5.0, `inferencePool.picker`): names,
labels, ports, command line and configuration, each in one place. The objects are inferencepool.yaml and the
epp-*.yaml files, each rendered only with inferencePool.enabled.
*/}}

{{/*
Name of the picker's Deployment, Service, ServiceAccount, Role, RoleBinding and ConfigMap: "<fullname>-epp" (the
fullname is at most 52 characters, so at most 56).
Usage: {{ include "llm-model.picker.name" . }}
*/}}
{{- define "llm-model.picker.name" -}}
{{- printf "%s-epp" (include "llm-model.fullname" .) }}
{{- end }}

{{/*
Selector labels of the picker pods: the release's selector labels plus the component. The picker pods carry no
`service-group` and no `app`, so neither the Service, the InferencePool nor a StatefulSet selects them.
Usage: {{ include "llm-model.picker.selectorLabels" . }}
*/}}
{{- define "llm-model.picker.selectorLabels" -}}
{{ include "llm-model.selectorLabels" . }}
app.kubernetes.io/component: endpoint-picker
{{- end }}

{{/*
Labels of every picker object: the common labels plus the component.
Usage: {{ include "llm-model.picker.labels" . }}
*/}}
{{- define "llm-model.picker.labels" -}}
{{ include "llm-model.labels" . }}
app.kubernetes.io/component: endpoint-picker
{{- end }}

{{/*
The picker's ports, its own defaults (pkg/epp/server/options.go of v1.5.0: --grpc-port 9002, --grpc-health-port 9003,
--metrics-port 9090), as a dict: grpc (ext-proc, what the InferencePool's endpointPickerRef names), health (the gRPC
health service the probes ask) and metrics (Prometheus).
Usage: {{ $ports := include "llm-model.picker.ports" . | fromYaml }}
*/}}
{{- define "llm-model.picker.ports" -}}
grpc: 9002
health: 9003
metrics: 9090
{{- end }}

{{/*
The gRPC health service the probes ask: with one replica the picker answers "inference-extension"; with leader
election (2 or more) it answers "liveness" for every replica and "readiness" only for the leader, so only the leader
is behind the Service (cmd/epp/runner/health.go of v1.5.0, whose check without leader election only asks that the picker has synced the pool).
Usage: {{ include "llm-model.picker.healthService" (dict "root" $ "probe" "liveness"|"readiness") }}
*/}}
{{- define "llm-model.picker.healthService" -}}
{{- if gt (int .root.Values.inferencePool.picker.replicas) 1 }}{{ .probe }}{{ else }}inference-extension{{ end }}
{{- end }}

{{/*
The picker's argument list (the one place it is built), as a YAML list of strings:
  --pool-name / --pool-namespace: the InferencePool it serves (its pods, target port and picker reference);
  --config-file: the EndpointPickerConfig of the ConfigMap (llm-model.picker.config);
  --ha-enable-leader-election: with 2 or more replicas;
  --metrics-endpoint-auth=false: /metrics on port 9090 without a TokenReview per scrape, which would need a
    ClusterRole (the chart grants only namespaced Roles); reach it from inside the cluster only;
  --tracing=false: the picker's default is true, exporting OTLP to localhost:4317, which nothing listens on;
  --v: inferencePool.picker.logVerbosity.
The engine's metric names come from the config (core-metrics-extractor), not from the deprecated metric flags.
Usage: {{ include "llm-model.picker.args" . | nindent 12 }}
*/}}
{{- define "llm-model.picker.args" -}}
{{- $p := .Values.inferencePool.picker }}
{{- $a := list "--pool-name" (include "llm-model.fullname" .) "--pool-namespace" .Release.Namespace }}
{{- $a = concat $a (list "--config-file" "/config/config.yaml") }}
{{- if gt (int $p.replicas) 1 }}{{ $a = append $a "--ha-enable-leader-election" }}{{ end }}
{{- $a = concat $a (list "--metrics-endpoint-auth=false" "--tracing=false" "--v" (toString (int $p.logVerbosity))) }}
{{- toYaml $a }}
{{- end }}

{{/*
The scorers of inferencePool.picker.scorers with a weight above 0, as a YAML list of {type, weight, parameters}, in
a fixed order. The types are the plugin names the v1.5.0 picker registers (cmd/epp/runner/runner.go):
prefix-cache-scorer (pkg/epp/framework/plugins/scheduling/scorer/prefix), queue-scorer (scorer/queuedepth) and
kv-cache-utilization-scorer (scorer/kvcacheutilization). The prefix scorer's parameters go to the approximate
prefix-cache producer the picker adds for it (pkg/epp/config/loader/configloader.go).
Usage: {{ $scorers := include "llm-model.picker.scorers" . | fromYamlArray }}
*/}}
{{- define "llm-model.picker.scorers" -}}
{{- $s := .Values.inferencePool.picker.scorers }}
{{- $out := list }}
{{- if gt (int $s.prefixCache.weight) 0 }}
{{- $params := dict }}
{{- if not (kindIs "invalid" $s.prefixCache.maxPrefixBlocksToMatch) }}{{ $_ := set $params "maxPrefixBlocksToMatch" (int $s.prefixCache.maxPrefixBlocksToMatch) }}{{ end }}
{{- $out = append $out (dict "type" "prefix-cache-scorer" "weight" (int $s.prefixCache.weight) "parameters" $params) }}
{{- end }}
{{- if gt (int $s.queue.weight) 0 }}{{ $out = append $out (dict "type" "queue-scorer" "weight" (int $s.queue.weight)) }}{{ end }}
{{- if gt (int $s.kvCacheUtilization.weight) 0 }}{{ $out = append $out (dict "type" "kv-cache-utilization-scorer" "weight" (int $s.kvCacheUtilization.weight)) }}{{ end }}
{{- toYaml $out }}
{{- end }}

{{/*
The picker's EndpointPickerConfig (inference.networking.x-k8s.io/v1alpha1, read from --config-file): the scorers,
and the data layer that scrapes each pod's /metrics on the target port: metrics-data-source, and
core-metrics-extractor, whose built-in engine tables map vLLM's vllm:num_requests_waiting, vllm:kv_cache_usage_perc,
vllm:cache_config_info (and SGLang's sglang:num_queue_reqs, sglang:token_usage, sglang:cache_config_info) to the
queue and KV figures the scorers read (pkg/epp/framework/plugins/datalayer/extractor/metrics/factories.go); the pods
carry no engine-type label, so `defaultEngine` says which table applies. The picker adds what is left out (the
max-score picker, the single-profile handler, the OpenAI parser: pkg/epp/config/loader/defaults.go).
Usage: {{ include "llm-model.picker.config" . | nindent 4 }}
*/}}
{{- define "llm-model.picker.config" -}}
{{- $scorers := include "llm-model.picker.scorers" . | fromYamlArray }}
{{- $plugins := list }}
{{- $profile := list }}
{{- range $scorers }}
{{- $plugin := dict "type" .type }}
{{- with .parameters }}{{ $_ := set $plugin "parameters" . }}{{ end }}
{{- $plugins = append $plugins $plugin }}
{{- $profile = append $profile (dict "pluginRef" .type "weight" .weight) }}
{{- end }}
{{- $plugins = append $plugins (dict "type" "metrics-data-source" "parameters" (dict "scheme" "http" "path" "/metrics")) }}
{{- $plugins = append $plugins (dict "type" "core-metrics-extractor" "parameters" (dict "defaultEngine" .Values.engine)) }}
{{- $cfg := dict "apiVersion" "inference.networking.x-k8s.io/v1alpha1" "kind" "EndpointPickerConfig" "plugins" $plugins }}
{{- $_ := set $cfg "schedulingProfiles" (list (dict "name" "default" "plugins" $profile)) }}
{{- toYaml $cfg }}
{{- end }}

{{/*
Checks of inferencePool against the rest of the values, as a YAML list of problems each naming its key.
Usage: {{ $e = concat $e (include "llm-model.validatePool" (dict "root" $ "groups" $groups) | fromYamlArray) }}
*/}}
{{- define "llm-model.validatePool" -}}
{{- $v := .root.Values }}
{{- $e := list }}
{{- $ip := $v.inferencePool }}
{{- if $ip.enabled }}
{{- if not (include "llm-model.picker.scorers" .root | fromYamlArray) }}
{{- $e = append $e "inferencePool.picker.scorers: every weight is 0, so the picker would choose a pod at random; give prefixCache, queue or kvCacheUtilization a weight above 0, or route to the Service (inferencePool.enabled: false), which spreads requests the same way without the picker" }}
{{- end }}
{{- if gt (int $ip.picker.scorers.prefixCache.weight) 0 }}
{{- range $g := .groups }}
{{- if eq (toString $g.serving.enablePrefixCaching) "false" }}
{{- $e = append $e (printf "inferencePool.picker.scorers.prefixCache.weight: %d, but resource group %q turns the engine's prefix caching off (serving.enablePrefixCaching: false), so the picker would send requests after cache hits that never happen; set the weight to 0 or leave serving.enablePrefixCaching unset" (int $ip.picker.scorers.prefixCache.weight) $g.name) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- toYaml $e }}
{{- end }}

{{/*
NOTES lines about the pool: what routes, how to publish it, what happens while the picker is down, and how to watch
it (the picker's own metrics: pkg/epp/metrics/metrics.go of v1.5.0). Empty without inferencePool.enabled.
Usage: {{- include "llm-model.pool.notes" (dict "root" . "groups" $groups) }}
*/}}
{{- define "llm-model.pool.notes" -}}
{{- $v := .root.Values }}
{{- if $v.inferencePool.enabled }}
{{- $fullname := include "llm-model.fullname" .root }}
{{- $picker := include "llm-model.picker.name" .root }}
{{- $ns := .root.Release.Namespace }}
{{- $ports := include "llm-model.picker.ports" .root | fromYaml }}
{{- $weights := list }}
{{- range include "llm-model.picker.scorers" .root | fromYamlArray }}{{ $weights = append $weights (printf "%s %d" .type (int .weight)) }}{{ end }}

Routing: the InferencePool {{ $fullname }} holds the serving pods of every resource group (port {{ include "llm-model.enginePort" $v }}); its endpoint
picker {{ $picker }} ({{ $v.inferencePool.picker.image.repository }}:{{ $v.inferencePool.picker.image.tag }}) chooses the pod of each request by
{{ join ", " $weights }}. Publish it through the gateway with llm-gateway
backends.<key>.inferencePool: {name: {{ $fullname }}{{ if ne $ns "default" }}, namespace: {{ $ns }}{{ end }}} (`chartgen gateway` writes that from this values file).
The gateway sends requests with the public model name unchanged: the engine must serve that name (model.servedModelNames).
{{- if eq $v.inferencePool.failureMode "FailOpen" }}
Picker down: failureMode FailOpen asks the gateway to pick a pod itself, but Envoy AI Gateway v1.1.0 sets its ext-proc filter to
fail closed whatever the pool says, so requests through it fail (HTTP 500) until the picker answers again.
{{- else }}
Picker down: failureMode FailClose: requests through the gateway fail (HTTP 500) until the picker answers again; the
Service {{ $fullname }} keeps serving clients that call it directly.
{{- end }}
Watch it:
  kubectl -n {{ $ns }} get inferencepool {{ $fullname }} -o jsonpath='{.status.parents}'   # Accepted / ResolvedRefs per gateway
  kubectl -n {{ $ns }} logs -f deploy/{{ $picker }}
  kubectl -n {{ $ns }} port-forward svc/{{ $picker }} {{ $ports.metrics }}:{{ $ports.metrics }}
  curl -s localhost:{{ $ports.metrics }}/metrics | grep -E 'inference_pool_(ready_pods|average_queue_size|average_kv_cache_utilization)|inference_extension_(prefix_indexer_hit_ratio|scheduler_e2e_duration_seconds)'
{{- end }}
{{- end }}

{{/*
Warnings about the pool, as a YAML list: a pool of one serving pod, where the picker has nothing to choose.
Usage: {{- $warnings = concat $warnings (include "llm-model.pool.warnings" (dict "root" . "groups" $groups) | fromYamlArray) }}
*/}}
{{- define "llm-model.pool.warnings" -}}
{{- $w := list }}
{{- if .root.Values.inferencePool.enabled }}
{{- $pods := 0 }}
{{- range $g := .groups }}
{{- $n := int $g.replicas }}
{{- if $g.autoscaling.enabled }}{{ $n = max $n (int $g.autoscaling.maxReplicas) }}{{ end }}
{{- $pods = add $pods $n }}
{{- end }}
{{- if lt (int $pods) 2 }}
{{- $w = append $w "inferencePool.enabled with a single serving pod: the endpoint picker has no choice to make, so it only adds a hop and a Deployment; pools pay off with 2 or more pods and prompts that share prefixes." }}
{{- end }}
{{- end }}
{{- toYaml $w }}
{{- end }}
