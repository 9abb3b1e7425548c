package e2e

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// readmeBlock is one ```sh block of README.md: the commands a user types, run as written.
type readmeBlock struct {
	line int    // 1-based line of the opening fence
	text string // the block's lines
}

// readmeBlocks returns every ```sh block of the README in order. Blocks fenced with another language (the chartgen
// synopsis is plain ```) are not commands and are not run.
func readmeBlocks(readme string) ([]readmeBlock, error) {
	var blocks []readmeBlock
	var cur *readmeBlock
	sc := bufio.NewScanner(strings.NewReader(readme))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case cur == nil && trimmed == "```sh":
			cur = &readmeBlock{line: n}
		case cur == nil:
		case trimmed == "```":
			blocks = append(blocks, *cur)
			cur = nil
		default:
			cur.text += line + "\n"
		}
	}
	if cur != nil {
		return nil, fmt.Errorf("README.md:%d: ```sh block is not closed", cur.line)
	}
	return blocks, sc.Err()
}

// selfCommand is the README's test command. The README test runs inside it (make test → make e2e → this test), so it
// is checked to be what CI runs instead of being run a second time from within itself.
const selfCommand = "make test"

// TestReadmeCommands runs every ```sh block of README.md, as written, in a fresh copy of the repository (the files
// git knows of, nothing built), offline (HF_HUB_OFFLINE=1, no Hugging Face token) and against this suite's API
// server, block after block as a newcomer would; a failing command fails the test with its output.
func TestReadmeCommands(t *testing.T) {
	requireEnv(t)
	readme, err := os.ReadFile(filepath.Join(env.root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks, err := readmeBlocks(string(readme))
	if err != nil {
		t.Fatal(err)
	}
	if len(blocks) < 4 {
		t.Fatalf("README.md has %d ```sh blocks; expected the newcomer, deploy, gateway and import ones", len(blocks))
	}
	ci, err := os.ReadFile(filepath.Join(env.root, ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	lastCI := lastCommand(string(ci))
	if lastCI != selfCommand {
		t.Fatalf(".ci/run ends with %q, but the README's test command is %q", lastCI, selfCommand)
	}

	dir := copyRepo(t)
	home := filepath.Join(t.TempDir(), "home")
	cmdEnv := append(append([]string{}, env.helmEnv...),
		"HF_HUB_OFFLINE=1", "HF_TOKEN=", "HF_HOME="+filepath.Join(home, "hf"),
		"CI=", "MAKEFLAGS=", "MAKELEVEL=",
	)
	sawSelf := false
	for _, b := range blocks {
		var script strings.Builder
		for _, line := range strings.Split(strings.TrimRight(b.text, "\n"), "\n") {
			if cmd := strings.TrimSpace(stripComment(line)); cmd == selfCommand {
				sawSelf = true
				script.WriteString("# (" + selfCommand + ": this test runs inside it)\n")
				continue
			}
			script.WriteString(line + "\n")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		cmd := exec.CommandContext(ctx, "bash", "-euo", "pipefail", "-c", script.String())
		cmd.Dir, cmd.Env = dir, cmdEnv
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		start := time.Now()
		err := cmd.Run()
		cancel()
		t.Logf("README.md:%d block ran in %s", b.line, time.Since(start).Round(time.Millisecond))
		if err != nil {
			t.Fatalf("README.md:%d: the block failed (%v):\n%s\noutput:\n%s", b.line, err, b.text, tail(out.String(), 60))
		}
	}
	if !sawSelf {
		t.Errorf("no README block shows the test command %q", selfCommand)
	}
	for _, f := range []string{"minimax.yaml", "gateway.yaml", "imported.yaml"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("the README's commands did not write %s: %v", f, err)
		}
	}
	pkgs, _ := filepath.Glob(filepath.Join(dir, "dist", "*.tgz"))
	if len(pkgs) != 2 {
		t.Errorf("make package wrote %d charts into dist/, want 2: %v", len(pkgs), pkgs)
	}
}

// stripComment drops a trailing `# comment` from a shell line (the README's blocks quote no '#').
func stripComment(line string) string {
	if i := strings.Index(line, "#"); i >= 0 {
		return line[:i]
	}
	return line
}

// lastCommand is the last non-blank, non-comment line of a script.
func lastCommand(script string) string {
	lines := strings.Split(strings.TrimSpace(script), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(stripComment(lines[i])); l != "" {
			return l
		}
	}
	return ""
}

// copyRepo copies the files git knows of (tracked, and new ones not ignored) into a temporary folder: what a fresh
// clone of this work tree holds, without bin/, dist/ or any build output.
func copyRepo(t *testing.T) string {
	t.Helper()
	ls := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	ls.Dir = env.root
	out, err := ls.Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	dir := filepath.Join(t.TempDir(), "llm-charts")
	for _, rel := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		src := filepath.Join(env.root, rel)
		st, err := os.Lstat(src)
		if os.IsNotExist(err) {
			continue // deleted in the work tree, not yet committed
		}
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, data, st.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
