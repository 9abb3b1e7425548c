{{/*
Secrets in plain values: every string anywhere in the values is matched against the shapes of common tokens; every
environment variable named like a secret must not hold a literal; flags such as --hf-token or --api-key (in
extraArgs, pre-start commands or the test command) must not be given a literal value. A literal here would be
readable in the manifest, in `helm get values` and in the release Secret.
Usage: {{ include "llm-model.validateSecrets" $ | fromYamlArray }}
*/}}
{{- define "llm-model.validateSecrets" -}}
{{- $v := .Values }}
{{- $e := list }}
{{- $how := "put it in a Secret and reference it: credentials.hfToken or credentials.apiKey (one Secret key each), credentials.secretName (every key as a variable), or `$(VAR)` in an argument, which the kubelet expands from such a variable" }}
{{- range $hit := (include "llm-model.secretShapes" (dict "path" "" "value" $v) | fromYamlArray) }}
{{- $e = append $e (printf "%s holds a value shaped like a secret (%s); a secret never goes in values: %s" $hit.path $hit.kind $how) }}
{{- end }}
{{- $envs := list (dict "path" "serving.env" "env" $v.serving.env) }}
{{- $lists := list (dict "path" "serving.extraArgs" "args" $v.serving.extraArgs) (dict "path" "serving.preStartCommands" "shell" $v.serving.preStartCommands) (dict "path" "tests.command" "args" $v.tests.command "shell" $v.tests.command) }}
{{- range $i, $g := ($v.resourceGroups | default list) }}
{{- $s := (get ($g | default dict) "serving") | default dict }}
{{- $envs = append $envs (dict "path" (printf "resourceGroups[%d].serving.env" $i) "env" (get $s "env")) }}
{{- $lists = append $lists (dict "path" (printf "resourceGroups[%d].serving.extraArgs" $i) "args" (get $s "extraArgs")) }}
{{- $lists = append $lists (dict "path" (printf "resourceGroups[%d].serving.preStartCommands" $i) "shell" (get $s "preStartCommands")) }}
{{- end }}
{{- /* The variables the chart sets from credentials: the Hub token and every engine's API key (_engines.tpl). */}}
{{- $chartOwned := list "HF_TOKEN" "HUGGING_FACE_HUB_TOKEN" }}
{{- range $eng := include "llm-model.engines" . | fromYaml }}{{ $chartOwned = append $chartOwned $eng.apiKeyEnv }}{{ end }}
{{- range $x := $envs }}
{{- range $k, $val := ($x.env | default dict) }}
{{- $s := include "llm-model.envString" $val }}
{{- if has $k $chartOwned }}
{{- $e = append $e (printf "%s.%s: the chart sets %s from credentials (a value here would replace the Secret's); %s" $x.path $k $k $how) }}
{{- else if and (regexMatch `(?i)(^|_)(TOKEN|SECRET|PASSWORD|PASSWD|APIKEY|API_KEY|ACCESS_KEY|PRIVATE_KEY|CREDENTIALS?)(_|$)` $k) (include "llm-model.isLiteral" $s) }}
{{- $e = append $e (printf "%s.%s is named like a secret and holds a literal value; %s" $x.path $k $how) }}
{{- end }}
{{- end }}
{{- end }}
{{- $flag := `(?i)^-{1,2}([a-z0-9]+[-_])*(token|password|passwd|secret|apikey|api[-_]key|access[-_]key)([-_][a-z0-9]+)*$` }}
{{- range $x := $lists }}
{{- $args := $x.args | default list }}
{{- range $i, $a := $args }}
{{- $a = toString $a }}
{{- $name := regexReplaceAll `=.*$` $a "" }}
{{- if regexMatch $flag $name }}
{{- $val := "" }}
{{- if contains "=" $a }}{{ $val = regexReplaceAll `^[^=]*=` $a "" }}
{{- else if lt (add1 $i) (len $args) }}{{ $val = toString (index $args (add1 $i)) }}{{ if hasPrefix "-" $val }}{{ $val = "" }}{{ end }}
{{- end }}
{{- if include "llm-model.isLiteral" $val }}
{{- $e = append $e (printf "%s[%d]: %s is given a literal value; %s (e.g. \"%s\", \"$(MY_TOKEN)\")" $x.path $i $name $how $name) }}
{{- end }}
{{- end }}
{{- end }}
{{- range $i, $cmd := ($x.shell | default list) }}
{{- $cmd = toString $cmd }}
{{- range $m := regexFindAll `(?i)(^|\s)-{1,2}([a-z0-9]+[-_])*(token|password|passwd|secret|apikey|api[-_]key|access[-_]key)([-_][a-z0-9]+)*(=|\s+)["']?[^\s"'$-][^\s"']*` $cmd -1 }}
{{- $e = append $e (printf "%s[%d]: %s is given a literal value; %s (e.g. --token \"$HF_TOKEN\")" $x.path $i (regexFind `-{1,2}[A-Za-z0-9_-]+` $m) $how) }}
{{- end }}
{{- range $m := regexFindAll `(?i)(^|[\s;&(])(export\s+)?[A-Z0-9_]*(TOKEN|SECRET|PASSWORD|API_KEY|APIKEY|ACCESS_KEY)=["']?[^\s"'$][^\s"';]*` $cmd -1 }}
{{- $e = append $e (printf "%s[%d]: %s is assigned a literal value; %s" $x.path $i (regexFind `[A-Za-z0-9_]+=` $m | trimSuffix "=") $how) }}
{{- end }}
{{- range $m := regexFindAll `(?i)(authorization:\s*bearer|bearer)\s+[^\s"'$][^\s"']*` $cmd -1 }}
{{- $e = append $e (printf "%s[%d]: an Authorization header sends a literal bearer token; %s" $x.path $i $how) }}
{{- end }}
{{- end }}
{{- end }}
{{- toYaml (uniq $e) }}
{{- end }}

