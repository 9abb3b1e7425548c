package cli

import (
	"encoding/json"
	"github.com/llm-charts/llm-charts/internal/flagtable"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withoutHeader drops the first line of a values file: it quotes the command line as typed.
func withoutHeader(s string) string {
	_, rest, _ := strings.Cut(s, "\n")
	return rest
}

// TestFlagsAnywhere: flags after positional arguments, --flag=value and --flag value, -oFILE and -o=FILE.
func TestFlagsAnywhere(t *testing.T) {
	t.Setenv("HF_HUB_OFFLINE", "1")
	dir := t.TempDir()
	guide := filepath.Join("..", "..", "tests", "testdata", "guide", "minimax-m2.5-statefulset.yaml")

	// import FILE -o OUT (the failing command) writes what import FILE prints
	stdout, _, err := run(t, "import", guide)
	require.NoError(t, err)
	out := filepath.Join(dir, "imported.yaml")
	_, _, err = run(t, "import", guide, "-o", out)
	require.NoError(t, err)
	got, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, stdout, string(got))

	// gateway FILE... -o OUT, with the per-file flags between and after the files
	minimax, chat := modelCases+"guide-minimax-m2.5.yaml", modelCases+"chat-minimal.yaml"
	before := []string{"gateway", "--gateway=gw", "--release", "chat-minimal.yaml=chat", "--namespace", "llm", minimax, chat}
	stdout, _, err = run(t, before...)
	require.NoError(t, err)
	out = filepath.Join(dir, "gateway.yaml")
	_, _, err = run(t, "gateway", minimax, "--gateway", "gw", chat, "--release=chat-minimal.yaml=chat", "--namespace=llm", "-o", out)
	require.NoError(t, err)
	got, err = os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, withoutHeader(stdout), withoutHeader(string(got)))
	assert.Contains(t, string(got), "name: chat-llm-model\n      namespace: llm", "--release and --namespace after the files apply")

	// values: --flag=value, -oFILE and -o=FILE write what --flag value prints; --gpu repeats and splits on commas
	stdout, _, err = run(t, "values", "--model", "Qwen/Qwen3-8B", "--gpu", "l4", "--gpu", "v100-32gb")
	require.NoError(t, err)
	for i, args := range [][]string{
		{"values", "--model=Qwen/Qwen3-8B", "--gpu=l4,v100-32gb", "-o" + filepath.Join(dir, "v0.yaml")},
		{"values", "-o=" + filepath.Join(dir, "v1.yaml"), "--gpu", "l4", "--model", "Qwen/Qwen3-8B", "--gpu=v100-32gb"},
	} {
		_, _, err := run(t, args...)
		require.NoError(t, err, args)
		got, err := os.ReadFile(filepath.Join(dir, "v"+string(rune('0'+i))+".yaml"))
		require.NoError(t, err)
		assert.Equal(t, withoutHeader(stdout), withoutHeader(string(got)), args)
		assert.NotContains(t, strings.SplitN(string(got), "\n", 2)[0], filepath.Join(dir, "v"), "the header leaves the output file out")
	}

	// "--" ends the flags: a file named like a flag is a file
	_, _, err = run(t, "gateway", "--gateway", "gw", "--", "--base")
	assert.ErrorContains(t, err, "--base")
	assert.Equal(t, 1, ExitCode(err), "read as a file that does not exist, not as a flag")
}

