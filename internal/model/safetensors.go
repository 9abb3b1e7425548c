package model

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
)

// MaxSafetensorsHeader caps the JSON header size. The format's reference implementation
// rejects headers above 100 MB; real checkpoints' headers are a few MB at most.
const MaxSafetensorsHeader = 100 << 20

// TensorInfo is one header entry.
type TensorInfo struct {
	DType       string  `json:"dtype"`
	Shape       []int64 `json:"shape"`
	DataOffsets []int64 `json:"data_offsets"`
}

// SafetensorsHeader is a parsed header; Metadata is the optional __metadata__ map. DataSize is the size of the
// byte buffer the tensors index (the largest end offset): the file is 8 + header length + DataSize bytes.
type SafetensorsHeader struct {
	Tensors  map[string]TensorInfo
	Metadata map[string]string
	DataSize int64
}

// SafetensorsHeaderLength decodes the 8-byte little-endian prefix and checks it against the cap.
func SafetensorsHeaderLength(prefix []byte) (int64, error) {
	if len(prefix) < 8 {
		return 0, fmt.Errorf("safetensors: need 8 bytes of header length, got %d (file truncated)", len(prefix))
	}
	n := binary.LittleEndian.Uint64(prefix[:8])
	if n == 0 {
		return 0, errors.New("safetensors: header length is 0")
	}
	if n > MaxSafetensorsHeader {
		return 0, fmt.Errorf("safetensors: header length %d exceeds the %d-byte limit (not a safetensors file, or corrupt)", n, MaxSafetensorsHeader)
	}
	return int64(n), nil
}

// ReadSafetensorsHeader reads the length prefix and exactly that many header bytes from r,
// and parses them. It never reads tensor data.
func ReadSafetensorsHeader(r io.Reader) (*SafetensorsHeader, error) {
	var prefix [8]byte
	if _, err := io.ReadFull(r, prefix[:]); err != nil {
		return nil, fmt.Errorf("safetensors: reading the 8-byte header length: %w", truncated(err))
	}
	n, err := SafetensorsHeaderLength(prefix[:])
	if err != nil {
		return nil, err
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, fmt.Errorf("safetensors: header says %d bytes: %w", n, truncated(err))
	}
	return ParseSafetensorsHeader(buf)
}

func truncated(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return errors.New("file truncated")
	}
	return err
}

// ParseSafetensorsHeader parses the JSON header (without the length prefix).
func ParseSafetensorsHeader(b []byte) (*SafetensorsHeader, error) {
	b = bytes.TrimRight(b, " \x00") // the format pads the header with spaces
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("safetensors: header is not a JSON object: %w", err)
	}
	h := &SafetensorsHeader{Tensors: make(map[string]TensorInfo, len(raw))}
	for name, msg := range raw {
		if name == "__metadata__" {
			_ = json.Unmarshal(msg, &h.Metadata) // informational only
			continue
		}
		var ti TensorInfo
		if err := json.Unmarshal(msg, &ti); err != nil {
			return nil, fmt.Errorf("safetensors: tensor %q: %w", name, err)
		}
		if ti.DType == "" {
			return nil, fmt.Errorf("safetensors: tensor %q has no dtype", name)
		}
		if _, ok := dtypeBits[ti.DType]; !ok {
			return nil, fmt.Errorf("safetensors: tensor %q has unknown dtype %q", name, ti.DType)
		}
		for _, d := range ti.Shape {
			if d < 0 || d > 1<<40 {
				return nil, fmt.Errorf("safetensors: tensor %q has invalid shape %v", name, ti.Shape)
			}
		}
		h.Tensors[name] = ti
	}
	size, err := checkLayout(h.Tensors)
	if err != nil {
		return nil, err
	}
	h.DataSize = size
	return h, nil
}

// checkLayout checks the data offsets as the format defines them: each tensor has [begin, end) with
// 0 <= begin <= end, its length is exactly shape × dtype size, and together the tensors cover the byte buffer from 0
// without holes or overlaps. It returns the buffer size. A header that breaks this would give wrong weight sizes.
func checkLayout(tensors map[string]TensorInfo) (int64, error) {
	type span struct {
		name       string
		begin, end int64
	}
	spans := make([]span, 0, len(tensors))
	for name, ti := range tensors {
		if len(ti.DataOffsets) != 2 {
			return 0, fmt.Errorf("safetensors: tensor %q has data_offsets %v, want [begin, end]", name, ti.DataOffsets)
		}
		b, e := ti.DataOffsets[0], ti.DataOffsets[1]
		if b < 0 || e < b {
			return 0, fmt.Errorf("safetensors: tensor %q has data_offsets [%d, %d] out of order", name, b, e)
		}
		n, ok := ti.elems()
		bits := dtypeBits[ti.DType]
		if !ok || n > (1<<62)/bits {
			return 0, fmt.Errorf("safetensors: tensor %q shape %v overflows", name, ti.Shape)
		}
		if want := (n*bits + 7) / 8; e-b != want {
			return 0, fmt.Errorf("safetensors: tensor %q is %d bytes by data_offsets [%d, %d] but %d by its shape %v × %s", name, e-b, b, e, want, ti.Shape, ti.DType)
		}
		spans = append(spans, span{name, b, e})
	}
	sort.Slice(spans, func(i, j int) bool {
		if spans[i].begin != spans[j].begin {
			return spans[i].begin < spans[j].begin
		}
		return spans[i].end < spans[j].end
	})
	var at int64
	for _, s := range spans {
		if s.begin != at {
			what := "leaves a hole before it"
			if s.begin < at {
				what = "overlaps the tensor before it"
			}
			return 0, fmt.Errorf("safetensors: tensor %q at offset %d %s (the previous tensor ends at %d)", s.name, s.begin, what, at)
		}
		at = s.end
	}
	return at, nil
}

