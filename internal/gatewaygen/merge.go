package gatewaygen

import (
	"fmt"

	"github.com/llm-charts/llm-charts/internal/values"
)

// merger merges generated entries into a base: its hand-written entries are kept, its generated ones are replaced
// (their hand-edited fields carried over).
type merger struct {
	r           *Result
	base        *Base
	v           values.GatewayValues
	oldModels   map[string]values.GatewayModel
	handModels  map[string]bool
	oldBackends map[string]values.GatewayBackend
}

// merge returns the base's values with the generated models and backends in place of its generated ones, and
// records the sources, notes and comments in r.
func (r *Result) merge(base *Base, gens []*gen) values.GatewayValues {
	m := &merger{r: r, base: base, v: base.Values, oldModels: map[string]values.GatewayModel{}, handModels: map[string]bool{}, oldBackends: map[string]values.GatewayBackend{}}
	// copy of the top level; models and backends rebuilt below
	m.v.Models = nil
	m.v.Backends = map[string]values.GatewayBackend{}
	for i, mod := range base.Values.Models {
		if base.genModels[i] {
			m.oldModels[mod.Name] = mod
			continue
		}
		m.handModels[mod.Name] = true
		m.v.Models = append(m.v.Models, mod)
	}
	for k, b := range base.Values.Backends {
		if base.genBackends[k] {
			m.oldBackends[k] = b
			continue
		}
		m.v.Backends[k] = b
	}
	for _, g := range gens {
		r.Sources = append(r.Sources, g.src)
		m.addBackend(g)
		m.addModel(g, g.model, fmt.Sprintf("%s, public name from %s", g.src.Model, g.src.PublicNameWhy))
		for _, a := range g.adapters {
			m.addModel(g, a, fmt.Sprintf("LoRA adapter %s (%s) on %s, served by the engine under its adapter name", a.Name, g.adapterSource[a.Name], g.src.Model))
		}
	}
	if len(m.v.Backends) == 0 {
		m.v.Backends = nil
	}
	return m.v
}

// addBackend adds g's backend, unless a hand-written one has its key; hand edits of its earlier version are kept.
func (m *merger) addBackend(g *gen) {
	r, key := m.r, g.src.Backend
	if _, hand := m.v.Backends[key]; hand {
		r.Notes = append(r.Notes, fmt.Sprintf("backends.%s: the hand-written entry of %s is kept instead of the one generated from %s", key, m.base.Path, g.src.Path))
		return
	}
	b := g.back
	if old, ok := m.oldBackends[key]; ok && b.InferencePool == nil {
		if b.APIKeySecret == nil {
			b.APIKeySecret = old.APIKeySecret
		}
		b.Schema, b.TLS = old.Schema, old.TLS
		if b.Namespace == "" {
			b.Namespace = old.Namespace
		}
	}
	if g.keySecret != "" && b.APIKeySecret == nil {
		r.Notes = append(r.Notes, fmt.Sprintf("%s: the engine wants an API key (Secret %s, key %s), but the gateway sends the key \"apiKey\" of a Secret: create one and set backends.%s.apiKeySecret (chartgen keeps it)",
			g.src.Path, g.keySecret, g.keyName, key))
	}
	m.v.Backends[key] = b
	r.backendComments[key] = fmt.Sprintf("%s from %s\nService %s.%s:%d, named from the %s", Marker, g.src.Path, g.src.Service, nsText(g.src.Namespace), g.src.Port, g.src.ReleaseInfo)
	if g.src.Pool {
		r.backendComments[key] = fmt.Sprintf("%s from %s\nInferencePool %s.%s (inferencePool.enabled), named from the %s", Marker, g.src.Path, g.src.Service, nsText(g.src.Namespace), g.src.ReleaseInfo)
	}
}

// addModel adds a generated model of g, unless a hand-written one has its name; hand edits of its earlier version
// are kept.
func (m *merger) addModel(g *gen, mod values.GatewayModel, comment string) {
	r := m.r
	if m.handModels[mod.Name] {
		r.Notes = append(r.Notes, fmt.Sprintf("models %q: the hand-written entry of %s is kept instead of the one generated from %s", mod.Name, m.base.Path, g.src.Path))
		return
	}
	if old, ok := m.oldModels[mod.Name]; ok {
		mod.Route, mod.RuleName, mod.Timeout, mod.ModelsOwnedBy = old.Route, old.RuleName, old.Timeout, old.ModelsOwnedBy
	}
	r.modelComments[len(m.v.Models)] = fmt.Sprintf("%s from %s\n%s", Marker, g.src.Path, comment)
	m.v.Models = append(m.v.Models, mod)
}

// setTopLevel sets gateway.name and routes.buckets when the options give them, keeping the base's other fields.
func (opts Options) setTopLevel(v *values.GatewayValues) {
	if opts.Gateway != "" {
		gw := values.GatewayParentRef{}
		if v.Gateway != nil {
			gw = *v.Gateway
		}
		gw.Name = opts.Gateway
		v.Gateway = &gw
	}
	if opts.Buckets > 0 {
		rt := values.GatewayRoutes{}
		if v.Routes != nil {
			rt = *v.Routes
		}
		rt.Buckets = opts.Buckets
		v.Routes = &rt
	}
}
