{{/*
The engine's argument list for one resolved resource group, as a YAML list of strings: every flag and every value is
its own item, so nothing is shell-quoted (not even the JSON of --hf-overrides). This is the one place where values
become engine flags; the order is fixed.
Usage: {{ include "llm-model.args" (dict "root" $ "group" $g "role" "leader"|"worker") | nindent 12 }}
*/}}
{{- define "llm-model.args" -}}
{{- $args := include (printf "llm-model.%s.args" .root.Values.engine) . | fromYamlArray }}
{{- toYaml $args }}
{{- end }}

{{/*
`vllm serve` arguments: the model first (the entry point's positional argument), then the flags. Optional settings
left null or empty are not passed, so the engine's own default applies. A worker rank of a multi-node instance runs
headless (no API server: vllm/entrypoints/cli/serve.py run_headless, which refuses --api-server-count > 0), so it
gets none of the API server's flags (--port, --host, --api-server-count, the tool-call flags); its engine flags are
the leader's.
Usage: {{ include "llm-model.vllm.args" (dict "root" $ "group" $g "role" "leader"|"worker") | fromYamlArray }}
*/}}
{{- define "llm-model.vllm.args" -}}
{{- $v := .root.Values }}
{{- $g := .group }}
{{- $s := $g.serving }}
{{- $x := $g.vllm }}
{{- $api := ne .role "worker" }}
{{- $a := list (include "llm-model.modelArg" $v) }}
{{- if $api }}{{ $a = concat $a (list "--port" (include "llm-model.enginePort" $v) "--host" "0.0.0.0") }}{{ end }}
{{- $a = concat $a (include "llm-model.sourceArgs" $v | fromYamlArray) }}
{{- with include "llm-model.servedNames" $v | fromYamlArray }}{{ $a = concat $a (list "--served-model-name") . }}{{ end }}
{{- if and $api (not (kindIs "invalid" $x.apiServerCount)) }}{{ $a = concat $a (list "--api-server-count" (toString (int $x.apiServerCount))) }}{{ end }}
{{- $a = concat $a (list "--tensor-parallel-size" (toString $g.tp)) }}
{{- if gt (int $g.pp) 1 }}{{ $a = concat $a (list "--pipeline-parallel-size" (toString $g.pp)) }}{{ end }}
{{- if gt (int $g.dcp) 1 }}{{ $a = concat $a (list "--decode-context-parallel-size" (toString $g.dcp)) }}{{ end }}
{{- if gt (int $g.dp) 1 }}{{ $a = concat $a (list "--data-parallel-size" (toString $g.dp)) }}{{ end }}
{{- if $s.enableExpertParallel }}{{ $a = append $a "--enable-expert-parallel" }}{{ end }}
{{- if $s.trustRemoteCode }}{{ $a = append $a "--trust-remote-code" }}{{ end }}
{{- if not (kindIs "invalid" $x.enableChunkedPrefill) }}{{ $a = append $a (ternary "--enable-chunked-prefill" "--no-enable-chunked-prefill" $x.enableChunkedPrefill) }}{{ end }}
{{- if not (kindIs "invalid" $s.enablePrefixCaching) }}{{ $a = append $a (ternary "--enable-prefix-caching" "--no-enable-prefix-caching" $s.enablePrefixCaching) }}{{ end }}
{{- if not (kindIs "invalid" $s.maxNumSeqs) }}{{ $a = concat $a (list "--max-num-seqs" (toString (int64 $s.maxNumSeqs))) }}{{ end }}
{{- if not (kindIs "invalid" $s.gpuMemoryUtilization) }}{{ $a = concat $a (list "--gpu-memory-utilization" (toString $s.gpuMemoryUtilization)) }}{{ end }}
{{- if not (kindIs "invalid" $s.maxModelLen) }}{{ $a = concat $a (list "--max-model-len" (toString (int64 $s.maxModelLen))) }}{{ end }}
{{- if not (kindIs "invalid" $s.maxNumBatchedTokens) }}{{ $a = concat $a (list "--max-num-batched-tokens" (toString (int64 $s.maxNumBatchedTokens))) }}{{ end }}
{{- with $s.kvCacheDtype }}{{ $a = concat $a (list "--kv-cache-dtype" .) }}{{ end }}
{{- if eq $v.model.task "embed" }}{{ $a = concat $a (list "--runner" "pooling" "--convert" "embed") }}{{ end }}
{{- if $api }}{{ with $s.toolCallParser }}{{ $a = concat $a (list "--enable-auto-tool-choice" "--tool-call-parser" .) }}{{ end }}{{ end }}
{{- with $s.reasoningParser }}{{ $a = concat $a (list "--reasoning-parser" .) }}{{ end }}
{{- with $x.mambaCacheMode }}{{ $a = concat $a (list "--mamba-cache-mode" .) }}{{ end }}
{{- $mm := $x.multimodal }}
{{- if $mm.enabled }}
{{- if not (kindIs "invalid" $mm.processorCacheGb) }}{{ $a = concat $a (list "--mm-processor-cache-gb" (toString (int $mm.processorCacheGb))) }}{{ end }}
{{- $type := $mm.processorCacheType }}
{{- if and (not $type) (gt (int $g.gpuCount) 1) }}{{ $type = "shm" }}{{ end }}
{{- with $type }}{{ $a = concat $a (list "--mm-processor-cache-type" .) }}{{ end }}
{{- with $mm.encoderTpMode }}{{ $a = concat $a (list "--mm-encoder-tp-mode" .) }}{{ end }}
{{- end }}
{{- $off := $x.cpuOffload }}
{{- if eq $off.backend "uva" }}
{{- $a = concat $a (list "--offload-backend" "uva" "--cpu-offload-gb" (toString (int $off.gb))) }}
{{- else if eq $off.backend "prefetch" }}
{{- $a = concat $a (list "--offload-backend" "prefetch" "--offload-group-size" (toString (int $off.groupSize)) "--offload-num-in-group" (toString (int $off.numInGroup)) "--offload-prefetch-step" (toString (int $off.prefetchStep))) }}
{{- end }}
{{- if not (kindIs "invalid" $x.kvOffload.sizeGb) }}
{{- $a = concat $a (list "--kv-offloading-backend" "native" "--kv-offloading-size" (toString (int $x.kvOffload.sizeGb))) }}
{{- end }}
{{- $a = concat $a (include "llm-model.speculativeArgs" . | fromYamlArray) }}
{{- $a = concat $a (include "llm-model.loraArgs" . | fromYamlArray) }}
{{- with $s.hfOverrides }}{{ $a = concat $a (list "--hf-overrides" (toJson .)) }}{{ end }}
{{- range $s.extraArgs }}{{ $a = append $a (toString .) }}{{ end }}
{{- toYaml $a }}
{{- end }}

