package values

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// HashedName returns name when it has at most max characters; otherwise its first max-9 characters (trailing "-" and
// "." dropped), "-" and the first 8 hex digits of the SHA-256 of the whole name. Long names stay distinct and
// stable: a bare cut could make two names equal. The charts compute the same ("llm-model.shortName" in
// charts/llm-model/templates/_validate.tpl, "llm-gateway.objectName"), so chartgen predicts the names they render.
func HashedName(name string, max int) string {
	if len(name) <= max {
		return name
	}
	sum := sha256.Sum256([]byte(name))
	head := strings.TrimRight(name[:max-9], "-.")
	return head + "-" + hex.EncodeToString(sum[:])[:8]
}
