// Package importer ports existing vLLM manifests (a StatefulSet or a Deployment, with its Service and, for a
// Deployment, its PersistentVolumeClaim) onto the llm-model chart: it returns the values that render the equivalent
// StatefulSet, the list of everything it could not map (nothing is dropped silently) and notes on what changes.
//
// The engine command may be a YAML list or a `bash -c` string: the string is tokenized as a shell would, the
// commands before the engine (joined by && or ;) become serving.preStartCommands, and every vLLM flag is mapped to a
// typed value; flags the chart has no value for go to serving.extraArgs, in order, and are listed.
//
// The work is done on the decoded objects as maps: each field is taken out of the map as it is mapped, and whatever
// is left at the end is listed as not mapped.
package importer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/llm-charts/llm-charts/internal/values"
	"github.com/llm-charts/llm-charts/schema"
	"k8s.io/apimachinery/pkg/api/resource"
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
	sglang   *values.SGLang
	// engine is the engine the command starts (values.EngineVLLM or EngineSGLang); enginePort its --port.
	engine     string
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
	s := &state{r: &r, v: &r.Values, name: o.name(), kind: o.kind(), engine: values.EngineVLLM,
		group: &values.ResourceGroup{}, serving: &values.Serving{}, vllm: &values.VLLM{},
		cacheEnv: map[string]string{}, secretEnv: map[string]*values.SecretKey{}, containerPortByName: map[string]string{}}
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
	if !isZero(s.serving) {
		s.v.Serving = s.serving
	}
	if !isZero(s.vllm) {
		s.v.VLLM = s.vllm
	}
	if !isZero(s.sglang) {
		s.v.SGLang = s.sglang
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

// chartLabels are the pod labels the chart sets itself (charts/llm-model/templates/_validate.tpl refuses them in
// podLabels).
var chartLabels = map[string]bool{"app": true, "service-group": true, "component": true, "llm-charts.io/role": true,
	"helm.sh/chart": true, "app.kubernetes.io/name": true, "app.kubernetes.io/instance": true,
	"app.kubernetes.io/version": true, "app.kubernetes.io/managed-by": true, "app.kubernetes.io/part-of": true}

// workloadSpec maps spec and returns the pod labels.
func (s *state) workloadSpec(m map[string]any, all []Object, used map[int]bool) map[string]any {
	if v, ok := take(m, "spec", "replicas"); ok {
		n := toInt(v)
		if n != 1 {
			s.group.Replicas = &n
		}
	}
	sel, _ := take(m, "spec", "selector")
	if sm, ok := sel.(map[string]any); ok {
		ml, _ := sm["matchLabels"].(map[string]any)
		if len(sm) != 1 || len(ml) != 1 || ml["app"] != s.name {
			s.note("the selector changes from %s to app + app.kubernetes.io/name + app.kubernetes.io/instance (selectors are immutable)", jsonString(sel))
		}
	}
	if s.kind == "StatefulSet" {
		if v := str(takeV(m, "spec", "serviceName")); v != "" && v != s.name {
			s.unmapped("spec.serviceName %q: the chart uses the fullname %q", v, s.name)
		}
		if v := str(takeV(m, "spec", "podManagementPolicy")); v != "" && v != "OrderedReady" {
			s.unmapped("spec.podManagementPolicy %s: the chart uses OrderedReady", v)
		}
		if v, ok := take(m, "spec", "persistentVolumeClaimRetentionPolicy"); ok {
			pm, _ := v.(map[string]any)
			if str(pm["whenDeleted"]) != "Retain" || str(pm["whenScaled"]) != "Retain" {
				s.unmapped("spec.persistentVolumeClaimRetentionPolicy %s: the chart keeps PVCs (Retain/Retain)", jsonString(v))
			}
		} else {
			s.note("the chart sets persistentVolumeClaimRetentionPolicy Retain/Retain (the Kubernetes default too)")
		}
		s.note("to move onto the chart: kubectl -n %s delete statefulset %s (its PVCs stay), then helm install; the StatefulSet and volume claim template keep their names, so the new pods mount the same PVCs and the downloaded weights", s.r.Namespace, s.name)
	} else {
		for _, f := range []string{"strategy", "revisionHistoryLimit", "progressDeadlineSeconds", "minReadySeconds"} {
			if v, ok := take(m, "spec", f); ok && !empty(v) {
				s.unmapped("spec.%s %s: Deployment-only, a StatefulSet has no such field", f, jsonString(v))
			}
		}
		if s.lws != nil && s.lws.size > 1 {
			s.lwsMoveNote(!empty(get(m, "spec", "volumeClaimTemplates")))
		} else {
			s.note("the %s is ported to a StatefulSet %s (OrderedReady, PVCs kept on delete and scale-down); kubectl -n %s delete %s %s before helm install", s.kind, s.fullname, s.r.Namespace, strings.ToLower(s.kind), s.name)
		}
	}
	tm, _ := get(m, "spec", "template").(map[string]any)
	if tm == nil {
		s.unmapped("spec.template: missing")
		return nil
	}
	podLabels := map[string]any{}
	if l, ok := get(tm, "metadata", "labels").(map[string]any); ok {
		keys := make([]string, 0, len(l))
		for k := range l {
			keys = append(keys, k)
		}
		sort.Strings(keys) // the not-mapped list in a fixed order
		for _, k := range keys {
			v := l[k]
			podLabels[k] = v
			if (k == "app" && (v == s.name || v == s.fullname)) || (k == "component" && v == "llm") {
				delete(l, k)
				continue
			}
			delete(l, k)
			if chartLabels[k] {
				s.unmapped("pod label %s=%v: the chart sets this label itself (its selectors use it); a Service or client selecting pods by it must use the chart's labels", k, v)
				continue
			}
			if s.v.PodLabels == nil {
				s.v.PodLabels = map[string]string{}
			}
			s.v.PodLabels[k] = str(v)
		}
	}
	if a, ok := take(tm, "metadata", "annotations"); ok {
		for k, v := range a.(map[string]any) {
			if s.v.PodAnnotations == nil {
				s.v.PodAnnotations = map[string]string{}
			}
			s.v.PodAnnotations[k] = str(v)
		}
	}
	spec, _ := tm["spec"].(map[string]any)
	if spec == nil {
		return podLabels
	}
	s.podSpec(spec, m, all, used)
	return podLabels
}

func (s *state) podSpec(p, workload map[string]any, all []Object, used map[int]bool) {
	if v := str(takeV(p, "priorityClassName")); v != "" {
		s.v.PriorityClassName = v
	}
	if v, ok := take(p, "securityContext"); ok {
		s.v.PodSecurityContext, _ = v.(map[string]any)
	}
	if v := str(takeV(p, "restartPolicy")); v != "" && v != "Always" {
		s.unmapped("spec.template.spec.restartPolicy %s: a StatefulSet's pods restart Always", v)
	}
	if v, ok := take(p, "nodeSelector"); ok {
		s.v.Scheduling = orNew(s.v.Scheduling)
		s.v.Scheduling.NodeSelector = map[string]string{}
		for k, x := range v.(map[string]any) {
			s.v.Scheduling.NodeSelector[k] = str(x)
		}
	}
	if v, ok := take(p, "initContainers"); ok {
		for _, c := range asList(v) {
			s.initContainer(c.(map[string]any))
		}
	}
	containers, _ := p["containers"].([]any)
	if len(containers) != 1 {
		s.unmapped("spec.template.spec.containers: %d containers; the chart runs exactly one engine container", len(containers))
	}
	gpus := 0
	if len(containers) > 0 {
		c := containers[0].(map[string]any)
		gpus = s.container(c, p, workload, all, used)
		if len(c) == 0 {
			containers = containers[1:]
			if len(containers) == 0 {
				delete(p, "containers")
			} else {
				p["containers"] = containers
			}
		}
	}
	s.affinity(p)
	s.tolerations(p, gpus)
}

func (s *state) affinity(p map[string]any) {
	terms, _ := get(p, "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms").([]any)
	gpu := orNew(s.group.GPU)
	var compute, driver *int
	if len(terms) == 1 {
		term := terms[0].(map[string]any)
		exprs, _ := term["matchExpressions"].([]any)
		var rest []any
		for _, e := range exprs {
			em := e.(map[string]any)
			key, op := str(em["key"]), str(em["operator"])
			vals, _ := em["values"].([]any)
			one := ""
			if len(vals) == 1 {
				one = str(vals[0])
			}
			switch {
			case key == "nvidia.com/gpu.memory" && op == "Gt" && isInt(one):
				n := int64(toInt(one))
				gpu.MemoryMiBGt = &n
			case key == "nvidia.com/gpu.compute.major" && op == "Gt" && isInt(one):
				n := toInt(one)
				compute = &n
			case key == "nvidia.com/cuda.driver.major" && op == "Gt" && isInt(one):
				n := toInt(one)
				driver = &n
			case key == "nvidia.com/gpu.product" && op == "In":
				for _, x := range vals {
					gpu.Products = append(gpu.Products, str(x))
				}
			default:
				rest = append(rest, e)
			}
		}
		for _, e := range rest {
			s.unmapped("node affinity %s: the chart's affinity has GPU memory, product, compute and driver rules only", jsonString(e))
		}
		delete(term, "matchExpressions")
		if len(term) == 0 {
			take(p, "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms")
		}
	} else if len(terms) > 1 {
		s.unmapped("node affinity: %d nodeSelectorTerms (ORed); the chart renders one term", len(terms))
		take(p, "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms")
	}
	// The CUDA build whose default thresholds match; explicit thresholds only where they differ.
	cuda := values.CUDA13
	if compute != nil && driver != nil && *compute == 6 && *driver == 565 {
		cuda = values.CUDA129
	}
	if s.v.Image != nil && s.v.Image.CUDA != "" {
		cuda = s.v.Image.CUDA
	}
	def := map[string][2]int{values.CUDA13: {7, 575}, values.CUDA129: {6, 565}}[cuda]
	if compute == nil || driver == nil {
		s.unmapped("node affinity: no nvidia.com/gpu.compute.major or nvidia.com/cuda.driver.major Gt rule; the chart always adds them (CUDA %s defaults %d and %d)", cuda, def[0], def[1])
	}
	if compute != nil && *compute != def[0] {
		gpu.ComputeMajorGt = compute
	}
	if driver != nil && *driver != def[1] {
		gpu.DriverMajorGt = driver
	}
	if cuda != values.CUDA13 {
		s.v.Image = orNew(s.v.Image)
		s.v.Image.CUDA = cuda
	}
	s.group.GPU = gpu
}

func (s *state) tolerations(p map[string]any, gpus int) {
	list, _ := take(p, "tolerations")
	sc := orNew(s.v.Scheduling)
	preferNoSchedule, largeGPU := false, false
	for _, t := range asList(list) {
		tm := t.(map[string]any)
		key, op, val, eff := str(tm["key"]), str(tm["operator"]), str(tm["value"]), str(tm["effect"])
		switch {
		case key == "nautilus.io/reservation" && op == "Equal" && eff == "NoSchedule" && sc.Reservation == "":
			sc.Reservation = val
		case key == "nvidia.com/gpu" && op == "Exists" && eff == "PreferNoSchedule":
			preferNoSchedule = true
		case key == "nautilus.io/hardware" && op == "Equal" && val == "large-gpu" && eff == "NoSchedule" && (gpus == 4 || gpus == 8):
			largeGPU = true
		default:
			sc.Tolerations = append(sc.Tolerations, tm)
		}
	}
	if !preferNoSchedule {
		f := false
		sc.GPUPreferNoSchedule = &f
	}
	if (gpus == 4 || gpus == 8) && !largeGPU {
		f := false
		sc.LargeGPU = &values.LargeGPU{Enabled: &f}
		s.note("the large-gpu toleration is absent at %d GPUs, so scheduling.largeGpu.enabled is false; the guide's rule gives 4- and 8-GPU pods the toleration: set it to true to follow the guide", gpus)
	}
	if !isZero(sc) {
		s.v.Scheduling = sc
	}
}

// container maps the engine container and returns its GPU count.
func (s *state) container(c, pod, workload map[string]any, all []Object, used map[int]bool) int {
	containerName := str(takeV(c, "name"))
	image := str(takeV(c, "image"))
	if v := str(takeV(c, "imagePullPolicy")); v != "" {
		s.v.Image = orNew(s.v.Image)
		s.v.Image.PullPolicy = v
	}
	if v, ok := take(c, "securityContext"); ok {
		s.v.SecurityContext, _ = v.(map[string]any)
	}
	cmd, _ := take(c, "command")
	args, _ := take(c, "args")
	s.envFrom(c)
	s.env(c)
	s.image(image, asStrings(cmd), asStrings(args))
	s.command(asStrings(cmd), asStrings(args))
	s.unusedSecretEnv()
	if containerName != "" && containerName != s.engine {
		s.note("the container %q is named %s by the chart", containerName, s.engine)
	}
	gpus := s.resources(c)
	s.gpus = gpus
	s.ports(c)
	s.probes(c)
	s.volumes(c, pod, workload, all, used)
	return gpus
}

// image maps the image reference; the engine's own repository (as the chart defaults it) is left out. The command is
// looked at only to tell which engine's repository is the default.
func (s *state) image(ref string, cmd, args []string) {
	if ref == "" {
		return
	}
	s.v.Image = orNew(s.v.Image)
	repo, tag := ref, ""
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		repo, tag = ref[:i], ref[i+1:]
	}
	def := "vllm/vllm-openai"
	if strings.Contains(strings.Join(append(cmd, args...), " "), "sglang.launch_server") {
		def = "lmsysorg/sglang"
	}
	if r := strings.TrimPrefix(repo, "docker.io/"); r != def {
		s.v.Image.Repository = repo
	}
	switch {
	case strings.ContainsAny(tag, "<> "):
		s.unmapped("image tag %q: a placeholder, not a tag; the chart's default (the newest vLLM release with a flag table + CUDA suffix) applies: set image.tag", tag)
	case tag != "":
		s.v.Image.Tag = tag
		if strings.Contains(tag, "cu129") {
			s.v.Image.CUDA = values.CUDA129
		}
	}
}

