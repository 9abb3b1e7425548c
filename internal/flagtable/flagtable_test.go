package flagtable

import (
	"strings"
	"testing"
)

func TestTablesLoad(t *testing.T) {
	if err := Err(); err != nil {
		t.Fatal(err)
	}
	for _, e := range []string{"sglang", "vllm"} {
		if _, ok := Newest(e); !ok {
			t.Fatalf("no table for %s", e)
		}
		for _, v := range Versions(e) {
			tab, _ := Lookup(e, v)
			for kind, n := range map[string]int{"flag": len(tab.Flags), "tool": len(tab.ToolCallParsers), "reasoning": len(tab.ReasoningParsers), "env": len(tab.Env)} {
				if n == 0 && !contains(tab.Unlisted, kind) {
					t.Errorf("%s %s: no %s list, and it does not say the source lists none (unlisted)", e, v, kind)
				}
			}
		}
	}
	if got := Engines(); strings.Join(got, ",") != "sglang,vllm" {
		t.Errorf("engines %v", got)
	}
}

func TestCheckArgs(t *testing.T) {
	vllm, _ := Lookup("vllm", "v0.19.0")
	cases := []struct {
		name string
		args []string
		want []string // substrings, one per problem; none: no problems
	}{
		{"ok", []string{"Qwen/Qwen3-8B", "--port", "5000", "--served-model-name", "a", "b", "--trust-remote-code",
			"--no-enable-prefix-caching", "--kv-cache-dtype", "fp8", "--tool-call-parser", "hermes", "--hf-overrides", `{"a": 1}`, "--max-model-len=32k"}, nil},
		{"no model", []string{"--port", "5000"}, []string{"the model is missing"}},
		{"unknown flag", []string{"m", "--frobnicate", "1"}, []string{"--frobnicate is not a flag of vllm v0.19.0"}},
		{"bad choice", []string{"m", "--kv-cache-dtype", "int4"}, []string{`"int4" is not one of auto`}},
		{"bad parser", []string{"m", "--reasoning-parser", "qwen25"}, []string{`"qwen25" is not a reasoning parser of vllm v0.19.0`}},
		{"not an int", []string{"m", "--port", "http"}, []string{`"http" is not an integer`}},
		{"missing value", []string{"m", "--port"}, []string{"needs a value"}},
		{"switch with value", []string{"m", "--trust-remote-code=yes"}, []string{"a switch given the value"}},
		{"not negatable", []string{"m", "--no-port"}, []string{"--no-port is not a flag"}},
		{"stray word", []string{"m", "--enforce-eager", "oops"}, []string{`"oops" is not a flag`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := vllm.CheckArgs(c.args)
			if len(got) != len(c.want) {
				t.Fatalf("problems %q, want %d", got, len(c.want))
			}
			for i, w := range c.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("problem %q does not say %q", got[i], w)
				}
			}
		})
	}
}

func TestCheckEnvAndFrontend(t *testing.T) {
	vllm, _ := Lookup("vllm", "v0.19.0")
	if p := vllm.CheckEnv([]string{"VLLM_API_KEY", "HF_TOKEN", "TRITON_CACHE_DIR"}); p != nil {
		t.Errorf("known variables refused: %q", p)
	}
	if p := vllm.CheckEnv([]string{"SGLANG_API_KEY"}); len(p) != 1 {
		t.Errorf("SGLang's variable accepted for vLLM: %q", p)
	}
	got := vllm.FrontendFlags([]string{"m", "--port", "1", "--tensor-parallel-size", "2", "--api-server-count", "4", "--headless"})
	if strings.Join(got, " ") != "--port --api-server-count" {
		t.Errorf("frontend flags %v", got)
	}
}

func TestVersions(t *testing.T) {
	for _, c := range []struct {
		a, b string
		less bool
	}{{"v0.9.2", "v0.19.0", true}, {"v0.19.0", "v0.19.0", false}, {"v1.0.0", "v0.99.9", false}, {"nightly", "v0.1.0", true}} {
		if got := Less(c.a, c.b); got != c.less {
			t.Errorf("Less(%s, %s) = %v", c.a, c.b, got)
		}
	}
	for tag, want := range map[string]string{"v0.19.0-cu130": "v0.19.0", "v0.5.19": "v0.5.19", "cu130-nightly-abc": "", "latest": ""} {
		if got := VersionOfTag(tag); got != want {
			t.Errorf("VersionOfTag(%s) = %q, want %q", tag, got, want)
		}
	}
}

func TestParseRefusesIncompleteTables(t *testing.T) {
	_, err := Parse([]byte("engine: vllm\nversion: 0.19\nentrypoint: [vllm, serve]\nsource: {repository: r, tag: t, how: h, files: [{path: p, commit: abc}]}\n" +
		"flags: {port: {value: int, source: s}, --x: {value: weird, source: s}, --y: {value: int, negatable: true, source: s}}\n"))
	if err == nil {
		t.Fatal("an incomplete table parsed")
	}
	for _, w := range []string{"not vMAJOR.MINOR.PATCH", "not a full commit id", `"port": not a long flag`, `unknown value kind "weird"`, "only switches are negatable"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not say %q", err, w)
		}
	}
}
