{{/*
Refuses, before anything reaches the cluster, an upgrade that would change a StatefulSet field the API server never
lets change (volumeClaimTemplates, selector, serviceName, podManagementPolicy), and says what to do instead. It looks
the live StatefulSet up, so it only acts on `helm upgrade` against a cluster (`helm template` and dry runs see
nothing).
Usage: {{ include "llm-model.checkImmutable" (dict "root" $ "group" $g "rank" $rank) }}
*/}}
{{- define "llm-model.checkImmutable" -}}
{{- $v := .root.Values }}
{{- $name := include "llm-model.rankName" . }}
{{- $live := lookup "apps/v1" "StatefulSet" .root.Release.Namespace $name }}
{{- if $live }}
{{- $problems := list }}
{{- $spec := $live.spec }}
{{- $multi := gt (int .group.nodes) 1 }}
{{- $serviceName := ternary (include "llm-model.ranksServiceName" .group) (include "llm-model.fullname" .root) $multi }}
{{- if ne (toString $spec.serviceName) $serviceName }}
{{- $problems = append $problems (printf "spec.serviceName %s → %s" $spec.serviceName $serviceName) }}
{{- end }}
{{- $policy := ternary "Parallel" "OrderedReady" $multi }}
{{- if ne (toString (default "OrderedReady" $spec.podManagementPolicy)) $policy }}
{{- $problems = append $problems (printf "spec.podManagementPolicy %s → %s (nodes per instance changed between 1 and more)" $spec.podManagementPolicy $policy) }}
{{- end }}
{{- $selector := include "llm-model.groupSelectorLabels" . | fromYaml }}
{{- if ne (toJson $spec.selector.matchLabels) (toJson $selector) }}
{{- $problems = append $problems (printf "spec.selector %s → %s" (toJson $spec.selector.matchLabels) (toJson $selector)) }}
{{- end }}
{{- $vct := first ($spec.volumeClaimTemplates | default (list dict)) }}
{{- $was := dict "name" $vct.metadata.name "size" (include "llm-model.quantityBytes" $vct.spec.resources.requests.storage) "storageClassName" (default "" $vct.spec.storageClassName) "accessModes" $vct.spec.accessModes }}
{{- $now := dict "name" $v.storage.volumeName "size" (include "llm-model.quantityBytes" $v.storage.size) "storageClassName" (default "" $v.storage.storageClassName) "accessModes" $v.storage.accessModes }}
{{- if and (not $v.storage.storageClassName) $was.storageClassName }}{{ $_ := set $now "storageClassName" $was.storageClassName }}{{ end }}
{{- range $k := list "name" "size" "storageClassName" "accessModes" }}
{{- if ne (toJson (get $was $k)) (toJson (get $now $k)) }}
{{- $problems = append $problems (printf "spec.volumeClaimTemplates %s %s → %s" $k (toJson (get $was $k)) (toJson (get $now $k))) }}
{{- end }}
{{- end }}
{{- if $problems }}
{{- fail (printf "\nupgrade refused before it reaches the cluster: StatefulSet %s/%s would change fields the API server never lets change:\n  %s\nKeep the old values, or replace the StatefulSet: kubectl -n %s delete statefulset %s --cascade=orphan, then helm upgrade again (the pods are replaced one by one; PVCs are kept, and a bigger size needs the PVCs expanded separately: kubectl patch pvc ... on a storage class with allowVolumeExpansion)." .root.Release.Namespace $name (join "\n  " $problems) .root.Release.Namespace $name) }}
{{- end }}
{{- end }}
{{- end }}

{{/*
A storage quantity in bytes (as a decimal string), so that 1024Mi and 1Gi compare equal: the API server stores
quantities in canonical form.
Usage: {{ include "llm-model.quantityBytes" "256Gi" }}
*/}}
{{- define "llm-model.quantityBytes" -}}
{{- $q := toString . }}
{{- $units := dict "Ki" 1024 "Mi" 1048576 "Gi" 1073741824 "Ti" 1099511627776 "Pi" 1125899906842624 "k" 1000 "M" 1000000 "G" 1000000000 "T" 1000000000000 "P" 1000000000000000 }}
{{- $num := regexFind "^[0-9.]+" $q }}
{{- $unit := trimPrefix $num $q }}
{{- $mult := get $units $unit | default 1 }}
{{- printf "%.0f" (mulf (float64 $num) (float64 $mult)) }}
{{- end }}

