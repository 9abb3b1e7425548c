package source

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/llm-charts/llm-charts/internal/model"
)

// DefaultEndpoint is the public Hub.
const DefaultEndpoint = "https://huggingface.co"

// maxSmallFile bounds config.json, the index and the API listing.
const maxSmallFile = 32 << 20

// Hub reads metadata from the Hugging Face Hub (or a mirror) with plain HTTP: the file listing through
// /api/models/{id}/revision/{rev}, config.json and model.safetensors.index.json through /{id}/resolve/{commit}/...,
// and each shard's safetensors header through Range requests, many at once. It reads and fills the Hugging Face
// cache (HFCache) and keeps the headers it read in its own cache (headerCache).
type Hub struct {
	Endpoint string   // HF_ENDPOINT, default https://huggingface.co
	Token    string   // HF_TOKEN, else the token file
	Cache    *HFCache // the Hugging Face cache (HF_HUB_CACHE); nil = none
	CacheDir string   // chartgen's own cache (headers, listings; the old per-revision entries); "" = none
	Offline  bool     // HF_HUB_OFFLINE=1: the caches only
	Client   *http.Client

	Concurrency     int           // requests in flight at once (DefaultConcurrency when 0)
	EtagTimeout     time.Duration // HF_HUB_ETAG_TIMEOUT: the longest wait for an answer's headers
	DownloadTimeout time.Duration // HF_HUB_DOWNLOAD_TIMEOUT: the longest wait for the next bytes of a body
	Retries         int           // tries after the first (DefaultRetries when 0, none when < 0)
	RetryBase       time.Duration // the first backoff (1 s when 0)
	Verbose         io.Writer     // -v: one line per request, token redacted
	Progress        func(Progress)

	once      sync.Once
	client    *http.Client
	sem       chan struct{}
	gateMu    sync.Mutex
	notBefore time.Time
	logMu     sync.Mutex
}

// Progress is reported while shard headers are read: Done of Total shards (Cached of them from a cache), or a wait.
type Progress struct {
	Model               string
	Done, Total, Cached int
	Elapsed             time.Duration
	Waiting             string
	Finished            bool
}

// NewHubFromEnv configures a Hub as huggingface_hub does (constants.py): HF_ENDPOINT; HF_HOME (default
// $XDG_CACHE_HOME/huggingface, else ~/.cache/huggingface); HF_HUB_CACHE (else HUGGINGFACE_HUB_CACHE, else
// $HF_HOME/hub); HF_TOKEN, else the file HF_TOKEN_PATH (default $HF_HOME/token); HF_HUB_OFFLINE or
// TRANSFORMERS_OFFLINE (1, ON, YES, TRUE); HF_HUB_ETAG_TIMEOUT and HF_HUB_DOWNLOAD_TIMEOUT in whole seconds (0 or
// unset: 10). chartgen's own cache is $HF_HOME/chartgen. getenv is os.Getenv in production.
func NewHubFromEnv(getenv func(string) string) (*Hub, error) {
	h := &Hub{Endpoint: strings.TrimRight(getenv("HF_ENDPOINT"), "/")}
	if h.Endpoint == "" {
		h.Endpoint = DefaultEndpoint
	}
	userHome := getenv("HOME")
	expand := func(p string) string {
		if p == "~" || strings.HasPrefix(p, "~/") {
			if userHome == "" {
				return ""
			}
			return filepath.Join(userHome, p[1:])
		}
		return p
	}
	home := expand(getenv("HF_HOME"))
	if home == "" {
		if xdg := expand(getenv("XDG_CACHE_HOME")); xdg != "" {
			home = filepath.Join(xdg, "huggingface")
		} else if userHome != "" {
			home = filepath.Join(userHome, ".cache", "huggingface")
		}
	}
	hubCache := expand(getenv("HF_HUB_CACHE"))
	if hubCache == "" {
		hubCache = expand(getenv("HUGGINGFACE_HUB_CACHE"))
	}
	if hubCache == "" && home != "" {
		hubCache = filepath.Join(home, "hub")
	}
	if hubCache != "" {
		h.Cache = &HFCache{Root: hubCache}
	}
	h.Token = strings.TrimSpace(getenv("HF_TOKEN"))
	tokenPath := expand(getenv("HF_TOKEN_PATH"))
	if tokenPath == "" && home != "" {
		tokenPath = filepath.Join(home, "token")
	}
	if h.Token == "" && tokenPath != "" {
		if b, err := os.ReadFile(tokenPath); err == nil {
			h.Token = strings.TrimSpace(string(b))
		}
	}
	if home != "" {
		h.CacheDir = filepath.Join(home, "chartgen")
	}
	h.Offline = envTrue(getenv("HF_HUB_OFFLINE")) || envTrue(getenv("TRANSFORMERS_OFFLINE"))
	var errs []error
	for _, t := range []struct {
		name string
		d    *time.Duration
	}{{"HF_HUB_ETAG_TIMEOUT", &h.EtagTimeout}, {"HF_HUB_DOWNLOAD_TIMEOUT", &h.DownloadTimeout}} {
		v := strings.TrimSpace(getenv(t.name))
		if v == "" {
			continue
		}
		s, err := strconv.Atoi(v)
		if err != nil || s < 0 {
			errs = append(errs, fmt.Errorf("%s=%q: want whole seconds, e.g. 30 (huggingface_hub reads it as an integer)", t.name, v))
			continue
		}
		*t.d = time.Duration(s) * time.Second
	}
	return h, errors.Join(errs...)
}

