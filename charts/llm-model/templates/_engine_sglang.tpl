{{/*
SGLang's partial: what the chart does for engine sglang beyond its rows in _engines.tpl
(internal/engine/specs/sglang.yaml): `python3 -m sglang.launch_server` with the engine-neutral `serving` block mapped
to its names, plus the `sglang` block.
Defines, called through the engine name: llm-model.sglang.{args,rankFlags,env,resolve,validate,warnings,facts} and
the row pieces llm-model.sglang.arg.<logic>.
*/}}

{{/*
SGLang arguments: the rows in order (llm-model.engineArgs); every rank of a multi-node instance gets the same. The
API key reaches SGLang as `--api-key $(SGLANG_API_KEY)`, which the kubelet expands from the Secret-backed variable,
so the key never appears in the manifest.
Usage: {{ include "llm-model.sglang.args" (dict "root" $ "group" $g "role" "leader"|"worker") | fromYamlArray }}
*/}}
{{- define "llm-model.sglang.args" -}}
{{- include "llm-model.engineArgs" . }}
{{- end }}

{{/*
The rank flags the container command appends on a multi-node instance: the rank count, this pod's rank and rank 0's
address with the rendezvous port (multiNode.port).
Usage: {{ include "llm-model.sglang.rankFlags" (dict "root" $ "group" $g "role" "leader"|"worker") }}
*/}}
{{- define "llm-model.sglang.rankFlags" -}}
{{- printf " --nnodes %d --node-rank \"$RANK\" --dist-init-addr \"$LEADER:%d\"" (int .group.nodes) (int .root.Values.multiNode.port) }}
{{- end }}

{{/*
SGLang's environment, as a map: the long-context switch when serving.hfOverrides extends the context.
Usage: {{ include "llm-model.sglang.env" (dict "root" $ "group" $g) | fromYaml }}
*/}}
{{- define "llm-model.sglang.env" -}}
{{- $env := dict }}
{{- if include "llm-model.hasRope" .group.serving.hfOverrides }}{{ $_ := set $env "SGLANG_ALLOW_OVERWRITE_LONGER_CONTEXT_LEN" "1" }}{{ end }}
{{- toYaml $env }}
{{- end }}

{{/*
SGLang facts the chart's text and triggers use: the gauges an autoscaler reads (SGLang
python/sglang/srt/metrics/collector.py, SchedulerMetricsCollector), the path that loads an adapter at run time, and
what NOTES adds about /metrics.
Usage: {{ $facts := include "llm-model.sglang.facts" $ | fromYaml }}
*/}}
{{- define "llm-model.sglang.facts" -}}
gauges: {queueLength: "sglang:num_queue_reqs", kvCacheUsage: "sglang:token_usage"}
loraLoadPath: load_lora_adapter
metricsNote: " (SGLang runs with --enable-metrics)"
{{- end }}

{{/*
Row pieces (llm-model.engineArgs calls one per row with logic, with the row): the port, --model-path, the source rows,
the served name, the EP size, the distributed timeout, the API key, --enable-metrics, the speculative rows and the
LoRA rows.
Usage: {{ include "llm-model.sglang.arg.<logic>" (dict "root" $ "group" $g "role" $role "row" $row) | fromYamlArray }}
*/}}
{{- define "llm-model.sglang.arg.enginePort" -}}{{ include "llm-model.arg.enginePort" . }}{{- end }}
{{- define "llm-model.sglang.arg.source" -}}{{ include "llm-model.arg.source" . }}{{- end }}
{{- define "llm-model.sglang.arg.servedNames" -}}{{ include "llm-model.arg.servedNames" . }}{{- end }}
{{- define "llm-model.sglang.arg.lora" -}}{{ include "llm-model.arg.lora" . }}{{- end }}

{{- define "llm-model.sglang.arg.modelPath" -}}
{{- toYaml (list .row.flag (include "llm-model.modelArg" .root.Values)) }}
{{- end }}

{{- /* The guide: in SGLang, expert parallelism is an EP size equal to the TP size. */}}
{{- define "llm-model.sglang.arg.expertParallel" -}}
{{- $a := list }}
{{- if .group.serving.enableExpertParallel }}{{ $a = list .row.flag (toString .group.tp) }}{{ end }}
{{- toYaml $a }}
{{- end }}

{{- /* sglang.distTimeoutSeconds, 1200 for a multi-node instance unless set. */}}
{{- define "llm-model.sglang.arg.distTimeout" -}}
{{- $t := .group.sglang.distTimeoutSeconds }}
{{- if and (kindIs "invalid" $t) (gt (int .group.nodes) 1) }}{{ $t = 1200 }}{{ end }}
{{- include "llm-model.plainArg" (dict "row" .row "value" $t) }}
{{- end }}

{{- /* The API key as a reference to the Secret-backed variable the env sets (apiKeyEnv). */}}
{{- define "llm-model.sglang.arg.apiKey" -}}
{{- $a := list }}
{{- if .root.Values.credentials.apiKey.secretName }}{{ $a = list .row.flag (printf "$(%s)" (include "llm-model.engine" .root | fromYaml).apiKeyEnv) }}{{ end }}
{{- toYaml $a }}
{{- end }}

{{- /* SGLang serves /metrics only with --enable-metrics (server_args.py enable_metrics); vLLM always does. A monitor
scrapes it, an autoscaler of this group reads its gauges, and an InferencePool's endpoint picker reads its queue and
KV-cache gauges. */}}
{{- define "llm-model.sglang.arg.metrics" -}}
{{- $v := .root.Values }}
{{- $a := list }}
{{- if or $v.monitoring.serviceMonitor.enabled $v.monitoring.podMonitor.enabled .group.autoscaling.enabled $v.inferencePool.enabled }}{{ $a = list .row.flag }}{{ end }}
{{- toYaml $a }}
{{- end }}

{{/*
Speculative decoding from `speculative` (checked in the validation): --speculative-algorithm (server_args.py choices
EAGLE, EAGLE3, NEXTN, STANDALONE, NGRAM: the row's map), the draft's path and revision, and a chain of
numSpeculativeTokens steps, top-k 1, steps + 1 draft tokens unless set (NGRAM takes only the draft-token count).
*/}}
{{- define "llm-model.sglang.arg.speculative" -}}
{{- $s := .root.Values.speculative }}
{{- $x := .group.sglang }}
{{- $a := list }}
{{- if $s.method }}
{{- $k := int ($s.numSpeculativeTokens | default 1) }}
{{- $chain := ne $s.method "ngram" }}
{{- $key := .row.key }}
{{- if eq $key "speculative.method" }}{{ $a = list .row.flag (get .row.map $s.method) }}
{{- else if eq $key "speculative.draftModel" }}{{ with $s.draftModel }}{{ $a = list $.row.flag . }}{{ end }}
{{- else if eq $key "speculative.draftRevision" }}{{ with $s.draftRevision }}{{ $a = list $.row.flag . }}{{ end }}
{{- else if eq $key "speculative.numSpeculativeTokens" }}{{ if $chain }}{{ $a = list .row.flag (toString $k) }}{{ end }}
{{- else if eq $key "sglang.speculativeEagleTopk" }}{{ if $chain }}{{ $a = list .row.flag (toString (int ($x.speculativeEagleTopk | default 1))) }}{{ end }}
{{- else if eq $key "sglang.speculativeNumDraftTokens" }}{{ $a = list .row.flag (toString (int ($x.speculativeNumDraftTokens | default (add1 $k)))) }}
{{- end }}
{{- end }}
{{- toYaml $a }}
{{- end }}
