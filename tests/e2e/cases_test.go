package e2e

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
)

// charts are the charts whose cases are installed. Every *.yaml file directly in
// tests/cases/<chart>/ is a case; tests/cases/<chart>/errors/ holds values that
// must fail to render and are never installed.
var charts = []string{"llm-model", "llm-gateway"}

// upgradeTo names, for a case, the case its release is upgraded to ("chart/case"
// without .yaml). A case not listed here is upgraded to the next case of the same
// chart in alphabetical order (the last one to the first; a chart with one case is
// upgraded to itself). Whether an upgrade must be refused is worked out from the
// two renderings (an immutable StatefulSet field that differs), not declared.
var upgradeTo = map[string]string{
	// Removing models from the gateway values removes their objects (DESIGN.md).
	"llm-gateway/many-models": "llm-gateway/many-models-removed",
	// The same model gets a second GPU type: the single StatefulSet gives way to one per resource group, behind the
	// same Service.
	"llm-model/guide-minimax-m2.5": "llm-model/two-groups",
	// chartgen's plan, then the guide's RoPE extension of the same model: only the engine flags and env change.
	"llm-model/chartgen-minimax-m2.5-a100": "llm-model/rope-extension",
	// Another model in the same release and cache size: an in-place rolling update.
	"llm-model/chat-minimal": "llm-model/embedding",
	// Service routing to InferencePool routing and back: the pool and its endpoint picker appear, then Helm deletes
	// them; the StatefulSet and the Service stay.
	"llm-model/inference-pool-off": "llm-model/inference-pool",
	"llm-model/inference-pool":     "llm-model/inference-pool-off",
	// The same models through their Services, then two of them through InferencePools, and back: the pooled models'
	// AIServiceBackends and Backends go and come back, their rules keep match, timeout and route.
	"llm-gateway/inference-pools-off": "llm-gateway/inference-pools",
	"llm-gateway/inference-pools":     "llm-gateway/inference-pools-off",
	// The shared cache with a new revision: a new download Job (its name hashes what it downloads), the old one
	// removed, the claim kept.
	"llm-model/shared-cache-two-groups": "llm-model/shared-cache-new-revision",
	// From per-pod downloads to the shared cache: the claim and the Job appear, the init containers change.
	"llm-model/download-init-container": "llm-model/shared-cache-multinode",
	// The same multi-node plan moved from the StatefulSet pair to a LeaderWorkerSet: the chart refuses it while the
	// StatefulSets are there (llm-model.checkMode), and the release is rolled back.
	"llm-model/chartgen-glm-5-fp8-a100-multinode": "llm-model/chartgen-glm-5-fp8-a100-lws",
}

// immutableRefusal is how the API server refuses a change to an immutable
// StatefulSet field: per field in Kubernetes 1.37 ("spec.volumeClaimTemplates:
// Invalid value: ...: field is immutable"), as one sentence before that
// ("updates to statefulset spec for fields other than ... are forbidden").
// A chart may also refuse such an upgrade itself, naming the field.
var (
	immutableRefusal = regexp.MustCompile(`spec\.(volumeClaimTemplates|selector|serviceName|podManagementPolicy): Invalid value: .*field is immutable|updates to statefulset spec for fields other than|(?i)volumeClaimTemplates|would change fields the API server never lets change|the LeaderWorkerSet controller cannot take over|LeaderWorkerSet .* is still there`)
	apiServerRefusal = regexp.MustCompile(`Invalid value: .*field is immutable|updates to statefulset spec for fields other than`)
)

// refusedBy says who refused an upgrade: the chart (at render time, e.g. with a
// lookup of the stored StatefulSet) or the API server.
func refusedBy(err error) string {
	if apiServerRefusal.MatchString(err.Error()) {
		return "by the API server"
	}
	return "by the chart"
}

type testCase struct {
	chart, name, path string
}

func (c testCase) id() string { return c.chart + "/" + c.name }

// casesRoot is where charts/ and tests/cases/ are read: the repository, or
// E2E_ROOT (used to try the harness on a scratch chart).
func casesRoot() string {
	if r := os.Getenv("E2E_ROOT"); r != "" {
		return r
	}
	return env.root
}

