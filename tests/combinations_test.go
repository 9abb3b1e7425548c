package tests

import (
	"flag"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/llm-charts/llm-charts/internal/render"
	appsv1 "k8s.io/api/apps/v1"
)

// toggle is one feature dimension of llm-model values; each option adds its keys to a values map.
type toggle struct {
	name    string
	options []option
}

type option struct {
	name string
	set  func(v map[string]any)
}

// combo is one point of the cross product: the chosen option of every toggle.
type combo []int

// modelToggles are the feature toggles of the llm-model chart whose combinations must all render what they ask for
// or be refused with a key named.
var modelToggles = []toggle{
	{"engine", []option{{"vllm", func(v map[string]any) {}}, {"sglang", func(v map[string]any) { v["engine"] = "sglang" }}}},
	{"task", []option{{"generate", func(v map[string]any) {}}, {"embed", func(v map[string]any) { v["model"].(map[string]any)["task"] = "embed" }}}},
	{"parallel", []option{
		{"tp1", func(v map[string]any) {}},
		{"tp2", func(v map[string]any) { serving(v)["tensorParallelSize"] = 2 }},
		{"tp2pp2", func(v map[string]any) { serving(v)["tensorParallelSize"] = 2; serving(v)["pipelineParallelSize"] = 2 }},
		{"dp2ep", func(v map[string]any) { serving(v)["dataParallelSize"] = 2; serving(v)["enableExpertParallel"] = true }},
	}},
	{"memory", []option{
		{"plain", func(v map[string]any) {}},
		{"multimodal", func(v map[string]any) {
			vllmBlock(v)["multimodal"] = map[string]any{"enabled": true, "processorCacheGb": 8}
		}},
		{"uva", func(v map[string]any) {
			vllmBlock(v)["cpuOffload"] = map[string]any{"backend": "uva", "gb": 4}
			offloadCPU(v)
		}},
		{"kvoffload", func(v map[string]any) { vllmBlock(v)["kvOffload"] = map[string]any{"sizeGb": 16}; offloadCPU(v) }},
	}},
	{"groups", []option{
		{"one", func(v map[string]any) {}},
		{"two", func(v map[string]any) {
			v["resourceGroups"] = append(v["resourceGroups"].([]any), map[string]any{"name": "l40"})
		}},
	}},
	{"nodes", []option{{"1", func(v map[string]any) {}}, {"2", func(v map[string]any) {
		v["resourceGroupDefaults"].(map[string]any)["nodes"] = 2
		v["probes"] = map[string]any{"sizeClass": "xlarge"}
	}}}},
	{"monitoring", []option{{"off", func(v map[string]any) {}}, {"servicemonitor", func(v map[string]any) {
		v["monitoring"] = map[string]any{"serviceMonitor": map[string]any{"enabled": true}}
	}}}},
	{"rope", []option{{"off", func(v map[string]any) {}}, {"on", func(v map[string]any) {
		serving(v)["maxModelLen"] = 81920
		serving(v)["hfOverrides"] = map[string]any{"rope_scaling": map[string]any{"rope_type": "yarn", "factor": 2.0, "original_max_position_embeddings": 40960}}
	}}}},
	{"parsers", []option{{"off", func(v map[string]any) {}}, {"on", func(v map[string]any) {
		serving(v)["toolCallParser"] = "hermes"
		serving(v)["reasoningParser"] = "qwen3"
	}}}},
}

// offloadCPU sets the CPU a group must state when it offloads to CPU RAM.
func offloadCPU(v map[string]any) {
	v["resourceGroupDefaults"].(map[string]any)["resources"].(map[string]any)["cpu"] = map[string]any{"request": 16, "limit": 32}
}

func serving(v map[string]any) map[string]any   { return child(v, "serving") }
func vllmBlock(v map[string]any) map[string]any { return child(v, "vllm") }

