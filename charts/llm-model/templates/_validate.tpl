{{/*
Validation, in layers, of the values and the resolved groups ("llm-model.groups" calls it once): what the JSON Schema
cannot express. Engine-neutral contradictions are here (llm-model.validateValues, validateLayout, validateGroup,
validateSpeculative, validateLora); each engine's rules are its "llm-model.<engine>.validate", called by topic at
their place (group, source, lora, speculative); Kubernetes syntax is _validate_k8s.tpl, secrets _validate_secrets.tpl,
the model source _download.tpl (validateDownload), the endpoint picker _pool.tpl. Every problem found is reported in
this one `fail`, each line naming its key, in a fixed order.
Usage: {{ include "llm-model.validate" (dict "root" $ "groups" $groups) }}
*/}}
{{- define "llm-model.validate" -}}
{{- $v := .root.Values }}
{{- $e := include "llm-model.validateValues" .root | fromYamlArray }}
{{- range $g := .groups }}
{{- $e = concat $e (include "llm-model.validateLayout" (dict "root" $.root "group" $g "groups" $.groups) | fromYamlArray) }}
{{- end }}
{{- /* Helm drops a null or empty key before the schema sees minItems: an empty list would render no StatefulSet,
and `helm upgrade` would delete every running one. */}}
{{- if not $v.resourceGroups }}
{{- $e = append $e "resourceGroups: no resource groups (the key is empty or null), so no StatefulSet would be rendered and an upgrade would delete the running ones; list at least one group, e.g. resourceGroups: [{name: \"\"}]" }}
{{- end }}
{{- $e = concat $e (include "llm-model.validateSecrets" .root | fromYamlArray) }}
{{- $e = concat $e (include "llm-model.validateNames" . | fromYamlArray) }}
{{- $e = concat $e (include "llm-model.validateSyntax" .root | fromYamlArray) }}
{{- $e = concat $e (include "llm-model.validateDownload" .root | fromYamlArray) }}
{{- $e = concat $e (include "llm-model.validateCapabilities" . | fromYamlArray) }}
{{- range $g := .groups }}
{{- $e = concat $e (include "llm-model.validateGroup" (dict "root" $.root "group" $g) | fromYamlArray) }}
{{- end }}
{{- $e = concat $e (include "llm-model.validatePool" . | fromYamlArray) }}
{{- $e = uniq $e }}
{{- if $e }}
{{- fail (printf "\n%s" (join "\n" (without $e ""))) }}
{{- end }}
{{- end }}

{{/*
Checks of the values as a whole, before any group: the required keys, the CUDA build's tag suffix, and the options of
the engines not in use (every key of another engine's block must be unset).
Usage: {{ $e := include "llm-model.validateValues" $ | fromYamlArray }}
*/}}
{{- define "llm-model.validateValues" -}}
{{- $v := .Values }}
{{- $errors := list }}
{{- if not $v.model.name }}
{{- $errors = append $errors "model.name is required: the Hugging Face model id (e.g. MiniMaxAI/MiniMax-M2.5)" }}
{{- end }}
{{- if not $v.storage.size }}
{{- $errors = append $errors "storage.size is required: the model cache volume size (the guide: 10-20% over the weights), e.g. 256Gi" }}
{{- end }}
{{- $engine := $v.engine }}
{{- if and (not $v.image.tag) (not (include "llm-model.tagSuffix" . | fromYaml).ok) }}
{{- $errors = append $errors (printf "image.cuda %q: %s %s publishes no image of that CUDA build as far as the chart knows (its tag schemes); set image.cudaTagSuffixes.%s.%q to the build's tag suffix, or image.tag" (toString $v.image.cuda) $engine (include "llm-model.engineVersion" .) $engine (toString $v.image.cuda)) }}
{{- end }}
{{- range $other := without (include "llm-model.engineNames" . | fromYamlArray) $engine }}
{{- range $p := (include "llm-model.setLeaves" (dict "prefix" $other "value" (get $v $other)) | fromYamlArray) }}
{{- $errors = append $errors (printf "%s is a %s option, but engine is %s: remove it or set engine: %s" $p $other $engine $other) }}
{{- end }}
{{- end }}
{{- toYaml $errors }}
{{- end }}