func chartDir(chart string) string { return filepath.Join(casesRoot(), "charts", chart) }

// discover lists the install cases and the error cases of a chart.
func discover(chart string) (cases, errCases []testCase, err error) {
	dir := filepath.Join(casesRoot(), "tests", "cases", chart)
	list := func(d string) ([]testCase, error) {
		var out []testCase
		for _, pat := range []string{"*.yaml", "*.yml"} {
			files, err := filepath.Glob(filepath.Join(d, pat))
			if err != nil {
				return nil, err
			}
			for _, f := range files {
				name := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(f), ".yaml"), ".yml")
				out = append(out, testCase{chart: chart, name: name, path: f})
			}
		}
		sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
		return out, nil
	}
	if cases, err = list(dir); err != nil {
		return nil, nil, err
	}
	errCases, err = list(filepath.Join(dir, "errors"))
	return cases, errCases, err
}

// casesOrFail returns a chart's cases; a missing chart or a chart without cases
// fails the test (or, with E2E_ALLOW_MISSING_CHARTS=1, skips it saying why).
func casesOrFail(t *testing.T, chart string) (cases, errCases []testCase) {
	t.Helper()
	problem := ""
	if _, err := os.Stat(filepath.Join(chartDir(chart), "Chart.yaml")); err != nil {
		problem = fmt.Sprintf("chart %s not found: %v", chart, err)
	} else {
		var err error
		cases, errCases, err = discover(chart)
		if err != nil {
			t.Fatalf("listing the cases of %s: %v", chart, err)
		}
		if len(cases) == 0 {
			problem = fmt.Sprintf("chart %s has no cases in tests/cases/%s/", chart, chart)
		}
	}
	if problem != "" {
		if os.Getenv("E2E_ALLOW_MISSING_CHARTS") == "1" {
			t.Skipf("SKIPPED (E2E_ALLOW_MISSING_CHARTS=1): %s", problem)
		}
		t.Fatal(problem)
	}
	return cases, errCases
}

func upgradeTarget(t *testing.T, c testCase, all []testCase) testCase {
	t.Helper()
	if to, ok := upgradeTo[c.id()]; ok {
		for _, o := range all {
			if o.id() == to {
				return o
			}
		}
		t.Fatalf("upgradeTo[%q] = %q, which is not a case", c.id(), to)
	}
	for i, o := range all {
		if o.name == c.name {
			return all[(i+1)%len(all)]
		}
	}
	panic("unreachable")
}

// TestCharts installs, upgrades and uninstalls every case of every chart, once
// with Helm 3 and once with Helm 4, each in its own namespace.
func TestCharts(t *testing.T) {
	requireEnv(t)
	for _, chart := range charts {
		t.Run(chart, func(t *testing.T) {
			cases, _ := casesOrFail(t, chart)
			for _, c := range cases {
				next := upgradeTarget(t, c, cases)
				for _, h := range helms() {
					t.Run(c.name+"/"+h.name, func(t *testing.T) {
						t.Parallel()
						runCase(t, h, c, next)
					})
				}
			}
		})
	}
}

// TestErrorCasesRefused checks that every error case fails to render with both
// Helm CLIs. They are never installed.
func TestErrorCasesRefused(t *testing.T) {
	requireEnv(t)
	for _, chart := range charts {
		t.Run(chart, func(t *testing.T) {
			_, errCases := casesOrFail(t, chart)
			if len(errCases) == 0 {
				t.Skipf("SKIPPED: no error cases in tests/cases/%s/errors/", chart)
			}
			for _, c := range errCases {
				for _, h := range helms() {
					t.Run(c.name+"/"+h.name, func(t *testing.T) {
						t.Parallel()
						ctx := t.Context()
						start := time.Now()
						args := append([]string{"template", errorCaseRelease(t, c), chartDir(chart), "-n", "default", "-f", c.path}, renderArgs(t)...)
						_, err := h.run(ctx, t, nil, args...)
						if err == nil {
							t.Fatalf("error case %s rendered without error", c.path)
						}
						t.Logf("refused as expected: %s", tail(err.Error(), 3))
						record(c.id()+" (error case) "+h.name, time.Since(start), "refused as expected")
					})
				}
			}
		})
	}
}

