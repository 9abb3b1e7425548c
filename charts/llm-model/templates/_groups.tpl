{{/*
Resolves every resource group once ("llm-model.resolveGroup"), then hands the values and the resolved groups to
"llm-model.validate", which reports every problem in one `fail`, each line naming its key.
Returns YAML `{groups: [...]}`; each item has: index, path (e.g. "resourceGroups[0]"), name, workloadName, replicas,
nodes, leaderWorkerSet (a multi-node group in multiNode.mode leaderWorkerSet), serving, autoscaling, one block per
engine (vllm, sglang: the shared block with the group's keys over it), tp, pp, dp, dcp, gpusPerInstance, gpuRule,
gpuCount (per pod), gpuResource, apiServers, cpuRequest, cpuLimit, memoryRequestGiB, memoryLimitGiB, memoryAddedGiB,
memoryReasons, offloading, chunkedPrefillOff, affinity {memoryMiBGt, products, computeMajorGt, driverMajorGt},
largeGpu, nodeSelector, and for the checks the merged gpu and resources.
Usage: {{ $groups := (include "llm-model.groups" . | fromYaml).groups }}
*/}}
{{- define "llm-model.groups" -}}
{{- $out := list }}
{{- range $i, $own := .Values.resourceGroups }}
{{- $out = append $out (include "llm-model.resolveGroup" (dict "root" $ "index" $i "own" $own) | fromYaml) }}
{{- end }}
{{- include "llm-model.validate" (dict "root" . "groups" $out) }}
{{- toYaml (dict "groups" $out) }}
{{- end }}

