package source

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// The request policy. Defaults follow huggingface_hub where it has one (constants.py, utils/_http.py http_backoff).
const (
	// DefaultConcurrency bounds the requests in flight. The Hub counts requests per 5-minute window (3,000 resolves
	// anonymous, 5,000 for a free account: huggingface.co/docs/hub/rate-limits), not connections, so the pool only
	// shapes the burst; 16 sits between huggingface_hub's snapshot_download (8 workers) and hf-mem (up to 32). At
	// 100 ms per request 163 shards wait 11 waves of two round trips (resolve, then CDN): about 2.3 s of latency.
	DefaultConcurrency = 16
	// DefaultRetries is how often a failed request is tried again (huggingface_hub's http_backoff: max_retries=5).
	DefaultRetries = 5
	// DefaultTimeout is huggingface_hub's DEFAULT_ETAG_TIMEOUT and DEFAULT_DOWNLOAD_TIMEOUT (10 s each).
	DefaultTimeout = 10 * time.Second
	// retryBase and retryMax bound the backoff (http_backoff: base_wait_time=1, max_wait_time=8), with jitter added.
	retryBase = time.Second
	retryMax  = 8 * time.Second
	maxHops   = 10
)

// response is one logical request's outcome after redirects: the final status, the Hub's headers seen on any hop
// (the 302 to the CDN carries X-Linked-Etag and X-Linked-Size, the CDN's answer does not) and the body read.
type response struct {
	status   int
	header   http.Header
	url      string // the final URL (the CDN's, for a shard): a second range is read from it directly
	commit   string // X-Repo-Commit
	etag     string // X-Linked-Etag, else ETag, normalized as huggingface_hub does
	size     int64  // X-Linked-Size, or the total of Content-Range; -1 when unknown
	body     []byte
	attempts int
}

func (r *response) ok() bool {
	return r.status == http.StatusOK || r.status == http.StatusPartialContent
}

// errTimeout is a request the Hub did not answer, or stopped sending, within the timeouts.
type errTimeout struct{ what string }

func (e errTimeout) Error() string { return e.what }

// setup builds the client and the pool once.
func (h *Hub) setup() {
	h.once.Do(func() {
		n := h.Concurrency
		if n <= 0 {
			n = DefaultConcurrency
		}
		h.sem = make(chan struct{}, n)
		c := h.Client
		if c == nil {
			tr := http.DefaultTransport.(*http.Transport).Clone()
			tr.MaxIdleConnsPerHost = n // keep a connection per worker instead of Go's default of 2
			c = &http.Client{Transport: tr}
		}
		cc := *c
		// Redirects are followed by hand (attempt): the 302 from resolve/ carries the headers the cache needs, and the
		// token must not follow it to another host.
		cc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		h.client = &cc
	})
}

