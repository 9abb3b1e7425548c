package tests

import (
	"os"
	"strconv"
	"strings"
	"testing"

	engineSpec "github.com/llm-charts/llm-charts/internal/engine"
	"github.com/llm-charts/llm-charts/internal/flagtable"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// TestRenderingsPassTheFlagTable: every engine container of every llm-model rendering starts the entry point of the
// engine release it targets (the image tag) with only flags, values, parser names and environment variables that
// release's flag table has (internal/flagtable). Multi-node pods get their engine's rank flags (vLLM workers run
// headless without any API-server flag); SGLang scraped by a monitor or read by an autoscaler or an InferencePool's
// endpoint picker gets --enable-metrics. A release without a table must be named in NOTES.
func TestRenderingsPassTheFlagTable(t *testing.T) {
	require.NoError(t, flagtable.Err())
	for _, c := range LoadCases(t) {
		if c.Chart != "llm-model" || c.WantError {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			res, err := RenderCase(t, c)
			require.NoError(t, err)
			userEnv := caseEnv(t, c)
			monitored := false
			var workloads []*appsv1.StatefulSet
			for _, d := range res.Docs {
				obj, err := DecodeStrict(d)
				require.NoError(t, err)
				if sts, ok := obj.(*appsv1.StatefulSet); ok {
					workloads = append(workloads, sts)
				}
				// A LeaderWorkerSet's leader and worker templates, checked as the StatefulSet mode's pods are.
				if strings.Contains(d.Body, "\nkind: LeaderWorkerSet\n") {
					var lws struct {
						Metadata struct{ Name string }
						Spec     struct {
							LeaderWorkerTemplate struct {
								LeaderTemplate, WorkerTemplate corev1.PodTemplateSpec
							}
						}
					}
					require.NoError(t, yaml.Unmarshal([]byte(d.Body), &lws))
					for _, tpl := range []corev1.PodTemplateSpec{lws.Spec.LeaderWorkerTemplate.LeaderTemplate, lws.Spec.LeaderWorkerTemplate.WorkerTemplate} {
						sts := &appsv1.StatefulSet{}
						sts.Name, sts.Spec.Template = lws.Metadata.Name, tpl
						workloads = append(workloads, sts)
					}
				}
				for _, kind := range []string{"ServiceMonitor", "PodMonitor", "ScaledObject", "HorizontalPodAutoscaler", "InferencePool"} {
					monitored = monitored || strings.Contains(d.Body, "\nkind: "+kind+"\n")
				}
			}
			require.NotEmpty(t, workloads)
			for _, sts := range workloads {
				role := sts.Spec.Template.Labels["llm-charts.io/role"]
				for _, ctr := range sts.Spec.Template.Spec.Containers {
					checkContainer(t, res.Notes, sts.Name, role, monitored, userEnv, ctr)
				}
			}
		})
	}
}

// caseEnv is the environment variables a case's values set themselves (serving.env, also per resource group): the
// user's own, which the chart passes on whoever reads them.
func caseEnv(t *testing.T, c Case) map[string]bool {
	data, err := os.ReadFile(c.Path)
	require.NoError(t, err)
	type serving struct{ Env map[string]any }
	var v struct {
		Serving        serving
		ResourceGroups []struct{ Serving serving } `json:"resourceGroups"`
	}
	require.NoError(t, yaml.Unmarshal(data, &v))
	all := []serving{v.Serving}
	for _, g := range v.ResourceGroups {
		all = append(all, g.Serving)
	}
	out := map[string]bool{}
	for _, s := range all {
		for k := range s.Env {
			out[k] = true
		}
	}
	return out
}

