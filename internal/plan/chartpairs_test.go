package plan

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"helm.sh/helm/v3/pkg/chart"

	"github.com/llm-charts/llm-charts/internal/render"
)

// The chart computes a pod's CPU and the RAM it adds itself (charts/llm-model/templates/_groups.tpl), and chartgen
// predicts both (cpuThreads, memory) to explain them in the values it writes. These tests render the chart over a
// grid of inputs and compare, so the two sides cannot drift apart (the review's pairs 4 and 5).

var loadChart = sync.OnceValues(func() (*chart.Chart, error) { return render.Load("../../charts/llm-model") })

// renderGroupPod renders one vLLM group and returns its engine container's resources.
func renderGroupPod(t *testing.T, gpus, api, dp int, multimodalGB *int) map[string]any {
	t.Helper()
	c, err := loadChart()
	require.NoError(t, err)
	vllm := map[string]any{"apiServerCount": api}
	if multimodalGB != nil {
		vllm["multimodal"] = map[string]any{"enabled": true, "processorCacheGb": *multimodalGB}
	}
	vals := map[string]any{
		"model":   map[string]any{"name": "Qwen/Qwen3-8B"},
		"serving": map[string]any{"tensorParallelSize": gpus / dp, "dataParallelSize": dp},
		"vllm":    vllm,
		"resourceGroups": []any{map[string]any{
			"gpu":       map[string]any{"count": gpus},
			"resources": map[string]any{"memory": map[string]any{"requestGiB": 100, "limitGiB": 200}},
		}},
		"storage": map[string]any{"size": "20Gi"},
	}
	res, err := render.Chart(c, vals, render.Options{ReleaseName: "pairs", Namespace: "llm"})
	require.NoError(t, err, "gpus %d, api %d, dp %d", gpus, api, dp)
	for _, d := range res.Docs {
		if d.Kind() != "StatefulSet" {
			continue
		}
		spec := d.Object["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)
		// The engine's container comes first (its name is the engine's).
		return spec["containers"].([]any)[0].(map[string]any)["resources"].(map[string]any)
	}
	t.Fatalf("no engine container rendered")
	return nil
}

func TestChartCPUMatchesCPUThreads(t *testing.T) {
	for _, gpus := range []int{1, 2, 4, 8} {
		for _, dp := range []int{1, 2, 4} {
			if dp > gpus {
				continue
			}
			for _, api := range []int{1, 2, 4, 8} {
				t.Run(fmt.Sprintf("gpus%d-dp%d-api%d", gpus, dp, api), func(t *testing.T) {
					r := renderGroupPod(t, gpus, api, dp, nil)
					req, limit, _ := cpuThreads(gpus, api, dp)
					assert.Equal(t, fmt.Sprint(req), fmt.Sprint(r["requests"].(map[string]any)["cpu"]), "CPU request")
					assert.Equal(t, fmt.Sprint(limit), fmt.Sprint(r["limits"].(map[string]any)["cpu"]), "CPU limit")
				})
			}
		}
	}
}

func TestChartMultimodalRAMMatchesMemory(t *testing.T) {
	gb := MultimodalCacheGB // what chartgen writes as vllm.multimodal.processorCacheGb
	for _, gpus := range []int{1, 2, 4} {
		for _, api := range []int{1, 2, 4, 8} {
			t.Run(fmt.Sprintf("gpus%d-api%d", gpus, api), func(t *testing.T) {
				r := renderGroupPod(t, gpus, api, 1, &gb)
				_, _, added, _ := memory(0, gpus, api, true, true)
				assert.Equal(t, fmt.Sprintf("%dGi", 100+added), r["requests"].(map[string]any)["memory"], "memory request")
				assert.Equal(t, fmt.Sprintf("%dGi", 200+added), r["limits"].(map[string]any)["memory"], "memory limit")
			})
		}
	}
}
