{{/*
Chart name, cut to 63 characters.
Usage: {{ include "llm-model.name" . }}
*/}}
{{- define "llm-model.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name: the Service name and the StatefulSet name prefix. Cut to 52 characters so that a StatefulSet named after
it keeps its `controller-revision-hash` label (name + "-" + 10 characters) within 63.
Usage: {{ include "llm-model.fullname" . }}
*/}}
{{- define "llm-model.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart name and version, for the helm.sh/chart label.
Usage: {{ include "llm-model.chart" . }}
*/}}
{{- define "llm-model.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Selector labels shared by every object of the release. Never add a version here: selectors are immutable.
Usage: {{ include "llm-model.selectorLabels" . }}
*/}}
{{- define "llm-model.selectorLabels" -}}
app.kubernetes.io/name: {{ include "llm-model.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Common labels: the standard app.kubernetes.io ones, plus the guide's `component: llm` and `service-group`.
Usage: {{ include "llm-model.labels" . }}
*/}}
{{- define "llm-model.labels" -}}
helm.sh/chart: {{ include "llm-model.chart" . }}
{{ include "llm-model.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: llm-charts
component: llm
service-group: {{ include "llm-model.fullname" . }}
{{- end }}

{{/*
Labels of one resource group's StatefulSet and pods: the common labels plus `app: <statefulset name>`.
Usage: {{ include "llm-model.groupLabels" (dict "root" $ "group" $g) }} where $g comes from llm-model.groups.
*/}}
{{- define "llm-model.groupLabels" -}}
{{ include "llm-model.labels" .root }}
app: {{ .group.workloadName }}
{{- end }}

{{/*
Selector labels of one resource group's StatefulSet: the release's selector labels plus `app`. Minimal and stable:
nothing here changes on upgrade.
Usage: {{ include "llm-model.groupSelectorLabels" (dict "root" $ "group" $g) }}
*/}}
{{- define "llm-model.groupSelectorLabels" -}}
{{ include "llm-model.selectorLabels" .root }}
app: {{ .group.workloadName }}
{{- end }}

{{/*
The engine image reference: repository:tag, where tag is image.tag, or image.version (default appVersion) plus the
CUDA build's suffix.
Usage: {{ include "llm-model.image" . }}
*/}}
{{- define "llm-model.image" -}}
{{- $img := .Values.image }}
{{- $tag := $img.tag }}
{{- if not $tag }}
{{- $suffix := get $img.cudaTagSuffixes $img.cuda }}
{{- $tag = printf "%s%s" (default .Chart.AppVersion $img.version) $suffix }}
{{- end }}
{{- printf "%s:%s" $img.repository $tag }}
{{- end }}

{{/*
Deep merge for values: maps merge key by key (recursively); any other value in `over`, null included, replaces the
one in `base`. Unlike sprig's mergeOverwrite it honours 0, false and "" in `over`.
Usage: {{ $merged := include "llm-model.merge" (dict "base" $a "over" $b) | fromYaml }}
*/}}
{{- define "llm-model.merge" -}}
{{- $out := deepCopy (.base | default dict) }}
{{- range $k, $v := (.over | default dict) }}
{{- $b := get $out $k }}
{{- if and (kindIs "map" $v) (kindIs "map" $b) }}
{{- $_ := set $out $k (include "llm-model.merge" (dict "base" $b "over" $v) | fromYaml) }}
{{- else }}
{{- $_ := set $out $k $v }}
{{- end }}
{{- end }}
{{- toYaml $out }}
{{- end }}
