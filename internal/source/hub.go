package source

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/llm-charts/llm-charts/internal/model"
)

// DefaultEndpoint is the public Hub.
const DefaultEndpoint = "https://huggingface.co"

// maxSmallFile bounds config.json, the index and the API listing.
const maxSmallFile = 32 << 20

// Hub reads metadata from the Hugging Face Hub (or a mirror) with plain HTTP: config.json and
// model.safetensors.index.json through /{id}/resolve/{rev}/..., safetensors headers through
// Range requests, and the file list through /api/models/{id}/revision/{rev}.
type Hub struct {
	Endpoint string // HF_ENDPOINT, default https://huggingface.co
	Token    string // HF_TOKEN or the token file
	CacheDir string // where fetched metadata is kept; "" = no cache
	Offline  bool   // HF_HUB_OFFLINE=1: cache only
	Client   *http.Client
}

// NewHubFromEnv configures a Hub from HF_ENDPOINT, HF_TOKEN, HF_HOME (token file $HF_HOME/token,
// default ~/.cache/huggingface/token) and HF_HUB_OFFLINE. getenv is os.Getenv in production.
func NewHubFromEnv(getenv func(string) string) *Hub {
	h := &Hub{Endpoint: strings.TrimRight(getenv("HF_ENDPOINT"), "/")}
	if h.Endpoint == "" {
		h.Endpoint = DefaultEndpoint
	}
	home := getenv("HF_HOME")
	if home == "" {
		if uh := getenv("HOME"); uh != "" {
			home = filepath.Join(uh, ".cache", "huggingface")
		}
	}
	h.Token = strings.TrimSpace(getenv("HF_TOKEN"))
	if h.Token == "" && home != "" {
		if b, err := os.ReadFile(filepath.Join(home, "token")); err == nil {
			h.Token = strings.TrimSpace(string(b))
		}
	}
	if home != "" {
		h.CacheDir = filepath.Join(home, "chartgen")
	}
	switch strings.ToLower(getenv("HF_HUB_OFFLINE")) {
	case "1", "true", "yes", "on":
		h.Offline = true
	}
	return h
}

func (h *Hub) client() *http.Client {
	c := h.Client
	if c == nil {
		c = &http.Client{Timeout: 60 * time.Second}
	}
	cc := *c
	cc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		// The Hub 302s resolve/ to a CDN: never hand our token to another host.
		if req.URL.Host != via[0].URL.Host {
			req.Header.Del("Authorization")
		}
		return nil
	}
	return &cc
}

// parseRef splits "org/name[@revision]".
func parseRef(ref string) (id, rev string, err error) {
	id, rev = ref, "main"
	if i := strings.LastIndex(ref, "@"); i >= 0 {
		id, rev = ref[:i], ref[i+1:]
	}
	parts := strings.Split(id, "/")
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" || strings.Contains(id, "..") || rev == "" {
		return "", "", fmt.Errorf("model id %q must look like org/name or org/name@revision", ref)
	}
	return id, rev, nil
}

// HubError is an HTTP failure with what to do about it.
type HubError struct {
	Status int
	Code   string // x-error-code (GatedRepo, RepoNotFound, RevisionNotFound, EntryNotFound)
	URL    string
	Msg    string
}

func (e *HubError) Error() string { return e.Msg }

// NotFound reports whether the file (not the repo) is missing.
func (e *HubError) entryMissing() bool {
	return e.Status == http.StatusNotFound && (e.Code == "EntryNotFound" || e.Code == "")
}

func (h *Hub) explain(resp *http.Response, id, rev, file string) error {
	code := resp.Header.Get("X-Error-Code")
	msg := resp.Header.Get("X-Error-Message")
	e := &HubError{Status: resp.StatusCode, Code: code, URL: resp.Request.URL.String()}
	switch {
	case code == "GatedRepo" || resp.StatusCode == http.StatusForbidden:
		e.Msg = fmt.Sprintf("%s is gated (HTTP %d): accept the license on %s/%s while logged in, then set HF_TOKEN (or put the token in $HF_HOME/token) for an account that has access", id, resp.StatusCode, h.Endpoint, id)
	case resp.StatusCode == http.StatusUnauthorized:
		if h.Token == "" {
			e.Msg = fmt.Sprintf("%s needs authentication (HTTP 401): the repository is private or gated; accept the license on %s/%s, then set HF_TOKEN", id, h.Endpoint, id)
		} else {
			e.Msg = fmt.Sprintf("%s refused the token (HTTP 401): check that HF_TOKEN is valid and that its account accepted the license on %s/%s", id, h.Endpoint, id)
		}
	case code == "RevisionNotFound":
		e.Msg = fmt.Sprintf("revision %q of %s does not exist (HTTP 404)", rev, id)
	case code == "RepoNotFound":
		e.Msg = fmt.Sprintf("repository %s does not exist on %s (HTTP 404), or it is private and needs HF_TOKEN", id, h.Endpoint)
	case resp.StatusCode == http.StatusNotFound:
		e.Msg = fmt.Sprintf("%s not found in %s at revision %q (HTTP 404): the repository, revision or file does not exist", file, id, rev)
	default:
		e.Msg = fmt.Sprintf("fetching %s of %s: HTTP %d", file, id, resp.StatusCode)
	}
	if msg != "" {
		e.Msg += " (Hub says: " + msg + ")"
	}
	return e
}