// TestUsageErrors: every kind of bad command line exits 2 and names the problem.
func TestUsageErrors(t *testing.T) {
	t.Setenv("HF_HUB_OFFLINE", "1")
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"values", "--model", "Qwen/Qwen3-8B", "--gpus", "l4"}, []string{"unknown flag: --gpus", "chartgen values --help"}},
		{[]string{"values", "--model", "Qwen/Qwen3-8B", "-x"}, []string{"unknown shorthand flag: 'x'"}},
		{[]string{"values", "--model", "Qwen/Qwen3-8B", "--context", "lots"}, []string{`invalid argument "lots" for "--context"`}},
		{[]string{"values", "--model", "Qwen/Qwen3-8B", "--gpu-memory-utilization=high"}, []string{`invalid argument "high"`}},
		{[]string{"values", "--model"}, []string{"flag needs an argument: --model"}},
		{[]string{"values", "-model", "Qwen/Qwen3-8B"}, []string{"-model: long flags take two dashes: --model"}},
		{[]string{"values", "--model", "Qwen/Qwen3-8B", "-output", "x.yaml"}, []string{"long flags take two dashes: --output"}},
		{[]string{"values", "--model", "Qwen/Qwen3-8B", "l4"}, []string{`unexpected argument "l4"`}},
		{[]string{"gpus", "-o", "xml"}, []string{`-o "xml" is not an output format`}},
		{[]string{"models", "extra"}, []string{`unexpected argument "extra"`}},
		{[]string{"import", "-o", "x.yaml"}, []string{"name one or more manifest files"}},
		{[]string{"gateway", "--buckets", "many", "x.yaml"}, []string{`invalid argument "many" for "--buckets"`}},
		{[]string{"valuez", "--model", "x"}, []string{`unknown command "valuez"`, "did you mean values?", "explain, gateway"}},
		{[]string{"--bogus"}, []string{"unknown flag: --bogus"}},
		{[]string{"values", "--model", "Qwen/Qwen3-8B", "--lora-rank", "48"}, []string{"--lora-rank 48 is not a rank vLLM takes"}},
		{[]string{"values", "--model", "Qwen/Qwen3-8B", "--max-loras", "-1"}, []string{"--max-loras -1 must be positive"}},
		{[]string{"values", "--model", "Qwen/Qwen3-8B", "--max-loras", "4", "--max-cpu-loras", "2"}, []string{"--max-cpu-loras 2 is below --max-loras 4"}},
		{[]string{"values", "--model", "Qwen/Qwen3-8B", "--engine-version", "v0.19.0-cu130"}, []string{`--engine-version: "v0.19.0-cu130" is not a release: give vMAJOR.MINOR.PATCH`}},
		{[]string{"values", "--model", "Qwen/Qwen3-8B", "--engine-version", "latest"}, []string{`"latest" is not a release`}},
		{[]string{"values", "--model", "Qwen/Qwen3-8B", "--engine-version", "1.0"}, []string{`"1.0" is not a release`}},
		{[]string{"values", "--model", "Qwen/Qwen3-8B", "--engine-version", "v0.29.1rc1"}, []string{`"v0.29.1rc1" is not a release`}},
		{[]string{"values", "--model", "Qwen/Qwen3-8B", "--engine", "sglang", "--max-cpu-loras", "2"}, []string{"--max-cpu-loras: LoRA adapter slots in CPU memory (max_cpu_loras) are a vLLM option; SGLang has none"}},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			stdout, _, err := run(t, c.args...)
			require.Error(t, err)
			assert.Equal(t, 2, ExitCode(err), err.Error())
			assert.Empty(t, stdout)
			for _, w := range c.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

// TestHelpEveryCommand: -h, --help and `help CMD` answer on standard output, exit 0, for every command.
func TestHelpEveryCommand(t *testing.T) {
	root := newRoot(&app{})
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		for _, args := range [][]string{{c.Name(), "-h"}, {c.Name(), "--help"}, {"help", c.Name()}, {c.Name(), "--model=x", "--help"}} {
			if c.Name() == "help" && args[0] == "help" {
				continue
			}
			out, errOut, err := run(t, args...)
			if strings.HasPrefix(args[1], "--model") && c.Flags().Lookup("model") == nil {
				continue // an unknown flag before --help is an error
			}
			require.NoError(t, err, args)
			assert.Contains(t, out, "Usage:\n  chartgen "+c.Name(), args)
			summary, _, _ := strings.Cut(c.Long, "\n")
			if summary == "" {
				summary = c.Short
			}
			assert.Contains(t, out, summary, args)
			assert.Empty(t, errOut, args)
		}
	}
	out, _, err := run(t, "gateway", "--help")
	require.NoError(t, err)
	for _, w := range []string{"--release FILE=NAME", "Per file", "--base FILE merges", "--buckets N", "-o, --output FILE", "Examples:"} {
		assert.Contains(t, out, w)
	}
	out, _, err = run(t, "-h")
	require.NoError(t, err)
	assert.Contains(t, out, "Exit codes: 0 ok, 2 a bad command line")
	_, errOut, err := run(t)
	assert.Equal(t, 2, ExitCode(err))
	assert.Contains(t, errOut, "Available Commands:", "a missing command prints the usage to standard error")
}

// TestVersion: chartgen --version reports the VERSION file, the one place the version is set.
func TestVersion(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("..", "..", "VERSION"))
	require.NoError(t, err)
	for _, flag := range []string{"--version", "-v"} {
		out, _, err := run(t, flag)
		require.NoError(t, err)
		assert.Equal(t, "chartgen version "+strings.TrimSpace(string(want))+"\n", out)
	}
}

// TestCompletion: the scripts for bash, zsh and fish, and the candidates they ask chartgen for.
func TestCompletion(t *testing.T) {
	for shell, marker := range map[string]string{
		"bash": "complete -o default -F __start_chartgen chartgen",
		"zsh":  "#compdef chartgen",
		"fish": "complete -c chartgen",
	} {
		out, _, err := run(t, "completion", shell)
		require.NoError(t, err, shell)
		assert.Contains(t, out, marker, shell)
		assert.Contains(t, out, "__complete", shell) // the script asks the binary for candidates
	}
	for _, args := range [][]string{{"completion", "tcsh"}, {"completion"}} {
		_, _, err := run(t, args...)
		assert.Equal(t, 2, ExitCode(err), args)
		assert.ErrorContains(t, err, "bash, fish, powershell, zsh", args)
	}

	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"__complete", ""}, []string{"values\t", "explain\t", "gateway\t", "completion\t"}},
		{[]string{"__complete", "values", "--gpu", ""}, []string{"a100-80gb", "l4", "h200", ":4"}},
		{[]string{"__complete", "values", "--model", ""}, []string{"MiniMaxAI/MiniMax-M2.5", "zai-org/GLM-5-FP8"}},
		{[]string{"__complete", "explain", "--engine", ""}, []string{"vllm", "sglang"}},
		{[]string{"__complete", "explain", "--objective", ""}, []string{"balanced", "gpus", "latency"}},
		{[]string{"__complete", "explain", "-o", ""}, []string{"table", "json", "yaml"}},
		{[]string{"__complete", "gateway", "x.yaml", ""}, []string{"yaml", "yml", ":8"}}, // files ending .yaml/.yml
		{[]string{"__complete", "values", "--"}, []string{"--model", "--gpu", "--output"}},
	} {
		out, _, err := run(t, c.args...)
		require.NoError(t, err, c.args)
		for _, w := range c.want {
			assert.Contains(t, out, w, c.args)
		}
	}
}

