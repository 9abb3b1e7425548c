package tests

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/llm-charts/llm-charts/internal/render"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"
)

// The operations guide's own StatefulSet examples must come out of the chart field for field. The differences the
// chart makes on purpose are these, and the README lists them too:
//   - the image: the guide has a placeholder tag (`<v0.xx.xx-cu130...>`); the case pins a release;
//   - the token comes from a Secret (envFrom secretRef) instead of a ConfigMap (`credentials.configMapName` still
//     renders the guide's configMapRef for clusters that have one);
//   - the container is named after the engine (`vllm`), not after the workload;
//   - probes and the Service target the port by name (`http`), which resolves to the same 5000;
//   - standard app.kubernetes.io labels are added, the StatefulSet selector adds name/instance to `app`, and the
//     Service selects `service-group` (the guide's multi-resource rule), so it works for one group or several;
//   - the engine argument list is a YAML list (no `bash -c` string) and pre-start commands run before `exec`;
//   - the engine starts as `vllm serve MODEL`, the entry point that acts on --api-server-count (the guide's
//     `python3 -m vllm.entrypoints.openai.api_server --model MODEL` parses it and ignores it);
//   - hardening and caches the guide does not forbid: seccomp RuntimeDefault, no service-account token, the engines'
//     compile caches on the cache volume (XDG_CACHE_HOME and friends) and an ephemeral-storage request and limit;
//   - the weights are downloaded by a `download` init container into the same cache volume, and the engine then runs
//     with HF_HUB_OFFLINE=1 (storage.download.mode initContainer), so the startup probe's window covers loading only.
var guideExamples = []struct {
	file string // under tests/testdata/guide (a copy of ../shared/reference/examples)
	kase string // case under tests/cases/llm-model
}{
	{"minimax-m2.5-statefulset.yaml", "guide-minimax-m2.5"},
	{"qwen3-vl-embedding-8b-statefulset.yaml", "guide-qwen3-vl-embedding-8b"},
}

func TestGuideExamplesRenderFieldForField(t *testing.T) {
	cases := map[string]Case{}
	for _, c := range LoadCases(t) {
		cases[c.Chart+"/"+c.Name] = c
	}
	for _, ex := range guideExamples {
		t.Run(ex.kase, func(t *testing.T) {
			wantSts, wantSvc := readGuideExample(t, filepath.Join("testdata", "guide", ex.file))
			c, ok := cases["llm-model/"+ex.kase]
			require.True(t, ok, "case %s missing", ex.kase)
			res, err := RenderCase(t, c)
			require.NoError(t, err)
			gotSts, gotSvc := renderedWorkload(t, res)
			compareStatefulSets(t, wantSts, gotSts, deliberate{largeGPUToleration: true, tokenFromSecret: true})
			compareServices(t, wantSvc, gotSvc, gotSts)
		})
	}
}

// TestGuideCopiesMatchShared keeps tests/testdata/guide identical to the guide's examples in ../shared.
func TestGuideCopiesMatchShared(t *testing.T) {
	shared := filepath.Join(repoRoot, "..", "shared", "reference", "examples")
	if _, err := os.Stat(shared); err != nil {
		t.Skipf("no %s beside the repository (%v): nothing to compare the copies with", shared, err)
	}
	for _, ex := range guideExamples {
		want, err := os.ReadFile(filepath.Join(shared, ex.file))
		require.NoError(t, err)
		got, err := os.ReadFile(filepath.Join("testdata", "guide", ex.file))
		require.NoError(t, err)
		assert.True(t, bytes.Equal(want, got), "tests/testdata/guide/%s differs from %s: copy it again", ex.file, shared)
	}
}

// renderedWorkload checks every rendered document and returns the StatefulSet and the Service of a one-group
// rendering.
func renderedWorkload(t *testing.T, res *render.Result) (*appsv1.StatefulSet, *corev1.Service) {
	var sts *appsv1.StatefulSet
	var svc *corev1.Service
	for _, d := range res.Docs {
		CheckDocument(t, d)
		obj, err := DecodeStrict(d)
		require.NoError(t, err)
		switch o := obj.(type) {
		case *appsv1.StatefulSet:
			sts = o
		case *corev1.Service:
			svc = o
		}
	}
	require.NotNil(t, sts)
	require.NotNil(t, svc)
	return sts, svc
}

