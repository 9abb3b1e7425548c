// Package tests renders every chart case through the Helm SDK, exactly as `helm template` would (schema validation
// included), compares the output with golden files, strictly decodes every document into the real Kubernetes types,
// and applies the project's own lint rules for what the API server does not check.
//
// Cases are data: tests/cases/<chart>/<case>.yaml is a values file that must render; tests/cases/<chart>/errors/
// <case>.yaml must fail. Golden files are tests/testdata/golden/<chart>/<case>.yaml (the manifest) and
// tests/testdata/golden/<chart>/errors/<case>.txt (the error). Refresh them with: go test ./tests -update
package tests

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/llm-charts/llm-charts/internal/render"
	"helm.sh/helm/v3/pkg/chart"
)

var update = flag.Bool("update", false, "rewrite golden files with the current output")

// repoRoot is the repository root, relative to this package.
const repoRoot = ".."

// Case is one values file of one chart.
type Case struct {
	Chart     string // chart directory name under charts/
	Name      string // file name without .yaml
	Path      string // values file path
	WantError bool   // under errors/: rendering must fail
	Release   string // release name (default: the case name)
	Namespace string // namespace (default: "llm")
}

// Golden is the golden file path of the case.
func (c Case) Golden() string {
	if c.WantError {
		return filepath.Join("testdata", "golden", c.Chart, "errors", c.Name+".txt")
	}
	return filepath.Join("testdata", "golden", c.Chart, c.Name+".yaml")
}

func (c Case) String() string {
	if c.WantError {
		return c.Chart + "/errors/" + c.Name
	}
	return c.Chart + "/" + c.Name
}

// LoadCases lists every case of every chart, sorted. A case may pin its release and namespace with a first line
// `# release: NAME namespace: NS`.
func LoadCases(t testing.TB) []Case {
	t.Helper()
	var cases []Case
	charts, err := os.ReadDir("cases")
	if err != nil {
		t.Fatalf("reading tests/cases: %v", err)
	}
	for _, ch := range charts {
		if !ch.IsDir() {
			continue
		}
		for _, sub := range []struct {
			dir     string
			wantErr bool
		}{{filepath.Join("cases", ch.Name()), false}, {filepath.Join("cases", ch.Name(), "errors"), true}} {
			files, _ := filepath.Glob(filepath.Join(sub.dir, "*.yaml"))
			for _, f := range files {
				c := Case{Chart: ch.Name(), Name: strings.TrimSuffix(filepath.Base(f), ".yaml"), Path: f, WantError: sub.wantErr}
				// Dots are allowed in a release name but not in the Service name made from it (the chart refuses
				// them); the API-server tests name releases the same way.
				c.Release, c.Namespace = strings.ReplaceAll(c.Name, ".", "-"), "llm"
				readHeader(t, &c)
				cases = append(cases, c)
			}
		}
	}
	sort.Slice(cases, func(i, j int) bool { return cases[i].String() < cases[j].String() })
	return cases
}

func readHeader(t testing.TB, c *Case) {
	f, err := os.Open(c.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	if !sc.Scan() {
		return
	}
	line := strings.TrimSpace(sc.Text())
	if !strings.HasPrefix(line, "# release:") {
		return
	}
	fields := strings.Fields(strings.TrimPrefix(line, "#"))
	for i := 0; i+1 < len(fields); i += 2 {
		switch fields[i] {
		case "release:":
			c.Release = fields[i+1]
		case "namespace:":
			c.Namespace = fields[i+1]
		default:
			t.Fatalf("%s: unknown header key %q (want release: and namespace:)", c.Path, fields[i])
		}
	}
}

var (
	chartsMu sync.Mutex
	charts   = map[string]*chart.Chart{}
)

// LoadChart loads charts/<name> once per test binary.
func LoadChart(t testing.TB, name string) *chart.Chart {
	t.Helper()
	chartsMu.Lock()
	defer chartsMu.Unlock()
	if c, ok := charts[name]; ok {
		return c
	}
	c, err := render.Load(filepath.Join(repoRoot, "charts", name))
	if err != nil {
		t.Fatal(err)
	}
	charts[name] = c
	return c
}

// RenderCase renders one case.
func RenderCase(t testing.TB, c Case) (*render.Result, error) {
	t.Helper()
	vals, err := readCaseValues(c)
	if err != nil {
		t.Fatal(err)
	}
	return render.Chart(LoadChart(t, c.Chart), vals, render.Options{ReleaseName: c.Release, Namespace: c.Namespace})
}

func readCaseValues(c Case) (map[string]any, error) {
	data, err := os.ReadFile(c.Path)
	if err != nil {
		return nil, err
	}
	vals, err := render.ReadValues(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.Path, err)
	}
	return vals, nil
}

// CheckGolden compares got with the golden file, or rewrites it under -update.
func CheckGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v\nrun: go test ./tests -update", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs from the output:\n%s\nrun: go test ./tests -update, then read the diff", path, lineDiff(string(want), string(got)))
	}
}

// lineDiff is a small line diff: enough to see what moved without a dependency.
func lineDiff(want, got string) string {
	w := strings.Split(want, "\n")
	g := strings.Split(got, "\n")
	// Longest common subsequence table over lines.
	n, m := len(w), len(g)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if w[i] == g[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var b strings.Builder
	shown := 0
	for i, j := 0, 0; (i < n || j < m) && shown < 80; {
		switch {
		case i < n && j < m && w[i] == g[j]:
			i++
			j++
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			fmt.Fprintf(&b, "+%4d %s\n", j+1, g[j])
			j++
			shown++
		default:
			fmt.Fprintf(&b, "-%4d %s\n", i+1, w[i])
			i++
			shown++
		}
	}
	return b.String()
}

func TestGolden(t *testing.T) {
	cases := LoadCases(t)
	if len(cases) == 0 {
		t.Fatal("no cases under tests/cases")
	}
	for _, c := range cases {
		t.Run(c.String(), func(t *testing.T) {
			res, err := RenderCase(t, c)
			if c.WantError {
				if err == nil {
					t.Fatalf("%s rendered, but it is an error case", c.Path)
				}
				CheckGolden(t, c.Golden(), []byte(err.Error()+"\n"))
				return
			}
			if err != nil {
				t.Fatalf("%s: %v", c.Path, err)
			}
			CheckGolden(t, c.Golden(), []byte(res.Manifest))
			for _, d := range res.Docs {
				CheckDocument(t, d)
			}
		})
	}
}

// TestGoldenFilesHaveCases fails on golden files left behind by a removed case.
func TestGoldenFilesHaveCases(t *testing.T) {
	want := map[string]bool{}
	for _, c := range LoadCases(t) {
		want[c.Golden()] = true
	}
	_ = filepath.WalkDir(filepath.Join("testdata", "golden"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !want[p] {
			t.Errorf("%s has no case; delete it", p)
		}
		return nil
	})
}
