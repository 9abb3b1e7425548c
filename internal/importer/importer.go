// Package importer ports existing vLLM and SGLang manifests (a StatefulSet, a Deployment or a LeaderWorkerSet, with
// its Service and, for a Deployment, its PersistentVolumeClaim) onto the llm-model chart: it returns the values that render the equivalent
// StatefulSet, the list of everything it could not map (nothing is dropped silently) and notes on what changes.
//
// The engine command may be a YAML list or a `bash -c` string: the string is tokenized as a shell would, the
// commands before the engine (joined by && or ;) become serving.preStartCommands, and every engine flag is mapped to
// a typed value through the engine's spec (internal/engine/specs: the values key of each flag the chart renders);
// flags the chart has no value for go to serving.extraArgs, in order, and are listed. Which engine a command starts,
// and what only that engine knows about reading its flags, the engine answers (engine.Recognizer).
//
// The work is done on the decoded objects as maps: each field is taken out of the map as it is mapped, and whatever
// is left at the end is listed as not mapped. One file per object: workload.go, pod.go, container.go, env.go,
// volumes.go (and cache.go for the Hugging Face cache), service.go, lws.go; the engine command in flags.go and
// shell.go, its flags read back by row in rows.go and logic.go.
package importer

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/llm-charts/llm-charts/internal/engine"
	"github.com/llm-charts/llm-charts/internal/values"
	"github.com/llm-charts/llm-charts/schema"
	yamlutil "k8s.io/apimachinery/pkg/util/yaml"
)

// Result is one imported workload.
type Result struct {
	// Source names the workload, e.g. "Deployment nrp-llm/minimax-vllm-inference".
	Source string
	// Namespace of the workload: install the release there.
	Namespace string
	// Values render the equivalent StatefulSet with the llm-model chart.
	Values values.Model
	// Unmapped lists what the values do not carry, each "path: what (why)".
	Unmapped []string
	// Notes explain deliberate changes and the steps to move onto the chart (e.g. moving a Deployment's data).
	Notes []string
}

// Object is one decoded manifest document.
type Object struct {
	File string
	M    map[string]any
}

func (o Object) kind() string { s, _ := o.M["kind"].(string); return s }
func (o Object) name() string { return str(get(o.M, "metadata", "name")) }
func (o Object) ns() string   { return str(get(o.M, "metadata", "namespace")) }

// Read decodes every YAML document of a manifest file (empty documents and Lists are handled).
func Read(file string, data []byte) ([]Object, error) {
	var out []Object
	dec := yamlutil.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
	for {
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			if err == io.EOF {
				break
			}
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		if len(m) == 0 {
			continue
		}
		if str(m["kind"]) == "List" {
			items, _ := m["items"].([]any)
			for _, it := range items {
				if im, ok := it.(map[string]any); ok {
					out = append(out, Object{File: file, M: im})
				}
			}
			continue
		}
		out = append(out, Object{File: file, M: m})
	}
	return out, nil
}

// Import maps every StatefulSet and Deployment among objs. Objects that belong to no workload (other kinds, a
// Service or PVC no workload uses) are reported in the first result's Unmapped list (or as an error when there is no
// workload at all).
func Import(objs []Object) ([]Result, error) {
	var results []Result
	used := map[int]bool{}
	for i, o := range objs {
		if k := o.kind(); k != "StatefulSet" && k != "Deployment" && k != "LeaderWorkerSet" {
			continue
		}
		used[i] = true
		r := importWorkload(o, objs, used)
		results = append(results, r)
	}
	if len(results) == 0 {
		return nil, fmt.Errorf("no StatefulSet, Deployment or LeaderWorkerSet among the %d documents", len(objs))
	}
	for i, o := range objs {
		if !used[i] {
			results[0].Unmapped = append(results[0].Unmapped, fmt.Sprintf("%s %s (%s): not used by any imported workload", o.kind(), o.name(), o.File))
		}
	}
	return results, nil
}

// state is one workload being imported.
type state struct {
	r       *Result
	v       *values.Model
	group   *values.ResourceGroup
	serving *values.Serving
	vllm    *values.VLLM
	name    string
	kind    string
	// fullname is the chart's fullname: the new StatefulSet and Service name.
	fullname string
	ignored  []string
	// engine is the engine the command starts (the default engine until the command is read); enginePort its
	// --port.
	engine     engine.Engine
	enginePort int
	// epSize is SGLang's --ep-size as written; nodesFromFlag the engine's --nnodes.
	epSize        string
	nodesFromFlag int
	// downloadDir is the engine's --download-dir ("" when absent); gpus the container's GPU limit.
	downloadDir string
	gpus        int
	// cacheEnv holds the variables that place the Hugging Face cache (HF_HUB_CACHE, HF_HOME, XDG_CACHE_HOME).
	cacheEnv map[string]string
	// secretEnv holds the container's variables taken from a single Secret key that no credential took yet.
	secretEnv map[string]*values.SecretKey
	// containerPortByName maps the engine container's port names to their numbers (a Service's named targetPort).
	containerPortByName map[string]string
	// kserveModel, kserveRevision and kserveDest come from KServe's storage-initializer (hf:// sources).
	kserveModel, kserveRevision, kserveDest string
	// lws is set for a LeaderWorkerSet (its group size and worker template).
	lws *lwsInput
}