func (h *Hub) etagTimeout() time.Duration     { return orDefault(h.EtagTimeout, DefaultTimeout) }
func (h *Hub) downloadTimeout() time.Duration { return orDefault(h.DownloadTimeout, DefaultTimeout) }

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// fetch GETs u with retries. n < 0 reads the whole (small) body; otherwise bytes [off, off+n) with a Range request
// (fewer when the file ends first). what names the file in errors. A non-2xx answer that is not worth retrying is
// returned as a response, for the caller to explain.
func (h *Hub) fetch(ctx context.Context, what, u string, off, n int64) (*response, error) {
	h.setup()
	retries := h.Retries
	if retries == 0 {
		retries = DefaultRetries
	}
	start := time.Now()
	for attempt := 0; ; attempt++ {
		if err := h.waitGate(ctx); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		select {
		case h.sem <- struct{}{}:
		case <-ctx.Done():
			return nil, fmt.Errorf("%s: %w", what, context.Cause(ctx))
		}
		r, err := h.attempt(ctx, u, off, n)
		<-h.sem
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%s: %w", what, context.Cause(ctx))
		}
		if err == nil && !retryableStatus(r.status) {
			r.attempts = attempt + 1
			return r, nil
		}
		if err != nil && !retryableErr(err) {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		why := ""
		if err != nil {
			why = err.Error()
		} else {
			why = fmt.Sprintf("HTTP %d %s", r.status, http.StatusText(r.status))
		}
		if attempt >= retries {
			if r != nil && r.status != 0 {
				r.attempts = attempt + 1
				return r, nil // the caller explains the last answer, with the attempts
			}
			return nil, fmt.Errorf("%s: gave up after %d attempts in %s: %s", what, attempt+1, time.Since(start).Round(time.Millisecond), why)
		}
		delay := backoff(h.RetryBase, attempt)
		if r != nil {
			if ra, ok := retryAfter(r.header.Get("Retry-After")); ok {
				delay = ra
				h.pause(ra) // every worker waits, not just this one: the limit is per client
			}
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < delay {
			return nil, fmt.Errorf("%s: %s, and the next try (in %s) would be past the deadline (--hub-timeout)", what, why, delay.Round(time.Millisecond))
		}
		h.logf("retry %s in %s (attempt %d of %d): %s", what, delay.Round(time.Millisecond), attempt+2, retries+1, why)
		if h.Progress != nil && r != nil && r.status == http.StatusTooManyRequests {
			h.Progress(Progress{Waiting: fmt.Sprintf("rate-limited by the Hub (HTTP 429), waiting %s", delay.Round(time.Second))})
		}
		if err := sleep(ctx, delay); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
	}
}

// attempt is one try: the request and its redirects, each hop held to the timeouts.
func (h *Hub) attempt(ctx context.Context, u string, off, n int64) (*response, error) {
	actx, cancel := context.WithCancel(ctx)
	defer cancel()
	r := &response{size: -1}
	cur := u
	for hop := 0; hop < maxHops; hop++ {
		req, err := http.NewRequestWithContext(actx, http.MethodGet, cur, nil)
		if err != nil {
			return nil, err
		}
		if h.Token != "" && sameHost(cur, h.Endpoint) {
			// The Hub 302s resolve/ to a CDN: the token never goes to another host.
			req.Header.Set("Authorization", "Bearer "+h.Token)
		}
		if n >= 0 {
			req.Header.Set("Range", fmt.Sprintf("bytes=%d-%d", off, off+n-1))
		}
		req.Header.Set("User-Agent", "chartgen")
		var fired atomic.Bool
		timer := time.AfterFunc(h.etagTimeout(), func() { fired.Store(true); cancel() })
		t0 := time.Now()
		resp, err := h.client.Do(req)
		timer.Stop()
		if err != nil {
			h.logRequest(req, nil, time.Since(t0), err)
			if fired.Load() {
				return nil, errTimeout{fmt.Sprintf("no answer within %s (HF_HUB_ETAG_TIMEOUT)", h.etagTimeout())}
			}
			return nil, err
		}
		h.logRequest(req, resp, time.Since(t0), nil)
		hdr := resp.Header
		if c := hdr.Get("X-Repo-Commit"); c != "" {
			r.commit = c
		}
		if e := hdr.Get("X-Linked-Etag"); e != "" {
			r.etag = normalizeEtag(e)
		} else if e := hdr.Get("ETag"); e != "" && r.etag == "" && sameHost(cur, h.Endpoint) {
			r.etag = normalizeEtag(e)
		}
		if s, err := strconv.ParseInt(hdr.Get("X-Linked-Size"), 10, 64); err == nil {
			r.size = s
		}
		if loc := hdr.Get("Location"); resp.StatusCode >= 300 && resp.StatusCode < 400 && loc != "" {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
			resp.Body.Close()
			next, err := url.Parse(loc)
			if err != nil {
				return nil, fmt.Errorf("redirect to an unparsable Location %q", loc)
			}
			base, _ := url.Parse(cur)
			cur = base.ResolveReference(next).String()
			continue
		}
		r.status, r.header, r.url = resp.StatusCode, hdr, cur
		err = h.readBody(resp, r, off, n, &fired, cancel)
		resp.Body.Close()
		if err != nil && fired.Load() {
			return nil, errTimeout{fmt.Sprintf("the body stalled for %s (HF_HUB_DOWNLOAD_TIMEOUT)", h.downloadTimeout())}
		}
		if err != nil {
			return nil, err
		}
		return r, nil
	}
	return nil, fmt.Errorf("stopped after %d redirects", maxHops)
}

// readBody reads what was asked for, each read held to HF_HUB_DOWNLOAD_TIMEOUT (huggingface_hub's meaning: the
// longest wait for the next bytes). A server that ignores Range answers 200 with the whole file: the stream is read
// up to the range and closed, never buffered whole.
func (h *Hub) readBody(resp *http.Response, r *response, off, n int64, fired *atomic.Bool, cancel func()) error {
	timer := time.AfterFunc(h.downloadTimeout(), func() { fired.Store(true); cancel() })
	defer timer.Stop()
	body := &idleReader{r: resp.Body, t: timer, d: h.downloadTimeout()}
	switch {
	case resp.StatusCode == http.StatusPartialContent:
		a, _, total, ok := contentRange(resp.Header.Get("Content-Range"))
		if !ok || a != off {
			return fmt.Errorf("asked for bytes from %d, the server answered Content-Range %q", off, resp.Header.Get("Content-Range"))
		}
		if total >= 0 {
			r.size = total
		}
		b, err := io.ReadAll(io.LimitReader(body, n))
		r.body = b
		return err
	case resp.StatusCode == http.StatusOK && n >= 0:
		if resp.ContentLength >= 0 && r.size < 0 {
			r.size = resp.ContentLength
		}
		if _, err := io.CopyN(io.Discard, body, off); err != nil {
			if errors.Is(err, io.EOF) {
				return nil // the file ends before off: an empty body says so
			}
			return err
		}
		b, err := io.ReadAll(io.LimitReader(body, n))
		r.body = b
		return err
	case resp.StatusCode == http.StatusOK:
		b, err := io.ReadAll(io.LimitReader(body, maxSmallFile+1))
		if err == nil && len(b) > maxSmallFile {
			return fmt.Errorf("larger than %d bytes", maxSmallFile)
		}
		r.body = b
		return err
	case resp.StatusCode == http.StatusRequestedRangeNotSatisfiable:
		if _, _, total, ok := contentRange(resp.Header.Get("Content-Range")); ok && total >= 0 {
			r.size = total
		}
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 64<<10))
	return nil
}

