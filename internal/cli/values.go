package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/llm-charts/llm-charts/internal/gpu"
	"github.com/llm-charts/llm-charts/internal/plan"
	"github.com/llm-charts/llm-charts/internal/values"
	"github.com/llm-charts/llm-charts/schema"
)

// planFlags are shared by values and explain.
type planFlags struct {
	modelFlags
	gpus       stringList
	engine     string
	context    int
	kvDType    string
	util       float64
	gpuCatalog string
}

func (f *planFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.model, "model", "", "Hugging Face model id, e.g. MiniMaxAI/MiniMax-M2.5 (the embedded catalog first, then the Hub)")
	fs.Var(&f.gpus, "gpu", "GPU type id from the catalog (repeatable, or comma-separated); one resource group each")
	fs.StringVar(&f.engine, "engine", "vllm", "serving engine: vllm or sglang")
	fs.IntVar(&f.context, "context", 0, "max_model_len to plan for (default: the model's full context)")
	fs.StringVar(&f.kvDType, "kv-cache-dtype", "", "--kv-cache-dtype: auto, bfloat16, float16, fp8, fp8_e4m3, fp8_e5m2 (default auto; with sglang: auto, bfloat16, fp8, fp8_e4m3, fp8_e5m2)")
	fs.Float64Var(&f.util, "gpu-memory-utilization", 0, "override the computed --gpu-memory-utilization (0-1)")
	fs.StringVar(&f.task, "task", "", "generate or embed (default: detected from the model)")
	fs.StringVar(&f.config, "config", "", "plan from this config.json instead of looking the model up")
	fs.StringVar(&f.modelDir, "model-dir", "", "plan from this local model directory (config.json + safetensors headers)")
	fs.StringVar(&f.gpuCatalog, "gpu-catalog", "", "GPU catalog file replacing the embedded one")
}

func (f *planFlags) check() error {
	var errs []string
	switch f.engine {
	case plan.EngineVLLM:
	case plan.EngineSGLang:
		if err := plan.SGLangKVDType(f.kvDType); err != nil {
			errs = append(errs, "--"+err.Error())
		}
	default:
		errs = append(errs, fmt.Sprintf("--engine %q is not supported; allowed: %s", f.engine, strings.Join(plan.Engines, ", ")))
	}
	if f.context < 0 {
		errs = append(errs, fmt.Sprintf("--context %d must be positive", f.context))
	}
	if f.util < 0 || f.util > 1 {
		errs = append(errs, fmt.Sprintf("--gpu-memory-utilization %g must be between 0 and 1", f.util))
	}
	if _, err := parseTask(f.task); err != nil {
		errs = append(errs, err.Error())
	}
	if len(errs) > 0 {
		return usageErr("%s", strings.Join(errs, "; "))
	}
	return nil
}

func (f *planFlags) options() plan.Options {
	t, _ := parseTask(f.task)
	return plan.Options{Engine: f.engine, Context: f.context, KVCacheDType: f.kvDType, GPUMemoryUtilization: f.util, Task: t}
}

// plan loads the model and GPUs and plans each GPU type.
func (f *planFlags) plan(all bool) (*loaded, *gpu.Catalog, []*plan.Plan, error) {
	if err := f.check(); err != nil {
		return nil, nil, nil, err
	}
	cat, gpus, err := loadGPUs(f.gpuCatalog, f.gpus, all)
	if err != nil {
		return nil, nil, nil, err
	}
	m, err := loadModel(context.Background(), f.modelFlags)
	if err != nil {
		return nil, nil, nil, err
	}
	plans, err := plan.All(m.input, gpus, f.options())
	if err != nil {
		return nil, nil, nil, err
	}
	return m, cat, plans, nil
}

func runValues(args []string, s IOStreams) error {
	fs := flag.NewFlagSet("values", flag.ContinueOnError)
	var pf planFlags
	pf.register(fs)
	var out string
	fs.StringVar(&out, "o", "", "write the values to FILE (atomically) instead of standard output")
	fs.StringVar(&out, "output", "", "same as -o")
	if err := parse(fs, args, s, "chartgen values --model ID [--gpu TYPE]... [--engine vllm|sglang] [--context N] [--kv-cache-dtype D] [--task generate|embed] [--config FILE | --model-dir DIR] [--gpu-catalog FILE] [-o FILE]"); err != nil {
		if errors.Is(err, errHelp) {
			return nil
		}
		return err
	}
	if pf.model == "" {
		return usageErr("chartgen values: --model is required: the Hugging Face id the engine loads, e.g. MiniMaxAI/MiniMax-M2.5 (chartgen models lists the embedded ones)")
	}
	m, cat, plans, err := pf.plan(false)
	if err != nil {
		return err
	}
	if err := requirePlans(m.input, plans, cat, pf.options()); err != nil {
		return err
	}
	v, header, comments := buildValues(m.input, plans, pf.options(), cmdline("values", args))
	if err := schema.Validate(schema.LLMModel, v); err != nil {
		return fmt.Errorf("the generated values do not validate (a chartgen bug; please report it): %w", err)
	}
	data, err := values.MarshalWithComments(v, header, comments)
	if err != nil {
		return fmt.Errorf("writing the values: %w", err)
	}
	for _, w := range warnings(plans) {
		fmt.Fprintf(s.ErrOut, "warning: %s\n", w)
	}
	if out == "" || out == "-" {
		_, err := s.Out.Write(data)
		return err
	}
	return writeFileAtomic(out, data)
}

// requirePlans refuses GPU types where the model has no plan at all, naming the GPU types that hold it. Multi-node
// plans are fine: they become multi-node resource groups.
func requirePlans(in plan.Input, plans []*plan.Plan, cat *gpu.Catalog, o plan.Options) error {
	var msgs []string
	for _, p := range plans {
		if p.NotFit != "" {
			msgs = append(msgs, fmt.Sprintf("%s on %s: %s", in.Name, p.GPU, p.NotFit))
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	var fit []string
	if all, err := plan.All(in, cat.All(), o); err == nil {
		for _, p := range all {
			switch {
			case p.Fits:
				fit = append(fit, fmt.Sprintf("%s (%d GPUs)", p.GPU, p.GPUs))
			case p.MultiNode:
				fit = append(fit, fmt.Sprintf("%s (%d pods × %d GPUs)", p.GPU, p.Nodes, p.GPUsPerPod))
			}
		}
	}
	hint := "no GPU type in the catalog holds it, even across " + fmt.Sprint(plan.DefaultMaxNodes) + " nodes"
	if len(fit) > 0 {
		hint = "GPU types that hold it: " + strings.Join(fit, ", ") + "; pass one with --gpu"
	}
	return fmt.Errorf("%s\n%s", strings.Join(msgs, "\n"), hint)
}

// cmdline is the command as typed, without the output file (which does not change the values).
func cmdline(cmd string, args []string) string {
	out := []string{"chartgen", cmd}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-o" || a == "--o" || a == "-output" || a == "--output":
			i++
			continue
		case strings.HasPrefix(a, "-o=") || strings.HasPrefix(a, "--o=") || strings.HasPrefix(a, "-output=") || strings.HasPrefix(a, "--output="):
			continue
		}
		out = append(out, a)
	}
	return strings.Join(out, " ")
}

// writeFileAtomic writes data to a temporary file in the target's directory and renames it over the target, so the
// target is either the old file or the whole new one, never a partial write.
func writeFileAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
