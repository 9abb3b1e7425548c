package source

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const commit = "0123456789abcdef0123456789abcdef01234567"

func safetensors(header string, data int) []byte {
	var buf bytes.Buffer
	_ = binary.Write(&buf, binary.LittleEndian, uint64(len(header)))
	buf.WriteString(header)
	buf.Write(make([]byte, data))
	return buf.Bytes()
}

// gitBlobID is the ETag the Hub gives a file kept in git (not LFS): git's blob id.
func gitBlobID(b []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(b))
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

var (
	hashMu    sync.Mutex
	hashCache = map[string]string{}
)

// sha256Hex is the Hub's X-Linked-Etag of an LFS file (memoized: the benchmark serves the same shards many times).
func sha256Hex(b []byte) string {
	key := string(b)
	hashMu.Lock()
	defer hashMu.Unlock()
	if h, ok := hashCache[key]; ok {
		return h
	}
	s := sha256.Sum256(b)
	h := hex.EncodeToString(s[:])
	hashCache[key] = h
	return h
}

// fault is a scripted answer of the resolve endpoint, used once, before the file is served.
type fault struct {
	status     int
	retryAfter string
	hang       bool // accept the request and never answer (the client's timeout must fire)
	reset      bool // drop the connection without an answer
}

// fakeHub speaks the Hub's HTTP API as huggingface_hub reads it:
//   - /api/models/{id}/revision/{rev}[?blobs=true]: sha and siblings (with size, blobId, lfs.sha256 when blobs=true);
//   - /{id}/resolve/{rev}/{file}: small files 200 with ETag (the git blob id) and X-Repo-Commit; LFS files
//     (*.safetensors) a 302 to a CDN host with a signed query, carrying X-Repo-Commit, X-Linked-Size and
//     X-Linked-Etag (the sha256), as huggingface_hub's get_hf_file_metadata reads them;
//   - the CDN honours Range with 206 and Content-Range (unless ignoreRange), 416 past the end;
//   - errors carry X-Error-Code like the real Hub; faults script 429 with Retry-After, 5xx, hangs and resets;
//   - latency is added to every request of both hosts, and the requests in flight are counted.
type fakeHub struct {
	hub, cdn    *httptest.Server
	files       map[string][]byte // "org/name/file" at revision main (= commit)
	gated       map[string]bool
	token       string
	ignoreRange bool
	noAPI       bool // a mirror without the API
	latency     time.Duration
	jitter      func() time.Duration // extra latency per request (order independence)

	mu          sync.Mutex
	cdnAuthSeen bool
	bytesServed int64
	ranges      map[string][]string // file → Range headers the CDN saw
	resolves    map[string]int      // file → resolve requests
	faults      map[string][]fault  // file → scripted answers of the resolve endpoint
	inFlight    int
	maxInFlight int
	requests    int
}

func newFakeHub(t testing.TB) *fakeHub {
	f := &fakeHub{files: map[string][]byte{}, gated: map[string]bool{}, ranges: map[string][]string{}, resolves: map[string]int{}, faults: map[string][]fault{}}
	f.cdn = httptest.NewServer(f.wrap(func(w http.ResponseWriter, r *http.Request) {
		key := strings.TrimPrefix(r.URL.Path, "/lfs/")
		f.mu.Lock()
		if r.Header.Get("Authorization") != "" {
			f.cdnAuthSeen = true
		}
		if r.URL.Query().Get("X-Amz-Signature") == "" {
			f.mu.Unlock()
			http.Error(w, "AccessDenied: missing signature", http.StatusForbidden)
			return
		}
		f.ranges[key] = append(f.ranges[key], r.Header.Get("Range"))
		f.mu.Unlock()
		body, ok := f.files[key]
		if !ok {
			http.NotFound(w, r)
			return
		}
		f.serveRange(w, r, body)
	}))
	f.hub = httptest.NewServer(f.wrap(f.serveHub))
	t.Cleanup(func() { f.hub.Close(); f.cdn.Close() })
	return f
}

// wrap counts requests in flight and adds the latency.
func (f *fakeHub) wrap(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.inFlight++
		f.requests++
		f.maxInFlight = max(f.maxInFlight, f.inFlight)
		d := f.latency
		if f.jitter != nil {
			d += f.jitter()
		}
		f.mu.Unlock()
		defer func() {
			f.mu.Lock()
			f.inFlight--
			f.mu.Unlock()
		}()
		if d > 0 {
			select {
			case <-time.After(d):
			case <-r.Context().Done():
				return
			}
		}
		h(w, r)
	}
}

