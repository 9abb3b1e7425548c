{{/*
Where the weights come from and how they reach the engine (model.source, storage.download, storage.sharedCache).

The download step runs the Hugging Face CLI of the engine image itself, so its huggingface_hub is the one the engine
loads with:
- vLLM v0.19.0: requirements/common.txt pins transformers >= 4.56.0, < 5, which requires huggingface-hub >= 0.34, < 1.0:
  the `hf` CLI (new in huggingface_hub 0.34; `huggingface-cli` is its deprecated alias, used when `hf` is absent), with
  hf_xet (a dependency of huggingface_hub since 0.32) for Xet-backed repositories, turned to its high-performance mode
  by HF_XET_HIGH_PERFORMANCE=1. docker/Dockerfile (stage vllm-openai-base) installs hf_transfer and
  runai-model-streamer[s3] into the image; huggingface_hub below 1.0 uses hf_transfer for files not on Xet when
  HF_HUB_ENABLE_HF_TRANSFER=1 (vllm/model_executor/model_loader/weight_utils.py enable_hf_transfer turns it on for the
  engine's own downloads the same way).
- SGLang v0.5.19: python/pyproject.toml (runtime_common) installs huggingface_hub and hf_transfer beside transformers
  4.57, so the same CLI and variables apply.
These were read in a public code index whose copies are newer than the tags (see the flag tables' `how`); the
script falls back to `huggingface-cli` when the image has no `hf`.

Default patterns (storage.download.exclude) skip what the engine never reads: vLLM's loader
(model_loader/default_loader.py _prepare_weights) takes the first of *.safetensors, *.bin, *.pt that matches a file
of the repository and then only the shards model.safetensors.index.json lists (weight_utils.py
filter_duplicate_safetensors_files: "Mistral-7B-v0.3 has both sharded safetensors files and a consolidated
safetensors file"); LoadConfig.ignore_patterns skips everything below original/ (Llama's original checkpoints). So for a
safetensors checkpoint, *.bin, *.pt, *.pth, consolidated*.safetensors and original/ are never read.
*/}}

{{/*
The download mode in effect: storage.download.mode, or `initContainer` for a Hub model and `none` for a model read
from a claim or object storage (nothing to download).
Usage: {{ include "llm-model.downloadMode" .Values }}
*/}}
{{- define "llm-model.downloadMode" -}}
{{- if .storage.download.mode }}{{ .storage.download.mode }}
{{- else if eq .model.source.type "hub" }}initContainer
{{- else }}none{{ end }}
{{- end }}

{{/*
The shared cache's stable path to one revision of the model: a relative symlink, written by the download Job once the
download is complete, to the snapshot directory huggingface_hub made (whose commit the chart cannot know at render).
Revision "" is the default branch, `main`; a "/" in a revision becomes "--".
Usage: {{ include "llm-model.sharedModelDir" .Values }}
*/}}
{{- define "llm-model.sharedModelDir" -}}
{{- printf "%s/llm-charts/models--%s/%s" (include "llm-model.hubCacheDir" .) (replace "/" "--" .model.name) (replace "/" "--" (default "main" .model.revision)) }}
{{- end }}

{{/*
The other Hugging Face repositories the engine reads besides the model, which a download step must fetch too (the
engine then runs with HF_HUB_OFFLINE=1): speculative.draftModel (revision speculative.draftRevision) when a method uses
it, and each lora.adapters source, when given as a Hub id rather than a path in the container (one starting with "/",
"./", "../" or "~"). Each item: key (the values key, for messages), id, revision. The engine finds them by id in the
same hub cache: vLLM's draft loads with --download-dir like the model, and vLLM (vllm/lora/utils.py
get_adapter_absolute_path) and SGLang resolve an adapter id with huggingface_hub's snapshot_download in the default
cache, HF_HUB_CACHE, which is the same directory (llm-model.cacheEnv).
Usage: {{ include "llm-model.extraHubRepos" .Values | fromYamlArray }}
*/}}
{{- define "llm-model.extraHubRepos" -}}
{{- $l := list }}
{{- $s := .speculative }}
{{- if and $s.method $s.draftModel (include "llm-model.isHubId" $s.draftModel) }}
{{- $l = append $l (dict "key" "speculative.draftModel" "id" $s.draftModel "revision" ($s.draftRevision | default "")) }}
{{- end }}
{{- $adapters := .lora.adapters | default dict }}
{{- range $name := keys $adapters | sortAlpha }}
{{- $src := toString (get $adapters $name) }}
{{- if include "llm-model.isHubId" $src }}
{{- $l = append $l (dict "key" (printf "lora.adapters.%s" $name) "id" $src "revision" "") }}
{{- end }}
{{- end }}
{{- toYaml $l }}
{{- end }}

