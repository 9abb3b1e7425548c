package source

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/llm-charts/llm-charts/internal/model"
)

const (
	// speculativeMin is the least a shard's first Range request asks for, and speculativeNoIndex what it asks for
	// when there is no index to predict from (a single model.safetensors). hf-mem asks for 100,000 bytes.
	speculativeMin     = 64 << 10
	speculativeNoIndex = 256 << 10
	// perTensor is what one header entry takes beyond its name: {"dtype":"BF16","shape":[a,b],"data_offsets":[x,y]}
	// with 11-digit offsets is about 75 bytes; 128 leaves room for 4-dimensional shapes.
	perTensor = 128
)

// speculativeLens is how many bytes the first Range request of each shard asks for: enough for the header the
// index predicts (its tensor names and an entry each, plus 4 KiB of __metadata__), rounded up to 64 KiB; without
// an index, speculativeNoIndex. DeepSeek-V3's 163 shards hold about 560 tensors each (a ~70 KB header), Kimi-K2's
// 61 about 2,300 (~300 KB): one request each. One pass over the index for all shards.
func speculativeLens(idx *model.SafetensorsIndex, shards []string) []int64 {
	out := make([]int64, len(shards))
	if idx == nil {
		for i := range out {
			out[i] = speculativeNoIndex
		}
		return out
	}
	sum := map[string]int64{}
	for name, f := range idx.WeightMap {
		sum[f] += int64(len(name)) + perTensor
	}
	for i, s := range shards {
		n := 8 + 4096 + sum[s]
		n = (n + speculativeMin - 1) / speculativeMin * speculativeMin
		out[i] = min(n, 8+model.MaxSafetensorsHeader)
	}
	return out
}

// shardResult is one shard's header, where it came from, and the shard's etag and size as the Hub gave them.
type shardResult struct {
	header *model.SafetensorsHeader
	cached bool
	etag   string
	size   int64
}

// readHeaders reads every shard's header, up to Concurrency requests at once. Results land by position, so they do
// not depend on the order in which requests finish. The first shard that fails for good cancels the rest, and its
// error (naming the shard) is returned.
func (h *Hub) readHeaders(ctx context.Context, id, at string, shards []string, lst *listing, idx *model.SafetensorsIndex) (map[string]*model.SafetensorsHeader, error) {
	if len(shards) == 0 {
		return nil, nil
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	start := time.Now()
	results := make([]shardResult, len(shards))
	var (
		mu           sync.Mutex
		first        error
		done, cached int
		wg           sync.WaitGroup
	)
	h.report(Progress{Model: id, Total: len(shards)})
	guess := speculativeLens(idx, shards)
	byPath := lst.byPath()
	for i, s := range shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := h.shardHeader(ctx, id, at, s, byPath[s], guess[i])
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if first == nil { // the first failure names its shard; the others are then cancelled
					first = err
					cancel(err)
				}
				return
			}
			if r.header == nil {
				return // model.safetensors does not exist: no headers
			}
			results[i] = r
			done++
			if r.cached {
				cached++
			}
			h.report(Progress{Model: id, Done: done, Total: len(shards), Cached: cached, Elapsed: time.Since(start)})
		}()
	}
	wg.Wait()
	if first != nil {
		if errors.Is(first, context.DeadlineExceeded) || errors.Is(first, context.Canceled) {
			return nil, fmt.Errorf("%w (%d of %d shards read)", first, done, len(shards))
		}
		return nil, first
	}
	if err := ctx.Err(); err != nil {
		return nil, context.Cause(ctx)
	}
	h.report(Progress{Model: id, Done: done, Total: len(shards), Cached: cached, Elapsed: time.Since(start), Finished: true})
	out := map[string]*model.SafetensorsHeader{}
	var added []repoFile
	for i, r := range results {
		if r.header == nil {
			continue
		}
		out[shards[i]] = r.header
		// The listing maps each shard to its etag, which is what finds the header offline.
		if rf := byPath[shards[i]]; rf == nil && r.etag != "" {
			added = append(added, repoFile{Path: shards[i], Size: r.size, Etag: r.etag})
		} else if rf != nil && rf.Etag == "" {
			rf.Etag, rf.Size = r.etag, r.size
		}
	}
	lst.Files = append(lst.Files, added...)
	return out, nil
}

