package values

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/llm-charts/llm-charts/internal/render"
)

// TestChartNamesMatchHashedName renders the chart with release and group names whose workload names are 40 to 74
// characters long and checks them against HashedName: 52 characters for a single-node group, 44 for a multi-node
// one (so that "<workload>-workers" fits), as "llm-model.shortName" cuts them (the review's pair 8).
func TestChartNamesMatchHashedName(t *testing.T) {
	c, err := render.Load("../../charts/llm-model")
	require.NoError(t, err)
	// "ab-" repeated puts a "-" at some cuts, which the hash suffix must not follow.
	pattern := func(n int) string { return strings.TrimRight(strings.Repeat("ab-", 30)[:n-1], "-") + "z" }
	for _, releaseLen := range []int{40, 43, 44, 45, 51, 52, 53} {
		release := "llm-model-" + pattern(releaseLen-len("llm-model-")) // names the chart: the full name is the release
		for _, groupLen := range []int{0, 7, 20} {
			full, group := release, ""
			if groupLen > 0 {
				group = pattern(groupLen)
				full += "-" + group
			}
			for _, nodes := range []int{1, 2} {
				t.Run(fmt.Sprintf("%d-%d-nodes%d", releaseLen, groupLen, nodes), func(t *testing.T) {
					vals := map[string]any{
						"model":          map[string]any{"name": "Qwen/Qwen3-8B"},
						"serving":        map[string]any{"pipelineParallelSize": nodes},
						"resourceGroups": []any{map[string]any{"name": group, "nodes": nodes, "resources": map[string]any{"memory": map[string]any{"requestGiB": 12, "limitGiB": 20}}}},
						"storage":        map[string]any{"size": "20Gi"},
					}
					res, err := render.Chart(c, vals, render.Options{ReleaseName: release, Namespace: "llm"})
					require.NoError(t, err)
					max := map[int]int{1: 52, 2: 44}[nodes]
					var names []string
					for _, d := range res.Docs {
						if d.Kind() == "StatefulSet" {
							names = append(names, d.Name())
						}
					}
					require.NotEmpty(t, names)
					assert.Equal(t, HashedName(full, max), names[0], "the group's workload name")
					if nodes > 1 {
						assert.Contains(t, names, HashedName(full, max)+"-workers")
					}
				})
			}
		}
	}
}
