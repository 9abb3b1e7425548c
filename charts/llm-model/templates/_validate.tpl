{{/*
Checks of the whole values file that the JSON Schema cannot express, beyond the per-group sizing checks of
"llm-model.groups": secrets written in plain values, names the API server would refuse, Kubernetes syntax the API
server checks only at install, and contradictions between keys. Returns a YAML list of problems, each naming its key;
"llm-model.groups" reports them in its one `fail`.
Usage: {{ $errors = concat $errors (include "llm-model.validate" (dict "root" $ "groups" $groups) | fromYamlArray) }}
*/}}
{{- define "llm-model.validate" -}}
{{- $v := .root.Values }}
{{- $e := list }}
{{- /* Helm drops a null or empty key before the schema sees minItems: an empty list would render no StatefulSet,
and `helm upgrade` would delete every running one. */}}
{{- if not $v.resourceGroups }}
{{- $e = append $e "resourceGroups: no resource groups (the key is empty or null), so no StatefulSet would be rendered and an upgrade would delete the running ones; list at least one group, e.g. resourceGroups: [{name: \"\"}]" }}
{{- end }}
{{- $e = concat $e (include "llm-model.validateSecrets" .root | fromYamlArray) }}
{{- $e = concat $e (include "llm-model.validateNames" . | fromYamlArray) }}
{{- $e = concat $e (include "llm-model.validateSyntax" .root | fromYamlArray) }}
{{- $e = concat $e (include "llm-model.validateDownload" .root | fromYamlArray) }}
{{- range $g := .groups }}
{{- $e = concat $e (include "llm-model.validateGroup" (dict "root" $.root "group" $g) | fromYamlArray) }}
{{- end }}
{{- $e = concat $e (include "llm-model.validatePool" . | fromYamlArray) }}
{{- toYaml $e }}
{{- end }}