{{/*
"true" when a draft model or adapter source is a Hugging Face id, not a path in the container.
Usage: {{ if include "llm-model.isHubId" $src }}
*/}}
{{- define "llm-model.isHubId" -}}
{{- if not (or (hasPrefix "/" .) (hasPrefix "./" .) (hasPrefix "../" .) (hasPrefix "~" .)) }}true{{ end }}
{{- end }}

{{/*
Where the engine reads the claim of model.source.pvc: mounted read-only at /mnt/model-source.
Usage: {{ include "llm-model.sourceMountPath" . }}
*/}}
{{- define "llm-model.sourceMountPath" -}}/mnt/model-source{{- end }}

{{/*
The model argument of the engine (vLLM's positional model, SGLang's --model-path): the Hub id (the engine or the
per-pod download step fills its cache), the shared cache's directory, the path in an existing claim, or the object
storage URI the Run:ai streamer reads.
Usage: {{ include "llm-model.modelArg" .Values }}
*/}}
{{- define "llm-model.modelArg" -}}
{{- $src := .model.source }}
{{- if eq $src.type "pvc" }}{{ printf "%s/%s" (include "llm-model.sourceMountPath" .) (trimPrefix "/" $src.pvc.path) | trimSuffix "/" }}
{{- else if eq $src.type "s3" }}{{ $src.s3.uri }}
{{- else if eq (include "llm-model.downloadMode" .) "sharedCache" }}{{ include "llm-model.sharedModelDir" . }}
{{- else }}{{ .model.name }}{{ end }}
{{- end }}

{{/*
The names the engine serves: model.servedModelNames, or model.name when the engine is given a path or URI instead of
the Hub id (so clients keep using the id).
Usage: {{ include "llm-model.servedNames" .Values | fromYamlArray }}
*/}}
{{- define "llm-model.servedNames" -}}
{{- $names := .model.servedModelNames | default list }}
{{- if and (not $names) (ne (include "llm-model.modelArg" .) .model.name) }}{{ $names = list .model.name }}{{ end }}
{{- toYaml $names }}
{{- end }}

{{/*
Environment of the engine container for its model source, as a YAML list of EnvVar: HF_HUB_OFFLINE=1 when a download
step filled the cache (the engine then never calls the Hub, and a file the patterns skipped fails at once instead of
being fetched inside the startup probe's window), HF_ENDPOINT when the engine downloads itself, and for object
storage the variables of boto3 / the Run:ai streamer (AWS_ENDPOINT_URL, AWS_DEFAULT_REGION,
RUNAI_STREAMER_S3_USE_VIRTUAL_ADDRESSING, AWS_EC2_METADATA_DISABLED) with the access keys from their Secret.
Usage: {{ $list = concat $list (include "llm-model.sourceEnv" .root.Values | fromYamlArray) }}
*/}}
{{- define "llm-model.sourceEnv" -}}
{{- $mode := include "llm-model.downloadMode" . }}
{{- $l := list }}
{{- if has $mode (list "initContainer" "sharedCache") }}
{{- $l = append $l (dict "name" "HF_HUB_OFFLINE" "value" "1") }}
{{- else if and (eq $mode "engine") .storage.download.endpoint }}
{{- $l = append $l (dict "name" "HF_ENDPOINT" "value" .storage.download.endpoint) }}
{{- end }}
{{- if eq .model.source.type "s3" }}
{{- $l = concat $l (include "llm-model.s3Env" .model.source.s3 | fromYamlArray) }}
{{- end }}
{{- toYaml $l }}
{{- end }}

