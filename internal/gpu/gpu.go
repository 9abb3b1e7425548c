// Package gpu is the GPU catalog: VRAM, Kubernetes resource name, node labels, compute
// capability and node shape per GPU type. The catalog is embedded and can be replaced by a file.
package gpu

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"
)

//go:embed gpus.yaml
var embedded []byte

// MiB is the unit of the nvidia.com/gpu.memory label.
const MiB = 1 << 20

// GPU is one catalog entry.
type GPU struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// MemoryMiB is the nvidia.com/gpu.memory label value; VRAMBytes = MemoryMiB × MiB.
	MemoryMiB int64 `json:"memoryMiB"`
	VRAMBytes int64 `json:"-"`
	// Resource is the extended resource name pods request (nvidia.com/gpu, nvidia.com/a100, ...).
	Resource string `json:"resource"`
	// Product is the nvidia.com/gpu.product label value.
	Product string `json:"product"`
	// LabelSource says where the product and memory label values come from (URLs of printed node labels or NVML
	// output, and GFD's source for the name-to-label rule). The embedded catalog has one for every entry; a user's
	// catalog file may leave it out.
	LabelSource  string `json:"labelSource,omitempty"`
	ComputeMajor int    `json:"computeMajor"`
	ComputeMinor int    `json:"computeMinor"`
	GPUsPerNode  int    `json:"gpusPerNode"`
	NVLink       bool   `json:"nvlink"`
	// CUDAMiB is the total CUDA reports (torch.cuda.mem_get_info), which vLLM and SGLang budget from; it is below
	// MemoryMiB by what the driver keeps. 0 = not measured (the planner then takes MemoryMiB less 0.75 GiB).
	// CUDASource says where the figure comes from.
	CUDAMiB    int64  `json:"cudaMiB,omitempty"`
	CUDASource string `json:"cudaSource,omitempty"`
	// NodeCPU and NodeMemoryGiB are optional per-node defaults; 0 = unknown.
	NodeCPU       int `json:"nodeCPU,omitempty"`
	NodeMemoryGiB int `json:"nodeMemoryGiB,omitempty"`
}

// ComputeCapability is "major.minor".
func (g GPU) ComputeCapability() string { return fmt.Sprintf("%d.%d", g.ComputeMajor, g.ComputeMinor) }

// Catalog is a validated set of GPUs.
type Catalog struct {
	byID  map[string]GPU
	order []string
}

type file struct {
	GPUs []GPU `json:"gpus"`
}

// Default returns the embedded catalog.
func Default() (*Catalog, error) { return Parse(embedded) }

// Load reads a catalog file (YAML or JSON) that replaces the embedded one; "" loads the embedded one.
func Load(path string) (*Catalog, error) {
	if path == "" {
		return Default()
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("GPU catalog: %w", err)
	}
	c, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("GPU catalog %s: %w", path, err)
	}
	return c, nil
}

var (
	idPattern       = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)
	resourcePattern = regexp.MustCompile(`^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$`)
	labelPattern    = regexp.MustCompile(`^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$`)
)

