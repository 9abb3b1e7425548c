package source

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const commit = "0123456789abcdef0123456789abcdef01234567"

func safetensors(header string, data int) []byte {
	var buf bytes.Buffer
	_ = binary.Write(&buf, binary.LittleEndian, uint64(len(header)))
	buf.WriteString(header)
	buf.Write(make([]byte, data))
	return buf.Bytes()
}

// fakeHub speaks the Hub's paths and headers: /{id}/resolve/{rev}/{file} answers small files
// with 200 + ETag + X-Repo-Commit, and LFS files (*.safetensors) with a 302 to a CDN host
// carrying X-Linked-Size / X-Linked-Etag; the CDN honours Range with 206 + Content-Range unless
// ignoreRange. Errors carry X-Error-Code like the real Hub.
type fakeHub struct {
	hub, cdn     *httptest.Server
	files        map[string][]byte // "org/name/file" at revision main
	gated        map[string]bool
	token        string
	ignoreRange  bool
	mu           sync.Mutex
	cdnAuthSeen  bool
	bytesServed  int64
	rangeHeaders []string
}

func newFakeHub(t *testing.T) *fakeHub {
	f := &fakeHub{files: map[string][]byte{}, gated: map[string]bool{}}
	f.cdn = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		if r.Header.Get("Authorization") != "" {
			f.cdnAuthSeen = true
		}
		f.rangeHeaders = append(f.rangeHeaders, r.Header.Get("Range"))
		f.mu.Unlock()
		body, ok := f.files[strings.TrimPrefix(r.URL.Path, "/lfs/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		f.serveRange(w, r, body)
	}))
	f.hub = httptest.NewServer(http.HandlerFunc(f.serveHub))
	t.Cleanup(func() { f.hub.Close(); f.cdn.Close() })
	return f
}

func (f *fakeHub) serveRange(w http.ResponseWriter, r *http.Request, body []byte) {
	rng := r.Header.Get("Range")
	w.Header().Set("Accept-Ranges", "bytes")
	if rng == "" || f.ignoreRange {
		w.WriteHeader(http.StatusOK)
		n, _ := w.Write(body)
		f.mu.Lock()
		f.bytesServed += int64(n)
		f.mu.Unlock()
		return
	}
	var a, b int64
	if _, err := fmt.Sscanf(rng, "bytes=%d-%d", &a, &b); err != nil || a >= int64(len(body)) {
		w.Header().Set("Content-Range", fmt.Sprintf("bytes */%d", len(body)))
		w.WriteHeader(http.StatusRequestedRangeNotSatisfiable)
		return
	}
	if b >= int64(len(body)) {
		b = int64(len(body)) - 1
	}
	w.Header().Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", a, b, len(body)))
	w.Header().Set("Content-Length", strconv.FormatInt(b-a+1, 10))
	w.WriteHeader(http.StatusPartialContent)
	n, _ := w.Write(body[a : b+1])
	f.mu.Lock()
	f.bytesServed += int64(n)
	f.mu.Unlock()
}

func hubError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("X-Error-Code", code)
	w.Header().Set("X-Error-Message", msg)
	http.Error(w, msg, status)
}

