package plan

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/llm-charts/llm-charts/internal/catalog"
	"github.com/llm-charts/llm-charts/internal/engine"
	"github.com/llm-charts/llm-charts/internal/gpu"
	"github.com/llm-charts/llm-charts/internal/model"
)

// TestEveryModelOnEveryGPU plans every embedded model on every catalog GPU and checks the memory invariants: each
// gets a one-pod plan, a multi-node plan, or a "does not fit" that says why.
func TestEveryModelOnEveryGPU(t *testing.T) {
	gpus := catalogGPUs(t)
	for _, id := range catalog.IDs() {
		in := catalogInput(t, id)
		f := in.Facts
		for _, g := range gpus {
			t.Run(id+"/"+g.ID, func(t *testing.T) {
				p, err := New(in, g, Options{})
				if err != nil {
					t.Fatal(err)
				}
				if p.Unsupported {
					// Only low-precision weights on a GPU generation without kernels for them.
					if f.Quant == nil || minComputeForQuant[f.Quant.Method] == [2]int{} || !olderThan(g, minComputeForQuant[f.Quant.Method]) {
						t.Fatalf("unsupported without reason: %s", p.NotFit)
					}
					return
				}
				if p.NotFit != "" {
					if p.Fits || p.MultiNode || !strings.Contains(p.NotFit, "does not fit") {
						t.Fatalf("bad not-fit plan: %+v", p)
					}
					// Only when even DefaultMaxNodes full nodes cannot hold the weights... or nearly.
					usable := float64(g.VRAMBytes) * p.GPUMemoryUtilization * float64(g.GPUsPerNode*DefaultMaxNodes)
					if float64(in.Weights.Loaded) < 0.5*usable {
						t.Errorf("does not fit, yet the weights take only %.0f%% of %d nodes", 100*float64(in.Weights.Loaded)/usable, DefaultMaxNodes)
					}
					return
				}
				if p.Fits == p.MultiNode {
					t.Fatalf("fits=%v multiNode=%v", p.Fits, p.MultiNode)
				}
				if p.GPUs != p.TP*p.PP || p.GPUsPerPod*p.Nodes != p.GPUs {
					t.Errorf("GPUs %d != TP %d × PP %d, or pods %d × %d", p.GPUs, p.TP, p.PP, p.Nodes, p.GPUsPerPod)
				}
				if p.Fits && (p.Nodes != 1 || p.GPUsPerPod > g.GPUsPerNode) {
					t.Errorf("one-pod plan with %d nodes / %d GPUs per pod (node has %d)", p.Nodes, p.GPUsPerPod, g.GPUsPerNode)
				}
				if f.Heads%p.TP != 0 {
					t.Errorf("TP %d does not divide %d heads", p.TP, f.Heads)
				}
				if p.TP&(p.TP-1) != 0 || p.TP > 8 {
					t.Errorf("TP %d is not a power of two <= 8", p.TP)
				}
				if f.MLA != nil && p.DCP != p.TP {
					t.Errorf("MLA model: DCP %d != TP %d", p.DCP, p.TP)
				}
				if f.MLA == nil && p.TP > f.KVHeads && p.DCP*f.KVHeads != p.TP {
					t.Errorf("TP %d > KV heads %d without DCP = TP/KV (DCP %d)", p.TP, f.KVHeads, p.DCP)
				}
				if f.MLA == nil && p.TP <= f.KVHeads && p.DCP != 1 {
					t.Errorf("DCP %d with TP %d <= KV heads %d", p.DCP, p.TP, f.KVHeads)
				}
				if engine.FP8Block(f) && f.MoE != nil && p.TP > 1 && (f.MoE.Intermediate/p.TP)%128 != 0 && !p.EP {
					t.Errorf("FP8 block MoE: %d / TP %d not a multiple of 128 and no EP", f.MoE.Intermediate, p.TP)
				}
				// KV for one full context fits the budget; weights + overhead + KV fit VRAM × utilization.
				kv, err := model.KVBytesForSequence(f, p.MaxModelLen, model.Layout{TP: p.TP, PP: p.PP, DCP: p.DCP}, model.KVOptions{MaxNumBatchedTokens: max(p.MaxNumBatchedTokens, DefaultBatchedTokens)})
				if err != nil {
					t.Fatal(err)
				}
				if kv != p.KVPerGPUForContext || kv > p.KVBudgetPerGPU {
					t.Errorf("KV for one context %d (plan says %d) > budget %d", kv, p.KVPerGPUForContext, p.KVBudgetPerGPU)
				}
				visible, _ := cudaVisibleBytes(g)
				usable := int64(float64(visible) * p.GPUMemoryUtilization)
				if p.WeightsPerGPU+p.OverheadPerGPU+p.KVBudgetPerGPU != usable || p.WeightsPerGPU+p.OverheadPerGPU+kv > usable {
					t.Errorf("weights %d + overhead %d + KV %d vs usable %d", p.WeightsPerGPU, p.OverheadPerGPU, kv, usable)
				}
				if p.Budget == nil || p.Budget.Term(TermKV) != p.KVBudgetPerGPU || p.Budget.OutsideFree < 0 {
					t.Errorf("budget %+v does not match the KV budget %d or runs out of memory outside the fraction", p.Budget, p.KVBudgetPerGPU)
				}
				if p.WeightsPerGPU*int64(p.GPUs) < in.Weights.Loaded {
					t.Errorf("weights per GPU %d × %d GPUs < %d loaded", p.WeightsPerGPU, p.GPUs, in.Weights.Loaded)
				}
				if p.KVTokens < int64(p.MaxModelLen) || p.Concurrency < 1 {
					t.Errorf("KV capacity %d tokens below max_model_len %d", p.KVTokens, p.MaxModelLen)
				}
				if !p.Shortened && p.MaxModelLen != f.MaxContext {
					t.Errorf("max_model_len %d != model's %d without a warning", p.MaxModelLen, f.MaxContext)
				}
				if p.MaxNumBatchedTokens != 0 && p.MaxNumBatchedTokens >= p.MaxModelLen {
					t.Errorf("max-num-batched-tokens %d not below max_model_len %d", p.MaxNumBatchedTokens, p.MaxModelLen)
				}
				// Fewest GPUs: one GPU fewer than the fewest in one pod does not hold it; the default (balanced)
				// objective takes at most one GPU more, for a pod of 1/2/4/8 GPUs or fewer pipeline stages, and says so.
				fewest := p.GPUs
				if p.Fits && p.fewest < p.GPUs {
					fewest = p.fewest
					if p.GPUs != fewest+1 || !strings.Contains(p.Reasons[ReasonObjective], "one GPU more buys") || !strings.Contains(p.Reasons[ReasonGPUs], "would hold it too") {
						t.Errorf("%d GPUs where %d hold it: %s / %s", p.GPUs, fewest, p.Reasons[ReasonObjective], p.Reasons[ReasonGPUs])
					}
					if p.PP > 1 && !podSize124(p.GPUs) {
						t.Errorf("one GPU more bought neither a 1/2/4/8 pod nor TP: TP %d × PP %d", p.TP, p.PP)
					}
				}
				if p.Fits && fewest > 1 {
					for _, c := range engine.MustLookup(string(engine.VLLM)).Layouts(f, fewest-1, fewest-1, 1) {
						l := c.Layout
						q, err := New(in, g, Options{Layout: &l})
						if err != nil {
							t.Fatal(err)
						}
						if q.Fits {
							t.Errorf("%d GPUs (%+v) would hold it too", fewest-1, c.Layout)
						}
					}
				}
				r := p.Resources
				if r.CPURequest != 1+p.GPUsPerPod+p.APIServers+1 || r.CPULimit != 2*r.CPURequest {
					t.Errorf("CPU %d/%d off the guide's formula", r.CPURequest, r.CPULimit)
				}
				if r.MemRequestGiB <= 0 || r.MemRequestGiB > r.MemLimitGiB {
					t.Errorf("memory %d/%d", r.MemRequestGiB, r.MemLimitGiB)
				}
				disk := float64(r.DiskGiB) * GiB / float64(in.Weights.OnDisk)
				if disk < 1.10 || disk > 1.25 {
					t.Errorf("disk %dGi is %.2f× the %.1f GiB checkpoint (want 1.10-1.25)", r.DiskGiB, disk, float64(in.Weights.OnDisk)/GiB)
				}
				for _, k := range []string{ReasonGPUs, ReasonParallelism, ReasonContext, ReasonUtil, ReasonKV, ReasonKVDType, ReasonAPIServers, ReasonBatched, ReasonWeights} {
					if p.Reasons[k] == "" {
						t.Errorf("no reason for %s", k)
					}
				}
				for _, s := range []string{r.CPUReason, r.MemReason, r.DiskReason, p.Probe.Reason, p.Placement.Reason, p.Placement.CUDAReason, p.Parsers.Reason} {
					if s == "" {
						t.Errorf("a choice without a reason: %+v", p)
					}
				}
			})
		}
	}
}

