package engine

import (
	"embed"
	"fmt"
	"slices"
	"strings"
	"sync"

	"sigs.k8s.io/yaml"
)

// Spec is one engine's declarative description (specs/<name>.yaml): its entry point, image repository, ports and
// the values key ↔ flag rows. The chart's engine data (charts/llm-model/templates/_engines.tpl) is generated from
// it by `make generate`, and the importer reads its rows backwards.
type Spec struct {
	// Name is the engine's name.
	Name Name `json:"name"`
	// Entrypoint is the command that starts the engine, e.g. [vllm, serve].
	Entrypoint []string `json:"entrypoint"`
	// Repository is the engine's official image repository.
	Repository string `json:"repository"`
	// Port is the engine's own default port.
	Port int `json:"port"`
	// DefaultRelease is the release the chart and chartgen target when image.version is not set. It has a flag table
	// (internal/flagtable/tables/<name>/) and the memory terms chartgen plans with are calibrated on it; newer
	// releases with tables are checked but not yet the default.
	DefaultRelease string `json:"defaultRelease"`
	// APIKeyEnv is the environment variable the chart fills from credentials.apiKey's Secret.
	APIKeyEnv string `json:"apiKeyEnv"`
	// LoRARanks are the --max-lora-rank values the engine takes (empty: any), which chartgen rounds a planned rank up
	// to and the chart checks lora.maxRank against.
	LoRARanks []int `json:"loraRanks,omitempty"`
	// Keys are the flags the chart renders from values, in the order it renders them.
	Keys []KeyRow `json:"keys"`
	// RankFlags are the flags the container command adds on the ranks of a multi-node instance, and the values key
	// each comes from.
	RankFlags []KeyRow `json:"rankFlags"`
	// Aliases maps a flag's other spellings (short forms, older names) to the flag the chart renders.
	Aliases map[string]string `json:"aliases,omitempty"`
	// ImageTags are the engine's image tag schemes, oldest first: from each one's Since release on, the suffix its
	// images' tags carry per CUDA build (image.cuda). A release takes the newest scheme not after it.
	ImageTags []ImageTags `json:"imageTags"`
}

// ImageTags is one image tag scheme of an engine's releases.
type ImageTags struct {
	// Since is the first release of the scheme ("" for the oldest scheme).
	Since string `json:"since,omitempty"`
	// Suffixes maps a CUDA build to the suffix of its image tag ("" for the plain tag).
	Suffixes map[string]string `json:"suffixes"`
	// Source says where the scheme is read from.
	Source string `json:"source,omitempty"`
}

// CUDAOfTag is the CUDA build an image tag of the engine names, and whether it names one: a -cu129 or -cu130 part,
// else, for a release's plain tag, the build the release's scheme tags plainly (vLLM v0.19.0 is the 12.9 build,
// v0.20.0 the 13.0 one).
func (s *Spec) CUDAOfTag(tag string) (string, bool) {
	for _, part := range strings.Split(tag, "-")[1:] {
		switch part {
		case "cu129":
			return "12.9", true
		case "cu130":
			return "13.0", true
		}
	}
	release := strings.Split(tag, "-")[0]
	if _, err := ParseRelease(release); err != nil || release != tag {
		return "", false
	}
	for _, b := range []string{"13.0", "12.9"} {
		if suffix, ok := s.TagSuffix(release, b); ok && suffix == "" {
			return b, true
		}
	}
	return "", false
}

// TagSuffix is the image tag suffix of a release's CUDA build, and whether the release's scheme has that build.
func (s *Spec) TagSuffix(release, cuda string) (string, bool) {
	scheme := s.ImageTags[0]
	if r, err := ParseRelease(release); err == nil {
		for _, t := range s.ImageTags[1:] {
			if !MustParseRelease(t.Since).After(r) {
				scheme = t
			}
		}
	}
	suffix, ok := scheme.Suffixes[cuda]
	return suffix, ok
}

// ValueType is how a row's value becomes the flag's words.
type ValueType string

const (
	// TypeInt renders `--flag N` (a whole number), omitted when the key is null.
	TypeInt ValueType = "int"
	// TypeFloat renders `--flag X` as the value is written, omitted when null.
	TypeFloat ValueType = "float"
	// TypeString renders `--flag S` (through Map when set), omitted when empty.
	TypeString ValueType = "string"
	// TypeBool renders `--flag` alone when the key is true.
	TypeBool ValueType = "bool"
	// TypeNegatable renders `--flag` when true and `--no-<flag>` when false (argparse BooleanOptionalAction),
	// nothing when null.
	TypeNegatable ValueType = "negatable"
	// TypeWhen renders `--flag` alone when the key's value is When.
	TypeWhen ValueType = "when"
	// TypeWords renders `--flag` followed by one word per item.
	TypeWords ValueType = "words"
	// TypeJSON renders `--flag` followed by the value as one JSON word.
	TypeJSON ValueType = "json"
)

