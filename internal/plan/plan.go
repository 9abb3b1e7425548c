// Package plan decides how to serve a model on a GPU type: GPU count, tensor / pipeline / decode-context / data /
// expert parallelism, nodes, context length, gpu-memory-utilization, KV capacity, engine flags, CPU, RAM, disk,
// probes, image build and node affinity, each with the reason for it. Everything here is a pure function of the
// model facts, the GPU catalog entry and the options; the memory model is DESIGN.md's and the sizing rules are the
// operations guide's (constants in memory.go and sizing.go say where each number comes from).
package plan

import (
	"errors"
	"fmt"
	"strings"

	"github.com/llm-charts/llm-charts/internal/engine"
	"github.com/llm-charts/llm-charts/internal/gpu"
	"github.com/llm-charts/llm-charts/internal/model"
)

// DefaultMaxNodes bounds the multi-node search (pods of one pipeline-parallel replica).
const DefaultMaxNodes = 8

// MaxPPPerPod bounds the pipeline stages inside one pod (engine.MaxPPPerPod says why).
const MaxPPPerPod = engine.MaxPPPerPod

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
	return servedInHalf(f, est, w)
}

// servedInHalf scales a float32 checkpoint's GPU figures to the 2-byte dtype the engines serve it in: vLLM's
// dtype "auto" takes bfloat16 (float16 where the GPU has none) for a float32 config (vllm/config/model.py
// _resolve_auto_dtype; the llm-d-planner campaign loads google/gemma-2-2b-it, torch_dtype float32, in 4.90 GiB, its
// bfloat16 size), and SGLang does the same. The disk keeps the checkpoint's own size.
func servedInHalf(f *model.Facts, est *model.ParamEstimate, w Weights) Weights {
	if f.DType != "float32" || est.LoadedBytes(false, f.Multimodal) == 0 {
		return w
	}
	half := *f
	half.DType = "bfloat16"
	h := model.EstimateParams(&half)
	ratio := float64(h.LoadedBytes(false, f.Multimodal)) / float64(est.LoadedBytes(false, f.Multimodal))
	scale := func(b int64) int64 { return int64(float64(b) * ratio) }
	w.Loaded, w.Embed, w.Head, w.Vision, w.MTP = scale(w.Loaded), scale(w.Embed), scale(w.Head), scale(w.Vision), scale(w.MTP)
	for i := range w.Layers {
		w.Layers[i] = scale(w.Layers[i])
	}
	w.Source += "; a float32 checkpoint, served in bfloat16 (half its size on disk)"
	return w
}