{{/*
Engine-neutral checks of one resolved group's layout and resources: other engines' options in the group, a name used
twice, nodes that do not divide the instance's GPUs, gpu.count against the layout, expert parallelism on one GPU,
parsers on an embedding model, a batch over the context; then the engine's rules (its validate, topic group); then
CPU for offloading and the memory keys.
Usage: {{ include "llm-model.validateLayout" (dict "root" $ "group" $g "groups" $groups) | fromYamlArray }}
*/}}
{{- define "llm-model.validateLayout" -}}
{{- $v := .root.Values }}
{{- $g := .group }}
{{- $path := $g.path }}
{{- $errors := list }}
{{- $own := index $v.resourceGroups (int $g.index) | default dict }}
{{- range $other := without (include "llm-model.engineNames" .root | fromYamlArray) $v.engine }}
{{- range $p := (include "llm-model.setLeaves" (dict "prefix" (printf "%s.%s" $path $other) "value" (get $own $other)) | fromYamlArray) }}
{{- $errors = append $errors (printf "%s is a %s option, but engine is %s" $p $other $v.engine) }}
{{- end }}
{{- end }}
{{- $prev := -1 }}
{{- range $h := .groups }}{{ if and (lt (int $h.index) (int $g.index)) (eq $h.name $g.name) }}{{ $prev = int $h.index }}{{ end }}{{ end }}
{{- if ge $prev 0 }}
{{- $errors = append $errors (printf "%s.name %q is used by resourceGroups[%v] too: group names must be unique (at most one may be empty)" $path $g.name $prev) }}
{{- end }}
{{- $nodes := int $g.nodes }}
{{- $instanceGpus := int $g.gpusPerInstance }}
{{- if ne (mod $instanceGpus $nodes) 0 }}
{{- $errors = append $errors (printf "%s.nodes %d does not divide the %d GPUs of one instance (%s)" $path $nodes $instanceGpus $g.gpuRule) }}
{{- end }}
{{- if not (kindIs "invalid" $g.gpu.count) }}
{{- if ne (int $g.gpu.count) (int $g.gpuCount) }}
{{- $errors = append $errors (printf "%s.gpu.count is %d but %s need %d GPUs per pod (over %d nodes)" $path (int $g.gpu.count) $g.gpuRule (int $g.gpuCount) $nodes) }}
{{- end }}
{{- end }}
{{- $serving := $g.serving }}
{{- if and $serving.enableExpertParallel (le (mul (int $g.tp) (int $g.dp)) 1) }}
{{- $errors = append $errors (printf "%s: serving.enableExpertParallel needs tensor × data parallel size > 1 (experts are spread across GPUs)" $path) }}
{{- end }}
{{- if eq $v.model.task "embed" }}
{{- if or $serving.toolCallParser $serving.reasoningParser }}
{{- $errors = append $errors (printf "%s: serving.toolCallParser and serving.reasoningParser must be empty for an embedding model (model.task: embed)" $path) }}
{{- end }}
{{- end }}
{{- $mml := $serving.maxModelLen }}
{{- $mnbt := $serving.maxNumBatchedTokens }}
{{- if and (not (kindIs "invalid" $mml)) (not (kindIs "invalid" $mnbt)) (not $g.chunkedPrefillOff) (gt (int64 $mnbt) (int64 $mml)) }}
{{- $errors = append $errors (printf "%s: serving.maxNumBatchedTokens (%d) must not exceed serving.maxModelLen (%d)" $path (int64 $mnbt) (int64 $mml)) }}
{{- end }}
{{- $errors = concat $errors (include (printf "llm-model.%s.validate" $v.engine) (dict "root" .root "group" $g "topic" "group") | fromYamlArray) }}
{{- $cpu := $g.resources.cpu }}
{{- if and $g.offloading (or (kindIs "invalid" $cpu.request) (kindIs "invalid" $cpu.limit)) }}
{{- $errors = append $errors (printf "%s.resources.cpu.request and .limit must be set when offloading to CPU RAM: the guide asks for the most CPU threads the node can give" $path) }}
{{- end }}
{{- $mem := $g.resources.memory }}
{{- if or (kindIs "invalid" $mem.requestGiB) (kindIs "invalid" $mem.limitGiB) }}
{{- $errors = append $errors (printf "%s.resources.memory.requestGiB and .limitGiB are required (the guide: request slightly over half the loaded model size, limit slightly over the whole)" $path) }}
{{- else if gt (int $mem.requestGiB) (int $mem.limitGiB) }}
{{- $errors = append $errors (printf "%s.resources.memory.requestGiB (%d) is over limitGiB (%d)" $path (int $mem.requestGiB) (int $mem.limitGiB)) }}
{{- end }}
{{- toYaml $errors }}
{{- end }}

