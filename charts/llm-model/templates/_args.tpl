{{/*
The engine's argument list for one resolved resource group, as a YAML list of strings: every flag and every value is
its own item, so nothing is shell-quoted (not even the JSON of --hf-overrides). This is the one place where values
become engine flags; the order is fixed.
Usage: {{ include "llm-model.args" (dict "root" $ "group" $g) | nindent 12 }}
*/}}
{{- define "llm-model.args" -}}
{{- $args := include "llm-model.vllm.args" . | fromYamlArray }}
{{- toYaml $args }}
{{- end }}

{{/*
vLLM flags. Optional settings left null or empty are not passed, so the engine's own default applies.
Usage: {{ include "llm-model.vllm.args" (dict "root" $ "group" $g) | fromYamlArray }}
*/}}
{{- define "llm-model.vllm.args" -}}
{{- $v := .root.Values }}
{{- $g := .group }}
{{- $s := $g.serving }}
{{- $x := $g.vllm }}
{{- $a := list "--port" (toString (int $v.service.port)) "--host" "0.0.0.0" }}
{{- $a = concat $a (list "--download-dir" (printf "%s/huggingface/hub" (trimSuffix "/" $v.storage.mountPath))) }}
{{- $a = concat $a (list "--model" $v.model.name) }}
{{- with $v.model.revision }}{{ $a = concat $a (list "--revision" .) }}{{ end }}
{{- with $v.model.servedModelNames }}{{ $a = concat $a (list "--served-model-name") . }}{{ end }}
{{- if not (kindIs "invalid" $x.apiServerCount) }}{{ $a = concat $a (list "--api-server-count" (toString (int $x.apiServerCount))) }}{{ end }}
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
{{- with $s.toolCallParser }}{{ $a = concat $a (list "--enable-auto-tool-choice" "--tool-call-parser" .) }}{{ end }}
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
{{- with $s.hfOverrides }}{{ $a = concat $a (list "--hf-overrides" (toJson .)) }}{{ end }}
{{- range $s.extraArgs }}{{ $a = append $a (toString .) }}{{ end }}
{{- toYaml $a }}
{{- end }}

{{/*
The container command. Without pre-start commands it runs the engine directly; with them, bash runs them and then
`exec`s the engine with "$@", which is the same argument list (args:), so no flag is ever re-quoted.
Usage: {{ include "llm-model.command" (dict "root" $ "group" $g) | nindent 12 }}
*/}}
{{- define "llm-model.command" -}}
{{- $engine := list "python3" "-m" "vllm.entrypoints.openai.api_server" }}
{{- $pre := .group.serving.preStartCommands }}
{{- if $pre }}
{{- $script := printf "set -e\n%s\nexec %s \"$@\"" (join "\n" $pre) (join " " $engine) }}
{{- toYaml (list "bash" "-c" $script "engine") }}
{{- else }}
{{- toYaml $engine }}
{{- end }}
{{- end }}

{{/*
Environment variables of one resolved group, as a YAML list of EnvVar: the chart's own (pipeline timeouts, CPU
offload, long context) merged with serving.env (which wins), sorted by name; then the single-key secret references.
Usage: {{ include "llm-model.env" (dict "root" $ "group" $g) | nindent 12 }}
*/}}
{{- define "llm-model.env" -}}
{{- $v := .root.Values }}
{{- $g := .group }}
{{- $x := $g.vllm }}
{{- $env := dict }}
{{- if gt (int $g.pp) 1 }}
{{- $t := $x.pipelineTimeouts }}
{{- $_ := set $env "VLLM_RPC_TIMEOUT" (toString (int64 $t.rpcTimeoutMs)) }}
{{- $_ := set $env "VLLM_EXECUTE_MODEL_TIMEOUT_SECONDS" (toString (int64 $t.executeModelTimeoutSeconds)) }}
{{- $_ := set $env "VLLM_ENGINE_ITERATION_TIMEOUT_S" (toString (int64 $t.engineIterationTimeoutSeconds)) }}
{{- end }}
{{- if $x.cpuOffload.backend }}
{{- $_ := set $env "PYTORCH_ALLOC_CONF" "expandable_segments:True" }}
{{- $_ := set $env "VLLM_WEIGHT_OFFLOADING_DISABLE_PIN_MEMORY" "1" }}
{{- if $x.cpuOffload.disableUva }}{{ $_ := set $env "VLLM_WEIGHT_OFFLOADING_DISABLE_UVA" "1" }}{{ end }}
{{- end }}
{{- $long := $x.allowLongMaxModelLen }}
{{- if kindIs "invalid" $long }}{{ $long = not (empty $g.serving.hfOverrides) }}{{ end }}
{{- if $long }}{{ $_ := set $env "VLLM_ALLOW_LONG_MAX_MODEL_LEN" "1" }}{{ end }}
{{- range $k, $val := $g.serving.env }}{{ $_ := set $env $k (toString $val) }}{{ end }}
{{- $list := list }}
{{- range $k := keys $env | sortAlpha }}
{{- $list = append $list (dict "name" $k "value" (get $env $k)) }}
{{- end }}
{{- with $v.credentials.hfToken.secretName }}
{{- $list = append $list (dict "name" "HF_TOKEN" "valueFrom" (dict "secretKeyRef" (dict "name" . "key" $v.credentials.hfToken.key))) }}
{{- end }}
{{- with $v.credentials.apiKey.secretName }}
{{- $list = append $list (dict "name" "VLLM_API_KEY" "valueFrom" (dict "secretKeyRef" (dict "name" . "key" $v.credentials.apiKey.key))) }}
{{- end }}
{{- if $list }}{{ toYaml $list }}{{ end }}
{{- end }}