{{/*
Object storage variables for the Run:ai streamer (vLLM docs, "Loading models with Run:ai Model Streamer": an
S3-compatible store takes AWS_ENDPOINT_URL, RUNAI_STREAMER_S3_USE_VIRTUAL_ADDRESSING=0 for path-style buckets and
AWS_EC2_METADATA_DISABLED=true off EC2), the keys by Secret reference.
Usage: {{ include "llm-model.s3Env" .Values.model.source.s3 | fromYamlArray }}
*/}}
{{- define "llm-model.s3Env" -}}
{{- $l := list }}
{{- with .endpointUrl }}{{ $l = append $l (dict "name" "AWS_ENDPOINT_URL" "value" .) }}{{ end }}
{{- with .region }}{{ $l = append $l (dict "name" "AWS_DEFAULT_REGION" "value" .) }}{{ end }}
{{- if .endpointUrl }}
{{- $l = append $l (dict "name" "AWS_EC2_METADATA_DISABLED" "value" "true") }}
{{- $l = append $l (dict "name" "RUNAI_STREAMER_S3_USE_VIRTUAL_ADDRESSING" "value" (ternary "1" "0" .virtualAddressing)) }}
{{- end }}
{{- with .secretName }}
{{- $l = append $l (dict "name" "AWS_ACCESS_KEY_ID" "valueFrom" (dict "secretKeyRef" (dict "name" . "key" $.accessKeyIdKey))) }}
{{- $l = append $l (dict "name" "AWS_SECRET_ACCESS_KEY" "valueFrom" (dict "secretKeyRef" (dict "name" . "key" $.secretAccessKeyKey))) }}
{{- end }}
{{- toYaml $l }}
{{- end }}

{{/*
The download container's environment: the Hub token (credentials.hfToken) and the Secret/ConfigMap of
credentials.secretName/configMapName come separately (envFrom); here HF_HOME on the volume (token, Xet chunk cache),
HF_ENDPOINT for a mirror, and the accelerated transfers.
Usage: {{ include "llm-model.downloadEnv" $ | fromYamlArray }}
*/}}
{{- define "llm-model.downloadEnv" -}}
{{- $v := .Values }}
{{- $d := $v.storage.download }}
{{- $l := list (dict "name" "HF_HOME" "value" (printf "%s/huggingface" (trimSuffix "/" $v.storage.mountPath))) }}
{{- with $d.endpoint }}{{ $l = append $l (dict "name" "HF_ENDPOINT" "value" .) }}{{ end }}
{{- if $d.accelerated }}
{{- $l = append $l (dict "name" "HF_HUB_ENABLE_HF_TRANSFER" "value" "1") }}
{{- $l = append $l (dict "name" "HF_XET_HIGH_PERFORMANCE" "value" "1") }}
{{- end }}
{{- with $v.credentials.hfToken.secretName }}
{{- $l = append $l (dict "name" "HF_TOKEN" "valueFrom" (dict "secretKeyRef" (dict "name" . "key" $v.credentials.hfToken.key))) }}
{{- end }}
{{- toYaml $l }}
{{- end }}

