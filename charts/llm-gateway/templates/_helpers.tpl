{{/*
Chart name, cut to 63 characters (a DNS-1123 label).
  {{ include "llm-gateway.name" . }}
*/}}
{{- define "llm-gateway.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified app name, cut to 63 characters. Every generated object is named "<fullname>-<suffix>" with a
suffix of variable length taken from values (a backend key, a route key, a secret name), so no fixed room can be
left for it here; instead "llm-gateway.objectName" fails when the result is over 63, rather than cutting names that
could then collide.
  {{ include "llm-gateway.fullname" . }}
*/}}
{{- define "llm-gateway.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart name and version, for the helm.sh/chart label.
  {{ include "llm-gateway.chart" . }}
*/}}
{{- define "llm-gateway.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels. The AI Gateway controller copies an AIGatewayRoute's labels to the HTTPRoute it generates.
  labels:
    {{- include "llm-gateway.labels" . | nindent 4 }}
*/}}
{{- define "llm-gateway.labels" -}}
helm.sh/chart: {{ include "llm-gateway.chart" . }}
{{ include "llm-gateway.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Selector labels: name and instance only (no version, so that they never change on upgrade).
  {{- include "llm-gateway.selectorLabels" . | nindent 4 }}
*/}}
{{- define "llm-gateway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "llm-gateway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Name of a generated object: "<fullname>-<suffix>". Over 63 characters (a DNS-1123 label) it is shortened with a
hash suffix, never cut bare: the first 54 characters, "-" and the first 8 hex digits of the SHA-256 of the whole
name, so two long names that share a beginning stay distinct and a name never changes between renders.
`key` names the values key that produced the suffix (kept for callers' messages).
  {{ include "llm-gateway.objectName" (dict "ctx" $ "suffix" $key "key" (printf "backends.%s" $key)) }}
*/}}
{{- define "llm-gateway.objectName" -}}
{{- $n := printf "%s-%s" (include "llm-gateway.fullname" .ctx) .suffix }}
{{- if gt (len $n) 63 }}
{{- printf "%s-%s" (regexReplaceAll "[-.]+$" (trunc 54 $n) "") (sha256sum $n | trunc 8) }}
{{- else }}
{{- $n }}
{{- end }}
{{- end }}

{{/*
Rule name of one model's AIGatewayRoute rule: models[i].ruleName, else the public name when it is a valid rule name
(lower-case DNS-1123 subdomain), else "" (no name; the CRD makes it optional).
  {{ include "llm-gateway.ruleName" $model }}
*/}}
{{- define "llm-gateway.ruleName" -}}
{{- if .ruleName }}
{{- .ruleName }}
{{- else if and (le (len .name) 253) (regexMatch "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$" .name) }}
{{- .name }}
{{- end }}
{{- end }}

{{/*
Checks that the values schema cannot express; each failure names the key. Called once, from aigatewayroute.yaml.
  {{- include "llm-gateway.validate" . }}
*/}}
{{- define "llm-gateway.validate" -}}
{{- if and .Values.models (not .Values.gateway.name) }}
{{- fail "gateway.name: required when models are listed (the Gateway every AIGatewayRoute attaches to)" }}
{{- end }}
{{- $names := dict }}
{{- $rules := dict }}
{{- range $i, $m := .Values.models }}
{{- if hasKey $names $m.name }}
{{- fail (printf "models[%d].name: %q is already the name of models[%d]; public model names must be unique" $i $m.name (index $names $m.name)) }}
{{- end }}
{{- $_ := set $names $m.name $i }}
{{- $rule := include "llm-gateway.ruleName" $m }}
{{- $ruleKey := ternary (printf "models[%d].ruleName" $i) (printf "models[%d].name" $i) (not (empty $m.ruleName)) }}
{{- if eq $rule "route-not-found" }}
{{- fail (printf "%s: rule name %q is reserved by the AIGatewayRoute CRD (the controller appends its own catch-all rule with that name); set models[%d].ruleName to another name" $ruleKey $rule $i) }}
{{- end }}
{{- if and $rule (hasKey $rules $rule) }}
{{- fail (printf "%s: rule name %q is already used by models[%d]; rule names must be unique" $ruleKey $rule (index $rules $rule)) }}
{{- end }}
{{- if $rule }}
{{- $_ := set $rules $rule $i }}
{{- end }}
{{- range $j, $ref := $m.backendRefs }}
{{- if not (hasKey $.Values.backends $ref.name) }}
{{- fail (printf "models[%d].backendRefs[%d].name: backend %q is not defined under backends (defined: %s)" $i $j $ref.name (keys $.Values.backends | sortAlpha | join ", " | default "none")) }}
{{- end }}
{{- end }}
{{- end }}
{{- $poolErrors := include "llm-gateway.validatePools" . | fromYamlArray }}
{{- if $poolErrors }}
{{- fail (printf "\n%s" (join "\n" $poolErrors)) }}
{{- end }}
{{- include "llm-gateway.validateTraffic" . }}
{{- $errors := include "llm-gateway.contradictions" . | fromYamlArray }}
{{- if $errors }}
{{- fail (printf "\n%s" (join "\n" $errors)) }}
{{- end }}
{{- end }}

{{/*
Contradictions between keys, as a YAML list of problems each naming its key: a fallback backendRef that is the
model's primary itself, backendRefs of one priority all at weight 0, and a test model no rule serves. Retry status
codes without their trigger and back-off limits are checked by llm-gateway.validateTraffic; Secret names are DNS
names by the schema.
  {{- $errors := include "llm-gateway.contradictions" . | fromYamlArray }}
*/}}
{{- define "llm-gateway.contradictions" -}}
{{- $v := .Values }}
{{- $e := list }}
{{- range $i, $m := $v.models }}
{{- $byName := dict }}
{{- $weights := dict }}
{{- range $j, $ref := $m.backendRefs }}
{{- $prio := int ($ref.priority | default 0) }}
{{- if hasKey $byName $ref.name }}
{{- $first := get $byName $ref.name }}
{{- if ne (int (index $first 1)) $prio }}
{{- $e = append $e (printf "models[%d].backendRefs[%d]: the fallback (priority %d) is backend %q, which models[%d].backendRefs[%d] already uses at priority %d: a fallback to the same backend retries the endpoint that just failed; name another backend" $i $j (max $prio (int (index $first 1))) $ref.name $i (int (index $first 0)) (min $prio (int (index $first 1)))) }}
{{- else }}
{{- $e = append $e (printf "models[%d].backendRefs[%d]: backend %q is listed twice at priority %d (also backendRefs[%d]); give it once with a weight" $i $j $ref.name $prio (int (index $first 0))) }}
{{- end }}
{{- else }}
{{- $_ := set $byName $ref.name (list $j $prio) }}
{{- end }}
{{- $w := ternary 1 (int $ref.weight) (kindIs "invalid" $ref.weight) }}
{{- $_ := set $weights (toString $prio) (add (get $weights (toString $prio) | default 0) $w) }}
{{- end }}
{{- range $prio, $sum := $weights }}
{{- if eq (int $sum) 0 }}
{{- $e = append $e (printf "models[%d].backendRefs: every backend of priority %s has weight 0, so that priority receives no traffic; give one a weight above 0 (the CRD default is 1)" $i $prio) }}
{{- end }}
{{- end }}
{{- end }}
{{- if and $v.tests.model $v.models }}
{{- $served := list }}
{{- range $v.models }}{{ $served = append $served .name }}{{ end }}
{{- if not (has $v.tests.model $served) }}
{{- $e = append $e (printf "tests.model %q is served by no rule: no entry of models has that name (models: %s)" $v.tests.model (join ", " $served)) }}
{{- end }}
{{- end }}
{{- $e = concat $e (include "llm-gateway.crossNamespaceProblems" . | fromYamlArray) }}
{{- toYaml $e }}
{{- end }}

{{/*
Route plan: which AIGatewayRoute holds each model's rule, as JSON {"<route name>": [model index, ...]}.
  {{- $plan := include "llm-gateway.routePlan" . | fromJson }}
The rule (see routes in values.yaml): a model's route depends only on its own entry and on routes.*, never on the
other models, so adding or removing a model changes only the one route that holds it.
  - models[i].route set: "<prefix>-<route>";
  - otherwise "<prefix>-<b>", b = (first 32 bits of sha256(models[i].name)) mod routes.buckets.
A route that would get more than routes.maxRulesPerRoute rules fails: nothing is moved to make room.
Generated route names must not be taken by trafficPolicy.extraTargetRefs (the controller owns the HTTPRoute it
generates under the same name).
*/}}
{{- define "llm-gateway.routePlan" -}}
{{- $prefix := .Values.routes.namePrefix | default (include "llm-gateway.fullname" .) }}
{{- $buckets := int64 .Values.routes.buckets }}
{{- $plan := dict }}
{{- range $i, $m := .Values.models }}
{{- $key := "" }}
{{- $from := "routes.namePrefix" }}
{{- if $m.route }}
{{- $key = $m.route }}
{{- $from = printf "models[%d].route" $i }}
{{- else }}
{{- $key = toString (mod (int64 (printf "0x%s" (sha256sum $m.name | trunc 8))) $buckets) }}
{{- end }}
{{- $rn := printf "%s-%s" $prefix $key }}
{{- if gt (len $rn) 63 }}
{{- fail (printf "%s: the AIGatewayRoute name %q is %d characters, over the limit of 63 (a DNS-1123 label)" $from $rn (len $rn)) }}
{{- end }}
{{- $_ := set $plan $rn (append (get $plan $rn | default (list)) $i) }}
{{- end }}
{{- $max := int .Values.routes.maxRulesPerRoute }}
{{- range $rn := keys $plan | sortAlpha }}
{{- $idx := index $plan $rn }}
{{- if gt (len $idx) $max }}
{{- $who := list }}
{{- range $idx }}
{{- $who = append $who (printf "models[%d] %q" . (index $.Values.models .).name) }}
{{- end }}
{{- fail (printf "routes.maxRulesPerRoute: AIGatewayRoute %q would hold %d rules, over the limit of %d: %s. Pin some of these models to another route with models[i].route, or raise routes.buckets (which moves unpinned models between routes)" $rn (len $idx) $max (join ", " $who)) }}
{{- end }}
{{- end }}
{{- range $j, $ref := .Values.trafficPolicy.extraTargetRefs }}
{{- if and (eq ($ref.kind | default "HTTPRoute") "HTTPRoute") (hasKey $plan $ref.name) }}
{{- fail (printf "trafficPolicy.extraTargetRefs[%d].name: HTTPRoute %q is reserved: the AI Gateway controller generates it from the AIGatewayRoute of the same name; list only HTTPRoutes this chart does not generate" $j $ref.name) }}
{{- end }}
{{- end }}
{{- toJson $plan }}
{{- end }}

{{/*
Backend hostname and port as a dict {kind: fqdn|ip, host, port}: service shortcut → FQDN in the cluster domain.
  {{- $ep := include "llm-gateway.endpoint" (dict "ctx" $ "backend" $b) | fromJson }}
*/}}
{{- define "llm-gateway.endpoint" -}}
{{- $b := .backend }}
{{- if $b.service }}
{{- $ns := $b.service.namespace | default .ctx.Release.Namespace }}
{{- toJson (dict "kind" "fqdn" "host" (printf "%s.%s.svc.%s" $b.service.name $ns .ctx.Values.clusterDomain) "port" ($b.service.port | default 5000)) }}
{{- else if $b.fqdn }}
{{- toJson (dict "kind" "fqdn" "host" $b.fqdn.hostname "port" $b.fqdn.port) }}
{{- else }}
{{- toJson (dict "kind" "ip" "host" $b.ip.address "port" $b.ip.port) }}
{{- end }}
{{- end }}

{{/*
A Gateway API duration ("1h30m", "100ms") in milliseconds, as a string ("" stays "0").
  {{ include "llm-gateway.durationMs" "1200s" | int64 }}
*/}}
{{- define "llm-gateway.durationMs" -}}
{{- $ms := int64 0 }}
{{- $unit := dict "h" 3600000 "m" 60000 "s" 1000 "ms" 1 }}
{{- range regexFindAll "[0-9]+(ms|h|m|s)" (toString .) -1 }}
{{- $n := regexFind "^[0-9]+" . }}
{{- $ms = add $ms (mul (int64 $n) (index $unit (trimPrefix $n .))) }}
{{- end }}
{{- $ms }}
{{- end }}

{{/*
TLS of one backend as JSON {on, sni, caKind, caName, insecure, clientCert, clientCertNs, minVersion, port}: on by default for port 443 (the guide's
external providers), off otherwise, unless tls.enabled says; SNI defaults to the backend's host name.
  {{- $tls := include "llm-gateway.tls" (dict "ctx" $ "backend" $b) | fromJson }}
*/}}
{{- define "llm-gateway.tls" -}}
{{- $ep := include "llm-gateway.endpoint" . | fromJson }}
{{- $t := .backend.tls | default dict }}
{{- $on := eq (int $ep.port) 443 }}
{{- if hasKey $t "enabled" }}{{ $on = $t.enabled }}{{ end }}
{{- $sni := $t.sni | default (ternary $ep.host "" (eq $ep.kind "fqdn")) }}
{{- $ca := $t.caCertificateRef | default dict }}
{{- toJson (dict "on" $on "sni" $sni "caKind" ($ca.kind | default "") "caName" ($ca.name | default "") "insecure" ($t.insecureSkipVerify | default false) "clientCert" (($t.clientCertificateRef | default dict).name | default "") "clientCertNs" (($t.clientCertificateRef | default dict).namespace | default "") "minVersion" ($t.minVersion | default "") "port" (int $ep.port)) }}
{{- end }}

{{/*
Whether a model has fallback backends: backendRefs of more than one priority ("true" or "").
  {{- if include "llm-gateway.hasFallback" $m }}
*/}}
{{- define "llm-gateway.hasFallback" -}}
{{- $p := dict }}
{{- range .backendRefs }}{{ $_ := set $p (toString (.priority | default 0)) true }}{{ end }}
{{- if gt (len $p) 1 }}true{{ end }}
{{- end }}

{{/*
Whether any model has fallback backends ("true" or "").
  {{- if include "llm-gateway.anyFallback" . }}
*/}}
{{- define "llm-gateway.anyFallback" -}}
{{- range .Values.models }}{{ if include "llm-gateway.hasFallback" . }}true{{ break }}{{ end }}{{ end }}
{{- end }}

{{/*
Checks of backends' TLS and of how a model's backends share a cluster. Called from llm-gateway.validate.
*/}}
{{- define "llm-gateway.validateTraffic" -}}
{{- range $key := keys .Values.backends | sortAlpha }}
{{- $b := index $.Values.backends $key }}
{{- if not (include "llm-gateway.isPool" $b) }}
{{- $tls := include "llm-gateway.tls" (dict "ctx" $ "backend" $b) | fromJson }}
{{- $t := $b.tls | default dict }}
{{- if and (not $tls.on) (or $t.sni $t.caCertificateRef $t.insecureSkipVerify $t.clientCertificateRef $t.minVersion) }}
{{- fail (printf "backends.%s.tls: sni, caCertificateRef, insecureSkipVerify, clientCertificateRef and minVersion apply only with TLS, which is off (tls.enabled false, or port %d is not 443); set tls.enabled: true or remove them" $key (int $tls.port)) }}
{{- end }}
{{- if and $tls.on (not $tls.sni) }}
{{- fail (printf "backends.%s.tls.sni: required for an ip backend with TLS (there is no host name to send as SNI and to verify the certificate against); set the server name, or tls.enabled: false" $key) }}
{{- end }}
{{- if and $t.caCertificateRef $t.insecureSkipVerify }}
{{- fail (printf "backends.%s.tls: caCertificateRef and insecureSkipVerify exclude each other (the Backend CRD refuses both); keep one" $key) }}
{{- end }}
{{- end }}
{{- end }}
{{- range $i, $m := .Values.models }}
{{- $kinds := dict }}
{{- range $m.backendRefs }}
{{- with index $.Values.backends .name }}{{ $_ := set $kinds (ternary "ip" "host name" (hasKey . "ip")) true }}{{ end }}
{{- end }}
{{- if gt (len $kinds) 1 }}
{{- $ips := list }}{{ $hosts := list }}
{{- range $m.backendRefs }}{{ if hasKey (index $.Values.backends .name) "ip" }}{{ $ips = append $ips .name }}{{ else }}{{ $hosts = append $hosts .name }}{{ end }}{{ end }}
{{- fail (printf "models[%d].backendRefs: %q mixes ip backends (%s) with host-name backends (%s). Envoy Gateway cannot put both in one cluster: it splits the rule into one cluster per backend and shares requests between them by weight, so a priority fallback would take live traffic and a retry could not move to another backend. Give the ip backend an fqdn (a DNS name for the address), or serve them as separate models" $i $m.name (join ", " $ips) (join ", " $hosts)) }}
{{- end }}
{{- end }}
{{- $tp := .Values.trafficPolicy }}
{{- if $tp.enabled }}
{{- $r := $tp.retry | default dict }}
{{- $on := ($r.retryOn | default dict) }}
{{- if and $on.httpStatusCodes (not (has "retriable-status-codes" ($on.triggers | default list))) }}
{{- fail (printf "trafficPolicy.retry.retryOn.httpStatusCodes: %v are never retried without the retriable-status-codes trigger in trafficPolicy.retry.retryOn.triggers (Envoy retries listed codes only with it); add the trigger or remove the codes" $on.httpStatusCodes) }}
{{- end }}
{{- $bo := (($r.perRetry | default dict).backOff | default dict) }}
{{- range $k := list "baseInterval" "maxInterval" }}
{{- if and (hasKey $bo $k) (eq (include "llm-gateway.durationMs" (index $bo $k) | int64) 0) }}
{{- fail (printf "trafficPolicy.retry.perRetry.backOff.%s: %q is 0; Envoy Gateway rejects the whole BackendTrafficPolicy for it (\"%s cannot be set to 0s\") and every route it targets answers 500. Use a positive duration, e.g. 100ms" $k (toString (index $bo $k)) $k) }}
{{- end }}
{{- end }}
{{- if and $bo.baseInterval $bo.maxInterval (gt (include "llm-gateway.durationMs" $bo.baseInterval | int64) (include "llm-gateway.durationMs" $bo.maxInterval | int64)) }}
{{- fail (printf "trafficPolicy.retry.perRetry.backOff.baseInterval: %s is above maxInterval %s; Envoy Gateway rejects the whole BackendTrafficPolicy for it (\"maxInterval cannot be less than baseInterval\") and every route it targets answers 500. Lower baseInterval or raise maxInterval" $bo.baseInterval $bo.maxInterval) }}
{{- end }}
{{- if and (include "llm-gateway.anyFallback" $) (hasKey $r "numAttemptsPerPriority") (eq (int $r.numAttemptsPerPriority) 0) }}
{{- fail "trafficPolicy.retry.numAttemptsPerPriority: 0 keeps every retry on priority 0, so the fallback backends of the models are never tried by a retry; remove it (trafficPolicy.failover.numAttemptsPerPriority then applies) or set 1 or more" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Whether a backend is an InferencePool ("true" or ""): llm-gateway renders no AIServiceBackend or Backend for it, and
a model's rule references the pool itself (AIGatewayRoute backendRefs group inference.networking.k8s.io, kind
InferencePool), whose endpoint picker chooses the pod of each request.
  {{- if include "llm-gateway.isPool" $b }}
*/}}
{{- define "llm-gateway.isPool" -}}
{{- if .inferencePool }}true{{ end }}
{{- end }}

