{{/*
Kubernetes syntax the API server checks only at install (or the kubelet at run), checked at render with the key
named: storage class name, sub-path, label keys and values, tolerations, selector labels overridden by pod labels,
security contexts the API server refuses or the kubelet cannot run, the test Pod's resources, and the image
reference.
Usage: {{ include "llm-model.validateSyntax" $ | fromYamlArray }}
*/}}
{{- define "llm-model.validateSyntax" -}}
{{- $v := .Values }}
{{- $e := list }}
{{- $subdomain := `^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$` }}
{{- $labelValue := `^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$` }}
{{- with $v.storage.storageClassName }}
{{- if or (gt (len .) 253) (not (regexMatch $subdomain .)) }}
{{- $e = append $e (printf "storage.storageClassName %q is not a valid storage class name (a DNS-1123 subdomain: lower-case letters, digits, '-' and '.', at most 253 characters)" .) }}
{{- end }}
{{- end }}
{{- with $v.storage.subPath }}
{{- if or (hasPrefix "/" .) (has ".." (splitList "/" .)) }}
{{- $e = append $e (printf "storage.subPath %q must be a relative path without '..' (the API server refuses an absolute sub-path)" .) }}
{{- end }}
{{- end }}
{{- with $v.storage.hubCacheDir }}
{{- if or (hasPrefix "/" .) (regexMatch `(^|/)\.\.(/|$)` .) }}
{{- $e = append $e (printf "storage.hubCacheDir %q must be a path relative to storage.mountPath and inside the volume, without a leading '/' or '..' (e.g. hub, or . for the mount path itself)" .) }}
{{- end }}
{{- end }}
{{- /* Labels: pod labels must not replace the chart's own (selectors and the Service's service-group). */}}
{{- $own := list "app" "service-group" "component" "llm-charts.io/role" "helm.sh/chart" "app.kubernetes.io/name" "app.kubernetes.io/instance" "app.kubernetes.io/version" "app.kubernetes.io/managed-by" "app.kubernetes.io/part-of" }}
{{- $labelMaps := list (dict "path" "podLabels" "map" $v.podLabels) (dict "path" "scheduling.nodeSelector" "map" $v.scheduling.nodeSelector) (dict "path" "resourceGroupDefaults.nodeSelector" "map" $v.resourceGroupDefaults.nodeSelector) (dict "path" "monitoring.serviceMonitor.labels" "map" $v.monitoring.serviceMonitor.labels) (dict "path" "monitoring.podMonitor.labels" "map" $v.monitoring.podMonitor.labels) }}
{{- range $i, $g := ($v.resourceGroups | default list) }}
{{- $labelMaps = append $labelMaps (dict "path" (printf "resourceGroups[%d].nodeSelector" $i) "map" (get ($g | default dict) "nodeSelector")) }}
{{- end }}
{{- range $k, $x := ($v.podLabels | default dict) }}
{{- if has $k $own }}
{{- $e = append $e (printf "podLabels.%s: the chart sets this label itself (selectors and the Service select by it); a second value would replace it and break the selector. Use another label key" $k) }}
{{- end }}
{{- end }}
{{- range $m := $labelMaps }}
{{- range $k, $x := ($m.map | default dict) }}
{{- $name := regexReplaceAll `^.*/` $k "" }}
{{- $prefix := ternary (regexReplaceAll `/[^/]*$` $k "") "" (contains "/" $k) }}
{{- if or (gt (len $name) 63) (not (regexMatch `^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$` $name)) (and (contains "/" $k) (or (gt (len $prefix) 253) (not (regexMatch $subdomain $prefix)))) (gt (len (splitList "/" $k)) 2) }}
{{- $e = append $e (printf "%s: %q is not a valid label key (an optional DNS subdomain prefix and '/', then at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit)" $m.path $k) }}
{{- end }}
{{- $s := toString $x }}
{{- if or (gt (len $s) 63) (not (regexMatch $labelValue $s)) }}
{{- $e = append $e (printf "%s.%s: %q is not a valid label value (at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit)" $m.path $k $s) }}
{{- end }}
{{- end }}
{{- end }}
{{- $e = concat $e (include "llm-model.validateTolerations" . | fromYamlArray) }}
{{- $e = concat $e (include "llm-model.validateSecurity" . | fromYamlArray) }}
{{- toYaml $e }}
{{- end }}

