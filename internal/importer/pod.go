package importer

import (
	gpucatalog "github.com/llm-charts/llm-charts/internal/gpu"
	"github.com/llm-charts/llm-charts/internal/values"
)

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
	cuda := gpucatalog.CUDABuilds[0].CUDA
	for _, b := range gpucatalog.CUDABuilds[1:] {
		if compute != nil && driver != nil && *compute == b.ComputeMajorGt && *driver == b.DriverMajorGt {
			cuda = b.CUDA
		}
	}
	if s.v.Image != nil && s.v.Image.CUDA != "" {
		cuda = s.v.Image.CUDA
	}
	build, _ := gpucatalog.CUDABuildOf(cuda)
	def := [2]int{build.ComputeMajorGt, build.DriverMajorGt}
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
