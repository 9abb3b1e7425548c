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
Usage: {{ include "llm-model.vllm.args" (dict "root" $ "group" $g "rank" "leader"|"worker") | fromYamlArray }}
*/}}
{{- define "llm-model.vllm.args" -}}
{{- include "llm-model.engineArgs" . }}
{{- end }}

{{/*
The rank flags the container command appends on a multi-node instance: the rank count, this pod's rank, rank 0's
address and the rendezvous port (multiNode.port); the worker ranks run --headless.
Usage: {{ include "llm-model.vllm.rankFlags" (dict "root" $ "group" $g "rank" "leader"|"worker") }}
*/}}
{{- define "llm-model.vllm.rankFlags" -}}
{{- printf " --nnodes %d --node-rank \"$RANK\" --master-addr \"$LEADER\" --master-port %d" (int .group.nodes) (int .root.Values.multiNode.port) }}
{{- if eq .rank "worker" }} --headless{{ end }}
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
the path that loads an adapter at run time, what NOTES adds about /metrics (vLLM always serves it), and the speculative
tuning keys that need a speculative.method.
Usage: {{ $facts := include "llm-model.vllm.facts" $ | fromYaml }}
*/}}
{{- define "llm-model.vllm.facts" -}}
gauges: {queueLength: "vllm:num_requests_waiting", kvCacheUsage: "vllm:kv_cache_usage_perc"}
loraLoadPath: v1/load_lora_adapter
metricsNote: ""
speculativeTuning: [vllm.speculativeDraftTensorParallelSize]
{{- end }}

{{/*
Row pieces (llm-model.engineArgs calls one per row with logic, with the row): the model as the positional argument,
the port, the source rows, the served names, --runner pooling --convert embed for an embedding model, the tool-choice
switch, the multimodal, CPU-offload and KV-offload rows, the speculative config and the LoRA rows.
Usage: {{ include "llm-model.vllm.arg.<logic>" (dict "root" $ "group" $g "rank" $rank "row" $row) | fromYamlArray }}
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
{{- $a = list .row.flag (.row.fixed | default (toString (int $gb))) }}
{{- end }}
{{- toYaml $a }}
{{- end }}

{{/*
Speculative decoding from `speculative` (checked in the validation): one --speculative-config JSON
(vllm/config/speculative.py SpeculativeConfig: method, num_speculative_tokens, model, revision,
draft_tensor_parallel_size; the row's map names the method, "mtp" being the generic name its per-architecture aliases
map to).
*/}}
{{- define "llm-model.vllm.arg.speculative" -}}
{{- $s := .root.Values.speculative }}
{{- $a := list }}
{{- if $s.method }}
{{- $k := int ($s.numSpeculativeTokens | default 1) }}
{{- $c := dict "method" (get .row.map $s.method) "num_speculative_tokens" $k }}
{{- with $s.draftModel }}{{ $_ := set $c "model" . }}{{ end }}
{{- with $s.draftRevision }}{{ $_ := set $c "revision" . }}{{ end }}
{{- with .group.vllm.speculativeDraftTensorParallelSize }}{{ $_ := set $c "draft_tensor_parallel_size" (int .) }}{{ end }}
{{- $a = list .row.flag (toJson $c) }}
{{- end }}
{{- toYaml $a }}
{{- end }}

