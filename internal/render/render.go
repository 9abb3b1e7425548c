// Package render renders a chart exactly as `helm template` does: the chart is
// loaded, values are coalesced and validated against values.schema.json by
// Helm's own code, templates run in strict mode, and manifests come out sorted
// in install order with `# Source:` headers. Release name, namespace and
// Kubernetes version are pinned by the caller so the output is reproducible.
package render

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"

	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/release"
	"sigs.k8s.io/yaml"
)

// Options pins everything that would otherwise vary between runs.
type Options struct {
	ReleaseName string // default "test"
	Namespace   string // default "default"
	KubeVersion string // default DefaultKubeVersion
	// APIVersions are the APIs the cluster serves beyond the built-in ones, as `helm template --api-versions` takes
	// them; nil renders as for a cluster with every optional CRD (OptionalAPIs), an empty list as for a bare one.
	APIVersions []string
}

// OptionalAPIs are the custom resources the charts render when values turn them on (llm-model's capability checks,
// templates/_capabilities.tpl): KEDA, LeaderWorkerSet, InferencePool and the Prometheus Operator's monitors.
var OptionalAPIs = []string{"keda.sh/v1alpha1/ScaledObject", "leaderworkerset.x-k8s.io/v1/LeaderWorkerSet",
	"inference.networking.k8s.io/v1/InferencePool", "monitoring.coreos.com/v1/ServiceMonitor", "monitoring.coreos.com/v1/PodMonitor"}

// DefaultKubeVersion is the Kubernetes version the charts are rendered for
// when the caller does not say: the version the API-server tests run.
const DefaultKubeVersion = "v1.37.2"

// Result is one rendering.
type Result struct {
	// Manifest is the whole output as `helm template` prints it, hooks last.
	Manifest string
	// Notes is the rendered NOTES.txt ("" when the chart has none).
	Notes string
	// Docs are the rendered documents in output order.
	Docs []Doc
}

// Doc is one rendered Kubernetes document.
type Doc struct {
	Source string         // template path, e.g. llm-model/templates/statefulset.yaml
	Body   string         // the YAML text
	Object map[string]any // the decoded object
	Hook   bool           // true for hook documents (e.g. helm test pods)
}

// Kind returns the document's kind.
func (d Doc) Kind() string { s, _ := d.Object["kind"].(string); return s }

// Name returns metadata.name.
func (d Doc) Name() string {
	md, _ := d.Object["metadata"].(map[string]any)
	s, _ := md["name"].(string)
	return s
}

// Load loads a chart directory once, so that many renderings can share it.
func Load(chartDir string) (*chart.Chart, error) {
	c, err := loader.Load(chartDir)
	if err != nil {
		return nil, fmt.Errorf("loading chart %s: %w", chartDir, err)
	}
	return c, nil
}

// ReadValues parses a values file's bytes as Helm does.
func ReadValues(data []byte) (map[string]any, error) {
	v, err := chartutil.ReadValues(data)
	if err != nil {
		return nil, err
	}
	return v.AsMap(), nil
}

// Chart renders a loaded chart with the given user values.
func Chart(c *chart.Chart, values map[string]any, opts Options) (*Result, error) {
	if opts.ReleaseName == "" {
		opts.ReleaseName = "test"
	}
	if opts.Namespace == "" {
		opts.Namespace = "default"
	}
	if opts.KubeVersion == "" {
		opts.KubeVersion = DefaultKubeVersion
	}
	kv, err := chartutil.ParseKubeVersion(opts.KubeVersion)
	if err != nil {
		return nil, err
	}
	install := action.NewInstall(&action.Configuration{Log: func(string, ...any) {}})
	install.DryRun = true
	install.ClientOnly = true
	install.Replace = true
	install.ReleaseName = opts.ReleaseName
	install.Namespace = opts.Namespace
	install.KubeVersion = kv
	install.APIVersions = chartutil.VersionSet(OptionalAPIs)
	if opts.APIVersions != nil {
		install.APIVersions = chartutil.VersionSet(opts.APIVersions)
	}
	if values == nil {
		values = map[string]any{}
	}
	rel, err := install.RunWithContext(context.Background(), c, values)
	if err != nil {
		return nil, cleanError(err)
	}
	return collect(rel)
}

// cleanError strips Helm's wrapping so that the message a user sees names the
// key and the rule, as `helm template` prints it.
func cleanError(err error) error {
	msg := err.Error()
	msg = strings.TrimSpace(msg)
	return fmt.Errorf("%s", msg)
}

func collect(rel *release.Release) (*Result, error) {
	res := &Result{Notes: rel.Info.Notes}
	var out bytes.Buffer
	out.WriteString(rel.Manifest)
	docs, err := splitManifest(rel.Manifest, false)
	if err != nil {
		return nil, err
	}
	hooks := append([]*release.Hook(nil), rel.Hooks...)
	sort.SliceStable(hooks, func(i, j int) bool { return hooks[i].Path < hooks[j].Path })
	for _, h := range hooks {
		fmt.Fprintf(&out, "---\n# Source: %s\n%s\n", h.Path, strings.TrimSpace(h.Manifest))
		obj := map[string]any{}
		if err := yaml.Unmarshal([]byte(h.Manifest), &obj); err != nil {
			return nil, fmt.Errorf("%s: %w", h.Path, err)
		}
		docs = append(docs, Doc{Source: h.Path, Body: h.Manifest, Object: obj, Hook: true})
	}
	res.Manifest = out.String()
	res.Docs = docs
	return res, nil
}

// splitManifest cuts Helm's manifest text at its `---\n# Source:` separators.
func splitManifest(manifest string, hook bool) ([]Doc, error) {
	var docs []Doc
	for _, part := range strings.Split(manifest, "\n---\n") {
		part = strings.TrimPrefix(strings.TrimSpace(part), "---\n")
		if strings.TrimSpace(part) == "" {
			continue
		}
		src := ""
		body := part
		if strings.HasPrefix(part, "# Source: ") {
			line, rest, _ := strings.Cut(part, "\n")
			src = strings.TrimPrefix(line, "# Source: ")
			body = rest
		}
		obj := map[string]any{}
		if err := yaml.Unmarshal([]byte(body), &obj); err != nil {
			return nil, fmt.Errorf("%s: %w", src, err)
		}
		if len(obj) == 0 {
			continue
		}
		docs = append(docs, Doc{Source: src, Body: body, Object: obj, Hook: hook})
	}
	return docs, nil
}
