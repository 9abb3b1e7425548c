package cli

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/llm-charts/llm-charts/internal/engine"
	"github.com/llm-charts/llm-charts/internal/gpu"
	"github.com/llm-charts/llm-charts/internal/plan"
	"github.com/llm-charts/llm-charts/internal/values"
	"github.com/llm-charts/llm-charts/schema"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"k8s.io/apimachinery/pkg/util/validation"
)

// planFlags are shared by values and explain.
type planFlags struct {
	modelFlags
	deploymentFlags
	gpus       stringList
	engine     string
	context    int
	kvDType    string
	util       float64
	gpuCatalog string
	objective  string
	download   string
	specFlags
	lora loraFlags
}

func (f *planFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.model, "model", "", "Hugging Face model `ID`, e.g. MiniMaxAI/MiniMax-M2.5 (the embedded catalog first, then the Hub)")
	fs.Var(&f.gpus, "gpu", "GPU `TYPE` from the catalog (repeatable, or comma-separated); one resource group each")
	fs.StringVar(&f.engine, "engine", string(engine.Default().Name()), "serving `ENGINE`: "+strings.Join(engine.NameStrings(), " or "))
	fs.IntVar(&f.context, "context", 0, "max_model_len `N` to plan for (default: the model's full context)")
	fs.StringVar(&f.kvDType, "kv-cache-dtype", "", "--kv-cache-dtype `D`: auto, bfloat16, float16, fp8, fp8_e4m3, fp8_e5m2 ("+kvDTypeDefaults()+")")
	fs.Float64Var(&f.util, "gpu-memory-utilization", 0, "override the computed --gpu-memory-utilization `F` (0-1)")
	fs.StringVar(&f.task, "task", "", "`TASK`: generate or embed (default: detected from the model)")
	fs.StringVar(&f.config, "config", "", "plan from this config.json `FILE` instead of looking the model up")
	fs.StringVar(&f.modelDir, "model-dir", "", "plan from this local model `DIR` (config.json + safetensors headers)")
	fs.StringVar(&f.gpuCatalog, "gpu-catalog", "", "GPU catalog `FILE` replacing the embedded one")
	fs.StringVar(&f.objective, "objective", plan.DefaultObjective, "planning `OBJECTIVE` among the one-pod layouts that fit: "+strings.Join(plan.Objectives, ", ")+" (balanced: the fewest GPUs, or one more for a pod of 1/2/4/8 GPUs or fewer pipeline stages; gpus: the fewest GPUs; latency: the fewest pipeline stages)")
	fs.StringVar(&f.download, "download", plan.DownloadInitContainer, "how the weights reach the pods (storage.download.mode) the disk is sized for: `MODE` "+strings.Join(plan.DownloadModes, ", "))
	f.deploymentFlags.register(fs)
	f.hubFlags.register(fs)
	f.specFlags.register(fs)
	f.lora.register(fs)
}

