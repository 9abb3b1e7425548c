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
Name of a generated object: "<fullname>-<suffix>". Over 63 characters it fails, naming the values key that
produced the suffix (a cut name could collide with another object's).
  {{ include "llm-gateway.objectName" (dict "ctx" $ "suffix" $key "key" (printf "backends.%s" $key)) }}
*/}}
{{- define "llm-gateway.objectName" -}}
{{- $n := printf "%s-%s" (include "llm-gateway.fullname" .ctx) .suffix }}
{{- if gt (len $n) 63 }}
{{- fail (printf "%s: the generated name %q is %d characters, over the limit of 63 (a DNS-1123 label); shorten it or set fullnameOverride" .key $n (len $n)) }}
{{- end }}
{{- $n }}
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