// TestGuideMiniMaxA100 is the guide's deployment: 4 × A100-80GB, TP 4, full 196,608 context, 8 API servers, CPU
// 14/28, memory 180/360, 256Gi, max-num-batched-tokens 16384, minimax_m2 parsers, nvidia.com/a100.
func TestGuideMiniMaxA100(t *testing.T) {
	in := catalogInput(t, "MiniMaxAI/MiniMax-M2.5")
	if got := float64(in.Weights.Loaded) / GiB; math.Abs(got-214.32) > 0.01 {
		t.Errorf("weights %.2f GiB, want 214.32 (the guide's hf-mem)", got)
	}
	if kv := kvWhole(in.Facts, 196608, ""); math.Abs(float64(kv)/GiB-46.50) > 0.005 {
		t.Errorf("KV for 196,608 tokens %.3f GiB, want 46.50", float64(kv)/GiB)
	}
	g := gpuByID(t, "a100-80gb")
	p, err := New(in, g, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name      string
		got, want any
	}{
		{"fits", p.Fits, true}, {"gpus", p.GPUs, 4}, {"tp", p.TP, 4}, {"pp", p.PP, 1}, {"dcp", p.DCP, 1}, {"ep", p.EP, false},
		{"maxModelLen", p.MaxModelLen, 196608}, {"util", p.GPUMemoryUtilization, 0.95}, {"apiServers", p.APIServers, 8},
		{"maxNumSeqs", p.MaxNumSeqs, 128}, {"mnbt", p.MaxNumBatchedTokens, 16384},
		{"tool", p.Parsers.Tool, "minimax_m2"}, {"reasoning", p.Parsers.Reasoning, "minimax_m2"}, {"trust", p.TrustRemoteCode, true},
		{"cpu", p.Resources.CPURequest, 14}, {"cpuLimit", p.Resources.CPULimit, 28},
		{"memReq", p.Resources.MemRequestGiB, int64(180)}, {"memLimit", p.Resources.MemLimitGiB, int64(360)},
		{"disk", p.Resources.DiskGiB, int64(256)}, {"resource", p.Placement.Resource, "nvidia.com/a100"},
		{"memGt", p.Placement.MemoryMiBGt, int64(80000)}, {"cuda", p.Placement.CUDA, "13.0"}, {"largeGpu", p.Placement.LargeGPU, true},
		{"sizeClass", p.Probe.SizeClass, "xlarge"},
	}
	for _, w := range want {
		if w.got != w.want {
			t.Errorf("%s = %v, want %v", w.name, w.got, w.want)
		}
	}
	if len(p.Placement.Products) != 0 {
		t.Errorf("products %v with the special resource nvidia.com/a100", p.Placement.Products)
	}
}