{{/*
The download command: bash runs the CLI (`hf download`, else `huggingface-cli download`) with the argument list after
the script ("$@": the model id, --revision, --cache-dir, --max-workers, --include and --exclude patterns, each its own
item, so no pattern is ever re-quoted). The CLI resumes partial files (*.incomplete in the cache) after a restart and
skips complete ones, prints its progress bars to the container log and the snapshot path last on stdout. With `link`
the script then points the shared cache's stable path (llm-model.sharedModelDir) at that snapshot, replacing the
link atomically, so an engine never sees a half-downloaded revision.
Usage: {{ include "llm-model.downloadCommand" (dict "root" $ "link" true|false) }}
*/}}
{{- define "llm-model.downloadCommand" -}}
{{- $v := .root.Values }}
{{- $d := $v.storage.download }}
{{- $hub := include "llm-model.hubCacheDir" $v }}
{{- $lines := list "set -eo pipefail" "cli=hf; command -v hf >/dev/null || cli=huggingface-cli" }}
{{- $lines = append $lines (printf "echo \"llm-charts: downloading %s (revision %s) into %s with $cli; partial files resume after a restart\"" $v.model.name (default "main" $v.model.revision) $hub) }}
{{- $lines = append $lines "snapshot=$(\"$cli\" download \"$@\" | tail -n 1)" }}
{{- /* The draft model and adapters given as Hub ids: the whole repository each (no patterns: an adapter may be
adapter_model.bin), same cache, token and endpoint; ids are checked against the Hub's repository id form in
llm-model.validateDownload, revisions are quoted for the shell. */}}
{{- range $r := include "llm-model.extraHubRepos" $v | fromYamlArray }}
{{- $rev := "" }}
{{- with $r.revision }}{{ $rev = printf " --revision '%s'" (replace "'" "'\\''" .) }}{{ end }}
{{- $lines = append $lines (printf "echo \"llm-charts: downloading %s (%s, revision %s)\"" $r.id $r.key (default "main" $r.revision)) }}
{{- $lines = append $lines (printf "\"$cli\" download %s%s --cache-dir %s --max-workers %d >/dev/null" $r.id $rev $hub (int $d.maxWorkers)) }}
{{- end }}
{{- if .link }}
{{- $link := include "llm-model.sharedModelDir" $v }}
{{- $lines = append $lines (printf "mkdir -p %s" (dir $link)) }}
{{- $lines = append $lines (printf "ln -sfn \"../../${snapshot#%s/}\" %s.tmp && mv -Tf %s.tmp %s" $hub $link $link $link) }}
{{- end }}
{{- $lines = append $lines "echo \"llm-charts: download complete: $snapshot\"" }}
{{- $args := list $v.model.name }}
{{- with $v.model.revision }}{{ $args = concat $args (list "--revision" .) }}{{ end }}
{{- $args = concat $args (list "--cache-dir" $hub "--max-workers" (toString (int $d.maxWorkers))) }}
{{- with $d.include }}{{ $args = concat $args (list "--include") . }}{{ end }}
{{- with $d.exclude }}{{ $args = concat $args (list "--exclude") . }}{{ end }}
{{- toYaml (concat (list "bash" "-c" (join "\n" $lines) "download") $args) }}
{{- end }}

{{/*
One download container (per-pod init container or the shared cache Job's container): the engine image, the download
command, its environment and credentials, the cache mounted where the engine reads it.
Usage: {{ include "llm-model.downloadContainer" (dict "root" $ "link" false "volume" "cache" "subPath" "cache") }}
*/}}
{{- define "llm-model.downloadContainer" -}}
{{- $v := .root.Values -}}
- name: download
  image: {{ include "llm-model.image" .root }}
  imagePullPolicy: {{ $v.image.pullPolicy }}
  command:
    {{- include "llm-model.downloadCommand" . | nindent 4 }}
  env:
    {{- include "llm-model.downloadEnv" .root | nindent 4 }}
  {{- if or $v.credentials.secretName $v.credentials.configMapName }}
  envFrom:
    {{- with $v.credentials.secretName }}
    - secretRef:
        name: {{ . }}
    {{- end }}
    {{- with $v.credentials.configMapName }}
    - configMapRef:
        name: {{ . }}
    {{- end }}
  {{- end }}
  resources:
    {{- toYaml $v.storage.download.resources | nindent 4 }}
  securityContext:
    {{- toYaml $v.securityContext | nindent 4 }}
  volumeMounts:
    - name: {{ .volume }}
      mountPath: {{ .mountPath }}
      {{- with .subPath }}
      subPath: {{ . }}
      {{- end }}
{{- end }}

