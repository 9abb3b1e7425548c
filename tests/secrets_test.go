package tests

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/llm-charts/llm-charts/internal/render"
)

// secretShapes are the token shapes no rendering may contain (the chart refuses them in values:
// llm-model.secretShapes in charts/llm-model/templates/_validate.tpl).
var secretShapes = map[string]*regexp.Regexp{
	"Hugging Face token": regexp.MustCompile(`(^|[^A-Za-z0-9_])hf_[A-Za-z0-9]{16,}`),
	"OpenAI-style key":   regexp.MustCompile(`(^|[^A-Za-z0-9_-])sk-[A-Za-z0-9_-]{20,}`),
	"GitHub token":       regexp.MustCompile(`(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})`),
	"JSON Web Token":     regexp.MustCompile(`eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`),
	"AWS access key id":  regexp.MustCompile(`(AKIA|ASIA)[A-Z0-9]{16}`),
	"literal token flag": regexp.MustCompile(`(?i)--[a-z-]*(token|api-key)[a-z-]*[= ]+["']?[A-Za-z0-9_]{8,}`),
}

// TestNoSecretInRenderings renders every case of both charts and greps the manifests and NOTES for token shapes:
// no rendering may contain a literal secret.
func TestNoSecretInRenderings(t *testing.T) {
	for _, c := range LoadCases(t) {
		if c.WantError {
			continue
		}
		res, err := RenderCase(t, c)
		if err != nil {
			t.Fatalf("%s: %v", c.Path, err)
		}
		for kind, re := range secretShapes {
			for _, text := range []string{res.Manifest, res.Notes} {
				if m := re.FindString(text); m != "" {
					t.Errorf("%s renders a %s: %q", c, kind, m)
				}
			}
		}
	}
}

// secretInjection puts a literal secret somewhere a user might, and names the key the error must report.
type secretInjection struct {
	name string
	key  string // the key the error names
	set  func(v map[string]any)
}

func secretInjections() []secretInjection {
	env := func(v map[string]any, k string, x any) {
		s := child(v, "serving")
		e, _ := s["env"].(map[string]any)
		if e == nil {
			e = map[string]any{}
			s["env"] = e
		}
		e[k] = x
	}
	appendTo := func(v map[string]any, key string, items ...any) {
		s := child(v, "serving")
		list, _ := s[key].([]any)
		s[key] = append(list, items...)
	}
	return []secretInjection{
		{"hf token under any env name", "serving.env.CACHE_HINT", func(v map[string]any) { env(v, "CACHE_HINT", "hf_AbCdEfGhIjKlMnOpQrStUvWxYz012345") }},
		{"api key env literal", "serving.env.OPENAI_API_KEY", func(v map[string]any) { env(v, "OPENAI_API_KEY", "plain-literal-value") }},
		{"github token", "serving.env.GIT_REMOTE", func(v map[string]any) { env(v, "GIT_REMOTE", "ghp_abcdefghijklmnopqrstuvwxyz0123456789") }},
		{"jwt", "podAnnotations.example.org/session", func(v map[string]any) {
			v["podAnnotations"] = map[string]any{"example.org/session": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"}
		}},
		{"aws key", "serving.env.UPLOAD", func(v map[string]any) { env(v, "UPLOAD", "AKIAIOSFODNN7EXAMPLE") }},
		{"token flag in extraArgs", "serving.extraArgs", func(v map[string]any) { appendTo(v, "extraArgs", "--hf-token", "abcdef0123456789") }},
		{"api-key flag with =", "serving.extraArgs", func(v map[string]any) { appendTo(v, "extraArgs", "--api-key=abcdef0123456789") }},
		{"login in pre-start", "serving.preStartCommands", func(v map[string]any) {
			appendTo(v, "preStartCommands", "huggingface-cli login --token abcdef0123456789")
		}},
		{"openai key in a group", "resourceGroups[0].serving.env.UPSTREAM", func(v map[string]any) {
			groups, _ := v["resourceGroups"].([]any)
			if len(groups) == 0 {
				groups = []any{map[string]any{}}
			}
			g, _ := groups[0].(map[string]any)
			s := child(g, "serving")
			e, _ := s["env"].(map[string]any)
			if e == nil {
				e = map[string]any{}
			}
			e["UPSTREAM"] = "sk-proj-abcdefghijklmnopqrstuvwxyz0123"
			s["env"] = e
			v["resourceGroups"] = groups
		}},
	}
}

func child(v map[string]any, k string) map[string]any {
	m, _ := v[k].(map[string]any)
	if m == nil {
		m = map[string]any{}
		v[k] = m
	}
	return m
}

// TestSecretsRefused injects literal secrets into every llm-model case (each case gets one injection, in turn) and
// every injection into one case: every rendering must fail, naming the key, and no error may repeat the secret
// (errors end up in CI logs).
func TestSecretsRefused(t *testing.T) {
	var cases []Case
	for _, c := range LoadCases(t) {
		if c.Chart == "llm-model" && !c.WantError {
			cases = append(cases, c)
		}
	}
	inj := secretInjections()
	type run struct {
		c Case
		i secretInjection
	}
	var runs []run
	for n, c := range cases {
		runs = append(runs, run{c, inj[n%len(inj)]})
	}
	for _, i := range inj {
		runs = append(runs, run{cases[0], i})
	}
	for _, r := range runs {
		t.Run(fmt.Sprintf("%s/%s", r.c.Name, r.i.name), func(t *testing.T) {
			vals, err := readCaseValues(r.c)
			if err != nil {
				t.Fatal(err)
			}
			r.i.set(vals)
			_, err = render.Chart(LoadChart(t, r.c.Chart), vals, render.Options{ReleaseName: r.c.Release, Namespace: r.c.Namespace})
			if err == nil {
				t.Fatalf("rendered with a literal secret (%s)", r.i.name)
			}
			if !strings.Contains(err.Error(), r.i.key) {
				t.Errorf("the error does not name %s:\n%v", r.i.key, err)
			}
			for kind, re := range secretShapes {
				if m := re.FindString(err.Error()); m != "" || strings.Contains(err.Error(), "abcdef0123456789") {
					t.Errorf("the error repeats the secret (%s %q):\n%v", kind, m, err)
				}
			}
		})
	}
}
