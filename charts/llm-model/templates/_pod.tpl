{{/*
The pod template (metadata and spec) of one rank of one resource group: the leader (rank 0 of a multi-node instance,
or the only pod of a single-node one) or a worker. The StatefulSets (statefulset.yaml) and the LeaderWorkerSet
(leaderworkerset.yaml, its leaderTemplate and workerTemplate) all take their pods from here, so the two multi-node
modes run the same containers, probes, resources, placement and volumes.
Usage: {{ include "llm-model.podTemplate" (dict "root" $ "group" $g "rank" "leader"|"worker") | nindent 4 }}
*/}}
{{- define "llm-model.podTemplate" -}}
{{- $root := .root }}
{{- $g := .group }}
{{- $multi := gt (int $g.nodes) 1 -}}
metadata:
  labels:
    {{- include "llm-model.groupLabels" . | nindent 4 }}
    {{- with $root.Values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- with $root.Values.podAnnotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  {{- /* Engine pods never call the Kubernetes API: no token unless a value asks for one. */}}
  automountServiceAccountToken: {{ $root.Values.automountServiceAccountToken }}
  {{- with $root.Values.priorityClassName }}
  priorityClassName: {{ . }}
  {{- end }}
  securityContext:
    {{- toYaml $root.Values.podSecurityContext | nindent 4 }}
  affinity:
    {{- include "llm-model.affinity" . | nindent 4 }}
  {{- with $g.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with include "llm-model.tolerations" . }}
  tolerations:
    {{- . | nindent 4 }}
  {{- end }}
  {{- with include "llm-model.initContainers" . }}{{ . | nindent 2 }}{{ end }}
  containers:
    - name: {{ $root.Values.engine }}
      image: {{ include "llm-model.image" $root }}
      imagePullPolicy: {{ $root.Values.image.pullPolicy }}
      command:
        {{- include "llm-model.command" . | nindent 8 }}
      args:
        {{- include "llm-model.args" . | nindent 8 }}
      {{- with include "llm-model.env" . }}
      env:
        {{- . | nindent 8 }}
      {{- end }}
      {{- if or $root.Values.credentials.secretName $root.Values.credentials.configMapName }}
      envFrom:
        {{- with $root.Values.credentials.secretName }}
        - secretRef:
            name: {{ . }}
        {{- end }}
        {{- with $root.Values.credentials.configMapName }}
        - configMapRef:
            name: {{ . }}
        {{- end }}
      {{- end }}
      ports:
        - name: http
          containerPort: {{ include "llm-model.enginePort" $root.Values }}
          protocol: TCP
        {{- if $multi }}
        - name: rendezvous
          containerPort: {{ int $root.Values.multiNode.port }}
          protocol: TCP
        {{- end }}
      {{- include "llm-model.probes" . | nindent 6 }}
      resources:
        requests:
          cpu: {{ $g.cpuRequest | quote }}
          memory: {{ printf "%dGi" (int $g.memoryRequestGiB) }}
          {{ $g.gpuResource }}: {{ $g.gpuCount | quote }}
          {{- with $root.Values.ephemeralStorage.request }}
          ephemeral-storage: {{ . }}
          {{- end }}
        limits:
          cpu: {{ $g.cpuLimit | quote }}
          memory: {{ printf "%dGi" (int $g.memoryLimitGiB) }}
          {{ $g.gpuResource }}: {{ $g.gpuCount | quote }}
          {{- with $root.Values.ephemeralStorage.limit }}
          ephemeral-storage: {{ . }}
          {{- end }}
      securityContext:
        {{- toYaml $root.Values.securityContext | nindent 8 }}
      volumeMounts:
        - name: shm
          mountPath: /dev/shm
        - name: {{ $root.Values.storage.volumeName }}
          mountPath: {{ $root.Values.storage.mountPath }}
          {{- with $root.Values.storage.subPath }}
          subPath: {{ . }}
          {{- end }}
        {{- with include "llm-model.sourceVolumeMounts" $root.Values }}{{ . | nindent 8 }}{{ end }}
  volumes:
    - name: shm
      emptyDir:
        medium: Memory
        {{- with $root.Values.shm.sizeLimit }}
        sizeLimit: {{ . }}
        {{- end }}
    {{- with include "llm-model.sourceVolumes" $root }}{{ . | nindent 4 }}{{ end }}
{{- end }}

{{/*
The model cache claim every pod gets, as a volumeClaimTemplates list (a StatefulSet's or the LeaderWorkerSet's): one
PersistentVolumeClaim per pod, <storage.volumeName>-<pod name>.
Usage: {{ include "llm-model.cacheClaim" $ | nindent 4 }}
*/}}
{{- define "llm-model.cacheClaim" -}}
{{- $root := . -}}
- apiVersion: v1
  kind: PersistentVolumeClaim
  metadata:
    name: {{ $root.Values.storage.volumeName }}
    labels:
      {{- include "llm-model.selectorLabels" $root | nindent 6 }}
  spec:
    accessModes:
      {{- toYaml $root.Values.storage.accessModes | nindent 6 }}
    {{- with $root.Values.storage.storageClassName }}
    storageClassName: {{ . }}
    {{- end }}
    volumeMode: Filesystem
    resources:
      requests:
        storage: {{ $root.Values.storage.size }}
{{- end }}