{{/*
Checks of InferencePool backends and of the models that use them, as a YAML list of problems each naming its key.
The AIGatewayRoute CRD of Envoy AI Gateway v1.1.0 allows "only one InferencePool backend ... per rule" and "cannot mix
InferencePool and AIServiceBackend references in the same rule" (CEL rules on spec.rules[]), and ignores
modelNameOverride and priority on an InferencePool reference; a pool backend has no Backend object, so nothing takes
an API key, TLS settings or a schema for it.
  {{- $errors = concat $errors (include "llm-gateway.validatePools" . | fromYamlArray) }}
*/}}
{{- define "llm-gateway.validatePools" -}}
{{- $e := list }}
{{- range $key := keys .Values.backends | sortAlpha }}
{{- $b := index $.Values.backends $key }}
{{- if include "llm-gateway.isPool" $b }}
{{- range $k := list "apiKeySecret" "tls" "schema" }}
{{- if hasKey $b $k }}
{{- $e = append $e (printf "backends.%s.%s: an inferencePool backend gets no Backend or AIServiceBackend object, so %s has nothing to apply to (the gateway reaches the pool's pods directly, in plaintext OpenAI, as the endpoint picker chooses); remove it, or publish the model's Service instead (backends.%s.service)" $key $k $k $key) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- range $i, $m := .Values.models }}
{{- $pools := list }}
{{- range $m.backendRefs }}{{ if include "llm-gateway.isPool" (index $.Values.backends .name | default dict) }}{{ $pools = append $pools .name }}{{ end }}{{ end }}
{{- if and $pools (gt (len $m.backendRefs) 1) }}
{{- $e = append $e (printf "models[%d].backendRefs: %q lists %d backends, and the InferencePool backends among them are: %s. Envoy AI Gateway v1.1.0 allows one InferencePool per rule and no other backend beside it (AIGatewayRoute CEL rules 'only one InferencePool backend is allowed per rule' and 'cannot mix InferencePool and AIServiceBackend references in the same rule'), so there is no failover from a pool to another pool or backend; failover happens inside the pool, where the endpoint picker skips pods that are not ready. Keep the pool as the model's only backend, or publish the other backend as a separate model" $i $m.name (len $m.backendRefs) (join ", " $pools)) }}
{{- end }}
{{- range $j, $ref := $m.backendRefs }}
{{- if include "llm-gateway.isPool" (index $.Values.backends $ref.name | default dict) }}
{{- if $ref.modelNameOverride }}
{{- $e = append $e (printf "models[%d].backendRefs[%d].modelNameOverride: Envoy AI Gateway v1.1.0 ignores it on an InferencePool reference (the request reaches the pod with the public name %q unchanged); remove it and make the engine serve the public name (llm-model model.servedModelNames)" $i $j $m.name) }}
{{- end }}
{{- if gt (int ($ref.priority | default 0)) 0 }}
{{- $e = append $e (printf "models[%d].backendRefs[%d].priority: Envoy AI Gateway v1.1.0 ignores priority on an InferencePool reference, so a pool cannot be a fallback; remove it" $i $j) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- toYaml $e }}
{{- end }}

{{/*
NOTES lines about the models routed through InferencePools: how the picker decides and what happens while it is
down (Envoy AI Gateway v1.1.0 builds the pool's ext-proc filter with failure_mode_allow false and a 300s message
timeout, internal/extensionserver/inferencepool.go, whatever the pool's failureMode says).
  {{- include "llm-gateway.pool.notes" . }}
*/}}
{{- define "llm-gateway.pool.notes" -}}
{{- $users := list }}
{{- range .Values.models }}{{ $m := . }}{{ range .backendRefs }}{{ if include "llm-gateway.isPool" (index $.Values.backends .name | default dict) }}{{ $users = append $users $m.name }}{{ end }}{{ end }}{{ end }}
{{- if $users }}

Through InferencePools ({{ join ", " $users }}): each request goes to the pool's endpoint picker first (ext-proc), which
chooses the pod by prefix-cache hits, queue length and free KV cache; the request reaches the engine with its public
model name unchanged. While a picker is down its model's requests fail (HTTP 500): Envoy AI Gateway {{ .Chart.AppVersion }} fails
closed whatever the pool's failureMode says.
{{- end }}
{{- end }}