{{/*
Strings that look like tokens, anywhere below a value: a list of {path, kind}. The shapes: Hugging Face (hf_...),
OpenAI-style secret keys (sk-..., also Anthropic's sk-ant-...), GitHub tokens (ghp_, gho_, ghu_, ghs_, ghr_,
github_pat_), JWTs (three base64url parts, the first two JSON objects), AWS access key ids (AKIA/ASIA), Google API
keys (AIza...), Slack tokens (xox?-) and PEM private keys.
Usage: {{ include "llm-model.secretShapes" (dict "path" "" "value" .Values) | fromYamlArray }}
*/}}
{{- define "llm-model.secretShapes" -}}
{{- $out := list }}
{{- $shapes := list
  (list "Hugging Face token" `(^|[^A-Za-z0-9_])hf_[A-Za-z0-9]{16,}`)
  (list "OpenAI-style API key" `(^|[^A-Za-z0-9_-])sk-[A-Za-z0-9_-]{20,}`)
  (list "GitHub token" `(^|[^A-Za-z0-9_])(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})`)
  (list "JSON Web Token" `eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`)
  (list "AWS access key id" `(^|[^A-Z0-9])(AKIA|ASIA)[A-Z0-9]{16}([^A-Z0-9]|$)`)
  (list "Google API key" `AIza[0-9A-Za-z_-]{35}`)
  (list "Slack token" `xox[abposr]-[A-Za-z0-9-]{10,}`)
  (list "private key" `-----BEGIN [A-Z ]*PRIVATE KEY-----`) }}
{{- if kindIs "map" .value }}
{{- range $k, $x := .value }}
{{- $p := ternary $k (printf "%s.%s" $.path $k) (eq $.path "") }}
{{- $out = concat $out (include "llm-model.secretShapes" (dict "path" $p "value" $x) | fromYamlArray) }}
{{- end }}
{{- else if kindIs "slice" .value }}
{{- range $i, $x := .value }}
{{- $out = concat $out (include "llm-model.secretShapes" (dict "path" (printf "%s[%d]" $.path $i) "value" $x) | fromYamlArray) }}
{{- end }}
{{- else if kindIs "string" .value }}
{{- range $s := $shapes }}
{{- if regexMatch (index $s 1) $.value }}
{{- $out = append $out (dict "path" $.path "kind" (index $s 0)) }}
{{- end }}
{{- end }}
{{- end }}
{{- toYaml $out }}
{{- end }}

{{/*
"true" when a string is a literal secret value: not empty, not a reference to a variable ($(VAR), ${VAR}, $VAR) and
not a plain switch or number (0, 1, true, false, ...), which is a setting rather than a secret.
Usage: {{ if include "llm-model.isLiteral" $s }}
*/}}
{{- define "llm-model.isLiteral" -}}
{{- $s := trimAll "\"'" (toString .) }}
{{- if and $s (not (regexMatch `^\$`  $s)) (not (regexMatch `(?i)^(true|false|yes|no|on|off|none|null|-?[0-9.]+)$` $s)) }}true{{ end }}
{{- end }}
