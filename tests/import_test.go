package tests

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/llm-charts/llm-charts/internal/importer"
	"github.com/llm-charts/llm-charts/internal/render"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// importExamples are the guide's three example manifests (copies of ../shared/reference/examples), each imported
// with internal/importer and rendered through the chart: the StatefulSet must come out equivalent field by field.
var importExamples = []struct {
	file         string
	wantUnmapped []string // substrings of what the importer must list as not mapped
}{
	{"minimax-m2.5-statefulset.yaml", []string{`image tag "<v0.xx.xx-cu130_or_cu130-nightly-commit_hash>"`}},
	{"qwen3-vl-embedding-8b-statefulset.yaml", []string{`image tag "<v0.xx.xx_or_nightly-commit_hash>"`}},
	{"minimax-m2.5-deployment-deprecated.yaml", []string{`image tag "<v0.xx.xx-cu130_or_cu130-nightly-commit_hash>"`}},
}

func TestImportGuideExamplesRoundTrip(t *testing.T) {
	for _, ex := range importExamples {
		t.Run(ex.file, func(t *testing.T) {
			path := filepath.Join("testdata", "guide", ex.file)
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			objs, err := importer.Read(path, data)
			require.NoError(t, err)
			results, err := importer.Import(objs)
			require.NoError(t, err)
			require.Len(t, results, 1)
			r := results[0]
			t.Logf("unmapped:\n  %s\nnotes:\n  %s", strings.Join(r.Unmapped, "\n  "), strings.Join(r.Notes, "\n  "))
			// Everything not mapped is listed; the guide's examples lose nothing but the placeholder image tag.
			assert.Len(t, r.Unmapped, len(ex.wantUnmapped), "unmapped: %q", r.Unmapped)
			for _, w := range ex.wantUnmapped {
				assert.True(t, containsSub(r.Unmapped, w), "want %q listed as unmapped", w)
			}

			raw, err := json.Marshal(r.Values)
			require.NoError(t, err)
			vals := map[string]any{}
			require.NoError(t, json.Unmarshal(raw, &vals))
			res, err := render.Chart(LoadChart(t, "llm-model"), vals, render.Options{ReleaseName: "imported", Namespace: r.Namespace})
			require.NoError(t, err, "values:\n%s", raw)
			gotSts, gotSvc := renderedWorkload(t, res)
			wantSts, wantSvc := readImportExample(t, data)
			// The import keeps the manifest's own choices (a ConfigMap for the token, no large-gpu toleration), so
			// none of the chart's deliberate differences is expected.
			compareStatefulSets(t, wantSts, gotSts, deliberate{})
			compareServices(t, wantSvc, gotSvc, gotSts)
		})
	}
}

// TestImportCopiesMatchShared keeps the Deployment example's copy identical to ../shared (the StatefulSets are
// checked by TestGuideCopiesMatchShared).
func TestImportCopiesMatchShared(t *testing.T) {
	shared := filepath.Join(repoRoot, "..", "shared", "reference", "examples", "minimax-m2.5-deployment-deprecated.yaml")
	want, err := os.ReadFile(shared)
	if err != nil {
		t.Skipf("no %s beside the repository: %v", shared, err)
	}
	got, err := os.ReadFile(filepath.Join("testdata", "guide", "minimax-m2.5-deployment-deprecated.yaml"))
	require.NoError(t, err)
	assert.True(t, bytes.Equal(want, got), "tests/testdata/guide/minimax-m2.5-deployment-deprecated.yaml differs from %s: copy it again", shared)
}

func containsSub(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// readImportExample reads a StatefulSet + Service, or a Deployment + PVC + Service, as the StatefulSet it should
// become: the Deployment's pod template, its PVC as the volume claim template (named after the pod's volume), and
// the chart's OrderedReady / Retain policies.
func readImportExample(t *testing.T, data []byte) (*appsv1.StatefulSet, *corev1.Service) {
	var sts *appsv1.StatefulSet
	var dep *appsv1.Deployment
	var pvc *corev1.PersistentVolumeClaim
	var svc *corev1.Service
	for _, part := range strings.Split(string(data), "\n---\n") {
		var meta struct{ Kind string }
		require.NoError(t, yaml.Unmarshal([]byte(part), &meta))
		switch meta.Kind {
		case "StatefulSet":
			sts = &appsv1.StatefulSet{}
			require.NoError(t, yaml.UnmarshalStrict([]byte(part), sts))
		case "Deployment":
			dep = &appsv1.Deployment{}
			require.NoError(t, yaml.UnmarshalStrict([]byte(part), dep))
		case "PersistentVolumeClaim":
			pvc = &corev1.PersistentVolumeClaim{}
			require.NoError(t, yaml.UnmarshalStrict([]byte(part), pvc))
		case "Service":
			svc = &corev1.Service{}
			require.NoError(t, yaml.UnmarshalStrict([]byte(part), svc))
		}
	}
	require.NotNil(t, svc)
	if sts != nil {
		return sts, svc
	}
	require.NotNil(t, dep)
	require.NotNil(t, pvc)
	sts = &appsv1.StatefulSet{ObjectMeta: dep.ObjectMeta}
	sts.Spec.Replicas = dep.Spec.Replicas
	sts.Spec.Selector = dep.Spec.Selector
	sts.Spec.Template = *dep.Spec.Template.DeepCopy()
	sts.Spec.ServiceName = dep.Name
	sts.Spec.PodManagementPolicy = appsv1.OrderedReadyPodManagement
	sts.Spec.PersistentVolumeClaimRetentionPolicy = &appsv1.StatefulSetPersistentVolumeClaimRetentionPolicy{
		WhenDeleted: appsv1.RetainPersistentVolumeClaimRetentionPolicyType, WhenScaled: appsv1.RetainPersistentVolumeClaimRetentionPolicyType}
	var vols []corev1.Volume
	for _, v := range sts.Spec.Template.Spec.Volumes {
		if v.PersistentVolumeClaim != nil && v.PersistentVolumeClaim.ClaimName == pvc.Name {
			claim := corev1.PersistentVolumeClaim{Spec: pvc.Spec}
			claim.Name = v.Name
			sts.Spec.VolumeClaimTemplates = append(sts.Spec.VolumeClaimTemplates, claim)
			continue
		}
		vols = append(vols, v)
	}
	sts.Spec.Template.Spec.Volumes = vols
	return sts, svc
}
