package plan

import (
	"context"
	"testing"

	"github.com/llm-charts/llm-charts/internal/catalog"
	"github.com/llm-charts/llm-charts/internal/gpu"
	"github.com/llm-charts/llm-charts/internal/model"
)

// catalogInput loads an embedded catalog model as planner input.
func catalogInput(t testing.TB, id string) Input {
	t.Helper()
	md, err := catalog.Catalog{}.Load(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	f, err := md.Facts(model.TaskAuto)
	if err != nil {
		t.Fatalf("%s: %v", id, err)
	}
	return Input{Name: id, Facts: f, Weights: WeightsFromEstimate(f, model.EstimateParams(f), nil)}
}

func catalogGPUs(t testing.TB) []gpu.GPU {
	t.Helper()
	c, err := gpu.Default()
	if err != nil {
		t.Fatal(err)
	}
	return c.All()
}

func gpuByID(t testing.TB, id string) gpu.GPU {
	t.Helper()
	c, err := gpu.Default()
	if err != nil {
		t.Fatal(err)
	}
	g, err := c.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	return g
}