func (s *state) envFrom(c map[string]any) {
	list, _ := take(c, "envFrom")
	creds := orNew(s.v.Credentials)
	for _, e := range asList(list) {
		em := e.(map[string]any)
		switch {
		case get(em, "configMapRef", "name") != nil && creds.ConfigMapName == "" && len(em) == 1:
			creds.ConfigMapName = str(get(em, "configMapRef", "name"))
		case get(em, "secretRef", "name") != nil && creds.SecretName == "" && len(em) == 1:
			creds.SecretName = str(get(em, "secretRef", "name"))
		default:
			s.unmapped("envFrom %s: the chart takes one Secret (credentials.secretName) and one ConfigMap (credentials.configMapName), without prefix or optional", jsonString(e))
		}
	}
	if !isZero(creds) {
		s.v.Credentials = creds
	}
}

var chartEnv = map[string]bool{
	"VLLM_RPC_TIMEOUT": true, "VLLM_EXECUTE_MODEL_TIMEOUT_SECONDS": true, "VLLM_ENGINE_ITERATION_TIMEOUT_S": true,
	"PYTORCH_ALLOC_CONF": true, "VLLM_WEIGHT_OFFLOADING_DISABLE_PIN_MEMORY": true, "VLLM_WEIGHT_OFFLOADING_DISABLE_UVA": true,
	"VLLM_ALLOW_LONG_MAX_MODEL_LEN": true,
}