func (f *planFlags) check() error {
	var errs []string
	// A dtype name no model takes is a bad command line (exit 2); whether a model takes it is known only once it is
	// loaded, so the engine checks it against a model that takes every name it can.
	e, err := engine.Lookup(f.engine)
	if err != nil || f.engine == "" {
		e = nil // "" is refused too: --engine was given empty
		errs = append(errs, fmt.Sprintf("--engine %q is not supported; allowed: %s", f.engine, strings.Join(engine.NameStrings(), ", ")))
	} else if msg := e.KVCacheDTypeFlagError(f.kvDType); msg != "" {
		errs = append(errs, msg)
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
	if err := plan.CheckObjective(f.objective); err != nil {
		errs = append(errs, "--"+err.Error())
	}
	if !slices.Contains(plan.DownloadModes, f.download) {
		errs = append(errs, fmt.Sprintf("--download %q is not a download mode; allowed: %s", f.download, strings.Join(plan.DownloadModes, ", ")))
	}
	errs = append(errs, f.deploymentFlags.validate()...)
	errs = append(errs, f.hubFlags.validate()...)
	errs = append(errs, f.specFlags.validate()...)
	errs = append(errs, f.lora.validate(e)...)
	if len(errs) > 0 {
		return usageErr("%s", strings.Join(errs, "; "))
	}
	return nil
}

func (f *planFlags) options() plan.Options {
	t, _ := parseTask(f.task)
	o := plan.Options{Engine: f.engine, Context: f.context, KVCacheDType: f.kvDType, GPUMemoryUtilization: f.util, Task: t, Objective: f.objective, Download: f.download}
	f.deploymentFlags.apply(&o)
	o.Speculative = f.resolved
	o.LoRA = f.lora.options()
	return o
}

// plan loads the model and GPUs and plans each GPU type; ctx cancels a Hub lookup, errOut shows its progress.
func (f *planFlags) plan(ctx context.Context, all bool, errOut io.Writer) (*loaded, *gpu.Catalog, []*plan.Plan, error) {
	if err := f.check(); err != nil {
		return nil, nil, nil, err
	}
	cat, gpus, err := loadGPUs(f.gpuCatalog, f.gpus, all)
	if err != nil {
		return nil, nil, nil, err
	}
	m, err := loadModel(ctx, f.modelFlags, errOut)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := f.specFlags.resolve(ctx, m.input.Facts, f.engine, f.hubFlags, errOut); err != nil {
		return nil, nil, nil, err
	}
	plans, err := plan.All(m.input, gpus, f.options())
	if err != nil {
		return nil, nil, nil, err
	}
	return m, cat, plans, nil
}

func newValuesCmd(a *app) *cobra.Command {
	var pf planFlags
	var out, multiNodeMode, apiKeySecret string
	cmd := &cobra.Command{
		Use:   "values --model ID [--gpu TYPE]... [flags]",
		Short: "plan a model on GPU types and write an llm-model values file, every number explained",
		Long: `Plans a model on one or more GPU types (one resource group each; a100-80gb when no --gpu) and writes the
llm-model values that deploy it. Every computed number carries a comment that explains it; the values are
validated against schema/llm-model.values.schema.json before anything is written, and -o FILE is written
atomically (a failed run leaves no file and keeps an old one).`,
		Example: `  chartgen values --model MiniMaxAI/MiniMax-M2.5 --gpu a100-80gb -o minimax.yaml
  chartgen values --model Qwen/Qwen3-8B --gpu l4 --gpu v100-32gb --engine sglang
  chartgen values --model Qwen/Qwen3-32B --gpu h100-80gb --tp 2 --max-num-seqs 256   # this layout, or why it does not hold
  chartgen values --model my-org/My-Model --model-dir ./my-model --gpu h200`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runValues(cmd.Context(), &pf, out, multiNodeMode, apiKeySecret, cmdline(cmd.Name(), a.typed(cmd)), a.streams)
		},
	}
	pf.register(cmd.Flags())
	cmd.Flags().StringVarP(&out, "output", "o", "", "write the values to `FILE` (atomically) instead of standard output")
	cmd.Flags().StringVar(&multiNodeMode, "multi-node-mode", values.MultiNodeStatefulSet, "how a multi-node plan runs: `MODE` "+strings.Join(multiNodeModes, " or ")+" (needs the LeaderWorkerSet controller; the chart's multiNode.mode)")
	cmd.Flags().StringVar(&apiKeySecret, "api-key-secret", "", "clients must send the API key held in Secret `NAME[:KEY]` (credentials.apiKey; KEY defaults to apiKey, the key Envoy AI Gateway reads, so one Secret serves both charts)")
	_ = cmd.RegisterFlagCompletionFunc("multi-node-mode", cobra.FixedCompletions(multiNodeModes, cobra.ShellCompDirectiveNoFileComp))
	pf.complete(cmd)
	return cmd
}

// kvDTypeDefaults is the --kv-cache-dtype help's default and each engine's own list, where it has one.
func kvDTypeDefaults() string {
	s := "default auto"
	for _, e := range engine.All() {
		if ch := e.KVCacheDTypeChoices(); ch != nil {
			s += "; with " + string(e.Name()) + ": " + strings.Join(ch, ", ")
		}
	}
	return s
}

// gatewayAPIKeyField is the Secret key Envoy AI Gateway's BackendSecurityPolicy of type APIKey reads (the gateway
// chart's backends.<name>.apiKeySecret; aigateway.envoyproxy.io BackendSecurityPolicy apiKey.secretRef).
const gatewayAPIKeyField = "apiKey"

