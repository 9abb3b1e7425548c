package catalog

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/llm-charts/llm-charts/internal/model"
)

// sharedModels is the source of truth the embedded copies come from.
const sharedModels = "../../../shared/models"

// TestCatalogMatchesShared fails when an embedded copy differs from ../shared/models, or when a
// file is missing on either side. Refresh with the copy step (e.g. `make catalog`).
func TestCatalogMatchesShared(t *testing.T) {
	if _, err := os.Stat(sharedModels); err != nil {
		t.Skipf("skipping: %s is absent (%v), nothing to compare the embedded copies with", sharedModels, err)
	}
	shared, err := filepath.Glob(filepath.Join(sharedModels, "*", "config*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, shared)
	want := map[string]bool{}
	for _, p := range shared {
		rel, _ := filepath.Rel(sharedModels, p)
		want[filepath.ToSlash(rel)] = true
		src, err := os.ReadFile(p)
		require.NoError(t, err)
		got, err := models.ReadFile("models/" + filepath.ToSlash(rel))
		if assert.NoError(t, err, "%s is not embedded; run the catalog copy step", rel) {
			assert.True(t, bytes.Equal(src, got), "%s differs from %s; run the catalog copy step", rel, p)
		}
	}
	_ = fs.WalkDir(models, "models", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel := p[len("models/"):]
			assert.True(t, want[rel], "embedded %s has no counterpart in %s", rel, sharedModels)
		}
		return nil
	})
}

func TestCatalogLoad(t *testing.T) {
	ids := IDs()
	assert.Contains(t, ids, "MiniMaxAI/MiniMax-M2.5")
	assert.Len(t, ids, 15)
	for _, id := range ids {
		md, err := Catalog{}.Load(context.Background(), id)
		require.NoError(t, err, id)
		_, err = md.Facts(model.TaskAuto)
		require.NoError(t, err, id)
	}
	_, err := Catalog{}.Load(context.Background(), "acme/none")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not in the embedded catalog")
	_, err = Catalog{}.Load(context.Background(), "../etc")
	assert.ErrorContains(t, err, "org/name")
	assert.True(t, Has("Qwen/Qwen3-8B"))
}