{{/*
SGLang flags: the engine-neutral `serving` block mapped to `python3 -m sglang.launch_server`'s names, plus the
`sglang` block, and --enable-metrics when a ServiceMonitor or PodMonitor scrapes the pods, an autoscaler or an
InferencePool's endpoint picker reads them. The API key reaches
SGLang as `--api-key $(SGLANG_API_KEY)`, which the kubelet expands from the Secret-backed variable, so the key never
appears in the manifest.
Usage: {{ include "llm-model.sglang.args" (dict "root" $ "group" $g) | fromYamlArray }}
*/}}
{{- define "llm-model.sglang.args" -}}
{{- $v := .root.Values }}
{{- $g := .group }}
{{- $s := $g.serving }}
{{- $x := $g.sglang }}
{{- $a := list "--port" (include "llm-model.enginePort" $v) "--host" "0.0.0.0" }}
{{- $a = concat $a (list "--model-path" (include "llm-model.modelArg" $v)) }}
{{- $a = concat $a (include "llm-model.sourceArgs" $v | fromYamlArray) }}
{{- with include "llm-model.servedNames" $v | fromYamlArray }}{{ $a = concat $a (list "--served-model-name" (first .)) }}{{ end }}
{{- $a = concat $a (list "--tp-size" (toString $g.tp)) }}
{{- if gt (int $g.pp) 1 }}{{ $a = concat $a (list "--pp-size" (toString $g.pp)) }}{{ end }}
{{- if gt (int $g.dp) 1 }}{{ $a = concat $a (list "--dp-size" (toString $g.dp)) }}{{ end }}
{{- if $x.enableDpAttention }}{{ $a = append $a "--enable-dp-attention" }}{{ end }}
{{- /* The guide: in SGLang, expert parallelism is an EP size equal to the TP size. */}}
{{- if $s.enableExpertParallel }}{{ $a = concat $a (list "--ep-size" (toString $g.tp)) }}{{ end }}
{{- if $s.trustRemoteCode }}{{ $a = append $a "--trust-remote-code" }}{{ end }}
{{- if eq (toString $s.enablePrefixCaching) "false" }}{{ $a = append $a "--disable-radix-cache" }}{{ end }}
{{- if not (kindIs "invalid" $s.maxNumSeqs) }}{{ $a = concat $a (list "--max-running-requests" (toString (int64 $s.maxNumSeqs))) }}{{ end }}
{{- if not (kindIs "invalid" $s.gpuMemoryUtilization) }}{{ $a = concat $a (list "--mem-fraction-static" (toString $s.gpuMemoryUtilization)) }}{{ end }}
{{- if not (kindIs "invalid" $s.maxModelLen) }}{{ $a = concat $a (list "--context-length" (toString (int64 $s.maxModelLen))) }}{{ end }}
{{- if not (kindIs "invalid" $s.maxNumBatchedTokens) }}{{ $a = concat $a (list "--chunked-prefill-size" (toString (int64 $s.maxNumBatchedTokens))) }}{{ end }}
{{- with $s.kvCacheDtype }}
{{- $map := dict "auto" "auto" "bfloat16" "bf16" "fp8" "fp8_e4m3" "fp8_e4m3" "fp8_e4m3" "fp8_e5m2" "fp8_e5m2" }}
{{- $a = concat $a (list "--kv-cache-dtype" (get $map .)) }}
{{- end }}
{{- if eq $v.model.task "embed" }}{{ $a = append $a "--is-embedding" }}{{ end }}
{{- with $s.toolCallParser }}{{ $a = concat $a (list "--tool-call-parser" .) }}{{ end }}
{{- with $s.reasoningParser }}{{ $a = concat $a (list "--reasoning-parser" .) }}{{ end }}
{{- $distTimeout := $x.distTimeoutSeconds }}
{{- if and (kindIs "invalid" $distTimeout) (gt (int $g.nodes) 1) }}{{ $distTimeout = 1200 }}{{ end }}
{{- if not (kindIs "invalid" $distTimeout) }}{{ $a = concat $a (list "--dist-timeout" (toString (int64 $distTimeout))) }}{{ end }}
{{- if $v.credentials.apiKey.secretName }}{{ $a = concat $a (list "--api-key" "$(SGLANG_API_KEY)") }}{{ end }}
{{- /* SGLang serves /metrics only with --enable-metrics (server_args.py enable_metrics); vLLM always does. A monitor
scrapes it, an autoscaler of this group reads its gauges, and an InferencePool's endpoint picker reads its queue and
KV-cache gauges. */}}
{{- if or $v.monitoring.serviceMonitor.enabled $v.monitoring.podMonitor.enabled $g.autoscaling.enabled $v.inferencePool.enabled }}{{ $a = append $a "--enable-metrics" }}{{ end }}
{{- $a = concat $a (include "llm-model.speculativeArgs" . | fromYamlArray) }}
{{- $a = concat $a (include "llm-model.loraArgs" . | fromYamlArray) }}
{{- with $s.hfOverrides }}{{ $a = concat $a (list "--json-model-override-args" (toJson .)) }}{{ end }}
{{- range $s.extraArgs }}{{ $a = append $a (toString .) }}{{ end }}
{{- toYaml $a }}
{{- end }}

