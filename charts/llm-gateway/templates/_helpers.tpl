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
{{- $errors := include "llm-gateway.contradictions" . | fromYamlArray }}
{{- if $errors }}
{{- fail (printf "\n%s" (join "\n" $errors)) }}
{{- end }}
{{- end }}

{{/*
Contradictions between keys, as a YAML list of problems each naming its key: a fallback backendRef that is the
model's primary itself, backendRefs of one priority all at weight 0, retry status codes without the trigger that
retries them, a back-off base over its maximum, and a test model no rule serves (Secret names are
DNS names by the schema).
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
{{- if $v.trafficPolicy.enabled }}
{{- $r := $v.trafficPolicy.retry | default dict }}
{{- $on := $r.retryOn | default dict }}
{{- if and $on.httpStatusCodes (not (has "retriable-status-codes" ($on.triggers | default list))) }}
{{- $e = append $e (printf "trafficPolicy.retry.retryOn.httpStatusCodes %v are never retried: Envoy retries status codes only with the retriable-status-codes trigger; add it to trafficPolicy.retry.retryOn.triggers" $on.httpStatusCodes) }}
{{- end }}
{{- $b := (($r.perRetry | default dict).backOff) | default dict }}
{{- if and $b.baseInterval $b.maxInterval }}
{{- if gt (int64 (include "llm-gateway.durationMs" $b.baseInterval)) (int64 (include "llm-gateway.durationMs" $b.maxInterval)) }}
{{- $e = append $e (printf "trafficPolicy.retry.perRetry.backOff.baseInterval %s is over maxInterval %s; the base must not exceed the maximum" $b.baseInterval $b.maxInterval) }}
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
{{- toYaml $e }}
{{- end }}

{{/*
A Gateway API duration ("1h30m", "500ms", "10s") in milliseconds.
  {{ include "llm-gateway.durationMs" "1200s" }} → 1200000
*/}}
{{- define "llm-gateway.durationMs" -}}
{{- $ms := 0 }}
{{- $unit := dict "h" 3600000 "m" 60000 "s" 1000 "ms" 1 }}
{{- range $p := regexFindAll "[0-9]+(ms|h|m|s)" (toString .) -1 }}
{{- $u := regexFind "(ms|h|m|s)$" $p }}
{{- $ms = add $ms (mul (int64 (trimSuffix $u $p)) (get $unit $u)) }}
{{- end }}
{{- $ms }}
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
