package importer

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/llm-charts/llm-charts/internal/values"
)

// lwsInput is what a LeaderWorkerSet (leaderworkerset.x-k8s.io/v1) adds to a workload: the pods per instance and the
// worker ranks' template.
type lwsInput struct {
	size   int
	worker map[string]any
}

// fromLWS turns a LeaderWorkerSet into the shape of the other workloads: spec.replicas (instances) stays, the leader
// template becomes spec.template, spec.leaderWorkerTemplate.size becomes the group's nodes and its
// volumeClaimTemplates spec.volumeClaimTemplates. A multi-node LeaderWorkerSet stays one: the values set
// multiNode.mode leaderWorkerSet, whose LeaderWorkerSet (templates/leaderworkerset.yaml) has size = nodes and wires the
// ranks from LWS_WORKER_INDEX and LWS_LEADER_ADDRESS. The worker template is compared with the leader's and otherwise
// not mapped, since the chart builds the workers' command line from the leader's (headless, with rank flags).
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
	if v, ok := t["volumeClaimTemplates"]; ok {
		spec, _ := m["spec"].(map[string]any)
		spec["volumeClaimTemplates"] = v // mapped by volumes, as a StatefulSet's
		delete(t, "volumeClaimTemplates")
	}
	if v, ok := t["persistentVolumeClaimRetentionPolicy"]; ok {
		pm, _ := v.(map[string]any)
		if str(pm["whenDeleted"]) != "Retain" || str(pm["whenScaled"]) != "Retain" {
			s.unmapped("spec.leaderWorkerTemplate.persistentVolumeClaimRetentionPolicy %s: the chart keeps PVCs (Retain/Retain)", jsonString(v))
		}
		delete(t, "persistentVolumeClaimRetentionPolicy")
	}
	multi := s.lws.size > 1
	// What the chart's LeaderWorkerSet (templates/leaderworkerset.yaml) sets itself; a single-pod one becomes a
	// StatefulSet, which has none of these.
	chart := map[string]string{"restartPolicy": "RecreateGroupOnPodRestart", "startupPolicy": "LeaderCreated", "subdomainPolicy": "UniquePerReplica"}
	if v := str(t["restartPolicy"]); v != "" && v != chart["restartPolicy"] {
		if multi {
			s.unmapped("spec.leaderWorkerTemplate.restartPolicy %s: the chart's LeaderWorkerSet uses RecreateGroupOnPodRestart (any rank failing restarts its whole instance)", v)
		} else {
			s.unmapped("spec.leaderWorkerTemplate.restartPolicy %s: a single-pod group is a StatefulSet; its pod is restarted alone", v)
		}
	}
	delete(t, "restartPolicy")
	leftovers("LeaderWorkerSet spec.leaderWorkerTemplate", t, &s.r.Unmapped, s)
	if v := str(takeV(m, "spec", "startupPolicy")); v != "" && (!multi || v != chart["startupPolicy"]) {
		s.unmapped("spec.startupPolicy %s: %s", v, lwsOnly(multi, "the chart's LeaderWorkerSet uses LeaderCreated (workers start as soon as their leader pod exists)"))
	}
	if v, ok := take(m, "spec", "networkConfig"); ok && !empty(v) {
		nc, _ := v.(map[string]any)
		if sp := str(nc["subdomainPolicy"]); !multi || len(nc) != 1 || sp != chart["subdomainPolicy"] {
			s.unmapped("spec.networkConfig %s: %s", jsonString(v), lwsOnly(multi, "the chart's LeaderWorkerSet uses subdomainPolicy UniquePerReplica (a headless Service per instance, which LWS_LEADER_ADDRESS names)"))
		}
	}
	if v, ok := take(m, "spec", "rolloutStrategy"); ok && !empty(v) {
		s.unmapped("spec.rolloutStrategy %s: %s", jsonString(v), lwsOnly(multi, "the chart's LeaderWorkerSet sets none (the LWS controller's default)"))
	}
	if multi {
		s.group.Nodes = s.lws.size
		s.v.MultiNode = orNew(s.v.MultiNode)
		s.v.MultiNode.Mode = values.MultiNodeLeaderWorkerSet
		s.note("LeaderWorkerSet size %d becomes resourceGroups[0].nodes %d with multiNode.mode leaderWorkerSet: the chart renders a LeaderWorkerSet of size %d (rank 0 of each instance behind the Service, ranks 1..%d headless engines), the ranks wired from LWS_WORKER_INDEX and LWS_LEADER_ADDRESS; the LeaderWorkerSet controller must stay installed", s.lws.size, s.lws.size, s.lws.size, s.lws.size-1)
	}
}

// lwsOnly is the reason a LeaderWorkerSet setting is not kept: what the chart's own LeaderWorkerSet sets instead (a
// multi-node group), or that a single-pod group is a StatefulSet.
func lwsOnly(multi bool, chart string) string {
	if multi {
		return chart
	}
	return "LeaderWorkerSet-only; a single-pod group is a StatefulSet"
}

// chartKind is the kind of the chart's workload for the imported group: a LeaderWorkerSet for a multi-node
// LeaderWorkerSet (multiNode.mode leaderWorkerSet), otherwise a StatefulSet.
func (s *state) chartKind() string {
	if s.lws != nil && s.lws.size > 1 {
		return "LeaderWorkerSet"
	}
	return "StatefulSet"
}

// lwsMoveNote says how to move from the old LeaderWorkerSet onto the chart's (named after the fullname): delete the old
// one first, since the chart's cannot take over its name and two would hold the GPUs twice; its claims are reused when
// the names match.
func (s *state) lwsMoveNote(claims bool) {
	why := "the chart's LeaderWorkerSet has the same name, which helm install refuses to take over"
	if s.fullname != s.name {
		why = fmt.Sprintf("the chart's LeaderWorkerSet is %s, named after the Service, and both would otherwise hold the GPUs", s.fullname)
	}
	keep := "no PVCs to keep"
	if claims {
		keep = fmt.Sprintf("its PVCs stay (Retain), and the chart's LeaderWorkerSet %s keeps the name, so each pod mounts its old claim <volume>-%s-<instance> (workers <volume>-%s-<instance>-<rank>) and the downloaded weights", s.fullname, s.name, s.name)
	}
	s.note("to move onto the chart: kubectl -n %s delete leaderworkerset %s before helm install (%s); %s", s.r.Namespace, s.name, why, keep)
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
