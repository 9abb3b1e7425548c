package values

import (
	"strings"
	"testing"
)

func TestHashedName(t *testing.T) {
	short := "qwen3-8b-llm-model"
	if got := HashedName(short, 52); got != short {
		t.Errorf("HashedName(%q, 52) = %q, want it unchanged", short, got)
	}
	a := "meta-llama-llama-4-maverick-17b-128e-instruct-fp8-release-llm-model"
	b := "meta-llama-llama-4-maverick-17b-128e-instruct-fp8-release-2-llm-model"
	ha, hb := HashedName(a, 52), HashedName(b, 52)
	for _, h := range []string{ha, hb} {
		if len(h) > 52 || strings.HasSuffix(h, "-") {
			t.Errorf("HashedName = %q: over 52 characters or ends with -", h)
		}
	}
	if ha == hb {
		t.Errorf("two long names that share 43 characters got one short name %q", ha)
	}
	if ha != HashedName(a, 52) {
		t.Error("HashedName is not stable")
	}
	// The prefix is cut where a "-" would end it: the dash is dropped before the hash is appended.
	if got := HashedName("abcdefgh-"+strings.Repeat("x", 60), 18); got[:8] != "abcdefgh" || got[8] != '-' || len(got) != 17 {
		t.Errorf("HashedName dropped no trailing dash: %q", got)
	}
}