{{/*
vLLM's part of resolving a group ("llm-model.resolveGroup"), by topic; a map of what it changes.
layout: the decode-context-parallel size (vllm.decodeContextParallelSize, 1 unless set; DCP shards the KV cache across
the tensor-parallel GPUs, so the instance's GPUs stay tensor × pipeline × data).
resources: the API servers (vllm.apiServerCount, at least 1), the CPU RAM vLLM keeps beside the base memory (the
multimodal processor cache, 4 GB unless set, once per API server; weights offloaded with uva, per GPU; the KV
offload), whether it offloads to CPU RAM, and whether chunked prefill is off.
Usage: {{ include "llm-model.vllm.resolve" (dict "root" $ "serving" $s "block" $vllm "tp" $tp "pp" $pp "dp" $dp "nodes" $n "gpus" $gpus "topic" "layout"|"resources") | fromYaml }}
*/}}
{{- define "llm-model.vllm.resolve" -}}
{{- $x := .block }}
{{- $out := dict }}
{{- if eq .topic "layout" }}
{{- $_ := set $out "dcp" (int ($x.decodeContextParallelSize | default 1)) }}
{{- else if eq .topic "resources" }}
{{- $api := 1 }}
{{- if not (kindIs "invalid" $x.apiServerCount) }}{{ $api = max 1 (int $x.apiServerCount) }}{{ end }}
{{- $off := $x.cpuOffload }}
{{- $added := 0 }}
{{- $reasons := list }}
{{- $mm := $x.multimodal }}
{{- if $mm.enabled }}
{{- $cache := 4 }}
{{- if not (kindIs "invalid" $mm.processorCacheGb) }}{{ $cache = int $mm.processorCacheGb }}{{ end }}
{{- $added = add $added (mul $cache $api) }}
{{- $reasons = append $reasons (printf "multimodal processor cache %d GB × %d API servers" $cache $api) }}
{{- end }}
{{- if eq $off.backend "uva" }}{{ if not (kindIs "invalid" $off.gb) }}
{{- $added = add $added (mul (int $off.gb) .gpus) }}
{{- $reasons = append $reasons (printf "CPU weight offload %d GB × %d GPUs" (int $off.gb) (int .gpus)) }}
{{- end }}{{ end }}
{{- if not (kindIs "invalid" $x.kvOffload.sizeGb) }}
{{- $added = add $added (int $x.kvOffload.sizeGb) }}
{{- $reasons = append $reasons (printf "KV offload %d GB" (int $x.kvOffload.sizeGb)) }}
{{- end }}
{{- $_ := set $out "apiServers" $api }}
{{- $_ := set $out "memoryAddedGiB" $added }}
{{- $_ := set $out "memoryReasons" $reasons }}
{{- $_ := set $out "offloading" (or (has $off.backend (list "uva" "prefetch")) (not (kindIs "invalid" $x.kvOffload.sizeGb))) }}
{{- $_ := set $out "chunkedPrefillOff" (eq (toString $x.enableChunkedPrefill) "false") }}
{{- end }}
{{- toYaml $out }}
{{- end }}

{{/*
vLLM's rules, by topic, as a YAML list of problems (llm-model.validate calls each at its place):
group (one resolved group): no multi-node instance with data parallelism, DCP dividing TP, a batch of at least the
context with chunked prefill off, the CPU-offload backends' keys, multimodal settings only when enabled;
source: object storage through the Run:ai streamer's load formats, no SGLang-only load format;
speculative (one resolved group, a method set): the draft's TP 1 or the TP (speculative.py _verify_and_get_draft_tp);
lora: vLLM's rank choices (LoRAConfig.max_lora_rank), max_cpu_loras >= max_loras (LoRAConfig verification), no
target modules (vLLM takes them from each adapter).
Usage: {{ include "llm-model.vllm.validate" (dict "root" $ "group" $g "topic" "group"|"source"|"speculative"|"lora") | fromYamlArray }}
*/}}
{{- define "llm-model.vllm.validate" -}}
{{- $e := list }}
{{- if eq .topic "group" }}{{ $e = include "llm-model.vllm.validateGroup" . | fromYamlArray }}
{{- else if eq .topic "source" }}
{{- $v := .root.Values }}
{{- if and (eq $v.model.source.type "s3") $v.model.loadFormat (not (hasPrefix "runai_streamer" $v.model.loadFormat)) }}
{{- $e = append $e (printf "model.loadFormat %s cannot read object storage (model.source.type s3): use runai_streamer or runai_streamer_sharded, or leave it empty" $v.model.loadFormat) }}
{{- end }}
{{- if eq $v.model.loadFormat "layered" }}
{{- $e = append $e "model.loadFormat layered is an SGLang load format; vLLM v0.19.0 takes auto, pt, safetensors, npcache, dummy, tensorizer, runai_streamer, runai_streamer_sharded, bitsandbytes, sharded_state, gguf, mistral, fastsafetensors" }}
{{- end }}
{{- else if eq .topic "speculative" }}
{{- $g := .group }}
{{- $dtp := $g.vllm.speculativeDraftTensorParallelSize }}
{{- if and (not (kindIs "invalid" $dtp)) (ne (int $dtp) 1) (ne (int $dtp) (int $g.tp)) }}
{{- $e = append $e (printf "%s: vllm.speculativeDraftTensorParallelSize %d must be 1 or the tensor parallel size %d (vLLM takes no other)" $g.path (int $dtp) (int $g.tp)) }}
{{- end }}
{{- else if eq .topic "lora" }}
{{- $l := .root.Values.lora }}
{{- /* The spec's loraRanks (vllm/config/lora.py MaxLoRARanks; chartgen reads the same list). */}}
{{- $ranks := list }}
{{- range (include "llm-model.engines.vllm" .root | fromYaml).loraRanks }}{{ $ranks = append $ranks (int .) }}{{ end }}
{{- if and (not (kindIs "invalid" $l.maxRank)) (not (has (int $l.maxRank) $ranks)) }}
{{- $e = append $e (printf "lora.maxRank %d is not a rank vLLM takes (%s); use the next one up" (int $l.maxRank) (join ", " $ranks)) }}
{{- end }}
{{- if and (not (kindIs "invalid" $l.maxCpuLoras)) (lt (int $l.maxCpuLoras) (int ($l.maxLoras | default 1))) }}
{{- $e = append $e (printf "lora.maxCpuLoras %d is below lora.maxLoras %d: vLLM requires max_cpu_loras >= max_loras" (int $l.maxCpuLoras) (int ($l.maxLoras | default 1))) }}
{{- end }}
{{- if $l.targetModules }}
{{- $e = append $e "lora.targetModules is an SGLang option (--lora-target-modules); vLLM takes the modules from each adapter: remove it or set engine: sglang" }}
{{- end }}
{{- end }}
{{- toYaml $e }}
{{- end }}