{{/*
Names the chart builds, checked as the API server checks them: the Service name (the fullname) is a DNS-1035 label;
StatefulSet names are DNS-1123 labels of at most 52 characters (the controller-revision-hash label adds 11); and no
two objects of one kind share a name, across groups and ranks (a group named "workers" beside a multi-node group,
whose worker StatefulSet is "<fullname>-workers", would collide). Each problem names the value that caused it.
Usage: {{ include "llm-model.validateNames" (dict "root" $ "groups" $groups) | fromYamlArray }}
*/}}
{{- define "llm-model.validateNames" -}}
{{- $root := .root }}
{{- $v := $root.Values }}
{{- $e := list }}
{{- $full := include "llm-model.fullname" $root }}
{{- $cause := ternary "fullnameOverride" (printf "the release name %q (fullname %q)" $root.Release.Name $full) (not (empty $v.fullnameOverride)) }}
{{- $fullOK := regexMatch `^[a-z]([-a-z0-9]*[a-z0-9])?$` $full }}
{{- if not $fullOK }}
{{- $e = append $e (printf "%s: the Service name %q is not a DNS-1035 label (lower-case letters, digits and '-', starting with a letter, ending with a letter or digit), which the API server requires of Service names; set fullnameOverride, e.g. %q" $cause $full (include "llm-model.dnsLabel" $full)) }}
{{- end }}
{{- $stsNames := dict }}
{{- $svcNames := dict $full "the chart's Service (the fullname)" }}
{{- range $g := .groups }}
{{- $ranks := ternary (list "leader" "worker") (list "leader") (gt (int $g.nodes) 1) }}
{{- range $rank := $ranks }}
{{- $n := include "llm-model.rankName" (dict "group" $g "rank" $rank) }}
{{- $what := printf "%s.name %q (%s StatefulSet)" $g.path $g.name $rank }}
{{- if and $fullOK (not (regexMatch `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$` $n)) }}
{{- $e = append $e (printf "%s: StatefulSet name %q is not a DNS-1123 label (lower-case letters, digits and '-')" $what $n) }}
{{- end }}
{{- /* Two groups of one name are reported by "llm-model.groups" already. */}}
{{- if and (hasKey $stsNames $n) (ne (get $stsNames $n).group $g.name) }}
{{- $e = append $e (printf "%s: StatefulSet name %q is also the name of %s; rename one of the groups" $what $n (get $stsNames $n).what) }}
{{- end }}
{{- $_ := set $stsNames $n (dict "what" $what "group" $g.name) }}
{{- end }}
{{- if gt (int $g.nodes) 1 }}
{{- $n := include "llm-model.ranksServiceName" $g }}
{{- if hasKey $svcNames $n }}
{{- $e = append $e (printf "%s.name %q: the headless Service %q of its multi-node instances is also the name of %s; rename the group" $g.path $g.name $n (get $svcNames $n)) }}
{{- end }}
{{- $_ := set $svcNames $n (printf "%s.name %q (rank-0 Service)" $g.path $g.name) }}
{{- end }}
{{- end }}
{{- toYaml $e }}
{{- end }}