{{/*
Speculative decoding flags from `speculative` (checked in "llm-model.validateSpeculative"). vLLM: one
--speculative-config JSON (vllm/config/speculative.py SpeculativeConfig: method, num_speculative_tokens, model,
revision, draft_tensor_parallel_size; method "mtp" is the generic name its per-architecture aliases map to).
SGLang: --speculative-algorithm (server_args.py choices EAGLE, EAGLE3, NEXTN, STANDALONE, NGRAM), the draft's path
and revision, and a chain of numSpeculativeTokens steps, top-k 1, steps + 1 draft tokens unless set (NGRAM takes
only the draft-token count).
Usage: {{ $a = concat $a (include "llm-model.speculativeArgs" (dict "root" $ "group" $g) | fromYamlArray) }}
*/}}
{{- define "llm-model.speculativeArgs" -}}
{{- $v := .root.Values }}
{{- $s := $v.speculative }}
{{- $a := list }}
{{- if $s.method }}
{{- $k := int ($s.numSpeculativeTokens | default 1) }}
{{- if eq $v.engine "vllm" }}
{{- $c := dict "method" (get (dict "mtp" "mtp" "eagle" "eagle" "eagle3" "eagle3" "draft" "draft_model" "ngram" "ngram") $s.method) "num_speculative_tokens" $k }}
{{- with $s.draftModel }}{{ $_ := set $c "model" . }}{{ end }}
{{- with $s.draftRevision }}{{ $_ := set $c "revision" . }}{{ end }}
{{- with .group.vllm.speculativeDraftTensorParallelSize }}{{ $_ := set $c "draft_tensor_parallel_size" (int .) }}{{ end }}
{{- $a = list "--speculative-config" (toJson $c) }}
{{- else }}
{{- $x := .group.sglang }}
{{- $algo := get (dict "mtp" "NEXTN" "eagle" "EAGLE" "eagle3" "EAGLE3" "draft" "STANDALONE" "ngram" "NGRAM") $s.method }}
{{- $a = list "--speculative-algorithm" $algo }}
{{- with $s.draftModel }}{{ $a = concat $a (list "--speculative-draft-model-path" .) }}{{ end }}
{{- with $s.draftRevision }}{{ $a = concat $a (list "--speculative-draft-model-revision" .) }}{{ end }}
{{- if ne $algo "NGRAM" }}
{{- $a = concat $a (list "--speculative-num-steps" (toString $k) "--speculative-eagle-topk" (toString (int ($x.speculativeEagleTopk | default 1)))) }}
{{- end }}
{{- $a = concat $a (list "--speculative-num-draft-tokens" (toString (int ($x.speculativeNumDraftTokens | default (add1 $k))))) }}
{{- end }}
{{- end }}
{{- toYaml $a }}
{{- end }}