func readGuideExample(t *testing.T, path string) (*appsv1.StatefulSet, *corev1.Service) {
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	parts := strings.Split(string(data), "\n---\n")
	require.Len(t, parts, 2, "%s: want a StatefulSet and a Service", path)
	sts := &appsv1.StatefulSet{}
	require.NoError(t, yaml.UnmarshalStrict([]byte(parts[0]), sts))
	svc := &corev1.Service{}
	require.NoError(t, yaml.UnmarshalStrict([]byte(parts[1]), svc))
	return sts, svc
}

// deliberate names the differences between a hand-written StatefulSet and the chart's rendering that a comparison
// accepts; everything else must be equal.
type deliberate struct {
	// largeGPUToleration: the chart adds the large-gpu toleration at 4 or 8 GPUs, where the guide's example leaves
	// it commented out although its rule beside it says so.
	largeGPUToleration bool
	// tokenFromSecret: the chart reads the token through a Secret where the manifest used a ConfigMap, and sets no
	// plain env.
	tokenFromSecret bool
}

func compareStatefulSets(t *testing.T, want, got *appsv1.StatefulSet, d deliberate) {
	assert.Equal(t, want.Name, got.Name, "name")
	assert.Equal(t, want.Namespace, got.Namespace, "namespace")
	assertSubset(t, "metadata.labels", want.Labels, got.Labels)
	assertSubset(t, "selector", want.Spec.Selector.MatchLabels, got.Spec.Selector.MatchLabels)
	assertSubset(t, "pod labels", want.Spec.Template.Labels, got.Spec.Template.Labels)
	assert.Equal(t, want.Spec.Replicas, got.Spec.Replicas, "replicas")
	assert.Equal(t, want.Spec.ServiceName, got.Spec.ServiceName, "serviceName")
	assert.Equal(t, want.Spec.PodManagementPolicy, got.Spec.PodManagementPolicy, "podManagementPolicy")
	assert.Equal(t, want.Spec.PersistentVolumeClaimRetentionPolicy, got.Spec.PersistentVolumeClaimRetentionPolicy, "PVC retention")

	ws, gs := want.Spec.Template.Spec, got.Spec.Template.Spec
	assert.Equal(t, ws.PriorityClassName, gs.PriorityClassName, "priorityClassName")
	// Hardening the chart adds: the runtime's default seccomp profile and no service-account token.
	gotSC := gs.SecurityContext.DeepCopy()
	if assert.NotNil(t, gotSC.SeccompProfile, "seccompProfile") {
		assert.Equal(t, corev1.SeccompProfileTypeRuntimeDefault, gotSC.SeccompProfile.Type)
	}
	gotSC.SeccompProfile = nil
	assert.Equal(t, ws.SecurityContext, gotSC, "pod securityContext")
	if assert.NotNil(t, gs.AutomountServiceAccountToken) {
		assert.False(t, *gs.AutomountServiceAccountToken, "automountServiceAccountToken")
	}
	assert.Equal(t, ws.NodeSelector, gs.NodeSelector, "nodeSelector")
	assert.ElementsMatch(t, matchExpressions(ws.Affinity), matchExpressions(gs.Affinity), "node affinity")
	wantTolerations := ws.Tolerations
	if n := gs.Containers[0].Resources.Limits; d.largeGPUToleration && (gpuCount(n) == 4 || gpuCount(n) == 8) {
		wantTolerations = append(wantTolerations, corev1.Toleration{Key: "nautilus.io/hardware", Operator: "Equal", Value: "large-gpu", Effect: "NoSchedule"})
	}
	assert.ElementsMatch(t, wantTolerations, gs.Tolerations, "tolerations")
	assert.ElementsMatch(t, ws.Volumes, gs.Volumes, "volumes")

	require.Len(t, gs.Containers, 1)
	wc, gc := ws.Containers[0], gs.Containers[0]
	assertDownloadStep(t, gs, gc)
	if !strings.Contains(wc.Image, "<") { // the guide's tags are placeholders
		assert.Equal(t, wc.Image, gc.Image, "image")
	}
	assert.Equal(t, wc.ImagePullPolicy, gc.ImagePullPolicy, "imagePullPolicy")
	assert.Equal(t, wc.Ports, gc.Ports, "ports")
	assert.Equal(t, wc.SecurityContext, gc.SecurityContext, "container securityContext")
	assert.ElementsMatch(t, wc.VolumeMounts, gc.VolumeMounts, "volumeMounts")
	assertResources(t, wc.Resources, withoutEphemeralStorage(t, gc.Resources))
	for _, p := range []struct {
		name      string
		want, got *corev1.Probe
	}{{"startup", wc.StartupProbe, gc.StartupProbe}, {"readiness", wc.ReadinessProbe, gc.ReadinessProbe}, {"liveness", wc.LivenessProbe, gc.LivenessProbe}} {
		require.NotNil(t, p.got, p.name)
		g := p.got.DeepCopy()
		g.HTTPGet.Port = resolvePort(g.HTTPGet.Port, gc.Ports)
		assert.Equal(t, p.want, g, "%s probe", p.name)
	}
	if d.tokenFromSecret {
		// The only env the guide's examples use is envFrom with the token.
		require.Len(t, wc.EnvFrom, 1)
		require.Len(t, gc.EnvFrom, 1)
		require.NotNil(t, wc.EnvFrom[0].ConfigMapRef)
		require.NotNil(t, gc.EnvFrom[0].SecretRef, "token from a Secret")
		assert.Equal(t, wc.EnvFrom[0].ConfigMapRef.Name, gc.EnvFrom[0].SecretRef.Name)
		assert.Empty(t, withoutCacheEnv(gc.Env), "no plain env")
	} else {
		assert.Equal(t, wc.EnvFrom, gc.EnvFrom, "envFrom")
		assert.ElementsMatch(t, wc.Env, withoutCacheEnv(gc.Env), "env")
	}

	wantPre, wantArgv := guideCommand(t, wc)
	gotPre, gotArgv := chartCommand(t, gc)
	assert.Equal(t, wantPre, gotPre, "pre-start commands")
	assert.Equal(t, argvFlags(t, wantArgv), argvFlags(t, gotArgv), "engine flags")

	require.Len(t, got.Spec.VolumeClaimTemplates, 1)
	wv, gv := want.Spec.VolumeClaimTemplates[0], got.Spec.VolumeClaimTemplates[0]
	assert.Equal(t, wv.Name, gv.Name, "volume claim template name")
	assert.Equal(t, wv.Spec.AccessModes, gv.Spec.AccessModes)
	assert.Equal(t, wv.Spec.StorageClassName, gv.Spec.StorageClassName)
	assert.Equal(t, wv.Spec.VolumeMode, gv.Spec.VolumeMode)
	assert.Zero(t, wv.Spec.Resources.Requests.Storage().Cmp(*gv.Spec.Resources.Requests.Storage()), "storage: want %s, got %s",
		wv.Spec.Resources.Requests.Storage(), gv.Spec.Resources.Requests.Storage())
}

