package tests

// The speculative decoding and LoRA refusals are written twice: in the chart (templates/_validate.tpl,
// validateSpeculative and validateLora, templates/_download.tpl validateDownload for a draft model the download mode
// cannot serve, and the JSON Schema) and in chartgen (its flag checks and the planner's checkSpeculative /
// checkDownloadSources / checkLoRA). Nothing else ties the two (the review's table 2.5, rows 9-11). TestRefusals renders
// each combination through the chart and runs it through chartgen's command line, and asserts that both refuse it,
// each naming the key or flag; its positive rows are nearby combinations both accept (chartgen's values then render
// too). Both sides are driven through their public entry points only: render.Chart and cli.Run.
//
// Rules only one side enforces (findings for the lead; not tested as pairs here):
//
// Chart only:
//   - speculative.numSpeculativeTokens is required with a method: chartgen never leaves it out (it plans
//     DefaultSpecTokens when --num-speculative-tokens is not given), so this is consistent by construction.
//   - speculative.draftRevision, vllm.speculativeDraftTensorParallelSize, sglang.speculativeEagleTopk and
//     sglang.speculativeNumDraftTokens set without a method; speculative.draftRevision without a draftModel;
//     vllm.speculativeDraftTensorParallelSize not 1 or the TP; sglang.speculativeEagleTopk with ngram: chartgen has
//     no flag for these keys (it plans the draft at the target's TP and writes none of them).
//   - lora.maxLoras / maxRank / maxCpuLoras / targetModules set while no adapter is served: chartgen's LoRA flags
//     always write lora.runtimeUpdates: true, so it cannot write this.
//   - lora.adapters.<name> equal to a base model name: chartgen has no adapter names.
//   - lora.targetModules under vLLM, and SGLang's lora.runtimeUpdates without adapters nor targetModules: chartgen
//     has no --lora-target-modules flag and writes targetModules: [all] for SGLang only.
//   - lora.adapters.<name> given as a Hugging Face id with storage.download.mode sharedCache (templates/_download.tpl
//     validateDownload): chartgen writes no adapters (they are loaded at run time). The draft model's half of the
//     rule is a row below.
//
// chartgen only (the chart does not read the model's config):
//   - mtp on a model that ships no MTP layers, or whose architecture the engine has no MTP drafter for.
//   - mtp with more speculative tokens than MTP layers and not a multiple of them.
//   - method draft with a draft model of another vocabulary size.
//
// Wording: where chartgen's message names the combination but not the flag (ngram or mtp with a draft model, pipeline
// parallelism, an embedding model), the row asserts the words it does use. The chart names the key in its own
// messages and the JSON path (e.g. '/lora/maxRank') in the schema's.

import (
	"bytes"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/llm-charts/llm-charts/internal/cli"
	"github.com/llm-charts/llm-charts/internal/render"
)

// refusalBase is the values every chart fragment is merged onto: one vLLM group that renders as it is.
const refusalBase = `
model: {name: Qwen/Qwen3-8B}
storage: {size: 20Gi}
resourceGroups:
  - resources: {memory: {requestGiB: 12, limitGiB: 20}}
`

// refusal is one rule seen from both sides.
type refusal struct {
	name string
	// values is a values fragment merged onto refusalBase (maps merge, other values replace).
	values string
	// chart is a stable part of the chart's render error naming the key ("" in a positive row).
	chart string
	// args is the chartgen command line (without the program name).
	args []string
	// chartgen is a stable part of chartgen's error ("" in a positive row).
	chartgen string
}

// chartgenValues is `chartgen values` for a model on one GPU type, offline (embedded catalog models only).
func chartgenValues(model, gpu string, flags ...string) []string {
	return append([]string{"values", "--model", model, "--gpu", gpu}, flags...)
}

func qwen8(flags ...string) []string { return chartgenValues("Qwen/Qwen3-8B", "h100-80gb", flags...) }