{{/*
LoRA flags from `lora` (checked in "llm-model.validateLora"): --enable-lora when adapters are listed or runtime
updates are allowed, then the adapters as name=source words after one flag (vLLM --lora-modules, a frontend flag a
headless worker does not get; SGLang --lora-paths), sorted by name, and the limits: vLLM --max-loras,
--max-lora-rank, --max-cpu-loras (vllm/engine/arg_utils.py LoRAConfig); SGLang --max-loras-per-batch,
--max-lora-rank, --lora-target-modules (server_args.py).
Usage: {{ $a = concat $a (include "llm-model.loraArgs" (dict "root" $ "group" $g "role" "leader") | fromYamlArray) }}
*/}}
{{- define "llm-model.loraArgs" -}}
{{- $v := .root.Values }}
{{- $l := $v.lora }}
{{- $vllm := eq $v.engine "vllm" }}
{{- $a := list }}
{{- if or $l.adapters $l.runtimeUpdates }}
{{- $a = list "--enable-lora" }}
{{- if and $l.adapters (or (not $vllm) (ne .role "worker")) }}
{{- $a = append $a (ternary "--lora-modules" "--lora-paths" $vllm) }}
{{- range $name := keys $l.adapters | sortAlpha }}{{ $a = append $a (printf "%s=%s" $name (get $l.adapters $name)) }}{{ end }}
{{- end }}
{{- if not (kindIs "invalid" $l.maxLoras) }}{{ $a = concat $a (list (ternary "--max-loras" "--max-loras-per-batch" $vllm) (toString (int $l.maxLoras))) }}{{ end }}
{{- if not (kindIs "invalid" $l.maxRank) }}{{ $a = concat $a (list "--max-lora-rank" (toString (int $l.maxRank))) }}{{ end }}
{{- if not (kindIs "invalid" $l.maxCpuLoras) }}{{ $a = concat $a (list "--max-cpu-loras" (toString (int $l.maxCpuLoras))) }}{{ end }}
{{- with $l.targetModules }}{{ $a = concat $a (list "--lora-target-modules") . }}{{ end }}
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
Usage: {{ include "llm-model.command" (dict "root" $ "group" $g "role" "leader"|"worker") | nindent 12 }}
*/}}
{{- define "llm-model.command" -}}
{{- $v := .root.Values }}
{{- $g := .group }}
{{- /* vLLM: `vllm serve`, the entry point that acts on --headless and --api-server-count (the guide's
python3 -m vllm.entrypoints.openai.api_server parses both and ignores them). The model is the first argument. */}}
{{- $engine := ternary (list "vllm" "serve") (list "python3" "-m" "sglang.launch_server") (eq $v.engine "vllm") }}
{{- $lines := list "set -e" }}
{{- $lines = concat $lines ($g.serving.preStartCommands | default list) }}
{{- $rankFlags := "" }}
{{- $nodes := int $g.nodes }}
{{- if gt $nodes 1 }}
{{- $nnodes := toString $nodes }}
{{- if $g.leaderWorkerSet }}
{{- /* LeaderWorkerSet mode: the LWS webhook sets these in every container (lws v0.10.0
pkg/utils/pod/pod_utils.go AddLWSVariables): LWS_WORKER_INDEX (0 on the leader, 1..size-1 on the workers),
LWS_GROUP_SIZE (leaderWorkerTemplate.size) and LWS_LEADER_ADDRESS (<lws>-<group>.<subdomain>.<namespace>). --nnodes stays the rendered count (= leaderWorkerTemplate.size,
from the same value), which the flag-table tests can check. */}}
{{- $lines = concat $lines (list "RANK=$LWS_WORKER_INDEX" "LEADER=$LWS_LEADER_ADDRESS") }}
{{- else }}
{{- $host := printf "%s-${INSTANCE}.%s.%s.svc.%s" $g.workloadName (include "llm-model.ranksServiceName" $g) $.root.Release.Namespace $v.clusterDomain }}
{{- if eq .role "worker" }}
{{- $lines = append $lines (printf "INSTANCE=$((POD_INDEX / %d))" (sub $nodes 1)) }}
{{- $lines = append $lines (printf "RANK=$((1 + POD_INDEX %% %d))" (sub $nodes 1)) }}
{{- else }}
{{- $lines = concat $lines (list "INSTANCE=$POD_INDEX" "RANK=0") }}
{{- end }}
{{- $lines = append $lines (printf "LEADER=%s" $host) }}
{{- end }}
{{- $lines = append $lines "echo \"$LEADER\" > /tmp/llm-leader" }}
{{- if eq $v.engine "vllm" }}
{{- $rankFlags = printf " --nnodes %s --node-rank \"$RANK\" --master-addr \"$LEADER\" --master-port %d" $nnodes (int $v.multiNode.port) }}
{{- if eq .role "worker" }}{{ $rankFlags = printf "%s --headless" $rankFlags }}{{ end }}
{{- else }}
{{- $rankFlags = printf " --nnodes %s --node-rank \"$RANK\" --dist-init-addr \"$LEADER:%d\"" $nnodes (int $v.multiNode.port) }}
{{- end }}
{{- end }}
{{- if eq (len $lines) 1 }}
{{- toYaml $engine }}
{{- else }}
{{- $lines = append $lines (printf "exec %s \"$@\"%s" (join " " $engine) $rankFlags) }}
{{- toYaml (list "bash" "-c" (join "\n" $lines) "engine") }}
{{- end }}
{{- end }}