func compareServices(t *testing.T, want, got *corev1.Service, sts *appsv1.StatefulSet) {
	assert.Equal(t, want.Name, got.Name)
	assert.Equal(t, want.Namespace, got.Namespace)
	assertSubset(t, "service labels", want.Labels, got.Labels)
	assert.Equal(t, want.Spec.Type, got.Spec.Type)
	require.Len(t, got.Spec.Ports, 1)
	gp := got.Spec.Ports[0]
	gp.TargetPort = resolvePort(gp.TargetPort, sts.Spec.Template.Spec.Containers[0].Ports)
	assert.Equal(t, want.Spec.Ports[0], gp)
	// Both selectors must pick the same pods: the chart's selects the service-group every group carries.
	assertSubset(t, "service selector ⊆ pod labels", got.Spec.Selector, sts.Spec.Template.Labels)
	assertSubset(t, "guide selector ⊆ pod labels", want.Spec.Selector, sts.Spec.Template.Labels)
}

func assertSubset(t *testing.T, what string, sub, super map[string]string) {
	t.Helper()
	for k, v := range sub {
		assert.Equal(t, v, super[k], "%s: %s", what, k)
	}
}

func assertResources(t *testing.T, want, got corev1.ResourceRequirements) {
	t.Helper()
	for _, pair := range []struct {
		name      string
		want, got corev1.ResourceList
	}{{"requests", want.Requests, got.Requests}, {"limits", want.Limits, got.Limits}} {
		assert.Equal(t, len(pair.want), len(pair.got), "%s: %v vs %v", pair.name, pair.want, pair.got)
		for name, q := range pair.want {
			g, ok := pair.got[name]
			if assert.True(t, ok, "%s.%s missing", pair.name, name) {
				assert.Zero(t, q.Cmp(g), "%s.%s: want %s, got %s", pair.name, name, q.String(), g.String())
			}
		}
	}
}

