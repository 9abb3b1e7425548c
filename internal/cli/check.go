package cli

import (
	"context"
	"fmt"
	"math"
	"os"
	"strings"

	"github.com/llm-charts/llm-charts/internal/engine"
	"github.com/llm-charts/llm-charts/internal/enginelog"
	"github.com/llm-charts/llm-charts/internal/gpu"
	"github.com/llm-charts/llm-charts/internal/plan"
	"github.com/spf13/cobra"
)

// checkFlags are chartgen check's: the model and GPU the log comes from, and the settings the log may not show.
type checkFlags struct {
	modelFlags
	deploymentFlags
	gpuID, gpuCatalog, engine, kvDType string
	util                               float64
	context                            int
}

func newCheckCmd(a *app) *cobra.Command {
	var f checkFlags
	var format string
	cmd := &cobra.Command{
		Use:   "check LOG [--model ID] [--gpu TYPE] [flags]",
		Short: "read a vLLM or SGLang start-up log and print chartgen's prediction against it, term by term, with advice",
		Long: `Reads a vLLM or SGLang start-up log (LOG, or - for standard input): the settings it shows (engine release,
tensor/pipeline parallel sizes, utilization, max_model_len, max_num_seqs ...), the memory it logs per GPU (weights,
activation, non-torch memory, CUDA graphs, the KV cache in GiB and tokens) and whether start-up failed for lack of
memory. chartgen plans the same deployment and prints predicted against logged for each term, whether it holds, and
what to change (utilization, max-num-seqs, context) when it does not. Flags give what the log leaves out; engine
defaults fill the rest and the output says which.`,
		Example: `  chartgen check vllm.log --model openai/gpt-oss-120b --gpu h100-80gb
  kubectl logs qwen-0 | chartgen check - --model Qwen/Qwen3-32B --gpu a100-80gb --tp 2
  chartgen check sglang.log --model Qwen/Qwen3-235B-A22B-FP8 --gpu h100-80gb --tp 4 --gpu-memory-utilization 0.93 -o json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageErr("%s: one LOG file is required (- reads standard input); run %s --help", cmd.CommandPath(), cmd.CommandPath())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheck(cmd.Context(), &f, args[0], format, a.streams)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&f.model, "model", "", "the model the log is of, a Hugging Face `ID` (default: the one the log names, when the catalog or the Hub knows it)")
	fs.StringVar(&f.config, "config", "", "plan from this config.json `FILE`")
	fs.StringVar(&f.modelDir, "model-dir", "", "plan from this local model `DIR`")
	fs.StringVar(&f.gpuID, "gpu", "", "GPU `TYPE` the log comes from (default: the catalog GPU whose CUDA total the log shows)")
	fs.StringVar(&f.gpuCatalog, "gpu-catalog", "", "GPU catalog `FILE` replacing the embedded one")
	fs.StringVar(&f.engine, "engine", "", "`ENGINE` the log is of: "+strings.Join(engine.NameStrings(), " or ")+" (default: as the log shows)")
	fs.Float64Var(&f.util, "gpu-memory-utilization", 0, "the utilization (SGLang: mem-fraction-static) `F` the engine ran with, when the log does not say")
	fs.IntVar(&f.context, "context", 0, "the max_model_len `N` the engine ran with, when the log does not say")
	fs.StringVar(&f.kvDType, "kv-cache-dtype", "", "the --kv-cache-dtype `D` the engine ran with, when the log does not say")
	f.deploymentFlags.register(fs)
	f.hubFlags.register(fs)
	formatFlag(cmd, &format)
	completeTargets(cmd, &f.gpuCatalog)
	return cmd
}

func runCheck(ctx context.Context, f *checkFlags, logName, format string, s IOStreams) error {
	if err := checkFormat(format); err != nil {
		return err
	}
	errs := append(f.deploymentFlags.validate(), f.hubFlags.validate()...)
	if f.util < 0 || f.util > 1 {
		errs = append(errs, fmt.Sprintf("--gpu-memory-utilization %g must be between 0 and 1", f.util))
	}
	if _, err := engine.Lookup(f.engine); err != nil {
		errs = append(errs, fmt.Sprintf("--engine %q is not supported; allowed: %s", f.engine, strings.Join(engine.NameStrings(), ", ")))
	}
	if f.context < 0 {
		errs = append(errs, fmt.Sprintf("--context %d must be positive", f.context))
	}
	if len(errs) > 0 {
		return usageErr("chartgen check: %s", strings.Join(errs, "; "))
	}
	in := s.In
	if logName != "-" {
		file, err := os.Open(logName)
		if err != nil {
			return fmt.Errorf("chartgen check: %w", err)
		}
		defer file.Close()
		in = file
	}
	lf, err := enginelog.Parse(in)
	if err != nil {
		return fmt.Errorf("chartgen check %s: %w", logName, err)
	}
	if f.engine != "" {
		lf.Engine = f.engine
	}
	cat, err := gpu.Load(f.gpuCatalog)
	if err != nil {
		return err
	}
	g, err := checkGPU(cat, f.gpuID, lf)
	if err != nil {
		return err
	}
	mf := f.modelFlags
	if mf.model == "" && mf.config == "" && mf.modelDir == "" {
		if lf.Model == "" {
			return usageErr("chartgen check: the log does not name the model: pass --model ID (or --config / --model-dir)")
		}
		mf.model = lf.Model
	}
	m, err := loadModel(ctx, mf, s.ErrOut)
	if err != nil {
		if f.model == "" {
			return fmt.Errorf("the log's model %q: %w (pass --model with its Hugging Face id, or --config)", lf.Model, err)
		}
		return err
	}
	res, err := checkDeployment(m.input, g, lf, f.deploymentFlags, plan.Options{Engine: f.engine, Context: f.context, KVCacheDType: f.kvDType, GPUMemoryUtilization: f.util})
	if err != nil {
		return err
	}
	return write(s.Out, format, res)
}

// checkGPU is --gpu, or the catalog GPU whose measured CUDA total the log shows.
func checkGPU(cat *gpu.Catalog, id string, lf *enginelog.Facts) (gpu.GPU, error) {
	if id != "" {
		return cat.Get(id)
	}
	if lf.TotalGiB > 0 {
		for _, g := range cat.All() {
			if g.CUDAMiB > 0 && math.Abs(float64(g.CUDAMiB)/1024-lf.TotalGiB) < 0.05 {
				return g, nil
			}
		}
	}
	return gpu.GPU{}, usageErr("chartgen check: --gpu is required (the log shows no CUDA total the catalog knows); allowed: %s", strings.Join(cat.IDs(), ", "))
}
