package engine

import (
	"embed"
	"fmt"
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
	// Keys are the values keys the chart renders as flags of this engine.
	Keys []KeyRow `json:"keys,omitempty"`
	// Aliases maps a flag's other spellings (short forms, older names) to the flag the chart renders.
	Aliases map[string]string `json:"aliases,omitempty"`
}

// KeyRow is one values key and the engine flag it renders as.
type KeyRow struct {
	// Key is the values path below a group, e.g. serving.maxNumSeqs or vllm.mambaCacheMode.
	Key string `json:"key"`
	// Flag is the engine flag, e.g. --max-num-seqs.
	Flag string `json:"flag"`
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