{{/*
Tolerations: the chart's own (scheduling.reservation, the large-GPU taint) and scheduling.tolerations, as the API
server checks them.
Usage: {{ include "llm-model.validateTolerations" $ | fromYamlArray }}
*/}}
{{- define "llm-model.validateTolerations" -}}
{{- $v := .Values }}
{{- $e := list }}
{{- $labelValue := `^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$` }}
{{- /* Tolerations: the chart's own (reservation, large GPU) and the extra ones. */}}
{{- with $v.scheduling.reservation }}
{{- if or (gt (len .) 63) (not (regexMatch $labelValue .)) }}
{{- $e = append $e (printf "scheduling.reservation %q is not a valid toleration value (a label value: at most 63 letters, digits, '-', '_' or '.')" .) }}
{{- end }}
{{- end }}
{{- range $p := list (list "scheduling.reservationKey" $v.scheduling.reservationKey) (list "scheduling.largeGpu.key" $v.scheduling.largeGpu.key) }}
{{- if not (include "llm-model.isQualifiedName" (index $p 1)) }}
{{- $e = append $e (printf "%s %q is not a valid taint key (an optional DNS subdomain prefix and '/', then a name of at most 63 characters)" (index $p 0) (index $p 1)) }}
{{- end }}
{{- end }}
{{- if or (gt (len (toString $v.scheduling.largeGpu.value)) 63) (not (regexMatch $labelValue (toString $v.scheduling.largeGpu.value))) }}
{{- $e = append $e (printf "scheduling.largeGpu.value %q is not a valid toleration value (a label value)" (toString $v.scheduling.largeGpu.value)) }}
{{- end }}
{{- range $i, $t := ($v.scheduling.tolerations | default list) }}
{{- $p := printf "scheduling.tolerations[%d]" $i }}
{{- $t = $t | default dict }}
{{- $op := $t.operator | default "Equal" }}
{{- if not (has $op (list "Equal" "Exists")) }}
{{- $e = append $e (printf "%s.operator %q must be Equal or Exists" $p $op) }}
{{- end }}
{{- if and $t.effect (not (has $t.effect (list "NoSchedule" "PreferNoSchedule" "NoExecute"))) }}
{{- $e = append $e (printf "%s.effect %q must be NoSchedule, PreferNoSchedule, NoExecute or empty (all effects)" $p (toString $t.effect)) }}
{{- end }}
{{- if and $t.key (not (include "llm-model.isQualifiedName" $t.key)) }}
{{- $e = append $e (printf "%s.key %q is not a valid taint key" $p (toString $t.key)) }}
{{- end }}
{{- if and (not $t.key) (ne $op "Exists") }}
{{- $e = append $e (printf "%s: an empty key needs operator Exists (it then tolerates every taint)" $p) }}
{{- end }}
{{- if and (eq $op "Exists") $t.value }}
{{- $e = append $e (printf "%s.value must be empty with operator Exists" $p) }}
{{- end }}
{{- if and $t.value (or (gt (len (toString $t.value)) 63) (not (regexMatch $labelValue (toString $t.value)))) }}
{{- $e = append $e (printf "%s.value %q is not a valid toleration value (a label value: at most 63 letters, digits, '-', '_' or '.')" $p (toString $t.value)) }}
{{- end }}
{{- if and (hasKey $t "tolerationSeconds") (not (kindIs "invalid" $t.tolerationSeconds)) (ne (toString $t.effect) "NoExecute") }}
{{- $e = append $e (printf "%s.tolerationSeconds needs effect NoExecute" $p) }}
{{- end }}
{{- range $k, $_ := $t }}
{{- if not (has $k (list "key" "operator" "value" "effect" "tolerationSeconds")) }}
{{- $e = append $e (printf "%s.%s is not a toleration field (key, operator, value, effect, tolerationSeconds)" $p $k) }}
{{- end }}
{{- end }}
{{- end }}
{{- toYaml $e }}
{{- end }}