{{/*
Checks of one resolved resource group: CPU request over its limit, extraArgs that repeat or contradict a flag the
chart renders or hold a flag and its value in one item, a context past the model's own without RoPE scaling, and a
rendezvous port equal to the HTTP port.
Usage: {{ include "llm-model.validateGroup" (dict "root" $ "group" $g) | fromYamlArray }}
*/}}
{{- define "llm-model.validateGroup" -}}
{{- $v := .root.Values }}
{{- $g := .group }}
{{- $s := $g.serving }}
{{- $e := list }}
{{- $cpu := list (list "request" $g.cpuRequest) (list "limit" $g.cpuLimit) }}
{{- range $q := $cpu }}
{{- if not (include "llm-model.quantity" (index $q 1)) }}
{{- $e = append $e (printf "%s.resources.cpu.%s %q is not a Kubernetes quantity (e.g. 8, 2.5 or 500m)" $g.path (index $q 0) (index $q 1)) }}
{{- end }}
{{- end }}
{{- if and (include "llm-model.quantity" $g.cpuRequest) (include "llm-model.quantity" $g.cpuLimit) }}
{{- if gt (float64 (include "llm-model.quantity" $g.cpuRequest)) (float64 (include "llm-model.quantity" $g.cpuLimit)) }}
{{- $e = append $e (printf "%s.resources.cpu.request (%s) is over resources.cpu.limit (%s); the API server refuses a request above its limit (an unset one is the guide's formula, the limit twice it)" $g.path $g.cpuRequest $g.cpuLimit) }}
{{- end }}
{{- end }}
{{- /* extraArgs against the flags the chart renders. */}}
{{- $bare := deepCopy $g }}
{{- $_ := set $bare.serving "extraArgs" list }}
{{- $rendered := include "llm-model.args" (dict "root" .root "group" $bare) | fromYamlArray }}
{{- $owned := dict }}
{{- range $a := $rendered }}
{{- if hasPrefix "--" (toString $a) }}{{ $_ := set $owned (include "llm-model.flagName" $a) true }}{{ end }}
{{- end }}
{{- /* The rank flags the command line adds for multi-node instances, the engine's other spellings of its flags and
the values key of each flag: the engine's data (_engines.tpl, generated from internal/engine/specs). */}}
{{- $engine := include "llm-model.engine" .root | fromYaml }}
{{- range $r := $engine.rankFlags }}{{ $_ := set $owned $r.flag true }}{{ end }}
{{- $alias := $engine.aliases }}
{{- $keyOf := $engine.keyOf }}
{{- $args := $s.extraArgs | default list }}
{{- range $i, $a := $args }}
{{- $a = toString $a }}
{{- $p := printf "%s: serving.extraArgs[%d]" $g.path $i }}
{{- if regexMatch `^--?[A-Za-z0-9][-_A-Za-z0-9.]*\s+\S` $a }}
{{- $e = append $e (printf "%s %q holds a flag and its value in one item: the engine receives it as one word (no shell splits it); give them as two items, %q and %q" $p $a (regexReplaceAll `\s.*$` $a "") (regexReplaceAll `^\S+\s+` $a "")) }}
{{- else if hasPrefix "-" $a }}
{{- $f := include "llm-model.flagName" $a }}
{{- $f = get $alias $f | default $f }}
{{- $base := regexReplaceAll `^--no-` $f "--" }}
{{- if or (hasKey $owned $f) (hasKey $owned $base) (hasKey $owned (printf "--no-%s" (trimPrefix "--" $f))) }}
{{- $key := get $keyOf $base | default (get $keyOf $f) }}
{{- /* Only the flag is quoted back, never a `=value`: it may be a secret (--api-key=...). */}}
{{- $e = append $e (printf "%s %q repeats or contradicts %s, which the chart already renders%s; set the value there instead of in extraArgs" $p (regexReplaceAll `=.*$` $a "=...") (ternary $base $f (hasKey $owned $base)) (ternary (printf " from %s" $key) "" (ne $key ""))) }}
{{- end }}
{{- end }}
{{- end }}
{{- /* Flags the target release does not have: the spans of the engine's flag tables (_engines.tpl, generated from
internal/flagtable/tables), for the flags the chart renders from values and for those in extraArgs. */}}
{{- $release := include "llm-model.engineVersion" .root }}
{{- if include "llm-model.isRelease" $release }}
{{- range $i, $a := concat $rendered (list "--") $args }}
{{- $a = toString $a }}
{{- if and (hasPrefix "--" $a) (not (regexMatch `\s` $a)) }}
{{- $f := include "llm-model.flagName" $a }}
{{- $f = get $alias $f | default $f }}
{{- $sp := get $engine.spans $f | default (get $engine.spans (regexReplaceAll `^--no-` $f "--")) }}
{{- if $sp }}
{{- $x := sub $i (add1 (len $rendered)) }}
{{- $where := ternary (printf "%s: serving.extraArgs[%d] %q" $g.path $x (regexReplaceAll `=.*$` $a "=...")) (printf "%s: %s renders %s, which" $g.path (get $keyOf $f | default "the chart") $f) (ge $x 0) }}
{{- if and $sp.below (semverCompare (printf "<%s" $sp.below) $release) }}
{{- $e = append $e (printf "%s is not in %s %s: the chart's flag tables have it from %s on, and %s's lacks it. Raise image.version, or leave it out" $where $v.engine $release $sp.first $sp.absentIn) }}
{{- else if and $sp.from (semverCompare (printf ">=%s" $sp.from) $release) }}
{{- $e = append $e (printf "%s is not in %s %s: the chart's flag tables have it up to %s, and %s's lacks it, so the engine would refuse to start. Leave it out (chartgen releases diff %s %s %s shows what changed)" $where $v.engine $release $sp.last $sp.goneIn $v.engine $sp.last $sp.goneIn) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- $e = concat $e (include "llm-model.validateSpeculative" . | fromYamlArray) }}
{{- $e = concat $e (include "llm-model.validateLora" . | fromYamlArray) }}
{{- /* A context past the model's own needs RoPE scaling in hfOverrides. */}}
{{- $plan := $v.plan | default dict }}
{{- if and (not (kindIs "invalid" $s.maxModelLen)) $plan.modelMaxLen }}
{{- if and (gt (int64 $s.maxModelLen) (int64 $plan.modelMaxLen)) (not (include "llm-model.hasRope" $s.hfOverrides)) }}
{{- $e = append $e (printf "%s: serving.maxModelLen %d is over the model's context (plan.modelMaxLen %d), and serving.hfOverrides sets no RoPE scaling (rope_scaling or rope_parameters, at the top or under text_config): the engine would refuse it, or answer badly past %d tokens. Add RoPE scaling (see values.yaml) or lower maxModelLen" $g.path (int64 $s.maxModelLen) (int64 $plan.modelMaxLen) (int64 $plan.modelMaxLen)) }}
{{- end }}
{{- end }}
{{- if and (gt (int $g.nodes) 1) (eq (int $v.multiNode.port) (int (include "llm-model.enginePort" $v))) }}
{{- $e = append $e (printf "multiNode.port %d is also the engine port (service.enginePort, else service.port): rank 0 would listen for the rendezvous and for HTTP on one port (%s has nodes %d); choose another port" (int $v.multiNode.port) $g.path (int $g.nodes)) }}
{{- end }}
{{- toYaml $e }}
{{- end }}

