// Package catalog embeds the config.json files of the models in ../shared/models so that
// `chartgen values --model MiniMaxAI/MiniMax-M2.5` works offline. The copies under models/ are
// refreshed by the lead's copy step; TestCatalogMatchesShared fails when they drift.
package catalog

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/llm-charts/llm-charts/internal/source"
)

//go:embed models
var models embed.FS

// Catalog is a source.Source over the embedded configs. Folder names are <org>__<name>.
type Catalog struct{}

var _ source.Source = Catalog{}

// IDs lists the Hub ids in the catalog, sorted.
func IDs() []string {
	dirs, _ := fs.ReadDir(models, "models")
	var out []string
	for _, d := range dirs {
		if d.IsDir() {
			out = append(out, strings.Replace(d.Name(), "__", "/", 1))
		}
	}
	sort.Strings(out)
	return out
}

// Has reports whether id is in the catalog.
func Has(id string) bool {
	_, err := configPath(id)
	return err == nil
}

func configPath(id string) (string, error) {
	if strings.Count(id, "/") != 1 || strings.Contains(id, "..") {
		return "", fmt.Errorf("model id %q must look like org/name", id)
	}
	dir := path.Join("models", strings.Replace(id, "/", "__", 1))
	for _, name := range []string{"config.json", "config.subset.json"} {
		p := path.Join(dir, name)
		if _, err := fs.Stat(models, p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("model %q is not in the embedded catalog (it has: %s)", id, strings.Join(IDs(), ", "))
}

// Load returns the embedded config for a Hub id such as "MiniMaxAI/MiniMax-M2.5".
func (Catalog) Load(_ context.Context, ref string) (*source.Metadata, error) {
	p, err := configPath(ref)
	if err != nil {
		return nil, err
	}
	b, err := models.ReadFile(p)
	if err != nil {
		return nil, err
	}
	return &source.Metadata{Ref: ref, Source: "catalog", Config: b, Files: []string{path.Base(p)}}, nil
}
