package gpu

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDefaultCatalog(t *testing.T) {
	c, err := Default()
	require.NoError(t, err)
	want := []string{"a100-80gb", "a100-40gb", "h100-80gb", "h200", "l40", "l40s", "a40", "rtx-a6000", "a10", "l4", "rtx-3090", "rtx-4090", "v100-32gb"}
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
	assert.Equal(t, "h200", all[len(all)-1].ID)
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
	assert.Len(t, d.IDs(), 13)
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