{{/*
Secrets in plain values: every string anywhere in the values is matched against the shapes of common tokens; every
environment variable named like a secret must not hold a literal; flags such as --hf-token or --api-key (in
extraArgs, pre-start commands or the test command) must not be given a literal value. A literal here would be
readable in the manifest, in `helm get values` and in the release Secret.
Usage: {{ include "llm-model.validateSecrets" $ | fromYamlArray }}
*/}}
{{- define "llm-model.validateSecrets" -}}
{{- $v := .Values }}
{{- $e := list }}
{{- $how := "put it in a Secret and reference it: credentials.hfToken or credentials.apiKey (one Secret key each), credentials.secretName (every key as a variable), or `$(VAR)` in an argument, which the kubelet expands from such a variable" }}
{{- range $hit := (include "llm-model.secretShapes" (dict "path" "" "value" $v) | fromYamlArray) }}
{{- $e = append $e (printf "%s holds a value shaped like a secret (%s); a secret never goes in values: %s" $hit.path $hit.kind $how) }}
{{- end }}
{{- $envs := list (dict "path" "serving.env" "env" $v.serving.env) }}
{{- $lists := list (dict "path" "serving.extraArgs" "args" $v.serving.extraArgs) (dict "path" "serving.preStartCommands" "shell" $v.serving.preStartCommands) (dict "path" "tests.command" "args" $v.tests.command "shell" $v.tests.command) }}
{{- range $i, $g := ($v.resourceGroups | default list) }}
{{- $s := (get ($g | default dict) "serving") | default dict }}
{{- $envs = append $envs (dict "path" (printf "resourceGroups[%d].serving.env" $i) "env" (get $s "env")) }}
{{- $lists = append $lists (dict "path" (printf "resourceGroups[%d].serving.extraArgs" $i) "args" (get $s "extraArgs")) }}
{{- $lists = append $lists (dict "path" (printf "resourceGroups[%d].serving.preStartCommands" $i) "shell" (get $s "preStartCommands")) }}
{{- end }}
{{- $chartOwned := list "HF_TOKEN" "HUGGING_FACE_HUB_TOKEN" "VLLM_API_KEY" "SGLANG_API_KEY" }}
{{- range $x := $envs }}
{{- range $k, $val := ($x.env | default dict) }}
{{- $s := include "llm-model.envString" $val }}
{{- if has $k $chartOwned }}
{{- $e = append $e (printf "%s.%s: the chart sets %s from credentials (a value here would replace the Secret's); %s" $x.path $k $k $how) }}
{{- else if and (regexMatch `(?i)(^|_)(TOKEN|SECRET|PASSWORD|PASSWD|APIKEY|API_KEY|ACCESS_KEY|PRIVATE_KEY|CREDENTIALS?)(_|$)` $k) (include "llm-model.isLiteral" $s) }}
{{- $e = append $e (printf "%s.%s is named like a secret and holds a literal value; %s" $x.path $k $how) }}
{{- end }}
{{- end }}
{{- end }}
{{- $flag := `(?i)^-{1,2}([a-z0-9]+[-_])*(token|password|passwd|secret|apikey|api[-_]key|access[-_]key)([-_][a-z0-9]+)*$` }}
{{- range $x := $lists }}
{{- $args := $x.args | default list }}
{{- range $i, $a := $args }}
{{- $a = toString $a }}
{{- $name := regexReplaceAll `=.*$` $a "" }}
{{- if regexMatch $flag $name }}
{{- $val := "" }}
{{- if contains "=" $a }}{{ $val = regexReplaceAll `^[^=]*=` $a "" }}
{{- else if lt (add1 $i) (len $args) }}{{ $val = toString (index $args (add1 $i)) }}{{ if hasPrefix "-" $val }}{{ $val = "" }}{{ end }}
{{- end }}
{{- if include "llm-model.isLiteral" $val }}
{{- $e = append $e (printf "%s[%d]: %s is given a literal value; %s (e.g. \"%s\", \"$(MY_TOKEN)\")" $x.path $i $name $how $name) }}
{{- end }}
{{- end }}
{{- end }}
{{- range $i, $cmd := ($x.shell | default list) }}
{{- $cmd = toString $cmd }}
{{- range $m := regexFindAll `(?i)(^|\s)-{1,2}([a-z0-9]+[-_])*(token|password|passwd|secret|apikey|api[-_]key|access[-_]key)([-_][a-z0-9]+)*(=|\s+)["']?[^\s"'$-][^\s"']*` $cmd -1 }}
{{- $e = append $e (printf "%s[%d]: %s is given a literal value; %s (e.g. --token \"$HF_TOKEN\")" $x.path $i (regexFind `-{1,2}[A-Za-z0-9_-]+` $m) $how) }}
{{- end }}
{{- range $m := regexFindAll `(?i)(^|[\s;&(])(export\s+)?[A-Z0-9_]*(TOKEN|SECRET|PASSWORD|API_KEY|APIKEY|ACCESS_KEY)=["']?[^\s"'$][^\s"';]*` $cmd -1 }}
{{- $e = append $e (printf "%s[%d]: %s is assigned a literal value; %s" $x.path $i (regexFind `[A-Za-z0-9_]+=` $m | trimSuffix "=") $how) }}
{{- end }}
{{- range $m := regexFindAll `(?i)(authorization:\s*bearer|bearer)\s+[^\s"'$][^\s"']*` $cmd -1 }}
{{- $e = append $e (printf "%s[%d]: an Authorization header sends a literal bearer token; %s" $x.path $i $how) }}
{{- end }}
{{- end }}
{{- end }}
{{- toYaml (uniq $e) }}
{{- end }}

