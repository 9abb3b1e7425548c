{{/*
Cross-namespace backends. Which references of the pinned CRDs may name another namespace, and what the pinned
controllers do with them (Envoy AI Gateway v1.1.0, Envoy Gateway v1.9.0):
  - AIGatewayRoute rules[].backendRefs[].namespace → AIServiceBackend: allowed with a ReferenceGrant in the
    backend's namespace from AIGatewayRoute (ai-gateway internal/controller/referencegrant.go, which matches the
    grant's `to` on group and kind only, never on name).
  - the HTTPRoute the AI Gateway generates (in the route's namespace) → the Backend, in the AIServiceBackend's
    namespace: Envoy Gateway checks a ReferenceGrant from HTTPRoute (gateway internal/gatewayapi/validate.go,
    validateBackendNamespace).
  - BackendSecurityPolicy apiKey.secretRef.namespace: the CRD takes it, but v1.1.0 reads an APIKey Secret from the
    policy's own namespace (internal/controller/gateway.go, bspToFilterAPIBackendAuth), and a policy targets only
    AIServiceBackends of its namespace (LocalPolicyTargetReference). So the Secret, the policy and the backend
    share one namespace: a backend follows its Secret there, and the route reaches it through the grants above.
  - Backend tls.clientCertificateRef.namespace: the CRD says "ReferenceGrant", but Envoy Gateway v1.9.0 refuses any
    other namespace than the Backend's (internal/gatewayapi/backend.go); tls.caCertificateRefs is local only.
  - a `service` backend is an fqdn endpoint (<name>.<namespace>.svc): no object reference, no grant.
*/}}

{{/*
Namespace of a backend's AIServiceBackend, Backend and BackendSecurityPolicy: backends.<key>.namespace, else its
apiKeySecret's namespace, else the release namespace.
  {{ include "llm-gateway.backendNamespace" (dict "ctx" $ "backend" $b) }}
*/}}
{{- define "llm-gateway.backendNamespace" -}}
{{- .backend.namespace | default ((.backend.apiKeySecret | default dict).namespace) | default .ctx.Release.Namespace }}
{{- end }}

{{/*
Backends outside the release namespace, as JSON {"<namespace>": ["<key>", ...]} (keys sorted): each namespace gets
one ReferenceGrant (referencegrant.yaml).
  {{- $grants := include "llm-gateway.grantNamespaces" . | fromJson }}
*/}}
{{- define "llm-gateway.grantNamespaces" -}}
{{- $out := dict }}
{{- range $key := keys .Values.backends | sortAlpha }}
{{- $ns := include "llm-gateway.backendNamespace" (dict "ctx" $ "backend" (index $.Values.backends $key)) }}
{{- if ne $ns $.Release.Namespace }}
{{- $_ := set $out $ns (append (get $out $ns | default (list)) $key) }}
{{- end }}
{{- end }}
{{- toJson $out }}
{{- end }}

{{/*
Problems of namespaces and RBAC, as a YAML list, each naming its key; appended by llm-gateway.contradictions.
  {{- $e = concat $e (include "llm-gateway.crossNamespaceProblems" . | fromYamlArray) }}
*/}}
{{- define "llm-gateway.crossNamespaceProblems" -}}
{{- $e := list }}
{{- range $key := keys .Values.backends | sortAlpha }}
{{- $b := index $.Values.backends $key }}
{{- $ns := include "llm-gateway.backendNamespace" (dict "ctx" $ "backend" $b) }}
{{- with $b.apiKeySecret }}
{{- if and .namespace (ne .namespace $ns) }}
{{- $e = append $e (printf "backends.%s.apiKeySecret.namespace: %q is not the backend's namespace %q (backends.%s.namespace). Envoy AI Gateway v1.1.0 reads an APIKey Secret from the BackendSecurityPolicy's own namespace, and the policy must sit with the AIServiceBackend it targets; remove backends.%s.namespace (the backend then follows its Secret) or make the two equal" $key .namespace $ns $key $key) }}
{{- end }}
{{- end }}
{{- with (($b.tls | default dict).clientCertificateRef | default dict).namespace }}
{{- if ne . $ns }}
{{- $e = append $e (printf "backends.%s.tls.clientCertificateRef.namespace: %q is not the backend's namespace %q; Envoy Gateway v1.9 refuses a Backend's client certificate from another namespace (a ReferenceGrant does not help). Put the Secret in %q, or set backends.%s.namespace" $key . $ns $ns $key) }}
{{- end }}
{{- end }}
{{- end }}
{{- if and .Values.rbac.clusterRole .Values.rbac.clusterRole.enabled (not .Values.rbac.enabled) }}
{{- $e = append $e "rbac.clusterRole.enabled: needs rbac.enabled: true (the ClusterRoleBinding binds rbac.groups)" }}
{{- end }}
{{- toYaml $e }}
{{- end }}

