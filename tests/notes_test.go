package tests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// notesGolden is the golden NOTES.txt output of a case: tests/testdata/notes/<chart>/<case>.txt (outside
// testdata/golden, whose files each belong to one manifest or error case).
func notesGolden(c Case) string {
	return filepath.Join("testdata", "notes", c.Chart, c.Name+".txt")
}

// TestGoldenNotes renders every case's NOTES.txt, as `helm install` prints it, and compares it with its golden file
// (refreshed by the same -update flag as the manifests). Both charts must have notes.
func TestGoldenNotes(t *testing.T) {
	for _, c := range LoadCases(t) {
		if c.WantError {
			continue
		}
		t.Run(c.String(), func(t *testing.T) {
			res, err := RenderCase(t, c)
			if err != nil {
				t.Fatalf("%s: %v", c.Path, err)
			}
			if strings.TrimSpace(res.Notes) == "" {
				t.Fatalf("%s: the chart printed no NOTES", c.Path)
			}
			for i, line := range strings.Split(res.Notes, "\n") {
				if strings.TrimRight(line, " \t") != line {
					t.Errorf("NOTES line %d has trailing whitespace: %q", i+1, line)
				}
			}
			CheckGolden(t, notesGolden(c), []byte(strings.TrimRight(res.Notes, "\n")+"\n"))
		})
	}
}

// TestNotesGoldenFilesHaveCases fails on NOTES golden files left behind by a removed case.
func TestNotesGoldenFilesHaveCases(t *testing.T) {
	want := map[string]bool{}
	for _, c := range LoadCases(t) {
		if !c.WantError {
			want[notesGolden(c)] = true
		}
	}
	_ = filepath.WalkDir(filepath.Join("testdata", "notes"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !want[p] {
			t.Errorf("%s has no case; delete it", p)
		}
		return nil
	})
}
