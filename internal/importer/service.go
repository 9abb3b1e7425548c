package importer

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
