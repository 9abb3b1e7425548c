package values

import "regexp"

// SecretShape is one kind of credential recognisable by its shape.
type SecretShape struct {
	Kind    string
	Pattern *regexp.Regexp
}

// SecretShapes are the credential shapes the llm-model chart refuses wherever a value must not hold a secret
// (charts/llm-model/templates/_validate_secrets.tpl, llm-model.secretShapes; TestSecretShapesMatchChart keeps the two
// lists equal), for chartgen to refuse the same strings before it writes them into a values file.
var SecretShapes = []SecretShape{
	{"Hugging Face token", regexp.MustCompile(`(^|[^A-Za-z0-9_])hf_[A-Za-z0-9]{16,}`)},
	{"OpenAI-style API key", regexp.MustCompile(`(^|[^A-Za-z0-9_-])sk-[A-Za-z0-9_-]{20,}`)},
	{"GitHub token", regexp.MustCompile(`(^|[^A-Za-z0-9_])(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})`)},
	{"JSON Web Token", regexp.MustCompile(`eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`)},
	{"AWS access key id", regexp.MustCompile(`(^|[^A-Z0-9])(AKIA|ASIA)[A-Z0-9]{16}([^A-Z0-9]|$)`)},
	{"Google API key", regexp.MustCompile(`AIza[0-9A-Za-z_-]{35}`)},
	{"Slack token", regexp.MustCompile(`xox[abposr]-[A-Za-z0-9-]{10,}`)},
	{"private key", regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY-----`)},
}

// SecretKind names the credential s looks like ("" = none); callers say so without printing s.
func SecretKind(s string) string {
	for _, sh := range SecretShapes {
		if sh.Pattern.MatchString(s) {
			return sh.Kind
		}
	}
	return ""
}