// idleReader resets the stall timer on every read.
type idleReader struct {
	r io.Reader
	t *time.Timer
	d time.Duration
}

func (i *idleReader) Read(p []byte) (int, error) {
	n, err := i.r.Read(p)
	i.t.Reset(i.d)
	return n, err
}

// contentRange parses "bytes a-b/total" (total -1 for "*") and "bytes */total".
func contentRange(s string) (a, b, total int64, ok bool) {
	rest, found := strings.CutPrefix(s, "bytes ")
	if !found {
		return 0, 0, 0, false
	}
	rng, tot, found := strings.Cut(rest, "/")
	if !found {
		return 0, 0, 0, false
	}
	total = -1
	if tot != "*" {
		t, err := strconv.ParseInt(tot, 10, 64)
		if err != nil {
			return 0, 0, 0, false
		}
		total = t
	}
	if rng == "*" {
		return -1, -1, total, true
	}
	as, bs, found := strings.Cut(rng, "-")
	if !found {
		return 0, 0, 0, false
	}
	a, err1 := strconv.ParseInt(as, 10, 64)
	b, err2 := strconv.ParseInt(bs, 10, 64)
	return a, b, total, err1 == nil && err2 == nil
}

func sameHost(u, endpoint string) bool {
	a, err1 := url.Parse(u)
	b, err2 := url.Parse(endpoint)
	return err1 == nil && err2 == nil && strings.EqualFold(a.Host, b.Host)
}

// retryableStatus: rate limiting and the server errors huggingface_hub's http_backoff retries (500, 502, 503, 504).
func retryableStatus(s int) bool {
	switch s {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retryableErr: connection resets, refused or dropped connections and timeouts are worth another try; a host that
// does not exist or a certificate that does not verify are not.
func retryableErr(err error) bool {
	var dns *net.DNSError
	if errors.As(err, &dns) && dns.IsNotFound {
		return false
	}
	var unknownAuth x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	if errors.As(err, &unknownAuth) || errors.As(err, &hostname) || errors.As(err, &invalid) {
		return false
	}
	return true
}

// backoff doubles from base up to retryMax, with equal jitter (half fixed, half random) so that workers that failed
// together do not come back together.
func backoff(base time.Duration, attempt int) time.Duration {
	if base <= 0 {
		base = retryBase
	}
	d := base << min(attempt, 10)
	if d > retryMax && base <= retryMax {
		d = retryMax
	}
	return d/2 + rand.N(d/2+1)
}

// retryAfter parses Retry-After: delay seconds or an HTTP date.
func retryAfter(v string) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s >= 0 {
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, time.Until(t)), true
	}
	return 0, false
}

// pause holds every worker back until d from now (a 429's Retry-After applies to the client, not one request).
func (h *Hub) pause(d time.Duration) {
	h.gateMu.Lock()
	defer h.gateMu.Unlock()
	if t := time.Now().Add(d); t.After(h.notBefore) {
		h.notBefore = t
	}
}

func (h *Hub) waitGate(ctx context.Context) error {
	h.gateMu.Lock()
	d := time.Until(h.notBefore)
	h.gateMu.Unlock()
	if d <= 0 {
		return nil
	}
	return sleep(ctx, d)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// logRequest prints one request for -v: method, URL (a CDN's signed query hidden), Range, whether a token was sent
// (never the token), the answer and its time.
func (h *Hub) logRequest(req *http.Request, resp *http.Response, d time.Duration, err error) {
	if h.Verbose == nil {
		return
	}
	u := *req.URL
	if u.RawQuery != "" {
		u.RawQuery = "redacted"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", req.Method, u.String())
	if rg := req.Header.Get("Range"); rg != "" {
		fmt.Fprintf(&b, " Range: %s", rg)
	}
	if req.Header.Get("Authorization") != "" {
		b.WriteString(" Authorization: Bearer <redacted>")
	}
	if err != nil {
		fmt.Fprintf(&b, " → error after %s: %v", d.Round(time.Millisecond), redactErr(err, req.URL))
	} else {
		fmt.Fprintf(&b, " → %s (%s)", resp.Status, d.Round(time.Millisecond))
	}
	h.logf("%s", b.String())
}

// redactErr keeps a URL's signed query out of an error printed with -v.
func redactErr(err error, u *url.URL) string {
	s := err.Error()
	if u.RawQuery != "" {
		s = strings.ReplaceAll(s, u.RawQuery, "redacted")
	}
	return s
}

func (h *Hub) logf(format string, args ...any) {
	if h.Verbose == nil {
		return
	}
	h.logMu.Lock()
	defer h.logMu.Unlock()
	fmt.Fprintf(h.Verbose, "hub: "+format+"\n", args...)
}
