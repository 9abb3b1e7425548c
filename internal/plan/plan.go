// Package plan decides how to serve a model on a GPU type: GPU count, tensor / pipeline / decode-context / data /
// expert parallelism, nodes, context length, gpu-memory-utilization, KV capacity, engine flags, CPU, RAM, disk,
// probes, image build and node affinity, each with the reason for it. Everything here is a pure function of the
// model facts, the GPU catalog entry and the options; the memory model is DESIGN.md's and the sizing rules are the
// operations guide's (constants in memory.go and sizing.go say where each number comes from).
package plan

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/llm-charts/llm-charts/internal/gpu"
	"github.com/llm-charts/llm-charts/internal/model"
)

// DefaultMaxNodes bounds the multi-node search (pods of one pipeline-parallel replica).
const DefaultMaxNodes = 8

// MaxPPPerPod bounds the pipeline stages inside one pod: the guide's examples stop at PP 4 inside a node ("8 GPUs
// using --tensor-parallel-size 2 --pipeline-parallel-size 4") and warn that PP costs VRAM and speed, so a count
// such as 5 or 7 GPUs that only TP 1 × PP 5/7 could use is skipped for the next count TP can share.
const MaxPPPerPod = 4

// Weights is what is known of a model's weights.
type Weights struct {
	// Loaded is the bytes the engine puts on GPUs (main weights, plus the vision tower of a multimodal model; MTP
	// heads are not loaded without speculative decoding).
	Loaded int64
	// OnDisk is the bytes of the checkpoint files the engine downloads (everything shipped).
	OnDisk int64
	// Params is the parameter count (for the API-server and probe rules).
	Params int64
	// Embed is the input embedding, Head the output head (the embedding's size when tied: the last pipeline stage
	// keeps its own copy), Vision the vision tower; Layers the bytes of each decoder layer. Pipeline stages are sized
	// from these.
	Embed, Head, Vision int64
	Layers              []int64
	// MTP is the multi-token-prediction layers' bytes: loaded (on the last pipeline stage) only with speculative
	// decoding by the model's own MTP head (Options.SpeculativeMTP).
	MTP int64
	// Source says where the numbers come from.
	Source string
}

// WeightsFromEstimate builds Weights from model.EstimateParams, optionally replaced by exact safetensors totals.
func WeightsFromEstimate(f *model.Facts, est *model.ParamEstimate, exact *model.WeightSummary) Weights {
	w := Weights{
		Loaded: est.LoadedBytes(false, f.Multimodal),
		OnDisk: est.Bytes,
		Params: est.Params,
		Embed:  est.EmbedBytes,
		Head:   est.HeadBytes,
		Vision: est.VisionBytes,
		Layers: append([]int64(nil), est.LayerBytes...),
		MTP:    est.MTPBytes,
		Source: "estimated from config.json (architecture-aware parameter count × bytes per dtype)",
	}
	if w.Embed == 0 {
		w.Embed = int64(f.Vocab) * int64(f.Hidden) * 2
	}
	if w.Head == 0 {
		w.Head = w.Embed // tied: the last stage holds a copy
	}
	if exact != nil && exact.Bytes > 0 {
		w.OnDisk = exact.Bytes
		w.Params = exact.Params
		w.Loaded = exact.Bytes - est.MTPBytes
		if !f.Multimodal {
			w.Loaded -= est.VisionBytes
		}
		if w.Loaded <= 0 {
			w.Loaded = exact.Bytes
		}
		w.Source = "exact, from the safetensors headers"
		// Per-layer figures keep the estimate's shape, scaled to the exact total.
		var sum int64
		for _, b := range w.Layers {
			sum += b
		}
		if rest := w.Loaded - w.Embed - w.Head - visionIf(f.Multimodal, w.Vision); sum > 0 && rest > 0 {
			for i := range w.Layers {
				w.Layers[i] = int64(float64(w.Layers[i]) * float64(rest) / float64(sum))
			}
		}
		if est.MTPBytes > 0 {
			w.Source += fmt.Sprintf(" (less %.2f GiB of MTP layers, not loaded without speculative decoding)", float64(est.MTPBytes)/GiB)
		}
	}
	return w
}

// Options are the user's choices.
type Options struct {
	// Engine: "vllm" (the default when empty) or "sglang".
	Engine string
	// Context overrides max_model_len (0 = the model's own).
	Context int
	// KVCacheDType is --kv-cache-dtype ("" = auto).
	KVCacheDType string
	// GPUMemoryUtilization overrides the computed fraction (0 = computed).
	GPUMemoryUtilization float64
	// MaxGPUsPerPod bounds one pod (0 = the GPU type's GPUs per node).
	MaxGPUsPerPod int
	// MaxNodes bounds the multi-node search (0 = DefaultMaxNodes).
	MaxNodes int
	// Task overrides generation / embedding detection.
	Task model.Task
	// EngineVersion is the engine release the plan is for (image.version; "" = the chart's, DefaultVLLMVersion):
	// terms that changed between vLLM releases follow it.
	EngineVersion string
	// MaxNumSeqs and MaxNumBatchedTokens override the planner's choices (0 = chosen).
	MaxNumSeqs, MaxNumBatchedTokens int
	// Layout, when set, is evaluated instead of searched for: the plan says whether it holds (Fits, NotFit).
	Layout *model.Layout
	// SpeculativeMTP: speculative decoding with the model's own MTP layers, which vLLM then loads.
	SpeculativeMTP bool
	// Objective picks among the one-pod layouts that hold the model (see Objectives; "" = DefaultObjective).
	Objective string
	// Download is the chart's storage.download.mode the disk is sized for ("" = DownloadInitContainer).
	Download string
	// Speculative is speculative decoding (Method "" = off): its weights, KV and activations are planned.
	Speculative Speculative
	// LoRA is the LoRA adapter slots (MaxLoras and MaxRank 0 = off): their GPU buffers are planned.
	LoRA LoRA
}

// Engines the planner knows.
const (
	EngineVLLM   = "vllm"
	EngineSGLang = "sglang"
)

// Engines lists the allowed Options.Engine values.
var Engines = []string{EngineVLLM, EngineSGLang}

// Input is one model to plan.
type Input struct {
	Name    string
	Facts   *model.Facts
	Weights Weights
	// Files lists the repository's files when the source knows them (the Hub, a local directory): the download's
	// exclude patterns are applied to it.
	Files []string
}

