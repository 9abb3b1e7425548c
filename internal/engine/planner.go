package engine

import "github.com/llm-charts/llm-charts/internal/model"

// Planner is what chartgen's planner (internal/plan) asks an engine: its release type and default release, KV
// cache dtype rule, memory budget terms and utilization semantics, the layouts it can run, parsers, serving
// defaults and supported features. Implemented in vllm_plan.go and sglang_plan.go; the types it speaks (Budget,
// Candidate, Parsers, Serving, Feature) live in this package so that the engine sits below the planner.
type Planner interface {
	// Version is the release the plan's memory terms follow for image.version s ("" = the default release).
	Version(s string) (Version, error)
	// CheckKVDType refuses a --kv-cache-dtype the engine has no equivalent for (before anything is planned).
	CheckKVDType(asked string) error
	// KVDType resolves the KV cache dtype, with the engine's own reason.
	KVDType(f *model.Facts, asked string) (model.KVDType, error)

	// Budget splits one GPU of a layout term by term; the fraction is in.Util, or the engine's choice when 0.
	Budget(in BudgetInput) *Budget
	// NotFitWords is the fraction a "does not fit" message quotes, and advice to add to it.
	NotFitWords(in BudgetInput) (float64, string)
	// UtilizationWords explains the plan's fraction (asked: it was given) and warns about it ("" = nothing).
	UtilizationWords(b *Budget, asked bool, visibleWhy string) (reason, warning string)

	// Layouts lists the layouts of n GPUs in pods of perPod GPUs (pods = n / perPod), best first.
	Layouts(f *model.Facts, n, perPod, pods int) []Candidate
	// ChooseDPAttention decides attention data parallelism for the chosen layout (fits says whether a variant
	// still holds one full context); the reason is "" when there is nothing to say.
	ChooseDPAttention(f *model.Facts, c Candidate, task model.Task, fits func(Candidate) bool) (Candidate, string)
	// KVNote is added to the KV capacity's reason ("" = nothing).
	KVNote(f *model.Facts, c Candidate) string

	// Parsers are the engine's tool-call and reasoning parsers for a model.
	Parsers(f *model.Facts, name string, task model.Task) Parsers
	// Batched is the max-num-batched-tokens (or prefill chunk) decision, fits saying whether one full context
	// holds with a value.
	Batched(task model.Task, ctx int, vram int64, fits func(mnbt int) bool) Batched
	// Serving is the engine's serving defaults.
	Serving(in ServingInput) Serving
	// MultimodalWhy explains the multimodal processor cache the chart sizes ("" = none).
	MultimodalWhy() string

	// LoRA is the engine's adapter-slot defaults and wording; CheckLoRA refuses what the engine refuses.
	LoRA() LoRARules
	CheckLoRA(maxLoras, rank, cpuLoras int, specMethod string) error
	// SpecReserve is a fixed reserve the engine adds for speculative decoding by method (0 = none).
	SpecReserve(method string) int64

	// Supports says whether the engine runs a feature; the error says why not.
	Supports(f Feature) error
}