// Options are the user's choices.
type Options struct {
	// Engine is the engine's name as the chart's `engine` value spells it (engine.Names; "" = the default engine).
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
	// EngineVersion is the engine release the plan is for (image.version; "" = the engine spec's default release):
	// terms that changed between releases follow it (engine.Planner.Version).
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

// candidate is one layout of one replica (the engine's Layouts list them).
type candidate = engine.Candidate

// planner is one New call: the inputs, the engine that serves them, and what the steps decided so far.
type planner struct {
	in Input
	g  gpu.GPU
	o  Options
	e  engine.Engine
	f  *model.Facts
	p  *Plan

	task  model.Task
	kv    model.KVDType
	spec  Speculative
	specK int
	lora  LoRA
	ver   engine.Version

	visible    int64
	visibleWhy string
	util       float64 // asked (0 = the engine's choice)
	maxPod     int
	maxNodes   int
	maxSeqs    int
	ctx        int
	ctxWhy     string
	explain    bool // the words of the budget's terms, for the chosen layout only
	alts       []candidate
}

// New plans one model on one GPU type as a sequence of decisions: resolve the inputs and the engine, search a
// layout, budget it (and what speculative decoding and LoRA cost), then the engine flags, the pod and the download.
// Every step asks the engine (internal/engine's Planner) where the engines differ.
func New(in Input, g gpu.GPU, o Options) (*Plan, error) {
	s, err := resolve(in, g, o)
	if err != nil {
		return nil, err
	}
	if s.gpuRefuses() {
		return s.p, nil
	}
	s.inputReasons()
	if err := s.context(); err != nil {
		return nil, err
	}
	if err := s.limits(); err != nil {
		return nil, err
	}
	chosen, err := s.search()
	if err != nil {
		return nil, err
	}
	if chosen == nil {
		s.notFit()
		return s.p, nil
	}
	c := s.place(*chosen)
	mnbt := s.batched(c)
	fa := s.budget(c, mnbt)
	s.costs(c, fa, mnbt)
	s.serving()
	s.pod()
	s.download()
	return s.p, nil
}

// unknownEngine is engine.Lookup's refusal (Unwrap) in the words plan has always used.
type unknownEngine struct {
	name string
	err  error
}

func (u unknownEngine) Error() string {
	return fmt.Sprintf("engine %q is not supported; allowed: %s", u.name, strings.Join(engine.NameStrings(), ", "))
}

func (u unknownEngine) Unwrap() error { return u.err }

// resolve checks the options against the model, the GPU and the engine, and starts the plan.
func resolve(in Input, g gpu.GPU, o Options) (*planner, error) {
	f := in.Facts
	if f == nil {
		return nil, errors.New("plan: no model facts")
	}
	e, err := engine.Lookup(o.Engine)
	if err != nil {
		return nil, unknownEngine{o.Engine, err}
	}
	if err := e.CheckKVDType(o.KVCacheDType); err != nil {
		return nil, err
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
	s := &planner{in: in, g: g, o: o, e: e, f: f}
	if s.kv, err = e.KVDType(f, o.KVCacheDType); err != nil {
		return nil, err
	}
	s.task = o.Task
	if s.task == model.TaskAuto {
		s.task = model.TaskGenerate
		if f.Embedding {
			s.task = model.TaskEmbed
		}
	}
	s.spec = o.Speculative
	if o.SpeculativeMTP && s.spec.Method == "" {
		s.spec.Method = SpecMTP
	}
	if err := checkSpeculative(f, s.spec, e, s.task); err != nil {
		return nil, err
	}
	if err := checkDownloadSources(o.Download, s.spec); err != nil {
		return nil, err
	}
	s.lora = loraDefaults(o.LoRA, e)
	if err := checkLoRA(s.lora, e, s.task, s.spec); err != nil {
		return nil, err
	}
	if s.spec.Method != "" {
		s.specK = specTokens(s.spec, f)
	}
	s.p = &Plan{Model: in.Name, GPU: g.ID, Engine: string(e.Name()), DP: 1, VRAMPerGPU: g.VRAMBytes, WeightsTotal: in.Weights.Loaded, KVDType: s.kv.Name,
		Reasons: map[string]string{}, Task: string(s.task), Multimodal: f.Multimodal && s.task == model.TaskGenerate, facts: f}
	if f.Multimodal && s.task == model.TaskEmbed {
		s.p.Multimodal = true
	}
	s.p.Warnings = append(s.p.Warnings, f.Warnings...)
	return s, nil
}

// gpuRefuses reports that the weights cannot run on the GPU at all (the plan says why), and sets the --dtype an
// older GPU needs.
func (s *planner) gpuRefuses() bool {
	p := s.p
	if why := unsupported(s.f, s.g); why != "" {
		p.NotFit, p.Unsupported = why, true
		p.Reasons[ReasonGPUs] = why
		return true
	}
	if d, why := computeDType(s.f, s.g); d != "" {
		p.DType = d
		p.Reasons[ReasonDType] = why
		p.Warnings = append(p.Warnings, why)
	}
	return false
}

// context is max_model_len: the model's own, or the one asked (never above the model's).
func (s *planner) context() error {
	f, o := s.f, s.o
	s.p.ModelMaxLen = f.MaxContext
	s.ctx = f.MaxContext
	s.ctxWhy = fmt.Sprintf("the model's full context %s (%s)", commas(int64(s.ctx)), f.ContextReason)
	if o.Context > 0 {
		if f.MaxContext > 0 && o.Context > f.MaxContext {
			return fmt.Errorf("--context %d is over the model's maximum %d; extending it needs RoPE scaling (serving.hfOverrides, see the guide's 'Increasing Context Length with RoPE') set by hand", o.Context, f.MaxContext)
		}
		s.ctx = o.Context
		s.ctxWhy = fmt.Sprintf("--context %s (the model's own is %s)", commas(int64(s.ctx)), commas(int64(f.MaxContext)))
	}
	if s.ctx <= 0 {
		return fmt.Errorf("model %s: config.json gives no context length; pass --context", s.in.Name)
	}
	return nil
}

// limits are the release the memory terms follow, the asked fraction, and the bounds of the search.
func (s *planner) limits() error {
	o, g := s.o, s.g
	var err error
	if s.ver, err = s.e.Version(o.EngineVersion); err != nil {
		return err
	}
	s.p.EngineVersion = s.ver.String()
	s.visible, s.visibleWhy = cudaVisibleBytes(g)
	if o.GPUMemoryUtilization > 0 {
		if o.GPUMemoryUtilization > 1 {
			return fmt.Errorf("gpu-memory-utilization %.3f must be between 0 and 1", o.GPUMemoryUtilization)
		}
		s.util = o.GPUMemoryUtilization
		s.p.Reasons[ReasonUtil] = fmt.Sprintf("%.2f as asked", s.util)
	}
	perNode := max(1, g.GPUsPerNode)
	s.maxPod = perNode
	if o.MaxGPUsPerPod > 0 {
		s.maxPod = min(o.MaxGPUsPerPod, perNode)
	}
	s.maxNodes = o.MaxNodes
	if s.maxNodes <= 0 {
		s.maxNodes = DefaultMaxNodes
	}
	s.maxSeqs = MaxNumSeqs
	if s.task == model.TaskEmbed {
		s.maxSeqs = 256
	}
	if o.MaxNumSeqs < 0 || o.MaxNumBatchedTokens < 0 {
		return fmt.Errorf("max-num-seqs %d and max-num-batched-tokens %d must be positive", o.MaxNumSeqs, o.MaxNumBatchedTokens)
	}
	if o.MaxNumSeqs > 0 {
		s.maxSeqs = o.MaxNumSeqs
	}
	return nil
}

// place records the chosen layout and lets the engine decide its attention data parallelism.
func (s *planner) place(c candidate) candidate {
	p := s.p
	p.Fits = !p.MultiNode
	p.TP, p.PP, p.DCP, p.EP = c.Layout.TP, c.Layout.PP, max(1, c.Layout.DCP), c.EP
	p.GPUs = c.Layout.TP * c.Layout.PP
	p.GPUsPerPod, p.Nodes = c.PerPod, c.Pods
	p.MaxModelLen = s.ctx
	p.Reasons[ReasonContext] = s.ctxWhy
	p.Reasons[ReasonParallelism] = c.Why
	d, why := s.e.ChooseDPAttention(s.f, c, s.task, func(d candidate) bool { return s.fitsAt(d, s.ctx, DefaultBatchedTokens).ok })
	if why != "" {
		p.Reasons[ReasonDPAttention] = why
	}
	if d.DPAttention {
		p.DPAttention, p.DP = true, d.Layout.TP
	}
	return d
}

// batched is max-num-batched-tokens: as asked, else the engine's choice for the layout.
func (s *planner) batched(c candidate) int {
	p := s.p
	if n := s.o.MaxNumBatchedTokens; n > 0 {
		p.MaxNumBatchedTokens = n
		p.Reasons[ReasonBatched] = fmt.Sprintf("%d as asked", n)
		return n
	}
	b := s.e.Batched(s.task, s.ctx, s.g.VRAMBytes, func(mnbt int) bool { return s.fitsAt(c, s.ctx, mnbt).ok })
	if b.Set {
		p.MaxNumBatchedTokens = b.Tokens
	}
	p.Reasons[ReasonBatched] = b.Why
	return b.Tokens
}

// serving is the engine flags: API servers, sequences, prefill and prefix caching, parsers, remote code, the Mamba
// cache mode and the multimodal cache.
func (s *planner) serving() {
	p, f, o := s.p, s.f, s.o
	sv := s.e.Serving(engine.ServingInput{Facts: f, Task: s.task, Params: s.in.Weights.Params})
	p.APIServers = sv.APIServers
	p.Reasons[ReasonAPIServers] = sv.APIServersWhy
	if s.task == model.TaskGenerate {
		p.MaxNumSeqs = MaxNumSeqs
		p.Reasons[ReasonMaxNumSeqs] = fmt.Sprintf("%d, as the guide's deployment: fewer CUDA-graph batch sizes and a smaller sampler peak than the engine default", MaxNumSeqs)
		if o.MaxNumSeqs > 0 {
			p.MaxNumSeqs = o.MaxNumSeqs
			p.Reasons[ReasonMaxNumSeqs] = fmt.Sprintf("%d as asked", o.MaxNumSeqs)
		}
		p.ChunkedPrefill, p.PrefixCaching = sv.ChunkedPrefill, sv.PrefixCaching
		p.Reasons[ReasonPrefill] = sv.PrefillWhy
		p.Reasons[ReasonPrefix] = sv.PrefixWhy
	}
	p.Parsers = s.e.Parsers(f, s.in.Name, s.task)
	p.TrustRemoteCode, p.Reasons[ReasonTrust] = trustRemoteCode(f)
	if sv.MambaCacheMode != "" {
		p.MambaCacheMode = sv.MambaCacheMode
		p.Reasons[ReasonMamba] = sv.MambaWhy
	}
	if why := s.e.MultimodalWhy(); p.Multimodal && why != "" {
		p.Reasons[ReasonMultimodal] = why
	}
}

// pod is the pod's CPU and memory and its placement.
func (s *planner) pod() {
	p, g, w := s.p, s.g, s.in.Weights
	r := &p.Resources
	r.CPURequest, r.CPULimit, r.CPUReason = cpuThreads(p.GPUsPerPod, p.APIServers, p.DP)
	podWeights := w.Loaded
	if p.Nodes > 1 {
		podWeights = w.Loaded * int64(p.GPUsPerPod) / int64(p.GPUs)
	}
	chartCache := s.e.Supports(engine.Simple(engine.FeatureMultimodalCache)) == nil
	r.MemRequestGiB, r.MemLimitGiB, r.MemAddedGiB, r.MemReason = memory(podWeights, p.GPUsPerPod, p.APIServers, p.Multimodal, chartCache)
	if p.Nodes > 1 {
		r.MemReason = fmt.Sprintf("per pod (each loads 1/%d of the weights): ", p.Nodes) + r.MemReason
	}
	if g.NodeMemoryGiB > 0 && r.MemLimitGiB > int64(g.NodeMemoryGiB) {
		p.Warnings = append(p.Warnings, fmt.Sprintf("memory limit %d GiB is over the %s node's %d GiB; capped (the guide: or whatever lesser amount the node can fit)", r.MemLimitGiB, g.ID, g.NodeMemoryGiB))
		r.MemLimitGiB = int64(g.NodeMemoryGiB)
		r.MemRequestGiB = min(r.MemRequestGiB, r.MemLimitGiB)
	}
	if !p.Multimodal || !chartCache {
		r.MemAddedGiB = 0
	}
	p.Placement = placement(g, p.GPUsPerPod)
}

// download is what the download step fetches, the disk it needs, and the startup probe that waits for it.
func (s *planner) download() {
	p := s.p
	p.Download = PlanDownload(s.in.Files, s.in.Weights, s.o.Download, p.Nodes)
	p.Resources.DiskGiB, p.Resources.DiskReason = p.Download.PodGiB, p.Download.Reason
	if p.Download.Warning != "" {
		p.Warnings = append(p.Warnings, p.Download.Warning)
	}
	p.Probe = startupProbe(s.in.Weights.Params, p.MultiNode, p.Download.Mode)
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

// commas formats 196608 as 196,608 (engine.Commas).
func commas(n int64) string { return engine.Commas(n) }

// Commas is engine.Commas for the planner's callers.
func Commas(n int64) string { return engine.Commas(n) }

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