// runCase: install c, check what is stored; upgrade to the same values; upgrade
// to next (expecting the API server to refuse it when an immutable StatefulSet
// field changes); uninstall and check that everything Helm owned is gone and that
// PVCs are kept.
func runCase(t *testing.T, h helmCLI, c, next testCase) {
	ctx := t.Context()
	start := time.Now()
	outcome := "FAILED"
	defer func() { record(c.id()+" → "+next.name+" "+h.name, time.Since(start), outcome) }()

	ns := nsName(h.name, c.chart, c.name)
	rel := releaseName(c.name)
	chart := chartDir(c.chart)

	from, err := render(ctx, t, rel, ns, chart, c.path)
	if err != nil {
		t.Fatalf("case %s does not render: %v", c.path, err)
	}
	to, err := render(ctx, t, rel, ns, chart, next.path)
	if err != nil {
		t.Fatalf("upgrade target %s does not render: %v", next.path, err)
	}
	refusal := immutableChange(t, from, to)

	createNamespace(ctx, t, ns)
	defer func() { _ = env.kube.CoreV1().Namespaces().Delete(context.WithoutCancel(ctx), ns, deleteOpts) }()
	for _, o := range append(from, to...) {
		if n := o.GetNamespace(); n != "" && n != ns {
			createNamespace(ctx, t, n)
		}
	}

	// Install.
	t0 := time.Now()
	if _, err := h.run(ctx, t, nil, "install", rel, chart, "-n", ns, "--create-namespace", "-f", c.path); err != nil {
		t.Fatalf("install refused: %v", err)
	}
	objs := h.manifest(ctx, t, rel, ns)
	stored := assertStored(ctx, t, ns, objs)
	pvcs := assertWorkloads(ctx, t, c.chart, ns, stored)
	assertSharedCache(t, stored)
	t.Logf("install of %s: %d objects stored, %d PVCs created by the StatefulSet controller (%s)",
		c.name, len(stored), len(pvcs), time.Since(t0).Round(time.Millisecond))

	// Upgrade to the same values: must be accepted and change nothing the chart set
	// (Helm 3's three-way merge and Helm 4's server-side apply both re-send everything).
	t0 = time.Now()
	if _, err := h.run(ctx, t, nil, "upgrade", rel, chart, "-n", ns, "-f", c.path); err != nil {
		t.Fatalf("upgrade %s → %s (same values) refused: %v", c.name, c.name, err)
	}
	assertStored(ctx, t, ns, h.manifest(ctx, t, rel, ns))
	t.Logf("upgrade %s → %s (same values) (%s)", c.name, c.name, time.Since(t0).Round(time.Millisecond))

	// Upgrade to the related case.
	t0 = time.Now()
	_, err = h.run(ctx, t, nil, "upgrade", rel, chart, "-n", ns, "-f", next.path)
	switch {
	case refusal != "" && err == nil:
		t.Errorf("upgrade %s → %s changes %s, yet it was accepted", c.name, next.name, refusal)
	case refusal != "" && !immutableRefusal.MatchString(err.Error()):
		t.Errorf("upgrade %s → %s (changes %s) failed, but not with the expected refusal: %v", c.name, next.name, refusal, err)
	case refusal != "":
		t.Logf("upgrade %s → %s refused %s as expected (%s): %s", c.name, next.name, refusedBy(err), refusal, tail(err.Error(), 2))
		outcome = "upgrade refused " + refusedBy(err) + " (" + refusal + "), rolled back"
		rollBack(ctx, t, h, rel, ns, objs)
	case err != nil:
		t.Fatalf("upgrade %s → %s refused: %v", c.name, next.name, err)
	default:
		newObjs := h.manifest(ctx, t, rel, ns)
		newStored := assertStored(ctx, t, ns, newObjs)
		pvcs = append(pvcs, assertWorkloads(ctx, t, c.chart, ns, newStored)...)
		assertGone(ctx, t, ns, dropped(objs, newObjs, ns), "the upgrade removed them from the chart")
		objs = newObjs
		outcome = "upgraded"
	}
	t.Logf("upgrade %s → %s (%s)", c.name, next.name, time.Since(t0).Round(time.Millisecond))

	// Uninstall.
	t0 = time.Now()
	if _, err := h.run(ctx, t, nil, "uninstall", rel, "-n", ns); err != nil {
		t.Fatalf("uninstall: %v", err)
	}
	assertGone(ctx, t, ns, objs, "helm uninstall")
	assertPVCsKept(ctx, t, ns, pvcs)
	t.Logf("uninstall of %s (%s)", c.name, time.Since(t0).Round(time.Millisecond))
	if t.Failed() {
		outcome = "FAILED"
	} else if outcome == "FAILED" {
		outcome = "ok"
	}
	t.Logf("case %s with %s: %s in %s", c.id(), h.name, outcome, time.Since(start).Round(time.Millisecond))
}