func (h *Hub) report(p Progress) {
	if h.Progress != nil {
		h.Progress(p)
	}
}

// shardHeader reads one shard's header: from a full download in the Hugging Face cache or from chartgen's header
// cache when the listing gives the shard's etag, else with one speculative Range request and, only when the header
// is longer than that, a second one for the rest (to the CDN URL the first was redirected to). It returns nil, nil
// for a model.safetensors the repository does not have.
func (h *Hub) shardHeader(ctx context.Context, id, at, file string, rf *repoFile, guess int64) (shardResult, error) {
	var none shardResult
	what := fmt.Sprintf("the safetensors header of %s (%s)", file, id)
	hc := &headerCache{dir: h.CacheDir}
	if rf != nil && rf.Etag != "" {
		if h.Cache != nil {
			if _, err := os.Stat(h.Cache.BlobPath(id, rf.Etag)); err == nil {
				hd, err := readLocalHeader(h.Cache.BlobPath(id, rf.Etag))
				if err == nil {
					return shardResult{header: hd, cached: true}, nil
				}
				h.logf("%s: the shard in the Hugging Face cache is unusable (%v); reading it from the Hub", file, err)
			}
		}
		if h.CacheDir != "" {
			if b, ok := hc.header(id, rf.Etag); ok {
				if hd, err := parsePrefix(b, rf.Size); err == nil {
					return shardResult{header: hd, cached: true}, nil
				}
			}
		}
	}
	r, err := h.fetch(ctx, what, h.resolveURL(id, at, file), 0, guess)
	if err != nil {
		return none, err
	}
	if !r.ok() {
		err := h.explain(r, id, at, file)
		var he *HubError
		if file == "model.safetensors" && errors.As(err, &he) && he.entryMissing() {
			return none, nil // no safetensors at all: the caller estimates from config.json
		}
		if r.status == 416 {
			return none, fmt.Errorf("%s: the file is empty (truncated safetensors)", what)
		}
		return none, fmt.Errorf("%s: %w", what, err)
	}
	buf := r.body
	n, err := model.SafetensorsHeaderLength(buf)
	if err != nil {
		return none, fmt.Errorf("%s: %w", what, err)
	}
	if need := 8 + n; int64(len(buf)) < need {
		if int64(len(buf)) < guess {
			return none, fmt.Errorf("%s: the file ends after %d bytes but its header is %d long: truncated", what, len(buf), need)
		}
		rest, err := h.fetch(ctx, what, r.url, int64(len(buf)), need-int64(len(buf)))
		if err != nil {
			return none, err
		}
		if !rest.ok() {
			return none, fmt.Errorf("%s: %w", what, h.explain(rest, id, at, file))
		}
		if int64(len(buf)+len(rest.body)) < need {
			return none, fmt.Errorf("%s: wanted %d bytes of header, the file ends after %d: truncated", what, need, len(buf)+len(rest.body))
		}
		buf = append(buf, rest.body...)
	}
	size := r.size
	if size < 0 && rf != nil {
		size = rf.Size
	}
	prefix := buf[:8+n]
	hd, err := parsePrefix(prefix, size)
	if err != nil {
		return none, fmt.Errorf("%s: %w", what, err)
	}
	etag := r.etag
	if etag == "" && rf != nil {
		etag = rf.Etag
	}
	if etag != "" && h.CacheDir != "" {
		if err := hc.writeHeader(id, etag, prefix); err != nil {
			h.logf("not written to chartgen's cache: %v", err)
		}
	}
	return shardResult{header: hd, etag: etag, size: size}, nil
}

// parsePrefix parses a shard's first 8+n bytes and, when the file's size is known (> 0), checks that the header
// describes exactly the file (a truncated upload is refused).
func parsePrefix(b []byte, size int64) (*model.SafetensorsHeader, error) {
	n, err := model.SafetensorsHeaderLength(b)
	if err != nil {
		return nil, err
	}
	if int64(len(b)) < 8+n {
		return nil, fmt.Errorf("safetensors: header says %d bytes, %d available: truncated", n, len(b)-8)
	}
	hd, err := model.ParseSafetensorsHeader(b[8 : 8+n])
	if err != nil {
		return nil, err
	}
	if size > 0 {
		if err := hd.CheckFileSize(n, size); err != nil {
			return nil, err
		}
	}
	return hd, nil
}
