package importer

import (
	"fmt"
	"io"
	"strings"

	"sigs.k8s.io/yaml"
)

// WriteValues writes one result as an llm-model values file: a header comment with the source, every item not
// mapped and every note, then the values.
func WriteValues(w io.Writer, r Result) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Imported by `chartgen import` from %s.\n", r.Source)
	if r.Namespace != "" {
		fmt.Fprintf(&b, "# Install: helm install RELEASE ./charts/llm-model -n %s -f THIS_FILE\n", r.Namespace)
	}
	if len(r.Unmapped) == 0 {
		b.WriteString("#\n# Everything in the manifest is mapped.\n")
	} else {
		fmt.Fprintf(&b, "#\n# NOT MAPPED (%d): review each before installing.\n", len(r.Unmapped))
		for _, u := range r.Unmapped {
			comment(&b, u)
		}
	}
	if len(r.Notes) > 0 {
		b.WriteString("#\n# Notes:\n")
		for _, n := range r.Notes {
			comment(&b, n)
		}
	}
	out, err := yaml.Marshal(r.Values)
	if err != nil {
		return err
	}
	b.Write(out)
	_, err = io.WriteString(w, b.String())
	return err
}

// comment writes one list item as comment lines of at most about 120 characters.
func comment(b *strings.Builder, text string) {
	line := "#   -"
	for _, word := range strings.Fields(text) {
		if len(line)+1+len(word) > 118 && line != "#   -" {
			b.WriteString(line + "\n")
			line = "#    "
		}
		line += " " + word
	}
	b.WriteString(line + "\n")
}