{{/*
Strings that look like tokens, anywhere below a value: a list of {path, kind}. The shapes: Hugging Face (hf_...),
OpenAI-style secret keys (sk-..., also Anthropic's sk-ant-...), GitHub tokens (ghp_, gho_, ghu_, ghs_, ghr_,
github_pat_), JWTs (three base64url parts, the first two JSON objects), AWS access key ids (AKIA/ASIA), Google API
keys (AIza...), Slack tokens (xox?-) and PEM private keys.
Usage: {{ include "llm-model.secretShapes" (dict "path" "" "value" .Values) | fromYamlArray }}
*/}}
{{- define "llm-model.secretShapes" -}}
{{- $out := list }}
{{- $shapes := list
  (list "Hugging Face token" `(^|[^A-Za-z0-9_])hf_[A-Za-z0-9]{16,}`)
  (list "OpenAI-style API key" `(^|[^A-Za-z0-9_-])sk-[A-Za-z0-9_-]{20,}`)
  (list "GitHub token" `(^|[^A-Za-z0-9_])(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})`)
  (list "JSON Web Token" `eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`)
  (list "AWS access key id" `(^|[^A-Z0-9])(AKIA|ASIA)[A-Z0-9]{16}([^A-Z0-9]|$)`)
  (list "Google API key" `AIza[0-9A-Za-z_-]{35}`)
  (list "Slack token" `xox[abposr]-[A-Za-z0-9-]{10,}`)
  (list "private key" `-----BEGIN [A-Z ]*PRIVATE KEY-----`) }}
{{- if kindIs "map" .value }}
{{- range $k, $x := .value }}
{{- $p := ternary $k (printf "%s.%s" $.path $k) (eq $.path "") }}
{{- $out = concat $out (include "llm-model.secretShapes" (dict "path" $p "value" $x) | fromYamlArray) }}
{{- end }}
{{- else if kindIs "slice" .value }}
{{- range $i, $x := .value }}
{{- $out = concat $out (include "llm-model.secretShapes" (dict "path" (printf "%s[%d]" $.path $i) "value" $x) | fromYamlArray) }}
{{- end }}
{{- else if kindIs "string" .value }}
{{- range $s := $shapes }}
{{- if regexMatch (index $s 1) $.value }}
{{- $out = append $out (dict "path" $.path "kind" (index $s 0)) }}
{{- end }}
{{- end }}
{{- end }}
{{- toYaml $out }}
{{- end }}

{{/*
"true" when a string is a literal secret value: not empty, not a reference to a variable ($(VAR), ${VAR}, $VAR) and
not a plain switch or number (0, 1, true, false, ...), which is a setting rather than a secret.
Usage: {{ if include "llm-model.isLiteral" $s }}
*/}}
{{- define "llm-model.isLiteral" -}}
{{- $s := trimAll "\"'" (toString .) }}
{{- if and $s (not (regexMatch `^\$`  $s)) (not (regexMatch `(?i)^(true|false|yes|no|on|off|none|null|-?[0-9.]+)$` $s)) }}true{{ end }}
{{- end }}

{{/*
An environment variable value as text in the form it was written: YAML numbers reach the chart as float64, and
printing 1200000 that way gives "1.2e+06", which the engine's int() refuses. Whole numbers print as integers; other
numbers print in Go's shortest form that reads back to the same value; strings and booleans print as they are.
Usage: {{ include "llm-model.envString" $value }}
*/}}
{{- define "llm-model.envString" -}}
{{- if and (kindIs "float64" .) (eq (floor .) .) (lt . 1e15) (gt . -1e15) }}
{{- printf "%d" (int64 .) }}
{{- else }}
{{- toString . }}
{{- end }}
{{- end }}

{{/*
Names the chart builds, checked as the API server checks them: the Service name (the fullname) is a DNS-1035 label;
StatefulSet names are DNS-1123 labels of at most 52 characters (the controller-revision-hash label adds 11); and no
two objects of one kind share a name, across groups and roles (a group named "workers" beside a multi-node group,
whose worker StatefulSet is "<fullname>-workers", would collide). Each problem names the value that caused it.
Usage: {{ include "llm-model.validateNames" (dict "root" $ "groups" $groups) | fromYamlArray }}
*/}}
{{- define "llm-model.validateNames" -}}
{{- $root := .root }}
{{- $v := $root.Values }}
{{- $e := list }}
{{- $full := include "llm-model.fullname" $root }}
{{- $cause := ternary "fullnameOverride" (printf "the release name %q (fullname %q)" $root.Release.Name $full) (not (empty $v.fullnameOverride)) }}
{{- $fullOK := regexMatch `^[a-z]([-a-z0-9]*[a-z0-9])?$` $full }}
{{- if not $fullOK }}
{{- $e = append $e (printf "%s: the Service name %q is not a DNS-1035 label (lower-case letters, digits and '-', starting with a letter, ending with a letter or digit), which the API server requires of Service names; set fullnameOverride, e.g. %q" $cause $full (include "llm-model.dnsLabel" $full)) }}
{{- end }}
{{- $stsNames := dict }}
{{- $svcNames := dict $full "the chart's Service (the fullname)" }}
{{- range $g := .groups }}
{{- $roles := ternary (list "leader" "worker") (list "leader") (gt (int $g.nodes) 1) }}
{{- range $role := $roles }}
{{- $n := include "llm-model.roleName" (dict "group" $g "role" $role) }}
{{- $what := printf "%s.name %q (%s StatefulSet)" $g.path $g.name $role }}
{{- if and $fullOK (not (regexMatch `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$` $n)) }}
{{- $e = append $e (printf "%s: StatefulSet name %q is not a DNS-1123 label (lower-case letters, digits and '-')" $what $n) }}
{{- end }}
{{- /* Two groups of one name are reported by "llm-model.groups" already. */}}
{{- if and (hasKey $stsNames $n) (ne (get $stsNames $n).group $g.name) }}
{{- $e = append $e (printf "%s: StatefulSet name %q is also the name of %s; rename one of the groups" $what $n (get $stsNames $n).what) }}
{{- end }}
{{- $_ := set $stsNames $n (dict "what" $what "group" $g.name) }}
{{- end }}
{{- if gt (int $g.nodes) 1 }}
{{- $n := include "llm-model.ranksServiceName" $g }}
{{- if hasKey $svcNames $n }}
{{- $e = append $e (printf "%s.name %q: the headless Service %q of its multi-node instances is also the name of %s; rename the group" $g.path $g.name $n (get $svcNames $n)) }}
{{- end }}
{{- $_ := set $svcNames $n (printf "%s.name %q (rank-0 Service)" $g.path $g.name) }}
{{- end }}
{{- end }}
{{- toYaml $e }}
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