{{/*
Security contexts the API server refuses or the kubelet cannot run, the test Pod's resources (requests at most
limits), and the image reference (the tag has its own keys).
Usage: {{ include "llm-model.validateSecurity" $ | fromYamlArray }}
*/}}
{{- define "llm-model.validateSecurity" -}}
{{- $v := .Values }}
{{- $e := list }}
{{- /* Security contexts. */}}
{{- $pod := $v.podSecurityContext | default dict }}
{{- $ctr := $v.securityContext | default dict }}
{{- if and $ctr.privileged (eq (toString $ctr.allowPrivilegeEscalation) "false") }}
{{- $e = append $e "securityContext: privileged: true with allowPrivilegeEscalation: false is refused by the API server (a privileged container always can escalate); drop privileged or set allowPrivilegeEscalation: true" }}
{{- end }}
{{- if eq (toString $ctr.allowPrivilegeEscalation) "false" }}
{{- range $c := (($ctr.capabilities | default dict).add | default list) }}
{{- if has (upper (trimPrefix "CAP_" (upper (toString $c)))) (list "SYS_ADMIN") }}
{{- $e = append $e (printf "securityContext.capabilities.add %s with allowPrivilegeEscalation: false is refused by the API server; drop one of them" (toString $c)) }}
{{- end }}
{{- end }}
{{- end }}
{{- $nonRoot := ternary $ctr.runAsNonRoot $pod.runAsNonRoot (hasKey $ctr "runAsNonRoot") }}
{{- $user := ternary $ctr.runAsUser $pod.runAsUser (and (hasKey $ctr "runAsUser") (not (kindIs "invalid" $ctr.runAsUser))) }}
{{- if and (eq (toString $pod.runAsNonRoot) "true") (hasKey $ctr "runAsNonRoot") (eq (toString $ctr.runAsNonRoot) "false") }}
{{- $e = append $e "podSecurityContext.runAsNonRoot is true but securityContext.runAsNonRoot is false, and the container's setting wins: the pod would run as root. Set securityContext.runAsNonRoot: true too (or drop it there)" }}
{{- else if and (eq (toString $nonRoot) "true") (not (kindIs "invalid" $user)) (eq (int64 $user) 0) }}
{{- $e = append $e (printf "runAsNonRoot is true but runAsUser is 0 (%s): the kubelet refuses to start such a container (CreateContainerConfigError); set runAsUser to a non-zero user (and runAsGroup)" (ternary "securityContext.runAsUser" "podSecurityContext.runAsUser" (and (hasKey $ctr "runAsUser") (not (kindIs "invalid" $ctr.runAsUser))))) }}
{{- end }}
{{- /* The test Pod's resources: requests at most limits. */}}
{{- if $v.tests.enabled }}
{{- $r := $v.tests.resources | default dict }}
{{- range $res := list "cpu" "memory" }}
{{- $req := get ($r.requests | default dict) $res }}
{{- $lim := get ($r.limits | default dict) $res }}
{{- range $q := list (list "requests" $req) (list "limits" $lim) }}
{{- if and (not (kindIs "invalid" (index $q 1))) (ne (toString (index $q 1)) "") (not (include "llm-model.quantity" (index $q 1))) }}
{{- $e = append $e (printf "tests.resources.%s.%s %q is not a Kubernetes quantity (e.g. 100m, 64Mi)" (index $q 0) $res (toString (index $q 1))) }}
{{- end }}
{{- end }}
{{- if and (include "llm-model.quantity" $req) (include "llm-model.quantity" $lim) }}
{{- if gt (float64 (include "llm-model.quantity" $req)) (float64 (include "llm-model.quantity" $lim)) }}
{{- $e = append $e (printf "tests.resources.requests.%s (%v) is over tests.resources.limits.%s (%v); the API server refuses a request above its limit" $res $req $res $lim) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- /* The image reference: the tag has its own keys. image.version is a release (the flag tables and chartgen's
memory terms are keyed by release; internal/engine ParseRelease refuses the same for --engine-version). */}}
{{- with $v.image.version }}
{{- if not (include "llm-model.isRelease" .) }}
{{- $e = append $e (printf "image.version %q is not a release: give vMAJOR.MINOR.PATCH, e.g. v0.19.0 (a build tag such as v0.19.0-cu130, a release candidate or latest goes in image.tag)" .) }}
{{- end }}
{{- end }}
{{- with $v.image.repository }}
{{- if or (contains ":" (regexReplaceAll `^[^/]*/` . "")) (contains "@" .) }}
{{- if contains "/" . }}
{{- $e = append $e (printf "image.repository %q holds a tag or digest; give the repository alone and the tag in image.tag (or the release in image.version)" .) }}
{{- end }}
{{- end }}
{{- if and (not (contains "/" .)) (contains ":" .) }}
{{- $e = append $e (printf "image.repository %q holds a tag; give the repository alone and the tag in image.tag (or the release in image.version)" .) }}
{{- end }}
{{- end }}
{{- toYaml $e }}
{{- end }}

