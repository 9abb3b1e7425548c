package importer

import (
	"fmt"
	"regexp"
	"strings"
)

// kubeletRef is a $(NAME) reference, which the kubelet replaces in a container's command and args.
var kubeletRef = regexp.MustCompile(`^\$\([A-Za-z_][A-Za-z0-9_]*\)`)

// shellCommand is one simple command of a shell script: its words (quotes removed) and its source text.
type shellCommand struct {
	Words []string
	Text  string
}

// splitScript cuts a `bash -c` script into the simple commands joined by `&&`, `;` or newlines, as POSIX sh reads
// single quotes, double quotes (with \" \\ \$ \` escapes), backslash escapes and line continuations, and comments.
// It refuses what it cannot turn into a list of commands run one after the other (`||`, pipes, redirections,
// background jobs, subshells), and reports words that the shell would expand ($VAR, $(...), backticks, globs are
// kept as written).
func splitScript(script string) (cmds []shellCommand, expansions []string, err error) {
	var words []string
	var cur strings.Builder
	inWord := false
	start := -1 // source offset where the current command starts
	flushWord := func() {
		if inWord {
			words = append(words, cur.String())
			cur.Reset()
			inWord = false
		}
	}
	endCommand := func(end int) {
		flushWord()
		if len(words) > 0 {
			cmds = append(cmds, shellCommand{Words: words, Text: strings.TrimSpace(script[start:end])})
		}
		words = nil
		start = -1
	}
	rs := []rune(script)
	// Work on byte offsets for Text, runes for scanning.
	off := make([]int, len(rs)+1)
	for i, b := 0, 0; i < len(rs); i++ {
		off[i] = b
		b += len(string(rs[i]))
		off[i+1] = b
	}
	mark := func(i int) {
		if start < 0 {
			start = off[i]
		}
	}
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '\\':
			if i+1 < len(rs) && rs[i+1] == '\n' { // line continuation
				i++
				continue
			}
			mark(i)
			if i+1 < len(rs) {
				cur.WriteRune(rs[i+1])
				i++
			}
			inWord = true
		case r == '\'' || r == '"':
			mark(i)
			text, end, exp, err := quoted(rs, i)
			if err != nil {
				return nil, nil, err
			}
			cur.WriteString(text)
			expansions = append(expansions, exp...)
			inWord = true
			i = end
		case r == ' ' || r == '\t':
			flushWord()
		case r == '\n' || r == ';':
			endCommand(off[i])
		case r == '&':
			if i+1 < len(rs) && rs[i+1] == '&' {
				endCommand(off[i])
				i++
				continue
			}
			return nil, nil, fmt.Errorf("background job (&) at offset %d", off[i])
		case r == '|' || r == '>' || r == '<' || r == '(' || r == ')':
			return nil, nil, fmt.Errorf("%q at offset %d: only commands joined by && or ; can be mapped", string(r), off[i])
		case r == '#' && !inWord:
			for i < len(rs) && rs[i] != '\n' {
				i++
			}
			endCommand(off[min(i, len(rs))])
		case r == '$' && kubeletRef.MatchString(string(rs[i:])):
			// $(NAME): the kubelet expands it in command and args before the shell runs.
			mark(i)
			ref := kubeletRef.FindString(string(rs[i:]))
			expansions = append(expansions, ref)
			cur.WriteString(ref)
			inWord = true
			i += len([]rune(ref)) - 1
		default:
			mark(i)
			if r == '$' || r == '`' {
				expansions = append(expansions, string(rs[i:min(i+20, len(rs))]))
			}
			cur.WriteRune(r)
			inWord = true
		}
	}
	endCommand(len(script))
	return cmds, expansions, nil
}

// quoted reads the quoted string that starts at rs[i] (a single or a double quote): its text, the index of the
// closing quote and, in double quotes, the expansions the shell would make. Double quotes take the \" \\ \$ \`
// escapes and line continuations.
func quoted(rs []rune, i int) (text string, end int, expansions []string, err error) {
	q := rs[i]
	var b strings.Builder
	j := i + 1
	for ; j < len(rs) && rs[j] != q; j++ {
		if q == '"' && rs[j] == '\\' && j+1 < len(rs) && strings.ContainsRune("\"\\$`\n", rs[j+1]) {
			if rs[j+1] != '\n' {
				b.WriteRune(rs[j+1])
			}
			j++
			continue
		}
		if q == '"' && (rs[j] == '$' || rs[j] == '`') {
			expansions = append(expansions, string(rs[i:min(j+20, len(rs))]))
		}
		b.WriteRune(rs[j])
	}
	if j == len(rs) {
		name := map[rune]string{'\'': "single", '"': "double"}[q]
		return "", 0, nil, fmt.Errorf("unbalanced %s quote", name)
	}
	return b.String(), j, expansions, nil
}
