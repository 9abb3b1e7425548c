package source

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// HFCache is the Hugging Face cache as huggingface_hub lays it out (file_download.py, hf_hub_download), which
// `hf download`, transformers and vLLM fill and read:
//
//	<root>/models--ORG--NAME/refs/<revision>              the commit a branch or tag pointed to (no newline)
//	<root>/models--ORG--NAME/blobs/<etag>                 file contents, named by X-Linked-Etag (LFS: sha256) or ETag
//	<root>/models--ORG--NAME/snapshots/<commit>/<file>    a relative symlink to ../../blobs/<etag>
//	<root>/models--ORG--NAME/.no_exist/<commit>/<file>    an empty file: the Hub said this file does not exist
//
// chartgen reads it (offline, or a shard downloaded in full) and writes the small files it fetches (config.json,
// the safetensors index) the same way, so the usual tools reuse them. Every write is a temporary file renamed into
// place, blob before link before ref, so a reader never sees a half-written file or a link to a missing blob; two
// writers of the same blob write the same bytes, so huggingface_hub's lock files are not needed for correctness.
type HFCache struct {
	Root string
}

// commitHash is a full git commit id, as the Hub's X-Repo-Commit gives it.
var commitHash = regexp.MustCompile(`^[0-9a-f]{40}$`)

// repoDir is models--ORG--NAME (huggingface_hub's repo_folder_name).
func (c *HFCache) repoDir(id string) string {
	return filepath.Join(c.Root, "models--"+strings.ReplaceAll(id, "/", "--"))
}

// Commit resolves a revision to a commit: a commit id is itself, a branch or tag is read from refs/.
func (c *HFCache) Commit(id, rev string) (string, error) {
	if commitHash.MatchString(rev) {
		return rev, nil
	}
	b, err := os.ReadFile(filepath.Join(c.repoDir(id), "refs", filepath.FromSlash(rev)))
	if err != nil {
		return "", err
	}
	commit := strings.TrimSpace(string(b))
	if !commitHash.MatchString(commit) {
		return "", fmt.Errorf("%s: not a commit id: %q", filepath.Join(c.repoDir(id), "refs", rev), commit)
	}
	return commit, nil
}

// SnapshotPath is where a file of a commit is (or would be) in the cache.
func (c *HFCache) SnapshotPath(id, commit, file string) string {
	return filepath.Join(c.repoDir(id), "snapshots", commit, filepath.FromSlash(file))
}

// ReadFile reads a file of a commit; fs.ErrNotExist when the cache does not hold it.
func (c *HFCache) ReadFile(id, commit, file string) ([]byte, error) {
	return os.ReadFile(c.SnapshotPath(id, commit, file))
}

// KnownMissing reports whether the cache recorded that the Hub has no such file at this commit.
func (c *HFCache) KnownMissing(id, commit, file string) bool {
	_, err := os.Stat(filepath.Join(c.repoDir(id), ".no_exist", commit, filepath.FromSlash(file)))
	return err == nil
}

// BlobPath is where the contents with this etag are (or would be).
func (c *HFCache) BlobPath(id, etag string) string {
	return filepath.Join(c.repoDir(id), "blobs", etag)
}

// Files lists the files a snapshot holds, as slash-separated paths relative to it, sorted.
func (c *HFCache) Files(id, commit string) ([]string, error) {
	root := filepath.Join(c.repoDir(id), "snapshots", commit)
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	return out, err
}

// validEtag is what may name a blob: the Hub's etags are hex digests; anything else is not written.
var validEtag = regexp.MustCompile(`^[0-9A-Za-z_.-]{1,128}$`)

// Write stores a file of a commit: the blob (unless present), the snapshot link, then refs/<rev> when rev is a
// branch or tag. etag is normalized (quotes and W/ removed, as huggingface_hub's _normalize_etag does).
func (c *HFCache) Write(id, rev, commit, file, etag string, data []byte) error {
	etag = normalizeEtag(etag)
	if !commitHash.MatchString(commit) || !validEtag.MatchString(etag) || !safeRelPath(file) {
		return fmt.Errorf("not caching %s of %s: commit %q or etag %q unusable", file, id, commit, etag)
	}
	blob := c.BlobPath(id, etag)
	if _, err := os.Stat(blob); err != nil {
		if err := writeAtomic(blob, data); err != nil {
			return err
		}
	}
	link := c.SnapshotPath(id, commit, file)
	if _, err := os.Lstat(link); err != nil {
		target, err := filepath.Rel(filepath.Dir(link), blob)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
			return err
		}
		tmp := link + ".tmp" + strconv.Itoa(os.Getpid())
		_ = os.Remove(tmp)
		if err := os.Symlink(target, tmp); err != nil {
			return err
		}
		if err := os.Rename(tmp, link); err != nil {
			_ = os.Remove(tmp)
			return err
		}
	}
	return c.WriteRef(id, rev, commit)
}

// WriteRef records that rev points to commit (nothing for a commit id, as huggingface_hub does).
func (c *HFCache) WriteRef(id, rev, commit string) error {
	if rev == commit || !commitHash.MatchString(commit) || !safeRelPath(rev) {
		return nil
	}
	return writeAtomic(filepath.Join(c.repoDir(id), "refs", filepath.FromSlash(rev)), []byte(commit))
}

// WriteMissing records that the Hub has no such file at this commit (.no_exist, as huggingface_hub does).
func (c *HFCache) WriteMissing(id, commit, file string) error {
	if !commitHash.MatchString(commit) || !safeRelPath(file) {
		return nil
	}
	return writeAtomic(filepath.Join(c.repoDir(id), ".no_exist", commit, filepath.FromSlash(file)), nil)
}

// normalizeEtag strips a weak-validator prefix and quotes.
func normalizeEtag(e string) string {
	e = strings.TrimSpace(e)
	e = strings.TrimPrefix(e, "W/")
	return strings.Trim(e, `"`)
}

// safeRelPath refuses paths that would leave the cache directory.
func safeRelPath(p string) bool {
	if p == "" || strings.HasPrefix(p, "/") || strings.Contains(p, "\\") {
		return false
	}
	for _, part := range strings.Split(p, "/") {
		if part == "" || part == "." || part == ".." {
			return false
		}
	}
	return true
}

// writeAtomic writes a file through a temporary file in the same directory and a rename, so that no reader (and no
// interrupted run) ever leaves a partial file under the final name.
func writeAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".incomplete*")
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		_ = os.Remove(f.Name())
		return err
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		_ = os.Remove(f.Name())
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		_ = os.Remove(f.Name())
		return err
	}
	return nil
}