// CheckFileSize checks a header against the size of its file: 8 bytes of length, the header, then exactly the
// bytes the tensors index. A shorter file is truncated; a longer one holds data no tensor describes.
func (h *SafetensorsHeader) CheckFileSize(headerLen, fileSize int64) error {
	if want := 8 + headerLen + h.DataSize; fileSize != want {
		return fmt.Errorf("safetensors: the file is %d bytes but its header describes %d (8 + %d of header + %d of tensor data): truncated or corrupt", fileSize, want, headerLen, h.DataSize)
	}
	return nil
}

// dtypeBits are the safetensors dtypes and their sizes in bits.
var dtypeBits = map[string]int64{
	"F64": 64, "I64": 64, "U64": 64,
	"F32": 32, "I32": 32, "U32": 32,
	"F16": 16, "BF16": 16, "I16": 16, "U16": 16,
	"F8_E4M3": 8, "F8_E5M2": 8, "F8_E8M0": 8, "I8": 8, "U8": 8, "BOOL": 8,
	"F4": 4, "F6_E2M3": 6, "F6_E3M2": 6,
}

func (ti TensorInfo) elems() (int64, bool) {
	n := int64(1)
	for _, d := range ti.Shape {
		if d != 0 && n > (1<<62)/d {
			return 0, false
		}
		n *= d
	}
	return n, true
}

// WeightSummary is an exact per-dtype count from safetensors headers.
type WeightSummary struct {
	Params    int64 // elements over all tensors, like hf-mem
	Bytes     int64
	Tensors   int
	Breakdown []DTypeCount
}

// SummarizeSafetensors adds up headers (one per shard). Bytes are shape × dtype size, which ParseSafetensorsHeader
// has checked against data_offsets.
func SummarizeSafetensors(headers ...*SafetensorsHeader) (*WeightSummary, error) {
	acc := map[string]*DTypeCount{}
	ws := &WeightSummary{}
	for _, h := range headers {
		if h == nil {
			continue
		}
		for name, ti := range h.Tensors {
			n, ok := ti.elems()
			if !ok {
				return nil, fmt.Errorf("safetensors: tensor %q shape %v overflows", name, ti.Shape)
			}
			b := (n*dtypeBits[ti.DType] + 7) / 8 // equal to the data_offsets length (checkLayout)
			c := acc[ti.DType]
			if c == nil {
				c = &DTypeCount{DType: ti.DType}
				acc[ti.DType] = c
			}
			c.Params += n
			c.Bytes += b
			ws.Params += n
			ws.Bytes += b
			ws.Tensors++
		}
	}
	for _, c := range acc {
		ws.Breakdown = append(ws.Breakdown, *c)
	}
	sort.Slice(ws.Breakdown, func(i, j int) bool {
		return dtypeOrder(ws.Breakdown[i].DType) < dtypeOrder(ws.Breakdown[j].DType)
	})
	return ws, nil
}

// SafetensorsIndex is model.safetensors.index.json.
type SafetensorsIndex struct {
	Metadata  map[string]any    `json:"metadata"`
	WeightMap map[string]string `json:"weight_map"`
}

// ParseSafetensorsIndex parses an index and checks that it maps tensors to shard files.
func ParseSafetensorsIndex(b []byte) (*SafetensorsIndex, error) {
	var idx SafetensorsIndex
	if err := json.Unmarshal(b, &idx); err != nil {
		return nil, fmt.Errorf("model.safetensors.index.json: %w", err)
	}
	if len(idx.WeightMap) == 0 {
		return nil, errors.New("model.safetensors.index.json: weight_map is empty")
	}
	for t, f := range idx.WeightMap {
		if f == "" || bytes.ContainsAny([]byte(f), "/\\") && bytes.Contains([]byte(f), []byte("..")) {
			return nil, fmt.Errorf("model.safetensors.index.json: tensor %q maps to invalid file %q", t, f)
		}
	}
	return &idx, nil
}

// Files returns the shard file names, sorted and unique.
func (idx *SafetensorsIndex) Files() []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range idx.WeightMap {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	sort.Strings(out)
	return out
}

// TotalSize is metadata.total_size (bytes of tensor data), 0 when absent.
func (idx *SafetensorsIndex) TotalSize() int64 {
	if v, ok := idx.Metadata["total_size"].(float64); ok && v > 0 {
		return int64(v)
	}
	return 0
}
