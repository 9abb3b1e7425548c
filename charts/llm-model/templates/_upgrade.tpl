{{/*
Refuses, before anything reaches the cluster, an upgrade that would change a StatefulSet field the API server never
lets change (volumeClaimTemplates, selector, serviceName, podManagementPolicy), and says what to do instead. It looks
the live StatefulSet up, so it only acts on `helm upgrade` against a cluster (`helm template` and dry runs see
nothing).
Usage: {{ include "llm-model.checkImmutable" (dict "root" $ "group" $g "role" $role) }}
*/}}
{{- define "llm-model.checkImmutable" -}}
{{- $v := .root.Values }}
{{- $name := include "llm-model.roleName" . }}
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