// Parse decodes and validates a catalog; unknown fields are errors, and every problem is reported.
func Parse(b []byte) (*Catalog, error) {
	var f file
	if err := yaml.UnmarshalStrict(b, &f); err != nil {
		return nil, fmt.Errorf("GPU catalog is not valid: %w", err)
	}
	if len(f.GPUs) == 0 {
		return nil, errors.New("GPU catalog: gpus is empty")
	}
	c := &Catalog{byID: map[string]GPU{}}
	var errs []error
	for i, g := range f.GPUs {
		where := fmt.Sprintf("gpus[%d]", i)
		if g.ID != "" {
			where = fmt.Sprintf("gpus[%d] (%s)", i, g.ID)
		}
		bad := func(field, format string, args ...any) {
			errs = append(errs, fmt.Errorf("%s: %s %s", where, field, fmt.Sprintf(format, args...)))
		}
		if !idPattern.MatchString(g.ID) {
			bad("id", "%q must be lower-case letters, digits and dashes", g.ID)
		} else if _, dup := c.byID[g.ID]; dup {
			bad("id", "%q appears twice", g.ID)
		}
		if g.MemoryMiB < 1024 || g.MemoryMiB > 16<<20 {
			bad("memoryMiB", "%d must be between 1024 and %d (MiB, as nvidia.com/gpu.memory reports)", g.MemoryMiB, 16<<20)
		}
		if !resourcePattern.MatchString(g.Resource) {
			bad("resource", "%q must be an extended resource name such as nvidia.com/gpu", g.Resource)
		}
		if len(g.Product) > 63 || !labelPattern.MatchString(g.Product) {
			bad("product", "%q must be a label value such as NVIDIA-A100-SXM4-80GB (max 63 characters)", g.Product)
		}
		if g.ComputeMajor < 3 || g.ComputeMajor > 20 || g.ComputeMinor < 0 || g.ComputeMinor > 9 {
			bad("computeMajor/computeMinor", "%d.%d is not a CUDA compute capability", g.ComputeMajor, g.ComputeMinor)
		}
		if g.GPUsPerNode < 1 || g.GPUsPerNode > 64 {
			bad("gpusPerNode", "%d must be between 1 and 64", g.GPUsPerNode)
		}
		if g.CUDAMiB < 0 || g.CUDAMiB > g.MemoryMiB {
			bad("cudaMiB", "%d must be between 0 and memoryMiB %d (CUDA sees less than the label, never more)", g.CUDAMiB, g.MemoryMiB)
		} else if g.CUDAMiB > 0 && g.CUDASource == "" {
			bad("cudaSource", "must say where cudaMiB %d was measured", g.CUDAMiB)
		}
		if g.NodeCPU < 0 || g.NodeMemoryGiB < 0 {
			bad("nodeCPU/nodeMemoryGiB", "must not be negative")
		}
		if g.Name == "" {
			g.Name = g.ID
		}
		g.VRAMBytes = g.MemoryMiB * MiB
		if idPattern.MatchString(g.ID) {
			if _, dup := c.byID[g.ID]; !dup {
				c.byID[g.ID] = g
				c.order = append(c.order, g.ID)
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

// GFDProduct is the nvidia.com/gpu.product value GPU Feature Discovery writes for an NVML device name: characters
// other than letters, digits, '-', '_', '.' and spaces dropped, runs of spaces joined by '-'
// (k8s-device-plugin internal/lm/resource.go, sanitise). With time-slicing (replicas > 1, resource not renamed) GFD
// appends "-SHARED", and a MIG device gets "-MIG-<profile>"; the catalog names the whole, unshared GPU.
func GFDProduct(nvmlName string) string {
	kept := strings.Map(func(r rune) rune {
		if r < 128 && (r == '-' || r == '_' || r == '.' || r == ' ' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			return r
		}
		return -1
	}, nvmlName)
	return strings.Join(strings.Fields(kept), "-")
}

// Get returns a GPU by id; the error lists the ids allowed.
func (c *Catalog) Get(id string) (GPU, error) {
	g, ok := c.byID[strings.ToLower(strings.TrimSpace(id))]
	if !ok {
		return GPU{}, fmt.Errorf("unknown GPU type %q; allowed: %s", id, strings.Join(c.IDs(), ", "))
	}
	return g, nil
}

// IDs returns the ids in catalog order.
func (c *Catalog) IDs() []string { return append([]string(nil), c.order...) }

// All returns the GPUs sorted by VRAM, then id.
func (c *Catalog) All() []GPU {
	out := make([]GPU, 0, len(c.order))
	for _, id := range c.order {
		out = append(out, c.byID[id])
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].MemoryMiB != out[j].MemoryMiB {
			return out[i].MemoryMiB < out[j].MemoryMiB
		}
		return out[i].ID < out[j].ID
	})
	return out
}
