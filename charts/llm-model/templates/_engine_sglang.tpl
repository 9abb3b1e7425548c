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
Usage: {{ include "llm-model.sglang.args" (dict "root" $ "group" $g "rank" "leader"|"worker") | fromYamlArray }}
*/}}
{{- define "llm-model.sglang.args" -}}
{{- include "llm-model.engineArgs" . }}
{{- end }}

{{/*
The rank flags the container command appends on a multi-node instance: the rank count, this pod's rank and rank 0's
address with the rendezvous port (multiNode.port).
Usage: {{ include "llm-model.sglang.rankFlags" (dict "root" $ "group" $g "rank" "leader"|"worker") }}
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
what NOTES adds about /metrics, and the speculative tuning keys that need a speculative.method.
Usage: {{ $facts := include "llm-model.sglang.facts" $ | fromYaml }}
*/}}
{{- define "llm-model.sglang.facts" -}}
gauges: {queueLength: "sglang:num_queue_reqs", kvCacheUsage: "sglang:token_usage"}
loraLoadPath: load_lora_adapter
metricsNote: " (SGLang runs with --enable-metrics)"
speculativeTuning: [sglang.speculativeEagleTopk, sglang.speculativeNumDraftTokens]
{{- end }}

{{/*
Row pieces (llm-model.engineArgs calls one per row with logic, with the row): the port, --model-path, the source rows,
the served name, the EP size, the distributed timeout, the API key, --enable-metrics, the speculative rows and the
LoRA rows.
Usage: {{ include "llm-model.sglang.arg.<logic>" (dict "root" $ "group" $g "rank" $rank "row" $row) | fromYamlArray }}
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

{{/*
SGLang's part of resolving a group ("llm-model.resolveGroup"), by topic; a map of what it changes.
layout: with sglang.enableDpAttention the DP attention runs inside the TP group, so an instance has tensor × pipeline
GPUs (not × data).
resources: nothing (one API server, no CPU RAM beside the base memory).
Usage: {{ include "llm-model.sglang.resolve" (dict "root" $ "block" $sglang "tp" $tp "pp" $pp "dp" $dp "topic" "layout"|"resources") | fromYaml }}
*/}}
{{- define "llm-model.sglang.resolve" -}}
{{- $out := dict }}
{{- if and (eq .topic "layout") .block.enableDpAttention }}
{{- $out = dict "instanceGpus" (mul .tp .pp) "gpuRule" (printf "tensor (%d) × pipeline (%d) parallel sizes (DP attention runs inside the TP group)" .tp .pp) }}
{{- end }}
{{- toYaml $out }}
{{- end }}

