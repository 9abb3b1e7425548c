package gpu

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDefaultCatalog(t *testing.T) {
	c, err := Default()
	require.NoError(t, err)
	want := []string{"a100-80gb", "a100-40gb", "h100-80gb", "h200", "l40", "l40s", "a40", "rtx-a6000", "a10", "l4", "rtx-3090", "rtx-4090", "v100-32gb", "a100-80gb-pcie", "h100-pcie", "h100-nvl", "h200-nvl"}
	assert.ElementsMatch(t, want, c.IDs())

	a100, err := c.Get("a100-80gb")
	require.NoError(t, err)
	assert.Equal(t, "nvidia.com/a100", a100.Resource, "the guide's special resource name")
	assert.Equal(t, int64(81920), a100.MemoryMiB)
	assert.Equal(t, int64(81920)<<20, a100.VRAMBytes)
	assert.Greater(t, a100.MemoryMiB, int64(80000), "the guide's affinity: nvidia.com/gpu.memory Gt 80000")
	assert.Equal(t, "8.0", a100.ComputeCapability())

	a6000, _ := c.Get("RTX-A6000")
	assert.Equal(t, "nvidia.com/rtxa6000", a6000.Resource)
	l40, _ := c.Get("l40")
	assert.Equal(t, "NVIDIA-L40", l40.Product, "the guide's gpu.product example")
	assert.Equal(t, "nvidia.com/gpu", l40.Resource)
	v100, _ := c.Get("v100-32gb")
	assert.Equal(t, 7, v100.ComputeMajor)

	_, err = c.Get("tpu-v5")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "allowed: a100-80gb")

	all := c.All()
	assert.Equal(t, "a10", all[0].ID, "smallest VRAM first")
	assert.Equal(t, "h200-nvl", all[len(all)-1].ID, "ties on VRAM sort by id")
}

// Every embedded entry cites where its label values come from: a public page that printed them (or the NVML name
// and memory), and GFD's source for the name-to-label rule; and its values have the shape GFD writes.
func TestCatalogLabelsCited(t *testing.T) {
	c, err := Default()
	require.NoError(t, err)
	gfd := "https://github.com/NVIDIA/k8s-device-plugin/blob/"
	url := regexp.MustCompile(`https://[^\s,;()]+`)
	nvmlName := regexp.MustCompile(`NVML name (.+?) (?:with|in|\(|;)`)
	for _, g := range c.All() {
		t.Run(g.ID, func(t *testing.T) {
			assert.Contains(t, g.LabelSource, gfd, "cites GFD's product/memory rule")
			var others []string
			for _, u := range url.FindAllString(g.LabelSource, -1) {
				if !strings.HasPrefix(u, gfd) {
					others = append(others, u)
				}
			}
			if g.ID != "l4" && g.ID != "l40" && g.ID != "a40" {
				assert.NotEmpty(t, others, "a page where the label or the NVML name was seen")
			}
			if m := nvmlName.FindStringSubmatch(g.LabelSource); m != nil {
				assert.Equal(t, GFDProduct(m[1]), g.Product, "the product is GFD's label for the cited NVML name %q", m[1])
			}
			assert.NotContains(t, g.Product, "SHARED", "the whole, unshared GPU")
			assert.NotContains(t, g.Product, "-MIG-", "the whole GPU, not a MIG slice")
			assert.Contains(t, g.LabelSource, strconv.FormatInt(g.MemoryMiB, 10), "the memory value and where it comes from are stated")
		})
	}
	// Values seen printed as node labels.
	for id, want := range map[string][2]string{
		"h100-80gb":      {"NVIDIA-H100-80GB-HBM3", "81559"},
		"rtx-4090":       {"NVIDIA-GeForce-RTX-4090", "24564"},
		"a100-80gb-pcie": {"NVIDIA-A100-80GB-PCIe", "81920"},
		"h100-nvl":       {"NVIDIA-H100-NVL", "95830"},
		"l40s":           {"NVIDIA-L40S", "46068"},
	} {
		g, err := c.Get(id)
		require.NoError(t, err)
		assert.Equal(t, want[0], g.Product, id)
		assert.Equal(t, want[1], strconv.FormatInt(g.MemoryMiB, 10), id)
	}
}

func TestGFDProduct(t *testing.T) {
	for in, want := range map[string]string{
		"NVIDIA H100 80GB HBM3": "NVIDIA-H100-80GB-HBM3",
		"NVIDIA A100-SXM4-80GB": "NVIDIA-A100-SXM4-80GB",
		"Tesla V100-SXM2-32GB":  "Tesla-V100-SXM2-32GB",
		"NVIDIA  H200 NVL ":     "NVIDIA-H200-NVL",
		"NVIDIA RTX A6000 (x)":  "NVIDIA-RTX-A6000-x",
	} {
		assert.Equal(t, want, GFDProduct(in), in)
	}
}