func envTrue(v string) bool {
	switch strings.ToUpper(strings.TrimSpace(v)) {
	case "1", "ON", "YES", "TRUE":
		return true
	}
	return false
}

// parseRef splits "org/name[@revision]".
func parseRef(ref string) (id, rev string, err error) {
	id, rev = ref, "main"
	if i := strings.LastIndex(ref, "@"); i >= 0 {
		id, rev = ref[:i], ref[i+1:]
	}
	parts := strings.Split(id, "/")
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" || strings.Contains(id, "..") || rev == "" || !safeRelPath(rev) {
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

// entryMissing reports whether the file (not the repo) is missing.
func (e *HubError) entryMissing() bool {
	return e.Status == http.StatusNotFound && (e.Code == "EntryNotFound" || e.Code == "")
}

func (h *Hub) explain(r *response, id, rev, file string) error {
	code := r.header.Get("X-Error-Code")
	msg := r.header.Get("X-Error-Message")
	e := &HubError{Status: r.status, Code: code, URL: r.url}
	switch {
	case code == "GatedRepo" || r.status == http.StatusForbidden:
		e.Msg = fmt.Sprintf("%s is gated (HTTP %d): accept the license on %s/%s while logged in, then set HF_TOKEN (or put the token in $HF_HOME/token) for an account that has access", id, r.status, h.Endpoint, id)
	case r.status == http.StatusUnauthorized:
		if h.Token == "" {
			e.Msg = fmt.Sprintf("%s needs authentication (HTTP 401): the repository is private or gated; accept the license on %s/%s, then set HF_TOKEN", id, h.Endpoint, id)
		} else {
			e.Msg = fmt.Sprintf("%s refused the token (HTTP 401): check that HF_TOKEN is valid and that its account accepted the license on %s/%s", id, h.Endpoint, id)
		}
	case code == "RevisionNotFound":
		e.Msg = fmt.Sprintf("revision %q of %s does not exist (HTTP 404)", rev, id)
	case code == "RepoNotFound":
		e.Msg = fmt.Sprintf("repository %s does not exist on %s (HTTP 404), or it is private and needs HF_TOKEN", id, h.Endpoint)
	case r.status == http.StatusNotFound:
		e.Msg = fmt.Sprintf("%s not found in %s at revision %q (HTTP 404): the repository, revision or file does not exist", file, id, rev)
	case r.status == http.StatusTooManyRequests:
		e.Msg = fmt.Sprintf("%s of %s: the Hub kept answering HTTP 429 (rate limited) after %d attempts: wait a few minutes, set HF_TOKEN (logged-in accounts have higher limits) or lower --hub-concurrency", file, id, r.attempts)
	case r.status >= 500:
		e.Msg = fmt.Sprintf("%s of %s: the Hub kept answering HTTP %d after %d attempts: try again later", file, id, r.status, r.attempts)
	default:
		e.Msg = fmt.Sprintf("fetching %s of %s: HTTP %d", file, id, r.status)
	}
	if msg != "" {
		e.Msg += " (Hub says: " + msg + ")"
	}
	return e
}

func (h *Hub) resolveURL(id, rev, file string) string {
	return fmt.Sprintf("%s/%s/resolve/%s/%s", h.Endpoint, id, url.PathEscape(rev), file)
}

// getSmall fetches a whole small file.
func (h *Hub) getSmall(ctx context.Context, id, rev, file string) (*response, error) {
	r, err := h.fetch(ctx, file+" of "+id, h.resolveURL(id, rev, file), 0, -1)
	if err != nil {
		return nil, err
	}
	if !r.ok() {
		return nil, h.explain(r, id, rev, file)
	}
	return r, nil
}

// apiInfo is /api/models/{id}/revision/{rev}?blobs=true (huggingface_hub's model_info(files_metadata=True)).
type apiInfo struct {
	SHA      string `json:"sha"`
	Siblings []struct {
		RFilename string `json:"rfilename"`
		Size      int64  `json:"size"`
		BlobID    string `json:"blobId"`
		LFS       *struct {
			SHA256 string `json:"sha256"`
			Size   int64  `json:"size"`
		} `json:"lfs"`
	} `json:"siblings"`
}

func (a *apiInfo) listing() *listing {
	l := &listing{Commit: a.SHA}
	for _, s := range a.Siblings {
		f := repoFile{Path: s.RFilename, Size: s.Size, Etag: s.BlobID}
		if s.LFS != nil {
			f.Etag, f.Size = s.LFS.SHA256, s.LFS.Size
		}
		l.Files = append(l.Files, f)
	}
	return l
}

func (h *Hub) getAPI(ctx context.Context, id, rev string) (*apiInfo, error) {
	u := fmt.Sprintf("%s/api/models/%s/revision/%s?blobs=true", h.Endpoint, id, url.PathEscape(rev))
	r, err := h.fetch(ctx, "the file list of "+id, u, 0, -1)
	if err != nil {
		return nil, err
	}
	if !r.ok() {
		return nil, h.explain(r, id, rev, "file list")
	}
	var info apiInfo
	if err := json.Unmarshal(r.body, &info); err != nil {
		return nil, fmt.Errorf("the file list of %s: %w", id, err)
	}
	return &info, nil
}

const indexFile = "model.safetensors.index.json"

// Load reads a model: from the caches only with HF_HUB_OFFLINE, else from the Hub (and the caches where they hold
// a shard already).
func (h *Hub) Load(ctx context.Context, ref string) (*Metadata, error) {
	id, rev, err := parseRef(ref)
	if err != nil {
		return nil, err
	}
	if h.Offline {
		return h.loadOffline(id, rev)
	}
	return h.loadOnline(ctx, id, rev)
}

func (h *Hub) loadOnline(ctx context.Context, id, rev string) (*Metadata, error) {
	// The listing, config.json and the index at once: one round trip before the shards.
	var (
		wg             sync.WaitGroup
		info           *apiInfo
		cfg, idx       *response
		cfgErr, idxErr error
	)
	wg.Add(3)
	go func() { defer wg.Done(); info, _ = h.getAPI(ctx, id, rev) }() // best effort: mirrors may lack the API
	go func() { defer wg.Done(); cfg, cfgErr = h.getSmall(ctx, id, rev, "config.json") }()
	go func() { defer wg.Done(); idx, idxErr = h.getSmall(ctx, id, rev, indexFile) }()
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, context.Cause(ctx)
	}
	if cfgErr != nil {
		return nil, cfgErr
	}
	var lst *listing
	commit := cfg.commit
	if info != nil && commitHash.MatchString(info.SHA) {
		lst = info.listing()
		if commit != info.SHA {
			// The branch moved between the requests: read everything at the listing's commit.
			commit = info.SHA
			if cfg, cfgErr = h.getSmall(ctx, id, commit, "config.json"); cfgErr != nil {
				return nil, cfgErr
			}
			idx, idxErr = h.getSmall(ctx, id, commit, indexFile)
		}
	}
	at := rev // shards are read at the commit when it is known, so that they all come from one
	if commitHash.MatchString(commit) {
		at = commit
	} else {
		commit = ""
	}
	if lst == nil {
		lst = &listing{Commit: commit}
	}
	md := &Metadata{Ref: id, Source: "hub", Revision: commit, Config: cfg.body, Files: lst.paths()}
	indexMissing := false
	var shards []string
	var he *HubError
	switch {
	case idxErr == nil:
		parsed, err := model.ParseSafetensorsIndex(idx.body)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", id, err)
		}
		md.Index = parsed
		shards = parsed.Files()
	case errors.As(idxErr, &he) && he.entryMissing():
		indexMissing = true
		if len(lst.Files) == 0 || lst.file("model.safetensors") != nil {
			shards = []string{"model.safetensors"}
		}
	default:
		return nil, idxErr
	}
	headers, err := h.readHeaders(ctx, id, at, shards, lst, md.Index)
	if err != nil {
		return nil, err
	}
	if len(headers) > 0 {
		md.Headers = headers
	}
	h.store(id, rev, commit, cfg, idx, indexMissing, lst)
	return md, nil
}