// rollBack follows a refused upgrade the way an operator must: the failed
// revision records the new case's manifest, so `helm uninstall` right away would
// leave behind every object that only the last good revision has (Helm deletes
// what the latest revision lists). `helm rollback` to revision 2 (the
// same-values upgrade) restores it; what is stored must match it again.
func rollBack(ctx context.Context, t *testing.T, h helmCLI, rel, ns string, good []*unstructured.Unstructured) {
	t.Helper()
	if leaked := dropped(good, h.manifest(ctx, t, rel, ns), ns); len(leaked) > 0 {
		var names []string
		for _, o := range leaked {
			names = append(names, key(o))
		}
		t.Logf("the failed revision lacks %d objects of the deployed one; helm uninstall without a rollback would leave them: %s",
			len(leaked), strings.Join(names, ", "))
	}
	if _, err := h.run(ctx, t, nil, "rollback", rel, "2", "-n", ns); err != nil {
		t.Fatalf("rollback after the refused upgrade: %v", err)
	}
	assertStored(ctx, t, ns, h.manifest(ctx, t, rel, ns))
}

// dropped returns the objects of before that after no longer has.
func dropped(before, after []*unstructured.Unstructured, ns string) []*unstructured.Unstructured {
	id := func(o *unstructured.Unstructured) string {
		n := o.GetNamespace()
		if n == "" {
			n = ns
		}
		return o.GroupVersionKind().GroupKind().String() + "/" + n + "/" + o.GetName()
	}
	keep := map[string]bool{}
	for _, o := range after {
		keep[id(o)] = true
	}
	var out []*unstructured.Unstructured
	for _, o := range before {
		if !keep[id(o)] {
			out = append(out, o)
		}
	}
	return out
}

