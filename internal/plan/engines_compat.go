package plan

import "github.com/llm-charts/llm-charts/internal/engine"

// Deprecated forwarding names for callers outside plan (internal/cli, internal/importer, internal/values,
// internal/gatewaygen, cmd) until they use internal/engine's Name, Lookup and NameStrings. Plan itself uses none.
var (
	EngineVLLM   = string(engine.VLLM)
	EngineSGLang = string(engine.SGLang)
	Engines      = engine.NameStrings()
)

// SGLangKVDTypes and SGLangKVDType forward to the SGLang engine's KV dtype table (engine.SGLangKVDTypes,
// Planner.CheckKVDType), for internal/cli.
var SGLangKVDTypes = engine.SGLangKVDTypes

// SGLangKVDType checks a KV cache dtype for SGLang.
func SGLangKVDType(d string) error { return engine.MustLookup(string(engine.SGLang)).CheckKVDType(d) }