var refusals = []refusal{
	// The engine release: the chart's image.version and chartgen's --engine-version take a release only.
	{
		name:     "engine version that is a build tag",
		values:   `image: {version: v0.19.0-cu130}`,
		chart:    `image.version "v0.19.0-cu130" is not a release: give vMAJOR.MINOR.PATCH`,
		args:     qwen8("--engine-version", "v0.19.0-cu130"),
		chartgen: `--engine-version: "v0.19.0-cu130" is not a release: give vMAJOR.MINOR.PATCH`,
	},
	{
		name:     "engine version latest",
		values:   `image: {version: latest}`,
		chart:    `image.version "latest" is not a release`,
		args:     qwen8("--engine-version", "latest"),
		chartgen: `"latest" is not a release`,
	},
	// Speculative decoding.
	{
		name:     "speculative tokens without a method",
		values:   `speculative: {numSpeculativeTokens: 3}`,
		chart:    "speculative.numSpeculativeTokens is set but speculative.method is empty",
		args:     qwen8("--num-speculative-tokens", "3"),
		chartgen: "--num-speculative-tokens and --draft-model need --speculative",
	},
	{
		name:     "draft model without a method",
		values:   `speculative: {draftModel: Qwen/Qwen3-8B}`,
		chart:    "speculative.draftModel is set but speculative.method is empty",
		args:     qwen8("--draft-model", "Qwen/Qwen3-8B"),
		chartgen: "--draft-model need --speculative",
	},
	{
		name:     "unknown method",
		values:   `speculative: {method: medusa, numSpeculativeTokens: 3}`,
		chart:    "at '/speculative/method': value must be one of",
		args:     qwen8("--speculative-method", "medusa"),
		chartgen: `--speculative-method "medusa" is not one of`,
	},
	{
		name:     "speculative tokens not positive",
		values:   `speculative: {method: ngram, numSpeculativeTokens: -1}`,
		chart:    "at '/speculative/numSpeculativeTokens': minimum",
		args:     qwen8("--speculative-method", "ngram", "--num-speculative-tokens", "-1"),
		chartgen: "--num-speculative-tokens -1 must be positive",
	},
	{
		name:     "eagle without a draft model",
		values:   `speculative: {method: eagle, numSpeculativeTokens: 3}`,
		chart:    "speculative.draftModel is required with speculative.method eagle:",
		args:     qwen8("--speculative-method", "eagle"),
		chartgen: "method eagle needs a draft model (--draft-model)",
	},
	{
		name:     "eagle3 without a draft model",
		values:   `speculative: {method: eagle3, numSpeculativeTokens: 3}`,
		chart:    "speculative.draftModel is required with speculative.method eagle3",
		args:     qwen8("--speculative-method", "eagle3"),
		chartgen: "method eagle3 needs a draft model (--draft-model)",
	},
	{
		name:     "draft without a draft model",
		values:   `speculative: {method: draft, numSpeculativeTokens: 3}`,
		chart:    "speculative.draftModel is required with speculative.method draft",
		args:     qwen8("--speculative-method", "draft"),
		chartgen: "method draft needs a draft model (--draft-model)",
	},
	{
		name:     "ngram with a draft model",
		values:   `speculative: {method: ngram, numSpeculativeTokens: 3, draftModel: Qwen/Qwen3-8B}`,
		chart:    `speculative.draftModel "Qwen/Qwen3-8B" is refused with speculative.method ngram`,
		args:     qwen8("--speculative-method", "ngram", "--draft-model", "Qwen/Qwen3-8B"),
		chartgen: "method ngram looks tokens up in the prompt; it takes no draft model",
	},
	{
		// A model whose MTP layers the engine runs, so that chartgen reaches the draft model check.
		name: "mtp with a draft model",
		values: `
model: {name: zai-org/GLM-5-FP8}
speculative: {method: mtp, numSpeculativeTokens: 1, draftModel: Qwen/Qwen3-8B}`,
		chart:    `speculative.draftModel "Qwen/Qwen3-8B" is refused with speculative.method mtp`,
		args:     chartgenValues("zai-org/GLM-5-FP8", "h200", "--speculative-method", "mtp", "--draft-model", "Qwen/Qwen3-8B"),
		chartgen: "method mtp drafts with the model's own layers; a draft model goes with eagle, eagle3 or draft",
	},
	{
		name: "pipeline parallelism",
		values: `
serving: {tensorParallelSize: 1, pipelineParallelSize: 2}
speculative: {method: ngram, numSpeculativeTokens: 3}`,
		chart:    "speculative.method ngram with serving.pipelineParallelSize 2",
		args:     qwen8("--tp", "1", "--pp", "2", "--speculative-method", "ngram"),
		chartgen: "speculative decoding (ngram) does not run with pipeline parallelism (PP 2)",
	},
	{
		name: "draft model from the Hub with the shared cache",
		values: `
model: {name: Qwen/Qwen3-32B}
storage: {download: {mode: sharedCache}, sharedCache: {size: 100Gi}}
speculative: {method: draft, numSpeculativeTokens: 3, draftModel: Qwen/Qwen3-8B}`,
		chart:    "speculative.draftModel Qwen/Qwen3-8B is a Hugging Face id, which storage.download.mode sharedCache cannot serve",
		args:     chartgenValues("Qwen/Qwen3-32B", "h100-80gb", "--download", "sharedCache", "--speculative-method", "draft", "--draft-model", "Qwen/Qwen3-8B"),
		chartgen: "--download sharedCache cannot serve the draft model Qwen/Qwen3-8B (--draft-model)",
	},
	{
		name: "embedding model",
		values: `
model: {task: embed}
speculative: {method: ngram, numSpeculativeTokens: 3}`,
		chart:    "speculative.method must be empty for an embedding model (model.task: embed)",
		args:     qwen8("--task", "embed", "--speculative-method", "ngram"),
		chartgen: "an embedding model (task embed) generates none",
	},

	// LoRA.
	{
		name:     "vLLM rank",
		values:   `lora: {runtimeUpdates: true, maxRank: 48}`,
		chart:    "lora.maxRank 48 is not a rank vLLM takes",
		args:     qwen8("--lora-rank", "48"),
		chartgen: "--lora-rank 48 is not a rank vLLM takes",
	},
	{
		name:     "vLLM CPU adapters below the GPU slots",
		values:   `lora: {runtimeUpdates: true, maxLoras: 4, maxCpuLoras: 2}`,
		chart:    "lora.maxCpuLoras 2 is below lora.maxLoras 4",
		args:     qwen8("--max-loras", "4", "--max-cpu-loras", "2"),
		chartgen: "--max-cpu-loras 2 is below --max-loras 4",
	},
	{
		name: "SGLang CPU adapters",
		values: `
engine: sglang
lora: {runtimeUpdates: true, targetModules: [all], maxLoras: 2, maxCpuLoras: 4}`,
		chart:    "lora.maxCpuLoras is a vLLM option (--max-cpu-loras); SGLang has none",
		args:     qwen8("--engine", "sglang", "--max-loras", "2", "--max-cpu-loras", "4"),
		chartgen: "--max-cpu-loras: LoRA adapter slots in CPU memory (max_cpu_loras) are a vLLM option; SGLang has none",
	},
	{
		name: "SGLang LoRA with a draft model",
		values: `
engine: sglang
model: {name: Qwen/Qwen3-32B}
lora: {runtimeUpdates: true, targetModules: [all], maxLoras: 2}
speculative: {method: draft, numSpeculativeTokens: 3, draftModel: Qwen/Qwen3-8B}`,
		chart:    "lora with speculative.method draft: SGLang runs LoRA only with NGRAM speculative decoding",
		args:     chartgenValues("Qwen/Qwen3-32B", "h100-80gb", "--engine", "sglang", "--max-loras", "2", "--speculative-method", "draft", "--draft-model", "Qwen/Qwen3-8B"),
		chartgen: "runs LoRA only with n-gram speculative decoding (server_args.py), not draft: use --speculative-method ngram",
	},
	{
		name: "SGLang LoRA with MTP",
		values: `
engine: sglang
model: {name: zai-org/GLM-5-FP8}
lora: {runtimeUpdates: true, targetModules: [all], maxLoras: 2}
speculative: {method: mtp, numSpeculativeTokens: 1}`,
		chart:    "lora with speculative.method mtp: SGLang runs LoRA only with NGRAM speculative decoding",
		args:     chartgenValues("zai-org/GLM-5-FP8", "h200", "--engine", "sglang", "--max-loras", "2", "--speculative-method", "mtp"),
		chartgen: "runs LoRA only with n-gram speculative decoding (server_args.py), not mtp: use --speculative-method ngram",
	},
	{
		name: "LoRA on an embedding model",
		values: `
model: {task: embed}
lora: {runtimeUpdates: true, maxLoras: 2}`,
		chart:    "lora must be empty for an embedding model (model.task: embed)",
		args:     qwen8("--task", "embed", "--max-loras", "2"),
		chartgen: "LoRA adapters are served for generation only; an embedding model (task embed) takes none",
	},
	{
		name:     "GPU slots not positive",
		values:   `lora: {runtimeUpdates: true, maxLoras: -1}`,
		chart:    "at '/lora/maxLoras': minimum",
		args:     qwen8("--max-loras", "-1"),
		chartgen: "--max-loras -1 must be positive",
	},
	{
		name:     "rank not positive",
		values:   `lora: {runtimeUpdates: true, maxRank: -1}`,
		chart:    "at '/lora/maxRank': minimum",
		args:     qwen8("--lora-rank", "-1"),
		chartgen: "--lora-rank -1 must be positive",
	},
	{
		name:     "CPU adapters not positive",
		values:   `lora: {runtimeUpdates: true, maxCpuLoras: -1}`,
		chart:    "at '/lora/maxCpuLoras': minimum",
		args:     qwen8("--max-cpu-loras", "-1"),
		chartgen: "--max-cpu-loras -1 must be positive",
	},

	// Positive controls: next to the refusals above, and accepted by both.
	{
		name:   "accepted: vLLM ngram",
		values: `speculative: {method: ngram, numSpeculativeTokens: 3}`,
		args:   qwen8("--speculative-method", "ngram", "--num-speculative-tokens", "3"),
	},
	{
		name: "accepted: ngram at TP 2 without pipeline stages",
		values: `
serving: {tensorParallelSize: 2, pipelineParallelSize: 1}
speculative: {method: ngram, numSpeculativeTokens: 3}`,
		args: qwen8("--tp", "2", "--pp", "1", "--speculative-method", "ngram"),
	},
	{
		name: "accepted: draft with a draft model",
		values: `
model: {name: Qwen/Qwen3-32B}
speculative: {method: draft, numSpeculativeTokens: 3, draftModel: Qwen/Qwen3-8B}`,
		args: chartgenValues("Qwen/Qwen3-32B", "h100-80gb", "--speculative-method", "draft", "--draft-model", "Qwen/Qwen3-8B"),
	},
	{
		name: "accepted: draft model from the Hub with the init container download",
		values: `
model: {name: Qwen/Qwen3-32B}
storage: {download: {mode: initContainer}}
speculative: {method: draft, numSpeculativeTokens: 3, draftModel: Qwen/Qwen3-8B}`,
		args: chartgenValues("Qwen/Qwen3-32B", "h100-80gb", "--download", "initContainer", "--speculative-method", "draft", "--draft-model", "Qwen/Qwen3-8B"),
	},
	{
		name: "accepted: ngram with the shared cache",
		values: `
storage: {download: {mode: sharedCache}, sharedCache: {size: 100Gi}}
speculative: {method: ngram, numSpeculativeTokens: 3}`,
		args: qwen8("--download", "sharedCache", "--speculative-method", "ngram"),
	},
	{
		name:   "accepted: vLLM rank and CPU adapters equal to the GPU slots",
		values: `lora: {runtimeUpdates: true, maxLoras: 4, maxRank: 64, maxCpuLoras: 4}`,
		args:   qwen8("--max-loras", "4", "--lora-rank", "64", "--max-cpu-loras", "4"),
	},
	{
		// SGLang takes any rank (it infers it from the adapters) and runs LoRA with n-gram.
		name: "accepted: SGLang LoRA with ngram at a rank vLLM refuses",
		values: `
engine: sglang
lora: {runtimeUpdates: true, targetModules: [all], maxLoras: 2, maxRank: 48}
speculative: {method: ngram, numSpeculativeTokens: 3}`,
		args: qwen8("--engine", "sglang", "--max-loras", "2", "--lora-rank", "48", "--speculative-method", "ngram"),
	},
}

