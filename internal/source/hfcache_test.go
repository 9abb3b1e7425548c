package source

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hfDownload lays files out as huggingface_hub's hf_hub_download does (and so `hf download`, vLLM, transformers):
// each file's bytes in blobs/<etag> (sha256 for LFS files, the git blob id for the others), a relative symlink
// snapshots/<commit>/<path> → ../../blobs/<etag> (one more ../ per directory level), and refs/<rev> holding the
// commit without a newline.
func hfDownload(t *testing.T, root, id, rev string, files map[string][]byte) {
	t.Helper()
	repo := filepath.Join(root, "models--"+strings.ReplaceAll(id, "/", "--"))
	for p, b := range files {
		etag := gitBlobID(b)
		if strings.HasSuffix(p, ".safetensors") {
			etag = sha256Hex(b)
		}
		blob := filepath.Join(repo, "blobs", etag)
		require.NoError(t, os.MkdirAll(filepath.Dir(blob), 0o755))
		require.NoError(t, os.WriteFile(blob, b, 0o644))
		link := filepath.Join(repo, "snapshots", commit, filepath.FromSlash(p))
		require.NoError(t, os.MkdirAll(filepath.Dir(link), 0o755))
		rel := strings.Repeat("../", strings.Count(p, "/")+2) + "blobs/" + etag
		require.NoError(t, os.Symlink(rel, link))
	}
	require.NoError(t, os.MkdirAll(filepath.Join(repo, "refs"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(repo, "refs", rev), []byte(commit), 0o644))
}

// repoFiles returns the fake Hub's files of a repository, without the org/name prefix.
func repoFiles(f *fakeHub, id string) map[string][]byte {
	out := map[string][]byte{}
	for k, b := range f.files {
		if p, ok := strings.CutPrefix(k, id+"/"); ok {
			out[p] = b
		}
	}
	return out
}

func offlineHub(dir string) *Hub {
	return &Hub{Endpoint: "http://127.0.0.1:1", Cache: &HFCache{Root: filepath.Join(dir, "hub")}, CacheDir: filepath.Join(dir, "chartgen"), Offline: true}
}

// TestHFCacheOfflineFullDownload: HF_HUB_OFFLINE=1 reads a model `hf download` put in the cache, shards and all.
func TestHFCacheOfflineFullDownload(t *testing.T) {
	f := newFakeHub(t)
	f.addSharded("acme/tiny")
	files := repoFiles(f, "acme/tiny")
	files["1_Pooling/config.json"] = []byte(`{}`)
	dir := t.TempDir()
	hfDownload(t, filepath.Join(dir, "hub"), "acme/tiny", "main", files)
	md, err := offlineHub(dir).Load(context.Background(), "acme/tiny")
	require.NoError(t, err)
	assert.Equal(t, "hf-cache", md.Source)
	assert.Equal(t, commit, md.Revision)
	assert.Contains(t, md.Files, "1_Pooling/config.json")
	ws, ok, err := md.Weights()
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, int64(shardData/2+shardData/4), ws.Params)

	_, err = offlineHub(dir).Load(context.Background(), "acme/tiny@v2")
	require.ErrorContains(t, err, "HF_HUB_OFFLINE is set and acme/tiny@v2 is not cached")
	assert.ErrorContains(t, err, "has no refs/v2")
	md, err = offlineHub(dir).Load(context.Background(), "acme/tiny@"+commit)
	require.NoError(t, err, "a commit id needs no ref")
	assert.Len(t, md.Headers, 2)
	_, err = offlineHub(dir).Load(context.Background(), "acme/other")
	assert.ErrorContains(t, err, "hf download acme/other config.json model.safetensors.index.json")
}

// TestHFCacheOfflineConfigOnly: with only config.json and the index downloaded, chartgen plans from config.json.
func TestHFCacheOfflineConfigOnly(t *testing.T) {
	f := newFakeHub(t)
	f.addSharded("acme/tiny")
	files := repoFiles(f, "acme/tiny")
	dir := t.TempDir()
	hfDownload(t, filepath.Join(dir, "hub"), "acme/tiny", "main", map[string][]byte{"config.json": files["config.json"], indexFile: files[indexFile]})
	md, err := offlineHub(dir).Load(context.Background(), "acme/tiny")
	require.NoError(t, err)
	require.NotNil(t, md.Index)
	_, ok, err := md.Weights()
	require.NoError(t, err)
	assert.False(t, ok, "no shard header: the estimate from config.json")
}