{{/*
Init containers of an engine pod, as the `initContainers:` key (nothing when none): the per-pod download
(storage.download.mode initContainer) into the pod's own cache volume, or in sharedCache mode a wait until the
download Job has published the revision on the shared claim (the engines start only on a complete download).
Usage: {{- with include "llm-model.initContainers" $ctx }}{{ . | nindent 6 }}{{ end }}
*/}}
{{- define "llm-model.initContainers" -}}
{{- $v := .root.Values }}
{{- $mode := include "llm-model.downloadMode" $v }}
{{- if eq $mode "initContainer" -}}
initContainers:
  {{- include "llm-model.downloadContainer" (dict "root" .root "link" false "volume" $v.storage.volumeName "mountPath" $v.storage.mountPath "subPath" $v.storage.subPath) | nindent 2 }}
{{- else if eq $mode "sharedCache" }}
{{- $dir := include "llm-model.sharedModelDir" $v -}}
initContainers:
  - name: wait-for-model
    image: {{ include "llm-model.image" .root }}
    imagePullPolicy: {{ $v.image.pullPolicy }}
    command:
      - bash
      - -c
      - |-
        until [ -e {{ $dir }}/config.json ]; do
          echo "llm-charts: waiting for Job {{ include "llm-model.downloadJobName" .root }} to publish {{ $dir }}"
          sleep 15
        done
        echo "llm-charts: {{ $dir }} is ready"
    # A shell loop: next to nothing.
    resources:
      requests: {cpu: 10m, memory: 16Mi}
      limits: {cpu: 100m, memory: 64Mi}
    securityContext:
      {{- toYaml $v.securityContext | nindent 6 }}
    volumeMounts:
      - name: shared-model-cache
        mountPath: {{ include "llm-model.hubCacheDir" $v }}
        readOnly: true
{{- end }}
{{- end }}

{{/*
Extra volume mounts of the engine container for the model source: the shared cache (read-only, over the hub directory
of the pod's own volume) or the claim of model.source.pvc (read-only).
Usage: {{- with include "llm-model.sourceVolumeMounts" .Values }}{{ . | nindent 12 }}{{ end }}
*/}}
{{- define "llm-model.sourceVolumeMounts" -}}
{{- if eq (include "llm-model.downloadMode" .) "sharedCache" -}}
- name: shared-model-cache
  mountPath: {{ include "llm-model.hubCacheDir" . }}
  readOnly: true
{{- else if eq .model.source.type "pvc" -}}
- name: model-source
  mountPath: {{ include "llm-model.sourceMountPath" . }}
  readOnly: true
{{- end }}
{{- end }}

{{/*
Extra pod volumes for the model source: the shared cache's claim or the claim of model.source.pvc, both read-only.
Usage: {{- with include "llm-model.sourceVolumes" $ }}{{ . | nindent 8 }}{{ end }}
*/}}
{{- define "llm-model.sourceVolumes" -}}
{{- if eq (include "llm-model.downloadMode" .Values) "sharedCache" -}}
- name: shared-model-cache
  persistentVolumeClaim:
    claimName: {{ include "llm-model.sharedCacheClaimName" . }}
    readOnly: true
{{- else if eq .Values.model.source.type "pvc" -}}
- name: model-source
  persistentVolumeClaim:
    claimName: {{ .Values.model.source.pvc.claimName }}
    readOnly: true
{{- end }}
{{- end }}

{{/*
Name of the shared cache's claim: `<fullname>-models` (fullname is at most 52 characters).
Usage: {{ include "llm-model.sharedCacheClaimName" $ }}
*/}}
{{- define "llm-model.sharedCacheClaimName" -}}
{{- printf "%s-models" (include "llm-model.fullname" .) }}
{{- end }}