// mergeValues merges src into dst: maps merge key by key, any other value replaces.
func mergeValues(dst, src map[string]any) map[string]any {
	out := maps.Clone(dst)
	for k, v := range src {
		if sm, ok := v.(map[string]any); ok {
			if dm, ok := out[k].(map[string]any); ok {
				out[k] = mergeValues(dm, sm)
				continue
			}
		}
		out[k] = v
	}
	return out
}

// renderRefusal renders refusalBase with the fragment through the chart.
func renderRefusal(t *testing.T, fragment string) error {
	t.Helper()
	base, err := render.ReadValues([]byte(refusalBase))
	if err != nil {
		t.Fatal(err)
	}
	frag, err := render.ReadValues([]byte(fragment))
	if err != nil {
		t.Fatalf("values fragment: %v", err)
	}
	_, err = render.Chart(LoadChart(t, "llm-model"), mergeValues(base, frag), render.Options{ReleaseName: "refusal", Namespace: "llm"})
	return err
}

// runChartgen runs chartgen with args and returns its standard output and error.
func runChartgen(args []string) (string, error) {
	var out, errOut bytes.Buffer
	err := cli.Run(slices.Clone(args), cli.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut})
	return out.String(), err
}

func TestRefusals(t *testing.T) {
	// The models are in the embedded catalog; a Hub lookup would be a test bug, so it fails instead of going out.
	t.Setenv("HF_HUB_OFFLINE", "1")
	seen := map[string]bool{}
	for _, r := range refusals {
		t.Run(r.name, func(t *testing.T) {
			if seen[r.name] {
				t.Fatalf("two rows named %q", r.name)
			}
			seen[r.name] = true
			if (r.chart == "") != (r.chartgen == "") {
				t.Fatalf("a row refuses on both sides or on neither (chart %q, chartgen %q)", r.chart, r.chartgen)
			}
			chartErr := renderRefusal(t, r.values)
			out, cliErr := runChartgen(r.args)
			cmd := "chartgen " + strings.Join(r.args, " ")
			if r.chart == "" {
				checkAccepted(t, chartErr, cmd, out, cliErr)
				return
			}
			if chartErr == nil {
				t.Errorf("the chart renders %s, but it must refuse it with %q", r.values, r.chart)
			} else if !strings.Contains(chartErr.Error(), r.chart) {
				t.Errorf("the chart refuses %s, but not with %q:\n%v", r.values, r.chart, chartErr)
			}
			if code := cli.ExitCode(cliErr); code == 0 {
				t.Errorf("%s exits 0, but it must refuse with %q", cmd, r.chartgen)
			} else if !strings.Contains(cliErr.Error(), r.chartgen) {
				t.Errorf("%s refuses (exit %d), but not with %q:\n%v", cmd, code, r.chartgen, cliErr)
			}
		})
	}
}

// checkAccepted asserts that the chart renders a positive row's fragment, and that chartgen accepts its command line
// and writes values the chart renders.
func checkAccepted(t *testing.T, chartErr error, cmd, out string, cliErr error) {
	t.Helper()
	if chartErr != nil {
		t.Errorf("the chart must render the positive control: %v", chartErr)
	}
	if cliErr != nil {
		t.Fatalf("%s must succeed (exit %d): %v", cmd, cli.ExitCode(cliErr), cliErr)
	}
	vals, err := render.ReadValues([]byte(out))
	if err != nil {
		t.Fatalf("%s wrote values that do not parse: %v", cmd, err)
	}
	if _, err := render.Chart(LoadChart(t, "llm-model"), vals, render.Options{ReleaseName: "refusal", Namespace: "llm"}); err != nil {
		t.Errorf("the chart refuses the values of %s: %v", cmd, err)
	}
}
