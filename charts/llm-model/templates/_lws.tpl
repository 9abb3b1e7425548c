{{/*
The LeaderWorkerSet release the chart targets (multiNode.mode: leaderWorkerSet), the one place it is pinned:
kubernetes-sigs/lws v0.10.0, whose CRD the tests validate every LeaderWorkerSet against and install into the API
server (tests/testdata/crds/SOURCES.md; a test keeps the two equal). What the chart relies on, from that release's
source: the scale subresource (spec.replicas, selector status.hpaPodSelector = the leader pods;
api/leaderworkerset/v1/leaderworkerset_types.go), restartPolicy RecreateGroupOnPodRestart,
leaderWorkerTemplate.volumeClaimTemplates (since v0.8.0), the variables LWS_LEADER_ADDRESS, LWS_GROUP_SIZE and
LWS_WORKER_INDEX (pkg/utils/pod/pod_utils.go), the labels leaderworkerset.sigs.k8s.io/name and /worker-index ("0" on
leaders).
Usage: {{ $lws := include "llm-model.leaderWorkerSet" . | fromYaml }} ({{ $lws.apiVersion }}, {{ $lws.release }})
*/}}
{{- define "llm-model.leaderWorkerSet" -}}
apiVersion: leaderworkerset.x-k8s.io/v1
kind: LeaderWorkerSet
release: v0.10.0
{{- end }}

{{/*
The object an autoscaler of a group scales (its scale subresource): the group's StatefulSet, or in LeaderWorkerSet
mode its LeaderWorkerSet (one replica = one whole instance, leader and workers).
Usage: {{ include "llm-model.scaleTarget" (dict "root" $ "scaling" $s) | nindent 4 }} where $s comes from llm-model.scaling.
*/}}
{{- define "llm-model.scaleTarget" -}}
{{- if .scaling.leaderWorkerSet }}
{{- $lws := include "llm-model.leaderWorkerSet" .root | fromYaml -}}
apiVersion: {{ $lws.apiVersion }}
kind: {{ $lws.kind }}
{{- else -}}
apiVersion: apps/v1
kind: StatefulSet
{{- end }}
name: {{ .scaling.workloadName }}
{{- end }}

{{/*
The NOTES lines on multi-node groups: how each mode runs its instances, restarts a failed rank and scales. Empty
without multi-node groups.
Usage: {{ include "llm-model.multiNode.notes" (dict "root" $ "groups" $groups) }}
*/}}
{{- define "llm-model.multiNode.notes" -}}
{{- $lws := include "llm-model.leaderWorkerSet" .root | fromYaml }}
{{- range $g := .groups }}
{{- if $g.leaderWorkerSet }}
  Multi-node: {{ $g.workloadName }} is LeaderWorkerSet {{ $g.workloadName }} ({{ $lws.apiVersion }}; needs the LeaderWorkerSet controller, kubernetes-sigs/lws {{ $lws.release }}: without it no pod starts). Any rank that fails or restarts recreates its whole instance; one replica is one instance of {{ $g.nodes }} pods ({{ ternary "its autoscaler" (printf "kubectl scale leaderworkerset/%s --replicas N, or replicas in the values" $g.workloadName) $g.autoscaling.enabled }}).
{{- else if gt (int $g.nodes) 1 }}
  Multi-node: {{ $g.workloadName }} is StatefulSets {{ $g.workloadName }} (rank 0) and {{ include "llm-model.rankName" (dict "group" $g "rank" "worker") }}; a failed rank is restarted alone and rejoins only when its instance restarts too (its probes fail while rank 0 is down). Change instances with replicas in the values (both StatefulSets together); multiNode.mode leaderWorkerSet restarts instances whole and can autoscale them.
{{- end }}
{{- end }}
{{- end }}