// tokenEnv are the variables huggingface_hub reads the Hub token from, in its order (utils/_auth.py
// _get_token_from_environment: HF_TOKEN, else the legacy HUGGING_FACE_HUB_TOKEN); the chart renders HF_TOKEN.
var tokenEnv = []string{"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"}

// hubCacheEnv are the variables that place huggingface_hub's cache (constants.py): HF_HUB_CACHE (legacy
// HUGGINGFACE_HUB_CACHE), else $HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub. The chart sets its own from
// storage (XDG_CACHE_HOME with storage.engineCaches, HF_HUB_CACHE with storage.hubCacheDir).
var hubCacheEnv = map[string]bool{"HF_HUB_CACHE": true, "HUGGINGFACE_HUB_CACHE": true, "HF_HOME": true, "XDG_CACHE_HOME": true}

func (s *state) env(c map[string]any) {
	list, _ := take(c, "env")
	tokens := map[string]*values.SecretKey{}
	for _, e := range asList(list) {
		em := e.(map[string]any)
		name := str(em["name"])
		ref, _ := get(em, "valueFrom", "secretKeyRef").(map[string]any)
		val, hasVal := em["value"]
		switch {
		case ref != nil && len(ref) <= 2 && len(em) == 2:
			sk := &values.SecretKey{SecretName: str(ref["name"]), Key: str(ref["key"])}
			switch {
			case contains(tokenEnv, name):
				tokens[name] = sk
			case name == "VLLM_API_KEY":
				s.setAPIKey(name, sk) // vllm/envs.py VLLM_API_KEY: the key the server requires
			default:
				s.secretEnv[name] = sk // claimed by --api-key $(NAME), else listed
			}
		case hasVal && (contains(tokenEnv, name) || name == "VLLM_API_KEY" || strings.HasPrefix(str(val), "hf_")):
			s.unmapped("env %s: a secret in plain text, NOT copied; put it in a Secret and reference it with credentials", name)
		case hasVal && hubCacheEnv[name] && len(em) == 2:
			s.cacheEnv[name] = str(val)
		case hasVal && name == "VLLM_ALLOW_LONG_MAX_MODEL_LEN":
			b := str(val) == "1" || strings.EqualFold(str(val), "true")
			s.vllm.AllowLongMaxModelLen = &b
		case hasVal && chartEnv[name]:
			s.setEnv(name, str(val)) // kept as given; the chart's own value for it is replaced
		case hasVal && len(em) == 2:
			s.setEnv(name, str(val))
		default:
			s.unmapped("env %s %s: only plain values and single Secret keys map to values", name, jsonString(e))
		}
	}
	// The token huggingface_hub uses: HF_TOKEN, else the legacy name; the chart passes it as HF_TOKEN.
	for _, name := range tokenEnv {
		sk, ok := tokens[name]
		if !ok {
			continue
		}
		creds := orNew(s.v.Credentials)
		if creds.HFToken == nil {
			creds.HFToken = sk
			s.v.Credentials = creds
			if name != "HF_TOKEN" {
				s.note("env %s (Secret %s key %s) becomes credentials.hfToken, rendered as HF_TOKEN: huggingface_hub reads HF_TOKEN first and %s only as its legacy fallback, so nothing else needs the old name", name, sk.SecretName, sk.Key, name)
			}
			continue
		}
		if *creds.HFToken != *sk {
			s.unmapped("env %s (Secret %s key %s): huggingface_hub ignores it while HF_TOKEN is set (Secret %s key %s), which the chart keeps", name, sk.SecretName, sk.Key, creds.HFToken.SecretName, creds.HFToken.Key)
		}
	}
}