// Plan is the decision for one GPU type. Every choice carries a reason.
type Plan struct {
	Model  string `json:"model"`
	GPU    string `json:"gpu"`
	Engine string `json:"engine"`
	// Fits: one pod holds the weights and one max_model_len context (Shortened says the context was cut).
	Fits bool `json:"fits"`
	// MultiNode: the model needs several pods (nodes) joined by pipeline parallelism: one multi-node resource group
	// (nodes: Nodes, GPUsPerPod GPUs in each pod).
	MultiNode bool `json:"multiNode"`
	// DType is the engine's --dtype when the GPU needs one other than auto (e.g. "half" for bf16 models on V100).
	DType string `json:"dtype,omitempty"`
	// Unsupported is true when the weights cannot run on this GPU generation at all (NotFit says why).
	Unsupported bool `json:"unsupported,omitempty"`
	// NotFit explains why there is no plan (empty when Fits or MultiNode).
	NotFit string `json:"notFit,omitempty"`

	GPUs       int  `json:"gpus"`
	GPUsPerPod int  `json:"gpusPerPod"`
	Nodes      int  `json:"nodes"`
	TP         int  `json:"tensorParallel"`
	PP         int  `json:"pipelineParallel"`
	DCP        int  `json:"decodeContextParallel"`
	DP         int  `json:"dataParallel"`
	EP         bool `json:"expertParallel"`
	// DPAttention is SGLang's --enable-dp-attention (DP = TP ranks inside the TP group, each with its own KV).
	DPAttention bool `json:"dpAttention,omitempty"`

	MaxModelLen          int     `json:"maxModelLen"`
	ModelMaxLen          int     `json:"modelMaxLen"`
	Shortened            bool    `json:"shortened"`
	GPUMemoryUtilization float64 `json:"gpuMemoryUtilization"`
	KVDType              string  `json:"kvCacheDtype"`
	// EngineVersion is the release the memory terms follow.
	EngineVersion string `json:"engineVersion"`

	VRAMPerGPU     int64 `json:"vramBytesPerGPU"`
	WeightsTotal   int64 `json:"weightsBytes"`
	WeightsPerGPU  int64 `json:"weightsBytesPerGPU"`
	OverheadPerGPU int64 `json:"overheadBytesPerGPU"`
	// ReservedPerGPU (SGLang) is what stays outside --mem-fraction-static: activations, CUDA graphs, NCCL buffers.
	ReservedPerGPU int64 `json:"reservedBytesPerGPU,omitempty"`
	KVBudgetPerGPU int64 `json:"kvBudgetBytesPerGPU"`
	// KVPerGPUForContext is one max_model_len sequence's KV (and fixed state) on the most loaded GPU.
	KVPerGPUForContext int64 `json:"kvBytesPerGPUForContext"`
	// KVTokens is the KV capacity in tokens (sequences shaped like a full context); Concurrency = KVTokens / MaxModelLen.
	KVTokens    int64   `json:"kvTokens"`
	Concurrency float64 `json:"concurrency"`
	// Budget is the most loaded GPU's memory term by term, as the engine splits it.
	Budget *Budget `json:"budgetPerGPU,omitempty"`

	APIServers          int     `json:"apiServers"`
	MaxNumSeqs          int     `json:"maxNumSeqs,omitempty"`
	MaxNumBatchedTokens int     `json:"maxNumBatchedTokens,omitempty"`
	ChunkedPrefill      bool    `json:"chunkedPrefill"`
	PrefixCaching       bool    `json:"prefixCaching"`
	Parsers             Parsers `json:"parsers"`
	TrustRemoteCode     bool    `json:"trustRemoteCode"`
	MambaCacheMode      string  `json:"mambaCacheMode,omitempty"`
	Multimodal          bool    `json:"multimodal"`
	Task                string  `json:"task"`

	// Speculative is the speculative decoding planned (nil = none), with what it costs.
	Speculative *SpecPlan `json:"speculative,omitempty"`
	// LoRA is the LoRA adapter capacity planned (nil = none), with what it costs.
	LoRA *LoRAPlan `json:"lora,omitempty"`

	Resources Resources `json:"resources"`
	Probe     Probe     `json:"startupProbe"`
	// Download is what the download step fetches and the cache volumes it needs (the disk of Resources).
	Download  DownloadPlan `json:"download"`
	Placement Placement    `json:"placement"`

	// Objective is the planning objective that picked the layout (empty when the layout was given or is multi-node);
	// Alternatives are the one-pod layouts it chose from, one per GPU count.
	Objective    string        `json:"objective,omitempty"`
	Alternatives []Alternative `json:"alternatives,omitempty"`

	// Reasons explain each choice, keyed by what was chosen (see the Reason* constants).
	Reasons  map[string]string `json:"reasons"`
	Warnings []string          `json:"warnings,omitempty"`

	facts *model.Facts
	// fewest is the fewest GPUs a one-pod layout needs (the objective may take more).
	fewest int
}

func (p *Plan) layout() model.Layout { return model.Layout{TP: p.TP, PP: p.PP, DCP: p.DCP} }

// Reason keys.
const (
	ReasonGPUs        = "gpus"
	ReasonParallelism = "parallelism"
	ReasonEP          = "expertParallel"
	ReasonContext     = "maxModelLen"
	ReasonUtil        = "gpuMemoryUtilization"
	ReasonKV          = "kvCache"
	ReasonKVDType     = "kvCacheDtype"
	ReasonAPIServers  = "apiServers"
	ReasonMaxNumSeqs  = "maxNumSeqs"
	ReasonBatched     = "maxNumBatchedTokens"
	ReasonPrefill     = "chunkedPrefill"
	ReasonPrefix      = "prefixCaching"
	ReasonTrust       = "trustRemoteCode"
	ReasonMamba       = "mambaCacheMode"
	ReasonMultimodal  = "multimodal"
	ReasonWeights     = "weights"
	ReasonTask        = "task"
	ReasonDPAttention = "dpAttention"
	ReasonObjective   = "objective"
)

// candidate is one layout of one replica.
type candidate struct {
	l      model.Layout
	ep     bool
	dpAttn bool // SGLang DP attention with DP = TP
	perPod int
	pods   int
	why    string
}