{{/*
Environment variables of one resolved group, as a YAML list of EnvVar: the chart's own (engine caches, pipeline
timeouts, CPU offload, long context) merged with serving.env (which wins), sorted by name; then the single-key secret
references.
Usage: {{ include "llm-model.env" (dict "root" $ "group" $g) | nindent 12 }}
*/}}
{{- define "llm-model.env" -}}
{{- $v := .root.Values }}
{{- $g := .group }}
{{- $x := $g.vllm }}
{{- $env := include "llm-model.cacheEnv" .root | fromYaml }}
{{- $vllmEngine := eq $v.engine "vllm" }}
{{- if and $vllmEngine (gt (int $g.pp) 1) }}
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
{{- if $long }}{{ $_ := set $env (ternary "VLLM_ALLOW_LONG_MAX_MODEL_LEN" "SGLANG_ALLOW_OVERWRITE_LONGER_CONTEXT_LEN" $vllmEngine) "1" }}{{ end }}
{{- /* vLLM serves /v1/load_lora_adapter and /v1/unload_lora_adapter only with this set (vllm/envs.py). */}}
{{- if and $vllmEngine $v.lora.runtimeUpdates }}{{ $_ := set $env "VLLM_ALLOW_RUNTIME_LORA_UPDATING" "True" }}{{ end }}
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
{{- $list = append $list (dict "name" (ternary "VLLM_API_KEY" "SGLANG_API_KEY" $vllmEngine) "valueFrom" (dict "secretKeyRef" (dict "name" . "key" $v.credentials.apiKey.key))) }}
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
workspace (FLASHINFER_WORKSPACE_BASE/.cache/flashinfer, default the home directory) and, for vLLM,
VLLM_CACHE_ROOT (vllm/envs.py; default $XDG_CACHE_HOME/vllm, set explicitly so the path shows in the manifest).
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
{{- if eq .Values.engine "vllm" }}{{ $_ := set $env "VLLM_CACHE_ROOT" (printf "%s/vllm" $dir) }}{{ end }}
{{- end }}
{{- /* A hub directory other than the default layout: huggingface_hub (config, tokenizer) must look there too. */}}
{{- if not (has (.Values.storage.hubCacheDir | default "huggingface/hub") (list "huggingface/hub" "huggingface/hub/")) }}{{ $_ := set $env "HF_HUB_CACHE" (include "llm-model.hubCacheDir" .Values) }}{{ end }}
{{- toYaml $env }}
{{- end }}