// immutableChange names the immutable field an upgrade from → to would change ("" when none): a StatefulSet's
// selector, volumeClaimTemplates, serviceName or podManagementPolicy (compared after the defaults the API server
// applies), a multi-node mode change, or the spec of a claim the chart renders.
func immutableChange(t *testing.T, from, to []*unstructured.Unstructured) string {
	t.Helper()
	old := map[string]*appsv1.StatefulSet{}
	for _, o := range from {
		if s := asStatefulSet(t, o); s != nil {
			old[s.Namespace+"/"+s.Name] = s
		}
	}
	// A LeaderWorkerSet whose leader StatefulSet would take the name of a StatefulSet the release has, or the other
	// way round (the chart refuses the mode change while the other mode's workload exists).
	lws := map[string]bool{}
	for _, o := range from {
		if o.GetKind() == "LeaderWorkerSet" {
			lws[o.GetNamespace()+"/"+o.GetName()] = true
		}
	}
	for _, o := range to {
		id := o.GetNamespace() + "/" + o.GetName()
		switch {
		case o.GetKind() == "LeaderWorkerSet" && old[id] != nil:
			return "StatefulSet " + o.GetName() + " → LeaderWorkerSet " + o.GetName() + " (multiNode.mode)"
		case o.GetKind() == "StatefulSet" && lws[id]:
			return "LeaderWorkerSet " + o.GetName() + " → StatefulSet " + o.GetName() + " (multiNode.mode)"
		}
	}
	// A claim the chart renders itself (the shared cache): its spec never changes once created, as no claim is bound
	// here (a bound claim may grow); the chart refuses such an upgrade (llm-model.checkSharedCache).
	claims := map[string]any{}
	for _, o := range from {
		if o.GetKind() == "PersistentVolumeClaim" {
			claims[o.GetNamespace()+"/"+o.GetName()] = o.Object["spec"]
		}
	}
	for _, o := range to {
		if was, ok := claims[o.GetNamespace()+"/"+o.GetName()]; ok && o.GetKind() == "PersistentVolumeClaim" && !equality.Semantic.DeepEqual(was, o.Object["spec"]) {
			return "PersistentVolumeClaim " + o.GetName() + " spec"
		}
	}
	for _, o := range to {
		n := asStatefulSet(t, o)
		if n == nil {
			continue
		}
		p := old[n.Namespace+"/"+n.Name]
		if p == nil {
			continue
		}
		switch {
		case !equality.Semantic.DeepEqual(p.Spec.Selector, n.Spec.Selector):
			return "StatefulSet " + n.Name + " spec.selector"
		case !equality.Semantic.DeepEqual(p.Spec.VolumeClaimTemplates, n.Spec.VolumeClaimTemplates):
			return "StatefulSet " + n.Name + " spec.volumeClaimTemplates"
		case p.Spec.ServiceName != n.Spec.ServiceName:
			return "StatefulSet " + n.Name + " spec.serviceName"
		case p.Spec.PodManagementPolicy != n.Spec.PodManagementPolicy:
			return "StatefulSet " + n.Name + " spec.podManagementPolicy"
		}
	}
	return ""
}

// asStatefulSet decodes o when it is a StatefulSet, with the defaults that
// matter for immutability comparisons applied.
func asStatefulSet(t *testing.T, o *unstructured.Unstructured) *appsv1.StatefulSet {
	t.Helper()
	if o.GetKind() != "StatefulSet" || o.GroupVersionKind().Group != "apps" {
		return nil
	}
	var s appsv1.StatefulSet
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(o.Object, &s); err != nil {
		t.Fatalf("%s does not decode as apps/v1 StatefulSet: %v", key(o), err)
	}
	if s.Spec.PodManagementPolicy == "" {
		s.Spec.PodManagementPolicy = appsv1.OrderedReadyPodManagement
	}
	for i := range s.Spec.VolumeClaimTemplates {
		v := &s.Spec.VolumeClaimTemplates[i]
		v.TypeMeta = s.TypeMeta // not stored for templates
		v.TypeMeta.Kind, v.TypeMeta.APIVersion = "", ""
		if v.Spec.VolumeMode == nil {
			fs := corev1.PersistentVolumeFilesystem
			v.Spec.VolumeMode = &fs
		}
		v.Status = corev1.PersistentVolumeClaimStatus{}
	}
	return &s
}

