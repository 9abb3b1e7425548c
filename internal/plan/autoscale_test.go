package plan

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAutoscale(t *testing.T) {
	cases := []struct {
		name        string
		p           Plan
		seats       int
		queue       float64
		reasonParts []string
	}{
		{"KV holds fewer full contexts than max_num_seqs", Plan{KVTokens: 250_000, MaxModelLen: 196_608, Concurrency: 1.27, MaxNumSeqs: 128}, 1, 1,
			[]string{"250,000 tokens = 1 full 196,608-token context(s)"}},
		{"KV holds less than one full context", Plan{KVTokens: 100_000, MaxModelLen: 131_072, Concurrency: 0.76, MaxNumSeqs: 128}, 1, 1,
			[]string{", at least 1"}},
		{"a tenth of the seats, rounded up", Plan{KVTokens: 1_000_000, MaxModelLen: 40_960, Concurrency: 24.4, MaxNumSeqs: 128}, 24, 3, nil},
		{"max_num_seqs caps the seats", Plan{KVTokens: 9_000_000, MaxModelLen: 32_768, Concurrency: 274.6, MaxNumSeqs: 128}, 128, 13,
			[]string{"capped by max_num_seqs 128"}},
		{"no max_num_seqs (embedding): the KV capacity alone", Plan{KVTokens: 2_000_000, MaxModelLen: 8_192, Concurrency: 244.1}, 244, 25, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Autoscale(&c.p)
			assert.Equal(t, c.seats, got.Seats)
			assert.Equal(t, c.queue, got.QueueLength)
			assert.Equal(t, KVUsageTarget, got.KVCacheUsage)
			for _, part := range c.reasonParts {
				assert.Contains(t, got.Reason, part)
			}
		})
	}
}