func (s *state) unmapped(format string, args ...any) {
	s.r.Unmapped = append(s.r.Unmapped, fmt.Sprintf(format, args...))
}

func (s *state) note(format string, args ...any) {
	s.r.Notes = append(s.r.Notes, fmt.Sprintf(format, args...))
}

func importWorkload(o Object, all []Object, used map[int]bool) Result {
	m := deepCopy(o.M)
	r := Result{Source: fmt.Sprintf("%s %s/%s (%s)", o.kind(), o.ns(), o.name(), o.File), Namespace: o.ns()}
	s := &state{r: &r, v: &r.Values, name: o.name(), kind: o.kind(), engine: engine.Default(),
		group: &values.ResourceGroup{}, serving: &values.Serving{}, vllm: &values.VLLM{},
		cacheEnv: map[string]string{}, secretEnv: map[string]*values.SecretKey{}, containerPortByName: map[string]string{}}
	// The engine blocks are filled in place (rows.go sets values keys by path) and left out at the end when empty.
	s.v.Serving, s.v.VLLM = s.serving, s.vllm
	take(m, "apiVersion")
	take(m, "kind")
	if s.kind == "LeaderWorkerSet" {
		s.fromLWS(m)
		s.compareWorker(get(m, "spec", "template", "spec"))
	}
	s.ignoreClusterFields(m)
	// The chart's fullname: the workload's name, or for a workload that is replaced anyway (a Deployment, a
	// LeaderWorkerSet) the name of its Service, which clients use.
	s.fullname = s.name
	tl, _ := get(m, "spec", "template", "metadata", "labels").(map[string]any)
	// A LeaderWorkerSet with claims keeps its name too: its pods' PVCs carry it (<volume>-<name>-<instance>[-<rank>]).
	keepsName := s.kind == "StatefulSet" || s.kind == "LeaderWorkerSet" && !empty(get(m, "spec", "volumeClaimTemplates"))
	if i := matchService(all, used, s.podLabels(tl)); i >= 0 && !keepsName && len(all[i].name()) <= 52 {
		s.fullname = all[i].name()
	}
	s.metadata(m)
	pod := s.workloadSpec(m, all, used)
	s.finish()
	s.v.ResourceGroups = []values.ResourceGroup{*s.group}
	if isZero(s.serving) {
		s.v.Serving = nil
	}
	if isZero(s.vllm) {
		s.v.VLLM = nil
	}
	if isZero(s.v.SGLang) {
		s.v.SGLang = nil
	}
	s.service(all, used, s.podLabels(pod))
	leftovers(s.kind, m, &r.Unmapped, s)
	if len(s.ignored) > 0 {
		sort.Strings(s.ignored)
		s.note("ignored fields the cluster sets: %s", strings.Join(s.ignored, ", "))
	}
	if err := schema.Validate(schema.LLMModel, r.Values); err != nil {
		s.unmapped("the imported values do not validate against the chart's schema: %v", err)
	}
	return r
}

func (s *state) ignoreClusterFields(m map[string]any) {
	for _, p := range [][]string{{"status"}, {"metadata", "uid"}, {"metadata", "resourceVersion"}, {"metadata", "generation"},
		{"metadata", "creationTimestamp"}, {"metadata", "managedFields"}, {"metadata", "selfLink"},
		{"metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"},
		{"metadata", "annotations", "deployment.kubernetes.io/revision"},
		{"spec", "template", "metadata", "creationTimestamp"}} {
		if v, ok := take(m, p...); ok && !empty(v) {
			s.ignored = append(s.ignored, strings.Join(p, "."))
		}
	}
}

func (s *state) metadata(m map[string]any) {
	name := str(takeV(m, "metadata", "name"))
	if len(s.fullname) > 52 {
		s.unmapped("metadata.name %q: over 52 characters, the chart's limit (controller-revision-hash); fullnameOverride left empty", s.fullname)
	} else {
		s.v.FullnameOverride = s.fullname
	}
	if ns := str(takeV(m, "metadata", "namespace")); ns != "" {
		s.note("install the release in namespace %s: helm install RELEASE ./charts/llm-model -n %s -f VALUES", ns, ns)
	}
	labels, _ := get(m, "metadata", "labels").(map[string]any)
	for k, v := range labels {
		if (k == "app" && v == name) || (k == "component" && v == "llm") {
			delete(labels, k) // the chart sets both
		}
	}
}

// leftovers lists every non-empty field left in m.
func leftovers(prefix string, v any, out *[]string, s *state) {
	switch t := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			leftovers(prefix+"."+k, t[k], out, s)
		}
	default:
		if !empty(v) {
			*out = append(*out, fmt.Sprintf("%s: %s (no values key)", prefix, jsonString(v)))
		}
	}
}
