{{/*
Node affinity of one resolved group: the guide's GPU rules. `Gt` compares integers, so every value is an integer
string (the API server would accept "40GB" and the scheduler would never match it).
Usage: {{ include "llm-model.affinity" (dict "root" $ "group" $g) | nindent 8 }}
*/}}
{{- define "llm-model.affinity" -}}
{{- $a := .group.affinity }}
{{- $exprs := list }}
{{- with $a.products }}
{{- $exprs = append $exprs (dict "key" "nvidia.com/gpu.product" "operator" "In" "values" .) }}
{{- end }}
{{- if not (kindIs "invalid" $a.memoryMiBGt) }}
{{- $exprs = append $exprs (dict "key" "nvidia.com/gpu.memory" "operator" "Gt" "values" (list (toString (int64 $a.memoryMiBGt)))) }}
{{- end }}
{{- $exprs = append $exprs (dict "key" "nvidia.com/gpu.compute.major" "operator" "Gt" "values" (list (toString (int64 $a.computeMajorGt)))) }}
{{- $exprs = append $exprs (dict "key" "nvidia.com/cuda.driver.major" "operator" "Gt" "values" (list (toString (int64 $a.driverMajorGt)))) -}}
nodeAffinity:
  requiredDuringSchedulingIgnoredDuringExecution:
    nodeSelectorTerms:
      - matchExpressions:
          {{- toYaml $exprs | nindent 10 }}
{{- end }}

{{/*
Tolerations of one resolved group: the namespace reservation, the GPU PreferNoSchedule taint, the large-GPU taint
only at the configured GPU counts (4 or 8), then scheduling.tolerations.
Usage: {{ include "llm-model.tolerations" (dict "root" $ "group" $g) | nindent 8 }}
*/}}
{{- define "llm-model.tolerations" -}}
{{- $s := .root.Values.scheduling }}
{{- $t := list }}
{{- with $s.reservation }}
{{- $t = append $t (dict "key" $s.reservationKey "operator" "Equal" "value" . "effect" "NoSchedule") }}
{{- end }}
{{- if $s.gpuPreferNoSchedule }}
{{- $t = append $t (dict "key" "nvidia.com/gpu" "operator" "Exists" "effect" "PreferNoSchedule") }}
{{- end }}
{{- if .group.largeGpu }}
{{- $t = append $t (dict "key" $s.largeGpu.key "operator" "Equal" "value" $s.largeGpu.value "effect" "NoSchedule") }}
{{- end }}
{{- $t = concat $t ($s.tolerations | default list) }}
{{- if $t }}{{ toYaml $t }}{{ end }}
{{- end }}

{{/*
Probes on /health with the guide's numbers; the startup threshold comes from probes.sizeClass unless set.
Usage: {{ include "llm-model.probes" . | nindent 10 }}
*/}}
{{- define "llm-model.probes" -}}
{{- $p := .Values.probes }}
{{- $byClass := dict "small" 90 "medium" 270 "large" 360 "xlarge" 2160 }}
{{- $startup := $p.startup.failureThreshold }}
{{- if kindIs "invalid" $startup }}{{ $startup = get $byClass $p.sizeClass }}{{ end }}
{{- $get := dict "path" "/health" "port" "http" -}}
startupProbe:
  httpGet: {{- toYaml $get | nindent 4 }}
  periodSeconds: {{ int $p.startup.periodSeconds }}
  failureThreshold: {{ int $startup }}
readinessProbe:
  httpGet: {{- toYaml $get | nindent 4 }}
  periodSeconds: {{ int $p.readiness.periodSeconds }}
  failureThreshold: {{ int $p.readiness.failureThreshold }}
livenessProbe:
  httpGet: {{- toYaml $get | nindent 4 }}
  periodSeconds: {{ int $p.liveness.periodSeconds }}
  failureThreshold: {{ int $p.liveness.failureThreshold }}
{{- end }}
