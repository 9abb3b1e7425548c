package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/llm-charts/llm-charts/internal/engine"
	"github.com/llm-charts/llm-charts/internal/plan"
	"github.com/llm-charts/llm-charts/internal/values"
)

// blocks are the serving, vllm and sglang blocks a plan's layout is written to: the shared ones for one plan, a
// group's overrides for several.
type blocks struct {
	s  *values.Serving
	x  *values.VLLM
	sg *values.SGLang
}

// buildGroups writes one resource group per plan (GPUs, nodes, resources) and each plan's layout: into the shared
// blocks s, x, sg for one plan, into the group's overrides for several. An engine block left empty is left out.
func (b *builder) buildGroups(s *values.Serving, x *values.VLLM, sg *values.SGLang) {
	v, c := b.v, b.c
	groups := make([]values.ResourceGroup, 0, len(b.plans))
	for i, p := range b.plans {
		gp := fmt.Sprintf("resourceGroups[%d].", i)
		g := values.ResourceGroup{}
		if len(b.plans) == 1 {
			g.Name = ptr("")
			b.layout(p, blocks{s, x, sg}, "")
		} else {
			g.Name = ptr(p.GPU)
			c[gp+"name"] = fmt.Sprintf("%s: one StatefulSet per GPU type, all behind the one Service (the guide's service-group).", p.GPU)
			g.Serving, g.VLLM, g.SGLang = &values.Serving{}, &values.VLLM{}, &values.SGLang{}
			b.layout(p, blocks{g.Serving, g.VLLM, g.SGLang}, gp)
			g.VLLM, g.SGLang = nonEmpty(g.VLLM), nonEmpty(g.SGLang)
		}
		if p.Nodes > 1 {
			g.Nodes = p.Nodes
			c[gp+"nodes"] = rankWiring(p, b.e, b.multiNodeMode)
		}
		b.groupResources(p, &g, gp)
		groups = append(groups, g)
	}
	v.Serving, v.VLLM, v.SGLang, v.ResourceGroups = s, nonEmpty(x), nonEmpty(sg), groups
	if len(b.plans) > 1 {
		c["resourceGroups"] = fmt.Sprintf("One resource group per GPU type (%s); each is planned on its own.", strings.Join(gpuIDs(b.plans), ", "))
	}
}

// nonEmpty is the block, or nil when nothing was written to it.
func nonEmpty[T comparable](blk *T) *T {
	var zero T
	if *blk == zero {
		return nil
	}
	return blk
}

// groupResources writes a group's GPU request, placement and memory.
func (b *builder) groupResources(p *plan.Plan, g *values.ResourceGroup, gp string) {
	c := b.c
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
}

// layout writes a plan's layout and memory settings to the blocks, with comments under prefix ("" for the shared
// blocks, "resourceGroups[i]." for a group's overrides).
func (b *builder) layout(p *plan.Plan, blk blocks, prefix string) {
	b.layoutParallel(p, blk, prefix)
	b.layoutMemory(p, blk, prefix)
}

// layoutParallel writes the compute dtype and the parallel sizes.
func (b *builder) layoutParallel(p *plan.Plan, blk blocks, prefix string) {
	c, sv := b.c, blk.s
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
	if p.DCP > 1 && engine.RendersKey(b.e, "vllm.decodeContextParallelSize") {
		blk.x.DecodeContextParallelSize = ptr(p.DCP)
		c[prefix+"vllm.decodeContextParallelSize"] = fmt.Sprintf("Decode context parallel %d: shards the KV cache across the %d tensor-parallel GPUs instead of duplicating it.", p.DCP, p.TP)
	}
	if p.EP {
		sv.EnableExpertParallel = ptr(true)
		c[prefix+"serving.enableExpertParallel"] = "Expert parallel: " + p.Reasons[plan.ReasonEP] + "."
		if note := b.e.ExpertParallelNote(p.TP); note != "" {
			c[prefix+"serving.enableExpertParallel"] += " " + note
		}
	}
	dpAttention := engine.RendersKey(b.e, "sglang.enableDpAttention")
	if p.DPAttention && dpAttention {
		sv.DataParallelSize = p.DP
		blk.sg.EnableDPAttention = true
		c[prefix+"serving.dataParallelSize"] = fmt.Sprintf("Data parallel %d, inside the TP group (sglang.enableDpAttention).", p.DP)
		c[prefix+"sglang.enableDpAttention"] = "DP attention: " + p.Reasons[plan.ReasonDPAttention] + "."
	} else if why := p.Reasons[plan.ReasonDPAttention]; dpAttention && why != "" && p.TP > 1 {
		c[prefix+"serving.tensorParallelSize"] += " DP attention " + why + "."
	}
}

// layoutMemory writes the context, the memory utilization, the batched tokens and what pipeline stages need.
func (b *builder) layoutMemory(p *plan.Plan, blk blocks, prefix string) {
	c, sv := b.c, blk.s
	sv.MaxModelLen = ptr(int64(p.MaxModelLen))
	ctxNote := "Context: " + p.Reasons[plan.ReasonContext] + ". KV cache: " + p.Reasons[plan.ReasonKV] + "; dtype " + p.Reasons[plan.ReasonKVDType] + "."
	if p.Shortened {
		ctxNote = "WARNING: " + ctxNote
	}
	c[prefix+"serving.maxModelLen"] = ctxNote
	sv.GPUMemoryUtilization = ptr(p.GPUMemoryUtilization)
	c[prefix+"serving.gpuMemoryUtilization"] = b.e.UtilizationLabel() + p.Reasons[plan.ReasonUtil] + "."
	if p.MaxNumBatchedTokens > 0 {
		sv.MaxNumBatchedTokens = ptr(int64(p.MaxNumBatchedTokens))
		c[prefix+"serving.maxNumBatchedTokens"] = b.e.BatchedTokensLabel() + p.Reasons[plan.ReasonBatched] + "."
	}
	if p.PP > 1 {
		if note := b.e.PipelineNote(p.Nodes); note != "" {
			key := prefix + "serving.pipelineParallelSize"
			c[key] = strings.TrimPrefix(c[key]+" Pipeline stages: "+note+".", " ")
		}
	}
}

// rankWiring explains a multi-node group: which pod is which rank and how the ranks find each other (the chart's
// templates/_args.tpl llm-model.command, statefulset.yaml and service.yaml).
func rankWiring(p *plan.Plan, e engine.Engine, multiNodeMode string) string {
	flags := e.RankFlagsNote()
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