// New plans one model on one GPU type.
func New(in Input, g gpu.GPU, o Options) (*Plan, error) {
	f := in.Facts
	if f == nil {
		return nil, errors.New("plan: no model facts")
	}
	engine := o.Engine
	if engine == "" {
		engine = EngineVLLM
	}
	if engine != EngineVLLM && engine != EngineSGLang {
		return nil, fmt.Errorf("engine %q is not supported; allowed: %s", o.Engine, strings.Join(Engines, ", "))
	}
	sglang := engine == EngineSGLang
	if sglang {
		if err := SGLangKVDType(o.KVCacheDType); err != nil {
			return nil, err
		}
	}
	if err := CheckObjective(o.Objective); err != nil {
		return nil, err
	}
	if f.Layers < 1 || f.Heads < 1 || f.KVHeads < 1 || f.HeadDim < 1 || f.Hidden < 1 || len(f.LayerTypes) != f.Layers {
		return nil, fmt.Errorf("model %s: config.json lacks the shape the planner needs (layers %d, heads %d, KV heads %d, head dim %d, hidden %d)", in.Name, f.Layers, f.Heads, f.KVHeads, f.HeadDim, f.Hidden)
	}
	if in.Weights.Loaded <= 0 {
		return nil, fmt.Errorf("model %s: weight size unknown", in.Name)
	}
	if g.VRAMBytes <= 0 {
		g.VRAMBytes = g.MemoryMiB * gpu.MiB
	}
	if g.VRAMBytes <= 0 {
		return nil, fmt.Errorf("GPU %s has no memory size", g.ID)
	}
	kv, err := model.ResolveKVDType(f, o.KVCacheDType)
	if err != nil {
		return nil, err
	}
	task := o.Task
	if task == model.TaskAuto {
		task = model.TaskGenerate
		if f.Embedding {
			task = model.TaskEmbed
		}
	}
	spec := o.Speculative
	if o.SpeculativeMTP && spec.Method == "" {
		spec.Method = SpecMTP
	}
	if err := checkSpeculative(f, spec, engine, task); err != nil {
		return nil, err
	}
	lora := loraDefaults(o.LoRA, engine)
	if err := checkLoRA(lora, engine, task, spec); err != nil {
		return nil, err
	}
	specK := 0
	if spec.Method != "" {
		specK = specTokens(spec, f)
	}
	p := &Plan{Model: in.Name, GPU: g.ID, Engine: engine, DP: 1, VRAMPerGPU: g.VRAMBytes, WeightsTotal: in.Weights.Loaded, KVDType: kv.Name,
		Reasons: map[string]string{}, Task: string(task), Multimodal: f.Multimodal && task == model.TaskGenerate, facts: f}
	if f.Multimodal && task == model.TaskEmbed {
		p.Multimodal = true
	}
	p.Warnings = append(p.Warnings, f.Warnings...)
	if why := unsupported(f, g); why != "" {
		p.NotFit, p.Unsupported = why, true
		p.Reasons[ReasonGPUs] = why
		return p, nil
	}
	if d, why := computeDType(f, g); d != "" {
		p.DType = d
		p.Reasons[ReasonDType] = why
		p.Warnings = append(p.Warnings, why)
	}
	p.Reasons[ReasonKVDType] = fmt.Sprintf("%s (%d byte(s) per value): %s", kv.Name, kv.Bytes, kv.Reason)
	if sglang {
		p.Reasons[ReasonKVDType] = strings.Replace(p.Reasons[ReasonKVDType], "(vLLM does not use fp8 KV for fp8 weights unless asked)", "(SGLang's auto is the model's dtype; fp8 KV only when asked)", 1)
	}
	p.Reasons[ReasonWeights] = fmt.Sprintf("%.2f GiB loaded on GPUs, %.2f GiB on disk, %.2fB parameters: %s",
		float64(in.Weights.Loaded)/GiB, float64(in.Weights.OnDisk)/GiB, float64(in.Weights.Params)/1e9, in.Weights.Source)
	p.Reasons[ReasonTask] = string(task)
	if f.EmbeddingReason != "" {
		p.Reasons[ReasonTask] += ": " + f.EmbeddingReason
	}

	// Context.
	p.ModelMaxLen = f.MaxContext
	ctx := f.MaxContext
	ctxWhy := fmt.Sprintf("the model's full context %s (%s)", commas(int64(ctx)), f.ContextReason)
	if o.Context > 0 {
		if f.MaxContext > 0 && o.Context > f.MaxContext {
			return nil, fmt.Errorf("--context %d is over the model's maximum %d; extending it needs RoPE scaling (serving.hfOverrides, see the guide's 'Increasing Context Length with RoPE') set by hand", o.Context, f.MaxContext)
		}
		ctx = o.Context
		ctxWhy = fmt.Sprintf("--context %s (the model's own is %s)", commas(int64(ctx)), commas(int64(f.MaxContext)))
	}
	if ctx <= 0 {
		return nil, fmt.Errorf("model %s: config.json gives no context length; pass --context", in.Name)
	}

	// Utilization: vLLM's and SGLang's fractions depend on the layout and are set per candidate below.
	ver, err := ParseEngineVersion(o.EngineVersion)
	if err != nil {
		return nil, err
	}
	if sglang && o.EngineVersion == "" {
		ver = EngineVersion{0, 19, 0} // SGLang's terms are not version-keyed; the label says which vLLM rules apply
	}
	p.EngineVersion = ver.String()
	visible, visibleWhy := cudaVisibleBytes(g)
	util := 0.0
	if o.GPUMemoryUtilization > 0 {
		if o.GPUMemoryUtilization > 1 {
			return nil, fmt.Errorf("gpu-memory-utilization %.3f must be between 0 and 1", o.GPUMemoryUtilization)
		}
		util = o.GPUMemoryUtilization
		p.Reasons[ReasonUtil] = fmt.Sprintf("%.2f as asked", util)
	}

	perNode := g.GPUsPerNode
	if perNode < 1 {
		perNode = 1
	}
	maxPod := perNode
	if o.MaxGPUsPerPod > 0 {
		maxPod = min(o.MaxGPUsPerPod, perNode)
	}
	maxNodes := o.MaxNodes
	if maxNodes <= 0 {
		maxNodes = DefaultMaxNodes
	}
	maxSeqs := MaxNumSeqs
	if task == model.TaskEmbed {
		maxSeqs = 256
	}
	if o.MaxNumSeqs < 0 || o.MaxNumBatchedTokens < 0 {
		return nil, fmt.Errorf("max-num-seqs %d and max-num-batched-tokens %d must be positive", o.MaxNumSeqs, o.MaxNumBatchedTokens)
	}
	if o.MaxNumSeqs > 0 {
		maxSeqs = o.MaxNumSeqs
	}
	// fitsAt: weights + activations + one context of KV inside the fraction (vLLM), or weights + KV inside
	// mem-fraction-static with activations, graphs and NCCL buffers in the reserve outside it (SGLang).
	explainBudget := false // the words of the budget's terms, for the chosen layout only
	fitsAt := func(c candidate, tokens, mnbt int) fit {
		r := fit{util: util}
		if why := specUnsupported(spec, c.l); why != "" {
			r.why = why
			return r
		}
		r.wpg = weightsPerGPU(f, in.Weights.split(visionIf(p.Multimodal, in.Weights.Vision), mxfp4PaddedWeights(f, g, c.l.TP), spec.Method == SpecMTP), c.l)
		r.wpg += specWeightsPerGPU(spec, c.l.TP)
		if c.dpAttn {
			r.wpg += dpAttentionExtra(f, in.Weights.Embed, c.l)
		}
		sampled := maxSeqs // the sampler's rows: with speculative tokens, k + 1 per request
		if spec.Method != "" {
			sampled = specRows(maxSeqs, specK)
		}
		bi := budgetInput{version: ver, visible: visible, visibleWhy: visibleWhy, tp: max(1, c.l.TP), pp: max(1, c.l.PP),
			weights: r.wpg, weightsWhy: in.Weights.Source, mnbt: mnbt, seqs: maxSeqs, multimodal: p.Multimodal,
			activation: activationPeak(f, ver, c.l.TP, mnbt, sampled), vocabSampler: samplerWarmupBytes(f, sampled, mnbt), explain: explainBudget,
			lora: LoRABytesPerGPU(f, lora, c.l, mnbt), loraRank: lora.MaxRank, loraSlots: lora.MaxLoras}
		if sglang {
			r.ovh = bi.activation + nonTorchBytes(ver, bi.tp, bi.pp)
			if p.Multimodal {
				r.ovh += MultimodalEncoderReserve
			}
			r.reserved, r.reserveWhy = sglangReserve(visible, c.l, sglangDefaultChunk(visible), maxSeqs, r.ovh, c.dpAttn)
			if extra := SGLangSpecReserve(spec.Method); extra > 0 {
				r.reserved += extra
				r.reserveWhy += fmt.Sprintf(" + %.0f GiB for speculative decoding (%s; SGLang server_args.py reserve_memory)", float64(extra)/GiB, spec.Method)
			}
			if o.GPUMemoryUtilization == 0 {
				r.util = sglangFraction(visible, r.reserved)
			}
			bi.util = r.util
			r.b = sglangBudget(bi, r.reserved, r.reserveWhy)
		} else {
			if o.GPUMemoryUtilization == 0 {
				r.util = vllmUtilization(visible, outsideNeed(ver, bi.vocabSampler, bi.tp, bi.pp, maxSeqs, false))
			}
			bi.util = r.util
			r.b = vllmBudget(bi)
			r.ovh = r.b.inside - r.wpg
		}
		r.budget = r.b.kv
		need, err := model.KVBytesForSequence(f, tokens, c.l, model.KVOptions{DType: o.KVCacheDType, MaxNumBatchedTokens: mnbt})
		need += specKVPerToken(f, spec, c.l.TP, o.KVCacheDType) * int64(tokens)
		r.need = need
		r.ok = err == nil && r.budget > 0 && need <= r.budget && (sglang || r.b.OutsideFree >= 0)
		if r.ok || !explainBudget {
			return r // the search needs the verdict only
		}
		switch {
		case err != nil:
			r.why = err.Error()
		case r.budget <= 0:
			r.why = fmt.Sprintf("no room for a KV cache: %.2f GiB inside the fraction %.2f of %.2f GiB go to weights, activations and runtime", float64(r.b.inside)/GiB, r.util, float64(visible)/GiB)
		case need > r.budget:
			r.why = fmt.Sprintf("one %s-token context needs %.2f GiB of KV per GPU, the budget is %.2f GiB", commas(int64(tokens)), float64(need)/GiB, float64(r.budget)/GiB)
		}
		if !sglang && r.b.OutsideFree < 0 {
			oom := fmt.Sprintf("out of memory after the KV cache: outside the fraction %.2f there are %.2f GiB, and vLLM puts %.2f GiB there (%s)", r.util, float64(visible)*(1-r.util)/GiB, float64(r.b.outside)/GiB, outsideWords(r.b))
			if r.why != "" {
				oom = r.why + "; and " + oom
			}
			r.why = oom
		}
		return r
	}

	// 0. A given layout is evaluated, not searched for.
	var chosen *candidate
	if o.Layout != nil {
		c, err := givenLayout(f, *o.Layout, engine, maxPod)
		if err != nil {
			return nil, err
		}
		if why := specUnsupported(spec, c.l); why != "" {
			return nil, fmt.Errorf("layout TP %d × PP %d: %s; choose a layout without pipeline parallelism or plan without speculative decoding", c.l.TP, c.l.PP, why)
		}
		chosen = &c
		p.MultiNode = c.pods > 1
	}
	// 1. One pod, full context: the guide's preferred layout at each GPU count that holds it; the objective picks one.
	var alts []candidate
	for n := 1; n <= maxPod && chosen == nil; n++ {
		for _, c := range layouts(f, n, n, 1, engine) {
			if fitsAt(c, ctx, DefaultBatchedTokens).ok {
				alts = append(alts, c)
				break
			}
		}
	}
	if len(alts) > 0 {
		i, why := pickByObjective(alts, o.Objective)
		c := alts[i]
		chosen = &c
		p.Objective = o.Objective
		if p.Objective == "" {
			p.Objective = DefaultObjective
		}
		p.Reasons[ReasonObjective] = why
		p.fewest = gpusOf(alts[0])
	}
	// 2. Several pods (nodes) joined by pipeline parallelism, full context.
	if chosen == nil {
		for n := maxPod + 1; n <= maxPod*maxNodes && chosen == nil; n++ {
			for _, pod := range podSizes(maxPod) {
				if n%pod != 0 || n/pod < 2 || n/pod > maxNodes {
					continue
				}
				for _, c := range layouts(f, n, pod, n/pod, engine) {
					if fitsAt(c, ctx, DefaultBatchedTokens).ok {
						c := c
						chosen = &c
						break
					}
				}
				if chosen != nil {
					break
				}
			}
		}
		if chosen != nil {
			p.MultiNode = true
		}
	}
	// 3. Nothing holds a full context: the largest one-pod context, with a warning.
	if chosen == nil {
		var best *candidate
		bestTokens := 0
		for n := 1; n <= maxPod; n++ {
			for _, c := range layouts(f, n, n, 1, engine) {
				budget := fitsAt(c, ctx, DefaultBatchedTokens).budget
				if budget <= 0 {
					continue
				}
				t, err := model.TokensThatFit(f, budget, ctx, c.l, model.KVOptions{DType: o.KVCacheDType})
				if err == nil && t > bestTokens {
					c := c
					best, bestTokens = &c, t
				}
			}
		}
		short := bestTokens / 1024 * 1024
		if best != nil && short >= 4096 {
			chosen = best
			p.Shortened = true
			p.Warnings = append(p.Warnings, fmt.Sprintf("the full context %s does not fit on %d %s GPUs in one pod nor on %d nodes; max_model_len cut to %s, the most one pod holds (the guide's last resort: first check a larger GPU type)",
				commas(int64(ctx)), maxPod, g.ID, maxNodes, commas(int64(short))))
			ctxWhy = fmt.Sprintf("cut from %s to %s: the longest context whose KV fits after the weights on the best one-pod layout (rounded down to 1,024)", commas(int64(ctx)), commas(int64(short)))
			ctx = short
		}
	}
	if chosen == nil {
		wpg := float64(in.Weights.Loaded) / float64(maxPod*maxNodes) / GiB
		u := util
		if u == 0 {
			u = vllmUtilization(visible, outsideNeed(ver, samplerWarmupBytes(f, maxSeqs, DefaultBatchedTokens), maxPod, 1, maxSeqs, false))
		}
		p.NotFit = fmt.Sprintf("does not fit: %.1f GiB of weights + one %s-token context do not fit in %d nodes × %d %s GPUs (%.1f GiB of weights per GPU against %.1f GiB usable at %.2f); use a larger GPU type",
			float64(in.Weights.Loaded)/GiB, commas(int64(ctx)), maxNodes, maxPod, g.ID, wpg, float64(visible)*u/GiB, u)
		if need := outsideNeed(ver, samplerWarmupBytes(f, maxSeqs, DefaultBatchedTokens), 1, 1, maxSeqs, false); !sglang && util > 0 && float64(visible)*(1-util) < float64(need) {
			p.NotFit += fmt.Sprintf(", or leave --gpu-memory-utilization to chartgen: %.2f leaves %.2f GiB outside the fraction, and vLLM %s puts at least %.2f GiB there (memory in use before load, the sampler warm-up)",
				util, float64(visible)*(1-util)/GiB, ver, float64(need)/GiB)
		}
		if spec.Method != "" {
			p.NotFit += fmt.Sprintf("; speculative decoding (%s) needs one pipeline stage, so only one-pod layouts without PP were tried: plan without it", spec.Method)
		}
		p.Reasons[ReasonGPUs] = p.NotFit
		return p, nil
	}

	c := *chosen
	p.Fits = !p.MultiNode
	p.TP, p.PP, p.DCP, p.EP = c.l.TP, c.l.PP, max(1, c.l.DCP), c.ep
	p.GPUs = c.l.TP * c.l.PP
	p.GPUsPerPod, p.Nodes = c.perPod, c.pods
	p.MaxModelLen = ctx
	p.Reasons[ReasonContext] = ctxWhy
	p.Reasons[ReasonParallelism] = c.why
	if sglang {
		c = p.chooseDPAttention(f, c, task, func(d candidate) bool { return fitsAt(d, ctx, DefaultBatchedTokens).ok })
	}

	// max-num-batched-tokens: 16384 when the context is longer and one full context still fits with it.
	mnbt := DefaultBatchedTokens
	if o.MaxNumBatchedTokens > 0 {
		mnbt = o.MaxNumBatchedTokens
		p.MaxNumBatchedTokens = mnbt
		p.Reasons[ReasonBatched] = fmt.Sprintf("%d as asked", mnbt)
	} else if sglang {
		p.Reasons[ReasonBatched] = fmt.Sprintf("SGLang's default --chunked-prefill-size (%d on this GPU): the guide's %d is vLLM's --max-num-batched-tokens, and SGLang's own memory rule reserves 1.5 MiB per chunk token outside --mem-fraction-static, so a larger chunk costs KV cache", sglangDefaultChunk(g.VRAMBytes), BatchedTokens)
	} else if task == model.TaskGenerate && ctx > BatchedTokens {
		if fitsAt(c, ctx, BatchedTokens).ok {
			mnbt = BatchedTokens
			p.MaxNumBatchedTokens = BatchedTokens
			p.Reasons[ReasonBatched] = fmt.Sprintf("%d: the guide's value for long-context models (below max_model_len %s), and one full context still fits with its larger activations", BatchedTokens, commas(int64(ctx)))
		} else {
			p.Reasons[ReasonBatched] = fmt.Sprintf("engine default (%d): with %d the larger activations would not leave room for one full context", DefaultBatchedTokens, BatchedTokens)
		}
	} else {
		p.Reasons[ReasonBatched] = fmt.Sprintf("engine default (%d): the guide raises it only for long-context generation models with VRAM to spare", DefaultBatchedTokens)
	}
	p.Alternatives = alternatives(alts, c, o.Objective, func(a candidate) fit {
		if r := fitsAt(a, ctx, mnbt); r.ok {
			return r
		}
		return fitsAt(a, ctx, DefaultBatchedTokens)
	}, ctx)
	explainBudget = true
	fa := fitsAt(c, ctx, mnbt)
	wpg, ovh, budget, need := fa.wpg, fa.ovh, fa.budget, fa.need
	p.WeightsPerGPU, p.OverheadPerGPU, p.KVBudgetPerGPU, p.KVPerGPUForContext = wpg, ovh, budget, need
	p.Budget = fa.b
	if !fa.ok {
		// Only a given layout gets here: it does not hold.
		p.Fits, p.NotFit = false, "does not fit: "+fa.why
		p.Reasons[ReasonGPUs] = p.NotFit
	}
	util = fa.util
	p.GPUMemoryUtilization = util
	if !sglang && o.GPUMemoryUtilization == 0 {
		p.Reasons[ReasonUtil] = fmt.Sprintf("%.2f: the most (at most %.2f, the guide's) that leaves room outside the fraction for what vLLM %s puts there (%s), of %s",
			util, MaxUtilization, ver, outsideWords(fa.b), visibleWhy)
	}
	if need > 0 {
		p.Concurrency = float64(budget) / float64(need)
		if c.dpAttn {
			// Every DP rank keeps its own requests' KV: the instance holds dp times one rank's pool.
			p.Concurrency *= float64(p.DP)
		}
		p.KVTokens = int64(math.Floor(p.Concurrency * float64(ctx)))
	}
	for i := range p.Alternatives {
		if p.Alternatives[i].Chosen {
			// The chosen layout's figures are the plan's (SGLang's DP attention may have changed them).
			p.Alternatives[i].KVTokens, p.Alternatives[i].Concurrency = p.KVTokens, p.Concurrency
		}
	}
	usable := float64(visible) * util
	if sglang {
		p.ReservedPerGPU = fa.reserved
		if o.GPUMemoryUtilization == 0 {
			p.Reasons[ReasonUtil] = fmt.Sprintf("--mem-fraction-static %.2f = (%.1f GiB - %.2f GiB reserved) / %.1f GiB, rounded down: SGLang puts weights and the KV pool inside the fraction (max_total_num_tokens = (available - total × (1 - fraction)) / cell size) and activations, CUDA graphs and NCCL buffers outside it; reserved = %s",
				util, float64(visible)/GiB, float64(fa.reserved)/GiB, float64(visible)/GiB, fa.reserveWhy)
		} else if (1-util)*float64(visible) < float64(fa.reserved) {
			p.Warnings = append(p.Warnings, fmt.Sprintf("mem-fraction-static %.2f leaves %.1f GiB outside for activations, CUDA graphs and NCCL buffers (< %.1f GiB estimated); lower it if SGLang runs out of memory", util, (1-util)*float64(visible)/GiB, float64(fa.reserved)/GiB))
		}
		if fa.ok {
			p.Reasons[ReasonGPUs] = fmt.Sprintf("%d %s GPU(s)%s: %.1f GiB of weights + %.2f GiB of KV for one %s-token context need, per GPU, %.2f GiB of weights + %.2f GiB of KV + %.2f GiB in use before the weights load = %.2f GiB of the %.2f GiB inside --mem-fraction-static %.2f (%.1f GiB each; %.2f GiB reserved outside for activations and runtime)%s",
				p.GPUs, g.ID, podWords(p), float64(in.Weights.Loaded)/GiB, float64(kvWhole(f, ctx, o.KVCacheDType))/GiB, commas(int64(ctx)),
				float64(wpg)/GiB, float64(need)/GiB, float64(fa.b.Term(TermBeforeLoad))/GiB, float64(wpg+need+fa.b.Term(TermBeforeLoad))/GiB, usable/GiB, util, float64(visible)/GiB, float64(fa.reserved)/GiB, fewerNote(p))
		}
	} else if fa.ok {
		p.Reasons[ReasonGPUs] = fmt.Sprintf("%d %s GPU(s)%s: %.1f GiB of weights + %.2f GiB of KV for one %s-token context need, per GPU, %.2f GiB of weights + %.2f GiB of KV + %.2f GiB of activations and runtime = %.2f GiB of the %.2f GiB usable at %.2f (%.1f GiB each)%s",
			p.GPUs, g.ID, podWords(p), float64(in.Weights.Loaded)/GiB, float64(kvWhole(f, ctx, o.KVCacheDType))/GiB, commas(int64(ctx)),
			float64(wpg)/GiB, float64(need)/GiB, float64(ovh)/GiB, float64(wpg+need+ovh)/GiB, usable/GiB, util, float64(visible)/GiB, fewerNote(p))
	}
	p.Reasons[ReasonKV] = fmt.Sprintf("%.2f GiB of KV budget per GPU holds %s tokens (%.2f× one full context)", float64(budget)/GiB, commas(p.KVTokens), p.Concurrency)
	if spec.Method != "" && fa.ok {
		act := activationPeak(f, ver, p.TP, mnbt, specRows(maxSeqs, specK)) - activationPeak(f, ver, p.TP, mnbt, maxSeqs) +
			samplerWarmupBytes(f, specRows(maxSeqs, specK), mnbt) - samplerWarmupBytes(f, maxSeqs, mnbt)
		if sglang {
			act += SGLangSpecReserve(spec.Method)
		}
		p.Speculative = p.specPlan(in, g, o, spec, specK, act)
	}
	if lora.MaxLoras > 0 && fa.ok {
		p.LoRA = p.loraPlan(in, g, o, lora, fa.b.Term(TermLoRA))
	}
	if c.dpAttn {
		p.Reasons[ReasonKV] = fmt.Sprintf("%.2f GiB of KV budget per GPU, on each of the %d DP-attention ranks, holds %s tokens in all (%.2f× one full context)", float64(budget)/GiB, p.DP, commas(p.KVTokens), p.Concurrency)
	} else if sglang && f.MLA != nil && p.TP > 1 {
		p.Reasons[ReasonKV] += fmt.Sprintf("; every one of the %d TP ranks holds the same latent KV (SGLang has no decode context parallelism)", p.TP)
	}
	if c.ep {
		p.Reasons[ReasonEP] = fmt.Sprintf("FP8 block-quantized experts need (moe_intermediate_size %d / TP %d) %% %d == 0, which fails; expert parallelism keeps the experts whole (DESIGN.md)", f.MoE.Intermediate, c.l.TP, blockN(f))
	}
	if p.MultiNode {
		shape := fmt.Sprintf("TP %d × DCP %d × PP %d", p.TP, p.DCP, p.PP)
		if sglang {
			shape = fmt.Sprintf("TP %d × PP %d", p.TP, p.PP)
		}
		p.Warnings = append(p.Warnings, fmt.Sprintf("needs %d nodes: one instance is %d pods of %d %s GPUs joined by pipeline parallelism (%s), each pod on its own node; chartgen writes a multi-node resource group (nodes: %d)", p.Nodes, p.Nodes, p.GPUsPerPod, g.ID, shape, p.Nodes))
	}

	// Engine flags.
	api := 4
	if in.Weights.Params >= LargeModelParams {
		api = 8
	}
	p.APIServers = api
	p.Reasons[ReasonAPIServers] = fmt.Sprintf("%d: the guide suggests 4 API servers for smaller models and 8 for larger ones (%.0fB parameters; the line is at %.0fB)", api, float64(in.Weights.Params)/1e9, LargeModelParams/1e9)
	if sglang {
		api = 1
		p.APIServers = api
		p.Reasons[ReasonAPIServers] = "1: SGLang has one HTTP server and tokenizer process (no --api-server-count); the chart counts 1 API server in the CPU formula"
	}
	if task == model.TaskGenerate {
		p.MaxNumSeqs = MaxNumSeqs
		p.Reasons[ReasonMaxNumSeqs] = fmt.Sprintf("%d, as the guide's deployment: fewer CUDA-graph batch sizes and a smaller sampler peak than the engine default", MaxNumSeqs)
		if o.MaxNumSeqs > 0 {
			p.MaxNumSeqs = o.MaxNumSeqs
			p.Reasons[ReasonMaxNumSeqs] = fmt.Sprintf("%d as asked", o.MaxNumSeqs)
		}
		p.ChunkedPrefill, p.PrefixCaching = true, true
		p.Reasons[ReasonPrefill] = "on, as the guide's deployment (long prompts are split across steps of max-num-batched-tokens)"
		p.Reasons[ReasonPrefix] = "on, as the guide's deployment (shared prompt prefixes reuse KV blocks)"
		if sglang {
			// SGLang chunks prefill and keeps the radix (prefix) cache by default; the chart has no flag to turn them on.
			p.ChunkedPrefill, p.PrefixCaching = false, false
			p.Reasons[ReasonPrefill] = "SGLang's default (chunked prefill is on; --chunked-prefill-size sets the chunk)"
			p.Reasons[ReasonPrefix] = "SGLang's default (the radix cache is on unless --disable-radix-cache)"
		}
	}
	if sglang {
		p.Parsers = sglangParsersFor(f, in.Name, task)
	} else {
		p.Parsers = parsersFor(f, in.Name, task)
	}
	p.TrustRemoteCode, p.Reasons[ReasonTrust] = trustRemoteCode(f)
	if !sglang && f.CountLayers(model.LayerMamba)+f.CountLayers(model.LayerLinear) > 0 && task == model.TaskGenerate {
		p.MambaCacheMode = "align"
		p.Reasons[ReasonMamba] = "align: the model has Mamba / linear-attention layers, and the guide requires --mamba-cache-mode align for prefix caching on them"
	}
	if p.Multimodal && !sglang {
		p.Reasons[ReasonMultimodal] = fmt.Sprintf("multimodal model: --mm-processor-cache-gb %d (the guide: more than the default 4, perhaps 8); cache type shm with more than one GPU (chart default)", MultimodalCacheGB)
	}

	// Pod resources, probe and placement.
	r := &p.Resources
	r.CPURequest, r.CPULimit, r.CPUReason = cpuThreads(p.GPUsPerPod, api, p.DP)
	podWeights := in.Weights.Loaded
	if p.Nodes > 1 {
		podWeights = in.Weights.Loaded * int64(p.GPUsPerPod) / int64(p.GPUs)
	}
	r.MemRequestGiB, r.MemLimitGiB, r.MemAddedGiB, r.MemReason = memory(podWeights, p.GPUsPerPod, api, p.Multimodal, !sglang)
	if p.Nodes > 1 {
		r.MemReason = fmt.Sprintf("per pod (each loads 1/%d of the weights): ", p.Nodes) + r.MemReason
	}
	if g.NodeMemoryGiB > 0 && r.MemLimitGiB > int64(g.NodeMemoryGiB) {
		p.Warnings = append(p.Warnings, fmt.Sprintf("memory limit %d GiB is over the %s node's %d GiB; capped (the guide: or whatever lesser amount the node can fit)", r.MemLimitGiB, g.ID, g.NodeMemoryGiB))
		r.MemLimitGiB = int64(g.NodeMemoryGiB)
		r.MemRequestGiB = min(r.MemRequestGiB, r.MemLimitGiB)
	}
	if !p.Multimodal || sglang {
		r.MemAddedGiB = 0
	}
	p.Download = PlanDownload(in.Files, in.Weights, o.Download, p.Nodes)
	r.DiskGiB, r.DiskReason = p.Download.PodGiB, p.Download.Reason
	if p.Download.Warning != "" {
		p.Warnings = append(p.Warnings, p.Download.Warning)
	}
	p.Probe = startupProbe(in.Weights.Params, p.MultiNode, p.Download.Mode)
	p.Placement = placement(g, p.GPUsPerPod)
	return p, nil
}