{{/*
vLLM's rules for one resolved group (llm-model.vllm.validate, topic group). Offload keys count as set when present
and not null: Helm 4 drops null keys that Helm 3 keeps, and sprig's get returns "" for a missing key, so presence is
tested with hasKey.
Usage: {{ include "llm-model.vllm.validateGroup" (dict "root" $ "group" $g) | fromYamlArray }}
*/}}
{{- define "llm-model.vllm.validateGroup" -}}
{{- $g := .group }}
{{- $path := $g.path }}
{{- $x := $g.vllm }}
{{- $errors := list }}
{{- if and (gt (int $g.nodes) 1) (gt (int $g.dp) 1) }}
{{- $errors = append $errors (printf "%s: multi-node instances (nodes %d) with vLLM data parallelism are not supported; use replicas for more instances" $path (int $g.nodes)) }}
{{- end }}
{{- $dcp := int $g.dcp }}
{{- $tp := int $g.tp }}
{{- if and (gt $dcp 1) (or (le $tp 1) (ne (mod $tp $dcp) 0)) }}
{{- $errors = append $errors (printf "%s: vllm.decodeContextParallelSize %d must divide serving.tensorParallelSize %d (and needs tensor parallel > 1): DCP shards the KV cache across the tensor-parallel GPUs" $path $dcp $tp) }}
{{- end }}
{{- $mml := $g.serving.maxModelLen }}
{{- $mnbt := $g.serving.maxNumBatchedTokens }}
{{- if and (not (kindIs "invalid" $mml)) (not (kindIs "invalid" $mnbt)) $g.chunkedPrefillOff (lt (int64 $mnbt) (int64 $mml)) }}
{{- $errors = append $errors (printf "%s: with vllm.enableChunkedPrefill false, serving.maxNumBatchedTokens (%d) must be at least serving.maxModelLen (%d)" $path (int64 $mnbt) (int64 $mml)) }}
{{- end }}
{{- $off := $x.cpuOffload }}
{{- if eq $off.backend "uva" }}
{{- if kindIs "invalid" $off.gb }}
{{- $errors = append $errors (printf "%s: vllm.cpuOffload.gb is required with backend uva (GB of weights offloaded per GPU)" $path) }}
{{- end }}
{{- range $k := list "groupSize" "numInGroup" "prefetchStep" }}
{{- if and (hasKey $off $k) (not (kindIs "invalid" (index $off $k))) }}
{{- $errors = append $errors (printf "%s: vllm.cpuOffload.%s is for backend prefetch, not uva" $path $k) }}
{{- end }}
{{- end }}
{{- else if eq $off.backend "prefetch" }}
{{- range $k := list "groupSize" "numInGroup" "prefetchStep" }}
{{- if or (not (hasKey $off $k)) (kindIs "invalid" (index $off $k)) }}
{{- $errors = append $errors (printf "%s: vllm.cpuOffload.%s is required with backend prefetch" $path $k) }}
{{- end }}
{{- end }}
{{- if not (kindIs "invalid" $off.gb) }}
{{- $errors = append $errors (printf "%s: vllm.cpuOffload.gb is only for backend uva (--cpu-offload-gb)" $path) }}
{{- end }}
{{- else if or (not (kindIs "invalid" $off.gb)) $off.disableUva }}
{{- $errors = append $errors (printf "%s: vllm.cpuOffload settings need vllm.cpuOffload.backend uva or prefetch" $path) }}
{{- end }}
{{- $mm := $x.multimodal }}
{{- if and (not $mm.enabled) (or (not (kindIs "invalid" $mm.processorCacheGb)) $mm.processorCacheType $mm.encoderTpMode) }}
{{- $errors = append $errors (printf "%s: vllm.multimodal settings need vllm.multimodal.enabled: true" $path) }}
{{- end }}
{{- toYaml $errors }}
{{- end }}

