package source

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// headerCache is chartgen's own cache beside the Hugging Face one ($HF_HOME/chartgen by default). It holds what the
// Hugging Face layout has no place for: the safetensors headers chartgen read with Range requests (a header is not
// the shard, so it must never appear in blobs/ or snapshots/ where vLLM or transformers would load it as weights),
// and the repository's file listing at a commit, which maps each shard to its etag:
//
//	<dir>/hub/models--ORG--NAME/commits/<commit>.json   the listing: path, size and etag of every file
//	<dir>/hub/models--ORG--NAME/headers/<etag>          a shard's first bytes: the 8-byte length and the JSON header
//
// A header is keyed by the shard's etag (its sha256), so it is shared by every commit that kept the shard. Entries
// are written whole (temporary file, rename). Before this layout chartgen kept one JSON file per revision,
// <dir>/ORG--NAME/<rev>.json; those are still read offline (legacyEntry) and no longer written.
type headerCache struct {
	dir string
}

// repoFile is one file of a listing.
type repoFile struct {
	Path string `json:"path"`
	Size int64  `json:"size,omitempty"`
	Etag string `json:"etag,omitempty"` // LFS: sha256 (the Hub's X-Linked-Etag); others: the git blob id (ETag)
}

// listing is a repository's files at a commit.
type listing struct {
	Commit string     `json:"commit"`
	Files  []repoFile `json:"files"`
}

func (l *listing) file(p string) *repoFile {
	if l == nil {
		return nil
	}
	for i := range l.Files {
		if l.Files[i].Path == p {
			return &l.Files[i]
		}
	}
	return nil
}

// byPath indexes the files by path (pointers into the listing).
func (l *listing) byPath() map[string]*repoFile {
	m := map[string]*repoFile{}
	if l != nil {
		for i := range l.Files {
			m[l.Files[i].Path] = &l.Files[i]
		}
	}
	return m
}

func (l *listing) paths() []string {
	if l == nil {
		return nil
	}
	out := make([]string, 0, len(l.Files))
	for _, f := range l.Files {
		out = append(out, f.Path)
	}
	return out
}

func (c *headerCache) repoDir(id string) string {
	return filepath.Join(c.dir, "hub", "models--"+strings.ReplaceAll(id, "/", "--"))
}

func (c *headerCache) readListing(id, commit string) (*listing, error) {
	b, err := os.ReadFile(filepath.Join(c.repoDir(id), "commits", commit+".json"))
	if err != nil {
		return nil, err
	}
	var l listing
	if err := json.Unmarshal(b, &l); err != nil {
		return nil, fmt.Errorf("chartgen cache: corrupt listing of %s at %s: %w", id, commit, err)
	}
	return &l, nil
}

func (c *headerCache) writeListing(id string, l *listing) error {
	if !commitHash.MatchString(l.Commit) {
		return nil
	}
	b, err := json.Marshal(l)
	if err != nil {
		return err
	}
	return writeAtomic(filepath.Join(c.repoDir(id), "commits", l.Commit+".json"), b)
}

// header returns the cached first bytes of the shard with this etag.
func (c *headerCache) header(id, etag string) ([]byte, bool) {
	if !validEtag.MatchString(etag) {
		return nil, false
	}
	b, err := os.ReadFile(filepath.Join(c.repoDir(id), "headers", etag))
	return b, err == nil
}

func (c *headerCache) writeHeader(id, etag string, prefix []byte) error {
	if !validEtag.MatchString(etag) {
		return nil
	}
	return writeAtomic(filepath.Join(c.repoDir(id), "headers", etag), prefix)
}

// legacyEntry is the per-revision JSON file chartgen wrote before it used the Hugging Face layout.
type legacyEntry struct {
	Revision string            `json:"revision"`
	Config   []byte            `json:"config"`
	Files    []string          `json:"files,omitempty"`
	Index    []byte            `json:"index,omitempty"`
	Headers  map[string]string `json:"headers,omitempty"` // raw header JSON per shard
}

func (c *headerCache) legacy(id, rev string) (*legacyEntry, error) {
	b, err := os.ReadFile(filepath.Join(c.dir, strings.Replace(id, "/", "--", 1), url.PathEscape(rev)+".json"))
	if err != nil {
		return nil, err
	}
	var e legacyEntry
	if err := json.Unmarshal(b, &e); err != nil {
		return nil, fmt.Errorf("corrupt cache entry: %w", err)
	}
	if len(e.Config) == 0 {
		return nil, errors.New("cache entry has no config.json")
	}
	return &e, nil
}
