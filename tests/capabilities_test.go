package tests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/llm-charts/llm-charts/internal/render"
)

// TestCapabilityChecks renders each case (apis: what it turns on, the one its key names first) that turns on an optional custom resource as three clients would: as for a
// bare cluster (plain `helm template`: only the built-in APIs), where it must fail naming the values key and the
// --api-versions entry that renders it; with exactly the APIs it needs (Argo CD's --api-versions, or a cluster that
// serves them), where it must render; and the chart's cases as a whole run against a real API server with the CRDs in
// the e2e suite (helm install sees them through discovery).
func TestCapabilityChecks(t *testing.T) {
	for _, c := range []struct {
		file string
		key  string
		apis []string
	}{
		{"autoscaling-keda.yaml", "autoscaling.mode: keda", []string{"keda.sh/v1alpha1/ScaledObject", "monitoring.coreos.com/v1/PodMonitor"}},
		{"autoscaling-keda-two-groups.yaml", "resourceGroups[0].autoscaling.mode: keda", []string{"keda.sh/v1alpha1/ScaledObject", "monitoring.coreos.com/v1/ServiceMonitor"}},
		{"chartgen-glm-5-fp8-a100-lws.yaml", "multiNode.mode: leaderWorkerSet", []string{"leaderworkerset.x-k8s.io/v1/LeaderWorkerSet"}},
		{"autoscaling-keda-lws.yaml", "multiNode.mode: leaderWorkerSet", []string{"leaderworkerset.x-k8s.io/v1/LeaderWorkerSet", "keda.sh/v1alpha1/ScaledObject", "monitoring.coreos.com/v1/PodMonitor"}},
		{"inference-pool.yaml", "inferencePool.enabled", []string{"inference.networking.k8s.io/v1/InferencePool"}},
		{"monitoring-servicemonitor.yaml", "monitoring.serviceMonitor.enabled", []string{"monitoring.coreos.com/v1/ServiceMonitor"}},
		{"monitoring-podmonitor.yaml", "monitoring.podMonitor.enabled", []string{"monitoring.coreos.com/v1/PodMonitor"}},
	} {
		t.Run(c.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(repoRoot, "tests", "cases", "llm-model", c.file))
			if err != nil {
				t.Fatal(err)
			}
			vals, err := render.ReadValues(data)
			if err != nil {
				t.Fatal(err)
			}
			ch := LoadChart(t, "llm-model")
			_, err = render.Chart(ch, vals, render.Options{APIVersions: []string{}})
			if err == nil {
				t.Fatalf("rendered for a cluster without %v; want a refusal naming %s", c.apis, c.key)
			}
			for _, want := range []string{c.key, "--api-versions " + c.apis[0]} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("the refusal does not name %q:\n%v", want, err)
				}
			}
			if _, err := render.Chart(ch, vals, render.Options{APIVersions: c.apis}); err != nil {
				t.Errorf("with --api-versions %v it should render: %v", c.apis, err)
			}
		})
	}
}
