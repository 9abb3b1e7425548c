package plan

import (
	"fmt"
	"math"

	"github.com/llm-charts/llm-charts/internal/engine"
	"github.com/llm-charts/llm-charts/internal/gpu"
)

// Sizing constants from the operations guide (../shared/reference/managing-ai-models-guide.txt).
const (
	// LargeModelParams, MaxNumSeqs, BatchedTokens, DefaultBatchedTokens and MultimodalCacheGB are the guide's
	// serving figures the engines' defaults follow (internal/engine plan_serving.go says where each comes from).
	LargeModelParams     = engine.LargeModelParams
	MaxNumSeqs           = engine.MaxNumSeqs
	BatchedTokens        = engine.BatchedTokens
	DefaultBatchedTokens = engine.DefaultBatchedTokens
	MultimodalCacheGB    = engine.MultimodalCacheGB
	// DiskOverWeights is the target margin of the cache volume over the checkpoint (the guide: 10-20% more).
	DiskOverWeights = 1.15
	// RAMOverWeights: memory limit = 1.5 × loaded weights + process overhead. The guide's rule is "limit slightly
	// over the loaded model size, request around half" and its MiniMax-M2.5 deployment (214.3 GiB of weights) uses
	// 360Gi / 180Gi, i.e. 1.68× the weights: the safetensors pages read while loading are charged to the pod's memory
	// cgroup on top of the engine's own buffers. 1.5× plus the per-process overhead below reproduces it.
	RAMOverWeights = 1.5
	// RAMPerAPIServerGiB and RAMPerGPUWorkerGiB are the CPU memory of each API-server process (tokenizer, HTTP) and
	// of each GPU worker process (CUDA context, torch, pinned staging buffers).
	RAMPerAPIServerGiB = 2
	RAMPerGPUWorkerGiB = 4
)

// Resources are a pod's CPU, memory and disk with reasons.
type Resources struct {
	CPURequest    int    `json:"cpuRequest"`
	CPULimit      int    `json:"cpuLimit"`
	CPUReason     string `json:"cpuReason"`
	MemRequestGiB int64  `json:"memoryRequestGiB"`
	MemLimitGiB   int64  `json:"memoryLimitGiB"`
	// MemAddedGiB is what the chart adds on top (multimodal cache × API servers).
	MemAddedGiB int64  `json:"memoryAddedGiB"`
	MemReason   string `json:"memoryReason"`
	DiskGiB     int64  `json:"diskGiB"`
	DiskReason  string `json:"diskReason"`
}

// cpuThreads is the guide's formula: 1 + GPUs + API servers (min 1) + DP (min 1) + (1 if DP > 1); limit twice it.
func cpuThreads(gpus, api, dp int) (int, int, string) {
	api, dp = max(1, api), max(1, dp)
	extra := 0
	if dp > 1 {
		extra = 1
	}
	req := 1 + gpus + api + dp + extra
	return req, 2 * req, fmt.Sprintf("the guide's formula: request 1 + %d GPUs + %d API servers + %d DP%s = %d threads, limit twice that = %d (the chart computes the same when cpu is null)",
		gpus, api, dp, map[bool]string{true: " + 1 (DP > 1)", false: ""}[dp > 1], req, 2*req)
}

func ceilTo(x float64, step int64) int64 {
	return int64(math.Ceil(x/float64(step)-1e-9)) * step
}

// memory sizes the pod's RAM before the chart's additions.
// chartCache says the chart adds the multimodal processor cache (vLLM) on top.
func memory(loaded int64, gpus, api int, multimodal, chartCache bool) (int64, int64, int64, string) {
	w := float64(loaded) / GiB
	over := float64(RAMPerAPIServerGiB*api + RAMPerGPUWorkerGiB*gpus)
	limit := ceilTo(RAMOverWeights*w+over, 8)
	frac := 0.5
	if multimodal {
		frac = 0.6
	}
	req := ceilTo(float64(limit)*frac, 4)
	if req > limit {
		req = limit
	}
	var added int64
	why := fmt.Sprintf("limit = 1.5 × %.1f GiB of weights + %d GiB for %d API servers and %d GPU workers, rounded up to 8 GiB = %d GiB; request = %d%% of it = %d GiB (the guide: around half, more for multimodal; its MiniMax deployment uses 180/360)",
		w, int64(over), api, gpus, limit, int(frac*100), req)
	if multimodal && chartCache {
		added = int64(MultimodalCacheGB * api)
		why += fmt.Sprintf("; the chart adds the multimodal cache %d GB × %d API servers = %d GiB to both", MultimodalCacheGB, api, added)
	}
	return req, limit, added, why
}

// disk sizes the cache volume: DiskOverWeights over the checkpoint, rounded up to 2 Gi below 32 Gi, 8 Gi below
// 128 Gi, 16 Gi below 1 Ti, 64 Gi above, so the result stays 10-25% over (214.3 GiB gives the guide's 256Gi).
func disk(onDisk int64) (int64, string) {
	w := float64(onDisk) / GiB
	t := w * DiskOverWeights
	step := int64(8)
	switch {
	case t >= 1024:
		step = 64
	case t >= 128:
		step = 16
	case t < 32:
		step = 2
	}
	g := ceilTo(t, step)
	return g, fmt.Sprintf("%.1f GiB of checkpoint files × %.2f = %.1f GiB, rounded up to %d Gi steps = %dGi (%.0f%% over; the guide: 10-20%%)",
		w, DiskOverWeights, t, step, g, (float64(g)/w-1)*100)
}