{{/*
SGLang's rules, by topic, as a YAML list of problems (llm-model.validate calls each at its place):
group (one resolved group): DP attention needs a DP size > 1 dividing the TP size, one served name, a KV cache dtype
SGLang has (the keys of its --kv-cache-dtype row's map);
source: no object storage (no Run:ai streamer), no vLLM-only load format, no --safetensors-load-strategy;
speculative (one resolved group, a method set): no EAGLE top-k with NGRAM;
lora: no max_cpu_loras, LoRA only with NGRAM speculative decoding (server_args.py: "Currently LoRA is only compatible
with NGRAM speculative decoding"), target modules for runtime updates without adapters.
Usage: {{ include "llm-model.sglang.validate" (dict "root" $ "group" $g "topic" "group"|"source"|"speculative"|"lora") | fromYamlArray }}
*/}}
{{- define "llm-model.sglang.validate" -}}
{{- $v := .root.Values }}
{{- $e := list }}
{{- if eq .topic "group" }}
{{- $g := .group }}
{{- $tp := int $g.tp }}
{{- $dp := int $g.dp }}
{{- if and $g.sglang.enableDpAttention (or (le $dp 1) (ne (mod $tp $dp) 0)) }}
{{- $e = append $e (printf "%s: sglang.enableDpAttention needs serving.dataParallelSize > 1 dividing serving.tensorParallelSize (%d), got %d" $g.path $tp $dp) }}
{{- end }}
{{- if gt (len $v.model.servedModelNames) 1 }}
{{- $e = append $e "model.servedModelNames: SGLang serves one name (--served-model-name); give at most one" }}
{{- end }}
{{- $dtypes := dict }}
{{- range $r := (include "llm-model.engine" .root | fromYaml).keys }}{{ if eq $r.key "serving.kvCacheDtype" }}{{ $dtypes = $r.map }}{{ end }}{{ end }}
{{- with $g.serving.kvCacheDtype }}{{ if not (hasKey $dtypes .) }}
{{- $e = append $e (printf "%s: serving.kvCacheDtype %q has no SGLang equivalent (SGLang takes %s)" $g.path . (join ", " (keys $dtypes | sortAlpha))) }}
{{- end }}{{ end }}
{{- else if eq .topic "source" }}
{{- if eq $v.model.source.type "s3" }}
{{- $e = append $e "model.source.type s3 needs vLLM's Run:ai streamer (--load-format runai_streamer); SGLang v0.5.19 has no loader for object storage in the chart's flag table: use engine: vllm, or model.source.type hub or pvc" }}
{{- end }}
{{- if has $v.model.loadFormat (list "tensorizer" "runai_streamer" "runai_streamer_sharded" "mistral") }}
{{- $e = append $e (printf "model.loadFormat %s is a vLLM load format; SGLang v0.5.19 takes auto, pt, safetensors, npcache, dummy, sharded_state, gguf, bitsandbytes, layered" $v.model.loadFormat) }}
{{- end }}
{{- if $v.model.safetensorsLoadStrategy }}
{{- $e = append $e "model.safetensorsLoadStrategy is vLLM's --safetensors-load-strategy; SGLang v0.5.19 has no such flag: leave it empty with engine: sglang" }}
{{- end }}
{{- else if eq .topic "speculative" }}
{{- if and (eq $v.speculative.method "ngram") (not (kindIs "invalid" .group.sglang.speculativeEagleTopk)) }}
{{- $e = append $e "sglang.speculativeEagleTopk is for the EAGLE-style algorithms; NGRAM takes none" }}
{{- end }}
{{- else if eq .topic "lora" }}
{{- $l := $v.lora }}
{{- if not (kindIs "invalid" $l.maxCpuLoras) }}
{{- $e = append $e "lora.maxCpuLoras is a vLLM option (--max-cpu-loras); SGLang has none: remove it or set engine: vllm" }}
{{- end }}
{{- if and (or $l.adapters $l.runtimeUpdates) $v.speculative.method (ne $v.speculative.method "ngram") }}
{{- $e = append $e (printf "lora with speculative.method %s: SGLang runs LoRA only with NGRAM speculative decoding (server_args.py); use speculative.method ngram or vLLM" $v.speculative.method) }}
{{- end }}
{{- if and $l.runtimeUpdates (not $l.adapters) (not $l.targetModules) }}
{{- $e = append $e "lora.runtimeUpdates without lora.adapters: SGLang needs lora.targetModules (and lora.maxRank) to size its LoRA buffers before any adapter is loaded" }}
{{- end }}
{{- end }}
{{- toYaml $e }}
{{- end }}

{{/*
SGLang's warnings, by topic: shm (nothing beyond the neutral estimate, as {bytes, why}) and image (a list: an
image.repository that looks like another engine's).
Usage: {{ include "llm-model.sglang.warnings" (dict "root" $ "group" $g "topic" "shm"|"image"|"notes") | fromYaml }}
*/}}
{{- define "llm-model.sglang.warnings" -}}
{{- $v := .root.Values }}
{{- if eq .topic "shm" }}
{{- toYaml (dict "bytes" 0.0 "why" list) }}
{{- else if eq .topic "image" }}
{{- $w := list }}
{{- if contains "vllm" (lower (toString $v.image.repository)) }}
{{- $w = append $w (printf "image.repository %q looks like a vLLM image but engine is sglang: the container runs SGLang's entrypoint and flags. Set engine: vllm or an SGLang image." $v.image.repository) }}
{{- end }}
{{- toYaml $w }}
{{- else if eq .topic "notes" }}
{{- toYaml list }}
{{- end }}
{{- end }}
