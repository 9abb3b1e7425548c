package importer

import (
	"fmt"
	"strings"

	"github.com/llm-charts/llm-charts/internal/values"
)

// volumes maps the engine container's mounts: /dev/shm, and one cache volume from a volume claim template or a
// Deployment's PVC (storage.*); any other volume is listed.
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
			delete(volByName, name)
			claim = s.pvcClaim(name, str(get(vol, "persistentVolumeClaim", "claimName")), all, used)
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

// pvcClaim maps the PVC a Deployment's volume name mounts (claimName) to the volume claim template of the same name,
// with the note on moving its data, and returns its spec (nil when the PVC is not among the imported objects).
func (s *state) pvcClaim(name, claimName string, all []Object, used map[int]bool) map[string]any {
	var claim map[string]any
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
	return claim
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
