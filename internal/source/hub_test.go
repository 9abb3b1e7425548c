package source

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
	assert.Equal(t, int64(shardData/2+shardData/4), ws.Params)
	assert.False(t, f.cdnAuthSeen, "the token must not follow the redirect to the CDN host")
	for _, s := range []string{"model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"} {
		assert.Equal(t, []string{"bytes=0-65535"}, f.ranges["acme/tiny/"+s], "one speculative Range request per shard")
	}
	facts, err := md.Facts("")
	require.NoError(t, err)
	assert.Equal(t, 2, facts.Layers)
	assert.Less(t, f.bytesServed, int64(2*65536+4096), "only the first 64 KiB of each shard are read, not the tensor data")
}

// TestHubLongHeader: a header longer than the speculative request takes exactly one more request, for the rest
// only, sent to the CDN URL the first one was redirected to (no second resolve).
func TestHubLongHeader(t *testing.T) {
	f := newFakeHub(t)
	f.addSharded("acme/long")
	pad := strings.Repeat("x", 100_000)
	hdr := fmt.Sprintf(`{"__metadata__":{"format":"pt","note":%q},"b":{"dtype":"F32","shape":[%d],"data_offsets":[0,%d]}}`, pad, shardData/4, shardData)
	f.files["acme/long/model-00002-of-00002.safetensors"] = safetensors(hdr, shardData)
	md, err := f.client("").Load(context.Background(), "acme/long")
	require.NoError(t, err)
	require.Len(t, md.Headers, 2)
	assert.Equal(t, "pt", md.Headers["model-00002-of-00002.safetensors"].Metadata["format"])
	assert.Equal(t, []string{"bytes=0-65535", fmt.Sprintf("bytes=65536-%d", 8+len(hdr)-1)}, f.ranges["acme/long/model-00002-of-00002.safetensors"])
	assert.Equal(t, 1, f.resolves["acme/long/model-00002-of-00002.safetensors"])
	assert.Equal(t, []string{"bytes=0-65535"}, f.ranges["acme/long/model-00001-of-00002.safetensors"])
}

func TestHubSingleFileAndRangeIgnored(t *testing.T) {
	f := newFakeHub(t)
	f.files["acme/one/config.json"] = []byte(tinyConfig)
	f.files["acme/one/model.safetensors"] = safetensors(`{"w":{"dtype":"F16","shape":[8,8],"data_offsets":[0,128]}}`, 128)
	f.ignoreRange = true
	md, err := f.client("").Load(context.Background(), "acme/one")
	require.NoError(t, err)
	require.Contains(t, md.Headers, "model.safetensors")
	assert.Equal(t, []int64{8, 8}, md.Headers["model.safetensors"].Tensors["w"].Shape)
}

