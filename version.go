// Package llmcharts holds what belongs to the repository as a whole. Its one export is the release version, read
// from the VERSION file at build time (go:embed), so `go build`, `go run` and `make build` all report the version
// VERSION says, and VERSION stays the one place it is set (the charts' Chart.yaml must agree: make check-generated).
package llmcharts

import (
	_ "embed"
	"strings"
)

//go:embed VERSION
var version string

// Version is the release version from the VERSION file, e.g. "0.1.0".
func Version() string { return strings.TrimSpace(version) }
