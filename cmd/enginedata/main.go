// Command enginedata writes the llm-model chart's engine data (templates/_engines.tpl) from the engine specs
// (internal/engine/specs, see internal/engine.ChartData).
//
//	go run ./cmd/enginedata charts/llm-model          # write
//	go run ./cmd/enginedata -check charts/llm-model   # fail when the file differs
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/llm-charts/llm-charts/internal/engine"
)

func main() {
	check := flag.Bool("check", false, "do not write; fail when the file differs from what would be written")
	flag.Parse()
	if err := run(*check, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "enginedata:", err)
		os.Exit(1)
	}
}

func run(check bool, dirs []string) error {
	if len(dirs) != 1 {
		return fmt.Errorf("usage: enginedata [-check] CHART_DIR")
	}
	want, err := engine.ChartData()
	if err != nil {
		return err
	}
	path := filepath.Join(dirs[0], engine.ChartDataPath)
	if check {
		got, _ := os.ReadFile(path)
		if !bytes.Equal(got, want) {
			return fmt.Errorf("%s differs from internal/engine/specs: run make generate", path)
		}
		return nil
	}
	return os.WriteFile(path, want, 0o644)
}