{{/*
A name of at most `max` characters: unchanged when short enough, else cut to leave room for "-" and the first 8 hex
digits of its SHA-256, which keeps long names distinct and stable (a cut alone could make two names equal). The Go
side (internal/values.ShortName) computes the same.
Usage: {{ include "llm-model.shortName" (dict "name" $n "max" 52) }}
*/}}
{{- define "llm-model.shortName" -}}
{{- if le (len .name) (int .max) }}
{{- .name }}
{{- else }}
{{- printf "%s-%s" (regexReplaceAll `[-.]+$` (trunc (int (sub .max 9)) .name) "") (sha256sum .name | trunc 8) }}
{{- end }}
{{- end }}

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
{{- /* The image reference: the tag has its own keys. */}}
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
Checks of one resolved resource group: CPU request over its limit, extraArgs that repeat or contradict a flag the
chart renders or hold a flag and its value in one item, a context past the model's own without RoPE scaling, and a
rendezvous port equal to the HTTP port.
Usage: {{ include "llm-model.validateGroup" (dict "root" $ "group" $g) | fromYamlArray }}
*/}}
{{- define "llm-model.validateGroup" -}}
{{- $v := .root.Values }}
{{- $g := .group }}
{{- $s := $g.serving }}
{{- $e := list }}
{{- $cpu := list (list "request" $g.cpuRequest) (list "limit" $g.cpuLimit) }}
{{- range $q := $cpu }}
{{- if not (include "llm-model.quantity" (index $q 1)) }}
{{- $e = append $e (printf "%s.resources.cpu.%s %q is not a Kubernetes quantity (e.g. 8, 2.5 or 500m)" $g.path (index $q 0) (index $q 1)) }}
{{- end }}
{{- end }}
{{- if and (include "llm-model.quantity" $g.cpuRequest) (include "llm-model.quantity" $g.cpuLimit) }}
{{- if gt (float64 (include "llm-model.quantity" $g.cpuRequest)) (float64 (include "llm-model.quantity" $g.cpuLimit)) }}
{{- $e = append $e (printf "%s.resources.cpu.request (%s) is over resources.cpu.limit (%s); the API server refuses a request above its limit (an unset one is the guide's formula, the limit twice it)" $g.path $g.cpuRequest $g.cpuLimit) }}
{{- end }}
{{- end }}
{{- /* extraArgs against the flags the chart renders. */}}
{{- $bare := deepCopy $g }}
{{- $_ := set $bare.serving "extraArgs" list }}
{{- $rendered := include "llm-model.args" (dict "root" .root "group" $bare) | fromYamlArray }}
{{- $owned := dict }}
{{- range $a := $rendered }}
{{- if hasPrefix "--" (toString $a) }}{{ $_ := set $owned (include "llm-model.flagName" $a) true }}{{ end }}
{{- end }}
{{- /* The rank flags the command line adds for multi-node instances, the engine's other spellings of its flags and
the values key of each flag: the engine's data (_engines.tpl, generated from internal/engine/specs). */}}
{{- $engine := include "llm-model.engine" .root | fromYaml }}
{{- range $r := $engine.rankFlags }}{{ $_ := set $owned $r.flag true }}{{ end }}
{{- $alias := $engine.aliases }}
{{- $keyOf := $engine.keyOf }}
{{- $args := $s.extraArgs | default list }}
{{- range $i, $a := $args }}
{{- $a = toString $a }}
{{- $p := printf "%s: serving.extraArgs[%d]" $g.path $i }}
{{- if regexMatch `^--?[A-Za-z0-9][-_A-Za-z0-9.]*\s+\S` $a }}
{{- $e = append $e (printf "%s %q holds a flag and its value in one item: the engine receives it as one word (no shell splits it); give them as two items, %q and %q" $p $a (regexReplaceAll `\s.*$` $a "") (regexReplaceAll `^\S+\s+` $a "")) }}
{{- else if hasPrefix "-" $a }}
{{- $f := include "llm-model.flagName" $a }}
{{- $f = get $alias $f | default $f }}
{{- $base := regexReplaceAll `^--no-` $f "--" }}
{{- if or (hasKey $owned $f) (hasKey $owned $base) (hasKey $owned (printf "--no-%s" (trimPrefix "--" $f))) }}
{{- $key := get $keyOf $base | default (get $keyOf $f) }}
{{- /* Only the flag is quoted back, never a `=value`: it may be a secret (--api-key=...). */}}
{{- $e = append $e (printf "%s %q repeats or contradicts %s, which the chart already renders%s; set the value there instead of in extraArgs" $p (regexReplaceAll `=.*$` $a "=...") (ternary $base $f (hasKey $owned $base)) (ternary (printf " from %s" $key) "" (ne $key ""))) }}
{{- end }}
{{- end }}
{{- end }}
{{- $e = concat $e (include "llm-model.validateSpeculative" . | fromYamlArray) }}
{{- $e = concat $e (include "llm-model.validateLora" . | fromYamlArray) }}
{{- /* A context past the model's own needs RoPE scaling in hfOverrides. */}}
{{- $plan := $v.plan | default dict }}
{{- if and (not (kindIs "invalid" $s.maxModelLen)) $plan.modelMaxLen }}
{{- if and (gt (int64 $s.maxModelLen) (int64 $plan.modelMaxLen)) (not (include "llm-model.hasRope" $s.hfOverrides)) }}
{{- $e = append $e (printf "%s: serving.maxModelLen %d is over the model's context (plan.modelMaxLen %d), and serving.hfOverrides sets no RoPE scaling (rope_scaling or rope_parameters, at the top or under text_config): the engine would refuse it, or answer badly past %d tokens. Add RoPE scaling (see values.yaml) or lower maxModelLen" $g.path (int64 $s.maxModelLen) (int64 $plan.modelMaxLen) (int64 $plan.modelMaxLen)) }}
{{- end }}
{{- end }}
{{- if and (gt (int $g.nodes) 1) (eq (int $v.multiNode.port) (int (include "llm-model.enginePort" $v))) }}
{{- $e = append $e (printf "multiNode.port %d is also the engine port (service.enginePort, else service.port): rank 0 would listen for the rendezvous and for HTTP on one port (%s has nodes %d); choose another port" (int $v.multiNode.port) $g.path (int $g.nodes)) }}
{{- end }}
{{- toYaml $e }}
{{- end }}

