{{/*
Resolves autoscaling and the disruption budget of every resource group once: merges the group's `autoscaling` and
`podDisruptionBudget` over the shared blocks, checks them (every problem in one `fail`, each naming its key), and
works out the triggers from the engine's own Prometheus gauges. The startup window (probes.startup failureThreshold ×
periodSeconds) decides the scale-down stabilisation: an instance removed takes up to that long to come back.
Returns YAML `{groups: [...]}`; each item has: path, workloadName, nodes, replicas, leaderWorkerSet, selector (matchLabels or
matchExpressions source), autoscaling (null when off: mode, min, max, downSeconds, hpaDownSeconds, capped,
scaleToZero, triggers [{name, key, metric, query, threshold}], kedaTriggers (the same plus the activation query), keda,
hpa), pdb (null when none: maxUnavailable, policy,
ranks).
Usage: {{ $scaling := (include "llm-model.scaling" . | fromYaml).groups }}
*/}}
{{- define "llm-model.scaling" -}}
{{- $v := .Values }}
{{- $ns := .Release.Namespace }}
{{- $groups := (include "llm-model.groups" . | fromYaml).groups }}
{{- $window := int (include "llm-model.startupWindowSeconds" .) }}
{{- /* The gauges of the pinned engine (its facts in _engine_<engine>.tpl cite where they are defined). */}}
{{- $names := (include (printf "llm-model.%s.facts" $v.engine) . | fromYaml).gauges }}
{{- $errors := list }}
{{- $out := list }}
{{- range $g := $groups }}
{{- $own := index $v.resourceGroups (int $g.index) }}
{{- $a := $g.autoscaling }}
{{- $b := include "llm-model.merge" (dict "base" $v.podDisruptionBudget "over" ($own.podDisruptionBudget | default dict)) | fromYaml }}
{{- $path := $g.path }}
{{- $multi := gt (int $g.nodes) 1 }}
{{- $item := dict "path" $path "workloadName" $g.workloadName "nodes" (int $g.nodes) "replicas" (int $g.replicas) "leaderWorkerSet" $g.leaderWorkerSet "autoscaling" nil "pdb" nil }}
{{- $mayRun := int $g.replicas }}
{{- if $a.enabled }}
{{- $min := int $a.minReplicas }}
{{- $max := int $a.maxReplicas }}
{{- $mayRun = $max }}
{{- if and $multi (not $g.leaderWorkerSet) }}
{{- $errors = append $errors (printf "%s: autoscaling a multi-node group (nodes %d) needs multiNode.mode: leaderWorkerSet (one scale subresource per whole instance, with the LeaderWorkerSet controller installed); in the StatefulSet mode, scaling the leader StatefulSet alone would start rank 0 without its worker ranks. Set multiNode.mode: leaderWorkerSet, or autoscaling.enabled: false for this group (resourceGroups[].autoscaling.enabled)" $path (int $g.nodes)) }}
{{- end }}
{{- if gt $min $max }}
{{- $errors = append $errors (printf "%s: autoscaling.minReplicas (%d) is over autoscaling.maxReplicas (%d)" $path $min $max) }}
{{- end }}
{{- $t := $a.targets | default dict }}
{{- if and (kindIs "invalid" $t.queueLength) (kindIs "invalid" $t.kvCacheUsage) }}
{{- $errors = append $errors (printf "%s: autoscaling.targets needs queueLength or kvCacheUsage (or both): the autoscaler has nothing to scale on" $path) }}
{{- end }}
{{- $z := $a.scaleToZero }}
{{- if $z.enabled }}
{{- if eq $a.mode "hpa" }}
{{- $errors = append $errors (printf "%s: autoscaling.scaleToZero needs mode keda: an HPA cannot scale to 0 (the HPAScaleToZero feature gate is alpha)" $path) }}
{{- end }}
{{- if or (not $z.activationQuery) (kindIs "invalid" $z.threshold) }}
{{- $errors = append $errors (printf "%s: autoscaling.scaleToZero needs activationQuery and threshold: the engine's gauges vanish with its last pod, so only a query outside the engine (e.g. the gateway's request rate) can wake the group" $path) }}
{{- end }}
{{- end }}
{{- $down := min 3600 (add $window 300) }}
{{- if not (kindIs "invalid" $a.scaleDownStabilizationSeconds) }}
{{- $down = int $a.scaleDownStabilizationSeconds }}
{{- if and (le $down $window) (lt $window 3600) }}
{{- $errors = append $errors (printf "%s: autoscaling.scaleDownStabilizationSeconds (%d) must be longer than the startup window (%d s = probes.startup failureThreshold × periodSeconds): an instance removed takes that long to come back" $path $down $window) }}
{{- else if and (ge $window 3600) (lt $down 3600) }}
{{- $errors = append $errors (printf "%s: autoscaling.scaleDownStabilizationSeconds (%d) must be 3600 (the HPA's most) when the startup window is %d s; leave it null" $path $down $window) }}
{{- end }}
{{- end }}
{{- if and (eq $a.mode "keda") (not $a.keda.serverAddress) }}
{{- $errors = append $errors (printf "%s: autoscaling.keda.serverAddress is required in keda mode: the Prometheus URL KEDA queries, e.g. http://prometheus-operated.monitoring.svc:9090" $path) }}
{{- end }}
{{- /* The group's serving pods: <workload>-<index>. Prometheus anchors the regex, so neither the workers StatefulSet's
pods (<workload>-workers-<i>) nor LeaderWorkerSet workers (<workload>-<instance>-<rank>) match. */}}
{{- $pods := printf "namespace=%q,pod=~%q" $ns (printf "%s-[0-9]+" (regexQuoteMeta $g.workloadName)) }}
{{- $triggers := list }}
{{- if not (kindIs "invalid" $t.queueLength) }}
{{- $m := $names.queueLength }}
{{- $triggers = append $triggers (dict "name" "queue-length" "key" "queueLength" "metric" $m "threshold" $t.queueLength "query" (printf "sum(%s{%s})" $m $pods)) }}
{{- end }}
{{- if not (kindIs "invalid" $t.kvCacheUsage) }}
{{- $m := $names.kvCacheUsage }}
{{- /* max by pod: the fullest engine of a pod decides (data-parallel engines report one series each). */}}
{{- $triggers = append $triggers (dict "name" "kv-cache-usage" "key" "kvCacheUsage" "metric" $m "threshold" $t.kvCacheUsage "query" (printf "sum(max by (pod) (%s{%s}))" $m $pods)) }}
{{- end }}
{{- /* KEDA's triggers: the engine's, plus with scaleToZero the query that wakes the group from 0. */}}
{{- $kedaTriggers := $triggers }}
{{- if $z.enabled }}
{{- $kedaTriggers = append $triggers (dict "name" "activation" "query" $z.activationQuery "threshold" $z.threshold "activationThreshold" $z.activationThreshold) }}
{{- end }}
{{- $_ := set $item "autoscaling" (dict "kedaTriggers" $kedaTriggers "mode" $a.mode "min" (ternary 0 $min (and $z.enabled true)) "max" $max "window" $window "downSeconds" $down "capped" (and (kindIs "invalid" $a.scaleDownStabilizationSeconds) (lt $down (add $window 300))) "scaleToZero" $z "triggers" $triggers "keda" $a.keda "hpa" $a.hpa) }}
{{- end }}
{{- if and $b.enabled (or (ge $mayRun 2) $multi) }}
{{- $ranks := ternary (list "leader" "worker") (list "leader") $multi }}
{{- $_ := set $item "pdb" (dict "maxUnavailable" (int $b.maxUnavailable) "policy" $b.unhealthyPodEvictionPolicy "ranks" $ranks) }}
{{- end }}
{{- $out = append $out $item }}
{{- end }}
{{- $errors = uniq $errors }}
{{- if $errors }}
{{- fail (printf "\n%s" (join "\n" $errors)) }}
{{- end }}
{{- toYaml (dict "groups" $out) }}
{{- end }}