// parseAPIKeySecret reads --api-key-secret NAME[:KEY]: a Secret name (a DNS-1123 subdomain) and the key in it (a
// Secret data key), KEY apiKey when left out. "" is no API key.
func parseAPIKeySecret(s string) (*values.SecretKey, error) {
	if s == "" {
		return nil, nil
	}
	if kind := values.SecretKind(s); kind != "" {
		return nil, usageErr("--api-key-secret takes the name of the Secret that holds the key, and what was given looks like a credential itself (%s; not printed): create the Secret and give its name, e.g. --api-key-secret my-model-api-key", kind)
	}
	name, key, _ := strings.Cut(s, ":")
	if key == "" {
		key = gatewayAPIKeyField
	}
	if errs := validation.IsDNS1123Subdomain(name); len(errs) > 0 {
		return nil, usageErr("--api-key-secret: %q is not a Secret name (%s); give NAME or NAME:KEY, e.g. --api-key-secret my-model-api-key", name, strings.Join(errs, "; "))
	}
	if errs := validation.IsConfigMapKey(key); len(errs) > 0 {
		return nil, usageErr("--api-key-secret: %q is not a Secret key (%s); give NAME or NAME:KEY, e.g. --api-key-secret my-model-api-key:apiKey", key, strings.Join(errs, "; "))
	}
	return &values.SecretKey{SecretName: name, Key: key}, nil
}

// setAPIKey writes credentials.apiKey and says what serves it: the engine reads the key from a Secret-backed
// variable, and under the key apiKey the same Secret is what the gateway sends upstream.
func setAPIKey(v *values.Model, c values.Comments, e engine.Engine, k *values.SecretKey) {
	if k == nil {
		return
	}
	if v.Credentials == nil {
		v.Credentials = &values.Credentials{}
	}
	v.Credentials.APIKey = k
	why := fmt.Sprintf("API key: clients must send the key in Secret %s, key %s (the engine reads it as %s). ", k.SecretName, k.Key, e.Spec().APIKeyEnv)
	if k.Key == gatewayAPIKeyField {
		why += "Under the key apiKey the same Secret is the one Envoy AI Gateway sends upstream: chartgen gateway reads it from these values and sets backends.<name>.apiKeySecret, no hand edit. "
	} else {
		why += "Envoy AI Gateway sends the key apiKey of a Secret: chartgen gateway will ask for one (or use --api-key-secret " + k.SecretName + ":apiKey). "
	}
	why += fmt.Sprintf("Create it before installing: kubectl create secret generic %s --from-literal=%s=\"$(openssl rand -hex 32)\"", k.SecretName, k.Key)
	c["credentials.apiKey"] = why
}

// multiNodeModes are the values of --multi-node-mode (the chart's multiNode.mode).
var multiNodeModes = []string{values.MultiNodeStatefulSet, values.MultiNodeLeaderWorkerSet}

func runValues(ctx context.Context, pf *planFlags, out, multiNodeMode, apiKeySecret, typed string, s IOStreams) error {
	apiKey, err := parseAPIKeySecret(apiKeySecret)
	if err != nil {
		return err
	}
	if pf.model == "" {
		return usageErr("chartgen values: --model is required: the Hugging Face id the engine loads, e.g. MiniMaxAI/MiniMax-M2.5 (chartgen models lists the embedded ones)")
	}
	if !slices.Contains(multiNodeModes, multiNodeMode) {
		return usageErr("chartgen values: --multi-node-mode %q is not supported; allowed: %s", multiNodeMode, strings.Join(multiNodeModes, ", "))
	}
	m, cat, plans, err := pf.plan(ctx, false, s.ErrOut)
	if err != nil {
		return err
	}
	if pf.given() {
		if err := layoutNotFit(m.input, plans); err != nil {
			return err
		}
	}
	if err := requirePlans(m.input, plans, cat, pf.options()); err != nil {
		return err
	}
	e := engine.MustLookup(pf.engine)
	v, header, comments := buildValues(e, m.input, plans, pf.options(), multiNodeMode, typed)
	setAPIKey(v, comments, e, apiKey)
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
