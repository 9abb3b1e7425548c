package importer

import (
	"fmt"
	"sort"
	"strings"

	"github.com/llm-charts/llm-charts/internal/engine"
	"github.com/llm-charts/llm-charts/internal/values"
	"k8s.io/apimachinery/pkg/api/resource"
)

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
	if containerName != "" && containerName != string(s.engine.Name()) {
		s.note("the container %q is named %s by the chart", containerName, s.engine.Name())
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
	if r := strings.TrimPrefix(repo, "docker.io/"); r != mentioned(append(cmd, args...)).Spec().Repository {
		s.v.Image.Repository = repo
	}
	switch {
	case strings.ContainsAny(tag, "<> "):
		s.unmapped("image tag %q: a placeholder, not a tag; the chart's default (the newest vLLM release with a flag table + CUDA suffix) applies: set image.tag", tag)
	case tag != "":
		s.v.Image.Tag = tag
		// The CUDA build the tag names sets image.cuda, which decides the pods' node affinity (the tag itself stays).
		if cuda, ok := mentioned(append(cmd, args...)).Spec().CUDAOfTag(tag); ok && cuda == values.CUDA129 {
			s.v.Image.CUDA = values.CUDA129
		}
	}
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

// mentioned is the engine a command line names (engine.Recognizer Mentions), read before the command is split;
// the default engine when it names none.
func mentioned(words []string) engine.Engine {
	line := strings.Join(words, " ")
	for _, e := range engine.All() {
		if e.Mentions(line) {
			return e
		}
	}
	return engine.Default()
}
