package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestImportCommand(t *testing.T) {
	guide := filepath.Join("..", "..", "tests", "testdata", "guide")
	out, errOut, err := run(t, "import", filepath.Join(guide, "minimax-m2.5-deployment-deprecated.yaml"))
	require.NoError(t, err)
	assert.Contains(t, out, "# NOT MAPPED (1)")
	assert.Contains(t, out, "fullnameOverride: minimax-vllm-inference")
	assert.Contains(t, out, "minimax-inference-volume-minimax-vllm-inference-0")
	assert.Contains(t, errOut, "1 item(s) not mapped")

	out, _, err = run(t, "import", filepath.Join(guide, "minimax-m2.5-statefulset.yaml"), filepath.Join(guide, "qwen3-vl-embedding-8b-statefulset.yaml"))
	require.NoError(t, err)
	assert.Equal(t, 1, strings.Count(out, "\n---\n"), "two workloads, two values documents")

	_, _, err = run(t, "import")
	assert.Equal(t, 2, ExitCode(err))
	_, _, err = run(t, "import", "-o", filepath.Join(t.TempDir(), "v.yaml"), filepath.Join(guide, "minimax-m2.5-statefulset.yaml"), filepath.Join(guide, "qwen3-vl-embedding-8b-statefulset.yaml"))
	assert.ErrorContains(t, err, "-o takes one workload")
}