{{/*
Whether a group's StatefulSet (or LeaderWorkerSet) is autoscaled (then it renders no `replicas`: the autoscaler owns the field and Helm
must not reset it on every upgrade). "true" or "".
Usage: {{- if include "llm-model.autoscaled" (dict "root" $ "group" $g) }}
*/}}
{{- define "llm-model.autoscaled" -}}
{{- if and .group.autoscaling.enabled (or (le (int .group.nodes) 1) .group.leaderWorkerSet) }}true{{ end }}
{{- end }}

{{/*
A threshold as a canonical Kubernetes quantity, as the API server would store it: whole numbers as they are, others in
thousandths ("0.8" → "800m").
Usage: {{ include "llm-model.toQuantity" 0.8 }}
*/}}
{{- define "llm-model.toQuantity" -}}
{{- $x := float64 . }}
{{- if eq $x (floor $x) }}{{ int64 $x }}{{ else }}{{ printf "%dm" (int64 (round (mulf $x 1000) 0)) }}{{ end }}
{{- end }}

{{/*
The NOTES section on scaling: per group, its autoscaler (how it scales, on what, how fast it scales down) and its
disruption budget. Empty when no group has either.
Usage: {{ include "llm-model.scaling.notes" . }}
*/}}
{{- define "llm-model.scaling.notes" -}}
{{- $scaling := (include "llm-model.scaling" . | fromYaml).groups }}
{{- $lines := list }}
{{- range $s := $scaling }}
{{- with $s.autoscaling }}
{{- $what := list }}
{{- range $t := .triggers }}{{ $what = append $what (printf "%s %v per instance" $t.metric $t.threshold) }}{{ end }}
{{- if .scaleToZero.enabled }}{{ $what = append $what (printf "activation query > %v to wake from 0" .scaleToZero.activationThreshold) }}{{ end }}
{{- $kind := ternary "KEDA ScaledObject" "HorizontalPodAutoscaler" (eq .mode "keda") }}
{{- $unit := ternary (printf "instances (LeaderWorkerSet %s: each a leader and %d workers, added and removed whole)" $s.workloadName (sub (int $s.nodes) 1)) "instances" $s.leaderWorkerSet }}
{{- $lines = append $lines (printf "%s: %s %s scales %d..%d %s on %s; it removes an instance only after %d s of lower load (startup window %d s)." $s.workloadName $kind $s.workloadName (int .min) (int .max) $unit (join ", " $what) (int .downSeconds) (int .window)) }}
{{- end }}
{{- with $s.pdb }}
{{- $lines = append $lines (printf "%s: PodDisruptionBudget %s lets drains evict %d pod(s) of the group at a time%s." $s.workloadName $s.workloadName (int .maxUnavailable) (ternary (ternary " (evicting one rank recreates its whole instance: RecreateGroupOnPodRestart)" " (one rank takes its whole instance down)" $s.leaderWorkerSet) "" (gt (int $s.nodes) 1))) }}
{{- end }}
{{- end }}
{{- if $lines }}