func gpuCount(limits corev1.ResourceList) int64 {
	for name, q := range limits {
		if strings.HasPrefix(string(name), "nvidia.com/") {
			return q.Value()
		}
	}
	return 0
}

func matchExpressions(a *corev1.Affinity) []corev1.NodeSelectorRequirement {
	if a == nil || a.NodeAffinity == nil || a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution == nil {
		return nil
	}
	var out []corev1.NodeSelectorRequirement
	for _, term := range a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms {
		out = append(out, term.MatchExpressions...)
	}
	return out
}

func resolvePort(p intstr.IntOrString, ports []corev1.ContainerPort) intstr.IntOrString {
	if p.Type == intstr.String {
		for _, cp := range ports {
			if cp.Name == p.StrVal {
				return intstr.FromInt32(cp.ContainerPort)
			}
		}
	}
	return p
}

// guideCommand reads the guide's `bash -c "<pre> && python3 -m ... flags"` into pre-start commands and argv.
func guideCommand(t *testing.T, c corev1.Container) ([]string, []string) {
	require.Equal(t, []string{"bash", "-c"}, c.Command)
	require.Len(t, c.Args, 1)
	steps := strings.Split(strings.TrimSpace(c.Args[0]), " && ")
	pre := steps[:len(steps)-1]
	if len(pre) == 0 {
		pre = nil // the chart renders no pre-start commands as none at all
	}
	return pre, shellWords(t, steps[len(steps)-1])
}

// chartCommand reads the chart's command and args the same way: either the engine argv directly, or
// `bash -c "set -e\n<pre>...\nexec <engine> \"$@\"" engine` followed by the args.
func chartCommand(t *testing.T, c corev1.Container) ([]string, []string) {
	if len(c.Command) > 0 && c.Command[0] == "bash" {
		require.Len(t, c.Command, 4)
		lines := strings.Split(c.Command[2], "\n")
		require.Equal(t, "set -e", lines[0])
		last := lines[len(lines)-1]
		require.True(t, strings.HasPrefix(last, "exec ") && strings.HasSuffix(last, ` "$@"`), "last line %q", last)
		engine := strings.Fields(strings.TrimSuffix(strings.TrimPrefix(last, "exec "), ` "$@"`))
		return lines[1 : len(lines)-1], append(engine, c.Args...)
	}
	return nil, append(append([]string{}, c.Command...), c.Args...)
}