func (h *Hub) request(ctx context.Context, method, u string, rng string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return nil, err
	}
	if h.Token != "" {
		req.Header.Set("Authorization", "Bearer "+h.Token)
	}
	if rng != "" {
		req.Header.Set("Range", rng)
	}
	req.Header.Set("User-Agent", "chartgen")
	return h.client().Do(req)
}

func (h *Hub) resolveURL(id, rev, file string) string {
	return fmt.Sprintf("%s/%s/resolve/%s/%s", h.Endpoint, id, url.PathEscape(rev), file)
}

// getSmall fetches a whole small file; it returns the X-Repo-Commit header too.
func (h *Hub) getSmall(ctx context.Context, id, rev, file string) ([]byte, string, error) {
	resp, err := h.request(ctx, http.MethodGet, h.resolveURL(id, rev, file), "")
	if err != nil {
		return nil, "", fmt.Errorf("fetching %s of %s: %w", file, id, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, "", h.explain(resp, id, rev, file)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxSmallFile+1))
	if err != nil {
		return nil, "", fmt.Errorf("reading %s of %s: %w", file, id, err)
	}
	if len(b) > maxSmallFile {
		return nil, "", fmt.Errorf("%s of %s is larger than %d bytes", file, id, maxSmallFile)
	}
	return b, resp.Header.Get("X-Repo-Commit"), nil
}

