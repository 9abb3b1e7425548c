{{/*
The public model name `helm test` requests: tests.model, else the first of models ("" when there are none).
  {{ include "llm-gateway.testModel" . }}
*/}}
{{- define "llm-gateway.testModel" -}}
{{- if .Values.tests.model }}{{ .Values.tests.model }}{{ else if .Values.models }}{{ (first .Values.models).name }}{{ end }}
{{- end }}

{{/*
The default `helm test` script (POSIX sh + curl): GET $GATEWAY_URL/v1/models, then one request for $MODEL with the
x-ai-eg-model header the AIGatewayRoute rules match on: a one-token chat completion ($TASK generate) or one
embedding ($TASK embed). $API_KEY, when set, is sent as a bearer token.
  {{ include "llm-gateway.testScript" . }}
*/}}
{{- define "llm-gateway.testScript" -}}
set -eu
api() {
  if [ -n "${API_KEY:-}" ]; then
    curl -fsS --max-time 300 -H "Authorization: Bearer ${API_KEY}" -H "x-ai-eg-model: ${MODEL}" "$@"
  else
    curl -fsS --max-time 300 -H "x-ai-eg-model: ${MODEL}" "$@"
  fi
}
echo "GET ${GATEWAY_URL}/v1/models"
api "${GATEWAY_URL}/v1/models" | cut -c1-500
if [ "${TASK}" = embed ]; then
  echo "POST ${GATEWAY_URL}/v1/embeddings (x-ai-eg-model: ${MODEL})"
  out=$(api -H 'Content-Type: application/json' -d "{\"model\": \"${MODEL}\", \"input\": \"helm test\"}" "${GATEWAY_URL}/v1/embeddings")
  case "${out}" in *'"embedding"'*) ;; *) echo "FAIL: no embedding in: ${out}" | cut -c1-500; exit 1 ;; esac
else
  echo "POST ${GATEWAY_URL}/v1/chat/completions (x-ai-eg-model: ${MODEL}, max_tokens 1)"
  out=$(api -H 'Content-Type: application/json' -d "{\"model\": \"${MODEL}\", \"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}], \"max_tokens\": 1}" "${GATEWAY_URL}/v1/chat/completions")
  case "${out}" in *'"choices"'*) ;; *) echo "FAIL: no choices in: ${out}" | cut -c1-500; exit 1 ;; esac
fi
echo "${out}" | cut -c1-500
echo "OK: ${MODEL} answers through ${GATEWAY_URL}"
{{- end }}
