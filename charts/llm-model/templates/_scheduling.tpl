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
Probes. Pods that serve (single-node pods, rank 0 of multi-node instances) probe /health with the guide's numbers;
the startup threshold comes from probes.sizeClass unless set. Workers of multi-node instances serve no HTTP: they
probe rank 0's /health (its address is in /tmp/llm-leader), with the same windows, so a worker whose instance is
gone is restarted and rejoins.
Usage: {{ include "llm-model.probes" (dict "root" $ "group" $g "rank" "leader"|"worker") | nindent 10 }}
*/}}
{{- define "llm-model.probes" -}}
{{- $p := .root.Values.probes }}
{{- $byClass := dict "small" 90 "medium" 270 "large" 360 "xlarge" 2160 }}
{{- $startup := $p.startup.failureThreshold }}
{{- if kindIs "invalid" $startup }}{{ $startup = get $byClass $p.sizeClass }}{{ end }}
{{- $check := dict "httpGet" (dict "path" "/health" "port" "http") }}
{{- if eq .rank "worker" }}
{{- $url := printf "'http://' + open('/tmp/llm-leader').read().strip() + ':%d/health'" (int (include "llm-model.enginePort" .root.Values)) }}
{{- $check = dict "exec" (dict "command" (list "python3" "-c" (printf "import urllib.request; urllib.request.urlopen(%s, timeout=5)" $url))) }}
{{- end }}
{{- $probes := dict }}
{{- $_ := set $probes "startupProbe" (merge (dict "periodSeconds" (int $p.startup.periodSeconds) "failureThreshold" (int $startup)) $check) }}
{{- if ne .rank "worker" }}
{{- $_ := set $probes "readinessProbe" (merge (dict "periodSeconds" (int $p.readiness.periodSeconds) "failureThreshold" (int $p.readiness.failureThreshold)) $check) }}
{{- end }}
{{- $_ := set $probes "livenessProbe" (merge (dict "periodSeconds" (int $p.liveness.periodSeconds) "failureThreshold" (int $p.liveness.failureThreshold)) $check) }}
{{- toYaml $probes }}
{{- end }}
