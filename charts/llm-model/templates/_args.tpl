{{/*
The engine's argument list for one resolved resource group, as a YAML list of strings: every flag and every value is
its own item, so nothing is shell-quoted (not even the JSON of --hf-overrides). This is the one place where values
become engine flags: the engine's own partial (_engine_<engine>.tpl) answers, and its rows (_engines.tpl, generated
from internal/engine/specs) fix the order.
Usage: {{ include "llm-model.args" (dict "root" $ "group" $g "rank" "leader"|"worker") | nindent 12 }}
*/}}
{{- define "llm-model.args" -}}
{{- $args := include (printf "llm-model.%s.args" .root.Values.engine) . | fromYamlArray }}
{{- toYaml $args }}
{{- end }}

{{/*
The engine's data from _engines.tpl (generated from internal/engine/specs): entrypoint, repository, port, apiKeyEnv,
defaultRelease, keys (the rows), rankFlags, aliases, keyOf.
Usage: {{ $e := include "llm-model.engine" $ | fromYaml }}
*/}}
{{- define "llm-model.engine" -}}
{{- include (printf "llm-model.engines.%s" .Values.engine) . }}
{{- end }}

{{/*
The names of every engine the chart knows (the keys of _engines.tpl), sorted; each also names its values block
(.Values.<engine>, resourceGroups[].<engine>).
Usage: {{ range $name := include "llm-model.engineNames" $ | fromYamlArray }}
*/}}
{{- define "llm-model.engineNames" -}}
{{- toYaml (keys (include "llm-model.engines" . | fromYaml) | sortAlpha) }}
{{- end }}

{{/*
The engine's arguments from its rows, in row order, then serving.extraArgs. A plain row (no logic, no fixed value) is
rendered here by its type from the values key (or, with `from`, the resolved group's field: tp, pp, dp, dcp); a fixed
row renders its value; a row with logic is rendered by the engine's piece "llm-model.<engine>.arg.<logic>" (in
_engine_<engine>.tpl), which gets the row. Rows marked frontend are left out on a rank that runs no API server (a
vLLM worker rank runs headless). Values keys under serving, vllm, sglang (blocks a resource group overrides) are read
from the resolved group, the others from .Values.
Usage: {{ include "llm-model.engineArgs" (dict "root" $ "group" $g "rank" "leader"|"worker") | fromYamlArray }}
*/}}
{{- define "llm-model.engineArgs" -}}
{{- $v := .root.Values }}
{{- $g := .group }}
{{- $e := include "llm-model.engine" .root | fromYaml }}
{{- $api := ne .rank "worker" }}
{{- $a := list }}
{{- range $r := $e.keys }}
{{- if or $api (not $r.frontend) }}
{{- if $r.logic }}
{{- $a = concat $a (include (printf "llm-model.%s.arg.%s" $v.engine $r.logic) (dict "root" $.root "group" $g "rank" $.rank "row" $r) | fromYamlArray) }}
{{- else if $r.fixed }}
{{- $a = concat $a (list $r.flag $r.fixed) }}
{{- else }}
{{- $x := "" }}
{{- if $r.from }}
{{- $x = get $g $r.from }}
{{- else }}
{{- $path := splitList "." $r.key }}
{{- $x = ternary $g $v (hasKey $g (first $path)) }}
{{- range $p := $path }}{{ $x = index ($x | default dict) $p }}{{ end }}
{{- end }}
{{- $a = concat $a (include "llm-model.plainArg" (dict "row" $r "value" $x) | fromYamlArray) }}
{{- end }}
{{- end }}
{{- end }}
{{- range $g.serving.extraArgs }}{{ $a = append $a (toString .) }}{{ end }}
{{- toYaml $a }}
{{- end }}

