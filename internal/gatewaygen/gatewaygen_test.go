package gatewaygen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/llm-charts/llm-charts/internal/values"
)

func TestServiceName(t *testing.T) {
	for _, c := range []struct {
		fullname, name, release, want string
	}{
		{"minimax-vllm-inference", "", "minimax", "minimax-vllm-inference"},
		{"minimax-vllm-inference", "", "", "minimax-vllm-inference"},
		{"", "", "minimax", "minimax-llm-model"},
		{"", "", "my-llm-model", "my-llm-model"},
		{"", "qwen", "qwen", "qwen"},
		{"", "qwen", "qwen-prod", "qwen-prod"},
		{"", "qwen", "prod", "prod-qwen"},
		// over 52: 43 characters, "-" and 8 hex digits of the whole name's SHA-256 (values.HashedName)
		{"", "", strings.Repeat("a", 50) + "-bc", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-8bbcb77f"},
		{"", "x", strings.Repeat("b", 51), "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-5132b342"},
		{strings.Repeat("c", 51) + "-d", "", "r", "ccccccccccccccccccccccccccccccccccccccccccc-0173c582"},
	} {
		m := &values.Model{FullnameOverride: c.fullname, NameOverride: c.name}
		got := ServiceName(m, c.release)
		if got != c.want {
			t.Errorf("ServiceName(%+v, %q) = %q, want %q", *m, c.release, got, c.want)
		}
		if len(got) > 52 || strings.HasSuffix(got, "-") {
			t.Errorf("ServiceName(%+v, %q) = %q: over 52 characters or ends with -", *m, c.release, got)
		}
	}
}

func TestShortName(t *testing.T) {
	for in, want := range map[string]string{
		"MiniMaxAI/MiniMax-M2.5":                 "minimax-m2.5",
		"Qwen/Qwen3-8B":                          "qwen3-8b",
		"zai-org/GLM-5-FP8":                      "glm-5-fp8",
		"/models/local/Llama_3.1 8B":             "llama-3.1-8b",
		"gpt2":                                   "gpt2",
		"Qwen/Qwen3-235B-A22B-Thinking-2507-FP8": "qwen3-235b-a22b-thinking-2507-fp8",
	} {
		if got := ShortName(in); got != want {
			t.Errorf("ShortName(%q) = %q, want %q", in, got, want)
		}
	}
}

func input(path, yaml string) Input { return Input{Path: path, Data: []byte(yaml)} }

func TestGenerateMergeWithBase(t *testing.T) {
	a := input("a.yaml", "fullnameOverride: a-vllm\nmodel:\n  name: Org/Model-A\n")
	b := input("b.yaml", "model:\n  name: Org/Model-B\n  servedModelNames: [mb]\nservice:\n  port: 8000\ncredentials:\n  apiKey: {secretName: b-key, key: apiKey}\n")
	b.Release, b.Namespace = "bee", "team"
	first, err := Generate([]Input{a, b}, Options{Gateway: "gw"})
	if err != nil {
		t.Fatal(err)
	}
	if got := first.Values.Backends["bee-llm-model"]; got.Service.Port != 8000 || got.Service.Namespace != "team" || got.APIKeySecret == nil || got.APIKeySecret.Name != "b-key" {
		t.Errorf("backend of b: %+v", got)
	}
	out, err := first.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	// A person edits the generated file: pins model-a, gives a-vllm a key, adds an external backend and a failover
	// model using the generated backend.
	edited := strings.Replace(string(out), "  - name: model-a\n", "  - name: model-a\n    route: pinned\n", 1)
	edited = strings.Replace(edited, "  a-vllm:\n", "  a-vllm:\n    namespace: keys\n    tls:\n      enabled: true\n      clientCertificateRef:\n        name: gw-client\n    apiKeySecret:\n      name: shared\n", 1)
	edited += "  remote:\n    fqdn:\n      hostname: llm.example.org\n      port: 443\n"
	edited = strings.Replace(edited, "models:\n", "models:\n  - name: model-a-ha\n    backendRefs:\n      - name: a-vllm\n      - name: remote\n        priority: 1\n", 1)
	base, err := ParseBase("gateway.yaml", []byte(edited))
	if err != nil {
		t.Fatal(err)
	}
	if len(base.genModels) != 2 || len(base.genBackends) != 2 {
		t.Fatalf("marked entries: models %v backends %v\n%s", base.genModels, base.genBackends, edited)
	}
	// b.yaml is gone: its model and backend go; the hand-written entries stay; the pin and the key are kept.
	second, err := Generate([]Input{a}, Options{Base: base})
	if err != nil {
		t.Fatal(err)
	}
	v := second.Values
	var names []string
	for _, m := range v.Models {
		names = append(names, m.Name+"@"+m.Route)
	}
	if got := strings.Join(names, ","); got != "model-a-ha@,model-a@pinned" {
		t.Errorf("models: %s", got)
	}
	if _, ok := v.Backends["bee-llm-model"]; ok || len(v.Backends) != 2 {
		t.Errorf("backends: %v", v.Backends)
	}
	if k := v.Backends["a-vllm"].APIKeySecret; k == nil || k.Name != "shared" {
		t.Errorf("apiKeySecret not kept: %+v", v.Backends["a-vllm"])
	}
	if b := v.Backends["a-vllm"]; b.Namespace != "keys" || b.TLS == nil || b.TLS.ClientCertificateRef == nil || b.TLS.ClientCertificateRef.Name != "gw-client" {
		t.Errorf("namespace and tls (mTLS) not kept: %+v", b)
	}
	if v.Gateway == nil || v.Gateway.Name != "gw" {
		t.Errorf("gateway: %+v", v.Gateway)
	}
	// Dropping a.yaml too leaves the failover model pointing at nothing: an error naming it.
	_, err = Generate([]Input{b}, Options{Base: base})
	if err == nil || !strings.Contains(err.Error(), `"model-a-ha" backendRefs[0]: backend "a-vllm"`) {
		t.Errorf("dangling reference: %v", err)
	}
	// A hand-written model with a generated one's name wins, with a note.
	hand := "gateway: {name: gw}\nmodels:\n  - name: model-a\n    backendRefs: [{name: a-vllm}, {name: remote, priority: 1}]\nbackends:\n  remote: {fqdn: {hostname: x.example.org, port: 443}}\n"
	base, err = ParseBase("hand.yaml", []byte(hand))
	if err != nil {
		t.Fatal(err)
	}
	third, err := Generate([]Input{a}, Options{Base: base})
	if err != nil {
		t.Fatal(err)
	}
	if len(third.Values.Models) != 1 || len(third.Values.Models[0].BackendRefs) != 2 || len(third.Notes) != 1 || !strings.Contains(third.Notes[0], "hand-written entry of hand.yaml is kept") {
		t.Errorf("hand-written model: %+v, notes %q", third.Values.Models, third.Notes)
	}
}

// TestSameServiceTwoNamespaces: one release name in two namespaces gives two backends, keyed by namespace.
func TestSameServiceTwoNamespaces(t *testing.T) {
	a, b, c := input("a.yaml", "fullnameOverride: m\nmodel: {name: A/B}\n"), input("b.yaml", "fullnameOverride: m\nmodel: {name: A/C}\n"), input("c.yaml", "fullnameOverride: nn\nmodel: {name: A/D}\n")
	a.Namespace, c.Namespace = "prod", "prod"
	r, err := Generate([]Input{a, b, c}, Options{Gateway: "g"})
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(r.Values.Models[0].BackendRefs[0].Name, " ", r.Values.Models[1].BackendRefs[0].Name, " ", r.Values.Models[2].BackendRefs[0].Name)
	if got != "m-prod m nn" || r.Values.Backends["m-prod"].Service.Name != "m" {
		t.Errorf("backend keys %s; backends %+v", got, r.Values.Backends)
	}
	b.Namespace = "prod"
	if _, err := Generate([]Input{a, b}, Options{Gateway: "g"}); err == nil || !strings.Contains(err.Error(), "both address the Service m.prod") {
		t.Errorf("same Service twice: %v", err)
	}
}

func TestGenerateErrors(t *testing.T) {
	ok := input("ok.yaml", "fullnameOverride: ok\nmodel: {name: A/B}\n")
	for name, c := range map[string]struct {
		in   []Input
		opts Options
		want []string
	}{
		"not llm-model":    {[]Input{input("gw.yaml", "models: []\nbackends: {}\n")}, Options{Gateway: "g"}, []string{"gw.yaml is not llm-model values", "models"}},
		"no model name":    {[]Input{input("e.yaml", "{}\n")}, Options{Gateway: "g"}, []string{"e.yaml", "model.name is missing"}},
		"not yaml":         {[]Input{input("x.yaml", "a: [\n")}, Options{Gateway: "g"}, []string{"x.yaml", "not YAML"}},
		"missing release":  {[]Input{input("r.yaml", "model: {name: A/C}\n")}, Options{Gateway: "g"}, []string{"r.yaml", "--release r.yaml=RELEASE", "fullnameOverride"}},
		"dotted release":   {[]Input{{Path: "d.yaml", Data: []byte("model: {name: A/C}\n"), Release: "a.b"}}, Options{Gateway: "g"}, []string{`"a.b-llm-model" (from release a.b) is not a DNS-1035 label`}},
		"duplicate public": {[]Input{ok, input("dup.yaml", "fullnameOverride: other\nmodel: {name: C/B}\n")}, Options{Gateway: "g"}, []string{`ok.yaml and dup.yaml both publish the model "b"`, "--name"}},
		"duplicate svc":    {[]Input{ok, input("dup.yaml", "fullnameOverride: ok\nmodel: {name: C/D}\n")}, Options{Gateway: "g"}, []string{`both address the Service ok.<gateway namespace>`}},
		"no gateway":       {[]Input{ok}, Options{}, []string{"gateway.name is required", "--gateway"}},
		"bad public name":  {[]Input{{Path: "p.yaml", Data: []byte("fullnameOverride: p\nmodel: {name: A/B}\n"), PublicName: "a  b"}}, Options{Gateway: "g"}, []string{"p.yaml", `"a  b"`}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Generate(c.in, c.opts)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// Inputs is n generated llm-model values files (half with fullnameOverride, half needing a release).
func Inputs(n int) []Input {
	in := make([]Input, n)
	for i := range in {
		if i%2 == 0 {
			in[i] = input(fmt.Sprintf("m%04d.yaml", i), fmt.Sprintf("fullnameOverride: m%04d-vllm-inference\nmodel:\n  name: Org%d/Model-%04d-Instruct\nservice:\n  port: 5000\n", i, i%7, i))
		} else {
			in[i] = input(fmt.Sprintf("m%04d.yaml", i), fmt.Sprintf("model:\n  name: Org%d/Model-%04d\n  servedModelNames: [model-%04d-chat]\n", i%7, i, i))
			in[i].Release, in[i].Namespace = fmt.Sprintf("m%04d", i), "llm"
		}
	}
	return in
}

// TestOverflowMessage: 1,000 models in the default 16 buckets: a short error with the fix.
func TestOverflowMessage(t *testing.T) {
	_, err := Generate(Inputs(1000), Options{Gateway: "gw"})
	if err == nil || !strings.Contains(err.Error(), "and 11 more routes over the limit") || !strings.Contains(err.Error(), "e.g. 256") || len(err.Error()) > 2000 {
		t.Errorf("error: %v", err)
	}
}

func BenchmarkGenerate1000(b *testing.B) {
	in := Inputs(1000)
	b.ReportAllocs()
	for b.Loop() {
		r, err := Generate(in, Options{Gateway: "gw", Buckets: 256})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.Marshal(); err != nil {
			b.Fatal(err)
		}
	}
}

// A file with inferencePool.enabled is published through its pool: an inferencePool backend named like the Service,
// no modelNameOverride, and a public name the engine serves; a --name it does not serve and an engine API key are
// refused with the reason.
func TestGenerateInferencePool(t *testing.T) {
	pool := input("pool.yaml", "fullnameOverride: qwen3-32b\nmodel:\n  name: Qwen/Qwen3-32B\ninferencePool:\n  enabled: true\n")
	pool.Namespace = "llm"
	svc := input("svc.yaml", "fullnameOverride: minimax\nmodel:\n  name: MiniMaxAI/MiniMax-M2.5\n")
	r, err := Generate([]Input{pool, svc}, Options{Gateway: "gw"})
	if err != nil {
		t.Fatal(err)
	}
	b := r.Values.Backends["qwen3-32b"]
	if b.InferencePool == nil || b.InferencePool.Name != "qwen3-32b" || b.InferencePool.Namespace != "llm" || b.Service != nil {
		t.Errorf("pool backend = %+v, want inferencePool qwen3-32b in llm and no service", b)
	}
	if s := r.Values.Backends["minimax"]; s.Service == nil || s.InferencePool != nil {
		t.Errorf("service backend = %+v, want a service", s)
	}
	m := r.Values.Models[0]
	if m.Name != "Qwen/Qwen3-32B" || m.BackendRefs[0].ModelNameOverride != "" || m.BackendRefs[0].Name != "qwen3-32b" {
		t.Errorf("pool model = %+v, want the served name as public name, no modelNameOverride", m)
	}
	out, err := r.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "InferencePool qwen3-32b.llm (inferencePool.enabled)") {
		t.Errorf("the pool backend's comment does not say it is an InferencePool:\n%s", out)
	}

	named := pool
	named.PublicName = "qwen"
	if _, err := Generate([]Input{named}, Options{Gateway: "gw"}); err == nil || !strings.Contains(err.Error(), "ignores modelNameOverride") {
		t.Errorf("--name the engine does not serve: err = %v, want the modelNameOverride reason", err)
	}
	served := input("served.yaml", "fullnameOverride: q\nmodel:\n  name: Qwen/Qwen3-32B\n  servedModelNames: [qwen, qwen3]\ninferencePool:\n  enabled: true\n")
	served.PublicName = "qwen3"
	if r, err := Generate([]Input{served}, Options{Gateway: "gw"}); err != nil || r.Values.Models[0].Name != "qwen3" {
		t.Errorf("--name among servedModelNames: err = %v", err)
	}
	keyed := input("keyed.yaml", "fullnameOverride: k\nmodel:\n  name: Qwen/Qwen3-32B\ncredentials:\n  apiKey: {secretName: k-key, key: apiKey}\ninferencePool:\n  enabled: true\n")
	if _, err := Generate([]Input{keyed}, Options{Gateway: "gw"}); err == nil || !strings.Contains(err.Error(), "BackendSecurityPolicy applies only to AIServiceBackends") {
		t.Errorf("engine API key with a pool: err = %v, want a refusal", err)
	}
}

// TestGenerateLoRA: each adapter is one more public model on its base model's backend (modelNameOverride on a
// Service, the pool as is), with the base's API key on the shared backend; collisions name both files; a regeneration
// without an adapter drops its rule and keeps hand edits of the others.
func TestGenerateLoRA(t *testing.T) {
	svc := input("llama.yaml", "fullnameOverride: llama\nmodel:\n  name: meta-llama/Meta-Llama-3.1-8B\ncredentials:\n  apiKey: {secretName: llama-key, key: apiKey}\nlora:\n  adapters: {sql: my-org/sql-lora, chat: /models/adapters/chat}\n")
	pool := input("qwen.yaml", "fullnameOverride: qwen\nmodel:\n  name: Qwen/Qwen3-8B\ninferencePool:\n  enabled: true\nlora:\n  adapters: {support: my-org/support-lora}\n")
	r, err := Generate([]Input{svc, pool}, Options{Gateway: "gw"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range r.Values.Models {
		if len(m.BackendRefs) != 1 {
			t.Fatalf("%s: backendRefs %+v", m.Name, m.BackendRefs)
		}
		got = append(got, fmt.Sprintf("%s→%s=%s", m.Name, m.BackendRefs[0].Name, m.BackendRefs[0].ModelNameOverride))
	}
	want := "meta-llama-3.1-8b→llama=meta-llama/Meta-Llama-3.1-8B,chat→llama=chat,sql→llama=sql,Qwen/Qwen3-8B→qwen=,support→qwen="
	if g := strings.Join(got, ","); g != want {
		t.Errorf("models:\n got %s\nwant %s", g, want)
	}
	if k := r.Values.Backends["llama"].APIKeySecret; k == nil || k.Name != "llama-key" || len(r.Values.Backends) != 2 {
		t.Errorf("backends (the adapters share the base's, with its key): %+v", r.Values.Backends)
	}
	if s := r.Sources[0].Adapters; strings.Join(s, ",") != "chat,sql" {
		t.Errorf("sources: adapters %v", s)
	}
	out, err := r.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "# LoRA adapter sql (my-org/sql-lora) on meta-llama/Meta-Llama-3.1-8B, served by the engine under its adapter name") {
		t.Errorf("adapter comment missing:\n%s", out)
	}

	// An adapter taking another file's public name, or its own base model's, is refused naming both.
	other := input("other.yaml", "fullnameOverride: other\nmodel:\n  name: Org/Other\n  servedModelNames: [sql]\n")
	if _, err := Generate([]Input{other, svc}, Options{Gateway: "gw"}); err == nil || !strings.Contains(err.Error(), `other.yaml and llama.yaml (its LoRA adapter lora.adapters.sql) both publish the model "sql"`) {
		t.Errorf("collision with another file: %v", err)
	}
	self := input("self.yaml", "fullnameOverride: self\nmodel:\n  name: Org/Self\n  servedModelNames: [self]\nlora:\n  adapters: {self: org/self-lora}\n")
	if _, err := Generate([]Input{self}, Options{Gateway: "gw"}); err == nil || !strings.Contains(err.Error(), `self.yaml and self.yaml (its LoRA adapter lora.adapters.self) both publish the model "self"`) {
		t.Errorf("collision with its own base: %v", err)
	}

	// Regeneration: the sql rule, pinned by hand, keeps its pin; chat, dropped from the file, loses its rule.
	edited := strings.Replace(string(out), "  - name: sql\n", "  - name: sql\n    route: pinned\n", 1)
	base, err := ParseBase("gateway.yaml", []byte(edited))
	if err != nil {
		t.Fatal(err)
	}
	fewer := input("llama.yaml", "fullnameOverride: llama\nmodel:\n  name: meta-llama/Meta-Llama-3.1-8B\nlora:\n  adapters: {sql: my-org/sql-lora}\n")
	r2, err := Generate([]Input{fewer}, Options{Base: base})
	if err != nil {
		t.Fatal(err)
	}
	got = nil
	for _, m := range r2.Values.Models {
		got = append(got, m.Name+"@"+m.Route)
	}
	if g := strings.Join(got, ","); g != "meta-llama-3.1-8b@,sql@pinned" {
		t.Errorf("after removing chat (and qwen.yaml): %s", g)
	}

	// Adapter rules count against the CRD's rule limit like any model: 15 adapters + the base in one bucket is refused.
	var many []string
	for i := range 15 {
		many = append(many, fmt.Sprintf("a%02d: org/a%02d", i, i))
	}
	big := input("big.yaml", "fullnameOverride: big\nmodel:\n  name: Org/Big\nlora:\n  adapters: {"+strings.Join(many, ", ")+"}\n")
	if _, err := Generate([]Input{big}, Options{Gateway: "gw", Buckets: 1}); err == nil || !strings.Contains(err.Error(), "would hold 16 models") {
		t.Errorf("16 rules in one bucket: %v", err)
	}
	if r, err := Generate([]Input{big}, Options{Gateway: "gw", Buckets: 4}); err != nil || len(r.Values.Models) != 16 {
		t.Errorf("16 rules over 4 buckets: %v", err)
	}
}
