// Command chartdoc writes charts/<chart>/README.md from the chart's values.yaml comments (see internal/chartdoc).
//
//	go run ./cmd/chartdoc charts/llm-model charts/llm-gateway          # write
//	go run ./cmd/chartdoc -check charts/llm-model charts/llm-gateway   # fail when a README differs
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/llm-charts/llm-charts/internal/chartdoc"
)

func main() {
	check := flag.Bool("check", false, "do not write; fail when a README differs from what would be written")
	flag.Parse()
	if err := run(*check, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "chartdoc:", err)
		os.Exit(1)
	}
}

func run(check bool, dirs []string) error {
	if len(dirs) == 0 {
		return fmt.Errorf("usage: chartdoc [-check] CHART_DIR...")
	}
	for _, dir := range dirs {
		want, err := chartdoc.Generate(dir)
		if err != nil {
			return err
		}
		path := filepath.Join(dir, "README.md")
		if check {
			got, _ := os.ReadFile(path)
			if !bytes.Equal(got, want) {
				return fmt.Errorf("%s differs from the values.yaml comments: run make docs", path)
			}
			continue
		}
		if err := os.WriteFile(path, want, 0o644); err != nil {
			return err
		}
	}
	return nil
}
