package plan

import (
	"fmt"
	"math"
)

// KVUsageTarget is the KV cache usage per instance chartgen suggests the autoscaler aim at. vLLM preempts running
// requests when no KV block is free (usage 1, vllm/v1/core/sched/scheduler.py) and SGLang retracts decode requests
// likewise; at 0.8 a new instance is asked for while the running requests still have a fifth of the cache to grow
// into during the new instance's startup. A judgement, not a measurement: the reason says so.
const KVUsageTarget = 0.8

// QueueShare is the share of the concurrent requests one instance holds that may wait, on average, before another
// instance is asked for (at least one request). A guess on the safe side (scale out early), said in the reason.
const QueueShare = 0.1

// AutoscaleTargets are the per-instance targets chartgen suggests for the llm-model chart's autoscaler.
type AutoscaleTargets struct {
	// Seats is the concurrent requests one instance surely holds: the KV capacity in full contexts, at most
	// max_num_seqs, at least 1.
	Seats        int     `json:"seats"`
	QueueLength  float64 `json:"queueLength"`
	KVCacheUsage float64 `json:"kvCacheUsage"`
	Reason       string  `json:"reason"`
}

// Autoscale works out the autoscaler targets of one plan: requests wait in the engine only once the running batch is
// full (max_num_seqs) or the KV cache is (its capacity in tokens), so the concurrency one instance holds sets how
// many waiting requests mean "saturated". It counts full-context requests, the worst case: shorter ones fit more, so
// the queue target errs towards scaling out early.
func Autoscale(p *Plan) AutoscaleTargets {
	seats := int(math.Floor(p.Concurrency))
	why := fmt.Sprintf("its KV cache holds %s tokens = %d full %s-token context(s)", commas(p.KVTokens), seats, commas(int64(p.MaxModelLen)))
	if p.MaxNumSeqs > 0 && seats > p.MaxNumSeqs {
		seats = p.MaxNumSeqs
		why += fmt.Sprintf(", capped by max_num_seqs %d", p.MaxNumSeqs)
	}
	if seats < 1 {
		seats = 1
		why += ", at least 1"
	}
	queue := math.Max(1, math.Ceil(float64(seats)*QueueShare))
	return AutoscaleTargets{
		Seats: seats, QueueLength: queue, KVCacheUsage: KVUsageTarget,
		Reason: fmt.Sprintf("one instance surely holds %d concurrent request(s) (%s; shorter requests fit more). "+
			"Requests wait only when the batch or the KV cache is full, so the queue target is %.0f%% of that, at least 1: %g waiting per instance (a guess on the safe side: it scales out early). "+
			"KV usage target %g: the engine preempts requests when the cache is full, and %g leaves a fifth for the running requests to grow into while a new instance starts (a judgement, not a measurement)",
			seats, why, QueueShare*100, queue, KVUsageTarget, KVUsageTarget),
	}
}
