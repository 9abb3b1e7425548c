// Package source loads model metadata (config.json, safetensors headers, file listing) from one
// of several places behind one interface: the embedded catalog, a local directory, a single
// config file, or the Hugging Face Hub.
package source

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

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

// Weights sums the safetensors headers; ok is false when none were read. An incomplete set of shards is refused
// (planning from it would count a fraction of the weights as exact): shards the index lists but no header was read
// for, a sum below the index's total_size, or numbered shards (model-00001-of-00005.safetensors) with some missing.
func (m *Metadata) Weights() (*model.WeightSummary, bool, error) {
	if len(m.Headers) == 0 {
		return nil, false, nil
	}
	if err := m.checkShardSet(); err != nil {
		return nil, false, err
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

// Warnings are what the metadata says that deserves a look but does not stop planning: the shards' headers
// (each checked against its file's size) hold more tensor bytes than the index's total_size. The headers win: the
// index is stale or counts differently (fewer bytes would mean missing shards, which Weights refuses).
func (m *Metadata) Warnings() []string {
	if m.Index == nil || len(m.Headers) == 0 {
		return nil
	}
	total := m.Index.TotalSize()
	var sum int64
	for _, h := range m.Headers {
		sum += h.DataSize
	}
	if total > 0 && sum > total {
		return []string{fmt.Sprintf("the shards' safetensors headers hold %d bytes of tensors, %d more than model.safetensors.index.json's total_size (%d); planning from the headers", sum, sum-total, total)}
	}
	return nil
}

// shardName is the numbered shard naming transformers writes: <prefix>-00001-of-00005.safetensors.
var shardName = regexp.MustCompile(`^(.*)-([0-9]+)-of-([0-9]+)\.safetensors$`)

func (m *Metadata) checkShardSet() error {
	const fix = "copy every shard (and model.safetensors.index.json), or plan from config.json alone with --config"
	if m.Index != nil {
		var missing []string
		for _, f := range m.Index.Files() {
			if m.Headers[f] == nil {
				missing = append(missing, f)
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("model.safetensors.index.json lists %d shards, %d of them not read (%s): %s", len(m.Index.Files()), len(missing), strings.Join(missing, ", "), fix)
		}
		if total := m.Index.TotalSize(); total > 0 {
			var sum int64
			for _, h := range m.Headers {
				sum += h.DataSize
			}
			if sum < total {
				return fmt.Errorf("the shards hold %d bytes of tensors but model.safetensors.index.json's total_size says %d: %s", sum, total, fix)
			}
		}
		return nil
	}
	want := map[string]int{}
	have := map[string]map[int]bool{}
	for name := range m.Headers {
		p := shardName.FindStringSubmatch(name)
		if p == nil {
			continue
		}
		i, _ := strconv.Atoi(p[2])
		n, _ := strconv.Atoi(p[3])
		key := p[1] + "-*-of-" + p[3] + ".safetensors"
		want[key] = n
		if have[key] == nil {
			have[key] = map[int]bool{}
		}
		have[key][i] = true
	}
	for key, n := range want {
		if len(have[key]) != n {
			var missing []string
			for i := 1; i <= n; i++ {
				if !have[key][i] {
					missing = append(missing, strconv.Itoa(i))
				}
			}
			return fmt.Errorf("only %d of the %d shards %s are present (missing: %s) and there is no model.safetensors.index.json: %s", len(have[key]), n, key, strings.Join(missing, ", "), fix)
		}
	}
	return nil
}
