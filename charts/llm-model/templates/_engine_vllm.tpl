{{/*
vLLM's partial: what the chart does for engine vllm beyond its rows in _engines.tpl (internal/engine/specs/vllm.yaml).
The entry point is `vllm serve`, which acts on --headless and --api-server-count (the guide's
python3 -m vllm.entrypoints.openai.api_server parses both and ignores them); the model is its first argument.
Defines, called through the engine name: llm-model.vllm.{args,rankFlags,env,resolve,validate,warnings,facts} and the
row pieces llm-model.vllm.arg.<logic>.
*/}}

{{/*
`vllm serve` arguments: the rows in order (llm-model.engineArgs). Optional settings left null or empty are not passed,
so the engine's own default applies. A worker rank of a multi-node instance runs headless (no API server:
vllm/entrypoints/cli/serve.py run_headless, which refuses --api-server-count > 0), so it gets none of the API
server's flags (the frontend rows: --port, --host, --api-server-count, the tool-call flags, --lora-modules); its
engine flags are the leader's.
Usage: {{ include "llm-model.vllm.args" (dict "root" $ "group" $g "role" "leader"|"worker") | fromYamlArray }}
*/}}
{{- define "llm-model.vllm.args" -}}
{{- include "llm-model.engineArgs" . }}
{{- end }}

{{/*
The rank flags the container command appends on a multi-node instance: the rank count, this pod's rank, rank 0's
address and the rendezvous port (multiNode.port); the worker ranks run --headless.
Usage: {{ include "llm-model.vllm.rankFlags" (dict "root" $ "group" $g "role" "leader"|"worker") }}
*/}}
{{- define "llm-model.vllm.rankFlags" -}}
{{- printf " --nnodes %d --node-rank \"$RANK\" --master-addr \"$LEADER\" --master-port %d" (int .group.nodes) (int .root.Values.multiNode.port) }}
{{- if eq .role "worker" }} --headless{{ end }}
{{- end }}

{{/*
vLLM's environment, as a map: VLLM_CACHE_ROOT on the cache volume (storage.engineCaches; vllm/envs.py, default
$XDG_CACHE_HOME/vllm, set explicitly so the path shows in the manifest), the pipeline timeouts with pipeline
parallelism, the CPU offload settings, the long-context switch, and runtime LoRA loading.
Usage: {{ include "llm-model.vllm.env" (dict "root" $ "group" $g) | fromYaml }}
*/}}
{{- define "llm-model.vllm.env" -}}
{{- $v := .root.Values }}
{{- $g := .group }}
{{- $x := $g.vllm }}
{{- $env := dict }}
{{- if $v.storage.engineCaches }}{{ $_ := set $env "VLLM_CACHE_ROOT" (printf "%s/vllm" (trimSuffix "/" $v.storage.mountPath)) }}{{ end }}
{{- if gt (int $g.pp) 1 }}
{{- $t := $x.pipelineTimeouts }}
{{- $_ := set $env "VLLM_RPC_TIMEOUT" (toString (int64 ($t.rpcTimeoutMs | default 1200000))) }}
{{- $_ := set $env "VLLM_EXECUTE_MODEL_TIMEOUT_SECONDS" (toString (int64 ($t.executeModelTimeoutSeconds | default 1200))) }}
{{- $_ := set $env "VLLM_ENGINE_ITERATION_TIMEOUT_S" (toString (int64 ($t.engineIterationTimeoutSeconds | default 1200))) }}
{{- end }}
{{- if $x.cpuOffload.backend }}
{{- $_ := set $env "PYTORCH_ALLOC_CONF" "expandable_segments:True" }}
{{- $_ := set $env "VLLM_WEIGHT_OFFLOADING_DISABLE_PIN_MEMORY" "1" }}
{{- if $x.cpuOffload.disableUva }}{{ $_ := set $env "VLLM_WEIGHT_OFFLOADING_DISABLE_UVA" "1" }}{{ end }}
{{- end }}
{{- $long := $x.allowLongMaxModelLen }}
{{- if kindIs "invalid" $long }}{{ $long = include "llm-model.hasRope" $g.serving.hfOverrides }}{{ end }}
{{- if $long }}{{ $_ := set $env "VLLM_ALLOW_LONG_MAX_MODEL_LEN" "1" }}{{ end }}
{{- /* vLLM serves /v1/load_lora_adapter and /v1/unload_lora_adapter only with this set (vllm/envs.py). */}}
{{- if $v.lora.runtimeUpdates }}{{ $_ := set $env "VLLM_ALLOW_RUNTIME_LORA_UPDATING" "True" }}{{ end }}
{{- toYaml $env }}
{{- end }}

{{/*
vLLM facts the chart's text and triggers use: the gauges an autoscaler reads (vLLM v0.19.0 vllm/v1/metrics/loggers.py),
the path that loads an adapter at run time, and what NOTES adds about /metrics (vLLM always serves it).
Usage: {{ $facts := include "llm-model.vllm.facts" $ | fromYaml }}
*/}}
{{- define "llm-model.vllm.facts" -}}
gauges: {queueLength: "vllm:num_requests_waiting", kvCacheUsage: "vllm:kv_cache_usage_perc"}
loraLoadPath: v1/load_lora_adapter
metricsNote: ""
{{- end }}