{{/*
One resource group resolved: resourceGroupDefaults under the group, the group's `serving` and engine-block overrides
over the shared blocks, its names, the parallel layout and GPU arithmetic (the engine's "llm-model.<engine>.resolve"
topic layout may change them: DCP, DP attention), CPU (the guide's formula unless set) and memory (base plus what
the engine keeps in CPU RAM: its topic resources), affinity thresholds (the CUDA build's defaults) and node
selector. No checks: "llm-model.validate" makes them.
Usage: {{ $g := include "llm-model.resolveGroup" (dict "root" $ "index" $i "own" $own) | fromYaml }}
*/}}
{{- define "llm-model.resolveGroup" -}}
{{- $root := .root }}
{{- $v := $root.Values }}
{{- $i := .index }}
{{- $own := .own }}
{{- $engineResolve := printf "llm-model.%s.resolve" $v.engine }}
{{- $path := printf "resourceGroups[%d]" $i }}
{{- $g := include "llm-model.merge" (dict "base" $v.resourceGroupDefaults "over" $own) | fromYaml }}
{{- $item := dict "index" $i "path" $path }}
{{- /* Shallow merge: a key set in the group replaces the shared key whole. */}}
{{- $serving := deepCopy $v.serving }}
{{- range $k, $x := $g.serving }}{{ $_ := set $serving $k $x }}{{ end }}
{{- range $blockName := include "llm-model.engineNames" $root | fromYamlArray }}
{{- $block := deepCopy (get $v $blockName | default dict) }}
{{- range $k, $x := (get $g $blockName | default dict) }}{{ $_ := set $block $k $x }}{{ end }}
{{- $_ := set $item $blockName $block }}
{{- end }}
{{- $engine := get $item $v.engine }}
{{- $name := $g.name | default "" }}
{{- /* At most 52 characters (the controller-revision-hash label), 44 for a multi-node group so that
"<workload>-workers" fits too; longer names get a hash suffix ("llm-model.shortName"). */}}
{{- $fullname := include "llm-model.fullname" $root }}
{{- $workload := include "llm-model.shortName" (dict "name" (ternary (printf "%s-%s" $fullname $name) $fullname (ne $name "")) "max" (ternary 44 52 (gt (int $g.nodes) 1))) }}
{{- $tp := int $serving.tensorParallelSize }}
{{- $pp := int $serving.pipelineParallelSize }}
{{- $dp := int $serving.dataParallelSize }}
{{- $nodes := int $g.nodes }}
{{- /* The layout: an instance's GPUs are tensor × pipeline × data parallel unless the engine says otherwise. */}}
{{- $layout := dict "dcp" 1 "instanceGpus" (mul $tp $pp $dp) "gpuRule" (printf "tensor (%d) × pipeline (%d) × data (%d) parallel sizes" $tp $pp $dp) }}
{{- $ctx := dict "root" $root "serving" $serving "block" $engine "tp" $tp "pp" $pp "dp" $dp "nodes" $nodes }}
{{- range $k, $x := include $engineResolve (merge (dict "topic" "layout") $ctx) | fromYaml }}{{ $_ := set $layout $k $x }}{{ end }}
{{- $instanceGpus := int $layout.instanceGpus }}
{{- $gpus := div $instanceGpus $nodes }}
{{- /* What the engine runs beside the GPUs: API servers, CPU RAM it keeps (and why), CPU offloading. */}}
{{- $res := dict "apiServers" 1 "memoryAddedGiB" 0 "memoryReasons" list "offloading" false "chunkedPrefillOff" false }}
{{- range $k, $x := include $engineResolve (merge (dict "topic" "resources" "gpus" $gpus) $ctx) | fromYaml }}{{ $_ := set $res $k $x }}{{ end }}
{{- $api := int $res.apiServers }}
{{- $added := int $res.memoryAddedGiB }}
{{- /* CPU: the guide's formula unless set. */}}
{{- $threads := add 1 $gpus $api (max 1 $dp) (ternary 1 0 (gt $dp 1)) }}
{{- $cpu := $g.resources.cpu }}
{{- $cpuRequest := ternary (toString $threads) (toString $cpu.request) (kindIs "invalid" $cpu.request) }}
{{- $cpuLimit := ternary (toString (mul 2 $threads)) (toString $cpu.limit) (kindIs "invalid" $cpu.limit) }}
{{- /* Memory: base plus what the engine keeps in CPU RAM (both keys are required: llm-model.validate). */}}
{{- $mem := $g.resources.memory }}
{{- $memRequest := 0 }}
{{- $memLimit := 0 }}
{{- if not (or (kindIs "invalid" $mem.requestGiB) (kindIs "invalid" $mem.limitGiB)) }}
{{- $memRequest = add (int $mem.requestGiB) $added }}
{{- $memLimit = add (int $mem.limitGiB) $added }}
{{- end }}
{{- $largeGpu := false }}
{{- range $c := $v.scheduling.largeGpu.gpuCounts }}{{ if eq (int $c) $gpus }}{{ $largeGpu = $v.scheduling.largeGpu.enabled }}{{ end }}{{ end }}
{{- /* The CUDA build's node-affinity defaults (compute major, driver major; generated from internal/gpu CUDABuilds)
unless the group sets them. */}}
{{- $cudaDefaults := include "llm-model.cudaBuilds" . | fromYaml }}
{{- $cuda := get $cudaDefaults (toString $v.image.cuda) }}
{{- $aff := dict "products" ($g.gpu.products | default list) }}
{{- $_ := set $aff "memoryMiBGt" $g.gpu.memoryMiBGt }}
{{- $_ := set $aff "computeMajorGt" (ternary (get ($cuda | default dict) "computeMajorGt") $g.gpu.computeMajorGt (kindIs "invalid" $g.gpu.computeMajorGt)) }}
{{- $_ := set $aff "driverMajorGt" (ternary (get ($cuda | default dict) "driverMajorGt") $g.gpu.driverMajorGt (kindIs "invalid" $g.gpu.driverMajorGt)) }}
{{- $_ := set $item "name" $name }}
{{- $_ := set $item "workloadName" $workload }}
{{- $_ := set $item "replicas" (int $g.replicas) }}
{{- $_ := set $item "nodes" $nodes }}
{{- /* Multi-node instances as one LeaderWorkerSet (multiNode.mode) instead of the StatefulSet pair. */}}
{{- $_ := set $item "leaderWorkerSet" (and (gt $nodes 1) (eq $v.multiNode.mode "leaderWorkerSet")) }}
{{- $_ := set $item "serving" $serving }}
{{- /* The group's autoscaling: the shared block with the group's own keys over it (read by _scaling.tpl and the engine's args). */}}
{{- $_ := set $item "autoscaling" (include "llm-model.merge" (dict "base" $v.autoscaling "over" ($own.autoscaling | default dict)) | fromYaml) }}
{{- $_ := set $item "gpusPerInstance" $instanceGpus }}
{{- $_ := set $item "gpuRule" $layout.gpuRule }}
{{- $_ := set $item "tp" $tp }}
{{- $_ := set $item "pp" $pp }}
{{- $_ := set $item "dp" $dp }}
{{- $_ := set $item "dcp" (int $layout.dcp) }}
{{- $_ := set $item "gpuCount" $gpus }}
{{- $_ := set $item "gpuResource" $g.gpu.resource }}
{{- $_ := set $item "gpu" $g.gpu }}
{{- $_ := set $item "resources" $g.resources }}
{{- $_ := set $item "apiServers" $api }}
{{- $_ := set $item "cpuRequest" $cpuRequest }}
{{- $_ := set $item "cpuLimit" $cpuLimit }}
{{- $_ := set $item "memoryRequestGiB" $memRequest }}
{{- $_ := set $item "memoryLimitGiB" $memLimit }}
{{- $_ := set $item "memoryAddedGiB" $added }}
{{- $_ := set $item "memoryReasons" $res.memoryReasons }}
{{- $_ := set $item "offloading" $res.offloading }}
{{- $_ := set $item "chunkedPrefillOff" $res.chunkedPrefillOff }}
{{- $_ := set $item "affinity" $aff }}
{{- $_ := set $item "largeGpu" $largeGpu }}
{{- $_ := set $item "nodeSelector" (merge (dict) ($g.nodeSelector | default dict) ($v.scheduling.nodeSelector | default dict)) }}
{{- toYaml $item }}
{{- end }}

{{/*
Paths of the leaves of a values block that are set: not null, not "", not false, not an empty list or map. Used to
refuse the other engines' options.
Usage: {{ include "llm-model.setLeaves" (dict "prefix" "serving" "value" .Values.serving) | fromYamlArray }}
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
