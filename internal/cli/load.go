package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
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
	hubFlags
}

// hubSource builds the Hub client (overridden in tests).
var hubSource = hubFromEnv

// hubFromEnv is the Hub client the environment configures (HF_ENDPOINT, HF_TOKEN, HF_HOME, HF_HUB_CACHE ...).
func hubFromEnv() source.Source {
	h, err := source.NewHubFromEnv(os.Getenv)
	if err != nil {
		return failedSource{err}
	}
	return h
}

// failedSource is a Hub client that could not be configured (a bad HF_HUB_* variable).
type failedSource struct{ err error }

func (f failedSource) Load(context.Context, string) (*source.Metadata, error) { return nil, f.err }

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

// loadModel resolves the model source: --model-dir, --config, the embedded catalog, else the Hugging Face Hub (or,
// with HF_HUB_OFFLINE=1, the Hugging Face cache). Progress, -v and warnings go to errOut.
func loadModel(ctx context.Context, mf modelFlags, errOut io.Writer) (*loaded, error) {
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
		md, err = loadHub(ctx, mf, errOut)
		from = "the Hugging Face Hub"
		if md != nil && md.Source == "hf-cache" {
			from = "the Hugging Face cache"
		}
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
	for _, w := range md.Warnings() {
		fmt.Fprintf(errOut, "warning: model %s: %s\n", name, w)
	}
	if !ok {
		ws = nil
	}
	return &loaded{input: plan.Input{Name: name, Facts: f, Weights: plan.WeightsFromEstimate(f, model.EstimateParams(f), ws), Files: repoFiles(md)}, from: from, task: task}, nil
}

// loadHub reads a model from the Hub with the --hub-* flags, within --hub-timeout, cancelled by Ctrl-C (ctx).
func loadHub(ctx context.Context, mf modelFlags, errOut io.Writer) (*source.Metadata, error) {
	src := hubSource()
	if h, ok := src.(*source.Hub); ok {
		mf.hubFlags.configure(h, errOut)
	}
	timeout := mf.timeout
	if timeout <= 0 {
		timeout = defaultHubTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	md, err := src.Load(ctx, mf.model)
	switch {
	case err == nil:
		return md, nil
	case errors.Is(err, context.DeadlineExceeded):
		return nil, fmt.Errorf("%w: --hub-timeout %s ran out (raise it, or check the network with -v)", err, timeout)
	case errors.Is(err, context.Canceled):
		return nil, fmt.Errorf("interrupted: %w", err)
	}
	return nil, err
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
