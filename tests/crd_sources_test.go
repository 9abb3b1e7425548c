package tests

import (
	"bufio"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// vendoredCRD is one row of tests/testdata/crds/SOURCES.md.
type vendoredCRD struct {
	file, blob, sha256 string
}

// readCRDSources parses the table of SOURCES.md: | file | project | tag | commit | path | blob | sha256 |.
func readCRDSources(t *testing.T) []vendoredCRD {
	t.Helper()
	f, err := os.Open(filepath.Join(crdDir, "SOURCES.md"))
	require.NoError(t, err)
	defer f.Close()
	var rows []vendoredCRD
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cells := strings.Split(strings.Trim(strings.TrimSpace(sc.Text()), "|"), "|")
		if len(cells) != 7 || !strings.HasSuffix(strings.TrimSpace(cells[0]), ".yaml") {
			continue
		}
		rows = append(rows, vendoredCRD{
			file:   strings.TrimSpace(cells[0]),
			blob:   strings.TrimSpace(cells[5]),
			sha256: strings.TrimSpace(cells[6]),
		})
	}
	require.NoError(t, sc.Err())
	require.NotEmpty(t, rows, "SOURCES.md has no table rows")
	return rows
}

// gitBlobID is what `git hash-object` prints for data: sha1 of "blob <len>\0" + data.
func gitBlobID(data []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(data))
	h.Write(data)
	return hex.EncodeToString(h.Sum(nil))
}

// TestVendoredCRDsMatchSources checks every vendored CRD against its SOURCES.md row (git blob id and sha256, so a
// file is the upstream one byte for byte) and that no CRD sits in the folder without a row.
func TestVendoredCRDsMatchSources(t *testing.T) {
	rows := readCRDSources(t)
	listed := map[string]bool{}
	for _, r := range rows {
		listed[r.file] = true
		data, err := os.ReadFile(filepath.Join(crdDir, r.file))
		if !assert.NoError(t, err, "SOURCES.md lists %s", r.file) {
			continue
		}
		sum := sha256.Sum256(data)
		assert.Equal(t, r.blob, gitBlobID(data), "%s: git blob id differs from SOURCES.md", r.file)
		assert.Equal(t, r.sha256, hex.EncodeToString(sum[:]), "%s: sha256 differs from SOURCES.md", r.file)
	}
	files, err := filepath.Glob(filepath.Join(crdDir, "*.yaml"))
	require.NoError(t, err)
	for _, f := range files {
		assert.True(t, listed[filepath.Base(f)], "%s has no row in SOURCES.md (project, tag, commit, path, blob, sha256)", f)
	}
}

// TestVendoredCRDsMatchShared reports drift between the vendored CRDs and the team's reference set in ../shared/crds,
// an optional folder beside the repository (`make crds` copies it). A clone without it skips, saying so.
func TestVendoredCRDsMatchShared(t *testing.T) {
	shared := filepath.Join(repoRoot, "..", "shared", "crds")
	files, err := filepath.Glob(filepath.Join(shared, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Skipf("no CRDs under %s: nothing to compare the vendored copies with (optional drift check)", shared)
	}
	sort.Strings(files)
	for _, f := range files {
		want, err := os.ReadFile(f)
		require.NoError(t, err)
		got, err := os.ReadFile(filepath.Join(crdDir, filepath.Base(f)))
		if !assert.NoError(t, err, "%s is in ../shared/crds but not vendored: run make crds", filepath.Base(f)) {
			continue
		}
		assert.Equal(t, gitBlobID(want), gitBlobID(got), "%s differs from ../shared/crds: run make crds and update SOURCES.md", filepath.Base(f))
	}
}

// TestLeaderWorkerSetPin keeps the one LeaderWorkerSet release the chart names (define llm-model.leaderWorkerSet in
// templates/_lws.tpl) equal to the tag of the vendored LeaderWorkerSet CRD in SOURCES.md.
func TestLeaderWorkerSetPin(t *testing.T) {
	tpl, err := os.ReadFile(filepath.Join(repoRoot, "charts", "llm-model", "templates", "_lws.tpl"))
	require.NoError(t, err)
	m := regexp.MustCompile(`(?m)^release: (v[0-9.]+)$`).FindSubmatch(tpl)
	require.NotNil(t, m, "_lws.tpl: no `release: vX.Y.Z` line in llm-model.leaderWorkerSet")
	src, err := os.ReadFile(filepath.Join(crdDir, "SOURCES.md"))
	require.NoError(t, err)
	tag := ""
	for _, line := range strings.Split(string(src), "\n") {
		cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
		if len(cells) == 7 && strings.TrimSpace(cells[0]) == "leaderworkersets.leaderworkerset.x-k8s.io.yaml" {
			tag = strings.TrimSpace(cells[2])
		}
	}
	require.NotEmpty(t, tag, "SOURCES.md has no row for the LeaderWorkerSet CRD")
	assert.Equal(t, tag, string(m[1]), "the chart's LeaderWorkerSet release differs from the vendored CRD's tag")
}