// TestGLM5MultiNode: GLM-5-FP8 does not fit 8 × 80 GB; the guide's plan is three 4-GPU pods, TP 4 × DCP 4 × PP 3.
func TestGLM5MultiNode(t *testing.T) {
	in := catalogInput(t, "zai-org/GLM-5-FP8")
	for _, id := range []string{"a100-80gb", "h100-80gb"} {
		p, err := New(in, gpuByID(t, id), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if p.Fits || !p.MultiNode || p.GPUs != 12 || p.Nodes != 3 || p.GPUsPerPod != 4 || p.TP != 4 || p.DCP != 4 || p.PP != 3 {
			t.Errorf("%s: %d GPUs = %d pods × %d, TP %d DCP %d PP %d, fits %v multi %v; want 3 × 4, TP 4 × DCP 4 × PP 3", id, p.GPUs, p.Nodes, p.GPUsPerPod, p.TP, p.DCP, p.PP, p.Fits, p.MultiNode)
		}
		if p.Probe.FailureThreshold != 2160 {
			t.Errorf("multi-node startup threshold %d, want the band's top 2160", p.Probe.FailureThreshold)
		}
	}
}

func TestRules(t *testing.T) {
	t.Run("V100 gets the CUDA 12.9 build", func(t *testing.T) {
		p, err := New(catalogInput(t, "Qwen/Qwen3-8B"), gpuByID(t, "v100-32gb"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if p.Placement.CUDA != "12.9" || len(p.Placement.Products) != 1 || p.Placement.Products[0] != "Tesla-V100-SXM2-32GB" {
			t.Errorf("cuda %s products %v", p.Placement.CUDA, p.Placement.Products)
		}
	})
	t.Run("FP8 MoE at TP 8 needs expert parallelism", func(t *testing.T) {
		p, err := New(catalogInput(t, "MiniMaxAI/MiniMax-M2.5"), gpuByID(t, "a100-40gb"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if p.TP != 8 || !p.EP || p.Reasons[ReasonEP] == "" {
			t.Errorf("TP %d EP %v (%s)", p.TP, p.EP, p.Reasons[ReasonEP])
		}
	})
	t.Run("KV heads below TP: PP, not duplication", func(t *testing.T) {
		p, err := New(catalogInput(t, "Qwen/Qwen3-235B-A22B"), gpuByID(t, "a100-80gb"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if p.TP != 4 || p.PP != 2 || p.DCP != 1 {
			t.Errorf("Qwen3-235B (4 KV heads) on 8 A100: TP %d PP %d DCP %d, want TP 4 × PP 2", p.TP, p.PP, p.DCP)
		}
	})
	t.Run("Mamba hybrid gets align", func(t *testing.T) {
		p, err := New(catalogInput(t, "nvidia/Nemotron-H-56B-Base-8K"), gpuByID(t, "a100-80gb"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if p.MambaCacheMode != "align" || p.Parsers.Tool != "" {
			t.Errorf("mamba %q tool %q", p.MambaCacheMode, p.Parsers.Tool)
		}
	})
	t.Run("context override and its limit", func(t *testing.T) {
		in := catalogInput(t, "meta-llama/Meta-Llama-3.1-8B")
		p, err := New(in, gpuByID(t, "l4"), Options{Context: 8192})
		if err != nil || p.MaxModelLen != 8192 || p.GPUs != 1 {
			t.Fatalf("%v %+v", err, p)
		}
		if _, err := New(in, gpuByID(t, "l4"), Options{Context: 1 << 20}); err == nil || !strings.Contains(err.Error(), "RoPE") {
			t.Errorf("context over the model's: %v", err)
		}
	})
	t.Run("fp8 KV halves the KV", func(t *testing.T) {
		in := catalogInput(t, "MiniMaxAI/MiniMax-M2.5")
		a, _ := New(in, gpuByID(t, "a100-80gb"), Options{})
		b, err := New(in, gpuByID(t, "a100-80gb"), Options{KVCacheDType: "fp8"})
		if err != nil || b.KVPerGPUForContext*2 != a.KVPerGPUForContext {
			t.Errorf("%v: fp8 %d vs bf16 %d", err, b.KVPerGPUForContext, a.KVPerGPUForContext)
		}
		if _, err := New(in, gpuByID(t, "a100-80gb"), Options{KVCacheDType: "int3"}); err == nil {
			t.Error("bad KV dtype accepted")
		}
	})
	t.Run("shortened context when one pod is capped", func(t *testing.T) {
		in := catalogInput(t, "meta-llama/Meta-Llama-3.1-8B")
		p, err := New(in, gpuByID(t, "l4"), Options{MaxGPUsPerPod: 1, MaxNodes: 1})
		if err != nil {
			t.Fatal(err)
		}
		if !p.Shortened || p.MaxModelLen >= 131072 || p.MaxModelLen < 4096 || len(p.Warnings) == 0 || p.KVPerGPUForContext > p.KVBudgetPerGPU {
			t.Errorf("shortened %v len %d warnings %v", p.Shortened, p.MaxModelLen, p.Warnings)
		}
	})
	t.Run("embedding task", func(t *testing.T) {
		p, err := New(catalogInput(t, "Qwen/Qwen3-8B"), gpuByID(t, "l4"), Options{Task: model.TaskEmbed})
		if err != nil {
			t.Fatal(err)
		}
		if p.Task != "embed" || p.Parsers.Tool != "" || p.Parsers.Reasoning != "" || p.MaxNumBatchedTokens != 0 || p.APIServers != 4 {
			t.Errorf("%+v", p)
		}
	})
	t.Run("bad input is an error, not a panic", func(t *testing.T) {
		g := gpuByID(t, "l4")
		if _, err := New(Input{Name: "x"}, g, Options{}); err == nil {
			t.Error("nil facts accepted")
		}
		in := catalogInput(t, "Qwen/Qwen3-8B")
		in.Weights.Loaded = 0
		if _, err := New(in, g, Options{}); err == nil {
			t.Error("zero weights accepted")
		}
		if _, err := New(catalogInput(t, "Qwen/Qwen3-8B"), g, Options{Engine: "tgi"}); err == nil || !strings.Contains(err.Error(), "allowed: vllm, sglang") {
			t.Errorf("unknown engine: %v", err)
		}
	})
}

func TestStartupProbeBands(t *testing.T) {
	for _, c := range []struct {
		params int64
		class  string
		lo, hi int
	}{{8e9, "small", 60, 90}, {32e9, "medium", 90, 270}, {70e9, "large", 180, 360}, {229e9, "xlarge", 270, 2160}, {1.1e12, "xlarge", 2160, 2160}} {
		p := startupProbe(c.params, false, DownloadInitContainer)
		if p.SizeClass != c.class || p.FailureThreshold < c.lo || p.FailureThreshold > c.hi {
			t.Errorf("%d: %+v, want %s %d-%d", c.params, p, c.class, c.lo, c.hi)
		}
	}
}

// TestPlanTable logs the plan of every model on every GPU (go test -run TestPlanTable -v).
func TestPlanTable(t *testing.T) {
	var b strings.Builder
	for _, id := range catalog.IDs() {
		in := catalogInput(t, id)
		for _, g := range catalogGPUs(t) {
			p, err := New(in, g, Options{})
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case p.NotFit != "":
				fmt.Fprintf(&b, "%-34s %-10s does not fit in %d nodes\n", id, g.ID, DefaultMaxNodes)
			default:
				kind := "one pod"
				if p.MultiNode {
					kind = fmt.Sprintf("multi-node %d×%d", p.Nodes, p.GPUsPerPod)
				}
				fmt.Fprintf(&b, "%-34s %-10s %2d GPUs TP%d PP%d DCP%d EP=%-5v %-16s ctx %7d KV %9d tok w/GPU %5.1f GiB\n", id, g.ID, p.GPUs, p.TP, p.PP, p.DCP, p.EP, kind, p.MaxModelLen, p.KVTokens, float64(p.WeightsPerGPU)/GiB)
			}
		}
	}
	t.Log("\n" + b.String())
}

func BenchmarkPlanAllGPUs(b *testing.B) {
	in := catalogInput(b, "MiniMaxAI/MiniMax-M2.5")
	gpus := catalogGPUs(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := All(in, gpus, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPlanGLM5AllGPUs(b *testing.B) {
	in := catalogInput(b, "zai-org/GLM-5-FP8")
	gpus := catalogGPUs(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := All(in, gpus, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestGPUGeneration: fp8/fp4 weights are refused on GPUs without kernels for them, and bf16 models get --dtype half
// on GPUs without bfloat16.
func TestGPUGeneration(t *testing.T) {
	gpus := map[string]gpu.GPU{}
	for _, g := range catalogGPUs(t) {
		gpus[g.ID] = g
	}
	for _, tc := range []struct {
		model, gpu  string
		unsupported bool
		dtype       string
	}{
		{"zai-org/GLM-5-FP8", "v100-32gb", true, ""},
		{"openai/gpt-oss-120b", "v100-32gb", true, ""},
		{"openai/gpt-oss-120b", "a100-80gb", false, ""},
		{"MiniMaxAI/MiniMax-M2.5", "a100-80gb", false, ""},
		{"Qwen/Qwen3-8B", "v100-32gb", false, "half"},
		{"Qwen/Qwen3-8B", "l40s", false, ""},
	} {
		p, err := New(catalogInput(t, tc.model), gpus[tc.gpu], Options{})
		if err != nil {
			t.Fatal(err)
		}
		if p.Unsupported != tc.unsupported || p.DType != tc.dtype {
			t.Errorf("%s on %s: unsupported %v dtype %q, want %v %q (%s)", tc.model, tc.gpu, p.Unsupported, p.DType, tc.unsupported, tc.dtype, p.NotFit)
		}
		if tc.dtype != "" && p.Reasons[ReasonDType] == "" {
			t.Errorf("%s on %s: --dtype %s without a reason", tc.model, tc.gpu, tc.dtype)
		}
	}
}

// The node affinity's nvidia.com/gpu.memory Gt threshold selects every catalog entry by its cited label value, and
// keeps out the smaller memory classes (e.g. the guide's Gt 80000 takes the 80 GB boards at 81559 and 81920 MiB, not
// the 46068 MiB L40S). Cards less than 2 GiB smaller may pass the memory rule (the RTX 3090's Gt 23000 takes the A10's
// 23028 and the L4's 23034): then the resource name or the product rule must pin the type.
func TestPlacementMemoryThresholdsMatchCatalog(t *testing.T) {
	all := catalogGPUs(t)
	for i, g := range all {
		p := placement(g, 1)
		if p.MemoryMiBGt >= g.MemoryMiB {
			t.Errorf("%s: Gt %d does not select its own label %d", g.ID, p.MemoryMiBGt, g.MemoryMiB)
		}
		for _, smaller := range all[:i] {
			if p.MemoryMiBGt >= smaller.MemoryMiB || smaller.MemoryMiB == g.MemoryMiB {
				continue
			}
			if smaller.MemoryMiB < g.MemoryMiB-2048 {
				t.Errorf("%s: Gt %d also selects %s (%d MiB)", g.ID, p.MemoryMiBGt, smaller.ID, smaller.MemoryMiB)
			} else if p.Resource == smaller.Resource && (len(p.Products) == 0 || p.Products[0] == smaller.Product) {
				t.Errorf("%s: Gt %d also selects %s (%d MiB) and neither the resource nor a product rule tells them apart", g.ID, p.MemoryMiBGt, smaller.ID, smaller.MemoryMiB)
			}
		}
	}
	for _, id := range []string{"a100-80gb", "a100-80gb-pcie", "h100-80gb", "h100-pcie"} {
		if got := placement(gpuByID(t, id), 4).MemoryMiBGt; got != 80000 {
			t.Errorf("%s: Gt %d, want the guide's 80000", id, got)
		}
	}
}
