package source

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"
)

// BenchmarkHubLoad reads a many-shard model end to end (listing, config.json, index, every shard's header) from the
// fake Hub with latency added to every request on both hosts, so a shard costs two round trips (the resolve
// redirect, then the CDN's Range answer). 163 shards of ~560 tensors is DeepSeek-V3's layout (~60 KB headers);
// 1,000 shards of 100 tensors shows how it scales. Target (issue 20): 163 shards at 100 ms ≤ 3 s per op.
//
//	go test ./internal/source -run '^$' -bench BenchmarkHubLoad -benchtime 3x
func BenchmarkHubLoad(b *testing.B) {
	for _, c := range []struct{ shards, tensors int }{{163, 560}, {1000, 100}} {
		for _, lat := range []time.Duration{0, 50 * time.Millisecond, 100 * time.Millisecond} {
			b.Run(fmt.Sprintf("shards=%d/latency=%s", c.shards, lat), func(b *testing.B) {
				f := newFakeHub(b)
				f.addMany("deepseek-ai/DeepSeek-V3", c.shards, c.tensors)
				f.latency = lat
				ct := newCountingTransport()
				for b.Loop() {
					f.mu.Lock()
					f.requests = 0
					f.mu.Unlock()
					h := f.client("")
					h.Client = &http.Client{Transport: ct}
					md, err := h.Load(context.Background(), "deepseek-ai/DeepSeek-V3")
					if err != nil {
						b.Fatal(err)
					}
					if len(md.Headers) != c.shards {
						b.Fatalf("%d headers, want %d", len(md.Headers), c.shards)
					}
				}
				b.ReportMetric(float64(ct.max), "max-in-flight")
				b.ReportMetric(float64(f.requests), "requests/op")
			})
		}
	}
}
