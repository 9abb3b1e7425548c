package engine

import (
	"fmt"
	"regexp"
	"strconv"
)

// Version is an engine release, e.g. vLLM v0.19.0 or SGLang v0.5.19. Each engine reads its own (Planner.Version);
// the type is shared because both are numbered major.minor.patch.
type Version struct{ Major, Minor, Patch int }

var versionPattern = regexp.MustCompile(`^v?(\d+)\.(\d+)(?:\.(\d+))?`)

// ParseVersion reads "v0.19.0", "0.19.0", "0.19.0rc1" or "0.19".
func ParseVersion(s string) (Version, error) {
	m := versionPattern.FindStringSubmatch(s)
	if m == nil {
		return Version{}, fmt.Errorf("engine version %q is not a release number such as v0.19.0", s)
	}
	var v Version
	v.Major, _ = strconv.Atoi(m[1])
	v.Minor, _ = strconv.Atoi(m[2])
	if m[3] != "" {
		v.Patch, _ = strconv.Atoi(m[3])
	}
	return v, nil
}

// releasePattern is a release as the engines tag them: vMAJOR.MINOR.PATCH (the leading v optional where chartgen
// adds it).
var releasePattern = regexp.MustCompile(`^v?\d+\.\d+\.\d+$`)

// ParseRelease reads a release a user names (--engine-version, image.version): vMAJOR.MINOR.PATCH only. Unlike
// ParseVersion, which reads what a log or an image tag says, it refuses a build tag (v0.19.0-cu130), a pre-release
// (v0.29.1rc1), a moving name (latest, nightly) and a shortened number (1.0): the memory terms and flag tables are
// keyed by release, and a tag like those names no release or more than one.
func ParseRelease(s string) (Version, error) {
	if !releasePattern.MatchString(s) {
		return Version{}, fmt.Errorf("%q is not a release: give vMAJOR.MINOR.PATCH, e.g. v0.19.0 (a build tag such as v0.19.0-cu130, a release candidate or latest goes in the chart's image.tag, not the release)", s)
	}
	return ParseVersion(s)
}

// MustParseRelease is ParseRelease for a release the caller has already checked (a spec's defaultRelease).
func MustParseRelease(s string) Version {
	v, err := ParseRelease(s)
	if err != nil {
		panic(err)
	}
	return v
}

// mustParseVersion parses a release the package itself names (a spec's defaultRelease); a bad one is a build
// defect the package's tests catch.
func mustParseVersion(s string) Version {
	v, err := ParseVersion(s)
	if err != nil {
		panic(err)
	}
	return v
}

// After reports whether v is a later release than o.
func (v Version) After(o Version) bool {
	if v.Major != o.Major {
		return v.Major > o.Major
	}
	if v.Minor != o.Minor {
		return v.Minor > o.Minor
	}
	return v.Patch > o.Patch
}

// AtLeast reports v >= major.minor.
func (v Version) AtLeast(major, minor int) bool {
	return v.Major > major || v.Major == major && v.Minor >= minor
}

func (v Version) String() string { return fmt.Sprintf("v%d.%d.%d", v.Major, v.Minor, v.Patch) }