// setAPIKey maps the Secret key behind the engine's API key to credentials.apiKey (rendered as VLLM_API_KEY for
// vLLM, as --api-key $(SGLANG_API_KEY) for SGLang).
func (s *state) setAPIKey(name string, sk *values.SecretKey) {
	creds := orNew(s.v.Credentials)
	if creds.APIKey != nil && *creds.APIKey != *sk {
		s.unmapped("env %s (Secret %s key %s): a second API key; the chart takes one (credentials.apiKey is Secret %s key %s)", name, sk.SecretName, sk.Key, creds.APIKey.SecretName, creds.APIKey.Key)
		return
	}
	creds.APIKey = sk
	s.v.Credentials = creds
	if name != "VLLM_API_KEY" {
		s.note("the API key in %s (Secret %s key %s) becomes credentials.apiKey", name, sk.SecretName, sk.Key)
	}
}

// unusedSecretEnv lists the Secret-backed variables no credential took.
func (s *state) unusedSecretEnv() {
	names := make([]string, 0, len(s.secretEnv))
	for n := range s.secretEnv {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		sk := s.secretEnv[n]
		s.unmapped("env %s (Secret %s key %s): the chart takes Secret keys only as credentials.hfToken and credentials.apiKey (or every key of credentials.secretName)", n, sk.SecretName, sk.Key)
	}
}

func contains(list []string, x string) bool {
	for _, y := range list {
		if y == x {
			return true
		}
	}
	return false
}

func (s *state) setEnv(k, v string) {
	if s.serving.Env == nil {
		s.serving.Env = map[string]string{}
	}
	s.serving.Env[k] = v
}

