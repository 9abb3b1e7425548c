package cli

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/llm-charts/llm-charts/internal/catalog"
	"github.com/llm-charts/llm-charts/internal/gpu"
	"github.com/llm-charts/llm-charts/internal/model"
	"github.com/llm-charts/llm-charts/internal/plan"
	"github.com/llm-charts/llm-charts/internal/source"
)

// DefaultGPU is planned for when no --gpu is given: the A100 80GB, the GPU of the operations guide's reference
// deployment and the most common large-memory datacenter GPU in shared clusters.
const DefaultGPU = "a100-80gb"

// modelFlags are the flags that say where a model's metadata comes from.
type modelFlags struct {
	model    string
	config   string
	modelDir string
	task     string
}

// hubSource builds the Hub client (overridden in tests).
var hubSource = func() source.Source { return source.NewHubFromEnv(os.Getenv) }

// loaded is a model ready to plan.
type loaded struct {
	input plan.Input
	from  string // where the metadata came from
	task  model.Task
}

func parseTask(s string) (model.Task, error) {
	switch s {
	case "", "auto":
		return model.TaskAuto, nil
	case "generate":
		return model.TaskGenerate, nil
	case "embed":
		return model.TaskEmbed, nil
	}
	return "", usageErr("--task %q is not one of generate, embed", s)
}

// loadModel resolves the model source: --model-dir, --config, the embedded catalog, else the Hugging Face Hub.
func loadModel(ctx context.Context, mf modelFlags) (*loaded, error) {
	task, err := parseTask(mf.task)
	if err != nil {
		return nil, err
	}
	if mf.config != "" && mf.modelDir != "" {
		return nil, usageErr("--config and --model-dir both given; pass one")
	}
	var md *source.Metadata
	var from string
	switch {
	case mf.modelDir != "":
		md, err = source.Dir{}.Load(ctx, mf.modelDir)
		from = "the local directory " + mf.modelDir
	case mf.config != "":
		md, err = source.File{}.Load(ctx, mf.config)
		from = "the config file " + mf.config
	case mf.model == "":
		return nil, usageErr("--model is required: a Hugging Face id such as MiniMaxAI/MiniMax-M2.5 (see chartgen models), with --config or --model-dir for local metadata")
	case catalog.Has(mf.model):
		md, err = catalog.Catalog{}.Load(ctx, mf.model)
		from = "the embedded catalog"
	default:
		if strings.Count(mf.model, "/") != 1 {
			return nil, fmt.Errorf("model %q is not in the embedded catalog and is not a Hugging Face id (org/name); see chartgen models, or pass --config config.json or --model-dir DIR", mf.model)
		}
		md, err = hubSource().Load(ctx, mf.model)
		from = "the Hugging Face Hub"
		if err != nil {
			return nil, fmt.Errorf("model %s is not in the embedded catalog (chartgen models lists it), and the Hub lookup failed: %w; pass --config config.json or --model-dir DIR to plan from local files", mf.model, err)
		}
	}
	if err != nil {
		return nil, err
	}
	name := mf.model
	if name == "" {
		name = md.Ref
	}
	f, err := model.Parse(md.Config, model.ParseOptions{Name: name, Files: md.Files, Task: task})
	if err != nil {
		return nil, fmt.Errorf("model %s (from %s): %w", name, from, err)
	}
	ws, ok, err := md.Weights()
	if err != nil {
		return nil, fmt.Errorf("model %s: safetensors headers: %w", name, err)
	}
	if !ok {
		ws = nil
	}
	return &loaded{input: plan.Input{Name: name, Facts: f, Weights: plan.WeightsFromEstimate(f, model.EstimateParams(f), ws), Files: repoFiles(md)}, from: from, task: task}, nil
}

// loadGPUs resolves --gpu ids in the catalog (the default when none), reporting every unknown id at once.
func loadGPUs(catalogPath string, ids []string, all bool) (*gpu.Catalog, []gpu.GPU, error) {
	c, err := gpu.Load(catalogPath)
	if err != nil {
		return nil, nil, err
	}
	if len(ids) == 0 {
		if all {
			return c, c.All(), nil
		}
		ids = []string{DefaultGPU}
	}
	var out []gpu.GPU
	var bad []string
	seen := map[string]bool{}
	for _, id := range ids {
		g, err := c.Get(id)
		if err != nil {
			bad = append(bad, fmt.Sprintf("%q", id))
			continue
		}
		if !seen[g.ID] {
			seen[g.ID] = true
			out = append(out, g)
		}
	}
	if len(bad) > 0 {
		return nil, nil, usageErr("unknown GPU type %s; allowed: %s (chartgen gpus lists them; --gpu-catalog FILE replaces the catalog)", strings.Join(bad, ", "), strings.Join(c.IDs(), ", "))
	}
	return c, out, nil
}

// repoFiles is the repository's file list when the source lists the repository (the Hub, a local directory), nil
// otherwise: the embedded catalog and a single config file know only the config.
func repoFiles(md *source.Metadata) []string {
	if md.Source == "hub" || md.Source == "dir" {
		return md.Files
	}
	return nil
}