// withoutEphemeralStorage returns the resources without the ephemeral-storage request and limit the chart adds,
// after checking that both are there.
func withoutEphemeralStorage(t *testing.T, r corev1.ResourceRequirements) corev1.ResourceRequirements {
	out := *r.DeepCopy()
	for _, l := range []corev1.ResourceList{out.Requests, out.Limits} {
		_, ok := l[corev1.ResourceEphemeralStorage]
		assert.True(t, ok, "ephemeral-storage in %v", l)
		delete(l, corev1.ResourceEphemeralStorage)
	}
	return out
}

// cacheEnv are the variables that put the engines' compile caches on the cache volume (storage.engineCaches).
var cacheEnv = map[string]bool{"XDG_CACHE_HOME": true, "VLLM_CACHE_ROOT": true, "TRITON_CACHE_DIR": true,
	"TORCHINDUCTOR_CACHE_DIR": true, "FLASHINFER_WORKSPACE_BASE": true,
	// The download init container fetched the weights; the engine only reads the cache (checked in
	// assertDownloadStep).
	"HF_HUB_OFFLINE": true}

// assertDownloadStep checks the chart's one deliberate addition to the guide's pod: a `download` init container that
// fills the engine's cache volume before it starts, and the engine reading that cache offline.
func assertDownloadStep(t *testing.T, gs corev1.PodSpec, engine corev1.Container) {
	t.Helper()
	require.Len(t, gs.InitContainers, 1, "one init container: the download step")
	dl := gs.InitContainers[0]
	assert.Equal(t, "download", dl.Name)
	assert.Equal(t, engine.Image, dl.Image, "the download runs the engine image's own Hugging Face CLI")
	require.NotEmpty(t, dl.VolumeMounts)
	assert.Subset(t, engine.VolumeMounts, dl.VolumeMounts, "it writes to the engine's cache volume, where the engine mounts it")
	assert.Contains(t, engine.Env, corev1.EnvVar{Name: "HF_HUB_OFFLINE", Value: "1"}, "the engine reads the filled cache offline")
}

func withoutCacheEnv(env []corev1.EnvVar) []corev1.EnvVar {
	var out []corev1.EnvVar
	for _, e := range env {
		if !cacheEnv[e.Name] {
			out = append(out, e)
		}
	}
	return out
}

// argvFlags turns an engine argv into "flag=value" strings, sorted. Both vLLM entry points are read: the guide's
// `python3 -m vllm.entrypoints.openai.api_server --model M` and the chart's `vllm serve M`, whose model becomes
// --model=M.
func argvFlags(t *testing.T, argv []string) []string {
	var flags []string
	var rest []string
	switch {
	case len(argv) >= 3 && argv[0] == "python3" && argv[1] == "-m" && argv[2] == "vllm.entrypoints.openai.api_server":
		rest = argv[3:]
	case len(argv) >= 3 && argv[0] == "vllm" && argv[1] == "serve" && !strings.HasPrefix(argv[2], "-"):
		flags = append(flags, "--model="+argv[2])
		rest = argv[3:]
	default:
		require.Fail(t, "not a vLLM server command", "%q", argv)
	}
	for i := 0; i < len(rest); i++ {
		f := rest[i]
		require.True(t, strings.HasPrefix(f, "--"), "expected a flag at %q in %v", f, rest)
		if i+1 < len(rest) && !strings.HasPrefix(rest[i+1], "--") {
			f += "=" + rest[i+1]
			i++
		}
		flags = append(flags, f)
	}
	sort.Strings(flags)
	return flags
}

// shellWords splits a command line as a POSIX shell would for the quoting the guide uses (single and double quotes,
// no expansions).
func shellWords(t *testing.T, s string) []string {
	var words []string
	var cur strings.Builder
	inWord := false
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t' || r == '\n':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	require.Zero(t, quote, "unbalanced quote in %q", s)
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

func TestShellWords(t *testing.T) {
	got := shellWords(t, `uv pip install --system 'qwen-vl-utils>=0.0.14' --x "a b"`)
	want := []string{"uv", "pip", "install", "--system", "qwen-vl-utils>=0.0.14", "--x", "a b"}
	if !reflect.DeepEqual(got, want) {
		t.Fatal(fmt.Sprint(got))
	}
}