{{/*
One row's words from its value, by the row's type (internal/engine/spec.go ValueType): int `--flag N` (only above
`above` when set), float `--flag X`, string `--flag S` (through the row's map when it has one), each omitted when null
or empty; bool `--flag` when true; negatable `--flag` / `--no-flag`, nothing when null; when `--flag` when the
value is the row's `when`; words `--flag` and one word per item; json `--flag` and the value as one JSON word.
Usage: {{ include "llm-model.plainArg" (dict "row" $row "value" $x) | fromYamlArray }}
*/}}
{{- define "llm-model.plainArg" -}}
{{- $r := .row }}
{{- $x := .value }}
{{- $set := not (kindIs "invalid" $x) }}
{{- $a := list }}
{{- if eq $r.type "int" }}
{{- if and $set (or (not (hasKey $r "above")) (gt (int64 $x) (int64 $r.above))) }}{{ $a = list $r.flag (toString (int64 $x)) }}{{ end }}
{{- else if eq $r.type "float" }}
{{- if $set }}{{ $a = list $r.flag (toString $x) }}{{ end }}
{{- else if eq $r.type "string" }}
{{- with $x }}{{ $a = list $r.flag (ternary (get ($r.map | default dict) (toString .)) (toString .) (hasKey $r "map")) }}{{ end }}
{{- else if eq $r.type "bool" }}
{{- if $x }}{{ $a = list $r.flag }}{{ end }}
{{- else if eq $r.type "negatable" }}
{{- if $set }}{{ $a = list (ternary $r.flag (printf "--no-%s" (trimPrefix "--" $r.flag)) $x) }}{{ end }}
{{- else if eq $r.type "when" }}
{{- if and $set (eq (toString $x) $r.when) }}{{ $a = list $r.flag }}{{ end }}
{{- else if eq $r.type "words" }}
{{- with $x }}{{ $a = concat (list $r.flag) . }}{{ end }}
{{- else if eq $r.type "json" }}
{{- with $x }}{{ $a = list $r.flag (toJson .) }}{{ end }}
{{- end }}
{{- toYaml $a }}
{{- end }}

{{/*
Engine-neutral pieces for rows with logic, which each engine's "llm-model.<engine>.arg.<logic>" may answer with.
The engine's HTTP port (llm-model.enginePort).
Usage: {{ include "llm-model.arg.enginePort" (dict "root" $ "group" $g "row" $row) | fromYamlArray }}
*/}}
{{- define "llm-model.arg.enginePort" -}}
{{- toYaml (list .row.flag (include "llm-model.enginePort" .root.Values)) }}
{{- end }}

{{/*
The model source and loading rows: storage.hubCacheDir (--download-dir) and model.revision when the engine resolves a
Hub id, model.loadFormat (runai_streamer for object storage unless set).
Usage: {{ include "llm-model.arg.source" (dict "root" $ "group" $g "row" $row) | fromYamlArray }}
*/}}
{{- define "llm-model.arg.source" -}}
{{- $v := .root.Values }}
{{- $hub := eq (include "llm-model.modelArg" $v) $v.model.name }}
{{- $a := list }}
{{- if eq .row.key "storage.hubCacheDir" }}
{{- if $hub }}{{ $a = list .row.flag (include "llm-model.hubCacheDir" $v) }}{{ end }}
{{- else if eq .row.key "model.revision" }}
{{- if $hub }}{{ with $v.model.revision }}{{ $a = list $.row.flag . }}{{ end }}{{ end }}
{{- else if eq .row.key "model.loadFormat" }}
{{- $format := $v.model.loadFormat }}
{{- if and (not $format) (eq $v.model.source.type "s3") }}{{ $format = "runai_streamer" }}{{ end }}
{{- with $format }}{{ $a = list $.row.flag . }}{{ end }}
{{- end }}
{{- toYaml $a }}
{{- end }}

{{/*
The served names (llm-model.servedNames): every name after one flag for a words row, the first for a string row.
Usage: {{ include "llm-model.arg.servedNames" (dict "root" $ "group" $g "row" $row) | fromYamlArray }}
*/}}
{{- define "llm-model.arg.servedNames" -}}
{{- $a := list }}
{{- with include "llm-model.servedNames" .root.Values | fromYamlArray }}
{{- $a = ternary (concat (list $.row.flag) .) (list $.row.flag (first .)) (eq $.row.type "words") }}
{{- end }}
{{- toYaml $a }}
{{- end }}

