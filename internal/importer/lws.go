package importer

import (
	"reflect"
	"strings"
)

// lwsInput is what a LeaderWorkerSet (leaderworkerset.x-k8s.io/v1) adds to a workload: the pods per instance and the
// worker ranks' template.
type lwsInput struct {
	size   int
	worker map[string]any
}

// fromLWS turns a LeaderWorkerSet into the shape of the other workloads: spec.replicas (instances) stays, the leader
// template becomes spec.template, spec.leaderWorkerTemplate.size becomes the group's nodes. The chart's own multi-node
// mode (a leader StatefulSet and a workers StatefulSet with a headless Service for the rank-0 address) replaces the
// LeaderWorkerSet; the worker template is compared with the leader's and otherwise not mapped, since the chart builds
// the workers' command line from the leader's (headless, with rank flags).
func (s *state) fromLWS(m map[string]any) {
	lwt, _ := take(m, "spec", "leaderWorkerTemplate")
	t, _ := lwt.(map[string]any)
	s.lws = &lwsInput{size: 1}
	if v, ok := t["size"]; ok {
		s.lws.size = toInt(v)
		delete(t, "size")
	}
	leader, _ := t["leaderTemplate"].(map[string]any)
	worker, _ := t["workerTemplate"].(map[string]any)
	delete(t, "leaderTemplate")
	delete(t, "workerTemplate")
	if leader == nil {
		leader = worker // without a leader template every pod, rank 0 included, uses the worker template
	} else {
		s.lws.worker = worker
	}
	if leader != nil {
		spec, _ := m["spec"].(map[string]any)
		spec["template"] = leader
	}
	if v := str(t["restartPolicy"]); v != "" && v != "RecreateGroupOnPodRestart" {
		s.unmapped("spec.leaderWorkerTemplate.restartPolicy %s: the chart's ranks are plain StatefulSet pods; a lost rank is restarted alone", v)
	}
	delete(t, "restartPolicy")
	leftovers("LeaderWorkerSet spec.leaderWorkerTemplate", t, &s.r.Unmapped, s)
	for _, f := range []string{"startupPolicy", "rolloutStrategy", "networkConfig"} {
		if v, ok := take(m, "spec", f); ok && !empty(v) {
			s.unmapped("spec.%s %s: LeaderWorkerSet-only; the chart's multi-node groups have no such setting", f, jsonString(v))
		}
	}
	if s.lws.size > 1 {
		s.group.Nodes = s.lws.size
		s.note("LeaderWorkerSet size %d becomes resourceGroups[0].nodes %d: the chart renders a leader StatefulSet (rank 0 of each instance, behind the Service), a workers StatefulSet (ranks 1..%d, headless engines) and a headless Service for the rank-0 address; delete the LeaderWorkerSet before helm install", s.lws.size, s.lws.size, s.lws.size-1)
	}
}

// compareWorker lists how the worker template differs from the leader's in what the chart shares between them
// (image, resources, volumes, environment); the command is the chart's own.
func (s *state) compareWorker(leaderPod any) {
	if s.lws == nil || s.lws.worker == nil {
		return
	}
	wc := firstContainer(get(s.lws.worker, "spec"))
	lc := firstContainer(leaderPod)
	for _, f := range []string{"image", "resources", "volumeMounts", "env", "envFrom"} {
		if !reflect.DeepEqual(wc[f], lc[f]) {
			s.unmapped("LeaderWorkerSet workerTemplate container %s %s differs from the leader's; the chart gives every rank the leader's", f, jsonString(wc[f]))
		}
	}
	var cmd []string
	for _, k := range []string{"command", "args"} {
		cmd = append(cmd, asStrings(wc[k])...)
	}
	s.note("the LeaderWorkerSet's worker command %q is replaced by the chart's: the leader's engine flags with the rank flags, vLLM workers --headless", strings.Join(cmd, " "))
}

func firstContainer(spec any) map[string]any {
	sm, _ := spec.(map[string]any)
	cs := asList(sm["containers"])
	if len(cs) == 0 {
		return map[string]any{}
	}
	c, _ := cs[0].(map[string]any)
	return c
}