// assertWorkloads checks what the controllers make of the stored objects: the
// StatefulSet controller creates pod 0 of every StatefulSet (so the pod template
// passes pod admission) and one PVC per volumeClaimTemplate for it; for the
// model chart every Service selects the pods of a StatefulSet (or the endpoint picker Deployment) of the release,
// every InferencePool the pods of a StatefulSet and never the picker's, and
// every StatefulSet's serviceName is a Service of the release. It returns the
// PVCs it saw.
func assertWorkloads(ctx context.Context, t *testing.T, chart, ns string, stored []*unstructured.Unstructured) []string {
	t.Helper()
	var sets []*appsv1.StatefulSet
	services := map[string]*corev1.Service{}
	// pod templates other than the StatefulSets' a Service may select: the InferencePool's endpoint picker
	var deployments []map[string]string
	var pools []*unstructured.Unstructured
	for _, o := range stored {
		switch {
		case o.GetKind() == "Deployment" && o.GroupVersionKind().Group == "apps":
			l, _, _ := unstructured.NestedStringMap(o.Object, "spec", "template", "metadata", "labels")
			deployments = append(deployments, l)
		case o.GetKind() == "InferencePool":
			pools = append(pools, o)
		case o.GetKind() == "StatefulSet" && o.GroupVersionKind().Group == "apps":
			var s appsv1.StatefulSet
			if err := runtime.DefaultUnstructuredConverter.FromUnstructured(o.Object, &s); err != nil {
				t.Fatalf("%s: %v", key(o), err)
			}
			sets = append(sets, &s)
		case o.GetKind() == "Service" && o.GroupVersionKind().Group == "":
			var s corev1.Service
			if err := runtime.DefaultUnstructuredConverter.FromUnstructured(o.Object, &s); err != nil {
				t.Fatalf("%s: %v", key(o), err)
			}
			services[s.Namespace+"/"+s.Name] = &s
		}
	}

	var pvcs []string
	for _, s := range sets {
		if s.Spec.Replicas != nil && *s.Spec.Replicas == 0 {
			continue
		}
		ordinal := int32(0)
		if s.Spec.Ordinals != nil {
			ordinal = s.Spec.Ordinals.Start
		}
		pod := fmt.Sprintf("%s-%d", s.Name, ordinal)
		err := poll(ctx, 30*time.Second, func() (bool, error) {
			_, err := env.kube.CoreV1().Pods(s.Namespace).Get(ctx, pod, getOpts)
			if isNotFound(err) {
				return false, nil
			}
			return err == nil, err
		})
		if err != nil {
			t.Errorf("the StatefulSet controller did not create pod %s/%s: %v; its events: %s", s.Namespace, pod, err, events(ctx, s.Namespace, s.Name))
			continue
		}
		for _, v := range s.Spec.VolumeClaimTemplates {
			name := fmt.Sprintf("%s-%s", v.Name, pod)
			err := poll(ctx, 30*time.Second, func() (bool, error) {
				_, err := env.kube.CoreV1().PersistentVolumeClaims(s.Namespace).Get(ctx, name, getOpts)
				if isNotFound(err) {
					return false, nil
				}
				return err == nil, err
			})
			if err != nil {
				t.Errorf("PVC %s/%s from volumeClaimTemplate %q was not created: %v", s.Namespace, name, v.Name, err)
				continue
			}
			pvcs = append(pvcs, s.Namespace+"/"+name+"/"+retention(s))
		}
	}

	if chart != "llm-model" {
		return pvcs
	}
	for _, s := range sets {
		if s.Spec.ServiceName == "" {
			continue
		}
		if services[s.Namespace+"/"+s.Spec.ServiceName] == nil {
			t.Errorf("StatefulSet %s/%s: serviceName %q is not a Service of the release", s.Namespace, s.Name, s.Spec.ServiceName)
		}
	}
	for _, svc := range services {
		if len(svc.Spec.Selector) == 0 {
			continue
		}
		sel := labels.SelectorFromSet(svc.Spec.Selector)
		matched := false
		for _, s := range sets {
			matched = matched || sel.Matches(labels.Set(s.Spec.Template.Labels))
		}
		for _, d := range deployments {
			matched = matched || sel.Matches(labels.Set(d))
		}
		if !matched && len(sets) > 0 {
			t.Errorf("Service %s/%s selects %v, which matches the pods of no StatefulSet of the release", svc.Namespace, svc.Name, svc.Spec.Selector)
		}
	}
	// An InferencePool selects the serving pods of the release's StatefulSets (and never the picker's).
	for _, p := range pools {
		ml, _, _ := unstructured.NestedStringMap(p.Object, "spec", "selector", "matchLabels")
		sel := labels.SelectorFromSet(ml)
		matched := false
		for _, s := range sets {
			matched = matched || sel.Matches(labels.Set(s.Spec.Template.Labels))
		}
		for _, d := range deployments {
			if sel.Matches(labels.Set(d)) {
				t.Errorf("InferencePool %s selects %v, which matches the endpoint picker's own pods", key(p), ml)
			}
		}
		if !matched {
			t.Errorf("InferencePool %s selects %v, which matches the pods of no StatefulSet of the release", key(p), ml)
		}
	}
	return pvcs
}