// split is the weights a layout places: vision only when served, padding the engine adds spread like the layers.
func (w Weights) split(vision, padding int64, mtp bool) weightSplit {
	ws := weightSplit{total: w.Loaded + padding, embed: w.Embed, head: w.Head, vision: vision, layers: w.Layers}
	if mtp {
		// vLLM's MTP drafter runs on the last pipeline stage, beside the head.
		ws.total += w.MTP
		ws.head += w.MTP
	}
	if padding > 0 && len(w.Layers) > 0 {
		ws.layers = make([]int64, len(w.Layers))
		for i, b := range w.Layers {
			ws.layers[i] = b + padding/int64(len(w.Layers))
		}
	}
	return ws
}

// givenLayout is the candidate for a layout the user gave (chartgen --tp/--pp/--dcp), with the expert-parallel
// choice the search would make for it.
// A layout larger than a node (maxPod GPUs) becomes whole nodes joined by pipeline parallelism, as the search does.
func givenLayout(f *model.Facts, l model.Layout, engine string, maxPod int) (candidate, error) {
	l.TP, l.PP, l.DCP = max(1, l.TP), max(1, l.PP), max(1, l.DCP)
	if engine == EngineSGLang && l.DCP > 1 {
		return candidate{}, fmt.Errorf("--dcp %d: SGLang has no decode context parallelism; allowed with --engine sglang: 1", l.DCP)
	}
	if _, err := model.KVBytesForSequence(f, 1, l, model.KVOptions{}); err != nil {
		return candidate{}, fmt.Errorf("layout TP %d × PP %d × DCP %d: %w", l.TP, l.PP, l.DCP, err)
	}
	n := l.TP * l.PP
	perPod, pods := n, 1
	if n > maxPod {
		// The largest pod of whole pipeline stages that a node holds.
		perPod = 0
		for pod := maxPod; pod >= l.TP && perPod == 0; pod-- {
			if pod%l.TP == 0 && n%pod == 0 && l.PP%(n/pod) == 0 {
				perPod, pods = pod, n/pod
			}
		}
		if perPod == 0 {
			return candidate{}, fmt.Errorf("layout TP %d × PP %d needs %d GPUs: more than one node's %d, and it does not split into pods of whole pipeline stages (TP at most %d, the pods dividing PP)", l.TP, l.PP, n, maxPod, maxPod)
		}
	}
	for _, c := range layouts(f, n, perPod, pods, engine) {
		if c.l == l {
			c.why = "as given: " + c.why
			return c, nil
		}
	}
	c := candidate{l: l, perPod: perPod, pods: pods, why: fmt.Sprintf("TP %d × DCP %d × PP %d, as given (not a layout chartgen would choose)", l.TP, l.DCP, l.PP)}
	if fp8Block(f) && f.MoE != nil && f.MoE.Routed > 0 && l.TP > 1 && f.MoE.Intermediate%(l.TP*blockN(f)) != 0 {
		c.ep = true
	}
	return c, nil
}