func TestHubNoSafetensors(t *testing.T) {
	for _, noAPI := range []bool{false, true} {
		f := newFakeHub(t)
		f.noAPI = noAPI
		f.files["acme/bin/config.json"] = []byte(tinyConfig)
		f.files["acme/bin/pytorch_model.bin"] = []byte("x")
		md, err := f.client("").Load(context.Background(), "acme/bin")
		require.NoError(t, err)
		assert.Empty(t, md.Headers)
		_, ok, err := md.Weights()
		require.NoError(t, err)
		assert.False(t, ok, "the caller falls back to the config.json estimate")
	}
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
	f.files["acme/cut/config.json"] = []byte(tinyConfig)
	f.files["acme/cut/model.safetensors"] = safetensors(`{"w":{"dtype":"F16","shape":[8,8],"data_offsets":[0,128]}}`, 100)

	cases := []struct {
		name, ref, token string
		want             []string
	}{
		{"gated 401 without token", "meta/gated", "", []string{"401", "accept the license", "HF_TOKEN"}},
		{"gated 403 wrong token", "meta/gated", "hf_bad", []string{"gated (HTTP 403)", "accept the license"}},
		{"repo 404", "acme/missing", "", []string{"repository acme/missing does not exist"}},
		{"revision 404", "acme/tiny@v9", "", []string{`revision "v9" of acme/tiny does not exist`}},
		{"truncated header", "acme/trunc", "", []string{"model.safetensors", "truncated"}},
		{"oversized header", "acme/huge", "", []string{"exceeds the 104857600-byte limit"}},
		{"short file", "acme/short", "", []string{"truncated"}},
		{"tensor data cut short", "acme/cut", "", []string{"the file is 166 bytes but its header describes 194", "truncated"}},
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

// TestHubPoolBound: however many shards, the requests in flight never exceed the pool (counted on the client, from
// sending a request to closing its answer, redirects included), and the pool is used (not one request at a time).
func TestHubPoolBound(t *testing.T) {
	f := newFakeHub(t)
	f.addMany("acme/many", 60, 4)
	f.latency = 5 * time.Millisecond
	for _, pool := range []int{1, 4, 16} {
		ct := newCountingTransport()
		h := f.client("")
		h.Client = &http.Client{Transport: ct}
		h.Concurrency = pool
		md, err := h.Load(context.Background(), "acme/many")
		require.NoError(t, err)
		require.Len(t, md.Headers, 60)
		assert.LessOrEqual(t, ct.max, pool, "pool %d", pool)
		if pool > 1 {
			assert.Greater(t, ct.max, 1, "pool %d: requests run concurrently", pool)
		}
	}
}

// TestHubOrderIndependent: random latency per request changes the order in which shards complete, not the result.
func TestHubOrderIndependent(t *testing.T) {
	f := newFakeHub(t)
	f.addMany("acme/many", 40, 3)
	f.jitter = func() time.Duration { return time.Duration(rand.IntN(4000)) * time.Microsecond }
	var want string
	for i, pool := range []int{1, 8, 32} {
		h := f.client("")
		h.Concurrency = pool
		md, err := h.Load(context.Background(), "acme/many")
		require.NoError(t, err)
		ws, ok, err := md.Weights()
		require.NoError(t, err)
		require.True(t, ok)
		got := fmt.Sprintf("%+v %v", *ws, md.Files)
		if i == 0 {
			want = got
		}
		assert.Equal(t, want, got, "pool %d", pool)
	}
}

// TestHubRetries: a 429 with Retry-After, 503s, a hung connection and a reset connection are each retried.
func TestHubRetries(t *testing.T) {
	shard := "acme/tiny/model-00002-of-00002.safetensors"
	for name, c := range map[string]struct {
		faults  []fault
		atLeast time.Duration
	}{
		"429 Retry-After":  {[]fault{{status: 429, retryAfter: "1"}}, time.Second},
		"503 then success": {[]fault{{status: 503}, {status: 502}}, 0},
		"hung connection":  {[]fault{{hang: true}}, 100 * time.Millisecond},
		"connection reset": {[]fault{{reset: true}, {reset: true}, {reset: true}, {reset: true}}, 0},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFakeHub(t)
			f.addSharded("acme/tiny")
			f.faults[shard] = c.faults
			h := f.client("")
			h.EtagTimeout = 100 * time.Millisecond
			var log bytes.Buffer
			h.Verbose = &log
			start := time.Now()
			md, err := h.Load(context.Background(), "acme/tiny")
			require.NoError(t, err)
			assert.Len(t, md.Headers, 2)
			assert.GreaterOrEqual(t, time.Since(start), c.atLeast)
			assert.Greater(t, f.resolves[shard], len(c.faults)-1)
			assert.Contains(t, log.String(), "retry the safetensors header of model-00002-of-00002.safetensors")
		})
	}
}

// TestHubGivesUp: a shard that keeps failing is named in the error; the deadline and cancellation stop the load
// promptly; none of them leaves a cache entry for the model.
func TestHubGivesUp(t *testing.T) {
	shard := "acme/tiny/model-00002-of-00002.safetensors"
	t.Run("503 every time", func(t *testing.T) {
		f := newFakeHub(t)
		f.addSharded("acme/tiny")
		f.faults[shard] = []fault{{status: 503}, {status: 503}, {status: 503}}
		h := f.client("")
		h.Retries = 2
		_, err := h.Load(context.Background(), "acme/tiny")
		require.Error(t, err)
		assert.Contains(t, err.Error(), "model-00002-of-00002.safetensors")
		assert.Contains(t, err.Error(), "HTTP 503 after 3 attempts")
		assert.Equal(t, 3, f.resolves[shard])
	})
	t.Run("Retry-After past the deadline", func(t *testing.T) {
		f := newFakeHub(t)
		f.addSharded("acme/tiny")
		f.faults[shard] = []fault{{status: 429, retryAfter: "120"}}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, err := f.client("").Load(ctx, "acme/tiny")
		require.Error(t, err)
		assert.Equal(t, 1, f.resolves[shard], "no retry the deadline forbids: the shard is asked for once")
		assert.Contains(t, err.Error(), "model-00002-of-00002.safetensors")
		assert.Contains(t, err.Error(), "HTTP 429")
		assert.Contains(t, err.Error(), "past the deadline")
	})
	for _, mode := range []string{"deadline", "cancel"} {
		t.Run("hung, "+mode, func(t *testing.T) {
			f := newFakeHub(t)
			f.addSharded("acme/tiny")
			f.faults[shard] = []fault{{hang: true}, {hang: true}, {hang: true}, {hang: true}, {hang: true}, {hang: true}}
			dir := t.TempDir()
			h := f.client("")
			h.Cache = &HFCache{Root: filepath.Join(dir, "hub")}
			h.CacheDir = filepath.Join(dir, "chartgen")
			var ctx context.Context
			var cancel context.CancelFunc
			if mode == "deadline" {
				ctx, cancel = context.WithTimeout(context.Background(), 300*time.Millisecond)
			} else {
				ctx, cancel = context.WithCancel(context.Background())
				time.AfterFunc(300*time.Millisecond, cancel) // Ctrl-C
			}
			defer cancel()
			_, err := h.Load(ctx, "acme/tiny")
			require.Error(t, err) // the load ends with the context's error below, not after the hung requests
			assert.Contains(t, err.Error(), "model-00002-of-00002.safetensors")
			if mode == "deadline" {
				assert.ErrorIs(t, err, context.DeadlineExceeded)
			} else {
				assert.ErrorIs(t, err, context.Canceled)
			}
			// No entry for the model: no snapshot, no ref, no listing, and no half-written file anywhere. (The header of
			// the shard that was read is complete and keyed by its sha256: a retry reuses it.)
			var files []string
			_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					rel, _ := filepath.Rel(dir, p)
					files = append(files, rel)
				}
				return nil
			})
			for _, p := range files {
				assert.Contains(t, p, filepath.Join("chartgen", "hub", "models--acme--tiny", "headers"), "only complete headers may be left")
				assert.NotContains(t, p, "incomplete")
			}
		})
	}
}

