package engine

import (
	"slices"
	"strings"
)

// Describer is what chartgen's commands (internal/cli) ask an engine: the wording of the comments the values
// writer puts beside each planned number, where that wording differs by engine, and the engine's side of the
// command-line checks and of chartgen check's defaults. Implemented in vllm_describe.go and sglang_describe.go.
// Which values key holds a setting is not asked here: it is the spec's (RendersKey).
type Describer interface {
	// EngineComment is the comment above `engine:` in a values file that names this engine (the default engine's
	// values leave the key out). It spells the serving block's mapping to the engine's flags, which the spec rows
	// (specs/<name>.yaml) hold as data.
	EngineComment() string
	// MemoryModelNote is the values header's two lines (each ending in a newline) on the memory model the plan
	// assumes.
	MemoryModelNote() string
	// LayoutNote is the values header's words for one instance's layout.
	LayoutNote(l LayoutWords) string
	// UtilizationLabel starts the comment on serving.gpuMemoryUtilization (the engine's name for it).
	UtilizationLabel() string
	// BatchedTokensLabel starts the comment on serving.maxNumBatchedTokens (the engine's name for it).
	BatchedTokensLabel() string
	// ExpertParallelNote is appended to the comment on serving.enableExpertParallel: how the chart passes it at
	// tensor-parallel size tp ("" when it is the flag of the same name).
	ExpertParallelNote(tp int) string
	// PipelineNote says what the chart sets for pipeline stages (PP > 1) of an instance of nodes pods; "" when
	// there is nothing to say.
	PipelineNote(nodes int) string
	// RankFlagsNote names the flags each rank of a multi-node instance starts with.
	RankFlagsNote() string
	// LogDefaults are the engine's defaults for what a start-up log leaves out, on a GPU of gpuMemoryMiB, at a
	// release ("" for the default release).
	LogDefaults(gpuMemoryMiB int64, release string) LogDefaults
	// KVCacheDTypeFlagError is chartgen's refusal of --kv-cache-dtype asked, "" when the engine takes it (for some
	// model: which model takes it is known only once one is loaded).
	KVCacheDTypeFlagError(asked string) string
	// KVCacheDTypeChoices are the --kv-cache-dtype values the chart maps to the engine; nil when it takes the
	// model's own list (the flag help names the others).
	KVCacheDTypeChoices() []string
	// LoRAFlagErrors are chartgen's refusals of --lora-rank rank and --max-cpu-loras maxCPULoras (0: not given).
	LoRAFlagErrors(rank, maxCPULoras int) []string
}

// LayoutWords are the numbers of one instance's layout that the values header names.
type LayoutWords struct {
	TP, PP, DCP, DP int
	DPAttention     bool
}

// LogDefaults are the settings chartgen check takes when a start-up log does not show them.
type LogDefaults struct {
	// MaxNumSeqs and MaxNumBatchedTokens are the server's defaults; 0 when the engine has none chartgen follows
	// (chartgen's own limit then, and batched tokens only when given).
	MaxNumSeqs, MaxNumBatchedTokens int
	// Utilization is the engine's default memory utilization, 0 when the plan computes it.
	Utilization float64
	// VersionFromLog: the memory terms follow the engine release, so the release the log shows is planned.
	VersionFromLog bool
	// TunedUtilization: chartgen check plans the utilization it would choose, to compare with the logged one.
	TunedUtilization bool
}

// RendersKey reports whether the engine's chart renders the values key (or, for a block such as vllm.multimodal,
// a key below it): the spec's rows decide which engine block (vllm.*, sglang.*) a setting is written to and
// whether a setting applies to the engine at all.
func RendersKey(e Engine, key string) bool {
	return slices.ContainsFunc(e.Spec().Keys, func(r KeyRow) bool {
		return r.Key == key || strings.HasPrefix(r.Key, key+".")
	})
}

// servingMapping spells, from the engine's spec rows, which of its flags the engine-neutral serving keys become, in
// the order a reader sizes a deployment: the parallel sizes, the context and memory, the batch limits, the parsers.
func servingMapping(e Engine) string {
	flag := func(key string) string {
		for _, r := range e.Spec().Keys {
			if r.Key == "serving."+key {
				return r.Flag
			}
		}
		return ""
	}
	var parts []string
	for _, k := range []string{"tensorParallelSize", "pipelineParallelSize", "dataParallelSize", "maxModelLen", "gpuMemoryUtilization", "maxNumSeqs", "maxNumBatchedTokens"} {
		parts = append(parts, k+" → "+flag(k))
	}
	parts = append(parts, "the parsers → "+flag("toolCallParser")+" / "+flag("reasoningParser"))
	return strings.Join(parts, ", ")
}

// mappedValues lists, sorted, the values of key the engine's spec row maps to the engine's spelling (SGLang's KV
// cache dtypes).
func mappedValues(e Engine, key string) []string {
	var out []string
	for _, r := range e.Spec().Keys {
		if r.Key == key {
			for v := range r.Map {
				out = append(out, v)
			}
		}
	}
	slices.Sort(out)
	return out
}
