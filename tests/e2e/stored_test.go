package e2e

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/dynamic"
)

// key names an object for messages: Kind namespace/name.
func key(o *unstructured.Unstructured) string {
	return fmt.Sprintf("%s %s/%s", o.GetKind(), o.GetNamespace(), o.GetName())
}

// resourceFor maps a rendered object to a dynamic client, defaulting a
// namespaced object's namespace to ns (as Helm does).
func resourceFor(t *testing.T, o *unstructured.Unstructured, ns string) (dynamic.ResourceInterface, string) {
	t.Helper()
	gvk := o.GroupVersionKind()
	m, err := env.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil {
		env.mapper.Reset()
		if m, err = env.mapper.RESTMapping(gvk.GroupKind(), gvk.Version); err != nil {
			t.Fatalf("%s: no API resource for %s: %v", key(o), gvk, err)
		}
	}
	if m.Scope.Name() == meta.RESTScopeNameNamespace {
		n := o.GetNamespace()
		if n == "" {
			n = ns
		}
		return env.dyn.Resource(m.Resource).Namespace(n), n
	}
	return env.dyn.Resource(m.Resource), ""
}

// assertStored checks that every object Helm sent is stored, and that every
// field the chart set is stored with the same value: a field the API server
// pruned (unknown to a CRD's structural schema) or rewrote shows up here.
// It returns the stored objects.
func assertStored(ctx context.Context, t *testing.T, ns string, objs []*unstructured.Unstructured) []*unstructured.Unstructured {
	t.Helper()
	var stored []*unstructured.Unstructured
	for _, o := range objs {
		ri, n := resourceFor(t, o, ns)
		if n != "" && o.GetNamespace() == "" {
			o = o.DeepCopy()
			o.SetNamespace(n)
		}
		got, err := ri.Get(ctx, o.GetName(), getOpts)
		if err != nil {
			t.Errorf("%s was sent by Helm but is not stored: %v", key(o), err)
			continue
		}
		want := o.DeepCopy().Object
		delete(want, "status")
		var diffs []string
		subset(want, got.Object, "", &diffs)
		if len(diffs) > 0 {
			t.Errorf("%s: the API server stored something else than the chart rendered:\n  %s", key(o), strings.Join(diffs, "\n  "))
		}
		stored = append(stored, got)
	}
	return stored
}

// assertGone waits until none of objs exists any more (uninstall or an
// upgrade that dropped them).
func assertGone(ctx context.Context, t *testing.T, ns string, objs []*unstructured.Unstructured, why string) {
	t.Helper()
	for _, o := range objs {
		ri, _ := resourceFor(t, o, ns)
		if o.GetAnnotations()["helm.sh/resource-policy"] == "keep" {
			// Helm leaves such an object in place (the shared model cache): it must still be there.
			if _, err := ri.Get(ctx, o.GetName(), getOpts); err != nil {
				t.Errorf("%s has helm.sh/resource-policy: keep, yet it is gone after %s: %v", key(o), why, err)
			}
			continue
		}
		err := poll(ctx, 30*time.Second, func() (bool, error) {
			_, err := ri.Get(ctx, o.GetName(), getOpts)
			if isNotFound(err) {
				return true, nil
			}
			return false, err
		})
		if err != nil {
			t.Errorf("%s still exists after %s: %v", key(o), why, err)
		}
	}
}

// subset appends to diffs every place where want (what the chart rendered) is
// not contained in got (what the API server stored). Defaults the server adds
// are ignored; values are compared after the normalisations the server does
// (quantities, numbers as strings, omitted zero values).
func subset(want, got any, path string, diffs *[]string) {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			if len(w) == 0 && got == nil {
				return
			}
			*diffs = append(*diffs, fmt.Sprintf("%s: rendered an object, stored %s", orRoot(path), show(got)))
			return
		}
		keys := make([]string, 0, len(w))
		for k := range w {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			wv := w[k]
			gv, present := g[k]
			p := path + "." + k
			switch {
			case wv == nil:
				// "key: null" or "key:" renders nothing.
			case !present && isZero(wv):
				// Omitted zero value: omitempty on the server side.
			case !present && path != "" && (k == "apiVersion" || k == "kind"):
				// TypeMeta inside an embedded object (e.g. a volumeClaimTemplate) is not stored.
			case !present:
				*diffs = append(*diffs, fmt.Sprintf("%s: rendered %s, not stored (pruned or dropped)", p, show(wv)))
			default:
				subset(wv, gv, p, diffs)
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok {
			if len(w) == 0 && got == nil {
				return
			}
			*diffs = append(*diffs, fmt.Sprintf("%s: rendered a list, stored %s", orRoot(path), show(got)))
			return
		}
		if len(w) != len(g) {
			*diffs = append(*diffs, fmt.Sprintf("%s: rendered %d items, stored %d", path, len(w), len(g)))
			return
		}
		for i := range w {
			subset(w[i], g[i], fmt.Sprintf("%s[%d]", path, i), diffs)
		}
	default:
		if !sameScalar(want, got) {
			*diffs = append(*diffs, fmt.Sprintf("%s: rendered %s, stored %s", path, show(want), show(got)))
		}
	}
}

func sameScalar(w, g any) bool {
	if reflect.DeepEqual(w, g) {
		return true
	}
	if wf, ok := toFloat(w); ok {
		if gf, ok := toFloat(g); ok {
			return wf == gf
		}
	}
	ws, gs := fmt.Sprint(w), fmt.Sprint(g)
	if ws == gs {
		return true
	}
	// Numbers from YAML arrive as int64 or float64; quantities are canonicalised
	// ("0.5" is stored as "500m", "1024Mi" as "1Gi").
	wq, err1 := resource.ParseQuantity(ws)
	gq, err2 := resource.ParseQuantity(gs)
	return err1 == nil && err2 == nil && wq.Cmp(gq) == 0
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

func isZero(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case bool:
		return !x
	case int64:
		return x == 0
	case float64:
		return x == 0
	case map[string]any:
		return len(x) == 0
	case []any:
		return len(x) == 0
	}
	return false
}

func show(v any) string {
	s := fmt.Sprintf("%#v", v)
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}

func orRoot(p string) string {
	if p == "" {
		return "."
	}
	return p
}