func (f *fakeHub) serveRange(w http.ResponseWriter, r *http.Request, body []byte) {
	rng := r.Header.Get("Range")
	w.Header().Set("Accept-Ranges", "bytes")
	if rng == "" || f.ignoreRange {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
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

func (f *fakeHub) repoExists(id string) bool {
	for k := range f.files {
		if strings.HasPrefix(k, id+"/") {
			return true
		}
	}
	return false
}

func (f *fakeHub) serveAPI(w http.ResponseWriter, r *http.Request, rest string) {
	i := strings.Index(rest, "/revision/")
	if i < 0 || f.noAPI {
		http.NotFound(w, r)
		return
	}
	id := rest[:i]
	if !f.repoExists(id) {
		hubError(w, 404, "RepoNotFound", "Repository not found")
		return
	}
	type lfs struct {
		SHA256      string `json:"sha256"`
		Size        int    `json:"size"`
		PointerSize int    `json:"pointerSize"`
	}
	type sibling struct {
		RFilename string `json:"rfilename"`
		Size      int    `json:"size,omitempty"`
		BlobID    string `json:"blobId,omitempty"`
		LFS       *lfs   `json:"lfs,omitempty"`
	}
	var sibs []sibling
	blobs := r.URL.Query().Get("blobs") == "true"
	for k, body := range f.files {
		if name, ok := strings.CutPrefix(k, id+"/"); ok {
			s := sibling{RFilename: name}
			if blobs {
				s.Size = len(body)
				if strings.HasSuffix(name, ".safetensors") {
					s.LFS = &lfs{SHA256: sha256Hex(body), Size: len(body), PointerSize: 134}
					s.BlobID = gitBlobID([]byte("pointer " + name))
				} else {
					s.BlobID = gitBlobID(body)
				}
			}
			sibs = append(sibs, s)
		}
	}
	sort.Slice(sibs, func(i, j int) bool { return sibs[i].RFilename < sibs[j].RFilename })
	_ = json.NewEncoder(w).Encode(map[string]any{"id": id, "sha": commit, "siblings": sibs})
}

func (f *fakeHub) serveHub(w http.ResponseWriter, r *http.Request) {
	p := strings.TrimPrefix(r.URL.Path, "/")
	if rest, ok := strings.CutPrefix(p, "api/models/"); ok {
		f.serveAPI(w, r, rest)
		return
	}
	parts := strings.SplitN(p, "/", 5) // org, name, "resolve", rev, file
	if len(parts) != 5 || parts[2] != "resolve" {
		http.NotFound(w, r)
		return
	}
	id, rev, file := parts[0]+"/"+parts[1], parts[3], parts[4]
	key := id + "/" + file
	f.mu.Lock()
	f.resolves[key]++
	var ft *fault
	if q := f.faults[key]; len(q) > 0 {
		ft, f.faults[key] = &q[0], q[1:]
	}
	f.mu.Unlock()
	if ft != nil {
		switch {
		case ft.hang:
			<-r.Context().Done()
			return
		case ft.reset:
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		if ft.retryAfter != "" {
			w.Header().Set("Retry-After", ft.retryAfter)
		}
		http.Error(w, http.StatusText(ft.status), ft.status)
		return
	}
	if f.gated[id] && r.Header.Get("Authorization") != "Bearer "+f.token {
		if r.Header.Get("Authorization") == "" {
			hubError(w, 401, "GatedRepo", "Access to model "+id+" is restricted. You must have access to it and be authenticated to access it. Please log in.")
		} else {
			hubError(w, 403, "GatedRepo", "Access to model "+id+" is restricted and you are not in the authorized list.")
		}
		return
	}
	if !f.repoExists(id) {
		hubError(w, 404, "RepoNotFound", "Repository Not Found for url")
		return
	}
	if rev != "main" && rev != commit {
		hubError(w, 404, "RevisionNotFound", "Invalid rev id: "+rev)
		return
	}
	body, ok := f.files[key]
	w.Header().Set("X-Repo-Commit", commit)
	if !ok {
		hubError(w, 404, "EntryNotFound", file+" does not exist on \"main\"")
		return
	}
	if strings.HasSuffix(file, ".safetensors") {
		w.Header().Set("X-Linked-Size", strconv.Itoa(len(body)))
		w.Header().Set("X-Linked-Etag", `"`+sha256Hex(body)+`"`)
		w.Header().Set("ETag", `"`+gitBlobID([]byte("pointer "+file))+`"`)
		w.Header().Set("Location", f.cdn.URL+"/lfs/"+key+"?X-Amz-Signature=cdn-secret-signature&Expires=1")
		w.WriteHeader(http.StatusFound)
		return
	}
	w.Header().Set("ETag", `"`+gitBlobID(body)+`"`)
	f.serveRange(w, r, body)
}

const tinyConfig = `{"model_type":"llama","architectures":["LlamaForCausalLM"],"num_hidden_layers":2,"hidden_size":64,"num_attention_heads":4,"num_key_value_heads":2,"intermediate_size":128,"vocab_size":100,"torch_dtype":"bfloat16","max_position_embeddings":4096}`

// shardData is the tensor data each test shard carries: larger than any speculative request, as real shards are.
const shardData = 1 << 20

func (f *fakeHub) addSharded(id string) {
	f.files[id+"/config.json"] = []byte(tinyConfig)
	f.files[id+"/model.safetensors.index.json"] = []byte(fmt.Sprintf(`{"metadata":{"total_size":%d},"weight_map":{"a":"model-00001-of-00002.safetensors","b":"model-00002-of-00002.safetensors"}}`, 2*shardData))
	f.files[id+"/model-00001-of-00002.safetensors"] = safetensors(fmt.Sprintf(`{"a":{"dtype":"BF16","shape":[%d],"data_offsets":[0,%d]}}`, shardData/2, shardData), shardData)
	f.files[id+"/model-00002-of-00002.safetensors"] = safetensors(fmt.Sprintf(`{"__metadata__":{"format":"pt"},"b":{"dtype":"F32","shape":[%d],"data_offsets":[0,%d]}}`, shardData/4, shardData), shardData)
}

// addMany adds a model of n shards with tensors tensors each, named as in DeepSeek-V3's checkpoint.
func (f *fakeHub) addMany(id string, n, tensors int) {
	f.files[id+"/config.json"] = []byte(tinyConfig)
	wm := map[string]string{}
	total := 0
	for s := 1; s <= n; s++ {
		name := fmt.Sprintf("model-%05d-of-%05d.safetensors", s, n)
		var hdr strings.Builder
		hdr.WriteString("{")
		for t := 0; t < tensors; t++ {
			tn := fmt.Sprintf("model.layers.%d.mlp.experts.%d.down_proj.weight", s, t)
			wm[tn] = name
			if t > 0 {
				hdr.WriteString(",")
			}
			fmt.Fprintf(&hdr, `%q:{"dtype":"BF16","shape":[4,4],"data_offsets":[%d,%d]}`, tn, t*32, t*32+32)
		}
		hdr.WriteString("}")
		f.files[id+"/"+name] = safetensors(hdr.String(), tensors*32)
		total += tensors * 32
	}
	idx, _ := json.Marshal(map[string]any{"metadata": map[string]any{"total_size": total}, "weight_map": wm})
	f.files[id+"/model.safetensors.index.json"] = idx
}

func (f *fakeHub) client(token string) *Hub {
	return &Hub{Endpoint: f.hub.URL, Token: token, RetryBase: time.Millisecond}
}

// countingTransport counts the requests a client has in flight, from the moment a request is sent until its
// response body is closed: what the pool bounds. (A server-side count runs a little over, because a handler is
// still returning when the client has its answer and sends the next request.)
type countingTransport struct {
	base     http.RoundTripper
	mu       sync.Mutex
	cur, max int
}

func newCountingTransport() *countingTransport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	return &countingTransport{base: tr}
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.cur++
	c.max = max(c.max, c.cur)
	c.mu.Unlock()
	done := sync.OnceFunc(func() { c.mu.Lock(); c.cur--; c.mu.Unlock() })
	resp, err := c.base.RoundTrip(r)
	if err != nil {
		done()
		return nil, err
	}
	resp.Body = &countedBody{ReadCloser: resp.Body, done: done}
	return resp, nil
}

type countedBody struct {
	io.ReadCloser
	done func()
}

func (b *countedBody) Close() error { b.done(); return b.ReadCloser.Close() }
