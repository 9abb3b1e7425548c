package cli

import (
	"strings"

	"github.com/llm-charts/llm-charts/internal/engine"
	"github.com/llm-charts/llm-charts/internal/flagtable"
	"github.com/llm-charts/llm-charts/internal/plan"
	"github.com/llm-charts/llm-charts/internal/values"
)

// buildModel writes engine (when not the default), model.task and image, with their comments.
func (b *builder) buildModel() {
	v, c, p0 := b.v, b.c, b.plans[0]
	if b.e.Name() != engine.Default().Name() {
		v.Engine = string(b.e.Name())
		c["engine"] = b.e.EngineComment()
	}
	if p0.Task == "embed" {
		v.Model.Task = values.TaskEmbed
	} else {
		v.Model.Task = values.TaskGenerate
	}
	c["model.name"] = "Weights: " + p0.Reasons[plan.ReasonWeights] + "."
	c["model.task"] = "Task: " + p0.Reasons[plan.ReasonTask] + "."

	// Image build: the oldest GPU decides (the 12.9 build also runs on newer GPUs).
	cuda, cudaWhy := values.CUDA13, p0.Placement.CUDAReason
	for _, p := range b.plans {
		if p.Placement.CUDA == values.CUDA129 {
			cuda, cudaWhy = values.CUDA129, p.Placement.CUDAReason
			if len(b.plans) > 1 {
				cudaWhy += "; with several GPU types the oldest decides, as the 12.9 build also runs on the newer ones"
			}
		}
	}
	v.Image = &values.Image{CUDA: cuda}
	c["image.cuda"] = "Image build: " + cudaWhy + "."
	if ver := b.o.EngineVersion; ver != "" {
		if !strings.HasPrefix(ver, "v") {
			ver = "v" + ver
		}
		v.Image.Version = ver
		c["image.version"] = "Engine release: " + ver + " (--engine-version); the memory plan follows it."
		c["image.version"] += releaseCoverage(string(b.e.Name()), ver)
	}
}

// releaseCoverage is what the image.version comment adds for a release the flag tables do not cover: which
// release's table the chart checks the flags against, and that the memory plan applies the newest rules it has.
func releaseCoverage(name, ver string) string {
	if _, ok := flagtable.ForRelease(name, ver); ok {
		return ""
	}
	versions := flagtable.Versions(name)
	newest := versions[len(versions)-1]
	if asked, err := engine.ParseRelease(ver); err == nil && asked.After(engine.MustParseRelease(newest)) {
		return " It is newer than the newest " + name + " release chartgen and the chart have a flag table for (" + newest +
			"): the memory plan applies the rules it has for " + newest + " and later, and the chart checks the flags against the " +
			newest + " table (its NOTES say so); read the release notes for what changed since."
	}
	near, _ := flagtable.Nearest(name, ver)
	return " The chart has no flag table for it and checks the flags against " + near.Version + "'s, the nearest older release with one (its NOTES say so)."
}
