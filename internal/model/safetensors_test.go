package model

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stFile builds a safetensors file prefix: length, header, and n bytes of fake data.
func stFile(header string, data int) []byte {
	var buf bytes.Buffer
	_ = binary.Write(&buf, binary.LittleEndian, uint64(len(header)))
	buf.WriteString(header)
	buf.Write(make([]byte, data))
	return buf.Bytes()
}

func TestReadSafetensorsHeader(t *testing.T) {
	hdr := `{"__metadata__":{"format":"pt"},"w":{"dtype":"F8_E4M3","shape":[256,128],"data_offsets":[0,32768]},"w.scale":{"dtype":"F32","shape":[2,1],"data_offsets":[32768,32776]},"n":{"dtype":"BF16","shape":[128],"data_offsets":[32776,33032]}}  `
	h, err := ReadSafetensorsHeader(bytes.NewReader(stFile(hdr, 33032)))
	require.NoError(t, err)
	assert.Len(t, h.Tensors, 3)
	assert.Equal(t, "pt", h.Metadata["format"])
	ws, err := SummarizeSafetensors(h)
	require.NoError(t, err)
	assert.Equal(t, int64(256*128+2+128), ws.Params)
	assert.Equal(t, int64(33032), ws.Bytes)
	assert.Equal(t, []DTypeCount{{"F32", 2, 8}, {"BF16", 128, 256}, {"F8_E4M3", 32768, 32768}}, ws.Breakdown)
}

func TestReadSafetensorsHeaderErrors(t *testing.T) {
	huge := make([]byte, 8)
	binary.LittleEndian.PutUint64(huge, MaxSafetensorsHeader+1)
	full := stFile(`{"w":{"dtype":"F32","shape":[2]}}`, 0)
	cases := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "truncated"},
		{"short prefix", []byte{1, 2, 3}, "truncated"},
		{"oversized", huge, "exceeds"},
		{"zero", make([]byte, 8), "length is 0"},
		{"truncated header", full[:len(full)-5], "truncated"},
		{"not json", stFile(`nope`, 0), "not a JSON object"},
		{"bad dtype", stFile(`{"w":{"dtype":"Q7","shape":[2]}}`, 0), "unknown dtype"},
		{"no dtype", stFile(`{"w":{"shape":[2]}}`, 0), "no dtype"},
		{"negative shape", stFile(`{"w":{"dtype":"F32","shape":[-2]}}`, 0), "invalid shape"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadSafetensorsHeader(bytes.NewReader(tc.in))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestSafetensorsIndex(t *testing.T) {
	idx, err := ParseSafetensorsIndex([]byte(`{"metadata":{"total_size":1000},"weight_map":{"a":"model-00002-of-00002.safetensors","b":"model-00001-of-00002.safetensors","c":"model-00001-of-00002.safetensors"}}`))
	require.NoError(t, err)
	assert.Equal(t, []string{"model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"}, idx.Files())
	assert.Equal(t, int64(1000), idx.TotalSize())
	_, err = ParseSafetensorsIndex([]byte(`{"weight_map":{}}`))
	assert.ErrorContains(t, err, "weight_map is empty")
	_, err = ParseSafetensorsIndex([]byte(`{"weight_map":{"a":"../../etc/passwd"}}`))
	assert.ErrorContains(t, err, "invalid file")
}