{{/*
Name of the shared cache's download Job: `<fullname>-download-<hash>` (the fullname cut to keep it within 63
characters, a label value's limit), the hash of what the Job downloads (model,
revision, patterns, endpoint, image), so a `helm upgrade` that changes any of them creates a new Job (a Job's pod
template is immutable) and Helm deletes the finished old one, while an upgrade that changes nothing else keeps it.
Usage: {{ include "llm-model.downloadJobName" $ }}
*/}}
{{- define "llm-model.downloadJobName" -}}
{{- $v := .Values }}
{{- $what := list $v.model.name $v.model.revision $v.storage.download.include $v.storage.download.exclude $v.storage.download.endpoint (include "llm-model.image" .) }}
{{- /* The Job's name is also its pods' job-name label value: at most 63 characters, so the fullname is cut to fit. */}}
{{- $suffix := printf "-download-%s" (toJson $what | sha256sum | trunc 8) }}
{{- printf "%s%s" (include "llm-model.fullname" . | trunc (int (sub 63 (len $suffix))) | trimSuffix "-") $suffix }}
{{- end }}

{{/*
Problems of the model source, download and loading keys, one line each naming the key (reported by
"llm-model.groups" with the others).
Usage: {{ $e = concat $e (include "llm-model.validateDownload" $ | fromYamlArray) }}
*/}}
{{- define "llm-model.validateDownload" -}}
{{- $v := .Values }}
{{- $e := list }}
{{- $src := $v.model.source }}
{{- $d := $v.storage.download }}
{{- $mode := include "llm-model.downloadMode" $v }}
{{- if and (ne $src.type "hub") (has $d.mode (list "initContainer" "sharedCache" "engine")) }}
{{- $e = append $e (printf "storage.download.mode %s downloads from the Hugging Face Hub, but model.source.type is %s: leave storage.download.mode empty (the engine reads the model where model.source says)" $d.mode $src.type) }}
{{- end }}
{{- if and (eq $src.type "pvc") (not $src.pvc.claimName) }}
{{- $e = append $e "model.source.pvc.claimName is required with model.source.type pvc: an existing claim holding the model directory (config.json, tokenizer and weights)" }}
{{- end }}
{{- if regexMatch `(^|/)\.\.(/|$)` $src.pvc.path }}
{{- $e = append $e (printf "model.source.pvc.path %q must stay inside the claim (no '..')" $src.pvc.path) }}
{{- end }}
{{- if eq $src.type "s3" }}
{{- if not (regexMatch "^(s3|gs)://[^/]+/.+" $src.s3.uri) }}
{{- $e = append $e (printf "model.source.s3.uri %q must be s3://BUCKET/PREFIX (or gs://BUCKET/PREFIX): the directory of the model's safetensors, config and tokenizer files" $src.s3.uri) }}
{{- end }}
{{- end }}
{{- /* What the engine can load: object storage, load formats, loading options (its validate, topic source). */}}
{{- $e = concat $e (include (printf "llm-model.%s.validate" $v.engine) (dict "root" . "topic" "source") | fromYamlArray) }}
{{- if eq $mode "sharedCache" }}
{{- $c := $v.storage.sharedCache }}
{{- if not $c.size }}
{{- $e = append $e "storage.sharedCache.size is required with storage.download.mode sharedCache: the one claim every pod reads the weights from (chartgen writes it: the downloaded files + 15%)" }}
{{- end }}
{{- if not (or (has "ReadWriteMany" $c.accessModes) (has "ReadOnlyMany" $c.accessModes)) }}
{{- $e = append $e (printf "storage.sharedCache.accessModes %v must include ReadWriteMany or ReadOnlyMany: every pod of every group and rank mounts the claim, on many nodes" $c.accessModes) }}
{{- end }}
{{- if not (has "ReadWriteMany" $c.accessModes) }}
{{- $e = append $e "storage.sharedCache.accessModes needs ReadWriteMany: the download Job writes the claim that the engines then mount read-only (a ReadOnlyMany claim must come pre-filled: use model.source.type pvc for that)" }}
{{- end }}
{{- end }}
{{- range $r := include "llm-model.extraHubRepos" $v | fromYamlArray }}
{{- if not (regexMatch `^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?$` $r.id) }}
{{- $e = append $e (printf "%s %q is neither a Hugging Face id (ORG/NAME, letters, digits, '.', '_', '-') nor a path in the container (starting with /, ./, ../ or ~)" $r.key $r.id) }}
{{- else if eq $mode "sharedCache" }}
{{- $e = append $e (printf "%s %s is a Hugging Face id, which storage.download.mode sharedCache cannot serve: the engines mount the shared cache read-only and run with HF_HUB_OFFLINE=1, and the download Job publishes only the model's revision there. Use storage.download.mode initContainer (each pod's download step fetches it with the model) or engine, or give a path in the container (e.g. on model.source.pvc)" $r.key $r.id) }}
{{- end }}
{{- end }}
{{- if and (ne $mode "sharedCache") (ne (toString $v.storage.sharedCache.size) "") }}
{{- $e = append $e (printf "storage.sharedCache.size is set but storage.download.mode is %s: set storage.download.mode sharedCache, or remove storage.sharedCache.size" $mode) }}
{{- end }}
{{- if and (eq $mode "none") (or $d.include $d.endpoint) }}
{{- $e = append $e (printf "storage.download.include and storage.download.endpoint apply to a Hub download, but model.source.type is %s" $src.type) }}
{{- end }}
{{- if and (eq $mode "engine") $d.include }}
{{- $e = append $e "storage.download.include applies to the chart's download step, but storage.download.mode is engine (the engine picks its own files): set storage.download.mode initContainer or sharedCache, or remove it" }}
{{- end }}
{{- toYaml $e }}
{{- end }}

