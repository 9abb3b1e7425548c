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

// FuzzSafetensorsHeader proves the header reader never panics or over-allocates, and that every header it accepts
// is consistent: offsets in order and in range, each tensor's length equal to shape × dtype size, the tensors
// covering the data without holes or overlaps, and the summary adding up to exactly that data size.
func FuzzSafetensorsHeader(f *testing.F) {
	f.Add(stFile(`{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}`, 24))
	f.Add(stFile(`{"a":{"dtype":"BF16","shape":[4],"data_offsets":[0,8]},"b":{"dtype":"F4","shape":[3],"data_offsets":[8,10]}}`, 10))
	f.Add(stFile(`{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}`, 24))
	f.Add(stFile(`{"a":{"dtype":"F64","shape":[4611686018427387904,4],"data_offsets":[0,8]}}`, 8))
	f.Add(stFile(`{"a":{"dtype":"F16","shape":[2],"data_offsets":[9223372036854775807,3]}}`, 8))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := ReadSafetensorsHeader(bytes.NewReader(data))
		if err != nil {
			return
		}
		for name, ti := range h.Tensors {
			if len(ti.DataOffsets) != 2 || ti.DataOffsets[0] < 0 || ti.DataOffsets[0] > ti.DataOffsets[1] || ti.DataOffsets[1] > h.DataSize {
				t.Fatalf("accepted tensor %q with data_offsets %v outside [0, %d]", name, ti.DataOffsets, h.DataSize)
			}
		}
		ws, err := SummarizeSafetensors(h)
		if err != nil {
			t.Fatalf("accepted a header that does not sum: %v", err)
		}
		if ws.Bytes != h.DataSize {
			t.Fatalf("tensors sum to %d bytes, but the data they index is %d", ws.Bytes, h.DataSize)
		}
	})
}