{{/*
vLLM's warnings, by topic: shm (one group: what the multimodal shm cache needs of /dev/shm, as {bytes, why}) and
image (a list: an image.repository that looks like another engine's), notes (one group: a list for NOTES' group
warnings).
Usage: {{ include "llm-model.vllm.warnings" (dict "root" $ "group" $g "topic" "shm"|"image"|"notes") | fromYaml }}
*/}}
{{- define "llm-model.vllm.warnings" -}}
{{- $v := .root.Values }}
{{- if eq .topic "shm" }}
{{- $g := .group }}
{{- $mm := ($g.vllm | default dict).multimodal | default dict }}
{{- $out := dict "bytes" 0.0 "why" list }}
{{- if and $mm.enabled (or (eq (toString $mm.processorCacheType) "shm") (and (not $mm.processorCacheType) (gt (int $g.gpuCount) 1))) }}
{{- $gb := ternary 4 (int $mm.processorCacheGb) (kindIs "invalid" $mm.processorCacheGb) }}
{{- $out = dict "bytes" (mulf 1e9 (float64 $gb)) "why" (list (printf "the multimodal shm cache, %d GB (one cache shared by the API servers)" $gb)) }}
{{- end }}
{{- toYaml $out }}
{{- else if eq .topic "image" }}
{{- $w := list }}
{{- if contains "sglang" (lower (toString $v.image.repository)) }}
{{- $w = append $w (printf "image.repository %q looks like an SGLang image but engine is vllm: the container runs vLLM's entrypoint and flags. Set engine: sglang or a vLLM image." $v.image.repository) }}
{{- end }}
{{- toYaml $w }}
{{- else if eq .topic "notes" }}
{{- $w := list }}
{{- $x := .group.vllm | default dict }}
{{- if and $x.cpuOffload $x.cpuOffload.backend }}
{{- $w = append $w (printf "%s: weights are offloaded to CPU RAM (vllm.cpuOffload.backend %s): expect much lower throughput." .group.path $x.cpuOffload.backend) }}
{{- end }}
{{- /* vllm/config/cache.py CacheConfig.kv_cache_memory_bytes: when set, gpu_memory_utilization is ignored. */}}
{{- if not (kindIs "invalid" $x.kvCacheMemoryBytes) }}
{{- $fraction := ternary "" (printf "; serving.gpuMemoryUtilization %v is ignored" .group.serving.gpuMemoryUtilization) (kindIs "invalid" .group.serving.gpuMemoryUtilization) }}
{{- $w = append $w (printf "%s: the KV cache is fixed at %.1f GiB per GPU (vllm.kvCacheMemoryBytes)%s: the weights, activations and CUDA graphs must fit beside it, or the engine fails at start-up." .group.path (divf (float64 $x.kvCacheMemoryBytes) 1073741824.0) $fraction) }}
{{- end }}
{{- toYaml $w }}
{{- end }}
{{- end }}