{{/*
"true" when a string is a Kubernetes qualified name (label or taint key): an optional DNS-1123 subdomain prefix of at
most 253 characters and "/", then a name of at most 63 letters, digits, '-', '_' or '.', starting and ending with a
letter or digit.
Usage: {{ if include "llm-model.isQualifiedName" $key }}
*/}}
{{- define "llm-model.isQualifiedName" -}}
{{- $k := toString . }}
{{- $parts := splitList "/" $k }}
{{- $name := last $parts }}
{{- $ok := and (le (len $parts) 2) (le (len $name) 63) (regexMatch `^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$` $name) }}
{{- if eq (len $parts) 2 }}
{{- $ok = and $ok (le (len (first $parts)) 253) (regexMatch `^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$` (first $parts)) }}
{{- end }}
{{- if $ok }}true{{ end }}
{{- end }}

{{/*
A Kubernetes quantity (a number, "500m", "64Mi", "1e3", ...) as a plain number, or "" when it is not one.
Usage: {{ float64 (include "llm-model.quantity" "500m") }} → 0.5
*/}}
{{- define "llm-model.quantity" -}}
{{- $s := toString . }}
{{- $m := regexFindAll `^([+-]?[0-9]+(\.[0-9]*)?|[+-]?\.[0-9]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?[0-9]+)?$` $s 1 }}
{{- if $m }}
{{- $num := regexReplaceAll `(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?[0-9]+)$` $s "" }}
{{- $suffix := trimPrefix $num $s }}
{{- $mult := dict "" 1.0 "m" 0.001 "k" 1e3 "M" 1e6 "G" 1e9 "T" 1e12 "P" 1e15 "E" 1e18 "Ki" 1024.0 "Mi" 1048576.0 "Gi" 1073741824.0 "Ti" 1099511627776.0 "Pi" 1125899906842624.0 "Ei" 1152921504606846976.0 }}
{{- if hasKey $mult $suffix }}
{{- mulf (float64 $num) (get $mult $suffix) }}
{{- else }}
{{- float64 $s }}
{{- end }}
{{- end }}
{{- end }}

{{/*
A name made a valid DNS-1035 label, for suggestions in error messages: lower-cased, runs of other characters turned
into "-", a leading digit prefixed with "m-", shortened to 52 characters.
Usage: {{ include "llm-model.dnsLabel" "qwen3.5" }} → qwen3-5
*/}}
{{- define "llm-model.dnsLabel" -}}
{{- $s := regexReplaceAll `[^a-z0-9]+` (lower .) "-" | trimAll "-" }}
{{- if regexMatch `^[0-9]` $s }}{{ $s = printf "m-%s" $s }}{{ end }}
{{- include "llm-model.shortName" (dict "name" $s "max" 52) }}
{{- end }}