{{/*
A flag's name for comparison: the part before "=", with "_" turned into "-" (the engines accept both spellings).
Usage: {{ include "llm-model.flagName" "--tensor_parallel_size=4" }} → --tensor-parallel-size
*/}}
{{- define "llm-model.flagName" -}}
{{- $n := regexReplaceAll `=.*$` (toString .) "" }}
{{- printf "%s%s" (regexFind `^-+` $n) (replace "_" "-" (regexReplaceAll `^-+` $n "")) }}
{{- end }}

{{/*
"true" when hfOverrides extends the context: rope_scaling or rope_parameters at the top level or under text_config
(the language model's config of a multimodal model), not null and not empty.
Usage: {{ if include "llm-model.hasRope" $s.hfOverrides }}
*/}}
{{- define "llm-model.hasRope" -}}
{{- $o := . | default dict }}
{{- $found := false }}
{{- range $m := list $o (get $o "text_config" | default dict) }}
{{- if kindIs "map" $m }}
{{- range $k := list "rope_scaling" "rope_parameters" }}
{{- if not (empty (get $m $k)) }}{{ $found = true }}{{ end }}
{{- end }}
{{- end }}
{{- end }}
{{- if $found }}true{{ end }}
{{- end }}

{{/*
Speculative decoding against one resolved group, engine-neutral: a method needs its token count, eagle / eagle3 /
draft a draft model (mtp and ngram take none), no pipeline parallelism (neither pinned engine runs a drafter across
stages: vllm-project/vllm#52069, #57755), a generation model, and no speculative key (speculative.*, and the
engine's tuning keys: its facts' speculativeTuning) without a method; then the engine's rules (its validate, topic
speculative).
Usage: {{ $e = concat $e (include "llm-model.validateSpeculative" (dict "root" $ "group" $g) | fromYamlArray) }}
*/}}
{{- define "llm-model.validateSpeculative" -}}
{{- $v := .root.Values }}
{{- $g := .group }}
{{- $s := $v.speculative }}
{{- $e := list }}
{{- $tuning := dict "speculative.numSpeculativeTokens" $s.numSpeculativeTokens "speculative.draftModel" $s.draftModel "speculative.draftRevision" $s.draftRevision }}
{{- range $k := (include (printf "llm-model.%s.facts" $v.engine) .root | fromYaml).speculativeTuning }}
{{- $x := $g }}
{{- range $p := splitList "." $k }}{{ $x = index ($x | default dict) $p }}{{ end }}
{{- $_ := set $tuning $k $x }}
{{- end }}
{{- if not $s.method }}
{{- range $k := keys $tuning | sortAlpha }}
{{- $x := get $tuning $k }}
{{- if and (not (kindIs "invalid" $x)) (ne (toString $x) "") }}
{{- $e = append $e (printf "%s is set but speculative.method is empty: set a method (mtp, eagle, eagle3, draft, ngram) or remove it" $k) }}
{{- end }}
{{- end }}
{{- else }}
{{- $m := $s.method }}
{{- if kindIs "invalid" $s.numSpeculativeTokens }}
{{- $e = append $e (printf "speculative.numSpeculativeTokens is required with speculative.method %s (tokens drafted per step; chartgen values --speculative chooses it)" $m) }}
{{- end }}
{{- if and (has $m (list "eagle" "eagle3" "draft")) (not $s.draftModel) }}
{{- $e = append $e (printf "speculative.draftModel is required with speculative.method %s: the Hugging Face id or path of the %s" $m (ternary "draft model" "EAGLE head" (eq $m "draft"))) }}
{{- end }}
{{- if and (has $m (list "mtp" "ngram")) $s.draftModel }}
{{- $e = append $e (printf "speculative.draftModel %q is refused with speculative.method %s, which %s; use eagle, eagle3 or draft for a draft model" $s.draftModel $m (ternary "drafts with the model's own MTP layers" "looks tokens up in the prompt" (eq $m "mtp"))) }}
{{- end }}
{{- if and $s.draftRevision (not $s.draftModel) }}
{{- $e = append $e "speculative.draftRevision needs speculative.draftModel" }}
{{- end }}
{{- if gt (int $g.pp) 1 }}
{{- $e = append $e (printf "%s: speculative.method %s with serving.pipelineParallelSize %d: neither pinned engine runs speculative decoding across pipeline stages (vllm-project/vllm#52069); use tensor parallelism only or remove speculative.method" $g.path $m (int $g.pp)) }}
{{- end }}
{{- if eq $v.model.task "embed" }}
{{- $e = append $e "speculative.method must be empty for an embedding model (model.task: embed): it generates no tokens to draft" }}
{{- end }}
{{- $e = concat $e (include (printf "llm-model.%s.validate" $v.engine) (dict "root" .root "group" $g "topic" "speculative") | fromYamlArray) }}
{{- end }}
{{- toYaml $e }}
{{- end }}

