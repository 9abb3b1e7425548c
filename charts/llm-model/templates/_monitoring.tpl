{{/*
Checks the monitoring values: a ServiceMonitor and a PodMonitor scrape the same pods, so at most one may be enabled
(as cert-manager's chart). Called by servicemonitor.yaml and podmonitor.yaml.
Usage: {{- include "llm-model.monitoring.validate" . }}
*/}}
{{- define "llm-model.monitoring.validate" -}}
{{- $m := .Values.monitoring }}
{{- if and $m.serviceMonitor.enabled $m.podMonitor.enabled }}
{{- fail "monitoring.serviceMonitor.enabled and monitoring.podMonitor.enabled are both true: enable one of them, not both (each scrapes every engine pod, so both would double every series)" }}
{{- end }}
{{- end }}

{{/*
Labels of a ServiceMonitor or PodMonitor: the common labels plus the monitor's own `labels` (e.g. the `release`
label a Prometheus selects monitors by).
Usage: {{- include "llm-model.monitoring.labels" (dict "root" $ "monitor" .Values.monitoring.serviceMonitor) | nindent 4 }}
*/}}
{{- define "llm-model.monitoring.labels" -}}
{{ include "llm-model.labels" .root }}
{{- with .monitor.labels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
One scrape endpoint (ServiceMonitor endpoints[] / PodMonitor podMetricsEndpoints[] item): the engines' /metrics on
the `http` port, with the monitor's interval and timeout.
Usage: {{- include "llm-model.monitoring.endpoint" .Values.monitoring.serviceMonitor | nindent 4 }}
*/}}
{{- define "llm-model.monitoring.endpoint" -}}
- port: http
  path: /metrics
  scheme: http
  {{- with .interval }}
  interval: {{ . }}
  {{- end }}
  {{- with .scrapeTimeout }}
  scrapeTimeout: {{ . }}
  {{- end }}
  honorLabels: {{ .honorLabels }}
{{- end }}