Scaling:
{{- range $lines }}
  {{ . }}
{{- end }}
{{- end }}
{{- end }}

{{/*
The NOTES warnings on scaling, as a YAML list: cold starts after scaling to zero, a stabilisation window the HPA caps
below the startup window, autoscaling without a scrape config from this chart.
Usage: {{ $warnings = concat $warnings (include "llm-model.scaling.warnings" . | fromYamlArray) }}
*/}}
{{- define "llm-model.scaling.warnings" -}}
{{- $scaling := (include "llm-model.scaling" . | fromYaml).groups }}
{{- $m := .Values.monitoring }}
{{- $out := list }}
{{- $scaled := false }}
{{- range $s := $scaling }}
{{- with $s.autoscaling }}
{{- $scaled = true }}
{{- if .scaleToZero.enabled }}
{{- $out = append $out (printf "%s: scales to zero. The first request after idling waits a cold start: a GPU node, the image, the weights and warm-up, up to the startup window (%d s); clients and the gateway must wait (or retry) that long." $s.workloadName (int .window)) }}
{{- end }}
{{- if .capped }}
{{- $out = append $out (printf "%s: the startup window (%d s) is longer than the 3600 s the HPA allows for scale-down stabilisation, so an instance removed may be needed again before a new one can start; keep autoscaling.minReplicas at the load you cannot wait that long for." $s.workloadName (int .window)) }}
{{- end }}
{{- end }}
{{- end }}
{{- if and $scaled (not $m.serviceMonitor.enabled) (not $m.podMonitor.enabled) }}
{{- $out = append $out "autoscaling reads the engines' gauges from Prometheus, but monitoring.serviceMonitor and monitoring.podMonitor are off: make sure your Prometheus scrapes the engine pods, or the autoscaler never scales." }}
{{- end }}
{{- toYaml $out }}
{{- end }}