// values builds the values of a combination from a fixed base.
func (c combo) values() map[string]any {
	v := map[string]any{
		"model":                 map[string]any{"name": "Qwen/Qwen3-32B"},
		"storage":               map[string]any{"size": "80Gi"},
		"plan":                  map[string]any{"modelMaxLen": 40960},
		"credentials":           map[string]any{"apiKey": map[string]any{"secretName": "api-key"}},
		"resourceGroupDefaults": map[string]any{"resources": map[string]any{"memory": map[string]any{"requestGiB": 40, "limitGiB": 80}}},
		"resourceGroups":        []any{map[string]any{"name": ""}},
	}
	for i, t := range modelToggles {
		t.options[c[i]].set(v)
	}
	return v
}

func (c combo) String() string {
	parts := make([]string, len(c))
	for i, t := range modelToggles {
		parts[i] = t.name + "=" + t.options[c[i]].name
	}
	return strings.Join(parts, ",")
}

func (c combo) is(toggle, opt string) bool {
	for i, t := range modelToggles {
		if t.name == toggle {
			return t.options[c[i]].name == opt
		}
	}
	panic("no toggle " + toggle)
}

// refusal is why the chart must refuse a combination, as the key its error names; "" when it must render.
func (c combo) refusal() string {
	sglang := c.is("engine", "sglang")
	switch {
	case sglang && !c.is("memory", "plain"):
		return "vllm." // vLLM-only options under engine sglang
	case c.is("task", "embed") && c.is("parsers", "on"):
		return "serving.toolCallParser"
	case !sglang && c.is("nodes", "2") && c.is("parallel", "dp2ep"):
		return "multi-node instances"
	case c.is("nodes", "2") && c.is("parallel", "tp1"):
		return ".nodes 2 does not divide"
	}
	return ""
}

// allCombos is the whole cross product of modelToggles.
func allCombos() []combo {
	out := []combo{{}}
	for _, t := range modelToggles {
		var next []combo
		for _, c := range out {
			for i := range t.options {
				next = append(next, append(slices.Clone(c), i))
			}
		}
		out = next
	}
	return out
}

// pairwiseCombos is a subset of allCombos in which every pair of options of two toggles occurs at least once,
// chosen greedily (each step takes the first combination that covers the most pairs not yet covered).
func pairwiseCombos() []combo {
	type pair struct{ t1, o1, t2, o2 int }
	pairs := func(c combo) []pair {
		var out []pair
		for i := range c {
			for j := i + 1; j < len(c); j++ {
				out = append(out, pair{i, c[i], j, c[j]})
			}
		}
		return out
	}
	all := allCombos()
	uncovered := map[pair]bool{}
	for _, c := range all {
		for _, p := range pairs(c) {
			uncovered[p] = true
		}
	}
	var out []combo
	for len(uncovered) > 0 {
		best, bestN := -1, 0
		for i, c := range all {
			n := 0
			for _, p := range pairs(c) {
				if uncovered[p] {
					n++
				}
			}
			if n > bestN {
				best, bestN = i, n
			}
		}
		for _, p := range pairs(all[best]) {
			delete(uncovered, p)
		}
		out = append(out, all[best])
	}
	return out
}

var allCombinations = flag.Bool("all-combinations", false, "TestCombinations renders the whole cross product of the llm-model feature toggles instead of a pairwise-covering subset")

// crash matches the errors of a template that broke (a nil map, a wrong type) rather than a deliberate `fail`.
var crash = regexp.MustCompile(`error calling|nil pointer|can't evaluate|wrong type|invalid value;|unexpected|executing "`)

