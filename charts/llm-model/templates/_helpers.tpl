{{/*
Chart name, cut to 63 characters.
Usage: {{ include "llm-model.name" . }}
*/}}
{{- define "llm-model.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
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
Common labels: the standard app.kubernetes.io ones, plus the guide's `component: llm`.
Usage: {{ include "llm-model.labels" . }}
*/}}
{{- define "llm-model.labels" -}}
helm.sh/chart: {{ include "llm-model.chart" . }}
{{ include "llm-model.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: llm-charts
component: llm
{{- end }}

{{/*
Selector of the pods that serve requests: every resource group's single-node pods and rank 0 of its multi-node
instances (workers carry no `service-group`). The Service and the InferencePool select through this one define, so a
new workload mode only has to label its serving pods with `service-group`.
Usage: {{ include "llm-model.servingSelectorLabels" . }}
*/}}
{{- define "llm-model.servingSelectorLabels" -}}
{{ include "llm-model.selectorLabels" . }}
service-group: {{ include "llm-model.fullname" . }}
{{- end }}

{{/*
Labels of one resource group's StatefulSet and pods: the common labels, `app: <statefulset name>`, and for pods
that serve requests (single-node pods and rank 0 of multi-node instances) `service-group`, which the Service selects.
Workers of multi-node instances are labelled `llm-charts.io/role: worker` and are never behind the Service.
Usage: {{ include "llm-model.groupLabels" (dict "root" $ "group" $g "rank" "leader"|"worker") }}
*/}}
{{- define "llm-model.groupLabels" -}}
{{ include "llm-model.labels" .root }}
app: {{ include "llm-model.rankName" . }}
{{- if ne .rank "worker" }}
service-group: {{ include "llm-model.fullname" .root }}
{{- end }}
{{- if gt (int .group.nodes) 1 }}
{{- /* The label key stays llm-charts.io/role although the templates now call leader/worker the `rank`: renaming a
label of released workloads changes every multi-node pod template on upgrade (and a selector, which is immutable on a
StatefulSet, could never follow), and the importer and users' queries select by it. Prefill/decode roles will get a
label key of their own, not this one. */}}
llm-charts.io/role: {{ .rank }}
{{- end }}
{{- end }}

{{/*
Selector labels of one resource group's StatefulSet: the release's selector labels plus `app`. Minimal and stable:
nothing here changes on upgrade.
Usage: {{ include "llm-model.groupSelectorLabels" (dict "root" $ "group" $g "rank" "leader"|"worker") }}
*/}}
{{- define "llm-model.groupSelectorLabels" -}}
{{ include "llm-model.selectorLabels" .root }}
app: {{ include "llm-model.rankName" . }}
{{- end }}

{{/*
The engine release the pods run: image.version, else the release image.tag names (its part before the first "-",
when that is vMAJOR.MINOR.PATCH; "" for a tag such as a nightly build that names none), else the engine's default
release (defaultRelease in _engines.tpl, internal/engine/specs; its releases lists those with a flag table).
Usage: {{ include "llm-model.engineVersion" . }}
*/}}
{{- define "llm-model.engineVersion" -}}
{{- $img := .Values.image }}
{{- if $img.tag }}
{{- $v := first (splitList "-" $img.tag) }}
{{- if include "llm-model.isRelease" $v }}{{ $v }}{{ end }}
{{- else }}
{{- default (include "llm-model.engine" . | fromYaml).defaultRelease $img.version }}
{{- end }}
{{- end }}

{{/*
"true" when the string is an engine release, vMAJOR.MINOR.PATCH (internal/engine ParseRelease, without the
optional v); "" otherwise. Build tags, release candidates and nightly names are not releases.
Usage: {{ if include "llm-model.isRelease" $v }}
*/}}
{{- define "llm-model.isRelease" -}}
{{- if regexMatch `^v[0-9]+\.[0-9]+\.[0-9]+$` (toString .) }}true{{ end }}
{{- end }}

{{/*
"true" when a flag table covers the release: its own, or its series' (vLLM: the minor release, whose patches share
their flags; SGLang: the release alone; series in _engines.tpl, internal/flagtable Series); "" otherwise.
Usage: {{ include "llm-model.releaseCovered" (dict "release" "v0.27.0" "engine" $engine) }}
*/}}
{{- define "llm-model.releaseCovered" -}}
{{- $cut := ternary `^$` `\.[0-9]+$` (eq .engine.series "patch") }}
{{- $series := regexReplaceAll $cut .release "" }}
{{- range .engine.releases }}{{ if eq (regexReplaceAll $cut . "") $series }}true{{ break }}{{ end }}{{ end }}
{{- end }}

{{/*
The engine image reference: repository:tag, where repository is image.repository or the engine's own (_engines.tpl),
and tag is image.tag, or the engine release (llm-model.engineVersion) plus the CUDA build's suffix.
Usage: {{ include "llm-model.image" . }}
*/}}
{{- define "llm-model.image" -}}
{{- $img := .Values.image }}
{{- $tag := $img.tag }}
{{- if not $tag }}
{{- $tag = printf "%s%s" (include "llm-model.engineVersion" .) (include "llm-model.tagSuffix" . | fromYaml).suffix }}
{{- end }}
{{- printf "%s:%s" (default (include "llm-model.engine" . | fromYaml).repository $img.repository) $tag }}
{{- end }}

{{/*
The image tag suffix of image.cuda's build: image.cudaTagSuffixes.<engine>.<cuda> where the values set one, else the
engine's scheme for the release (imageTags in _engines.tpl: the newest scheme whose since is not after it; a tag that
names no release takes the oldest). ok is false when neither has the build.
Usage: {{ $s := include "llm-model.tagSuffix" . | fromYaml }} → {suffix: "-cu129", ok: true}
*/}}
{{- define "llm-model.tagSuffix" -}}
{{- $img := .Values.image }}
{{- $cuda := toString $img.cuda }}
{{- $own := get ($img.cudaTagSuffixes | default dict) .Values.engine | default dict }}
{{- if hasKey $own $cuda }}
{{- toYaml (dict "suffix" (toString (get $own $cuda)) "ok" true) }}
{{- else }}
{{- $release := include "llm-model.engineVersion" . }}
{{- $tags := (include "llm-model.engine" . | fromYaml).imageTags }}
{{- $scheme := first $tags }}
{{- if include "llm-model.isRelease" $release }}
{{- range rest $tags }}{{ if semverCompare (printf ">=%s" .since) $release }}{{ $scheme = . }}{{ end }}{{ end }}
{{- end }}
{{- toYaml (dict "suffix" (toString (get $scheme.suffixes $cuda)) "ok" (hasKey $scheme.suffixes $cuda)) }}
{{- end }}
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

{{/*
The Hugging Face hub cache directory the engine downloads to and loads from (`--download-dir`, and `HF_HUB_CACHE` when
it is not where huggingface_hub looks by itself): `storage.hubCacheDir` below the cache volume's mount path, by default
`huggingface/hub`, the layout huggingface_hub uses under ~/.cache (`.` is the mount path itself). Every template that
needs the path (engine flags, download steps) takes it from here.
Usage: {{ include "llm-model.hubCacheDir" .Values }}
*/}}
{{- define "llm-model.hubCacheDir" -}}
{{- $rel := trimSuffix "/" (.storage.hubCacheDir | default "huggingface/hub") }}
{{- $mount := trimSuffix "/" .storage.mountPath }}
{{- if eq $rel "." }}{{ $mount | default "/" }}{{ else }}{{ printf "%s/%s" $mount $rel }}{{ end }}
{{- end }}

{{/*
The port the engine's HTTP server listens on (`--port`, the container port `http` that the Service targets, probes and
in-cluster clients that talk to a pod directly): `service.enginePort`, or `service.port` when that is null.
Usage: {{ include "llm-model.enginePort" .Values }}
*/}}
{{- define "llm-model.enginePort" -}}
{{- if kindIs "invalid" .service.enginePort }}{{ int .service.port }}{{ else }}{{ int .service.enginePort }}{{ end }}
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