{{/*
LoRA rows from `lora` (checked in the engine's validate): with lora.adapters or lora.runtimeUpdates, the `lora` row
(--enable-lora), the adapters as name=source words after one flag, sorted by name, and the limits by their type.
Usage: {{ include "llm-model.arg.lora" (dict "root" $ "group" $g "row" $row) | fromYamlArray }}
*/}}
{{- define "llm-model.arg.lora" -}}
{{- $l := .root.Values.lora }}
{{- $a := list }}
{{- if or $l.adapters $l.runtimeUpdates }}
{{- if eq .row.key "lora" }}
{{- $a = list .row.flag }}
{{- else if eq .row.key "lora.adapters" }}
{{- if $l.adapters }}
{{- $a = list .row.flag }}
{{- range $name := keys $l.adapters | sortAlpha }}{{ $a = append $a (printf "%s=%s" $name (get $l.adapters $name)) }}{{ end }}
{{- end }}
{{- else }}
{{- $a = include "llm-model.plainArg" (dict "row" .row "value" (index $l (trimPrefix "lora." .row.key))) | fromYamlArray }}
{{- end }}
{{- end }}
{{- toYaml $a }}
{{- end }}

{{/*
The container command. A single-node pod without pre-start commands runs the engine directly. Otherwise bash runs the
pre-start commands, works out the pod's rank in a multi-node instance, and `exec`s the engine with "$@" (the same
argument list, args:) followed by the rank flags, so no flag is ever re-quoted.
Ranks: the leader StatefulSet's pod i is rank 0 of instance i; the workers StatefulSet's pod j is rank 1 + j % (n-1)
of instance j / (n-1), where n is the nodes per instance. Workers reach rank 0 at
<leader StatefulSet>-<instance>.<headless Service>.<namespace>.svc.<clusterDomain>, and write that address to
/tmp/llm-leader for their probes.
In LeaderWorkerSet mode the rank, the group size and rank 0's address come from the variables LWS sets instead
(LWS_WORKER_INDEX, LWS_LEADER_ADDRESS; --nnodes is the rendered size).
Usage: {{ include "llm-model.command" (dict "root" $ "group" $g "rank" "leader"|"worker") | nindent 12 }}
*/}}
{{- define "llm-model.command" -}}
{{- $v := .root.Values }}
{{- $g := .group }}
{{- /* The engine's entry point (_engines.tpl; why vLLM's is `vllm serve`: _engine_vllm.tpl). */}}
{{- $engine := (include "llm-model.engine" .root | fromYaml).entrypoint }}
{{- $lines := list "set -e" }}
{{- $lines = concat $lines ($g.serving.preStartCommands | default list) }}
{{- $rankFlags := "" }}
{{- $nodes := int $g.nodes }}
{{- if gt $nodes 1 }}
{{- if $g.leaderWorkerSet }}
{{- /* LeaderWorkerSet mode: the LWS webhook sets these in every container (lws v0.10.0
pkg/utils/pod/pod_utils.go AddLWSVariables): LWS_WORKER_INDEX (0 on the leader, 1..size-1 on the workers),
LWS_GROUP_SIZE (leaderWorkerTemplate.size) and LWS_LEADER_ADDRESS (<lws>-<group>.<subdomain>.<namespace>). --nnodes stays the rendered count (= leaderWorkerTemplate.size,
from the same value), which the flag-table tests can check. */}}
{{- $lines = concat $lines (list "RANK=$LWS_WORKER_INDEX" "LEADER=$LWS_LEADER_ADDRESS") }}
{{- else }}
{{- $host := printf "%s-${INSTANCE}.%s.%s.svc.%s" $g.workloadName (include "llm-model.ranksServiceName" $g) $.root.Release.Namespace $v.clusterDomain }}
{{- if eq .rank "worker" }}
{{- $lines = append $lines (printf "INSTANCE=$((POD_INDEX / %d))" (sub $nodes 1)) }}
{{- $lines = append $lines (printf "RANK=$((1 + POD_INDEX %% %d))" (sub $nodes 1)) }}
{{- else }}
{{- $lines = concat $lines (list "INSTANCE=$POD_INDEX" "RANK=0") }}
{{- end }}
{{- $lines = append $lines (printf "LEADER=%s" $host) }}
{{- end }}
{{- $lines = append $lines "echo \"$LEADER\" > /tmp/llm-leader" }}
{{- $rankFlags = include (printf "llm-model.%s.rankFlags" $v.engine) (dict "root" .root "group" $g "rank" .rank) }}
{{- end }}
{{- if eq (len $lines) 1 }}
{{- toYaml $engine }}
{{- else }}
{{- $lines = append $lines (printf "exec %s \"$@\"%s" (join " " $engine) $rankFlags) }}
{{- toYaml (list "bash" "-c" (join "\n" $lines) "engine") }}
{{- end }}
{{- end }}

