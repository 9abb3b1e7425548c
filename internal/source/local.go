package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/llm-charts/llm-charts/internal/model"
)

// File loads a single config.json (--config path).
type File struct{}

// Load reads the file at ref.
func (File) Load(_ context.Context, ref string) (*Metadata, error) {
	b, err := os.ReadFile(ref)
	if err != nil {
		return nil, fmt.Errorf("config file: %w", err)
	}
	return &Metadata{Ref: ref, Source: "file", Config: b}, nil
}

// Dir loads a local model directory: config.json plus model.safetensors.index.json and its
// shards, or the *.safetensors files found there. Only headers are read, never tensor data.
type Dir struct{}

// Load reads the directory at ref.
func (Dir) Load(_ context.Context, ref string) (*Metadata, error) {
	cfg, err := os.ReadFile(filepath.Join(ref, "config.json"))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("model directory %s has no config.json", ref)
		}
		return nil, fmt.Errorf("model directory %s: %w", ref, err)
	}
	md := &Metadata{Ref: filepath.Base(filepath.Clean(ref)), Source: "dir", Config: cfg}
	entries, err := os.ReadDir(ref)
	if err != nil {
		return nil, fmt.Errorf("model directory %s: %w", ref, err)
	}
	for _, e := range entries {
		md.Files = append(md.Files, e.Name())
	}
	sort.Strings(md.Files)
	var shards []string
	if b, err := os.ReadFile(filepath.Join(ref, "model.safetensors.index.json")); err == nil {
		idx, err := model.ParseSafetensorsIndex(b)
		if err != nil {
			return nil, fmt.Errorf("model directory %s: %w", ref, err)
		}
		md.Index = idx
		shards = idx.Files()
	} else {
		for _, f := range md.Files {
			if filepath.Ext(f) == ".safetensors" {
				shards = append(shards, f)
			}
		}
	}
	if len(shards) > 0 {
		md.Headers = map[string]*model.SafetensorsHeader{}
	}
	for _, s := range shards {
		h, err := readLocalHeader(filepath.Join(ref, s))
		if err != nil {
			return nil, fmt.Errorf("model directory %s: %s: %w", ref, s, err)
		}
		md.Headers[s] = h
	}
	return md, nil
}

// readLocalHeader reads a shard's header and checks it against the file's size (a truncated download is refused).
func readLocalHeader(path string) (*model.SafetensorsHeader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h, err := model.ReadSafetensorsHeader(f)
	if err != nil {
		return nil, err
	}
	end, err := f.Seek(0, io.SeekCurrent) // just past the header: 8 + header length
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if err := h.CheckFileSize(end-8, st.Size()); err != nil {
		return nil, err
	}
	return h, nil
}
