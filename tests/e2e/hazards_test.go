package e2e

import (
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"
)

// postRenderEnv, when set, makes the test binary act as a Helm post-renderer
// (see TestMain): "grow-vct" doubles the storage request of every
// volumeClaimTemplate, the change a user makes by raising the cache disk size.
const postRenderEnv = "E2E_POST_RENDER"

func postRender(mode string, in io.Reader, out io.Writer) int {
	b, err := io.ReadAll(in)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if mode != "grow-vct" {
		fmt.Fprintf(os.Stderr, "unknown %s=%q\n", postRenderEnv, mode)
		return 1
	}
	objs, err := parseManifest(string(b))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for i, o := range objs {
		if o.GetKind() == "StatefulSet" {
			if err := growVCT(o); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
		}
		y, err := yaml.Marshal(o.Object)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		if i > 0 {
			fmt.Fprintln(out, "---")
		}
		out.Write(y)
	}
	return 0
}

func growVCT(o *unstructured.Unstructured) error {
	vcts, _, err := unstructured.NestedSlice(o.Object, "spec", "volumeClaimTemplates")
	if err != nil {
		return err
	}
	for _, v := range vcts {
		m := v.(map[string]any)
		s, _, _ := unstructured.NestedFieldNoCopy(m, "spec", "resources", "requests", "storage")
		q, err := resource.ParseQuantity(fmt.Sprint(s))
		if err != nil {
			return fmt.Errorf("volumeClaimTemplate storage %v: %w", s, err)
		}
		q.Add(q)
		if err := unstructured.SetNestedField(m, q.String(), "spec", "resources", "requests", "storage"); err != nil {
			return err
		}
	}
	return unstructured.SetNestedSlice(o.Object, vcts, "spec", "volumeClaimTemplates")
}

// vctCase returns the first model case whose StatefulSets have
// volumeClaimTemplates, rendered.
func vctCase(t *testing.T) (testCase, []*unstructured.Unstructured) {
	t.Helper()
	cases, _ := casesOrFail(t, "llm-model")
	for _, c := range cases {
		objs, err := render(t.Context(), t, releaseName(c.name), "hazard", chartDir(c.chart), c.path)
		if err != nil {
			t.Fatalf("case %s does not render: %v", c.path, err)
		}
		for _, o := range objs {
			if s := asStatefulSet(t, o); s != nil && len(s.Spec.VolumeClaimTemplates) > 0 {
				return c, objs
			}
		}
	}
	t.Skip("SKIPPED: no llm-model case renders a StatefulSet with volumeClaimTemplates; the hazard does not apply")
	return testCase{}, nil
}

// TestHazardVolumeClaimTemplates covers the two StatefulSet storage hazards with
// a real chart case:
//   - a forced upgrade that changes volumeClaimTemplates (same values, the
//     storage request doubled by a post-renderer, so no chart-side check can
//     catch it) is refused by the API server, through Helm 3 and through a plain
//     update of the stored object;
//   - the PVCs the StatefulSet controller created from the templates survive
//     `helm uninstall` (whenDeleted: Retain), and are not owned by the StatefulSet.
func TestHazardVolumeClaimTemplates(t *testing.T) {
	requireEnv(t)
	t.Parallel()
	ctx := t.Context()
	start := time.Now()
	c, _ := vctCase(t)
	h := helms()[0]
	ns := "hazard-vct"
	rel := releaseName(c.name)
	createNamespace(ctx, t, ns)
	defer func() { _ = env.kube.CoreV1().Namespaces().Delete(ctx, ns, deleteOpts) }()

	if _, err := h.run(ctx, t, nil, "install", rel, chartDir(c.chart), "-n", ns, "-f", c.path); err != nil {
		t.Fatalf("install: %v", err)
	}
	objs := h.manifest(ctx, t, rel, ns)
	stored := assertStored(ctx, t, ns, objs)
	pvcs := assertWorkloads(ctx, t, c.chart, ns, stored)
	if len(pvcs) == 0 {
		t.Fatal("the StatefulSet controller created no PVC")
	}

	// Forced through Helm.
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.run(ctx, t, []string{postRenderEnv + "=grow-vct"},
		"upgrade", rel, chartDir(c.chart), "-n", ns, "-f", c.path, "--post-renderer", self)
	if err == nil {
		t.Fatal("an upgrade that changes volumeClaimTemplates was accepted")
	}
	if !strings.Contains(err.Error(), "spec.volumeClaimTemplates") || !strings.Contains(err.Error(), "field is immutable") {
		t.Fatalf("the upgrade failed, but not with the API server's immutability error: %v", err)
	}
	t.Logf("helm upgrade refused as expected: %s", tail(err.Error(), 1))

	// The same through a plain update of the stored object.
	for _, o := range stored {
		if o.GetKind() != "StatefulSet" {
			continue
		}
		s, err := env.kube.AppsV1().StatefulSets(ns).Get(ctx, o.GetName(), getOpts)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Spec.VolumeClaimTemplates) == 0 {
			continue
		}
		r := s.Spec.VolumeClaimTemplates[0].Spec.Resources.Requests[corev1.ResourceStorage]
		r.Add(r)
		s.Spec.VolumeClaimTemplates[0].Spec.Resources.Requests[corev1.ResourceStorage] = r
		_, err = env.kube.AppsV1().StatefulSets(ns).Update(ctx, s, metav1.UpdateOptions{})
		if err == nil || !strings.Contains(err.Error(), "spec.volumeClaimTemplates") {
			t.Fatalf("update of %s's volumeClaimTemplates: want the immutability error, got %v", s.Name, err)
		}
		t.Logf("API server: %v", err)
	}

	// PVCs survive uninstall.
	if _, err := h.run(ctx, t, nil, "uninstall", rel, "-n", ns); err != nil {
		t.Fatalf("uninstall: %v", err)
	}
	assertGone(ctx, t, ns, objs, "helm uninstall")
	retained := 0
	for _, p := range pvcs {
		parts := strings.SplitN(p, "/", 3)
		if parts[2] != string(appsv1.RetainPersistentVolumeClaimRetentionPolicyType) {
			t.Logf("PVC %s: the chart sets whenDeleted: %s", parts[1], parts[2])
			continue
		}
		retained++
		pvc, err := env.kube.CoreV1().PersistentVolumeClaims(ns).Get(ctx, parts[1], getOpts)
		if err != nil {
			t.Errorf("PVC %s did not survive helm uninstall: %v", parts[1], err)
			continue
		}
		for _, ref := range pvc.OwnerReferences {
			if ref.Kind == "StatefulSet" {
				t.Errorf("PVC %s is owned by StatefulSet %s: the garbage collector would delete it", pvc.Name, ref.Name)
			}
		}
	}
	if retained == 0 {
		t.Errorf("no PVC has whenDeleted: Retain: helm uninstall would take the model cache with it")
	}
	assertPVCsKept(ctx, t, ns, pvcs)
	t.Logf("%d PVCs kept after helm uninstall", retained)
	record("hazard volumeClaimTemplates ("+c.id()+") helm3", time.Since(start), "refused + PVCs kept")
}

var deleteOpts = metav1.DeleteOptions{}

func listOpts(fieldSelector string) metav1.ListOptions {
	return metav1.ListOptions{FieldSelector: fieldSelector}
}