func (f *fakeHub) serveHub(w http.ResponseWriter, r *http.Request) {
	p := strings.TrimPrefix(r.URL.Path, "/")
	if strings.HasPrefix(p, "api/models/") {
		rest := strings.TrimPrefix(p, "api/models/")
		i := strings.Index(rest, "/revision/")
		if i < 0 {
			http.NotFound(w, r)
			return
		}
		id := rest[:i]
		var names []string
		for k := range f.files {
			if strings.HasPrefix(k, id+"/") {
				names = append(names, fmt.Sprintf(`{"rfilename":%q}`, strings.TrimPrefix(k, id+"/")))
			}
		}
		if len(names) == 0 {
			hubError(w, 404, "RepoNotFound", "Repository not found")
			return
		}
		fmt.Fprintf(w, `{"id":%q,"sha":%q,"siblings":[%s]}`, id, commit, strings.Join(names, ","))
		return
	}
	parts := strings.SplitN(p, "/", 5) // org, name, "resolve", rev, file
	if len(parts) != 5 || parts[2] != "resolve" {
		http.NotFound(w, r)
		return
	}
	id, rev, file := parts[0]+"/"+parts[1], parts[3], parts[4]
	if f.gated[id] && r.Header.Get("Authorization") != "Bearer "+f.token {
		if r.Header.Get("Authorization") == "" {
			hubError(w, 401, "GatedRepo", "Access to model "+id+" is restricted. You must have access to it and be authenticated to access it. Please log in.")
		} else {
			hubError(w, 403, "GatedRepo", "Access to model "+id+" is restricted and you are not in the authorized list.")
		}
		return
	}
	exists := false
	for k := range f.files {
		if strings.HasPrefix(k, id+"/") {
			exists = true
		}
	}
	if !exists {
		hubError(w, 404, "RepoNotFound", "Repository Not Found for url")
		return
	}
	if rev != "main" && rev != commit {
		hubError(w, 404, "RevisionNotFound", "Invalid rev id: "+rev)
		return
	}
	body, ok := f.files[id+"/"+file]
	if !ok {
		hubError(w, 404, "EntryNotFound", file+" does not exist on \"main\"")
		return
	}
	w.Header().Set("X-Repo-Commit", commit)
	if strings.HasSuffix(file, ".safetensors") {
		w.Header().Set("X-Linked-Size", strconv.Itoa(len(body)))
		w.Header().Set("X-Linked-Etag", `"sha256-of-`+file+`"`)
		w.Header().Set("Location", f.cdn.URL+"/lfs/"+id+"/"+file)
		w.WriteHeader(http.StatusFound)
		return
	}
	w.Header().Set("ETag", `"etag-`+file+`"`)
	f.serveRange(w, r, body)
}

const tinyConfig = `{"model_type":"llama","architectures":["LlamaForCausalLM"],"num_hidden_layers":2,"hidden_size":64,"num_attention_heads":4,"num_key_value_heads":2,"intermediate_size":128,"vocab_size":100,"torch_dtype":"bfloat16","max_position_embeddings":4096}`

func (f *fakeHub) addSharded(id string) {
	f.files[id+"/config.json"] = []byte(tinyConfig)
	f.files[id+"/model.safetensors.index.json"] = []byte(`{"metadata":{"total_size":1000},"weight_map":{"a":"model-00001-of-00002.safetensors","b":"model-00002-of-00002.safetensors"}}`)
	f.files[id+"/model-00001-of-00002.safetensors"] = safetensors(`{"a":{"dtype":"BF16","shape":[100,64],"data_offsets":[0,12800]}}`, 12800)
	f.files[id+"/model-00002-of-00002.safetensors"] = safetensors(`{"__metadata__":{"format":"pt"},"b":{"dtype":"F32","shape":[64],"data_offsets":[0,256]}}`, 256)
}

func (f *fakeHub) client(token string) *Hub {
	return &Hub{Endpoint: f.hub.URL, Token: token}
}

func TestHubLoadSharded(t *testing.T) {
	f := newFakeHub(t)
	f.addSharded("acme/tiny")
	h := f.client("hf_secret")
	md, err := h.Load(context.Background(), "acme/tiny")
	require.NoError(t, err)
	assert.Equal(t, commit, md.Revision)
	assert.Equal(t, "hub", md.Source)
	assert.Contains(t, md.Files, "model.safetensors.index.json")
	require.Len(t, md.Headers, 2)
	ws, ok, err := md.Weights()
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, int64(6400+64), ws.Params)
	assert.False(t, f.cdnAuthSeen, "the token must not follow the redirect to the CDN host")
	assert.Contains(t, f.rangeHeaders, "bytes=0-7")
	facts, err := md.Facts("")
	require.NoError(t, err)
	assert.Equal(t, 2, facts.Layers)
	assert.Less(t, f.bytesServed, int64(600), "only headers are read, not tensor data")
}

func TestHubSingleFileAndRangeIgnored(t *testing.T) {
	f := newFakeHub(t)
	f.files["acme/one/config.json"] = []byte(tinyConfig)
	f.files["acme/one/model.safetensors"] = safetensors(`{"w":{"dtype":"F16","shape":[8,8],"data_offsets":[0,128]}}`, 1<<20)
	f.ignoreRange = true
	md, err := f.client("").Load(context.Background(), "acme/one")
	require.NoError(t, err)
	require.Contains(t, md.Headers, "model.safetensors")
	assert.Equal(t, []int64{8, 8}, md.Headers["model.safetensors"].Tensors["w"].Shape)
}

