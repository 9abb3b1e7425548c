package tests

import (
	"testing"

	"github.com/llm-charts/llm-charts/internal/render"
)

// TestArgoCDRender renders every llm-model case as Argo CD does (`helm template` with the release name, namespace,
// Kubernetes version and an --api-versions entry for every API the cluster serves; no cluster, so every `lookup`
// upgrade guard sees nothing) and checks what keeps the data when those guards cannot: each StatefulSet and
// LeaderWorkerSet keeps its claims when deleted or scaled down (persistentVolumeClaimRetentionPolicy Retain), and the
// shared cache's claim survives a prune by Argo CD (Prune=false), Flux's kustomize-controller (prune: disabled) and
// helm uninstall (resource-policy keep).
func TestArgoCDRender(t *testing.T) {
	seen := map[string]int{}
	for _, c := range LoadCases(t) {
		if c.Chart != "llm-model" || c.WantError {
			continue
		}
		vals, err := readCaseValues(c)
		if err != nil {
			t.Fatal(err)
		}
		res, err := render.Chart(LoadChart(t, c.Chart), vals, render.Options{ReleaseName: c.Release, Namespace: c.Namespace, APIVersions: render.OptionalAPIs})
		if err != nil {
			t.Errorf("%s: %v", c.Name, err)
			continue
		}
		for _, d := range res.Docs {
			seen[d.Kind()]++
			switch d.Kind() {
			case "StatefulSet":
				checkRetained(t, c.Name, d, d.Object)
			case "LeaderWorkerSet":
				spec, _ := d.Object["spec"].(map[string]any)
				tmpl, _ := spec["leaderWorkerTemplate"].(map[string]any)
				checkRetained(t, c.Name, d, tmpl)
			case "PersistentVolumeClaim":
				meta, _ := d.Object["metadata"].(map[string]any)
				ann, _ := meta["annotations"].(map[string]any)
				for k, want := range map[string]string{"helm.sh/resource-policy": "keep", "argocd.argoproj.io/sync-options": "Prune=false", "kustomize.toolkit.fluxcd.io/prune": "disabled"} {
					if ann[k] != want {
						t.Errorf("%s: claim %v: annotation %s = %v, want %s", c.Name, meta["name"], k, ann[k], want)
					}
				}
			}
		}
	}
	for _, k := range []string{"StatefulSet", "LeaderWorkerSet", "PersistentVolumeClaim"} {
		if seen[k] == 0 {
			t.Errorf("no case renders a %s: the check above saw nothing", k)
		}
	}
}

// checkRetained wants whenDeleted and whenScaled Retain on an object that has volumeClaimTemplates (obj is the
// StatefulSet, or the LeaderWorkerSet's leaderWorkerTemplate).
func checkRetained(t *testing.T, name string, d render.Doc, obj map[string]any) {
	t.Helper()
	spec, _ := obj["spec"].(map[string]any)
	if obj["kind"] != "StatefulSet" {
		spec = obj
	}
	if spec == nil || spec["volumeClaimTemplates"] == nil {
		return
	}
	p, _ := spec["persistentVolumeClaimRetentionPolicy"].(map[string]any)
	if p["whenDeleted"] != "Retain" || p["whenScaled"] != "Retain" {
		t.Errorf("%s: %s %s: persistentVolumeClaimRetentionPolicy %v, want whenDeleted and whenScaled Retain (a prune or an orphaning replace must not take the weights)", name, d.Kind(), d.Source, p)
	}
}
