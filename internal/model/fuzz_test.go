package model

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse proves Parse, EstimateParams and the KV functions never panic. The seed corpus is
// every catalog config plus testdata/fuzz/FuzzParse; run `go test -fuzz FuzzParse ./internal/model`.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("../catalog/models/*/config*.json")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"num_hidden_layers":1,"hidden_size":1,"num_attention_heads":1,"vocab_size":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		facts, err := Parse(data, ParseOptions{Name: "fuzz"})
		if err != nil {
			return
		}
		if facts.Layers > 512 || facts.Hidden > 1<<16 || facts.Vocab > 1<<20 {
			return // keep each iteration cheap; the arithmetic is int64 either way
		}
		e := EstimateParams(facts)
		if e.Params < 0 || e.Bytes < 0 {
			t.Fatalf("negative estimate %+v", e)
		}
		for _, tp := range []int{1, 2, 8} {
			_, _ = KVBytesForSequence(facts, 4096, Layout{TP: tp, PP: 2}, KVOptions{})
		}
		_, _ = TokensThatFit(facts, 1<<30, 8192, Layout{TP: 1}, KVOptions{})
	})
}

// FuzzSafetensorsHeader proves the header reader never panics or over-allocates.
func FuzzSafetensorsHeader(f *testing.F) {
	f.Add(stFile(`{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}`, 24))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := ReadSafetensorsHeader(bytes.NewReader(data))
		if err != nil {
			return
		}
		_, _ = SummarizeSafetensors(h)
	})
}