// TestHubFillsHFCache: an online load leaves config.json and the index in the Hugging Face layout (as
// huggingface_hub would have, same blob names), the headers in chartgen's cache and never a shard in the Hugging
// Face cache; offline and online loads after it need no shard request.
func TestHubFillsHFCache(t *testing.T) {
	f := newFakeHub(t)
	f.addSharded("acme/tiny")
	dir := t.TempDir()
	h := f.client("")
	h.Cache = &HFCache{Root: filepath.Join(dir, "hub")}
	h.CacheDir = filepath.Join(dir, "chartgen")
	first, err := h.Load(context.Background(), "acme/tiny")
	require.NoError(t, err)

	repo := filepath.Join(dir, "hub", "models--acme--tiny")
	ref, err := os.ReadFile(filepath.Join(repo, "refs", "main"))
	require.NoError(t, err)
	assert.Equal(t, commit, string(ref))
	for _, p := range []string{"config.json", indexFile} {
		link := filepath.Join(repo, "snapshots", commit, p)
		target, err := os.Readlink(link)
		require.NoError(t, err, p)
		assert.Equal(t, "../../blobs/"+gitBlobID(f.files["acme/tiny/"+p]), target)
		b, err := os.ReadFile(link)
		require.NoError(t, err)
		assert.Equal(t, f.files["acme/tiny/"+p], b)
	}
	_ = filepath.WalkDir(filepath.Join(dir, "hub"), func(p string, d os.DirEntry, err error) error {
		assert.False(t, strings.HasSuffix(p, ".safetensors"), "a header is not a shard: nothing of a shard goes into the Hugging Face cache")
		if err == nil && !d.IsDir() && strings.Contains(p, "blobs") {
			st, _ := os.Stat(p)
			assert.Less(t, st.Size(), int64(4096), "blobs are the small files only")
		}
		return nil
	})
	for _, s := range []string{"model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"} {
		b, err := os.ReadFile(filepath.Join(dir, "chartgen", "hub", "models--acme--tiny", "headers", sha256Hex(f.files["acme/tiny/"+s])))
		require.NoError(t, err)
		assert.Equal(t, f.files["acme/tiny/"+s][:len(b)], b, "the cached header is the shard's first bytes")
	}
	var lst listing
	b, err := os.ReadFile(filepath.Join(dir, "chartgen", "hub", "models--acme--tiny", "commits", commit+".json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &lst))
	assert.Equal(t, sha256Hex(f.files["acme/tiny/model-00001-of-00002.safetensors"]), lst.file("model-00001-of-00002.safetensors").Etag)

	off, err := offlineHub(dir).Load(context.Background(), "acme/tiny")
	require.NoError(t, err)
	w1, _, _ := first.Weights()
	w2, ok, err := off.Weights()
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, w1, w2)
	assert.Equal(t, first.Files, off.Files)

	f.ranges = map[string][]string{}
	again, err := h.Load(context.Background(), "acme/tiny")
	require.NoError(t, err)
	assert.Empty(t, f.ranges, "online again: the headers come from the cache, keyed by the etags the listing gives")
	assert.Len(t, again.Headers, 2)
}

// TestHubUsesDownloadedShards: online, a shard already downloaded in full (by hf download, vLLM...) is read from
// the Hugging Face cache, not the Hub; a model without an index gets .no_exist, as huggingface_hub records it.
func TestHubUsesDownloadedShards(t *testing.T) {
	f := newFakeHub(t)
	f.addSharded("acme/tiny")
	dir := t.TempDir()
	files := repoFiles(f, "acme/tiny")
	hfDownload(t, filepath.Join(dir, "hub"), "acme/tiny", "main", map[string][]byte{"model-00001-of-00002.safetensors": files["model-00001-of-00002.safetensors"]})
	h := f.client("")
	h.Cache = &HFCache{Root: filepath.Join(dir, "hub")}
	md, err := h.Load(context.Background(), "acme/tiny")
	require.NoError(t, err)
	assert.Len(t, md.Headers, 2)
	assert.NotContains(t, f.ranges, "acme/tiny/model-00001-of-00002.safetensors")
	assert.Contains(t, f.ranges, "acme/tiny/model-00002-of-00002.safetensors")

	f.files["acme/one/config.json"] = []byte(tinyConfig)
	f.files["acme/one/model.safetensors"] = safetensors(`{"w":{"dtype":"F16","shape":[8,8],"data_offsets":[0,128]}}`, 128)
	_, err = h.Load(context.Background(), "acme/one")
	require.NoError(t, err)
	assert.True(t, h.Cache.KnownMissing("acme/one", commit, indexFile))
}

// TestHubLegacyCache: the per-revision files chartgen wrote before are still read offline.
func TestHubLegacyCache(t *testing.T) {
	dir := t.TempDir()
	e := legacyEntry{Revision: commit, Config: []byte(tinyConfig), Files: []string{"config.json", "model.safetensors"},
		Headers: map[string]string{"model.safetensors": `{"w":{"dtype":"BF16","shape":[4,4],"data_offsets":[0,32]}}`}}
	b, _ := json.Marshal(e)
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "chartgen", "acme--old"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "chartgen", "acme--old", "main.json"), b, 0o644))
	md, err := offlineHub(dir).Load(context.Background(), "acme/old")
	require.NoError(t, err)
	ws, ok, err := md.Weights()
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, int64(16), ws.Params)
}