// rangeRead reads bytes [off, off+n) of a file. If the server ignores Range and answers 200 with
// the whole body, it reads only what it needs from the stream and closes it.
func (h *Hub) rangeRead(ctx context.Context, id, rev, file string, off, n int64) ([]byte, error) {
	rng := fmt.Sprintf("bytes=%d-%d", off, off+n-1)
	resp, err := h.request(ctx, http.MethodGet, h.resolveURL(id, rev, file), rng)
	if err != nil {
		return nil, fmt.Errorf("fetching %s of %s: %w", file, id, err)
	}
	defer resp.Body.Close()
	var body io.Reader = resp.Body
	switch resp.StatusCode {
	case http.StatusPartialContent:
		if cr := resp.Header.Get("Content-Range"); cr != "" && !strings.HasPrefix(cr, fmt.Sprintf("bytes %d-", off)) {
			return nil, fmt.Errorf("%s of %s: server answered Range %s with Content-Range %q", file, id, rng, cr)
		}
	case http.StatusOK:
		// Range not honoured: skip to the offset on the stream, never buffer the file.
		if _, err := io.CopyN(io.Discard, resp.Body, off); err != nil {
			return nil, fmt.Errorf("%s of %s: server ignored the Range request and the body ended before byte %d (file truncated)", file, id, off)
		}
	case http.StatusRequestedRangeNotSatisfiable:
		return nil, fmt.Errorf("%s of %s: file is shorter than %d bytes (truncated safetensors)", file, id, off+n)
	default:
		return nil, h.explain(resp, id, rev, file)
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(body, buf); err != nil {
		return nil, fmt.Errorf("%s of %s: wanted %d bytes at offset %d: file truncated", file, id, n, off)
	}
	return buf, nil
}

// header reads one shard's safetensors header with two Range requests: the 8-byte length,
// then exactly the header.
func (h *Hub) header(ctx context.Context, id, rev, file string) ([]byte, error) {
	prefix, err := h.rangeRead(ctx, id, rev, file, 0, 8)
	if err != nil {
		return nil, err
	}
	n, err := model.SafetensorsHeaderLength(prefix)
	if err != nil {
		return nil, fmt.Errorf("%s of %s: %w", file, id, err)
	}
	return h.rangeRead(ctx, id, rev, file, 8, n)
}

type apiInfo struct {
	SHA      string `json:"sha"`
	Siblings []struct {
		RFilename string `json:"rfilename"`
	} `json:"siblings"`
}

// cached is what the cache stores per (id, revision).
type cached struct {
	Revision string            `json:"revision"`
	Config   []byte            `json:"config"`
	Files    []string          `json:"files,omitempty"`
	Index    []byte            `json:"index,omitempty"`
	Headers  map[string]string `json:"headers,omitempty"` // raw header JSON per shard
}

func (h *Hub) cachePath(id, rev string) string {
	return filepath.Join(h.CacheDir, strings.Replace(id, "/", "--", 1), url.PathEscape(rev)+".json")
}

// Load fetches config.json, the file list, the index (or single model.safetensors) and every
// shard's header. Headers are best effort only when a shard is missing; auth errors stop.
func (h *Hub) Load(ctx context.Context, ref string) (*Metadata, error) {
	id, rev, err := parseRef(ref)
	if err != nil {
		return nil, err
	}
	if h.Offline {
		if h.CacheDir == "" {
			return nil, fmt.Errorf("HF_HUB_OFFLINE is set and there is no cache directory to read %s from", id)
		}
		c, err := h.readCache(id, rev)
		if err != nil {
			return nil, fmt.Errorf("HF_HUB_OFFLINE is set and %s@%s is not in the cache %s: %w", id, rev, h.CacheDir, err)
		}
		return h.fromCache(ref, c)
	}
	cfg, commit, err := h.getSmall(ctx, id, rev, "config.json")
	if err != nil {
		return nil, err
	}
	c := &cached{Revision: commit, Config: cfg, Headers: map[string]string{}}
	if b, _, err := h.getAPI(ctx, id, rev); err == nil {
		var info apiInfo
		if json.Unmarshal(b, &info) == nil {
			for _, s := range info.Siblings {
				c.Files = append(c.Files, s.RFilename)
			}
			if c.Revision == "" {
				c.Revision = info.SHA
			}
		}
	}
	shards := []string{"model.safetensors"}
	if idx, _, err := h.getSmall(ctx, id, rev, "model.safetensors.index.json"); err == nil {
		parsed, perr := model.ParseSafetensorsIndex(idx)
		if perr != nil {
			return nil, fmt.Errorf("%s: %w", id, perr)
		}
		c.Index = idx
		shards = parsed.Files()
	} else if he := (*HubError)(nil); !errors.As(err, &he) || !he.entryMissing() {
		return nil, err
	}
	for _, s := range shards {
		b, err := h.header(ctx, id, rev, s)
		if err != nil {
			var he *HubError
			if s == "model.safetensors" && errors.As(err, &he) && he.entryMissing() {
				break // no safetensors at all: the caller estimates from config.json
			}
			return nil, err
		}
		c.Headers[s] = string(b)
	}
	if h.CacheDir != "" {
		_ = h.writeCache(id, rev, c) // a cache failure must not fail the load
	}
	return h.fromCache(ref, c)
}

func (h *Hub) getAPI(ctx context.Context, id, rev string) ([]byte, string, error) {
	u := fmt.Sprintf("%s/api/models/%s/revision/%s", h.Endpoint, id, url.PathEscape(rev))
	resp, err := h.request(ctx, http.MethodGet, u, "")
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, "", h.explain(resp, id, rev, "file list")
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxSmallFile))
	return b, "", err
}

func (h *Hub) fromCache(ref string, c *cached) (*Metadata, error) {
	md := &Metadata{Ref: ref, Source: "hub", Revision: c.Revision, Config: c.Config, Files: c.Files}
	if i := strings.LastIndex(ref, "@"); i >= 0 {
		md.Ref = ref[:i]
	}
	if len(c.Index) > 0 {
		idx, err := model.ParseSafetensorsIndex(c.Index)
		if err != nil {
			return nil, err
		}
		md.Index = idx
	}
	if len(c.Headers) > 0 {
		md.Headers = map[string]*model.SafetensorsHeader{}
		for name, raw := range c.Headers {
			hd, err := model.ParseSafetensorsHeader([]byte(raw))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			md.Headers[name] = hd
		}
	}
	return md, nil
}

func (h *Hub) readCache(id, rev string) (*cached, error) {
	b, err := os.ReadFile(h.cachePath(id, rev))
	if err != nil {
		return nil, err
	}
	var c cached
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("corrupt cache entry: %w", err)
	}
	if len(c.Config) == 0 {
		return nil, errors.New("cache entry has no config.json")
	}
	return &c, nil
}

func (h *Hub) writeCache(id, rev string, c *cached) error {
	p := h.cachePath(id, rev)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	tmp := p + ".tmp" + strconv.Itoa(os.Getpid())
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, p)
}