{{/*
Row pieces (llm-model.engineArgs calls one per row with logic, with the row): the model as the positional argument,
the port, the source rows, the served names, --runner pooling --convert embed for an embedding model, the tool-choice
switch, the multimodal, CPU-offload and KV-offload rows, the speculative config and the LoRA rows.
Usage: {{ include "llm-model.vllm.arg.<logic>" (dict "root" $ "group" $g "role" $role "row" $row) | fromYamlArray }}
*/}}
{{- define "llm-model.vllm.arg.positional" -}}
{{- toYaml (list (include "llm-model.modelArg" .root.Values)) }}
{{- end }}
{{- define "llm-model.vllm.arg.enginePort" -}}{{ include "llm-model.arg.enginePort" . }}{{- end }}
{{- define "llm-model.vllm.arg.source" -}}{{ include "llm-model.arg.source" . }}{{- end }}
{{- define "llm-model.vllm.arg.servedNames" -}}{{ include "llm-model.arg.servedNames" . }}{{- end }}
{{- define "llm-model.vllm.arg.lora" -}}{{ include "llm-model.arg.lora" . }}{{- end }}

{{- define "llm-model.vllm.arg.task" -}}
{{- $a := list }}
{{- if eq .root.Values.model.task "embed" }}{{ $a = list .row.flag (get (dict "--runner" "pooling" "--convert" "embed") .row.flag) }}{{ end }}
{{- toYaml $a }}
{{- end }}

{{- define "llm-model.vllm.arg.toolChoice" -}}
{{- $a := list }}
{{- if .group.serving.toolCallParser }}{{ $a = list .row.flag }}{{ end }}
{{- toYaml $a }}
{{- end }}

{{/*
vllm.multimodal rows, only with vllm.multimodal.enabled; the processor cache is shm when the pod has more than one GPU
unless set.
*/}}
{{- define "llm-model.vllm.arg.multimodal" -}}
{{- $mm := .group.vllm.multimodal }}
{{- $a := list }}
{{- if $mm.enabled }}
{{- $x := index $mm (trimPrefix "vllm.multimodal." .row.key) }}
{{- if and (eq .row.key "vllm.multimodal.processorCacheType") (not $x) (gt (int .group.gpuCount) 1) }}{{ $x = "shm" }}{{ end }}
{{- $a = include "llm-model.plainArg" (dict "row" .row "value" $x) | fromYamlArray }}
{{- end }}
{{- toYaml $a }}
{{- end }}

{{/*
vllm.cpuOffload rows: the backend (uva or prefetch), then uva's --cpu-offload-gb or prefetch's group size, count in
group and prefetch step.
*/}}
{{- define "llm-model.vllm.arg.cpuOffload" -}}
{{- $off := .group.vllm.cpuOffload }}
{{- $k := trimPrefix "vllm.cpuOffload." .row.key }}
{{- $backends := ternary (list "uva" "prefetch") (ternary (list "uva") (list "prefetch") (eq $k "gb")) (eq $k "backend") }}
{{- $a := list }}
{{- if has $off.backend $backends }}
{{- $a = list .row.flag (ternary $off.backend (toString (int (index $off $k))) (eq $k "backend")) }}
{{- end }}
{{- toYaml $a }}
{{- end }}

{{/*
vllm.kvOffload.sizeGb: vLLM's native KV offloading backend with that many GB of CPU RAM.
*/}}
{{- define "llm-model.vllm.arg.kvOffload" -}}
{{- $gb := .group.vllm.kvOffload.sizeGb }}
{{- $a := list }}
{{- if not (kindIs "invalid" $gb) }}
{{- $a = list .row.flag (ternary "native" (toString (int $gb)) (eq .row.flag "--kv-offloading-backend")) }}
{{- end }}
{{- toYaml $a }}
{{- end }}

{{/*
Speculative decoding from `speculative` (checked in the validation): one --speculative-config JSON
(vllm/config/speculative.py SpeculativeConfig: method, num_speculative_tokens, model, revision,
draft_tensor_parallel_size; method "mtp" is the generic name its per-architecture aliases map to).
*/}}
{{- define "llm-model.vllm.arg.speculative" -}}
{{- $s := .root.Values.speculative }}
{{- $a := list }}
{{- if $s.method }}
{{- $k := int ($s.numSpeculativeTokens | default 1) }}
{{- $c := dict "method" (get (dict "mtp" "mtp" "eagle" "eagle" "eagle3" "eagle3" "draft" "draft_model" "ngram" "ngram") $s.method) "num_speculative_tokens" $k }}
{{- with $s.draftModel }}{{ $_ := set $c "model" . }}{{ end }}
{{- with $s.draftRevision }}{{ $_ := set $c "revision" . }}{{ end }}
{{- with .group.vllm.speculativeDraftTensorParallelSize }}{{ $_ := set $c "draft_tensor_parallel_size" (int .) }}{{ end }}
{{- $a = list .row.flag (toJson $c) }}
{{- end }}
{{- toYaml $a }}
{{- end }}
