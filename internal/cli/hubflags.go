package cli

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/llm-charts/llm-charts/internal/source"
	"github.com/spf13/pflag"
	"golang.org/x/term"
)

// hubFlags say how a model is read from the Hugging Face Hub; every command that reads a model takes them
// (planFlags and check register them through modelFlags).
type hubFlags struct {
	concurrency int
	timeout     time.Duration
	quiet       bool
	verbose     bool
}

// defaultHubTimeout is the overall deadline of a Hub lookup: room for 1,000 shards at 16 in flight and several
// rate-limit waits, short enough that a stuck run ends by itself.
const defaultHubTimeout = 5 * time.Minute

func (f *hubFlags) register(fs *pflag.FlagSet) {
	fs.IntVar(&f.concurrency, "hub-concurrency", source.DefaultConcurrency, "requests to the Hugging Face Hub in flight at once, `N` from 1 to 64 (safetensors headers are read in parallel)")
	fs.DurationVar(&f.timeout, "hub-timeout", defaultHubTimeout, "give up reading a model from the Hub after `D` overall (each request: HF_HUB_ETAG_TIMEOUT, HF_HUB_DOWNLOAD_TIMEOUT)")
	fs.BoolVarP(&f.quiet, "quiet", "q", false, "no progress on standard error while the Hub is read")
	fs.BoolVarP(&f.verbose, "verbose", "v", false, "print each request to the Hub on standard error (the token redacted)")
}

func (f *hubFlags) validate() []string {
	var errs []string
	if f.concurrency < 1 || f.concurrency > 64 {
		errs = append(errs, fmt.Sprintf("--hub-concurrency %d must be between 1 and 64", f.concurrency))
	}
	if f.timeout <= 0 {
		errs = append(errs, fmt.Sprintf("--hub-timeout %s must be positive, e.g. 5m", f.timeout))
	}
	if f.quiet && f.verbose {
		errs = append(errs, "--quiet and --verbose both given; pass one")
	}
	return errs
}

// stderrIsTerminal reports whether w is a terminal (a variable so that tests can pretend).
var stderrIsTerminal = func(w io.Writer) bool {
	file, ok := w.(*os.File)
	return ok && term.IsTerminal(int(file.Fd()))
}

// configure applies the flags to a Hub client: the pool, -v's request log, and progress on errOut when it is a
// terminal (never in a pipe or a file, never with --quiet or -v).
func (f *hubFlags) configure(h *source.Hub, errOut io.Writer) {
	if f.concurrency > 0 {
		h.Concurrency = f.concurrency
	}
	if f.verbose {
		h.Verbose = errOut
		return
	}
	if !f.quiet && stderrIsTerminal(errOut) {
		h.Progress = (&progressLine{w: errOut}).update
	}
}

// progressLine draws "model: read N/M safetensors headers, 1.2s" on one terminal line, at most ten times a second.
type progressLine struct {
	mu    sync.Mutex
	w     io.Writer
	last  time.Time
	drawn bool
}

func (p *progressLine) update(pr source.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if pr.Waiting != "" {
		fmt.Fprintf(p.w, "\r%s...\x1b[K", pr.Waiting)
		p.drawn = true
		return
	}
	if !pr.Finished && time.Since(p.last) < 100*time.Millisecond && pr.Done < pr.Total {
		return
	}
	p.last = time.Now()
	cached := ""
	if pr.Cached > 0 {
		cached = fmt.Sprintf(" (%d from the cache)", pr.Cached)
	}
	fmt.Fprintf(p.w, "\r%s: read %d/%d safetensors headers%s, %.1fs\x1b[K", pr.Model, pr.Done, pr.Total, cached, pr.Elapsed.Seconds())
	p.drawn = true
	if pr.Finished {
		fmt.Fprintln(p.w)
		p.drawn = false
	}
}
