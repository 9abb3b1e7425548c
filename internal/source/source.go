// Package source loads model metadata (config.json, safetensors headers, file listing) from one
// of several places behind one interface: the embedded catalog, a local directory, a single
// config file, or the Hugging Face Hub.
package source

import (
	"context"
	"sort"

	"github.com/llm-charts/llm-charts/internal/model"
)

// Metadata is what a source knows about a model.
type Metadata struct {
	// Ref is what was asked for; Source names where it came from (catalog, dir, file, hub).
	Ref    string
	Source string
	// Revision is the commit (Hub X-Repo-Commit) or "" when unknown.
	Revision string
	// Config is config.json's bytes.
	Config []byte
	// Files lists the repository's files when known (for sentence-transformers detection).
	Files []string
	// Index is model.safetensors.index.json when present.
	Index *model.SafetensorsIndex
	// Headers are the safetensors headers by shard file name; empty when not reachable.
	Headers map[string]*model.SafetensorsHeader
}

// Source loads metadata for a reference (model id, directory or file path).
type Source interface {
	Load(ctx context.Context, ref string) (*Metadata, error)
}

// Facts parses the config with the name and file list this metadata carries.
func (m *Metadata) Facts(task model.Task) (*model.Facts, error) {
	return model.Parse(m.Config, model.ParseOptions{Name: m.Ref, Files: m.Files, Task: task})
}

// Weights sums the safetensors headers; ok is false when none were read.
func (m *Metadata) Weights() (*model.WeightSummary, bool, error) {
	if len(m.Headers) == 0 {
		return nil, false, nil
	}
	names := make([]string, 0, len(m.Headers))
	for n := range m.Headers {
		names = append(names, n)
	}
	sort.Strings(names)
	hs := make([]*model.SafetensorsHeader, 0, len(names))
	for _, n := range names {
		hs = append(hs, m.Headers[n])
	}
	ws, err := model.SummarizeSafetensors(hs...)
	return ws, err == nil, err
}
