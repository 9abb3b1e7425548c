package source

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const dirConfig = `{"model_type":"llama","torch_dtype":"bfloat16","num_hidden_layers":2,"hidden_size":64,"num_attention_heads":4,"vocab_size":100}`

// modelDir writes config.json and the given files into a temporary directory.
func modelDir(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "config.json"), []byte(dirConfig), 0o644))
	for name, b := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), b, 0o644))
	}
	return dir
}

const shardHeader = `{"w":{"dtype":"BF16","shape":[8,8],"data_offsets":[0,128]}}`

// TestDirShardSets: a directory is planned from its headers only when they describe all the weights.
func TestDirShardSets(t *testing.T) {
	for name, c := range map[string]struct {
		files map[string][]byte
		want  string // "" for success
	}{
		"complete numbered set": {map[string][]byte{
			"model-00001-of-00002.safetensors": safetensors(shardHeader, 128),
			"model-00002-of-00002.safetensors": safetensors(shardHeader, 128),
		}, ""},
		"one shard of five, no index": {map[string][]byte{
			"model-00001-of-00005.safetensors": safetensors(shardHeader, 128),
		}, "only 1 of the 5 shards model-*-of-00005.safetensors are present (missing: 2, 3, 4, 5)"},
		"index listing a missing shard": {map[string][]byte{
			"model.safetensors.index.json":     []byte(`{"weight_map":{"w":"model-00001-of-00002.safetensors","v":"model-00002-of-00002.safetensors"}}`),
			"model-00001-of-00002.safetensors": safetensors(shardHeader, 128),
		}, "model-00002-of-00002.safetensors"},
		"index total_size over the shards": {map[string][]byte{
			"model.safetensors.index.json": []byte(`{"metadata":{"total_size":1280},"weight_map":{"w":"model.safetensors"}}`),
			"model.safetensors":            safetensors(shardHeader, 128),
		}, "hold 128 bytes of tensors but model.safetensors.index.json's total_size says 1280"},
		"truncated file": {map[string][]byte{
			"model.safetensors": safetensors(shardHeader, 100),
		}, "the file is 167 bytes but its header describes 195 (8 + 59 of header + 128 of tensor data): truncated"},
		"offsets disagree with the shape": {map[string][]byte{
			"model.safetensors": safetensors(`{"w":{"dtype":"BF16","shape":[8,8],"data_offsets":[0,64]}}`, 64),
		}, `tensor "w" is 64 bytes by data_offsets [0, 64] but 128 by its shape [8 8] × BF16`},
		"overlapping tensors": {map[string][]byte{
			"model.safetensors": safetensors(`{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}`, 24),
		}, `tensor "b" at offset 8 overlaps the tensor before it`},
	} {
		t.Run(name, func(t *testing.T) {
			md, err := Dir{}.Load(t.Context(), modelDir(t, c.files))
			if err == nil {
				_, _, err = md.Weights()
			}
			if c.want == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

func TestLocalSources(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "config.json"), []byte(tinyConfig), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "modules.json"), []byte(`[]`), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "model.safetensors"), safetensors(`{"w":{"dtype":"BF16","shape":[4,4],"data_offsets":[0,32]}}`, 32), 0o600))
	md, err := Dir{}.Load(context.Background(), dir)
	require.NoError(t, err)
	ws, ok, err := md.Weights()
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, int64(16), ws.Params)
	facts, err := md.Facts("")
	require.NoError(t, err)
	assert.True(t, facts.Embedding, "modules.json marks a sentence-transformers model")

	_, err = Dir{}.Load(context.Background(), t.TempDir())
	assert.ErrorContains(t, err, "has no config.json")

	fm, err := File{}.Load(context.Background(), filepath.Join(dir, "config.json"))
	require.NoError(t, err)
	assert.Equal(t, "file", fm.Source)
	_, err = File{}.Load(context.Background(), filepath.Join(dir, "nope.json"))
	require.Error(t, err)
}