// outsideWords lists the terms a budget puts outside the fraction.
func outsideWords(b *Budget) string {
	var parts []string
	for _, t := range b.Terms {
		if t.Where == "outside" && t.Bytes > 0 {
			parts = append(parts, fmt.Sprintf("%.2f GiB %s", float64(t.Bytes)/GiB, t.Name))
		}
	}
	return strings.Join(parts, " + ")
}

func visionIf(b bool, v int64) int64 {
	if b {
		return v
	}
	return 0
}

func podWords(p *Plan) string {
	if p.MultiNode {
		return fmt.Sprintf(" in %d pods of %d (one per node)", p.Nodes, p.GPUsPerPod)
	}
	return " in one pod"
}

func fewerNote(p *Plan) string {
	switch {
	case p.GPUs <= 1:
		return ""
	case p.fewest > 0 && p.fewest < p.GPUs:
		return fmt.Sprintf("; %d GPU(s) would hold it too, the objective %s takes %d", p.fewest, p.Objective, p.GPUs)
	}
	return "; fewer GPUs do not hold it"
}

func kvWhole(f *model.Facts, tokens int, dtype string) int64 {
	b, err := model.KVBytesForSequence(f, tokens, model.Layout{TP: 1}, model.KVOptions{DType: dtype})
	if err != nil {
		return 0
	}
	return b
}