{{/*
LoRA against one resolved group, engine-neutral: limits only with adapters or runtime updates, adapter names apart
from the base model's names, no adapters on an embedding model; the engine's rules (its validate, topic lora: ranks,
its own keys, LoRA with speculative decoding) between them.
Usage: {{ $e = concat $e (include "llm-model.validateLora" (dict "root" $ "group" $g) | fromYamlArray) }}
*/}}
{{- define "llm-model.validateLora" -}}
{{- $v := .root.Values }}
{{- $l := $v.lora }}
{{- $e := list }}
{{- $on := or $l.adapters $l.runtimeUpdates }}
{{- range $k := list "maxLoras" "maxRank" "maxCpuLoras" }}
{{- /* hasKey: Helm 4 drops null keys, and sprig's get returns "" for a missing one. */}}
{{- if and (not $on) (hasKey $l $k) (not (kindIs "invalid" (get $l $k))) }}
{{- $e = append $e (printf "lora.%s is set but no adapter is served: list lora.adapters or set lora.runtimeUpdates: true" $k) }}
{{- end }}
{{- end }}
{{- if and (not $on) $l.targetModules }}
{{- $e = append $e "lora.targetModules is set but no adapter is served: list lora.adapters or set lora.runtimeUpdates: true" }}
{{- end }}
{{- $base := concat (list $v.model.name) ($v.model.servedModelNames | default list) }}
{{- range $name := keys ($l.adapters | default dict) | sortAlpha }}
{{- if has $name $base }}
{{- $e = append $e (printf "lora.adapters.%s: the adapter name is also a name of the base model (%s); clients could not tell them apart, so give the adapter another name" $name (join ", " $base)) }}
{{- end }}
{{- end }}
{{- $e = concat $e (include (printf "llm-model.%s.validate" $v.engine) (dict "root" .root "topic" "lora") | fromYamlArray) }}
{{- if eq $v.model.task "embed" }}{{ if $on }}
{{- $e = append $e "lora must be empty for an embedding model (model.task: embed): the chart serves adapters for generation only" }}
{{- end }}{{ end }}
{{- toYaml (uniq $e) }}
{{- end }}
