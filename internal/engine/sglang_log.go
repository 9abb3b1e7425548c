package engine

import (
	"regexp"
	"strings"
)

// logNum is a number as the engines print it (commas allowed).
const logNum = `([0-9][0-9,]*\.?[0-9]*)`

var (
	// reSGLangHint matches lines that look like SGLang's scheduler (a hint: vLLM lines may quote them).
	reSGLangHint = regexp.MustCompile(`sglang|KV Cache is allocated|max_total_num_tokens|Load weight end`)
	// reSGLangVersion is the release SGLang's log names ("sglang==0.5.19", "sglang version 0.5.19").
	reSGLangVersion = regexp.MustCompile(`sglang(?:==| version:? )v?([0-9]+\.[0-9]+\.[0-9]+[0-9A-Za-z.+]*)`)
	// reSGLangSure matches lines only SGLang prints: its KV pool, token capacity and weight-load lines and its
	// server arguments.
	reSGLangSure = regexp.MustCompile(`KV Cache is allocated\..*?#tokens: ` + logNum + `, K size: ` + logNum + ` GB, V size: ` + logNum + ` GB|max_total_num_tokens=` + logNum + `|Load weight end\..*?mem usage=` + logNum + ` GB|server_args=|ServerArgs\(`)
)

// LogClaim: SGLang's own lines, its version line, or (a hint) a line naming it that does not name vLLM.
func (sglang) LogClaim(line string) Claim {
	switch {
	case reSGLangVersion.MatchString(line) || reSGLangSure.MatchString(line):
		return SureClaim
	case reSGLangHint.MatchString(line) && !strings.Contains(line, "vllm"):
		return HintClaim
	}
	return NoClaim
}

// LogVersion is the release an SGLang line names.
func (sglang) LogVersion(line string) string {
	if m := reSGLangVersion.FindStringSubmatch(line); m != nil {
		return "v" + m[1]
	}
	return ""
}

// LogTerms: SGLang logs the weights and the KV pool only.
func (sglang) LogTerms() []string { return nil }

// KVBlock: SGLang's "#tokens" is the pool over one token's cell.
func (sglang) KVBlock(int) int { return 1 }

// SpareRoomAdvice: SGLang's radix cache uses spare KV capacity by itself.
func (sglang) SpareRoomAdvice() bool { return false }