// Probe is the startup probe choice.
type Probe struct {
	SizeClass        string `json:"sizeClass"`
	FailureThreshold int    `json:"failureThreshold"`
	Reason           string `json:"reason"`
}

// startupProbe follows the guide's table (at periodSeconds 10): < 10B: 60-90; 10-40B: 90-270; 40-100B: 180-360;
// 100B+ or multi-node: 270-2160. Inside a band the threshold grows linearly with the parameter count (on a log
// scale from 100B to 1T for the last band); multi-node plans take the band's top.
// The window covers loading only when a download step runs first (the init container or the shared cache's Job),
// and the download too in DownloadEngine mode; the guide's numbers, which include the download, then leave a margin.
func startupProbe(params int64, multiNode bool, download string) Probe {
	p := float64(params)
	type band struct {
		class    string
		lo, hi   float64
		tlo, thi int
	}
	bands := []band{{"small", 0, 10e9, 60, 90}, {"medium", 10e9, 40e9, 90, 270}, {"large", 40e9, 100e9, 180, 360}, {"xlarge", 100e9, 1000e9, 270, 2160}}
	b := bands[len(bands)-1]
	for _, x := range bands {
		if p < x.hi {
			b = x
			break
		}
	}
	var pos float64
	if b.class == "xlarge" {
		pos = math.Log10(math.Max(p, b.lo)/b.lo) / math.Log10(b.hi/b.lo)
	} else {
		pos = (p - b.lo) / (b.hi - b.lo)
	}
	pos = math.Min(1, math.Max(0, pos))
	if multiNode {
		pos = 1
	}
	t := b.tlo + int(math.Ceil(pos*float64(b.thi-b.tlo)/10))*10
	t = min(t, b.thi)
	why := fmt.Sprintf("%.1fB parameters: the guide's %s band (%d-%d checks at 10 s), placed by size within it = %d (%d min)", p/1e9, b.class, b.tlo, b.thi, t, t*10/60)
	if multiNode {
		why += "; multi-node: the band's top"
	}
	if download == DownloadEngine {
		why += "; the window also covers the engine's own download (storage.download.mode engine): raise it for a slow mirror"
	} else {
		why += "; the window covers loading only (the weights are downloaded before the engine starts, in storage.download's step), so the guide's numbers, which include the download, leave a margin"
	}
	return Probe{SizeClass: b.class, FailureThreshold: t, Reason: why}
}

// Placement is the image build and node affinity for one GPU type.
type Placement struct {
	CUDA        string   `json:"cuda"`
	CUDAReason  string   `json:"cudaReason"`
	Resource    string   `json:"resource"`
	MemoryMiBGt int64    `json:"memoryMiBGt"`
	Products    []string `json:"products,omitempty"`
	Reason      string   `json:"reason"`
	LargeGPU    bool     `json:"largeGpuToleration"`
	LargeReason string   `json:"largeGpuReason"`
}

// placement: CUDA 13.0 builds need compute capability above 7.0 (Volta); older GPUs (V100) get the 12.9 build (the
// guide's embedding example). The memory threshold is the card's nvidia.com/gpu.memory label rounded down to the
// thousand below (81920 → 80000, the guide's value), so board variants with slightly different labels still match.
// Products pin the type, except for special resource names that already do (the guide: not for nvidia.com/a100 or
// nvidia.com/rtxa6000).
func placement(g gpu.GPU, gpus int) Placement {
	p := Placement{Resource: g.Resource}
	if g.ComputeMajor > 7 || (g.ComputeMajor == 7 && g.ComputeMinor > 0) {
		b := gpu.CUDABuilds[0]
		p.CUDA = b.CUDA
		p.CUDAReason = fmt.Sprintf("compute capability %s is newer than Volta (7.0): the default CUDA %s build (node affinity compute.major > %d, driver > %d from the chart)", g.ComputeCapability(), b.CUDA, b.ComputeMajorGt, b.DriverMajorGt)
	} else {
		b, _ := gpu.CUDABuildOf("12.9")
		p.CUDA = b.CUDA
		p.CUDAReason = fmt.Sprintf("compute capability %s (Volta or older) is not supported by the CUDA 13 build: the %s build (compute.major > %d, driver > %d from the chart)", g.ComputeCapability(), b.CUDA, b.ComputeMajorGt, b.DriverMajorGt)
	}
	p.MemoryMiBGt = (g.MemoryMiB/1000 - 1) * 1000
	if p.MemoryMiBGt < 0 {
		p.MemoryMiBGt = 0
	}
	p.Reason = fmt.Sprintf("nvidia.com/gpu.memory > %d MiB: just below the %s label %d MiB", p.MemoryMiBGt, g.ID, g.MemoryMiB)
	if g.Resource == "nvidia.com/gpu" {
		p.Products = []string{g.Product}
		p.Reason += fmt.Sprintf("; product %s pins the type (the generic resource nvidia.com/gpu does not)", g.Product)
	} else {
		p.Reason += fmt.Sprintf("; the special resource %s already pins the type, so no product rule (the guide)", g.Resource)
	}
	p.LargeGPU = gpus == 4 || gpus == 8
	if p.LargeGPU {
		p.LargeReason = fmt.Sprintf("%d GPUs per pod: the chart adds the large-gpu toleration (the guide: only at 4 or 8 GPUs)", gpus)
	} else {
		p.LargeReason = fmt.Sprintf("%d GPU(s) per pod: no large-gpu toleration (the guide: only at 4 or 8)", gpus)
	}
	return p
}