// retention is the StatefulSet's whenDeleted PVC policy (Retain when unset).
func retention(s *appsv1.StatefulSet) string {
	if p := s.Spec.PersistentVolumeClaimRetentionPolicy; p != nil && p.WhenDeleted != "" {
		return string(p.WhenDeleted)
	}
	return string(appsv1.RetainPersistentVolumeClaimRetentionPolicyType)
}

// assertPVCsKept checks, after uninstall, that PVCs of StatefulSets with
// whenDeleted: Retain still exist and those with Delete are removed.
func assertPVCsKept(ctx context.Context, t *testing.T, _ string, pvcs []string) {
	t.Helper()
	// Give the garbage collector time to act on any owner reference first.
	if len(pvcs) > 0 {
		time.Sleep(time.Second)
	}
	seen := map[string]bool{}
	for _, p := range pvcs {
		if seen[p] {
			continue
		}
		seen[p] = true
		parts := strings.SplitN(p, "/", 3)
		ns, name, policy := parts[0], parts[1], parts[2]
		if policy == string(appsv1.DeletePersistentVolumeClaimRetentionPolicyType) {
			err := poll(ctx, 30*time.Second, func() (bool, error) {
				pvc, err := env.kube.CoreV1().PersistentVolumeClaims(ns).Get(ctx, name, getOpts)
				if isNotFound(err) {
					return true, nil
				}
				return err == nil && pvc.DeletionTimestamp != nil, err
			})
			if err != nil {
				t.Errorf("PVC %s/%s (whenDeleted: Delete) was not deleted after uninstall: %v", ns, name, err)
			}
			continue
		}
		pvc, err := env.kube.CoreV1().PersistentVolumeClaims(ns).Get(ctx, name, getOpts)
		switch {
		case err != nil:
			t.Errorf("PVC %s/%s (whenDeleted: Retain) did not survive helm uninstall: %v", ns, name, err)
		case pvc.DeletionTimestamp != nil:
			t.Errorf("PVC %s/%s (whenDeleted: Retain) is being deleted after helm uninstall", ns, name)
		default:
			t.Logf("PVC %s/%s survived helm uninstall (whenDeleted: Retain)", ns, name)
		}
	}
}

// events lists the event messages about an object, for failure messages.
func events(ctx context.Context, ns, name string) string {
	list, err := env.kube.CoreV1().Events(ns).List(ctx, listOpts("involvedObject.name="+name))
	if err != nil {
		return err.Error()
	}
	var msgs []string
	for _, e := range list.Items {
		msgs = append(msgs, e.Reason+": "+e.Message)
	}
	if len(msgs) == 0 {
		return "(none)"
	}
	return strings.Join(msgs, "; ")
}

var nonDNS = regexp.MustCompile(`[^a-z0-9-]+`)

// dnsLabel makes s a DNS label of at most n characters, keeping it unique with a
// short hash when it has to be cut.
func dnsLabel(s string, n int) string {
	l := strings.Trim(nonDNS.ReplaceAllString(strings.ToLower(s), "-"), "-")
	if len(l) <= n && l == s {
		return l
	}
	sum := sha256.Sum256([]byte(s))
	h := hex.EncodeToString(sum[:])[:6]
	if len(l) > n-7 {
		l = strings.TrimRight(l[:n-7], "-")
	}
	return l + "-" + h
}

// releaseName is the case name as a release name (Helm allows 53 characters).
func releaseName(caseName string) string { return dnsLabel(caseName, 53) }

// errorCaseRelease is the release an error case names in its first line (`# release: NAME ...`, as the golden
// harness reads it: a release name can be the error, e.g. one the Service name cannot take), else releaseName.
func errorCaseRelease(t *testing.T, c testCase) string {
	t.Helper()
	b, err := os.ReadFile(c.path)
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(string(b), "\n")
	if f := strings.Fields(first); len(f) >= 3 && f[0] == "#" && f[1] == "release:" {
		return f[2]
	}
	return releaseName(c.name)
}