// A user's own catalog file keeps working without labelSource (the field is optional outside the embedded catalog),
// and a labelSource it gives is kept.
func TestUserCatalogWithoutSources(t *testing.T) {
	p := filepath.Join(t.TempDir(), "mine.yaml")
	require.NoError(t, os.WriteFile(p, []byte("gpus:\n- id: mi-h100\n  memoryMiB: 81559\n  resource: nvidia.com/gpu\n  product: NVIDIA-H100-80GB-HBM3\n  computeMajor: 9\n  computeMinor: 0\n  gpusPerNode: 8\n  nvlink: true\n- id: b200\n  memoryMiB: 183359\n  resource: nvidia.com/gpu\n  product: NVIDIA-B200\n  labelSource: our nodes\n  computeMajor: 10\n  gpusPerNode: 8\n"), 0o600))
	c, err := Load(p)
	require.NoError(t, err)
	g, err := c.Get("mi-h100")
	require.NoError(t, err)
	assert.Empty(t, g.LabelSource)
	b, _ := c.Get("b200")
	assert.Equal(t, "our nodes", b.LabelSource)
}

func TestLoadOverride(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "gpus.yaml")
	require.NoError(t, os.WriteFile(p, []byte("gpus:\n- id: b200\n  memoryMiB: 183359\n  resource: nvidia.com/gpu\n  product: NVIDIA-B200\n  computeMajor: 10\n  computeMinor: 0\n  gpusPerNode: 8\n  nvlink: true\n"), 0o600))
	c, err := Load(p)
	require.NoError(t, err)
	assert.Equal(t, []string{"b200"}, c.IDs())
	_, err = Load(filepath.Join(dir, "missing.yaml"))
	require.Error(t, err)
	d, err := Load("")
	require.NoError(t, err)
	assert.Len(t, d.IDs(), 17)
}

func TestValidation(t *testing.T) {
	cases := []struct{ name, yaml, want string }{
		{"empty", "gpus: []", "gpus is empty"},
		{"unknown field", "gpus:\n- id: x\n  vram: 3\n", "unknown field"},
		{"bad id", "gpus:\n- id: A100\n  memoryMiB: 4096\n  resource: nvidia.com/gpu\n  product: P\n  computeMajor: 8\n  gpusPerNode: 1\n", `gpus[0] (A100): id "A100" must be lower-case`},
		{"memory", "gpus:\n- id: x\n  memoryMiB: 5\n  resource: nvidia.com/gpu\n  product: P\n  computeMajor: 8\n  gpusPerNode: 1\n", "gpus[0] (x): memoryMiB 5"},
		{"resource", "gpus:\n- id: x\n  memoryMiB: 4096\n  resource: gpu\n  product: P\n  computeMajor: 8\n  gpusPerNode: 1\n", "gpus[0] (x): resource"},
		{"product", "gpus:\n- id: x\n  memoryMiB: 4096\n  resource: nvidia.com/gpu\n  product: 'A 100'\n  computeMajor: 8\n  gpusPerNode: 1\n", "gpus[0] (x): product"},
		{"cc", "gpus:\n- id: x\n  memoryMiB: 4096\n  resource: nvidia.com/gpu\n  product: P\n  computeMajor: 1\n  gpusPerNode: 1\n", "computeMajor"},
		{"per node", "gpus:\n- id: x\n  memoryMiB: 4096\n  resource: nvidia.com/gpu\n  product: P\n  computeMajor: 8\n  gpusPerNode: 0\n", "gpusPerNode 0"},
		{"duplicate", "gpus:\n- id: x\n  memoryMiB: 4096\n  resource: nvidia.com/gpu\n  product: P\n  computeMajor: 8\n  gpusPerNode: 1\n- id: x\n  memoryMiB: 4096\n  resource: nvidia.com/gpu\n  product: P\n  computeMajor: 8\n  gpusPerNode: 1\n", "appears twice"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.yaml))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	// Every problem is reported, not just the first.
	_, err := Parse([]byte("gpus:\n- id: x\n  memoryMiB: 5\n  resource: gpu\n  product: P\n  computeMajor: 8\n  gpusPerNode: 0\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "memoryMiB")
	assert.Contains(t, err.Error(), "resource")
	assert.Contains(t, err.Error(), "gpusPerNode")
}