func (s *state) resources(c map[string]any) int {
	res := orNew(s.group.Resources)
	gpus := 0
	req, _ := take(c, "resources", "requests")
	lim, _ := take(c, "resources", "limits")
	rq, _ := req.(map[string]any)
	lm, _ := lim.(map[string]any)
	cpu := &values.CPU{}
	if v, ok := rq["cpu"]; ok {
		cpu.Request = cpuValue(v)
		delete(rq, "cpu")
	}
	if v, ok := lm["cpu"]; ok {
		cpu.Limit = cpuValue(v)
		delete(lm, "cpu")
	}
	if cpu.Request != nil || cpu.Limit != nil {
		if cpu.Request == nil || cpu.Limit == nil {
			s.unmapped("resources: CPU request and limit are set together by the chart (the other from the guide's formula)")
		}
		res.CPU = cpu
	}
	mem := &values.Memory{}
	mem.RequestGiB = s.gib("requests.memory", rq["memory"])
	mem.LimitGiB = s.gib("limits.memory", lm["memory"])
	delete(rq, "memory")
	delete(lm, "memory")
	res.Memory = mem
	for k, v := range lm {
		if strings.Contains(k, "/") {
			gpus = toInt(str(v))
			if r, ok := rq[k]; ok && str(r) != str(v) {
				s.unmapped("resources.requests.%s %v differs from the limit %v; the chart sets both to the GPU count", k, r, v)
			}
			delete(rq, k)
			delete(lm, k)
			if k != "nvidia.com/gpu" {
				gpu := orNew(s.group.GPU)
				gpu.Resource = k
				s.group.GPU = gpu
			}
		}
	}
	eph := &values.EphemeralStorage{Request: str(rq["ephemeral-storage"]), Limit: str(lm["ephemeral-storage"])}
	delete(rq, "ephemeral-storage")
	delete(lm, "ephemeral-storage")
	if eph.Request != "" || eph.Limit != "" {
		if eph.Request == "" || eph.Limit == "" {
			s.note("ephemeral-storage: only one of request and limit is set; the chart's default gives the other")
		}
		s.v.EphemeralStorage = eph
	}
	for k, v := range rq {
		s.unmapped("resources.requests.%s %v: not a resource the chart sets", k, v)
	}
	for k, v := range lm {
		s.unmapped("resources.limits.%s %v: not a resource the chart sets", k, v)
	}
	s.group.Resources = res
	return gpus
}

func cpuValue(v any) any {
	x := str(v)
	if isInt(x) {
		return toInt(x)
	}
	return x
}

func (s *state) gib(what string, v any) *int64 {
	if v == nil {
		s.unmapped("resources.%s: missing; the chart requires it", what)
		return nil
	}
	q, err := resource.ParseQuantity(str(v))
	if err != nil {
		s.unmapped("resources.%s %v: %v", what, v, err)
		return nil
	}
	const gi = 1 << 30
	n := (q.Value() + gi - 1) / gi
	if q.Value()%gi != 0 {
		s.note("resources.%s %s = %.2f GiB: the chart takes whole GiB; rounded up to %dGi", what, q.String(), float64(q.Value())/gi, n)
	}
	return &n
}

func (s *state) ports(c map[string]any) {
	list, _ := take(c, "ports")
	ports := asList(list)
	if len(ports) != 1 {
		s.unmapped("ports: %d container ports; the chart exposes one (http)", len(ports))
	}
	for _, p := range ports {
		pm := p.(map[string]any)
		if n := str(pm["name"]); n != "" {
			s.containerPortByName[n] = str(pm["containerPort"])
		}
		if port := toInt(str(pm["containerPort"])); port != s.enginePort {
			s.unmapped("ports: containerPort %d differs from the engine's --port %d; the chart's container port is the engine's", port, s.enginePort)
		}
		if n := str(pm["name"]); n != "" && n != "http" {
			s.note("the container port %q is named http by the chart", n)
		}
		if pr := str(pm["protocol"]); pr != "" && pr != "TCP" {
			s.unmapped("ports: protocol %s", pr)
		}
	}
}

func (s *state) probes(c map[string]any) {
	pr := &values.Probes{}
	for _, k := range []struct {
		field string
		dst   **values.Probe
	}{{"startupProbe", &pr.Startup}, {"readinessProbe", &pr.Readiness}, {"livenessProbe", &pr.Liveness}} {
		v, ok := take(c, k.field)
		if !ok {
			s.unmapped("%s: absent; the chart always renders it on /health", k.field)
			continue
		}
		pm := v.(map[string]any)
		path := str(get(pm, "httpGet", "path"))
		port := str(get(pm, "httpGet", "port"))
		if path != "/health" || (port != "http" && port != fmt.Sprint(s.enginePort)) {
			s.unmapped("%s.httpGet %s: the chart probes /health on the http port", k.field, jsonString(pm["httpGet"]))
		}
		delete(pm, "httpGet")
		p := &values.Probe{}
		if x, ok := pm["periodSeconds"]; ok {
			p.PeriodSeconds = toInt(str(x))
			delete(pm, "periodSeconds")
		} else {
			p.PeriodSeconds = 10 // the Kubernetes default
		}
		if x, ok := pm["failureThreshold"]; ok {
			n := toInt(str(x))
			p.FailureThreshold = &n
			delete(pm, "failureThreshold")
		} else {
			n := 3
			p.FailureThreshold = &n
		}
		rest := make([]string, 0, len(pm))
		for f := range pm {
			rest = append(rest, f)
		}
		sort.Strings(rest)
		for _, f := range rest {
			s.unmapped("%s.%s %v: the chart sets only periodSeconds and failureThreshold", k.field, f, pm[f])
		}
		*k.dst = p
	}
	if !isZero(pr) {
		s.v.Probes = pr
	}
}

