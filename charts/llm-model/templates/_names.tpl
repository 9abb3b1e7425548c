{{/*
Full name: the Service name and the StatefulSet name prefix, at most 52 characters so that a StatefulSet named after
it keeps its `controller-revision-hash` label (name + "-" + 10 characters) within 63. A longer name (a long release
name) is shortened with a hash suffix ("llm-model.shortName"), never cut bare: two long release names that share
their first 52 characters still get different names. (fullnameOverride is at most 52 by the schema.)
Usage: {{ include "llm-model.fullname" . }}
*/}}
{{- define "llm-model.fullname" -}}
{{- $full := .Values.fullnameOverride }}
{{- if not $full }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- $full = ternary .Release.Name (printf "%s-%s" .Release.Name $name) (contains $name .Release.Name) }}
{{- end }}
{{- include "llm-model.shortName" (dict "name" $full "max" 52) }}
{{- end }}

{{/*
A name of at most `max` characters: unchanged when short enough, else cut to leave room for "-" and the first 8 hex
digits of its SHA-256, which keeps long names distinct and stable (a cut alone could make two names equal). The Go
side (values.HashedName, internal/values/names.go) computes the same.
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
The StatefulSet name of a group's rank (leader or worker): the leader (or the only StatefulSet of a single-node group) is named after
the group; the workers of a multi-node group get "-workers".
Usage: {{ include "llm-model.rankName" (dict "group" $g "rank" $rank) }}
*/}}
{{- define "llm-model.rankName" -}}
{{- if eq .rank "worker" }}{{ printf "%s-workers" .group.workloadName }}{{ else }}{{ .group.workloadName }}{{ end }}
{{- end }}

{{/*
Name of the headless Service that gives rank 0 of each multi-node instance its DNS name.
Usage: {{ include "llm-model.ranksServiceName" $g }} where $g comes from llm-model.groups.
*/}}
{{- define "llm-model.ranksServiceName" -}}
{{- printf "%s-ranks" .workloadName }}
{{- end }}
