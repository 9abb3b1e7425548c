{{/*
Warnings NOTES.txt prints for settings that are valid but that a reviewer of a production change would question:
each names its key, says what happens, and what to do. Returns a YAML list.
Usage: {{ $warnings = concat $warnings (include "llm-model.warnings" (dict "root" $ "groups" $groups) | fromYamlArray) }}
*/}}
{{- define "llm-model.warnings" -}}
{{- $root := .root }}
{{- $v := $root.Values }}
{{- $w := list }}
{{- /* The size class's threshold, from the one table ("llm-model.startupWindowSeconds" at a 1 s period). */}}
{{- $classProbes := dict "sizeClass" $v.probes.sizeClass "startup" (dict "failureThreshold" nil "periodSeconds" 1) }}
{{- $classThreshold := int (include "llm-model.startupWindowSeconds" (dict "Values" (dict "probes" $classProbes))) }}
{{- $window := int (include "llm-model.startupWindowSeconds" $root) }}
{{- $serving := 0 }}
{{- range $g := .groups }}
{{- $s := $g.serving }}
{{- if eq (int $g.replicas) 0 }}
{{- $w = append $w (printf "%s.replicas is 0: the group runs no pods (its StatefulSet stays, scaled to zero)." $g.path) }}
{{- else }}
{{- $serving = add1 $serving }}
{{- end }}
{{- if and (gt (int $g.nodes) 1) (ne $v.probes.sizeClass "xlarge") (kindIs "invalid" $v.probes.startup.failureThreshold) }}
{{- $w = append $w (printf "%s has %d nodes per instance but probes.sizeClass is %s: the guide gives multi-node instances the xlarge startup window (2160 checks); every rank must load its shard before rank 0 answers." $g.path (int $g.nodes) $v.probes.sizeClass) }}
{{- end }}
{{- /* /dev/shm: NCCL and vLLM's worker broadcast use it between the GPUs of a pod, the multimodal shm cache keeps
its entries there (the engine's warnings, topic shm). 1 GiB per GPU is a safe guess, not a measurement. */}}
{{- with $v.shm.sizeLimit }}
{{- $need := 0.0 }}
{{- $why := list }}
{{- if gt (int $g.gpuCount) 1 }}
{{- $need = addf $need (mulf 1073741824.0 (float64 $g.gpuCount)) }}
{{- $why = append $why (printf "1 GiB per GPU for NCCL and the workers' shared-memory queues (a safe guess) × %d GPUs" (int $g.gpuCount)) }}
{{- end }}
{{- $eng := include (printf "llm-model.%s.warnings" $v.engine) (dict "root" $root "group" $g "topic" "shm") | fromYaml }}
{{- $need = addf $need (float64 $eng.bytes) }}
{{- $why = concat $why $eng.why }}
{{- $have := include "llm-model.quantity" . }}
{{- if and $have (lt (float64 $have) $need) }}
{{- $w = append $w (printf "%s: shm.sizeLimit %s is below what /dev/shm is likely to need (%s): the engine fails with bus errors or NCCL shared-memory errors when it fills. Raise it or leave it empty (bounded by the memory limit)." $g.path . (join " + " $why)) }}
{{- end }}
{{- end }}
{{- if and (not (kindIs "invalid" $g.affinity.memoryMiBGt)) (gt (int64 $g.affinity.memoryMiBGt) 0) (lt (int64 $g.affinity.memoryMiBGt) 1024) }}
{{- $w = append $w (printf "%s.gpu.memoryMiBGt is %d: the nvidia.com/gpu.memory label is in MiB, so this matches every GPU with more than %d MiB. Was it meant in GB? An 80 GB GPU is 81920 MiB; a 48 GB one 49140." $g.path (int64 $g.affinity.memoryMiBGt) (int64 $g.affinity.memoryMiBGt)) }}
{{- end }}
{{- $threads := add 1 $g.gpuCount $g.apiServers (max 1 $g.dp) (ternary 1 0 (gt (int $g.dp) 1)) }}
{{- $lim := include "llm-model.quantity" $g.cpuLimit }}
{{- if and $lim (lt (float64 $lim) (float64 $threads)) }}
{{- $w = append $w (printf "%s: the CPU limit %s is below the %d threads the engine runs busy (the guide's 1 + GPUs + API servers + DP): it will be throttled and serve slower." $g.path $g.cpuLimit $threads) }}
{{- end }}
{{- end }}
{{- if and .groups (eq $serving 0) }}
{{- $w = append $w "every resource group has replicas 0: the Service has no endpoints and every request fails." }}
{{- end }}
{{- if not (kindIs "invalid" $v.probes.startup.failureThreshold) }}
{{- if lt (mul (int $v.probes.startup.failureThreshold) 3) $classThreshold }}
{{- $w = append $w (printf "probes.startup.failureThreshold %d is under a third of the %s size class's %d: the startup window is %d s, and a pod still downloading or loading weights would be restarted again and again. Leave it null or raise it." (int $v.probes.startup.failureThreshold) $v.probes.sizeClass $classThreshold $window) }}
{{- end }}
{{- end }}
{{- if lt (mul (int $v.probes.liveness.periodSeconds) (int $v.probes.liveness.failureThreshold)) 60 }}
{{- $w = append $w (printf "probes.liveness allows %d s without an answer from /health (periodSeconds × failureThreshold): a busy engine can miss that and be restarted mid-request. The guide's is 240 s." (mul (int $v.probes.liveness.periodSeconds) (int $v.probes.liveness.failureThreshold))) }}
{{- end }}
{{- if and (not (kindIs "invalid" $v.tests.waitSeconds)) $v.tests.enabled (lt (int $v.tests.waitSeconds) $window) }}
{{- $w = append $w (printf "tests.waitSeconds %d is shorter than the startup window (%d s): helm test right after an install can fail while the model is still loading." (int $v.tests.waitSeconds) $window) }}
{{- end }}
{{- $w = concat $w (include (printf "llm-model.%s.warnings" $v.engine) (dict "root" $root "topic" "image") | fromYamlArray) }}
{{- $tag := regexReplaceAll `^.*:` (include "llm-model.image" $root) "" }}
{{- if regexMatch `(?i)(^|[-_.])(latest|nightly)([-_.]|$)` $tag }}
{{- $w = append $w (printf "image tag %q moves: pods started at different times (a restart, a new replica) run different engine builds. Pin a release (image.version or image.tag)." $tag) }}
{{- end }}
{{- if and $v.serving.trustRemoteCode (not $v.model.revision) }}
{{- $w = append $w "serving.trustRemoteCode runs Python code from the model repository, and model.revision is empty, so a pod started later runs whatever the repository holds then. Pin model.revision to a commit." }}
{{- end }}
{{- if $v.credentials.configMapName }}
{{- $w = append $w (printf "credentials.configMapName %q: tokens in a ConfigMap are readable by anyone who can read ConfigMaps in the namespace. Move them to a Secret (credentials.secretName)." $v.credentials.configMapName) }}
{{- end }}
{{- toYaml $w }}
{{- end }}