func (s *state) volumes(c, pod, workload map[string]any, all []Object, used map[int]bool) {
	mounts, _ := take(c, "volumeMounts")
	vols, _ := take(pod, "volumes")
	volByName := map[string]map[string]any{}
	for _, v := range asList(vols) {
		vm := v.(map[string]any)
		volByName[str(vm["name"])] = vm
	}
	vcts, _ := take(workload, "spec", "volumeClaimTemplates")
	vctByName := map[string]map[string]any{}
	for _, v := range asList(vcts) {
		vm := v.(map[string]any)
		vctByName[str(get(vm, "metadata", "name"))] = vm
	}
	st := orNew(s.v.Storage)
	cacheSeen := false
	for _, m := range asList(mounts) {
		mm := m.(map[string]any)
		name, path := str(mm["name"]), str(mm["mountPath"])
		if vol, ok := volByName[name]; ok && path == "/dev/shm" && str(get(vol, "emptyDir", "medium")) == "Memory" {
			if sl := get(vol, "emptyDir", "sizeLimit"); sl != nil {
				s.v.Shm = &values.Shm{SizeLimit: str(sl)}
			}
			delete(volByName, name)
			continue
		}
		if vol, ok := volByName[name]; ok && s.kserveDest != "" && strings.TrimSuffix(path, "/") == s.kserveDest && get(vol, "emptyDir") != nil {
			delete(volByName, name) // the storage-initializer's download directory: the engine downloads itself
			continue
		}
		if cacheSeen {
			s.unmapped("volumeMount %s at %s: the chart mounts /dev/shm and one cache volume", name, path)
			continue
		}
		var claim map[string]any // a PVC spec
		if vct, ok := vctByName[name]; ok {
			claim, _ = vct["spec"].(map[string]any)
			if md, _ := vct["metadata"].(map[string]any); len(md) > 1 {
				s.unmapped("volumeClaimTemplates %s metadata %s: the chart sets only the name and selector labels", name, jsonString(md))
			}
			delete(vctByName, name)
		} else if vol, ok := volByName[name]; ok && get(vol, "persistentVolumeClaim", "claimName") != nil {
			claimName := str(get(vol, "persistentVolumeClaim", "claimName"))
			delete(volByName, name)
			for i, o := range all {
				if o.kind() == "PersistentVolumeClaim" && o.name() == claimName {
					used[i] = true
					pvc := deepCopy(o.M)
					claim, _ = pvc["spec"].(map[string]any)
					delete(pvc, "spec")
					take(pvc, "apiVersion")
					take(pvc, "kind")
					take(pvc, "metadata", "name")
					take(pvc, "metadata", "namespace")
					take(pvc, "status")
					leftovers("PersistentVolumeClaim "+claimName, pvc, &s.r.Unmapped, s)
				}
			}
			newPVC := fmt.Sprintf("%s-%s-0", name, s.fullname)
			s.note("the PVC %s becomes the volume claim template %s: the StatefulSet's pod %s-0 mounts a new PVC %s. To keep the downloaded weights, before helm install either "+
				"(a) copy them: create PVC %s with the same spec, run a Job mounting both PVCs that runs `cp -a /old/. /new/`, then delete %s; or "+
				"(b) re-bind the volume: set the bound PV's persistentVolumeReclaimPolicy to Retain, delete the Deployment and PVC %s, remove the PV's spec.claimRef, and create PVC %s with spec.volumeName set to that PV. "+
				"Otherwise the new pod downloads the weights again.", claimName, name, s.fullname, newPVC, newPVC, claimName, claimName, newPVC)
			if claim == nil {
				s.unmapped("volume %s: PVC %s is not among the imported files; storage.size and storageClassName are left for you to set", name, claimName)
			}
		} else {
			s.unmapped("volumeMount %s at %s: neither a volume claim template nor a PVC volume", name, path)
			continue
		}
		cacheSeen = true
		st.VolumeName = name
		st.MountPath = path
		st.SubPath = str(mm["subPath"])
		for f := range mm {
			if f != "name" && f != "mountPath" && f != "subPath" {
				s.unmapped("volumeMount %s.%s: not set by the chart", name, f)
			}
		}
		if claim != nil {
			s.claim(name, claim, st)
		}
	}
	if !cacheSeen {
		s.noCacheVolume(st)
	}
	for n, v := range volByName {
		s.unmapped("volume %s %s: not mounted by the chart", n, jsonString(v))
	}
	for n := range vctByName {
		s.unmapped("volumeClaimTemplate %s: not mounted by the engine container", n)
	}
	s.v.Storage = st
}

func (s *state) claim(name string, spec map[string]any, st *values.Storage) {
	if am := asStrings(spec["accessModes"]); len(am) > 0 && !(len(am) == 1 && am[0] == "ReadWriteOnce") {
		st.AccessModes = am
	}
	delete(spec, "accessModes")
	st.StorageClassName = str(spec["storageClassName"])
	delete(spec, "storageClassName")
	if vm := str(spec["volumeMode"]); vm != "" && vm != "Filesystem" {
		s.unmapped("volume %s volumeMode %s: the chart uses Filesystem", name, vm)
	}
	delete(spec, "volumeMode")
	st.Size = str(get(spec, "resources", "requests", "storage"))
	take(spec, "resources", "requests", "storage")
	take(spec, "volumeName") // a bound PVC's PV: see the notes on moving the data
	leftovers("volume "+name+" spec", spec, &s.r.Unmapped, s)
}

