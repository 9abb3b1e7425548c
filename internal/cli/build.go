package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/llm-charts/llm-charts/internal/plan"
	"github.com/llm-charts/llm-charts/internal/values"
)

func ptr[T any](v T) *T { return &v }

// buildValues turns plans (one per GPU type) into llm-model values and the comments that explain them.
// One plan: every setting in the shared blocks and one unnamed group (the guide's naming). Several: the model-wide
// settings shared, the layout per group, each group named after its GPU id, all behind the one Service. A plan that
// needs several nodes becomes a multi-node group (nodes: N, gpu.count per pod). With --engine sglang the values set
// engine: sglang, the engine-neutral serving block (which the chart maps to SGLang's flags) and the sglang block,
// never the vllm block (the chart refuses vllm.* keys under SGLang). multiNodeMode (--multi-node-mode) is written as
// multiNode.mode when a plan is multi-node.
func buildValues(in plan.Input, plans []*plan.Plan, o plan.Options, multiNodeMode, cmdline string) (*values.Model, string, values.Comments) {
	c := values.Comments{}
	p0 := plans[0]
	sglang := o.Engine == plan.EngineSGLang
	v := &values.Model{Model: values.ModelRef{Name: in.Name}}
	if sglang {
		v.Engine = values.EngineSGLang
		c["engine"] = "Engine: SGLang (python3 -m sglang.launch_server). The serving block maps to its flags: tensorParallelSize → --tp-size, pipelineParallelSize → --pp-size, dataParallelSize → --dp-size, maxModelLen → --context-length, gpuMemoryUtilization → --mem-fraction-static, maxNumSeqs → --max-running-requests, maxNumBatchedTokens → --chunked-prefill-size, the parsers → --tool-call-parser / --reasoning-parser."
	}
	if p0.Task == "embed" {
		v.Model.Task = values.TaskEmbed
	} else {
		v.Model.Task = values.TaskGenerate
	}
	c["model.name"] = "Weights: " + p0.Reasons[plan.ReasonWeights] + "."
	c["model.task"] = "Task: " + p0.Reasons[plan.ReasonTask] + "."

	// Image build: the oldest GPU decides (the 12.9 build also runs on newer GPUs).
	cuda, cudaWhy := values.CUDA13, p0.Placement.CUDAReason
	for _, p := range plans {
		if p.Placement.CUDA == values.CUDA129 {
			cuda, cudaWhy = values.CUDA129, p.Placement.CUDAReason
			if len(plans) > 1 {
				cudaWhy += "; with several GPU types the oldest decides, as the 12.9 build also runs on the newer ones"
			}
		}
	}
	v.Image = &values.Image{CUDA: cuda}
	c["image.cuda"] = "Image build: " + cudaWhy + "."
	if ver := o.EngineVersion; ver != "" {
		if !strings.HasPrefix(ver, "v") {
			ver = "v" + ver
		}
		v.Image.Version = ver
		c["image.version"] = "Engine release: " + ver + " (--engine-version); the memory plan follows it."
	}

	// Model-wide serving settings.
	s := &values.Serving{}
	x := &values.VLLM{}
	sg := &values.SGLang{}
	if !sglang {
		x.APIServerCount = ptr(p0.APIServers)
		c["vllm.apiServerCount"] = "API servers: " + p0.Reasons[plan.ReasonAPIServers] + "."
	}
	if p0.MaxNumSeqs > 0 {
		s.MaxNumSeqs = ptr(int64(p0.MaxNumSeqs))
		c["serving.maxNumSeqs"] = "Max concurrent sequences: " + p0.Reasons[plan.ReasonMaxNumSeqs] + "."
	}
	if o.KVCacheDType != "" {
		s.KVCacheDtype = o.KVCacheDType
		c["serving.kvCacheDtype"] = "KV cache dtype: " + p0.Reasons[plan.ReasonKVDType] + "."
	}
	if p0.Parsers.Tool != "" {
		s.ToolCallParser = p0.Parsers.Tool
		c["serving.toolCallParser"] = "Parsers: " + p0.Parsers.Reason + "."
	}
	if p0.Parsers.Reasoning != "" {
		s.ReasoningParser = p0.Parsers.Reasoning
		if p0.Parsers.Tool == "" {
			c["serving.reasoningParser"] = "Parsers: " + p0.Parsers.Reason + "."
		}
	}
	if p0.TrustRemoteCode {
		s.TrustRemoteCode = ptr(true)
		c["serving.trustRemoteCode"] = "Trust remote code: " + p0.Reasons[plan.ReasonTrust] + "."
	}
	if p0.PrefixCaching {
		s.EnablePrefixCaching = ptr(true)
		c["serving.enablePrefixCaching"] = "Prefix caching " + p0.Reasons[plan.ReasonPrefix] + "."
	}
	if p0.ChunkedPrefill {
		x.EnableChunkedPrefill = ptr(true)
		c["vllm.enableChunkedPrefill"] = "Chunked prefill " + p0.Reasons[plan.ReasonPrefill] + "."
	}
	if p0.MambaCacheMode != "" {
		x.MambaCacheMode = p0.MambaCacheMode
		c["vllm.mambaCacheMode"] = "Mamba cache mode " + p0.Reasons[plan.ReasonMamba] + "."
	}
	if p0.Multimodal && !sglang {
		x.Multimodal = &values.Multimodal{Enabled: true, ProcessorCacheGB: ptr(plan.MultimodalCacheGB)}
		c["vllm.multimodal"] = "Multimodal: " + p0.Reasons[plan.ReasonMultimodal] + "."
	}

	if sp := p0.Speculative; sp != nil {
		v.Speculative = &values.Speculative{Method: sp.Method, NumSpeculativeTokens: ptr(sp.Tokens), DraftModel: sp.DraftModel}
		c["speculative"] = "Speculative decoding: " + p0.Reasons[plan.ReasonSpeculative] + "."
	}
	if lp := p0.LoRA; lp != nil {
		// chartgen knows no adapters: they are loaded at run time (or listed in lora.adapters by hand), so the limits
		// render with runtime updates on; SGLang then needs the target modules to size its pool (all of them, as planned).
		v.LoRA = &values.LoRA{MaxLoras: ptr(lp.MaxLoras), MaxRank: ptr(lp.MaxRank), RuntimeUpdates: true}
		if lp.MaxCPULoras > 0 {
			v.LoRA.MaxCPULoras = ptr(lp.MaxCPULoras)
		}
		if sglang {
			v.LoRA.TargetModules = []string{"all"} // server_args.py: --lora-target-modules takes "all" (every supported module)
		}
		c["lora"] = "LoRA: " + p0.Reasons[plan.ReasonLoRA] + ". Adapters are loaded at run time (runtimeUpdates) or listed in lora.adapters."
	}

	// Per-plan layout: into the shared blocks for one plan, into each group for several.
	layout := func(p *plan.Plan, sv *values.Serving, xv *values.VLLM, sgv *values.SGLang, prefix string) {
		if p.DType != "" {
			sv.ExtraArgs = append(sv.ExtraArgs, "--dtype", p.DType)
			c[prefix+"serving.extraArgs"] = "Compute dtype: " + p.Reasons[plan.ReasonDType] + "."
		}
		if p.TP > 1 {
			sv.TensorParallelSize = p.TP
			c[prefix+"serving.tensorParallelSize"] = "Parallelism: " + p.Reasons[plan.ReasonParallelism] + "."
		}
		if p.PP > 1 {
			sv.PipelineParallelSize = p.PP
			if p.TP == 1 {
				c[prefix+"serving.pipelineParallelSize"] = "Parallelism: " + p.Reasons[plan.ReasonParallelism] + "."
			}
		}
		if p.DCP > 1 {
			xv.DecodeContextParallelSize = ptr(p.DCP)
			c[prefix+"vllm.decodeContextParallelSize"] = fmt.Sprintf("Decode context parallel %d: shards the KV cache across the %d tensor-parallel GPUs instead of duplicating it.", p.DCP, p.TP)
		}
		if p.EP {
			sv.EnableExpertParallel = ptr(true)
			c[prefix+"serving.enableExpertParallel"] = "Expert parallel: " + p.Reasons[plan.ReasonEP] + "."
			if sglang {
				c[prefix+"serving.enableExpertParallel"] += fmt.Sprintf(" The chart passes it to SGLang as --ep-size %d (= TP, the guide).", p.TP)
			}
		}
		if p.DPAttention {
			sv.DataParallelSize = p.DP
			sgv.EnableDPAttention = true
			c[prefix+"serving.dataParallelSize"] = fmt.Sprintf("Data parallel %d, inside the TP group (sglang.enableDpAttention).", p.DP)
			c[prefix+"sglang.enableDpAttention"] = "DP attention: " + p.Reasons[plan.ReasonDPAttention] + "."
		} else if why := p.Reasons[plan.ReasonDPAttention]; sglang && why != "" && p.TP > 1 {
			c[prefix+"serving.tensorParallelSize"] += " DP attention " + why + "."
		}
		sv.MaxModelLen = ptr(int64(p.MaxModelLen))
		ctxNote := "Context: " + p.Reasons[plan.ReasonContext] + ". KV cache: " + p.Reasons[plan.ReasonKV] + "; dtype " + p.Reasons[plan.ReasonKVDType] + "."
		if p.Shortened {
			ctxNote = "WARNING: " + ctxNote
		}
		c[prefix+"serving.maxModelLen"] = ctxNote
		sv.GPUMemoryUtilization = ptr(p.GPUMemoryUtilization)
		c[prefix+"serving.gpuMemoryUtilization"] = "GPU memory utilization: " + p.Reasons[plan.ReasonUtil] + "."
		if sglang {
			c[prefix+"serving.gpuMemoryUtilization"] = "Memory fraction: " + p.Reasons[plan.ReasonUtil] + "."
		}
		if p.MaxNumBatchedTokens > 0 {
			sv.MaxNumBatchedTokens = ptr(int64(p.MaxNumBatchedTokens))
			c[prefix+"serving.maxNumBatchedTokens"] = "Batched tokens: " + p.Reasons[plan.ReasonBatched] + "."
			if sglang {
				c[prefix+"serving.maxNumBatchedTokens"] = "Prefill chunk (--chunked-prefill-size): " + p.Reasons[plan.ReasonBatched] + "."
			}
		}
		if p.PP > 1 && (sglang || p.Nodes > 1) {
			timeouts := "the chart sets the guide's pipeline timeouts (VLLM_RPC_TIMEOUT 1200000, VLLM_EXECUTE_MODEL_TIMEOUT_SECONDS and VLLM_ENGINE_ITERATION_TIMEOUT_S 1200) because PP > 1"
			if sglang {
				timeouts = "SGLang has no pipeline timeout variables"
				if p.Nodes > 1 {
					timeouts += "; the chart passes --dist-timeout 1200 to a multi-node instance"
				}
			}
			c[prefix+"serving.pipelineParallelSize"] = strings.TrimPrefix(c[prefix+"serving.pipelineParallelSize"]+" Pipeline stages: "+timeouts+".", " ")
		}
	}

	groups := make([]values.ResourceGroup, 0, len(plans))
	for i, p := range plans {
		gp := fmt.Sprintf("resourceGroups[%d].", i)
		g := values.ResourceGroup{}
		if len(plans) == 1 {
			g.Name = ptr("")
			layout(p, s, x, sg, "")
		} else {
			g.Name = ptr(p.GPU)
			c[gp+"name"] = fmt.Sprintf("%s: one StatefulSet per GPU type, all behind the one Service (the guide's service-group).", p.GPU)
			g.Serving, g.VLLM, g.SGLang = &values.Serving{}, &values.VLLM{}, &values.SGLang{}
			layout(p, g.Serving, g.VLLM, g.SGLang, gp)
			if g.VLLM.DecodeContextParallelSize == nil {
				g.VLLM = nil
			}
			if !g.SGLang.EnableDPAttention {
				g.SGLang = nil
			}
		}
		if p.Nodes > 1 {
			g.Nodes = p.Nodes
			c[gp+"nodes"] = rankWiring(p, sglang, multiNodeMode)
		}
		pl := p.Placement
		g.GPU = &values.GPU{Resource: pl.Resource, Count: ptr(p.GPUsPerPod), MemoryMiBGt: ptr(pl.MemoryMiBGt), Products: pl.Products}
		c[gp+"gpu"] = "Placement: " + pl.Reason + ". " + pl.LargeReason + "."
		c[gp+"gpu.count"] = "GPUs: " + p.Reasons[plan.ReasonGPUs] + "."
		if why := p.Reasons[plan.ReasonObjective]; why != "" {
			c[gp+"gpu.count"] += " Objective " + why + " (chartgen explain --gpu " + p.GPU + " lists the alternatives)."
		}
		if p.Nodes > 1 {
			c[gp+"gpu.count"] = fmt.Sprintf("GPUs per pod: %d of the instance's %d (nodes %d). ", p.GPUsPerPod, p.GPUs, p.Nodes) + c[gp+"gpu.count"]
		}
		r := p.Resources
		g.Resources = &values.Resources{Memory: &values.Memory{RequestGiB: ptr(r.MemRequestGiB), LimitGiB: ptr(r.MemLimitGiB)}}
		c[gp+"resources"] = "CPU (left null so the chart computes it): " + r.CPUReason + "."
		c[gp+"resources.memory"] = "Memory: " + r.MemReason + "."
		groups = append(groups, g)
	}
	v.Serving, v.VLLM, v.ResourceGroups = s, x, groups
	if sglang {
		v.VLLM = nil
		if sg.EnableDPAttention {
			v.SGLang = sg
		}
	}
	if len(plans) > 1 {
		c["resourceGroups"] = fmt.Sprintf("One resource group per GPU type (%s); each is planned on its own.", strings.Join(gpuIDs(plans), ", "))
	}

	writeMultiNodeMode(v, plans, multiNodeMode, c)
	autoscaleTargets(v, plans, multiNodeMode, c)

	v.Storage = &values.Storage{Size: fmt.Sprintf("%dGi", p0.Resources.DiskGiB)}
	c["storage.size"] = "Disk: " + p0.Resources.DiskReason + "."
	if d := p0.Download; d.Mode != plan.DownloadInitContainer {
		v.Storage.Download = &values.Download{Mode: d.Mode}
		c["storage.download"] = "Download: --download " + d.Mode + "."
		if d.Mode == plan.DownloadSharedCache {
			v.Storage.SharedCache = &values.SharedCache{Size: fmt.Sprintf("%dGi", d.SharedGiB)}
			c["storage.sharedCache.size"] = "Shared cache: " + d.Reason + "."
			c["storage.size"] = fmt.Sprintf("Disk per pod: the compile caches only (%d Gi, a guess on the safe side); the weights are on storage.sharedCache.", plan.EngineCacheGiB)
		}
	}
	v.Probes = &values.Probes{SizeClass: p0.Probe.SizeClass, Startup: &values.Probe{FailureThreshold: ptr(p0.Probe.FailureThreshold)}}
	c["probes.startup.failureThreshold"] = "Startup probe: " + p0.Probe.Reason + "."

	var h strings.Builder
	fmt.Fprintf(&h, "llm-model values for %s, written by: %s\n", in.Name, cmdline)
	if sglang {
		fmt.Fprintf(&h, "Every computed number is explained in the comment above it; the plan assumes SGLang's memory model\n")
		fmt.Fprintf(&h, "(weights + one full context of KV inside mem-fraction-static; activations, CUDA graphs and NCCL buffers outside).\n")
	} else {
		fmt.Fprintf(&h, "Every computed number is explained in the comment above it; the plan assumes vLLM's memory model\n")
		fmt.Fprintf(&h, "(weights + activations + one full context of KV inside gpu-memory-utilization, CUDA graphs outside).\n")
	}
	for _, p := range plans {
		layout := fmt.Sprintf("TP %d × PP %d × DCP %d", p.TP, p.PP, p.DCP)
		if sglang {
			layout = fmt.Sprintf("TP %d × PP %d", p.TP, p.PP)
			if p.DPAttention {
				layout += fmt.Sprintf(" with DP attention %d", p.DP)
			}
		}
		if p.Nodes > 1 {
			layout += fmt.Sprintf(", %d pods (nodes) of %d GPUs", p.Nodes, p.GPUsPerPod)
		}
		fmt.Fprintf(&h, "%s: %d GPU(s), %s, max_model_len %s, KV capacity %s tokens (%.2f× one context)\n",
			p.GPU, p.GPUs, layout, plan.Commas(int64(p.MaxModelLen)), plan.Commas(p.KVTokens), p.Concurrency)
	}
	for _, w := range warnings(plans) {
		fmt.Fprintf(&h, "WARNING: %s\n", w)
	}
	v.Plan = planSummary(plans)
	c["plan"] = "What chartgen worked out, for NOTES.txt (informational: nothing renders from it)."
	return v, h.String(), c
}