{{/*
A flag's name for comparison: the part before "=", with "_" turned into "-" (the engines accept both spellings).
Usage: {{ include "llm-model.flagName" "--tensor_parallel_size=4" }} → --tensor-parallel-size
*/}}
{{- define "llm-model.flagName" -}}
{{- $n := regexReplaceAll `=.*$` (toString .) "" }}
{{- printf "%s%s" (regexFind `^-+` $n) (replace "_" "-" (regexReplaceAll `^-+` $n "")) }}
{{- end }}

{{/*
"true" when hfOverrides extends the context: rope_scaling or rope_parameters at the top level or under text_config
(the language model's config of a multimodal model), not null and not empty.
Usage: {{ if include "llm-model.hasRope" $s.hfOverrides }}
*/}}
{{- define "llm-model.hasRope" -}}
{{- $o := . | default dict }}
{{- $found := false }}
{{- range $m := list $o (get $o "text_config" | default dict) }}
{{- if kindIs "map" $m }}
{{- range $k := list "rope_scaling" "rope_parameters" }}
{{- if not (empty (get $m $k)) }}{{ $found = true }}{{ end }}
{{- end }}
{{- end }}
{{- end }}
{{- if $found }}true{{ end }}
{{- end }}

{{/*
Speculative decoding against one resolved group: a method needs its token count, eagle / eagle3 / draft a draft
model (mtp and ngram take none), no pipeline parallelism (neither pinned engine runs a drafter across stages:
vllm-project/vllm#52069, #57755), a generation model, vLLM's draft TP 1 or the TP (speculative.py
_verify_and_get_draft_tp), and no speculative key without a method.
Usage: {{ $e = concat $e (include "llm-model.validateSpeculative" (dict "root" $ "group" $g) | fromYamlArray) }}
*/}}
{{- define "llm-model.validateSpeculative" -}}
{{- $v := .root.Values }}
{{- $g := .group }}
{{- $s := $v.speculative }}
{{- $e := list }}
{{- $dtp := $g.vllm.speculativeDraftTensorParallelSize }}
{{- $tuning := dict "speculative.numSpeculativeTokens" $s.numSpeculativeTokens "speculative.draftModel" $s.draftModel "speculative.draftRevision" $s.draftRevision "vllm.speculativeDraftTensorParallelSize" $dtp "sglang.speculativeEagleTopk" $g.sglang.speculativeEagleTopk "sglang.speculativeNumDraftTokens" $g.sglang.speculativeNumDraftTokens }}
{{- if not $s.method }}
{{- range $k := keys $tuning | sortAlpha }}
{{- $x := get $tuning $k }}
{{- if and (not (kindIs "invalid" $x)) (ne (toString $x) "") }}
{{- $e = append $e (printf "%s is set but speculative.method is empty: set a method (mtp, eagle, eagle3, draft, ngram) or remove it" $k) }}
{{- end }}
{{- end }}
{{- else }}
{{- $m := $s.method }}
{{- if kindIs "invalid" $s.numSpeculativeTokens }}
{{- $e = append $e (printf "speculative.numSpeculativeTokens is required with speculative.method %s (tokens drafted per step; chartgen values --speculative chooses it)" $m) }}
{{- end }}
{{- if and (has $m (list "eagle" "eagle3" "draft")) (not $s.draftModel) }}
{{- $e = append $e (printf "speculative.draftModel is required with speculative.method %s: the Hugging Face id or path of the %s" $m (ternary "draft model" "EAGLE head" (eq $m "draft"))) }}
{{- end }}
{{- if and (has $m (list "mtp" "ngram")) $s.draftModel }}
{{- $e = append $e (printf "speculative.draftModel %q is refused with speculative.method %s, which %s; use eagle, eagle3 or draft for a draft model" $s.draftModel $m (ternary "drafts with the model's own MTP layers" "looks tokens up in the prompt" (eq $m "mtp"))) }}
{{- end }}
{{- if and $s.draftRevision (not $s.draftModel) }}
{{- $e = append $e "speculative.draftRevision needs speculative.draftModel" }}
{{- end }}
{{- if gt (int $g.pp) 1 }}
{{- $e = append $e (printf "%s: speculative.method %s with serving.pipelineParallelSize %d: neither pinned engine runs speculative decoding across pipeline stages (vllm-project/vllm#52069); use tensor parallelism only or remove speculative.method" $g.path $m (int $g.pp)) }}
{{- end }}
{{- if eq $v.model.task "embed" }}
{{- $e = append $e "speculative.method must be empty for an embedding model (model.task: embed): it generates no tokens to draft" }}
{{- end }}
{{- if and (not (kindIs "invalid" $dtp)) (ne (int $dtp) 1) (ne (int $dtp) (int $g.tp)) }}
{{- $e = append $e (printf "%s: vllm.speculativeDraftTensorParallelSize %d must be 1 or the tensor parallel size %d (vLLM takes no other)" $g.path (int $dtp) (int $g.tp)) }}
{{- end }}
{{- if and (eq $m "ngram") (not (kindIs "invalid" $g.sglang.speculativeEagleTopk)) }}
{{- $e = append $e "sglang.speculativeEagleTopk is for the EAGLE-style algorithms; NGRAM takes none" }}
{{- end }}
{{- end }}
{{- toYaml $e }}
{{- end }}