// service maps the Service that selects the pods: its port (service.port, with service.enginePort when the engine
// listens elsewhere), type and annotations. Its name becomes the chart's fullname where the workload's name may
// change (a Deployment, a LeaderWorkerSet); a StatefulSet keeps its own name, which its PVCs carry.
func (s *state) service(all []Object, used map[int]bool, podLabels map[string]any) {
	s.v.Service = orNew(s.v.Service)
	s.v.Service.Port = s.enginePort
	if i := matchService(all, used, podLabels); i >= 0 {
		o := all[i]
		used[i] = true
		m := deepCopy(o.M)
		take(m, "apiVersion")
		take(m, "kind")
		s.ignoreClusterFields(m)
		if n := str(takeV(m, "metadata", "name")); n != s.fullname {
			s.unmapped("Service %s: the chart names the Service after the fullname %s (the StatefulSet's name, which its PVCs carry); clients must use the new name", n, s.fullname)
		} else if n != s.name {
			s.note("fullnameOverride is the Service's name %s, so clients keep their address; the new %s is named after it (the %s was %s)", n, s.chartKind(), s.kind, s.name)
		}
		take(m, "metadata", "namespace")
		if l, ok := get(m, "metadata", "labels").(map[string]any); ok {
			for k, v := range l {
				if k == "component" && v == "llm" || k == "app" && (v == s.name || v == s.v.FullnameOverride) {
					delete(l, k)
				}
			}
		}
		if a, ok := take(m, "metadata", "annotations"); ok {
			s.v.Service.Annotations = map[string]string{}
			for k, v := range a.(map[string]any) {
				s.v.Service.Annotations[k] = str(v)
			}
		}
		take(m, "spec", "selector")
		if t := str(takeV(m, "spec", "type")); t != "" && t != "ClusterIP" {
			s.v.Service.Type = t
		}
		for _, f := range []string{"clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy", "internalTrafficPolicy"} {
			if _, ok := take(m, "spec", f); ok {
				s.ignored = append(s.ignored, "Service spec."+f)
			}
		}
		if v := str(takeV(m, "spec", "sessionAffinity")); v != "" && v != "None" {
			s.unmapped("Service %s spec.sessionAffinity %s: the chart's Service has none", o.name(), v)
		}
		ports := asList(takeV(m, "spec", "ports"))
		if len(ports) != 1 {
			s.unmapped("Service %s: %d ports; the chart's Service has one (http)", o.name(), len(ports))
		}
		for i, p := range ports {
			pm := p.(map[string]any)
			port := toInt(str(pm["port"]))
			target := str(pm["targetPort"])
			if target != "" && !isInt(target) {
				target = s.containerPortByName[target]
			}
			if target != "" && toInt(target) != s.enginePort {
				s.unmapped("Service %s port %d targets %v, not the engine's port %d; the chart's Service targets the engine", o.name(), port, pm["targetPort"], s.enginePort)
			}
			if i > 0 {
				continue
			}
			s.v.Service.Port = port
			if port != s.enginePort {
				s.v.Service.EnginePort = ptr(s.enginePort)
				s.note("the Service keeps port %d (service.port) in front of the engine's %d (service.enginePort)", port, s.enginePort)
			}
			if n := str(pm["name"]); n != "" && n != "http" {
				s.unmapped("Service %s port name %q: the chart names its port http (clients address the port by number; only tools that match port names, such as a mesh, notice)", o.name(), n)
			}
			if pr := str(pm["protocol"]); pr != "" && pr != "TCP" {
				s.unmapped("Service %s port protocol %s: the chart's is TCP", o.name(), pr)
			}
			if np := pm["nodePort"]; np != nil {
				s.unmapped("Service %s nodePort %v: the cluster assigns a new one", o.name(), np)
			}
		}
		leftovers("Service "+o.name(), m, &s.r.Unmapped, s)
		return
	}
	s.note("no Service selects the pods; the chart adds one named %s", s.fullname)
}

// matchService finds the first Service not yet used whose selector selects the pod labels; -1: none.
func matchService(all []Object, used map[int]bool, podLabels map[string]any) int {
	for i, o := range all {
		if o.kind() != "Service" || used[i] {
			continue
		}
		sel, _ := get(o.M, "spec", "selector").(map[string]any)
		match := len(sel) > 0
		for k, v := range sel {
			if podLabels[k] != v {
				match = false
			}
		}
		if match {
			return i
		}
	}
	return -1
}

// podLabels are the labels the workload's pods carry: the template's, and those a LeaderWorkerSet adds to its leader.
func (s *state) podLabels(template map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range template {
		out[k] = v
	}
	if s.lws != nil {
		out["leaderworkerset.sigs.k8s.io/name"] = s.name
		out["leaderworkerset.sigs.k8s.io/worker-index"] = "0"
	}
	return out
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

// --- small helpers on decoded objects ---

func get(m map[string]any, path ...string) any {
	var cur any = m
	for _, p := range path {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mm[p]
	}
	return cur
}

func take(m map[string]any, path ...string) (any, bool) {
	cur := m
	for _, p := range path[:len(path)-1] {
		next, ok := cur[p].(map[string]any)
		if !ok {
			return nil, false
		}
		cur = next
	}
	last := path[len(path)-1]
	v, ok := cur[last]
	delete(cur, last)
	return v, ok
}

func takeV(m map[string]any, path ...string) any { v, _ := take(m, path...); return v }

func str(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case float64:
		if t == float64(int64(t)) {
			return fmt.Sprint(int64(t))
		}
	}
	return fmt.Sprint(v)
}