func TestHubNoSafetensors(t *testing.T) {
	f := newFakeHub(t)
	f.files["acme/bin/config.json"] = []byte(tinyConfig)
	f.files["acme/bin/pytorch_model.bin"] = []byte("x")
	md, err := f.client("").Load(context.Background(), "acme/bin")
	require.NoError(t, err)
	assert.Empty(t, md.Headers)
	_, ok, err := md.Weights()
	require.NoError(t, err)
	assert.False(t, ok, "the caller falls back to the config.json estimate")
}

func TestHubErrors(t *testing.T) {
	f := newFakeHub(t)
	f.addSharded("meta/gated")
	f.gated["meta/gated"] = true
	f.token = "hf_good"
	f.addSharded("acme/tiny")
	f.files["acme/trunc/config.json"] = []byte(tinyConfig)
	f.files["acme/trunc/model.safetensors"] = safetensors(`{"w":{"dtype":"F16","shape":[8,8]}}`, 0)[:20]
	huge := make([]byte, 16)
	binary.LittleEndian.PutUint64(huge, 200<<20)
	f.files["acme/huge/config.json"] = []byte(tinyConfig)
	f.files["acme/huge/model.safetensors"] = huge
	f.files["acme/short/config.json"] = []byte(tinyConfig)
	f.files["acme/short/model.safetensors"] = []byte{1, 2, 3}

	cases := []struct {
		name, ref, token string
		want             []string
	}{
		{"gated 401 without token", "meta/gated", "", []string{"401", "accept the license", "HF_TOKEN"}},
		{"gated 403 wrong token", "meta/gated", "hf_bad", []string{"gated (HTTP 403)", "accept the license"}},
		{"repo 404", "acme/missing", "", []string{"repository acme/missing does not exist"}},
		{"revision 404", "acme/tiny@v9", "", []string{`revision "v9" of acme/tiny does not exist`}},
		{"truncated header", "acme/trunc", "", []string{"truncated"}},
		{"oversized header", "acme/huge", "", []string{"exceeds the 104857600-byte limit"}},
		{"short file", "acme/short", "", []string{"truncated"}},
		{"bad ref", "not-an-id", "", []string{"org/name"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.client(tc.token).Load(context.Background(), tc.ref)
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
	md, err := f.client("hf_good").Load(context.Background(), "meta/gated")
	require.NoError(t, err, "the right token opens the gated repo")
	assert.Len(t, md.Headers, 2)
}

func TestHubCacheAndOffline(t *testing.T) {
	f := newFakeHub(t)
	f.addSharded("acme/tiny")
	dir := t.TempDir()
	h := f.client("")
	h.CacheDir = dir
	_, err := h.Load(context.Background(), "acme/tiny")
	require.NoError(t, err)
	f.hub.Close() // no network from here on
	off := &Hub{Endpoint: "http://127.0.0.1:1", CacheDir: dir, Offline: true}
	md, err := off.Load(context.Background(), "acme/tiny")
	require.NoError(t, err)
	assert.Equal(t, commit, md.Revision)
	assert.Len(t, md.Headers, 2)
	_, err = off.Load(context.Background(), "acme/other")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "HF_HUB_OFFLINE")
}

func TestNewHubFromEnv(t *testing.T) {
	home := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(home, "token"), []byte("hf_file\n"), 0o600))
	env := map[string]string{"HF_HOME": home, "HF_ENDPOINT": "https://hf-mirror.example/", "HF_HUB_OFFLINE": "1"}
	h := NewHubFromEnv(func(k string) string { return env[k] })
	assert.Equal(t, "https://hf-mirror.example", h.Endpoint)
	assert.Equal(t, "hf_file", h.Token)
	assert.True(t, h.Offline)
	assert.Equal(t, filepath.Join(home, "chartgen"), h.CacheDir)
	env["HF_TOKEN"] = "hf_env"
	assert.Equal(t, "hf_env", NewHubFromEnv(func(k string) string { return env[k] }).Token)
	d := NewHubFromEnv(func(k string) string { return map[string]string{"HOME": "/home/u"}[k] })
	assert.Equal(t, DefaultEndpoint, d.Endpoint)
	assert.False(t, d.Offline)
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
