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

// mustParseVersion parses a release the package itself names (a spec's defaultRelease); a bad one is a build
// defect the package's tests catch.
func mustParseVersion(s string) Version {
	v, err := ParseVersion(s)
	if err != nil {
		panic(err)
	}
	return v
}

// AtLeast reports v >= major.minor.
func (v Version) AtLeast(major, minor int) bool {
	return v.Major > major || v.Major == major && v.Minor >= minor
}

func (v Version) String() string { return fmt.Sprintf("v%d.%d.%d", v.Major, v.Minor, v.Patch) }
