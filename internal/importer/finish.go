package importer

import (
	"fmt"
)

// finish reconciles what the chart derives from several values with what the manifest says.
func (s *state) finish() {
	if s.v.Model.Name == "" {
		s.unmapped("the engine command names no model (--model): model.name is required")
	}
	sv, x := s.serving, s.vllm
	tp, pp, dp := max(1, sv.TensorParallelSize), max(1, sv.PipelineParallelSize), max(1, sv.DataParallelSize)
	if s.nodesFromFlag > 1 && s.group.Nodes == 0 {
		s.group.Nodes = s.nodesFromFlag
	}
	nodes := max(1, s.group.Nodes)
	if s.v.SGLang != nil && s.v.SGLang.EnableDPAttention {
		dp = 1 // SGLang's DP attention runs inside the tensor-parallel GPUs
	}
	if want := tp * pp * dp; s.gpus*nodes != want {
		s.unmapped("GPU limit %d × %d node(s): the chart requests tensor × pipeline × data parallel = %d GPUs per instance", s.gpus, nodes, want)
	}
	if s.epSize != "" {
		if s.epSize == fmt.Sprint(tp) {
			sv.EnableExpertParallel = ptr(true)
		} else {
			sv.ExtraArgs = append(sv.ExtraArgs, "--ep-size", s.epSize)
			s.unmapped("engine flag --ep-size %s: the chart renders --ep-size equal to the tensor parallel size %d (serving.enableExpertParallel); kept in serving.extraArgs", s.epSize, tp)
		}
	}
	s.kserveModelPath()
	s.cacheDir()
	if pp > 1 {
		for _, k := range []string{"VLLM_RPC_TIMEOUT", "VLLM_EXECUTE_MODEL_TIMEOUT_SECONDS", "VLLM_ENGINE_ITERATION_TIMEOUT_S"} {
			if _, ok := sv.Env[k]; !ok {
				s.note("pipeline parallel: the chart adds %s (vllm.pipelineTimeouts)", k)
			}
		}
	}
	if x.CPUOffload != nil && x.CPUOffload.Backend != "" {
		for _, k := range []string{"PYTORCH_ALLOC_CONF", "VLLM_WEIGHT_OFFLOADING_DISABLE_PIN_MEMORY"} {
			if _, ok := sv.Env[k]; !ok {
				s.note("CPU offload: the chart adds the mandatory %s", k)
			}
		}
	}
	if len(sv.HFOverrides) > 0 && x.AllowLongMaxModelLen == nil {
		f := false
		x.AllowLongMaxModelLen = &f // the manifest did not set it; keep it that way
	}
	// Memory: the chart adds what the engine keeps in CPU RAM; the values hold the base.
	added, api := int64(0), 1
	if x.APIServerCount != nil {
		api = max(1, *x.APIServerCount)
	}
	if mm := x.Multimodal; mm != nil && mm.Enabled {
		cache := 4
		if mm.ProcessorCacheGB != nil {
			cache = *mm.ProcessorCacheGB
		}
		added += int64(cache * api)
		if mm.ProcessorCacheType == "" && s.gpus > 1 {
			s.note("multimodal with %d GPUs: the chart adds --mm-processor-cache-type shm", s.gpus)
		}
	}
	if o := x.CPUOffload; o != nil && o.Backend == "uva" && o.GB != nil {
		added += int64(*o.GB * s.gpus)
	}
	if x.KVOffload != nil && x.KVOffload.SizeGB != nil {
		added += int64(*x.KVOffload.SizeGB)
	}
	if r := s.group.Resources; added > 0 && r != nil && r.Memory != nil {
		for _, p := range []**int64{&r.Memory.RequestGiB, &r.Memory.LimitGiB} {
			if *p == nil {
				continue
			}
			base := **p - added
			if base < 1 {
				s.unmapped("memory %dGi: less than the %d GiB the chart adds for CPU-side caches and offload", **p, added)
				base = 1
			}
			*p = &base
		}
		s.note("memory: the chart adds %d GiB (multimodal cache, CPU and KV offload) to resources.memory, so the values hold %d GiB less", added, added)
	}
}
