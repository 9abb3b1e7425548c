package tests

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/llm-charts/llm-charts/internal/engine"
	"github.com/llm-charts/llm-charts/internal/flagtable"
	"github.com/llm-charts/llm-charts/internal/render"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// TestSpecCoversRenderings ties the engine specs (internal/engine/specs, from which the chart's _engines.tpl is
// generated) to what the chart renders, over every llm-model case:
//   - every flag an engine container is started with has a spec row or rank flag of that engine, or is a word of
//     the case's own serving.extraArgs (the user's flags);
//   - every spec row and rank flag renders to its flag on at least one case (the row whose logic is "positional"
//     renders as the positional argument, and is checked as that: the model is the first word after the entry
//     point).
func TestSpecCoversRenderings(t *testing.T) {
	seen := map[engine.Name]map[string]bool{}
	for _, c := range LoadCases(t) {
		if c.Chart != "llm-model" || c.WantError {
			continue
		}
		res, err := RenderCase(t, c)
		require.NoError(t, err, c.Path)
		extra := caseExtraArgs(t, c)
		for _, ctr := range engineContainers(t, res) {
			e, err := engine.Lookup(ctr.Name)
			require.NoError(t, err, "%s: container %s", c.Name, ctr.Name)
			spec := e.Spec()
			argv := engineArgv(t, ctr)
			require.GreaterOrEqual(t, len(argv), len(spec.Entrypoint), "%s: argv %q", c.Name, argv)
			require.Equal(t, spec.Entrypoint, argv[:len(spec.Entrypoint)], "%s: the entry point of %s", c.Name, e.Name())
			if seen[e.Name()] == nil {
				seen[e.Name()] = map[string]bool{}
			}
			args := argv[len(spec.Entrypoint):]
			if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
				seen[e.Name()]["(positional)"] = true
			}
			for _, f := range argFlags(args) {
				if extra[f] {
					continue
				}
				if _, ok := spec.Row(f); ok {
					seen[e.Name()][f] = true
					continue
				}
				if base := "--" + strings.TrimPrefix(f, "--no-"); base != f {
					if r, ok := spec.Row(base); ok && r.Type == engine.TypeNegatable {
						seen[e.Name()][base] = true
						continue
					}
				}
				assert.Failf(t, "rendered flag without a spec row", "%s: %s renders %s, which internal/engine/specs/%s.yaml has no row for (and the case's extraArgs do not hold)", c.Name, e.Name(), f, e.Name())
			}
		}
	}
	for _, e := range engine.All() {
		spec := e.Spec()
		var missing []string
		for _, r := range append(append([]engine.KeyRow(nil), spec.Keys...), spec.RankFlags...) {
			flag := r.Flag
			if r.Logic == "positional" {
				flag = "(positional)"
			}
			if !seen[e.Name()][flag] {
				missing = append(missing, fmt.Sprintf("%s (key %s)", r.Flag, r.Key))
			}
		}
		sort.Strings(missing)
		assert.Empty(t, missing, "%s: spec rows that no case under tests/cases/llm-model renders; add a case that sets their key", e.Name())
	}
}

// engineContainers are the engine containers of a rendering: every StatefulSet's and every LeaderWorkerSet
// template's containers named after an engine.
func engineContainers(t *testing.T, res *render.Result) []corev1.Container {
	var pods []corev1.PodTemplateSpec
	for _, d := range res.Docs {
		obj, err := DecodeStrict(d)
		require.NoError(t, err)
		if sts, ok := obj.(*appsv1.StatefulSet); ok {
			pods = append(pods, sts.Spec.Template)
		}
		if strings.Contains(d.Body, "\nkind: LeaderWorkerSet\n") {
			var lws struct {
				Spec struct {
					LeaderWorkerTemplate struct{ LeaderTemplate, WorkerTemplate corev1.PodTemplateSpec }
				}
			}
			require.NoError(t, yaml.Unmarshal([]byte(d.Body), &lws))
			pods = append(pods, lws.Spec.LeaderWorkerTemplate.LeaderTemplate, lws.Spec.LeaderWorkerTemplate.WorkerTemplate)
		}
	}
	var out []corev1.Container
	for _, p := range pods {
		for _, c := range p.Spec.Containers {
			if _, err := engine.Lookup(c.Name); err == nil && c.Name != "" {
				out = append(out, c)
			}
		}
	}
	return out
}

var negativeNumber = regexp.MustCompile(`^-[0-9.]`)

// argFlags are the flag words of an argument list, each as its name (the part before "=").
func argFlags(args []string) []string {
	var out []string
	for _, a := range args {
		if !strings.HasPrefix(a, "-") || negativeNumber.MatchString(a) {
			continue
		}
		name, _, _ := strings.Cut(a, "=")
		out = append(out, name)
	}
	return out
}

// caseExtraArgs are the flag names a case passes itself: the flag words of serving.extraArgs and of every
// resourceGroups[].serving.extraArgs.
func caseExtraArgs(t *testing.T, c Case) map[string]bool {
	vals, err := readCaseValues(c)
	require.NoError(t, err)
	var words []string
	collect := func(serving any) {
		m, _ := serving.(map[string]any)
		list, _ := m["extraArgs"].([]any)
		for _, w := range list {
			words = append(words, fmt.Sprint(w))
		}
	}
	collect(vals["serving"])
	groups, _ := vals["resourceGroups"].([]any)
	for _, g := range groups {
		if m, ok := g.(map[string]any); ok {
			collect(m["serving"])
		}
	}
	out := map[string]bool{}
	for _, f := range argFlags(words) {
		out[f] = true
	}
	return out
}

// TestSpecDefaultReleaseHasTable: the chart's default image.version is the engine's defaultRelease (_engines.tpl,
// from the spec), which must have a flag table of its own. It need not be the newest: the default moves to a newer
// release once chartgen's memory terms are calibrated there (README, "Engine flag tables").
func TestSpecDefaultReleaseHasTable(t *testing.T) {
	for _, e := range engine.All() {
		_, ok := flagtable.Lookup(string(e.Name()), e.Spec().DefaultRelease)
		assert.True(t, ok, "%s: the default release %s has a flag table", e.Name(), e.Spec().DefaultRelease)
	}
}

// TestSpecLogicPiecesDefined: every row with logic names a piece the engine's partial defines
// ("llm-model.<engine>.arg.<logic>" in _engine_<engine>.tpl), and each engine answers every hook the engine-neutral
// templates call through its name; a missing one would break every rendering of that engine.
func TestSpecLogicPiecesDefined(t *testing.T) {
	defined := map[string]bool{}
	for _, f := range LoadChart(t, "llm-model").Templates {
		for _, m := range defineRE.FindAllSubmatch(f.Data, -1) {
			defined[string(m[1])] = true
		}
	}
	for _, e := range engine.All() {
		for _, hook := range []string{"args", "rankFlags", "env", "resolve", "validate", "warnings", "facts"} {
			assert.True(t, defined[fmt.Sprintf("llm-model.%s.%s", e.Name(), hook)], "%s: no llm-model.%s.%s", e.Name(), e.Name(), hook)
		}
		assert.True(t, defined["llm-model.engines."+string(e.Name())], "%s: _engines.tpl has no entry: run make generate", e.Name())
		for _, r := range e.Spec().Keys {
			if r.Logic != "" {
				name := fmt.Sprintf("llm-model.%s.arg.%s", e.Name(), r.Logic)
				assert.True(t, defined[name], "%s: row %s has logic %q, but %s is not defined (_engine_%s.tpl)", e.Name(), r.Flag, r.Logic, name, e.Name())
			}
		}
	}
}