{{/*
NOTES' paragraph on where the weights come from and where to watch their download.
Usage: {{ include "llm-model.notesDownload" (dict "root" . "groups" $groups) }}
*/}}
{{- define "llm-model.notesDownload" -}}
{{- $v := .root.Values }}
{{- $ns := .root.Release.Namespace }}
{{- $mode := include "llm-model.downloadMode" $v }}
{{- if eq $mode "initContainer" -}}
Weights: each pod downloads {{ $v.model.name }} ({{ default "main" $v.model.revision }}) into its own volume in its `download` init container
{{- with include "llm-model.extraHubRepos" $v | fromYamlArray }}
{{- $names := list }}{{ range . }}{{ $names = append $names (printf "%s (%s)" .id .key) }}{{ end }}
(with {{ join ", " $names }})
{{- end }}
before the engine starts (a restart resumes it). Watch the download:
{{- range $g := .groups }}
  kubectl -n {{ $ns }} logs -f {{ $g.workloadName }}-0 -c download
{{- end }}
{{- else if eq $mode "sharedCache" -}}
{{- $job := include "llm-model.downloadJobName" .root -}}
Weights: the Job {{ $job }} downloads {{ $v.model.name }} ({{ default "main" $v.model.revision }}) once into the shared claim
{{ include "llm-model.sharedCacheClaimName" .root }}; every engine pod mounts it read-only and waits for it in its `wait-for-model` init container.
Watch the download:
  kubectl -n {{ $ns }} logs -f job/{{ $job }}
{{- else if eq $mode "engine" -}}
Weights: the engine downloads {{ $v.model.name }} at start, inside the startup probe's window (storage.download.mode engine).
{{- else if eq $v.model.source.type "pvc" -}}
Weights: read from the claim {{ $v.model.source.pvc.claimName }}{{ with $v.model.source.pvc.path }} at {{ . }}{{ end }} (read-only); nothing is downloaded.
{{- else -}}
Weights: streamed from {{ $v.model.source.s3.uri }} by the Run:ai streamer; nothing is stored on the pods' volumes.
{{- end }}
{{- end }}
