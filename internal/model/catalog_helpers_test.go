package model

import (
	"os"
	"path/filepath"
	"testing"
)

// loadModel parses a config from the embedded-catalog copies of ../shared/models.
func loadModel(t testing.TB, dir string) *Facts {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join("..", "catalog", "models", dir, "config*.json"))
	if err != nil || len(matches) != 1 {
		t.Fatalf("config for %s: %v (matches %v)", dir, err, matches)
	}
	b, err := os.ReadFile(matches[0])
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(b, ParseOptions{Name: dir})
	if err != nil {
		t.Fatalf("parse %s: %v", dir, err)
	}
	return f
}
