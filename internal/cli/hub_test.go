package cli

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/llm-charts/llm-charts/internal/source"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const hubCommit = "89abcdef0123456789abcdef0123456789abcdef"

// tinyHub is a Hub mirror without the API (as some mirrors are): config.json, no index, one model.safetensors served
// with Range. hang makes the shard request block until the client gives up.
func tinyHub(t *testing.T, hang chan struct{}) *httptest.Server {
	cfg := `{"model_type":"llama","architectures":["LlamaForCausalLM"],"num_hidden_layers":2,"hidden_size":64,"num_attention_heads":4,"num_key_value_heads":2,"intermediate_size":128,"vocab_size":100,"torch_dtype":"bfloat16","max_position_embeddings":4096}`
	hdr := `{"w":{"dtype":"BF16","shape":[64,64],"data_offsets":[0,8192]}}`
	var shard bytes.Buffer
	_ = binary.Write(&shard, binary.LittleEndian, uint64(len(hdr)))
	shard.WriteString(hdr)
	shard.Write(make([]byte, 8192))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Repo-Commit", hubCommit)
		switch r.URL.Path {
		case "/acme/tiny/resolve/main/config.json":
			w.Header().Set("ETag", `"cfgetag"`)
			io.WriteString(w, cfg)
		case "/acme/tiny/resolve/" + hubCommit + "/model.safetensors":
			if hang != nil {
				select {
				case hang <- struct{}{}:
				default:
				}
				<-r.Context().Done()
				return
			}
			var a, b int
			fmt.Sscanf(r.Header.Get("Range"), "bytes=%d-%d", &a, &b)
			b = min(b, shard.Len()-1)
			w.Header().Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", a, b, shard.Len()))
			w.WriteHeader(http.StatusPartialContent)
			w.Write(shard.Bytes()[a : b+1])
		default:
			w.Header().Set("X-Error-Code", "EntryNotFound")
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// runHub runs chartgen against a Hub client of srv with no cache, stderr a terminal or not.
func runHub(t *testing.T, srv *httptest.Server, terminal bool, args ...string) (string, string, error) {
	t.Helper()
	hubSource = func() source.Source { return &source.Hub{Endpoint: srv.URL} }
	old := stderrIsTerminal
	stderrIsTerminal = func(io.Writer) bool { return terminal }
	defer func() { stderrIsTerminal = old }()
	var out, errOut bytes.Buffer
	err := Run(args, IOStreams{Out: &out, ErrOut: &errOut})
	return out.String(), errOut.String(), err
}

// TestHubProgress: progress on a terminal only, never with --quiet; -v prints each request instead.
func TestHubProgress(t *testing.T) {
	srv := tinyHub(t, nil)
	args := []string{"values", "--model", "acme/tiny", "--gpu", "l4"}
	out, errOut, err := runHub(t, srv, true, args...)
	require.NoError(t, err)
	assert.Contains(t, out, "acme/tiny")
	assert.Contains(t, errOut, "acme/tiny: read 1/1 safetensors headers")

	_, errOut, err = runHub(t, srv, false, args...)
	require.NoError(t, err)
	assert.NotContains(t, errOut, "safetensors headers", "no progress in a pipe or a file")

	_, errOut, err = runHub(t, srv, true, append(args, "--quiet")...)
	require.NoError(t, err)
	assert.NotContains(t, errOut, "safetensors headers")

	_, errOut, err = runHub(t, srv, true, append([]string{"explain", "-v"}, args[1:]...)...)
	require.NoError(t, err)
	assert.Contains(t, errOut, "hub: GET "+srv.URL+"/acme/tiny/resolve/main/config.json → 200 OK")
	assert.Contains(t, errOut, "/model.safetensors Range: bytes=0-262143 → 206 Partial Content")
	assert.NotContains(t, errOut, "safetensors headers", "-v prints requests, not the progress line")

	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	assert.False(t, stderrIsTerminal(w), "a pipe is not a terminal")
	assert.False(t, stderrIsTerminal(&bytes.Buffer{}))
}

func TestHubFlagErrors(t *testing.T) {
	srv := tinyHub(t, nil)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"values", "--model", "acme/tiny", "--hub-concurrency", "0"}, "--hub-concurrency 0 must be between 1 and 64"},
		{[]string{"explain", "--model", "acme/tiny", "--hub-timeout", "0s"}, "--hub-timeout 0s must be positive"},
		{[]string{"check", "x.log", "--model", "acme/tiny", "--hub-concurrency", "100"}, "--hub-concurrency 100 must be between 1 and 64"},
		{[]string{"values", "--model", "acme/tiny", "-q", "-v"}, "--quiet and --verbose both given"},
	} {
		_, _, err := runHub(t, srv, false, c.args...)
		require.Error(t, err, c.args)
		assert.Contains(t, err.Error(), c.want)
		assert.Equal(t, 2, ExitCode(err))
	}
	t.Setenv("HF_HUB_DOWNLOAD_TIMEOUT", "ten")
	hubSource = hubFromEnv
	err := Run([]string{"values", "--model", "acme/tiny"}, IOStreams{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `HF_HUB_DOWNLOAD_TIMEOUT="ten": want whole seconds`)
}

// TestHubDeadlineAndInterrupt: --hub-timeout ends a stuck lookup with an error that names the shard and the flag;
// Ctrl-C (SIGINT to the process) cancels it and says so.
func TestHubDeadlineAndInterrupt(t *testing.T) {
	srv := tinyHub(t, make(chan struct{}, 1))
	start := time.Now()
	_, _, err := runHub(t, srv, false, "values", "--model", "acme/tiny", "--hub-timeout", "300ms")
	require.Error(t, err)
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.Contains(t, err.Error(), "model.safetensors")
	assert.Contains(t, err.Error(), "--hub-timeout 300ms ran out")

	hang := make(chan struct{}, 1)
	srv = tinyHub(t, hang)
	go func() {
		<-hang // the lookup is under way, so Run listens for the signal
		_ = syscall.Kill(os.Getpid(), syscall.SIGINT)
	}()
	_, _, err = runHub(t, srv, false, "values", "--model", "acme/tiny")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "interrupted")
	assert.Contains(t, err.Error(), "model.safetensors")
}