// store writes what a successful load fetched: config.json and the index into the Hugging Face cache (blob, link,
// ref), and the listing into chartgen's. A cache that cannot be written does not fail the load.
func (h *Hub) store(id, rev, commit string, cfg, idx *response, indexMissing bool, lst *listing) {
	if commit == "" {
		return
	}
	for _, f := range []struct {
		name string
		r    *response
	}{{"config.json", cfg}, {indexFile, idx}} {
		if f.r == nil {
			continue
		}
		if rf := lst.file(f.name); rf == nil {
			lst.Files = append(lst.Files, repoFile{Path: f.name, Size: int64(len(f.r.body)), Etag: f.r.etag})
		} else if rf.Etag == "" {
			rf.Etag = f.r.etag
		}
		if h.Cache != nil {
			if err := h.Cache.Write(id, rev, commit, f.name, f.r.etag, f.r.body); err != nil {
				h.logf("not written to the Hugging Face cache: %v", err)
			}
		}
	}
	if h.Cache != nil && indexMissing {
		_ = h.Cache.WriteMissing(id, commit, indexFile)
	}
	if h.CacheDir != "" {
		hc := &headerCache{dir: h.CacheDir}
		if err := hc.writeListing(id, lst); err != nil {
			h.logf("not written to chartgen's cache: %v", err)
		}
	}
}

