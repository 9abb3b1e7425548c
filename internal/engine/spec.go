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
	// DefaultRelease is the release the chart and chartgen target when image.version is not set: the newest one
	// with a flag table (internal/flagtable/tables/<name>/).
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
	return nil
}
