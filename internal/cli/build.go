package cli

import (
	"fmt"
	"strings"

	"github.com/llm-charts/llm-charts/internal/plan"
	"github.com/llm-charts/llm-charts/internal/values"
)

func ptr[T any](v T) *T { return &v }

// buildValues turns single-pod plans (one per GPU type) into llm-model values and the comments that explain them.
// One plan: every setting in the shared blocks and one unnamed group (the guide's naming). Several: the model-wide
// settings shared, the layout per group, each group named after its GPU id, all behind the one Service.
func buildValues(in plan.Input, plans []*plan.Plan, o plan.Options, cmdline string) (*values.Model, string, values.Comments) {
	c := values.Comments{}
	p0 := plans[0]
	v := &values.Model{Model: values.ModelRef{Name: in.Name}}
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

	// Model-wide serving settings.
	s := &values.Serving{}
	x := &values.VLLM{APIServerCount: ptr(p0.APIServers)}
	c["vllm.apiServerCount"] = "API servers: " + p0.Reasons[plan.ReasonAPIServers] + "."
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
	if p0.Multimodal {
		x.Multimodal = &values.Multimodal{Enabled: true, ProcessorCacheGB: ptr(plan.MultimodalCacheGB)}
		c["vllm.multimodal"] = "Multimodal: " + p0.Reasons[plan.ReasonMultimodal] + "."
	}

	// Per-plan layout: into the shared blocks for one plan, into each group for several.
	layout := func(p *plan.Plan, sv *values.Serving, xv *values.VLLM, prefix string) {
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
		}
		sv.MaxModelLen = ptr(int64(p.MaxModelLen))
		ctxNote := "Context: " + p.Reasons[plan.ReasonContext] + ". KV cache: " + p.Reasons[plan.ReasonKV] + "; dtype " + p.Reasons[plan.ReasonKVDType] + "."
		if p.Shortened {
			ctxNote = "WARNING: " + ctxNote
		}
		c[prefix+"serving.maxModelLen"] = ctxNote
		sv.GPUMemoryUtilization = ptr(p.GPUMemoryUtilization)
		c[prefix+"serving.gpuMemoryUtilization"] = "GPU memory utilization: " + p.Reasons[plan.ReasonUtil] + "."
		if p.MaxNumBatchedTokens > 0 {
			sv.MaxNumBatchedTokens = ptr(int64(p.MaxNumBatchedTokens))
			c[prefix+"serving.maxNumBatchedTokens"] = "Batched tokens: " + p.Reasons[plan.ReasonBatched] + "."
		}
	}

	groups := make([]values.ResourceGroup, 0, len(plans))
	for i, p := range plans {
		gp := fmt.Sprintf("resourceGroups[%d].", i)
		g := values.ResourceGroup{}
		if len(plans) == 1 {
			g.Name = ptr("")
			layout(p, s, x, "")
		} else {
			g.Name = ptr(p.GPU)
			c[gp+"name"] = fmt.Sprintf("%s: one StatefulSet per GPU type, all behind the one Service (the guide's service-group).", p.GPU)
			g.Serving, g.VLLM = &values.Serving{}, &values.VLLM{}
			layout(p, g.Serving, g.VLLM, gp)
			if g.VLLM.DecodeContextParallelSize == nil {
				g.VLLM = nil
			}
		}
		pl := p.Placement
		g.GPU = &values.GPU{Resource: pl.Resource, Count: ptr(p.GPUs), MemoryMiBGt: ptr(pl.MemoryMiBGt), Products: pl.Products}
		c[gp+"gpu"] = "Placement: " + pl.Reason + ". " + pl.LargeReason + "."
		c[gp+"gpu.count"] = "GPUs: " + p.Reasons[plan.ReasonGPUs] + "."
		r := p.Resources
		g.Resources = &values.Resources{Memory: &values.Memory{RequestGiB: ptr(r.MemRequestGiB), LimitGiB: ptr(r.MemLimitGiB)}}
		c[gp+"resources"] = "CPU (left null so the chart computes it): " + r.CPUReason + "."
		c[gp+"resources.memory"] = "Memory: " + r.MemReason + "."
		groups = append(groups, g)
	}
	v.Serving, v.VLLM, v.ResourceGroups = s, x, groups
	if len(plans) > 1 {
		c["resourceGroups"] = fmt.Sprintf("One resource group per GPU type (%s); each is planned on its own.", strings.Join(gpuIDs(plans), ", "))
	}

	v.Storage = &values.Storage{Size: fmt.Sprintf("%dGi", p0.Resources.DiskGiB)}
	c["storage.size"] = "Disk: " + p0.Resources.DiskReason + "."
	v.Probes = &values.Probes{SizeClass: p0.Probe.SizeClass, Startup: &values.Probe{FailureThreshold: ptr(p0.Probe.FailureThreshold)}}
	c["probes.startup.failureThreshold"] = "Startup probe: " + p0.Probe.Reason + "."

	var h strings.Builder
	fmt.Fprintf(&h, "llm-model values for %s, written by: %s\n", in.Name, cmdline)
	fmt.Fprintf(&h, "Every computed number is explained in the comment above it; the plan assumes vLLM's memory model\n")
	fmt.Fprintf(&h, "(weights + activations + one full context of KV inside gpu-memory-utilization, CUDA graphs outside).\n")
	for _, p := range plans {
		fmt.Fprintf(&h, "%s: %d GPU(s), TP %d × PP %d × DCP %d, max_model_len %s, KV capacity %s tokens (%.2f× one context)\n",
			p.GPU, p.GPUs, p.TP, p.PP, p.DCP, plan.Commas(int64(p.MaxModelLen)), plan.Commas(p.KVTokens), p.Concurrency)
	}
	for _, w := range warnings(plans) {
		fmt.Fprintf(&h, "WARNING: %s\n", w)
	}
	return v, h.String(), c
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
