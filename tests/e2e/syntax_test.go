package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// chartRefusal is one llm-model error case whose check stands in for the API server (or the kubelet): mutate makes,
// from a valid rendering, the object the chart would have rendered without the check.
type chartRefusal struct {
	errorCase string // tests/cases/llm-model/errors/<errorCase>.yaml
	kind      string // the kind of object mutated
	mutate    func(t *testing.T, o *unstructured.Unstructured)
	// atRun, when set, says why the API server accepts the object but it breaks at run; such entries are not sent.
	atRun string
}

func container(t *testing.T, o *unstructured.Unstructured) map[string]any {
	t.Helper()
	path := []string{"spec", "template", "spec", "containers"}
	if o.GetKind() == "Pod" {
		path = []string{"spec", "containers"}
	}
	cs, _, _ := unstructured.NestedSlice(o.Object, path...)
	if len(cs) == 0 {
		t.Fatalf("%s has no containers", key(o))
	}
	return cs[0].(map[string]any)
}

func setContainer(t *testing.T, o *unstructured.Unstructured, c map[string]any) {
	t.Helper()
	path := []string{"spec", "template", "spec", "containers"}
	if o.GetKind() == "Pod" {
		path = []string{"spec", "containers"}
	}
	cs, _, _ := unstructured.NestedSlice(o.Object, path...)
	cs[0] = c
	if err := unstructured.SetNestedSlice(o.Object, cs, path...); err != nil {
		t.Fatal(err)
	}
}

func set(t *testing.T, m map[string]any, v any, path ...string) {
	t.Helper()
	if err := unstructured.SetNestedField(m, v, path...); err != nil {
		t.Fatal(err)
	}
}

var chartRefusals = []chartRefusal{
	{errorCase: "cpu-request-over-limit", kind: "StatefulSet", mutate: func(t *testing.T, o *unstructured.Unstructured) {
		c := container(t, o)
		set(t, c, "16", "resources", "requests", "cpu")
		set(t, c, "8", "resources", "limits", "cpu")
		setContainer(t, o, c)
	}},
	{errorCase: "test-pod-request-over-limit", kind: "Pod", mutate: func(t *testing.T, o *unstructured.Unstructured) {
		c := container(t, o)
		set(t, c, "200m", "resources", "requests", "cpu")
		set(t, c, "100m", "resources", "limits", "cpu")
		setContainer(t, o, c)
	}},
	// The StatefulSet controller creates the claim from the template: the claim is what the API server refuses.
	{errorCase: "kubernetes-syntax", kind: "StatefulSet", mutate: func(t *testing.T, o *unstructured.Unstructured) {
		vcts, _, _ := unstructured.NestedSlice(o.Object, "spec", "volumeClaimTemplates")
		vct := vcts[0].(map[string]any)
		set(t, vct, "Fast_SSD", "spec", "storageClassName")
		spec, _, _ := unstructured.NestedMap(vct, "spec")
		ns := o.GetNamespace()
		o.Object = map[string]any{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "spec": spec,
			"metadata": map[string]any{"name": "cache-" + o.GetName() + "-0", "namespace": ns}}
	}},
	{errorCase: "kubernetes-syntax", kind: "StatefulSet", mutate: func(t *testing.T, o *unstructured.Unstructured) {
		c := container(t, o)
		mounts := c["volumeMounts"].([]any)
		set(t, mounts[len(mounts)-1].(map[string]any), "/models", "subPath")
		setContainer(t, o, c)
	}},
	{errorCase: "kubernetes-syntax", kind: "StatefulSet", mutate: func(t *testing.T, o *unstructured.Unstructured) {
		set(t, o.Object, "ml team", "spec", "template", "metadata", "labels", "team")
	}},
	{errorCase: "kubernetes-syntax", kind: "StatefulSet", mutate: func(t *testing.T, o *unstructured.Unstructured) {
		set(t, o.Object, []any{map[string]any{"key": "example.org/x", "operator": "Exists", "effect": "NoScheduled"}}, "spec", "template", "spec", "tolerations")
	}},
	{errorCase: "kubernetes-syntax", kind: "StatefulSet", mutate: func(t *testing.T, o *unstructured.Unstructured) {
		set(t, o.Object, []any{map[string]any{"key": "nvidia.com/gpu", "operator": "Exists", "value": "present"}}, "spec", "template", "spec", "tolerations")
	}},
	{errorCase: "pod-label-overrides-selector", kind: "StatefulSet", mutate: func(t *testing.T, o *unstructured.Unstructured) {
		set(t, o.Object, "other", "spec", "template", "metadata", "labels", "app")
	}},
	{errorCase: "privileged-without-escalation", kind: "StatefulSet", mutate: func(t *testing.T, o *unstructured.Unstructured) {
		c := container(t, o)
		set(t, c, true, "securityContext", "privileged")
		set(t, c, false, "securityContext", "allowPrivilegeEscalation")
		setContainer(t, o, c)
	}},
	{errorCase: "release-name-with-dot", kind: "Service", mutate: func(t *testing.T, o *unstructured.Unstructured) {
		o.SetName("qwen3.5-llm-model")
	}},
	{errorCase: "release-name-leading-digit", atRun: "refused by API servers before the RelaxedServiceNameValidation feature (DNS-1035); the chart keeps that rule so that it installs on every supported version"},
	{errorCase: "rendezvous-port-is-http-port", atRun: "the API server only warns about a container port listed twice; rank 0 cannot bind the rendezvous port HTTP already holds"},
	{errorCase: "image-tag-in-repository", atRun: "the API server does not parse image references; the kubelet fails with InvalidImageName"},
	{errorCase: "run-as-non-root-as-root", atRun: "the kubelet refuses to start a container with runAsNonRoot and user 0 (CreateContainerConfigError)"},
	{errorCase: "run-as-non-root-overridden", atRun: "valid to the API server; the container runs as root, which the pod-level setting meant to forbid"},
	{errorCase: "group-name-collides-with-workers", atRun: "the second StatefulSet of one name is refused as AlreadyExists (Helm: 'rendered manifests contain a resource that already exists')"},
}