{{/*
LoRA against one resolved group: limits only with adapters or runtime updates, adapter names apart from the base
model's names, vLLM's rank choices (LoRAConfig.max_lora_rank) and max_cpu_loras >= max_loras (LoRAConfig
verification), each engine's own keys, and SGLang's rule that LoRA runs with no speculative algorithm but NGRAM
(server_args.py: "Currently LoRA is only compatible with NGRAM speculative decoding").
Usage: {{ $e = concat $e (include "llm-model.validateLora" (dict "root" $ "group" $g) | fromYamlArray) }}
*/}}
{{- define "llm-model.validateLora" -}}
{{- $v := .root.Values }}
{{- $l := $v.lora }}
{{- $e := list }}
{{- $on := or $l.adapters $l.runtimeUpdates }}
{{- $vllm := eq $v.engine "vllm" }}
{{- range $k := list "maxLoras" "maxRank" "maxCpuLoras" }}
{{- /* hasKey: Helm 4 drops null keys, and sprig's get returns "" for a missing one. */}}
{{- if and (not $on) (hasKey $l $k) (not (kindIs "invalid" (get $l $k))) }}
{{- $e = append $e (printf "lora.%s is set but no adapter is served: list lora.adapters or set lora.runtimeUpdates: true" $k) }}
{{- end }}
{{- end }}
{{- if and (not $on) $l.targetModules }}
{{- $e = append $e "lora.targetModules is set but no adapter is served: list lora.adapters or set lora.runtimeUpdates: true" }}
{{- end }}
{{- $base := concat (list $v.model.name) ($v.model.servedModelNames | default list) }}
{{- range $name := keys ($l.adapters | default dict) | sortAlpha }}
{{- if has $name $base }}
{{- $e = append $e (printf "lora.adapters.%s: the adapter name is also a name of the base model (%s); clients could not tell them apart, so give the adapter another name" $name (join ", " $base)) }}
{{- end }}
{{- end }}
{{- if $vllm }}
{{- if and (not (kindIs "invalid" $l.maxRank)) (not (has (int $l.maxRank) (list 1 8 16 32 64 128 256 320 512))) }}
{{- $e = append $e (printf "lora.maxRank %d is not a rank vLLM takes (1, 8, 16, 32, 64, 128, 256, 320, 512); use the next one up" (int $l.maxRank)) }}
{{- end }}
{{- if and (not (kindIs "invalid" $l.maxCpuLoras)) (lt (int $l.maxCpuLoras) (int ($l.maxLoras | default 1))) }}
{{- $e = append $e (printf "lora.maxCpuLoras %d is below lora.maxLoras %d: vLLM requires max_cpu_loras >= max_loras" (int $l.maxCpuLoras) (int ($l.maxLoras | default 1))) }}
{{- end }}
{{- if $l.targetModules }}
{{- $e = append $e "lora.targetModules is an SGLang option (--lora-target-modules); vLLM takes the modules from each adapter: remove it or set engine: sglang" }}
{{- end }}
{{- else }}
{{- if not (kindIs "invalid" $l.maxCpuLoras) }}
{{- $e = append $e "lora.maxCpuLoras is a vLLM option (--max-cpu-loras); SGLang has none: remove it or set engine: vllm" }}
{{- end }}
{{- if and $on $v.speculative.method (ne $v.speculative.method "ngram") }}
{{- $e = append $e (printf "lora with speculative.method %s: SGLang runs LoRA only with NGRAM speculative decoding (server_args.py); use speculative.method ngram or vLLM" $v.speculative.method) }}
{{- end }}
{{- if and $l.runtimeUpdates (not $l.adapters) (not $l.targetModules) }}
{{- $e = append $e "lora.runtimeUpdates without lora.adapters: SGLang needs lora.targetModules (and lora.maxRank) to size its LoRA buffers before any adapter is loaded" }}
{{- end }}
{{- end }}
{{- if eq $v.model.task "embed" }}{{ if $on }}
{{- $e = append $e "lora must be empty for an embedding model (model.task: embed): the chart serves adapters for generation only" }}
{{- end }}{{ end }}
{{- toYaml (uniq $e) }}
{{- end }}