{{/*
Refuses, before anything reaches the cluster, an upgrade that moves a multi-node group between the StatefulSet mode
and the LeaderWorkerSet mode (multiNode.mode) while the other mode's workload is still there: the LeaderWorkerSet
controller names its leader StatefulSet and pods exactly as the chart's StatefulSet mode does (<name>, <name>-0) and
cannot take over the chart's, and Helm cannot create a StatefulSet that the LeaderWorkerSet controller owns. It says
what to delete; the model cache claims stay (rank 0's claim <volume>-<name>-<instance> has the same name in both
modes; workers get new ones). Like llm-model.checkImmutable it only acts on `helm upgrade` against a cluster.
Usage: {{ include "llm-model.checkMode" (dict "root" $ "group" $g "rank" "leader") }}
*/}}
{{- define "llm-model.checkMode" -}}
{{- $ns := .root.Release.Namespace }}
{{- $name := .group.workloadName }}
{{- $lws := include "llm-model.leaderWorkerSet" .root | fromYaml }}
{{- if .group.leaderWorkerSet }}
{{- $live := lookup "apps/v1" "StatefulSet" $ns $name }}
{{- $ownedByLWS := false }}
{{- range $o := ($live.metadata | default dict).ownerReferences | default list }}
{{- if eq $o.kind $lws.kind }}{{ $ownedByLWS = true }}{{ end }}
{{- end }}
{{- if and $live (not $ownedByLWS) }}
{{- $workers := lookup "apps/v1" "StatefulSet" $ns (include "llm-model.rankName" (dict "group" .group "rank" "worker")) }}
{{- $sets := list $name }}
{{- if $workers }}{{ $sets = append $sets $workers.metadata.name }}{{ end }}
{{- fail (printf "\nupgrade refused before it reaches the cluster: %s (multiNode.mode: leaderWorkerSet) would become LeaderWorkerSet %s/%s, but the StatefulSet mode's StatefulSet %s/%s is still there, and the LeaderWorkerSet controller cannot take over its name or its pods.\nKeep multiNode.mode: statefulset, or stop the group and upgrade again: kubectl -n %s delete statefulset %s, then helm upgrade again (the instances are down until the LeaderWorkerSet's pods are ready; PVCs are kept: each leader reuses its claim %s-%s-<instance>, workers get new claims %s-%s-<instance>-<rank> and download the weights again). The LeaderWorkerSet controller (%s) must be installed." .group.path $ns $name $ns $name $ns (join " " $sets) .root.Values.storage.volumeName $name .root.Values.storage.volumeName $name $lws.release) }}
{{- end }}
{{- else if .root.Capabilities.APIVersions.Has (printf "%s/%s" $lws.apiVersion $lws.kind) }}
{{- $live := lookup $lws.apiVersion $lws.kind $ns $name }}
{{- if $live }}
{{- fail (printf "\nupgrade refused before it reaches the cluster: %s (multiNode.mode: statefulset, or nodes 1) would become StatefulSet %s (and %s for workers), but LeaderWorkerSet %s/%s is still there and owns StatefulSet %s and its pods.\nKeep multiNode.mode: leaderWorkerSet, or stop the group and upgrade again: kubectl -n %s delete leaderworkerset %s (wait until its pods are gone), then helm upgrade again (PVCs are kept: each leader's claim %s-%s-<instance> is reused by the leader StatefulSet; the worker StatefulSet's pods get new claims)." .group.path $name (include "llm-model.rankName" (dict "group" .group "rank" "worker")) $ns $name $name $ns $name .root.Values.storage.volumeName $name) }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Refuses an upgrade that would change what the API server never lets change on the shared cache's claim
(storage.download.mode sharedCache): its storage class and access modes, and its size except growing a bound claim
(expansion, on a storage class that allows it). Like llm-model.checkImmutable it acts only on `helm upgrade` against
a cluster.
Usage: {{ include "llm-model.checkSharedCache" $ }}
*/}}
{{- define "llm-model.checkSharedCache" -}}
{{- $c := .Values.storage.sharedCache }}
{{- $name := include "llm-model.sharedCacheClaimName" . }}
{{- $live := lookup "v1" "PersistentVolumeClaim" .Release.Namespace $name }}
{{- if $live }}
{{- $problems := list }}
{{- $wasClass := default "" $live.spec.storageClassName }}
{{- if and $c.storageClassName (ne $c.storageClassName $wasClass) }}
{{- $problems = append $problems (printf "storage.sharedCache.storageClassName %q → %q" $wasClass $c.storageClassName) }}
{{- end }}
{{- if ne (toJson $live.spec.accessModes) (toJson $c.accessModes) }}
{{- $problems = append $problems (printf "storage.sharedCache.accessModes %s → %s" (toJson $live.spec.accessModes) (toJson $c.accessModes)) }}
{{- end }}
{{- $was := include "llm-model.quantityBytes" $live.spec.resources.requests.storage | float64 }}
{{- $now := include "llm-model.quantityBytes" $c.size | float64 }}
{{- $bound := eq (toString ($live.status | default dict).phase) "Bound" }}
{{- if or (lt $now $was) (and (gt $now $was) (not $bound)) }}
{{- $problems = append $problems (printf "storage.sharedCache.size %s → %s (%s)" $live.spec.resources.requests.storage $c.size (ternary "a claim never shrinks" "only a bound claim can grow" (lt $now $was))) }}
{{- end }}
{{- if $problems }}
{{- fail (printf "\nupgrade refused before it reaches the cluster: the shared cache PersistentVolumeClaim %s/%s would change fields the API server never lets change:\n  %s\nKeep the old storage.sharedCache values, or replace the claim: kubectl -n %s delete pvc %s (the download Job fills the new one again), then helm upgrade again." .Release.Namespace $name (join "\n  " $problems) .Release.Namespace $name) }}
{{- end }}
{{- end }}
{{- end }}
