package tests

import (
	"testing"

	"github.com/llm-charts/llm-charts/internal/render"
)

// BenchmarkRenderMatrix renders every passing case of every chart once per iteration (the whole golden matrix).
func BenchmarkRenderMatrix(b *testing.B) {
	var cases []Case
	vals := map[string]map[string]any{}
	for _, c := range LoadCases(b) {
		if c.WantError {
			continue
		}
		cases = append(cases, c)
		LoadChart(b, c.Chart)
	}
	for _, c := range cases {
		v, err := readCaseValues(c)
		if err != nil {
			b.Fatal(err)
		}
		vals[c.String()] = v
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, c := range cases {
			if _, err := render.Chart(LoadChart(b, c.Chart), vals[c.String()], render.Options{ReleaseName: c.Release, Namespace: c.Namespace}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(cases)), "cases")
}