{{/*
Environment variables of one resolved group, as a YAML list of EnvVar: the chart's own (engine caches, and the
engine's: "llm-model.<engine>.env", e.g. pipeline timeouts, CPU offload, long context) merged with serving.env (which
wins), sorted by name; then the single-key secret references (the API key as the engine's apiKeyEnv).
Usage: {{ include "llm-model.env" (dict "root" $ "group" $g) | nindent 12 }}
*/}}
{{- define "llm-model.env" -}}
{{- $v := .root.Values }}
{{- $g := .group }}
{{- $env := include "llm-model.cacheEnv" .root | fromYaml }}
{{- range $k, $val := include (printf "llm-model.%s.env" $v.engine) . | fromYaml }}{{ $_ := set $env $k $val }}{{ end }}
{{- range $k, $val := $g.serving.env }}{{ $_ := set $env $k (include "llm-model.envString" $val) }}{{ end }}
{{- $list := list }}
{{- if and (gt (int $g.nodes) 1) (not $g.leaderWorkerSet) }}
{{- $list = append $list (dict "name" "POD_INDEX" "valueFrom" (dict "fieldRef" (dict "fieldPath" "metadata.labels['apps.kubernetes.io/pod-index']"))) }}
{{- end }}
{{- range $k := keys $env | sortAlpha }}
{{- $list = append $list (dict "name" $k "value" (get $env $k)) }}
{{- end }}
{{- with $v.credentials.hfToken.secretName }}
{{- $list = append $list (dict "name" "HF_TOKEN" "valueFrom" (dict "secretKeyRef" (dict "name" . "key" $v.credentials.hfToken.key))) }}
{{- end }}
{{- with $v.credentials.apiKey.secretName }}
{{- $list = append $list (dict "name" (include "llm-model.engine" $.root | fromYaml).apiKeyEnv "valueFrom" (dict "secretKeyRef" (dict "name" . "key" $v.credentials.apiKey.key))) }}
{{- end }}
{{- $list = concat $list (include "llm-model.sourceEnv" $v | fromYamlArray) }}
{{- if $list }}{{ toYaml $list }}{{ end }}
{{- end }}

{{/*
The engines' compile and JIT caches on the persistent volume (storage.engineCaches), as a map of variable → path, so
a restarted pod reuses them and they never fill the node's disk through the container's writable layer:
XDG_CACHE_HOME is the volume's mount path (~/.cache of huggingface_hub, whose hub directory is then --download-dir,
of vLLM and of FlashInfer), and the caches that ignore XDG get their own directory: Triton's kernels (default
~/.triton/cache), PyTorch Inductor's torch.compile output (default /tmp/torchinductor_<user>), FlashInfer's JIT
workspace (FLASHINFER_WORKSPACE_BASE/.cache/flashinfer, default the home directory); an engine's own cache
variables come with its env ("llm-model.<engine>.env").
Usage: {{ $env := include "llm-model.cacheEnv" $ | fromYaml }}
*/}}
{{- define "llm-model.cacheEnv" -}}
{{- $env := dict }}
{{- if .Values.storage.engineCaches }}
{{- $dir := trimSuffix "/" .Values.storage.mountPath }}
{{- $_ := set $env "XDG_CACHE_HOME" $dir }}
{{- $_ := set $env "TRITON_CACHE_DIR" (printf "%s/triton" $dir) }}
{{- $_ := set $env "TORCHINDUCTOR_CACHE_DIR" (printf "%s/torchinductor" $dir) }}
{{- $_ := set $env "FLASHINFER_WORKSPACE_BASE" $dir }}
{{- end }}
{{- /* A hub directory other than the default layout: huggingface_hub (config, tokenizer) must look there too. */}}
{{- if not (has (.Values.storage.hubCacheDir | default "huggingface/hub") (list "huggingface/hub" "huggingface/hub/")) }}{{ $_ := set $env "HF_HUB_CACHE" (include "llm-model.hubCacheDir" .Values) }}{{ end }}
{{- toYaml $env }}
{{- end }}