// podSizes are the pod sizes a multi-node replica may use, larger first: a whole node or half of one (each pipeline
// stage across pods is a network hop, so pods stay large; the guide's GLM-5 example uses 4-GPU pods).
func podSizes(maxPod int) []int {
	var out []int
	for _, s := range []int{maxPod, maxPod / 2} {
		if s >= 1 && (len(out) == 0 || out[len(out)-1] != s) {
			out = append(out, s)
		}
	}
	return out
}

func blockN(f *model.Facts) int {
	if f.Quant != nil && f.Quant.WeightBlock[0] > 0 {
		return f.Quant.WeightBlock[0]
	}
	return 128
}

// fp8Block reports whether the checkpoint is FP8 block-quantized.
func fp8Block(f *model.Facts) bool {
	return f.Quant != nil && f.Quant.Method == "fp8" && f.Quant.WeightBlock[0] > 0
}

// layouts lists the valid layouts of n GPUs whose pods hold perPod GPUs (pods = n / perPod), best first:
// TP is a power of two within a pod (the guide: TP inside a node, {1,2,4,8}), PP takes the rest. For GQA/MHA
// models TP stays at or below the KV-head count (no KV duplication), PP making up the count; a TP above it with
// DCP = TP / kv_heads comes after. MLA models (KV heads = 1 for the engine) always get DCP = TP. TP must divide the
// attention heads; FP8 block-quantized MoE models whose (moe_intermediate_size / TP) % block != 0 get expert
// parallelism; a dense FP8 block model whose intermediate size does not split is skipped.
//
// SGLang has no decode context parallelism: its layouts keep DCP 1, so TP above the KV heads (and any TP of an MLA
// model) duplicates the KV cache on every rank; for MLA + MoE models its DP attention avoids that (see
// chooseDPAttention).
func layouts(f *model.Facts, n, perPod, pods int, engine string) []candidate {
	sglang := engine == EngineSGLang
	var out, later []candidate
	for tp := 8; tp >= 1; tp /= 2 {
		if tp > perPod || perPod%tp != 0 || n%tp != 0 {
			continue
		}
		pp := n / tp
		if pp > f.Layers || f.Heads%tp != 0 || pp/pods > MaxPPPerPod {
			continue
		}
		c := candidate{l: model.Layout{TP: tp, PP: pp, DCP: 1}, perPod: perPod, pods: pods}
		if fp8Block(f) {
			b := blockN(f)
			if f.MoE != nil && f.MoE.Routed > 0 {
				if f.MoE.Intermediate%(tp*b) != 0 && tp > 1 {
					c.ep = true
				}
			} else if f.Intermediate%(tp*b) != 0 && tp > 1 {
				continue
			}
		}
		switch {
		case sglang && f.MLA != nil:
			c.why = fmt.Sprintf("TP %d × PP %d: an MLA model (one latent KV head for the engine); SGLang has no decode context parallelism, so %s; PP %s", tp, pp, mlaDupWhy(tp), ppWhy(pp, pods))
			out = append(out, c)
		case sglang && tp > f.KVHeads && tp%f.KVHeads == 0:
			c.why = fmt.Sprintf("TP %d × PP %d: TP above the %d KV heads duplicates the KV cache (SGLang has no decode context parallelism to shard it again), so this comes after the layouts without duplication; TP divides the %d attention heads; PP %s", tp, pp, f.KVHeads, f.Heads, ppWhy(pp, pods))
			later = append(later, c)
		case f.MLA != nil:
			c.l.DCP = tp
			c.why = fmt.Sprintf("TP %d × DCP %d × PP %d: an MLA model (one latent KV head for the engine) duplicates its KV on every TP rank, so DCP = TP shards it (the guide: always DCP for MLA); PP %s", tp, tp, pp, ppWhy(pp, pods))
			out = append(out, c)
		case tp <= f.KVHeads:
			c.why = fmt.Sprintf("TP %d × PP %d: TP up to the %d KV heads, so the KV cache is not duplicated; TP divides the %d attention heads; PP %s", tp, pp, f.KVHeads, f.Heads, ppWhy(pp, pods))
			out = append(out, c)
		case tp%f.KVHeads == 0:
			c.l.DCP = tp / f.KVHeads
			c.why = fmt.Sprintf("TP %d × DCP %d × PP %d: TP above the %d KV heads would duplicate the KV cache, so DCP = TP / KV heads shards it again (the guide's option 2); PP %s", tp, c.l.DCP, pp, f.KVHeads, ppWhy(pp, pods))
			later = append(later, c)
		}
	}
	all := append(out, later...)
	if pods > 1 {
		// Across nodes every pod must be one whole set of pipeline stages: TP fills the pod.
		var keep []candidate
		for _, c := range all {
			if c.l.TP*c.l.PP/pods == perPod && c.l.PP%pods == 0 {
				keep = append(keep, c)
			}
		}
		all = keep
	}
	return all
}

func ppWhy(pp, pods int) string {
	switch {
	case pp == 1:
		return "1 (the weights fit without it)"
	case pods > 1:
		return fmt.Sprintf("%d across %d pods (the guide: PP between nodes, TP within)", pp, pods)
	default:
		return fmt.Sprintf("%d for the rest of the GPUs (the guide: PP for counts TP cannot take and to shard weights and KV without duplication)", pp)
	}
}

// commas formats 196608 as 196,608.
func commas(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Commas is commas for other packages.
func Commas(n int64) string { return commas(n) }

// All plans one model on several GPU types.
func All(in Input, gpus []gpu.GPU, o Options) ([]*Plan, error) {
	out := make([]*Plan, 0, len(gpus))
	for _, g := range gpus {
		p, err := New(in, g, o)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}
