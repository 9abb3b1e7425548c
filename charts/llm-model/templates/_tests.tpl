{{/*
The endpoint a `helm test` Pod calls: the chart's Service, by its namespace-relative DNS name (no cluster domain
needed).
Usage: {{ include "llm-model.serviceURL" . }}
*/}}
{{- define "llm-model.serviceURL" -}}
{{- printf "http://%s.%s.svc:%d" (include "llm-model.fullname" .) .Release.Namespace (int .Values.service.port) }}
{{- end }}

{{/*
The model name clients send in requests: the first served model name, else model.name.
Usage: {{ include "llm-model.requestModel" . }}
*/}}
{{- define "llm-model.requestModel" -}}
{{- if .Values.model.servedModelNames }}{{ first .Values.model.servedModelNames }}{{ else }}{{ .Values.model.name }}{{ end }}
{{- end }}

{{/*
The startup probe window in seconds: failure threshold × period, the threshold from probes.sizeClass unless set.
The table is the one in "llm-model.probes" (_scheduling.tpl); keep them equal.
Usage: {{ include "llm-model.startupWindowSeconds" . }}
*/}}
{{- define "llm-model.startupWindowSeconds" -}}
{{- $p := .Values.probes }}
{{- $byClass := dict "small" 90 "medium" 270 "large" 360 "xlarge" 2160 }}
{{- $threshold := $p.startup.failureThreshold }}
{{- if kindIs "invalid" $threshold }}{{ $threshold = get $byClass $p.sizeClass }}{{ end }}
{{- mul (int $threshold) (int $p.startup.periodSeconds) }}
{{- end }}

{{/*
An EnvVar list item `VLLM_API_KEY` from the same place the engine reads it: credentials.apiKey (a Secret key), else
the key VLLM_API_KEY of credentials.secretName or credentials.configMapName (optional: absent means no key). Empty
when the chart references no credentials.
Usage: {{- include "llm-model.apiKeyEnv" . | nindent 12 }}
*/}}
{{- define "llm-model.apiKeyEnv" -}}
{{- $c := .Values.credentials }}
{{- if $c.apiKey.secretName }}
- name: VLLM_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $c.apiKey.secretName }}
      key: {{ $c.apiKey.key }}
{{- else if $c.secretName }}
- name: VLLM_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $c.secretName }}
      key: VLLM_API_KEY
      optional: true
{{- else if $c.configMapName }}
- name: VLLM_API_KEY
  valueFrom:
    configMapKeyRef:
      name: {{ $c.configMapName }}
      key: VLLM_API_KEY
      optional: true
{{- end }}
{{- end }}

{{/*
The default `helm test` script (POSIX sh + curl): wait for $ENDPOINT/health up to $WAIT_SECONDS, check that
/v1/models lists $MODEL, then ask for one completion token ($TASK generate) or one embedding ($TASK embed).
$VLLM_API_KEY, when set, is sent as a bearer token. Every failure prints what failed and exits non-zero.
Usage: {{ include "llm-model.testScript" . }}
*/}}
{{- define "llm-model.testScript" -}}
set -eu
api() {
  if [ -n "${VLLM_API_KEY:-}" ]; then
    curl -fsS --max-time 300 -H "Authorization: Bearer ${VLLM_API_KEY}" "$@"
  else
    curl -fsS --max-time 300 "$@"
  fi
}
echo "waiting up to ${WAIT_SECONDS}s for ${ENDPOINT}/health"
deadline=$(( $(date +%s) + WAIT_SECONDS ))
until curl -fsS --max-time 10 -o /dev/null "${ENDPOINT}/health"; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "FAIL: ${ENDPOINT}/health is not ready after ${WAIT_SECONDS}s (kubectl logs the engine pods)"
    exit 1
  fi
  sleep 10
done
echo "GET ${ENDPOINT}/v1/models"
models=$(api "${ENDPOINT}/v1/models")
echo "${models}" | cut -c1-500
case "${models}" in
  *"\"${MODEL}\""*) ;;
  *) echo "FAIL: /v1/models does not list ${MODEL}"; exit 1 ;;
esac
if [ "${TASK}" = embed ]; then
  echo "POST ${ENDPOINT}/v1/embeddings"
  out=$(api -H 'Content-Type: application/json' -d "{\"model\": \"${MODEL}\", \"input\": \"helm test\"}" "${ENDPOINT}/v1/embeddings")
  case "${out}" in *'"embedding"'*) ;; *) echo "FAIL: no embedding in: ${out}" | cut -c1-500; exit 1 ;; esac
else
  echo "POST ${ENDPOINT}/v1/completions (max_tokens 1)"
  out=$(api -H 'Content-Type: application/json' -d "{\"model\": \"${MODEL}\", \"prompt\": \"Hello\", \"max_tokens\": 1}" "${ENDPOINT}/v1/completions")
  case "${out}" in *'"choices"'*) ;; *) echo "FAIL: no choices in: ${out}" | cut -c1-500; exit 1 ;; esac
fi
echo "${out}" | cut -c1-500
echo "OK: ${MODEL} answers at ${ENDPOINT}"
{{- end }}
