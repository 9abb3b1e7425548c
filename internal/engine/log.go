package engine

// LogReader is what reading an engine's start-up log (internal/enginelog) and comparing it with a plan
// (chartgen check) ask the engine. Implemented in vllm_log.go and sglang_log.go.
type LogReader interface {
	// LogClaim says how surely one log line is this engine's.
	LogClaim(line string) Claim
	// LogVersion is the release one log line names ("" when it names none).
	LogVersion(line string) string
	// LogTerms are the budget terms (Term*) the log reports besides the visible total, weights and KV cache.
	LogTerms() []string
	// KVBlock is the block a logged KV token count is a whole number of, given the logged block size (0 = not
	// logged).
	KVBlock(logged int) int
	// SpareRoomAdvice says whether spare KV capacity is worth advice to lengthen the context or raise the
	// sequences.
	SpareRoomAdvice() bool
}

// Claim is how surely a log line is one engine's.
type Claim int

const (
	// NoClaim: the line says nothing of the engine.
	NoClaim Claim = iota
	// HintClaim: the line looks like the engine's; the first hint names the log's engine unless a surer line does.
	HintClaim
	// SureClaim: only this engine prints the line.
	SureClaim
)