// planSummary is the informational plan block NOTES.txt prints: the model's own context (so NOTES only warns when
// max_model_len differs from it), the KV capacity of the smallest instance, and with several GPU types one line per
// resource group.
func planSummary(plans []*plan.Plan) *values.Plan {
	sum := &values.Plan{}
	for _, p := range plans {
		if p.ModelMaxLen > 0 && sum.ModelMaxLen == nil {
			sum.ModelMaxLen = ptr(int64(p.ModelMaxLen))
		}
		if sum.KVCacheTokens == nil || p.KVTokens < *sum.KVCacheTokens {
			sum.KVCacheTokens = ptr(p.KVTokens)
		}
		if len(plans) == 1 {
			continue // kvCacheTokens says it all
		}
		sum.Notes = append(sum.Notes, fmt.Sprintf("%s: KV cache for %s tokens per instance (%.2f× one %s-token context)",
			p.GPU, plan.Commas(p.KVTokens), p.Concurrency, plan.Commas(int64(p.MaxModelLen))))
	}
	return sum
}

func gpuIDs(plans []*plan.Plan) []string {
	out := make([]string, len(plans))
	for i, p := range plans {
		out[i] = p.GPU
	}
	return out
}

func warnings(plans []*plan.Plan) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range plans {
		for _, w := range p.Warnings {
			if !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	return out
}

// rankWiring explains a multi-node group: which pod is which rank and how the ranks find each other (the chart's
// templates/_args.tpl llm-model.command, statefulset.yaml and service.yaml).
func rankWiring(p *plan.Plan, sglang bool, multiNodeMode string) string {
	flags := "vLLM: --nnodes N --node-rank R --master-addr <rank 0> --master-port 29500, workers with --headless (no API server)"
	if sglang {
		flags = "SGLang: --nnodes N --node-rank R --dist-init-addr <rank 0>:29500, and --dist-timeout 1200"
	}
	cache := "Each pod has its own cache volume (storage.size per pod) and downloads its own copy of the weights"
	if p.Download.Mode == plan.DownloadSharedCache {
		cache = "Every rank mounts the one shared cache (storage.sharedCache) read-only; each pod's own volume holds its compile caches"
	}
	if multiNodeMode == values.MultiNodeLeaderWorkerSet {
		return fmt.Sprintf("Nodes: one instance is %d pods of %d GPUs, each on its own node: TP %d within a pod, PP %d across the pods (pipeline stage k on rank k; the guide: TP within a node, PP between nodes). "+
			"The chart renders one LeaderWorkerSet (multiNode.mode) with size %d: per instance a leader pod (rank 0, the only pod behind the model's Service) and %d workers; "+
			"each pod takes its rank from LWS_WORKER_INDEX and rank 0's address from LWS_LEADER_ADDRESS, and starts the engine with %s. "+
			"%s. replicas counts instances.",
			p.Nodes, p.GPUsPerPod, p.TP, p.PP, p.Nodes, p.Nodes-1, flags, cache)
	}
	return fmt.Sprintf("Nodes: one instance is %d pods of %d GPUs, each on its own node: TP %d within a pod, PP %d across the pods (pipeline stage k on rank k; the guide: TP within a node, PP between nodes). "+
		"The chart renders a leader StatefulSet (pod i is rank 0 of instance i, the only pod behind the model's Service) and a <name>-workers StatefulSet "+
		"(ranks 1..%d of each instance: RANK = 1 + pod index %% %d), both with podManagementPolicy Parallel, and a headless <name>-ranks Service that gives rank 0 "+
		"a DNS name; each pod reads its index from the apps.kubernetes.io/pod-index label and starts the engine with %s. "+
		"%s. replicas counts instances (leader pods); the StatefulSet names, <release>-workers included, must stay within 52 characters.",
		p.Nodes, p.GPUsPerPod, p.TP, p.PP, p.Nodes-1, p.Nodes-1, flags, cache)
}

// autoscaleTargets writes the autoscaler targets of each plan (plan.Autoscale), with their reasons, and leaves
// autoscaling disabled: turning it on needs a Prometheus address (or prometheus-adapter) only the user knows. One plan:
// the shared block; several: each group's overrides, as each GPU type holds a different concurrency.
func autoscaleTargets(v *values.Model, plans []*plan.Plan, multiNodeMode string, c values.Comments) {
	targets := func(p *plan.Plan, key string) *values.Autoscaling {
		t := plan.Autoscale(p)
		c[key] = "Autoscaler targets (used once autoscaling.enabled is true): " + t.Reason + "."
		switch {
		case p.Nodes > 1 && multiNodeMode == values.MultiNodeLeaderWorkerSet:
			c[key] += " This group's instances span several nodes: the autoscaler scales its LeaderWorkerSet, one whole instance at a time, on the leaders' gauges."
		case p.Nodes > 1:
			c[key] += " This group's instances span several nodes: the chart autoscales them only in LeaderWorkerSet mode (chartgen --multi-node-mode leaderWorkerSet), as the StatefulSet pair cannot scale whole instances."
		}
		return &values.Autoscaling{Targets: &values.AutoscalingTargets{QueueLength: ptr(t.QueueLength), KVCacheUsage: ptr(t.KVCacheUsage)}}
	}
	if len(plans) == 1 {
		v.Autoscaling = targets(plans[0], "autoscaling.targets")
	} else {
		v.Autoscaling = &values.Autoscaling{}
		for i, p := range plans {
			v.ResourceGroups[i].Autoscaling = targets(p, fmt.Sprintf("resourceGroups[%d].autoscaling.targets", i))
		}
	}
	v.Autoscaling.Enabled = ptr(false)
	c["autoscaling"] = "Autoscaling is off: to turn it on set autoscaling.enabled: true and autoscaling.keda.serverAddress (KEDA), or mode: hpa with prometheus-adapter; the chart's values.yaml explains both."
}

// writeMultiNodeMode writes multiNode.mode leaderWorkerSet when --multi-node-mode asks for it and a plan is multi-node
// (for single-node plans the mode changes nothing, so it is left out). The StatefulSet mode is the chart's default and
// is not written.
func writeMultiNodeMode(v *values.Model, plans []*plan.Plan, multiNodeMode string, c values.Comments) {
	if multiNodeMode != values.MultiNodeLeaderWorkerSet || !slices.ContainsFunc(plans, func(p *plan.Plan) bool { return p.Nodes > 1 }) {
		return
	}
	v.MultiNode = &values.MultiNode{Mode: values.MultiNodeLeaderWorkerSet}
	c["multiNode.mode"] = "Multi-node mode: one LeaderWorkerSet per multi-node group (--multi-node-mode leaderWorkerSet; the cluster needs the LeaderWorkerSet controller, kubernetes-sigs/lws, at the release the chart's NOTES name). " +
		"Unlike the StatefulSet pair, a failed or restarted rank recreates its whole instance (restartPolicy RecreateGroupOnPodRestart), so the ranks rejoin together, " +
		"and an autoscaler can scale whole instances through the LeaderWorkerSet's scale subresource."
}