// KeyRow is one engine flag the chart renders and the values key it comes from.
type KeyRow struct {
	// Key is the values path, e.g. serving.maxNumSeqs or vllm.mambaCacheMode (serving.*, vllm.* and sglang.* can be
	// overridden per resource group); a block name (lora, speculative, monitoring) when the flag follows from several
	// of its keys; empty for a fixed value.
	Key string `json:"key,omitempty"`
	// Flag is the engine flag, e.g. --max-num-seqs.
	Flag string `json:"flag"`
	// Type is how the value becomes words.
	Type ValueType `json:"type,omitempty"`
	// From is the resolved group's field the chart reads when it is not Key (tp, pp, dp, dcp: the parallel sizes
	// after the chart's arithmetic).
	From string `json:"from,omitempty"`
	// Above renders an int only when it is greater (the parallel sizes above 1).
	Above *int `json:"above,omitempty"`
	// When is the value of Key that renders a TypeWhen flag.
	When string `json:"when,omitempty"`
	// Map translates a values value into the engine's spelling (SGLang's KV cache dtypes).
	Map map[string]string `json:"map,omitempty"`
	// Fixed is the value the chart always renders (--host 0.0.0.0); no values key sets it.
	Fixed string `json:"fixed,omitempty"`
	// Frontend rows are rendered only on ranks that run the API server (a vLLM worker rank runs headless).
	Frontend bool `json:"frontend,omitempty"`
	// Logic names the hand-written piece that renders the flag when it is not a plain 1:1 mapping of Key (in the
	// engine's partial and, for the importer, in the engine's Recognizer); empty for a plain row.
	Logic string `json:"logic,omitempty"`
	// Note says, for a reader of the docs and of error messages, how the flag follows from the values.
	Note string `json:"note,omitempty"`
}

// Plain reports whether the row is a 1:1 mapping that generic code can render and read back.
func (r KeyRow) Plain() bool { return r.Logic == "" && r.Fixed == "" }

// Row returns the row that renders flag (after Aliases), and whether there is one; rank flags included.
func (s *Spec) Row(flag string) (KeyRow, bool) {
	if a, ok := s.Aliases[flag]; ok {
		flag = a
	}
	for _, rows := range [][]KeyRow{s.Keys, s.RankFlags} {
		for _, r := range rows {
			if r.Flag == flag {
				return r, true
			}
		}
	}
	return KeyRow{}, false
}

// Flags lists every flag the chart renders for the engine (rows and rank flags), in spec order, each once.
func (s *Spec) Flags() []string {
	var out []string
	seen := map[string]bool{}
	for _, rows := range [][]KeyRow{s.Keys, s.RankFlags} {
		for _, r := range rows {
			if !seen[r.Flag] {
				seen[r.Flag] = true
				out = append(out, r.Flag)
			}
		}
	}
	return out
}

//go:embed specs/*.yaml
var specFiles embed.FS

var (
	specsOnce sync.Once
	specs     map[Name]*Spec
	specsErr  error
)

// loadSpecs reads every embedded spec once.
func loadSpecs() (map[Name]*Spec, error) {
	specsOnce.Do(func() {
		specs = map[Name]*Spec{}
		for _, n := range []Name{VLLM, SGLang} {
			b, err := specFiles.ReadFile("specs/" + string(n) + ".yaml")
			if err != nil {
				specsErr = err
				return
			}
			s := &Spec{}
			if err := yaml.UnmarshalStrict(b, s); err != nil {
				specsErr = fmt.Errorf("specs/%s.yaml: %w", n, err)
				return
			}
			if s.Name != n {
				specsErr = fmt.Errorf("specs/%s.yaml: name is %q", n, s.Name)
				return
			}
			if err := s.check(); err != nil {
				specsErr = fmt.Errorf("specs/%s.yaml: %w", n, err)
				return
			}
			specs[n] = s
		}
	})
	return specs, specsErr
}

// mustSpec returns the embedded spec of n; the specs are part of the binary, so a broken one is a build defect
// that the package's tests catch.
func mustSpec(n Name) *Spec {
	m, err := loadSpecs()
	if err != nil {
		panic(err)
	}
	return m[n]
}

// check refuses a row the chart could not render or the importer could not read back.
func (s *Spec) check() error {
	types := []ValueType{TypeInt, TypeFloat, TypeString, TypeBool, TypeNegatable, TypeWhen, TypeWords, TypeJSON}
	for _, r := range s.Keys {
		switch {
		case !strings.HasPrefix(r.Flag, "--"):
			return fmt.Errorf("row %q: the flag must start with --", r.Flag)
		case !slices.Contains(types, r.Type):
			return fmt.Errorf("row %s: type %q is not one of %v", r.Flag, r.Type, types)
		case r.Key == "" && r.Fixed == "":
			return fmt.Errorf("row %s: needs a key or a fixed value", r.Flag)
		case (r.Type == TypeWhen) != (r.When != ""):
			return fmt.Errorf("row %s: when is for, and only for, type when", r.Flag)
		}
	}
	for _, r := range s.RankFlags {
		if r.Key == "" || !strings.HasPrefix(r.Flag, "--") {
			return fmt.Errorf("rank flag %q: needs a flag and a key", r.Flag)
		}
	}
	for i, t := range s.ImageTags {
		switch _, err := ParseRelease(t.Since); {
		case (i == 0) != (t.Since == ""):
			return fmt.Errorf("imageTags[%d]: only the first scheme, and every engine's, has no since", i)
		case i > 0 && err != nil:
			return fmt.Errorf("imageTags[%d]: %v", i, err)
		case i > 1 && !MustParseRelease(t.Since).After(MustParseRelease(s.ImageTags[i-1].Since)):
			return fmt.Errorf("imageTags[%d]: the schemes go oldest first", i)
		case len(t.Suffixes) == 0 || t.Source == "":
			return fmt.Errorf("imageTags[%d]: needs suffixes and a source", i)
		}
	}
	if len(s.ImageTags) == 0 {
		return fmt.Errorf("imageTags: the engine's image tag scheme is required")
	}
	return nil
}