func checkContainer(t *testing.T, notes, workload, role string, monitored bool, userEnv map[string]bool, ctr corev1.Container) {
	engine := ctr.Name
	_, tag, _ := strings.Cut(ctr.Image, ":")
	version := flagtable.VersionOfTag(tag)
	tab, ok := flagtable.ForRelease(engine, version)
	if !ok {
		assert.True(t, strings.Contains(notes, "has no engine flag table") || strings.Contains(notes, "names no "+engine+" release"),
			"%s: %s %q has no flag table, and NOTES does not say so", workload, engine, tag)
		return
	}
	argv := engineArgv(t, ctr)
	require.GreaterOrEqual(t, len(argv), len(tab.Entrypoint), "%s: argv %q", workload, argv)
	require.Equal(t, tab.Entrypoint, argv[:len(tab.Entrypoint)], "%s: the entry point of %s %s", workload, engine, version)
	args := argv[len(tab.Entrypoint):]
	problems := tab.CheckArgs(args)
	var env []string
	for _, e := range ctr.Env {
		if !userEnv[e.Name] {
			env = append(env, e.Name)
		}
	}
	problems = append(problems, tab.CheckEnv(env)...)
	assert.Empty(t, problems, "%s: against the flag table of %s %s", workload, engine, version)

	_, flags, _ := tab.Split(args)
	has := map[string]bool{}
	for _, f := range flags {
		has[f.Name] = true
	}
	spec := engineSpec.MustLookup(engine).Spec()
	// The rank flags of a multi-node pod, from the engine's spec; an engine whose worker ranks run headless (a
	// --headless rank flag) gives them no API-server flag.
	if role != "" {
		headless := false
		for _, r := range spec.RankFlags {
			if r.Flag == "--headless" {
				headless = true
				assert.Equal(t, role == "worker", has[r.Flag], "%s: --headless on the workers (and only there)", workload)
				continue
			}
			assert.True(t, has[r.Flag], "%s: multi-node rank flag %s", workload, r.Flag)
		}
		if headless && role == "worker" {
			assert.Empty(t, tab.FrontendFlags(args), "%s: a headless worker runs no API server", workload)
		}
	}
	// An engine that serves /metrics only on request (a row with logic "metrics") gets its flag exactly when
	// something reads them.
	for _, r := range spec.Keys {
		if r.Logic == "metrics" {
			assert.Equal(t, monitored, has[r.Flag], "%s: %s exactly when a monitor, an autoscaler or an endpoint picker reads /metrics", workload, r.Flag)
		}
	}
}

// engineArgv is the command line the container runs: the command and args directly, or the `exec` line of the
// chart's bash script with "$@" replaced by the args and the rank variables by sample values.
func engineArgv(t *testing.T, ctr corev1.Container) []string {
	if len(ctr.Command) == 0 || ctr.Command[0] != "bash" {
		return append(append([]string{}, ctr.Command...), ctr.Args...)
	}
	lines := strings.Split(ctr.Command[2], "\n")
	last := lines[len(lines)-1]
	require.True(t, strings.HasPrefix(last, "exec "), "last line %q", last)
	sample := strings.NewReplacer("$RANK", "1", "$LEADER", "rank0.example")
	var argv []string
	for _, w := range shellWords(t, strings.TrimPrefix(last, "exec ")) {
		if w == "$@" {
			argv = append(argv, ctr.Args...)
			continue
		}
		argv = append(argv, sample.Replace(w))
	}
	return argv
}

// TestChartFlagTableVersions: the releases the chart knows to have tables (each engine's releases in _engines.tpl,
// generated) are exactly the tables in internal/flagtable, and vLLM's default release is the chart's appVersion.
func TestChartFlagTableVersions(t *testing.T) {
	ch := LoadChart(t, "llm-model")
	var tpl string
	for _, f := range ch.Templates {
		if f.Name == "templates/_engines.tpl" {
			tpl = string(f.Data)
		}
	}
	for _, e := range flagtable.Engines() {
		_, body, ok := strings.Cut(tpl, `{{- define "llm-model.engines.`+e+`" -}}`)
		require.True(t, ok, "llm-model.engines.%s is not defined in _engines.tpl", e)
		body, _, _ = strings.Cut(body, "{{- end }}")
		var data struct{ Releases []string }
		require.NoError(t, yaml.Unmarshal([]byte(body), &data))
		assert.Equal(t, flagtable.Versions(e), data.Releases, "flag table versions of %s", e)
	}
	assert.Equal(t, engineSpec.MustLookup("vllm").Spec().DefaultRelease, ch.Metadata.AppVersion, "the chart's appVersion is vLLM's default release")
}

// TestReadmeListsEveryTable: the README's table of flag tables has one row per table, with its flag count.
func TestReadmeListsEveryTable(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(data), "\n## Engine flag tables\n")
	require.True(t, ok)
	rows := map[string]string{}
	for _, line := range strings.Split(section, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 5 || !strings.HasPrefix(strings.TrimSpace(cells[2]), "v") {
			continue
		}
		rows[strings.ToLower(strings.TrimSpace(cells[1]))+" "+strings.TrimSpace(cells[2])] = strings.TrimSpace(cells[3])
	}
	want := map[string]string{}
	for _, e := range flagtable.Engines() {
		for _, v := range flagtable.Versions(e) {
			tab, _ := flagtable.Lookup(e, v)
			want[e+" "+v] = strconv.Itoa(len(tab.Flags))
		}
	}
	assert.Equal(t, want, rows, "README.md, Engine flag tables: engine, release, flags")
}