{{/*
NOTES paragraph on the ReferenceGrants and the ClusterRole (empty when there are none).
  {{- include "llm-gateway.notesCrossNamespace" . }}
*/}}
{{- define "llm-gateway.notesCrossNamespace" -}}
{{- $grants := include "llm-gateway.grantNamespaces" . | fromJson }}
{{- if $grants }}

Backends in other namespaces, each reached through the ReferenceGrant {{ include "llm-gateway.objectName" (dict "ctx" $ "suffix" $.Release.Namespace "key" "backends") }} there:
{{- range $ns := keys $grants | sortAlpha }}
  - {{ $ns }}: {{ index $grants $ns | join ", " }}
{{- end }}
  The namespaces must exist before the install. Check that the routes resolved them:
  kubectl -n {{ .Release.Namespace }} get httproutes -l app.kubernetes.io/instance={{ .Release.Name }} -o jsonpath='{range .items[*].status.parents[*].conditions[?(@.type=="ResolvedRefs")]}{.status} {.message}{"\n"}{end}'
{{- end }}
{{- end }}

{{/*
NOTES paragraph on the RBAC objects (empty when rbac.enabled is false).
  {{- include "llm-gateway.notesRBAC" . }}
*/}}
{{- define "llm-gateway.notesRBAC" -}}
{{- if .Values.rbac.enabled }}

The Role {{ include "llm-gateway.fullname" . }} lets {{ join ", " .Values.rbac.groups }} edit the AI Gateway and Envoy Gateway objects of namespace {{ .Release.Namespace }}.
{{- if .Values.rbac.clusterRole.enabled }}
GatewayClasses ({{ join ", " .Values.rbac.clusterRole.verbs }}) are granted to them cluster-wide by the ClusterRole {{ include "llm-gateway.objectName" (dict "ctx" . "suffix" .Release.Namespace "key" "rbac.clusterRole") }}.
{{- else }}
GatewayClasses are cluster-scoped, so the Role grants nothing on them; set rbac.clusterRole.enabled to grant them.
{{- end }}
{{- end }}
{{- end }}

{{/*
Name of a backend's AIServiceBackend and Backend: "<fullname>-<key>", or "<fullname>-<release namespace>-<key>" when
they live in another namespace, so that two releases of one name (in two namespaces) sharing a backend namespace do
not claim the same objects.
  {{ include "llm-gateway.backendName" (dict "ctx" $ "key" $key) }}
*/}}
{{- define "llm-gateway.backendName" -}}
{{- $ns := include "llm-gateway.backendNamespace" (dict "ctx" .ctx "backend" (index .ctx.Values.backends .key | default dict)) }}
{{- $suffix := ternary .key (printf "%s-%s" .ctx.Release.Namespace .key) (eq $ns .ctx.Release.Namespace) }}
{{- include "llm-gateway.objectName" (dict "ctx" .ctx "suffix" $suffix "key" (printf "backends.%s" .key)) }}
{{- end }}