// TestCombinations renders combinations of modelToggles and checks properties instead of goldens: a combination
// renders what its toggles ask for (StatefulSets per group and role, GPUs per pod, engine flags, monitors, RoPE
// variables) and passes every document check the golden cases pass, or it is refused by a `fail` naming the
// expected key; a template crash is never acceptable. By default it renders a pairwise-covering subset (every pair
// of options of two toggles at least once); `go test ./tests -run TestCombinations -all-combinations` renders the
// whole cross product (2,048 combinations: about 4 minutes on a busy 2-core machine).
func TestCombinations(t *testing.T) {
	combos := pairwiseCombos()
	if *allCombinations {
		combos = allCombos()
	}
	start := time.Now()
	rendered, refused := 0, 0
	for _, c := range combos {
		res, err := render.Chart(LoadChart(t, "llm-model"), c.values(), render.Options{ReleaseName: "combo", Namespace: "llm"})
		want := c.refusal()
		if err != nil {
			refused++
			msg := err.Error()
			if crash.MatchString(msg) || !strings.Contains(msg, "execution error at") {
				t.Errorf("%s: the template broke instead of refusing: %v", c, err)
			} else if want == "" || !strings.Contains(msg, want) {
				t.Errorf("%s: refused, but expected %s:\n%v", c, map[bool]string{true: "to render", false: "an error naming " + want}[want == ""], err)
			}
			continue
		}
		rendered++
		if want != "" {
			t.Errorf("%s: rendered, but must be refused naming %s", c, want)
			continue
		}
		checkCombo(t, c, res)
	}
	t.Logf("%d combinations of %d toggles: %d rendered, %d refused, in %v", len(combos), len(modelToggles), rendered, refused, time.Since(start).Round(time.Millisecond))
}

func checkCombo(t *testing.T, c combo, res *render.Result) {
	t.Helper()
	sglang := c.is("engine", "sglang")
	groups, nodes := 1, 1
	if c.is("groups", "two") {
		groups = 2
	}
	if c.is("nodes", "2") {
		nodes = 2
	}
	tp, pp, dp := 1, 1, 1
	switch {
	case c.is("parallel", "tp2"):
		tp = 2
	case c.is("parallel", "tp2pp2"):
		tp, pp = 2, 2
	case c.is("parallel", "dp2ep"):
		dp = 2
	}
	gpus := tp * pp * dp / nodes
	var stss []*appsv1.StatefulSet
	kinds := map[string]int{}
	for _, d := range res.Docs {
		kinds[d.Kind()]++
		CheckDocument(t, d)
		obj, err := DecodeStrict(d)
		if err != nil {
			continue
		}
		if s, ok := obj.(*appsv1.StatefulSet); ok {
			stss = append(stss, s)
		}
	}
	if len(stss) != groups*nodes {
		t.Errorf("%s: %d StatefulSets, want %d groups × %d roles", c, len(stss), groups, nodes)
	}
	if got := kinds["ServiceMonitor"]; (got == 1) != c.is("monitoring", "servicemonitor") {
		t.Errorf("%s: %d ServiceMonitors", c, got)
	}
	for _, s := range stss {
		ctr := s.Spec.Template.Spec.Containers[0]
		if q := ctr.Resources.Limits["nvidia.com/gpu"]; q.Value() != int64(gpus) {
			t.Errorf("%s: %s asks for %s GPUs, want %d", c, s.Name, q.String(), gpus)
		}
		args := strings.Join(ctr.Args, " ")
		env := map[string]string{}
		for _, e := range ctr.Env {
			env[e.Name] = e.Value
		}
		flags := map[string]bool{
			fmt.Sprintf("--tensor-parallel-size %d", tp): !sglang,
			fmt.Sprintf("--tp-size %d", tp):              sglang,
			"--runner pooling --convert embed":           !sglang && c.is("task", "embed"),
			"--is-embedding":                             sglang && c.is("task", "embed"),
			"--reasoning-parser qwen3":                   c.is("parsers", "on"),
			"--max-model-len 81920":                      !sglang && c.is("rope", "on"),
			"--context-length 81920":                     sglang && c.is("rope", "on"),
			"--cpu-offload-gb 4":                         c.is("memory", "uva"),
			"--kv-offloading-size 16":                    c.is("memory", "kvoffload"),
			"--mm-processor-cache-gb 8":                  c.is("memory", "multimodal"),
		}
		for f, want := range flags {
			if strings.Contains(args, f) != want {
				t.Errorf("%s: %s: flag %q present = %v, want %v", c, s.Name, f, !want, want)
			}
		}
		long := map[bool]string{true: "SGLANG_ALLOW_OVERWRITE_LONGER_CONTEXT_LEN", false: "VLLM_ALLOW_LONG_MAX_MODEL_LEN"}[sglang]
		if (env[long] == "1") != c.is("rope", "on") {
			t.Errorf("%s: %s: %s = %q with rope %v", c, s.Name, long, env[long], c.is("rope", "on"))
		}
	}
}