func asList(v any) []any { l, _ := v.([]any); return l }

func asStrings(v any) []string {
	var out []string
	for _, x := range asList(v) {
		out = append(out, str(x))
	}
	return out
}

func isInt(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if (r < '0' || r > '9') && !(i == 0 && r == '-') {
			return false
		}
	}
	return true
}

func toInt(v any) int {
	var n int
	_, _ = fmt.Sscan(str(v), &n)
	return n
}

func empty(v any) bool {
	switch t := v.(type) {
	case nil:
		return true
	case string:
		return t == ""
	case map[string]any:
		for _, x := range t {
			if !empty(x) {
				return false
			}
		}
		return true
	case []any:
		for _, x := range t {
			if !empty(x) {
				return false
			}
		}
		return true
	}
	return false
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	s := string(b)
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

func deepCopy(m map[string]any) map[string]any {
	b, _ := json.Marshal(m)
	out := map[string]any{}
	_ = json.Unmarshal(b, &out)
	return out
}

func isZero[T any](p *T) bool {
	if p == nil {
		return true
	}
	b, _ := json.Marshal(p)
	return string(b) == "{}"
}

func orNew[T any](p *T) *T {
	if p == nil {
		return new(T)
	}
	return p
}

// finish reconciles what the chart derives from several values with what the manifest says.
func (s *state) finish() {
	if s.v.Model.Name == "" {
		s.unmapped("the engine command names no model (--model): model.name is required")
	}
	sv, x := s.serving, s.vllm
	tp, pp, dp := max(1, sv.TensorParallelSize), max(1, sv.PipelineParallelSize), max(1, sv.DataParallelSize)
	if s.nodesFromFlag > 1 && s.group.Nodes == 0 {
		s.group.Nodes = s.nodesFromFlag
	}
	nodes := max(1, s.group.Nodes)
	if s.engine == values.EngineSGLang && s.sglang != nil && s.sglang.EnableDPAttention {
		dp = 1 // SGLang's DP attention runs inside the tensor-parallel GPUs
	}
	if want := tp * pp * dp; s.gpus*nodes != want {
		s.unmapped("GPU limit %d × %d node(s): the chart requests tensor × pipeline × data parallel = %d GPUs per instance", s.gpus, nodes, want)
	}
	if s.epSize != "" {
		if s.epSize == fmt.Sprint(tp) {
			sv.EnableExpertParallel = ptr(true)
		} else {
			sv.ExtraArgs = append(sv.ExtraArgs, "--ep-size", s.epSize)
			s.unmapped("engine flag --ep-size %s: the chart renders --ep-size equal to the tensor parallel size %d (serving.enableExpertParallel); kept in serving.extraArgs", s.epSize, tp)
		}
	}
	s.kserveModelPath()
	s.cacheDir()
	if pp > 1 {
		for _, k := range []string{"VLLM_RPC_TIMEOUT", "VLLM_EXECUTE_MODEL_TIMEOUT_SECONDS", "VLLM_ENGINE_ITERATION_TIMEOUT_S"} {
			if _, ok := sv.Env[k]; !ok {
				s.note("pipeline parallel: the chart adds %s (vllm.pipelineTimeouts)", k)
			}
		}
	}
	if x.CPUOffload != nil && x.CPUOffload.Backend != "" {
		for _, k := range []string{"PYTORCH_ALLOC_CONF", "VLLM_WEIGHT_OFFLOADING_DISABLE_PIN_MEMORY"} {
			if _, ok := sv.Env[k]; !ok {
				s.note("CPU offload: the chart adds the mandatory %s", k)
			}
		}
	}
	if len(sv.HFOverrides) > 0 && x.AllowLongMaxModelLen == nil {
		f := false
		x.AllowLongMaxModelLen = &f // the manifest did not set it; keep it that way
	}
	// Memory: the chart adds what the engine keeps in CPU RAM; the values hold the base.
	added, api := int64(0), 1
	if x.APIServerCount != nil {
		api = max(1, *x.APIServerCount)
	}
	if mm := x.Multimodal; mm != nil && mm.Enabled {
		cache := 4
		if mm.ProcessorCacheGB != nil {
			cache = *mm.ProcessorCacheGB
		}
		added += int64(cache * api)
		if mm.ProcessorCacheType == "" && s.gpus > 1 {
			s.note("multimodal with %d GPUs: the chart adds --mm-processor-cache-type shm", s.gpus)
		}
	}
	if o := x.CPUOffload; o != nil && o.Backend == "uva" && o.GB != nil {
		added += int64(*o.GB * s.gpus)
	}
	if x.KVOffload != nil && x.KVOffload.SizeGB != nil {
		added += int64(*x.KVOffload.SizeGB)
	}
	if r := s.group.Resources; added > 0 && r != nil && r.Memory != nil {
		for _, p := range []**int64{&r.Memory.RequestGiB, &r.Memory.LimitGiB} {
			if *p == nil {
				continue
			}
			base := **p - added
			if base < 1 {
				s.unmapped("memory %dGi: less than the %d GiB the chart adds for CPU-side caches and offload", **p, added)
				base = 1
			}
			*p = &base
		}
		s.note("memory: the chart adds %d GiB (multimodal cache, CPU and KV offload) to resources.memory, so the values hold %d GiB less", added, added)
	}
}