// nsName is the namespace of one case run: helm version, chart, case.
func nsName(helm, chart, caseName string) string {
	short := map[string]string{"helm3": "h3", "helm4": "h4"}[helm]
	return dnsLabel(short+"-"+strings.TrimPrefix(chart, "llm-")+"-"+caseName, 63)
}

// assertSharedCache checks the shared model cache as stored (storage.download.mode sharedCache): a claim whose
// access modes let many nodes mount it, written by exactly one download Job, and mounted read-only by every engine
// pod template (every group and rank), both by the init container that waits for it and by the engine.
func assertSharedCache(t *testing.T, stored []*unstructured.Unstructured) {
	t.Helper()
	var claim *corev1.PersistentVolumeClaim
	var jobs []*batchv1.Job
	var sets []*appsv1.StatefulSet
	for _, o := range stored {
		var into any
		switch o.GetKind() {
		case "PersistentVolumeClaim":
			claim = &corev1.PersistentVolumeClaim{}
			into = claim
		case "Job":
			jobs = append(jobs, &batchv1.Job{})
			into = jobs[len(jobs)-1]
		case "StatefulSet":
			sets = append(sets, &appsv1.StatefulSet{})
			into = sets[len(sets)-1]
		default:
			continue
		}
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(o.Object, into); err != nil {
			t.Fatalf("%s: %v", key(o), err)
		}
	}
	if claim == nil {
		if len(jobs) > 0 {
			t.Errorf("download Job %s without the shared claim", jobs[0].Name)
		}
		return
	}
	if !slices.Contains(claim.Spec.AccessModes, corev1.ReadWriteMany) {
		t.Errorf("shared claim %s: access modes %v, want ReadWriteMany", claim.Name, claim.Spec.AccessModes)
	}
	if len(jobs) != 1 {
		t.Fatalf("shared claim %s: %d download Jobs, want 1", claim.Name, len(jobs))
	}
	claimVolume := func(spec corev1.PodSpec) (name string, readOnly bool) {
		for _, v := range spec.Volumes {
			if v.PersistentVolumeClaim != nil && v.PersistentVolumeClaim.ClaimName == claim.Name {
				return v.Name, v.PersistentVolumeClaim.ReadOnly
			}
		}
		return "", false
	}
	mountsOf := func(spec corev1.PodSpec, volume string) (mounts []corev1.VolumeMount) {
		for _, c := range append(append([]corev1.Container{}, spec.InitContainers...), spec.Containers...) {
			for _, m := range c.VolumeMounts {
				if m.Name == volume {
					mounts = append(mounts, m)
				}
			}
		}
		return mounts
	}
	job := jobs[0]
	jv, ro := claimVolume(job.Spec.Template.Spec)
	if jv == "" || ro {
		t.Errorf("Job %s: the shared claim must be a writable volume (volume %q, readOnly %v)", job.Name, jv, ro)
	}
	for _, m := range mountsOf(job.Spec.Template.Spec, jv) {
		if m.ReadOnly {
			t.Errorf("Job %s mounts the shared claim read-only at %s", job.Name, m.MountPath)
		}
	}
	if len(sets) == 0 {
		t.Errorf("shared claim %s but no StatefulSet", claim.Name)
	}
	for _, s := range sets {
		v, ro := claimVolume(s.Spec.Template.Spec)
		if v == "" || !ro {
			t.Errorf("StatefulSet %s: the shared claim must be a read-only volume (volume %q, readOnly %v)", s.Name, v, ro)
			continue
		}
		mounts := mountsOf(s.Spec.Template.Spec, v)
		if len(mounts) != 2 {
			t.Errorf("StatefulSet %s: %d mounts of the shared claim, want 2 (wait-for-model and the engine)", s.Name, len(mounts))
		}
		for _, m := range mounts {
			if !m.ReadOnly {
				t.Errorf("StatefulSet %s mounts the shared claim writable at %s", s.Name, m.MountPath)
			}
		}
	}
}