// loadOffline reads a model from the Hugging Face cache (what `hf download`, vLLM or transformers put there, and
// what chartgen fetched), with the headers chartgen read kept in its own cache; the old per-revision entries of
// chartgen's cache are read when the Hugging Face cache does not have the model.
func (h *Hub) loadOffline(id, rev string) (*Metadata, error) {
	hc := &headerCache{dir: h.CacheDir}
	commit := ""
	var cerr error
	if h.Cache != nil {
		commit, cerr = h.Cache.Commit(id, rev)
	}
	var cfg []byte
	if commit != "" {
		cfg, cerr = h.Cache.ReadFile(id, commit, "config.json")
	}
	if cfg == nil {
		if h.CacheDir != "" {
			if e, err := hc.legacy(id, rev); err == nil {
				return fromLegacy(id, e)
			}
		}
		where := "no Hugging Face cache (set HF_HUB_CACHE or HF_HOME)"
		if h.Cache != nil {
			where = "the Hugging Face cache " + h.Cache.Root
			if commit == "" {
				where += fmt.Sprintf(" has no %s for %s", filepath.Join("refs", rev), id)
			} else {
				where += fmt.Sprintf(" has no config.json for %s at %s", id, commit)
			}
		}
		if cerr != nil && !errors.Is(cerr, fs.ErrNotExist) {
			where += ": " + cerr.Error()
		}
		return nil, fmt.Errorf("HF_HUB_OFFLINE is set and %s@%s is not cached: %s; download it first (hf download %s config.json %s), or run chartgen once online", id, rev, where, id, indexFile)
	}
	md := &Metadata{Ref: id, Source: "hf-cache", Revision: commit, Config: cfg}
	lst, _ := hc.readListing(id, commit)
	if lst != nil {
		md.Files = lst.paths()
	} else {
		md.Files, _ = h.Cache.Files(id, commit)
	}
	var shards []string
	if b, err := h.Cache.ReadFile(id, commit, indexFile); err == nil {
		idx, err := model.ParseSafetensorsIndex(b)
		if err != nil {
			return nil, fmt.Errorf("%s in the Hugging Face cache: %w", id, err)
		}
		md.Index = idx
		shards = idx.Files()
	} else {
		for _, f := range md.Files {
			if f == "model.safetensors" {
				shards = []string{f}
			}
		}
	}
	for _, s := range shards {
		var hd *model.SafetensorsHeader
		var err error
		if _, serr := os.Stat(h.Cache.SnapshotPath(id, commit, s)); serr == nil {
			hd, err = readLocalHeader(h.Cache.SnapshotPath(id, commit, s))
		} else if rf := lst.file(s); rf != nil {
			if b, ok := hc.header(id, rf.Etag); ok {
				hd, err = parsePrefix(b, rf.Size)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("%s in the Hugging Face cache: %s: %w", id, s, err)
		}
		if hd != nil {
			if md.Headers == nil {
				md.Headers = map[string]*model.SafetensorsHeader{}
			}
			md.Headers[s] = hd
		}
	}
	return md, nil
}

func fromLegacy(id string, e *legacyEntry) (*Metadata, error) {
	md := &Metadata{Ref: id, Source: "hub", Revision: e.Revision, Config: e.Config, Files: e.Files}
	if len(e.Index) > 0 {
		idx, err := model.ParseSafetensorsIndex(e.Index)
		if err != nil {
			return nil, err
		}
		md.Index = idx
	}
	for name, raw := range e.Headers {
		hd, err := model.ParseSafetensorsHeader([]byte(raw))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if md.Headers == nil {
			md.Headers = map[string]*model.SafetensorsHeader{}
		}
		md.Headers[name] = hd
	}
	return md, nil
}