// TestJSONKeysCamelCase: every -o json output uses camelCase keys (the charts' values and Kubernetes style).
func TestJSONKeysCamelCase(t *testing.T) {
	t.Setenv("HF_HUB_OFFLINE", "1")
	camel := regexp.MustCompile(`^[a-z][a-zA-Z0-9]*$`)
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if !camel.MatchString(k) {
					t.Errorf("%s: key %q is not camelCase", path, k)
				}
				walk(path+"."+k, e)
			}
		case []any:
			for _, e := range x {
				walk(path+"[]", e)
			}
		}
	}
	for _, args := range [][]string{
		{"explain", "--model", "MiniMaxAI/MiniMax-M2.5"},
		{"explain", "--model", "zai-org/GLM-5-FP8", "--engine", "sglang"},
		{"explain", "--model", "Qwen/Qwen3-VL-235B-A22B-Instruct", "--gpu", "v100-32gb,h200"},
		{"gpus"},
		{"models"},
	} {
		out, _, err := run(t, append(args, "-o", "json")...)
		require.NoError(t, err, args)
		var v any
		require.NoError(t, json.Unmarshal([]byte(out), &v), args)
		walk(strings.Join(args, " "), v)
	}
	out, _, err := run(t, "explain", "--model", "MiniMaxAI/MiniMax-M2.5", "--gpu", "a100-80gb", "-o", "json")
	require.NoError(t, err)
	assert.Contains(t, out, `"parsers": {`)
}

// The engine flags' help and refusals come from internal/engine: the names, the default engine and release, and
// each engine's own KV cache dtype list.
func TestEngineFlagsFromEngine(t *testing.T) {
	out, _, err := run(t, "values", "--help")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`serving ENGINE: vllm or sglang (default "vllm")`,
		"(default: the chart's v0.19.0)",
		"(default auto; with sglang: auto, bfloat16, fp8, fp8_e4m3, fp8_e5m2)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("values --help lacks %q:\n%s", want, out)
		}
	}
	if out, _, _ := run(t, "__complete", "values", "--engine", ""); !strings.Contains(out, "vllm\nsglang\n") {
		t.Errorf("--engine completions:\n%s", out)
	}
	if out, _, _ := run(t, "check", "--help"); !strings.Contains(out, "ENGINE the log is of: vllm or sglang") {
		t.Errorf("check --help:\n%s", out)
	}
	for _, args := range [][]string{
		{"values", "--model", "Qwen/Qwen3-8B", "--engine", ""},
		{"check", "x.log", "--engine", "tgi"},
	} {
		if _, _, err := run(t, args...); ExitCode(err) != 2 || !strings.Contains(err.Error(), "allowed: vllm, sglang") {
			t.Errorf("%v: %v", args, err)
		}
	}
}

// TestEngineVersionNewerThanKnown: a release newer than the newest one chartgen and the chart know is planned, and
// the values say which release's rules it got; a known one is not flagged.
func TestEngineVersionNewerThanKnown(t *testing.T) {
	t.Setenv("HF_HUB_OFFLINE", "1")
	versions := flagtable.Versions("vllm")
	newest := versions[len(versions)-1]
	out, _, err := run(t, "values", "--model", "Qwen/Qwen3-8B", "--gpu", "l4", "--engine-version", "v0.99.0")
	require.NoError(t, err)
	assert.Contains(t, out, "version: v0.99.0")
	// The comment is wrapped: compare its words.
	words := strings.Join(strings.Fields(strings.ReplaceAll(out, "#", "")), " ")
	assert.Contains(t, words, "Engine release: v0.99.0 (--engine-version); the memory plan follows it. It is newer than the newest vllm release chartgen and the chart have a flag table for ("+newest+"): the memory plan applies the rules it has for "+newest+" and later")
	out, _, err = run(t, "values", "--model", "Qwen/Qwen3-8B", "--gpu", "l4", "--engine-version", strings.TrimPrefix(versions[0], "v"))
	require.NoError(t, err)
	assert.Contains(t, out, "Engine release: "+versions[0]+" (--engine-version); the memory plan follows it.")
	assert.NotContains(t, out, "newer than the newest")
	assert.NotContains(t, out, "no flag table")
}
