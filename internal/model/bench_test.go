package model

import (
	"os"
	"path/filepath"
	"testing"
)

func benchConfig(b *testing.B, dir string) []byte {
	matches, _ := filepath.Glob(filepath.Join("..", "catalog", "models", dir, "config*.json"))
	if len(matches) != 1 {
		b.Fatalf("no config for %s", dir)
	}
	data, err := os.ReadFile(matches[0])
	if err != nil {
		b.Fatal(err)
	}
	return data
}

func BenchmarkParse(b *testing.B) {
	for _, dir := range []string{"meta-llama__Meta-Llama-3.1-8B", "zai-org__GLM-5-FP8"} {
		data := benchConfig(b, dir)
		b.Run(dir, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(data, ParseOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkEstimateParams(b *testing.B) {
	for _, dir := range []string{"meta-llama__Meta-Llama-3.1-8B", "deepseek-ai__DeepSeek-V3.2", "zai-org__GLM-5-FP8"} {
		f, err := Parse(benchConfig(b, dir), ParseOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(dir, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				EstimateParams(f)
			}
		})
	}
}

func BenchmarkKV(b *testing.B) {
	f, err := Parse(benchConfig(b, "openai__gpt-oss-120b"), ParseOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("KVBytesForSequence", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := KVBytesForSequence(f, 131072, Layout{TP: 2, PP: 2}, KVOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("TokensThatFit", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := TokensThatFit(f, 1<<30, 131072, Layout{TP: 2}, KVOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
