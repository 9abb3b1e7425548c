{{/*
Resolves every resource group once: merges the group's `serving` and `vllm` overrides over the shared blocks,
derives GPU count, CPU and memory, affinity thresholds and tolerations, and checks the values for contradictions the
JSON Schema cannot express. Every problem found is reported in one `fail`, each line naming its key.
Returns YAML `{groups: [...]}`; each item has: index, path (e.g. "resourceGroups[0]"), name, workloadName, replicas,
nodes, leaderWorkerSet (a multi-node group in multiNode.mode leaderWorkerSet), serving, vllm, sglang, tp, pp, dp, dcp, gpuCount (per pod), gpusPerInstance, gpuResource, apiServers,
cpuRequest, cpuLimit, memoryRequestGiB, memoryLimitGiB, memoryAddedGiB, memoryReasons,
affinity {memoryMiBGt, products, computeMajorGt, driverMajorGt}, largeGpu, nodeSelector.
Usage: {{ $groups := (include "llm-model.groups" . | fromYaml).groups }}
*/}}
{{- define "llm-model.groups" -}}
{{- $root := . }}
{{- $v := .Values }}
{{- $errors := list }}
{{- $fullname := include "llm-model.fullname" . }}
{{- $out := list }}
{{- $seen := dict }}
{{- $unnamed := 0 }}
{{- if not $v.model.name }}
{{- $errors = append $errors "model.name is required: the Hugging Face model id (e.g. MiniMaxAI/MiniMax-M2.5)" }}
{{- end }}
{{- if not $v.storage.size }}
{{- $errors = append $errors "storage.size is required: the model cache volume size (the guide: 10-20% over the weights), e.g. 256Gi" }}
{{- end }}
{{- $cudaDefaults := dict "13.0" (dict "computeMajorGt" 7 "driverMajorGt" 575) "12.9" (dict "computeMajorGt" 6 "driverMajorGt" 565) }}
{{- $cuda := get $cudaDefaults (toString $v.image.cuda) }}
{{- $engine := $v.engine }}
{{- if not (hasKey (get $v.image.cudaTagSuffixes $engine | default dict) (toString $v.image.cuda)) }}
{{- $errors = append $errors (printf "image.cudaTagSuffixes.%s has no entry for image.cuda %q" $engine (toString $v.image.cuda)) }}
{{- end }}
{{- /* Options of the other engine: every key of its block must be unset. */}}
{{- $other := ternary "sglang" "vllm" (eq $engine "vllm") }}
{{- range $p := (include "llm-model.setLeaves" (dict "prefix" $other "value" (get $v $other)) | fromYamlArray) }}
{{- $errors = append $errors (printf "%s is a %s option, but engine is %s: remove it or set engine: %s" $p $other $engine $other) }}
{{- end }}
{{- range $i, $own := $v.resourceGroups }}
{{- $path := printf "resourceGroups[%d]" $i }}
{{- $g := include "llm-model.merge" (dict "base" $v.resourceGroupDefaults "over" $own) | fromYaml }}
{{- /* Shallow merge: a key set in the group replaces the shared key whole. */}}
{{- $serving := deepCopy $v.serving }}
{{- range $k, $x := $g.serving }}{{ $_ := set $serving $k $x }}{{ end }}
{{- $vllm := deepCopy $v.vllm }}
{{- range $k, $x := $g.vllm }}{{ $_ := set $vllm $k $x }}{{ end }}
{{- $sglang := deepCopy $v.sglang }}
{{- range $k, $x := $g.sglang }}{{ $_ := set $sglang $k $x }}{{ end }}
{{- range $p := (include "llm-model.setLeaves" (dict "prefix" (printf "%s.%s" $path $other) "value" (get $own $other)) | fromYamlArray) }}
{{- $errors = append $errors (printf "%s is a %s option, but engine is %s" $p $other $engine) }}
{{- end }}
{{- $name := $g.name | default "" }}
{{- /* At most 52 characters (the controller-revision-hash label), 44 for a multi-node group so that
"<workload>-workers" fits too; longer names get a hash suffix ("llm-model.shortName"). */}}
{{- $workload := include "llm-model.shortName" (dict "name" (ternary (printf "%s-%s" $fullname $name) $fullname (ne $name "")) "max" (ternary 44 52 (gt (int $g.nodes) 1))) }}
{{- if not $name }}{{ $unnamed = add1 $unnamed }}{{ end }}
{{- if hasKey $seen $name }}
{{- $errors = append $errors (printf "%s.name %q is used by resourceGroups[%v] too: group names must be unique (at most one may be empty)" $path $name (get $seen $name)) }}
{{- end }}
{{- $_ := set $seen $name $i }}
{{- $tp := int $serving.tensorParallelSize }}
{{- $pp := int $serving.pipelineParallelSize }}
{{- $dp := int $serving.dataParallelSize }}
{{- $dcp := int ($vllm.decodeContextParallelSize | default 1) }}
{{- $nodes := int $g.nodes }}
{{- /* GPUs of one instance: vLLM runs DP engines side by side; SGLang's DP attention runs inside the TP group. */}}
{{- $instanceGpus := mul $tp $pp $dp }}
{{- $gpuRule := printf "tensor (%d) × pipeline (%d) × data (%d) parallel sizes" $tp $pp $dp }}
{{- if and (eq $engine "sglang") $sglang.enableDpAttention }}
{{- $instanceGpus = mul $tp $pp }}
{{- $gpuRule = printf "tensor (%d) × pipeline (%d) parallel sizes (DP attention runs inside the TP group)" $tp $pp }}
{{- if or (le $dp 1) (ne (mod $tp $dp) 0) }}
{{- $errors = append $errors (printf "%s: sglang.enableDpAttention needs serving.dataParallelSize > 1 dividing serving.tensorParallelSize (%d), got %d" $path $tp $dp) }}
{{- end }}
{{- end }}
{{- $gpus := div $instanceGpus $nodes }}
{{- if ne (mod $instanceGpus $nodes) 0 }}
{{- $errors = append $errors (printf "%s.nodes %d does not divide the %d GPUs of one instance (%s)" $path $nodes $instanceGpus $gpuRule) }}
{{- end }}
{{- if gt $nodes 1 }}
{{- if and (eq $engine "vllm") (gt $dp 1) }}
{{- $errors = append $errors (printf "%s: multi-node instances (nodes %d) with vLLM data parallelism are not supported; use replicas for more instances" $path $nodes) }}
{{- end }}
{{- end }}
{{- if not (kindIs "invalid" $g.gpu.count) }}
{{- if ne (int $g.gpu.count) $gpus }}
{{- $errors = append $errors (printf "%s.gpu.count is %d but %s need %d GPUs per pod (over %d nodes)" $path (int $g.gpu.count) $gpuRule $gpus $nodes) }}
{{- end }}
{{- end }}
{{- if gt $dcp 1 }}
{{- if or (le $tp 1) (ne (mod $tp $dcp) 0) }}
{{- $errors = append $errors (printf "%s: vllm.decodeContextParallelSize %d must divide serving.tensorParallelSize %d (and needs tensor parallel > 1): DCP shards the KV cache across the tensor-parallel GPUs" $path $dcp $tp) }}
{{- end }}
{{- end }}
{{- if and $serving.enableExpertParallel (le (mul $tp $dp) 1) }}
{{- $errors = append $errors (printf "%s: serving.enableExpertParallel needs tensor × data parallel size > 1 (experts are spread across GPUs)" $path) }}
{{- end }}
{{- if and (eq $engine "sglang") (gt (len $v.model.servedModelNames) 1) }}
{{- $errors = append $errors "model.servedModelNames: SGLang serves one name (--served-model-name); give at most one" }}
{{- end }}
{{- if and (eq $engine "sglang") (has $serving.kvCacheDtype (list "float16" "fp8_inc" "fp8_ds_mla")) }}
{{- $errors = append $errors (printf "%s: serving.kvCacheDtype %q has no SGLang equivalent (SGLang takes auto, bfloat16, fp8, fp8_e4m3, fp8_e5m2)" $path $serving.kvCacheDtype) }}
{{- end }}
{{- if eq $v.model.task "embed" }}
{{- if or $serving.toolCallParser $serving.reasoningParser }}
{{- $errors = append $errors (printf "%s: serving.toolCallParser and serving.reasoningParser must be empty for an embedding model (model.task: embed)" $path) }}
{{- end }}
{{- end }}
{{- $mml := $serving.maxModelLen }}
{{- $mnbt := $serving.maxNumBatchedTokens }}
{{- if and (not (kindIs "invalid" $mml)) (not (kindIs "invalid" $mnbt)) }}
{{- if and (eq (toString $vllm.enableChunkedPrefill) "false") (lt (int64 $mnbt) (int64 $mml)) }}
{{- $errors = append $errors (printf "%s: with vllm.enableChunkedPrefill false, serving.maxNumBatchedTokens (%d) must be at least serving.maxModelLen (%d)" $path (int64 $mnbt) (int64 $mml)) }}
{{- else if and (ne (toString $vllm.enableChunkedPrefill) "false") (gt (int64 $mnbt) (int64 $mml)) }}
{{- $errors = append $errors (printf "%s: serving.maxNumBatchedTokens (%d) must not exceed serving.maxModelLen (%d)" $path (int64 $mnbt) (int64 $mml)) }}
{{- end }}
{{- end }}
{{- /* Offload. A key counts as set when present and not null: Helm 4 drops null keys that Helm 3 keeps, and
sprig's get returns "" for a missing key, so presence is tested with hasKey. */}}
{{- /* vLLM-only checks look at an empty block under another engine (its keys were refused above). */}}
{{- $vllmChecked := ternary $vllm (dict "cpuOffload" (dict "backend" "") "kvOffload" dict "multimodal" dict) (eq $engine "vllm") }}
{{- $off := $vllmChecked.cpuOffload }}
{{- $offloading := false }}
{{- if eq $off.backend "uva" }}
{{- $offloading = true }}
{{- if kindIs "invalid" $off.gb }}
{{- $errors = append $errors (printf "%s: vllm.cpuOffload.gb is required with backend uva (GB of weights offloaded per GPU)" $path) }}
{{- end }}
{{- range $k := list "groupSize" "numInGroup" "prefetchStep" }}
{{- if and (hasKey $off $k) (not (kindIs "invalid" (index $off $k))) }}
{{- $errors = append $errors (printf "%s: vllm.cpuOffload.%s is for backend prefetch, not uva" $path $k) }}
{{- end }}
{{- end }}
{{- else if eq $off.backend "prefetch" }}
{{- $offloading = true }}
{{- range $k := list "groupSize" "numInGroup" "prefetchStep" }}
{{- if or (not (hasKey $off $k)) (kindIs "invalid" (index $off $k)) }}
{{- $errors = append $errors (printf "%s: vllm.cpuOffload.%s is required with backend prefetch" $path $k) }}
{{- end }}
{{- end }}
{{- if not (kindIs "invalid" $off.gb) }}
{{- $errors = append $errors (printf "%s: vllm.cpuOffload.gb is only for backend uva (--cpu-offload-gb)" $path) }}
{{- end }}
{{- else }}
{{- if or (not (kindIs "invalid" $off.gb)) $off.disableUva }}
{{- $errors = append $errors (printf "%s: vllm.cpuOffload settings need vllm.cpuOffload.backend uva or prefetch" $path) }}
{{- end }}
{{- end }}
{{- if not (kindIs "invalid" $vllmChecked.kvOffload.sizeGb) }}
{{- $offloading = true }}
{{- end }}
{{- $mm := $vllmChecked.multimodal }}
{{- if and (not $mm.enabled) (or (not (kindIs "invalid" $mm.processorCacheGb)) $mm.processorCacheType $mm.encoderTpMode) }}
{{- $errors = append $errors (printf "%s: vllm.multimodal settings need vllm.multimodal.enabled: true" $path) }}
{{- end }}
{{- /* CPU: the guide's formula unless set. */}}
{{- $api := 1 }}
{{- if and (eq $engine "vllm") (not (kindIs "invalid" $vllm.apiServerCount)) }}{{ $api = max 1 (int $vllm.apiServerCount) }}{{ end }}
{{- $threads := add 1 $gpus $api (max 1 $dp) (ternary 1 0 (gt $dp 1)) }}
{{- $cpu := $g.resources.cpu }}
{{- if and $offloading (or (kindIs "invalid" $cpu.request) (kindIs "invalid" $cpu.limit)) }}
{{- $errors = append $errors (printf "%s.resources.cpu.request and .limit must be set when offloading to CPU RAM: the guide asks for the most CPU threads the node can give" $path) }}
{{- end }}
{{- $cpuRequest := ternary (toString $threads) (toString $cpu.request) (kindIs "invalid" $cpu.request) }}
{{- $cpuLimit := ternary (toString (mul 2 $threads)) (toString $cpu.limit) (kindIs "invalid" $cpu.limit) }}
{{- /* Memory: base plus what the engine keeps in CPU RAM. */}}
{{- $mem := $g.resources.memory }}
{{- $added := 0 }}
{{- $reasons := list }}
{{- if $mm.enabled }}
{{- $cache := 4 }}
{{- if not (kindIs "invalid" $mm.processorCacheGb) }}{{ $cache = int $mm.processorCacheGb }}{{ end }}
{{- $added = add $added (mul $cache $api) }}
{{- $reasons = append $reasons (printf "multimodal processor cache %d GB × %d API servers" $cache $api) }}
{{- end }}
{{- if eq $off.backend "uva" }}{{ if not (kindIs "invalid" $off.gb) }}
{{- $added = add $added (mul (int $off.gb) $gpus) }}
{{- $reasons = append $reasons (printf "CPU weight offload %d GB × %d GPUs" (int $off.gb) $gpus) }}
{{- end }}{{ end }}
{{- if not (kindIs "invalid" $vllmChecked.kvOffload.sizeGb) }}
{{- $added = add $added (int $vllmChecked.kvOffload.sizeGb) }}
{{- $reasons = append $reasons (printf "KV offload %d GB" (int $vllmChecked.kvOffload.sizeGb)) }}
{{- end }}
{{- $memRequest := 0 }}
{{- $memLimit := 0 }}
{{- if or (kindIs "invalid" $mem.requestGiB) (kindIs "invalid" $mem.limitGiB) }}
{{- $errors = append $errors (printf "%s.resources.memory.requestGiB and .limitGiB are required (the guide: request slightly over half the loaded model size, limit slightly over the whole)" $path) }}
{{- else }}
{{- if gt (int $mem.requestGiB) (int $mem.limitGiB) }}
{{- $errors = append $errors (printf "%s.resources.memory.requestGiB (%d) is over limitGiB (%d)" $path (int $mem.requestGiB) (int $mem.limitGiB)) }}
{{- end }}
{{- $memRequest = add (int $mem.requestGiB) $added }}
{{- $memLimit = add (int $mem.limitGiB) $added }}
{{- end }}
{{- $largeGpu := false }}
{{- range $c := $v.scheduling.largeGpu.gpuCounts }}{{ if eq (int $c) $gpus }}{{ $largeGpu = $v.scheduling.largeGpu.enabled }}{{ end }}{{ end }}
{{- $aff := dict "products" ($g.gpu.products | default list) }}
{{- $_ := set $aff "memoryMiBGt" $g.gpu.memoryMiBGt }}
{{- $_ := set $aff "computeMajorGt" (ternary (get ($cuda | default dict) "computeMajorGt") $g.gpu.computeMajorGt (kindIs "invalid" $g.gpu.computeMajorGt)) }}
{{- $_ := set $aff "driverMajorGt" (ternary (get ($cuda | default dict) "driverMajorGt") $g.gpu.driverMajorGt (kindIs "invalid" $g.gpu.driverMajorGt)) }}
{{- $item := dict "index" $i "path" $path "name" $name "workloadName" $workload "replicas" (int $g.replicas) "nodes" $nodes }}
{{- /* Multi-node instances as one LeaderWorkerSet (multiNode.mode) instead of the StatefulSet pair. */}}
{{- $_ := set $item "leaderWorkerSet" (and (gt $nodes 1) (eq $v.multiNode.mode "leaderWorkerSet")) }}
{{- $_ := set $item "serving" $serving }}
{{- /* The group's autoscaling: the shared block with the group's own keys over it (read by _scaling.tpl and _args.tpl). */}}
{{- $_ := set $item "autoscaling" (include "llm-model.merge" (dict "base" $v.autoscaling "over" ($own.autoscaling | default dict)) | fromYaml) }}
{{- $_ := set $item "vllm" $vllm }}
{{- $_ := set $item "sglang" $sglang }}
{{- $_ := set $item "gpusPerInstance" $instanceGpus }}
{{- $_ := set $item "tp" $tp }}
{{- $_ := set $item "pp" $pp }}
{{- $_ := set $item "dp" $dp }}
{{- $_ := set $item "dcp" $dcp }}
{{- $_ := set $item "gpuCount" $gpus }}
{{- $_ := set $item "gpuResource" $g.gpu.resource }}
{{- $_ := set $item "apiServers" $api }}
{{- $_ := set $item "cpuRequest" $cpuRequest }}
{{- $_ := set $item "cpuLimit" $cpuLimit }}
{{- $_ := set $item "memoryRequestGiB" $memRequest }}
{{- $_ := set $item "memoryLimitGiB" $memLimit }}
{{- $_ := set $item "memoryAddedGiB" $added }}
{{- $_ := set $item "memoryReasons" $reasons }}
{{- $_ := set $item "affinity" $aff }}
{{- $_ := set $item "largeGpu" $largeGpu }}
{{- $_ := set $item "nodeSelector" (merge (dict) ($g.nodeSelector | default dict) ($v.scheduling.nodeSelector | default dict)) }}
{{- $out = append $out $item }}
{{- end }}
{{- $errors = concat $errors (include "llm-model.validate" (dict "root" $root "groups" $out) | fromYamlArray) }}
{{- $errors = uniq $errors }}
{{- if $errors }}
{{- fail (printf "\n%s" (join "\n" (without $errors ""))) }}
{{- end }}
{{- toYaml (dict "groups" $out) }}
{{- end }}

{{/*
Paths of the leaves of a values block that are set: not null, not "", not false, not an empty list or map. Used to
refuse the other engine's options.
Usage: {{ include "llm-model.setLeaves" (dict "prefix" "vllm" "value" .Values.vllm) | fromYamlArray }}
*/}}
{{- define "llm-model.setLeaves" -}}
{{- $out := list }}
{{- range $k, $x := (.value | default dict) }}
{{- $p := printf "%s.%s" $.prefix $k }}
{{- if kindIs "map" $x }}
{{- $out = concat $out (include "llm-model.setLeaves" (dict "prefix" $p "value" $x) | fromYamlArray) }}
{{- else if not (empty $x) }}
{{- $out = append $out $p }}
{{- end }}
{{- end }}
{{- toYaml $out }}
{{- end }}