// TestChartRefusalsMatchAPIServer cross-checks the chart's Kubernetes syntax checks with the API server: for each
// error case in chartRefusals, the object the chart would have rendered without its check is sent with a
// server-side dry run and must be refused. Entries with atRun name why the API server accepts the object though it
// cannot run. Every listed case must exist under tests/cases/llm-model/errors.
func TestChartRefusalsMatchAPIServer(t *testing.T) {
	requireEnv(t)
	ctx := t.Context()
	ns := "chart-refusals"
	createNamespace(ctx, t, ns)
	defer func() { _ = env.kube.CoreV1().Namespaces().Delete(ctx, ns, deleteOpts) }()
	base := filepath.Join(casesRoot(), "tests", "cases", "llm-model")
	objs, err := render(ctx, t, "chat-minimal", ns, chartDir("llm-model"), filepath.Join(base, "chat-minimal.yaml"))
	if err != nil {
		t.Fatalf("chat-minimal does not render: %v", err)
	}
	byKind := map[string]*unstructured.Unstructured{}
	for _, o := range objs {
		if _, ok := byKind[o.GetKind()]; !ok {
			byKind[o.GetKind()] = o
		}
	}
	for _, r := range chartRefusals {
		if _, err := os.Stat(filepath.Join(base, "errors", r.errorCase+".yaml")); err != nil {
			t.Errorf("chartRefusals lists %s, which is not an error case: %v", r.errorCase, err)
		}
		if r.atRun != "" {
			t.Logf("%s: not sent: %s", r.errorCase, r.atRun)
			continue
		}
		o := byKind[r.kind]
		if o == nil {
			t.Fatalf("chat-minimal renders no %s", r.kind)
		}
		o = o.DeepCopy()
		o.SetNamespace(ns)
		r.mutate(t, o)
		ri, _ := resourceFor(t, o, ns)
		_, err := ri.Create(ctx, o, metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}})
		if err == nil {
			t.Errorf("%s: the API server accepts what the chart refuses (%s %s)", r.errorCase, o.GetKind(), o.GetName())
			continue
		}
		if !apierrors.IsInvalid(err) {
			t.Errorf("%s: the API server refused it, but not as invalid: %v", r.errorCase, err)
			continue
		}
		t.Logf("%s: refused by the API server too: %s", r.errorCase, strings.SplitN(err.Error(), "\n", 2)[0])
	}
}