func TestHubVerboseRedacts(t *testing.T) {
	f := newFakeHub(t)
	f.addSharded("acme/tiny")
	h := f.client("hf_topsecret")
	var log bytes.Buffer
	h.Verbose = &log
	_, err := h.Load(context.Background(), "acme/tiny")
	require.NoError(t, err)
	out := log.String()
	assert.NotContains(t, out, "hf_topsecret")
	assert.NotContains(t, out, "cdn-secret-signature")
	assert.Contains(t, out, "Authorization: Bearer <redacted>")
	assert.Contains(t, out, "/acme/tiny/resolve/"+commit+"/model-00001-of-00002.safetensors Range: bytes=0-65535")
	assert.Contains(t, out, "302 Found")
	assert.Contains(t, out, "206 Partial Content")
}

func TestNewHubFromEnv(t *testing.T) {
	home := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(home, "token"), []byte("hf_file\n"), 0o600))
	env := map[string]string{"HF_HOME": home, "HF_ENDPOINT": "https://hf-mirror.example/", "HF_HUB_OFFLINE": "1"}
	get := func(k string) string { return env[k] }
	h, err := NewHubFromEnv(get)
	require.NoError(t, err)
	assert.Equal(t, "https://hf-mirror.example", h.Endpoint)
	assert.Equal(t, "hf_file", h.Token)
	assert.True(t, h.Offline)
	assert.Equal(t, filepath.Join(home, "chartgen"), h.CacheDir)
	assert.Equal(t, filepath.Join(home, "hub"), h.Cache.Root)
	assert.Equal(t, time.Duration(0), h.EtagTimeout)

	env["HF_TOKEN"] = "hf_env"
	env["HF_HUB_CACHE"] = "/data/hf"
	env["HF_HUB_ETAG_TIMEOUT"] = "3"
	env["HF_HUB_DOWNLOAD_TIMEOUT"] = "30"
	h, err = NewHubFromEnv(get)
	require.NoError(t, err)
	assert.Equal(t, "hf_env", h.Token)
	assert.Equal(t, "/data/hf", h.Cache.Root)
	assert.Equal(t, 3*time.Second, h.EtagTimeout)
	assert.Equal(t, 30*time.Second, h.DownloadTimeout)

	env["HF_HUB_ETAG_TIMEOUT"] = "3s"
	_, err = NewHubFromEnv(get)
	assert.ErrorContains(t, err, `HF_HUB_ETAG_TIMEOUT="3s": want whole seconds`)

	tp := filepath.Join(t.TempDir(), "tok")
	require.NoError(t, os.WriteFile(tp, []byte("hf_path"), 0o600))
	d, err := NewHubFromEnv(func(k string) string {
		return map[string]string{"HOME": "/home/u", "XDG_CACHE_HOME": "/xdg", "HF_TOKEN_PATH": tp, "TRANSFORMERS_OFFLINE": "yes"}[k]
	})
	require.NoError(t, err)
	assert.Equal(t, DefaultEndpoint, d.Endpoint)
	assert.Equal(t, "/xdg/huggingface/hub", d.Cache.Root)
	assert.Equal(t, "/xdg/huggingface/chartgen", d.CacheDir)
	assert.Equal(t, "hf_path", d.Token)
	assert.True(t, d.Offline, "TRANSFORMERS_OFFLINE means offline too")
	d, err = NewHubFromEnv(func(k string) string { return map[string]string{"HOME": "/home/u"}[k] })
	require.NoError(t, err)
	assert.Equal(t, "/home/u/.cache/huggingface/hub", d.Cache.Root)
	assert.False(t, d.Offline)
}

func TestRetryAfterAndBackoff(t *testing.T) {
	d, ok := retryAfter("7")
	assert.True(t, ok)
	assert.Equal(t, 7*time.Second, d)
	d, ok = retryAfter(time.Now().Add(20 * time.Second).UTC().Format(httpTimeFormat))
	assert.True(t, ok)
	assert.InDelta(t, 20, d.Seconds(), 1.5)
	_, ok = retryAfter("soon")
	assert.False(t, ok)
	for attempt := range 8 {
		b := backoff(time.Second, attempt)
		want := min(time.Second<<attempt, retryMax)
		assert.GreaterOrEqual(t, b, want/2)
		assert.LessOrEqual(t, b, want)
	}
	assert.True(t, retryableErr(errors.New("read: connection reset by peer")))
}

const httpTimeFormat = "Mon, 02 Jan 2006 15:04:05 GMT"
