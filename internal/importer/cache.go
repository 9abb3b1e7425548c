package importer

import (
	"path"
	"strings"

	"github.com/llm-charts/llm-charts/internal/values"
)

// defaultHubCacheDir is the chart's storage.hubCacheDir default (charts/llm-model/values.yaml).
const defaultHubCacheDir = "huggingface/hub"

// oldHubDir is where the old pod's engine kept the Hugging Face hub cache, and what said so: --download-dir (the
// weights), else huggingface_hub's variables (constants.py: HF_HUB_CACHE or the legacy HUGGINGFACE_HUB_CACHE, else
// $HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub), else ~/.cache/huggingface/hub of root, the user the vLLM and
// SGLang images run as (an assumption: a pod that sets runAsUser has another home).
func (s *state) oldHubDir() (dir, from string) {
	e := s.cacheEnv
	switch {
	case s.downloadDir != "":
		return s.downloadDir, "--download-dir"
	case e["HF_HUB_CACHE"] != "":
		return e["HF_HUB_CACHE"], "HF_HUB_CACHE"
	case e["HUGGINGFACE_HUB_CACHE"] != "":
		return e["HUGGINGFACE_HUB_CACHE"], "HUGGINGFACE_HUB_CACHE"
	case e["HF_HOME"] != "":
		return path.Join(e["HF_HOME"], "hub"), "HF_HOME"
	case e["XDG_CACHE_HOME"] != "":
		return path.Join(e["XDG_CACHE_HOME"], "huggingface", "hub"), "XDG_CACHE_HOME"
	}
	return "/root/.cache/huggingface/hub", "the default of huggingface_hub for root, the images' user"
}

// cacheDir sets storage.hubCacheDir so that the new pod finds the weights the old one downloaded: the old hub
// directory, relative to the cache volume's mount path. The notes show the old and new paths side by side.
func (s *state) cacheDir() {
	st := s.v.Storage
	if st == nil || st.MountPath == "" {
		return
	}
	old, from := s.oldHubDir()
	old = path.Clean(old)
	mount := path.Clean(st.MountPath)
	if strings.HasPrefix(s.v.Model.Name, "/") {
		s.note("the model is read from the path %s, not downloaded; the Hugging Face cache (%s) holds only what the engine fetches besides", s.v.Model.Name, old)
	}
	rel := ""
	switch {
	case old == mount:
		rel = "."
	case strings.HasPrefix(old, mount+"/"):
		rel = strings.TrimPrefix(old, mount+"/")
	}
	if rel == "" {
		s.note("Hugging Face cache: the old pod kept it in %s (from %s), outside the cache volume mounted at %s, so every restart downloaded the weights again; the new pod keeps it in %s/%s on the volume (storage.hubCacheDir)", old, from, mount, mount, defaultHubCacheDir)
		return
	}
	if rel != defaultHubCacheDir {
		st.HubCacheDir = rel
	}
	newDir := mount
	if rel != "." {
		newDir = mount + "/" + rel
	}
	s.note("Hugging Face cache: old %s (from %s) → new %s (--download-dir, storage.hubCacheDir %s), the same directory of the same volume, so the new pod finds the weights the old one downloaded", old, from, newDir, rel)
	for _, k := range []string{"HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "HF_HOME"} {
		if v := s.cacheEnv[k]; v != "" && k != from {
			s.note("env %s %s: not copied; the chart points huggingface_hub at %s (HF_HUB_CACHE when storage.hubCacheDir is not the default)", k, v, newDir)
		}
	}
	if v := s.cacheEnv["XDG_CACHE_HOME"]; v != "" && path.Clean(v) != mount {
		s.note("env XDG_CACHE_HOME %s: not copied; with storage.engineCaches the chart sets it to the mount path %s (the engines' compile caches move there)", v, mount)
	}
}

// initContainer maps the init containers the chart has an equivalent for: KServe's storage-initializer, whose
// `hf://ORG/NAME[:REVISION]` source becomes the model the engine downloads itself into the cache volume.
func (s *state) initContainer(c map[string]any) {
	args := asStrings(c["args"])
	if str(c["name"]) == "storage-initializer" && len(args) == 2 && strings.HasPrefix(args[0], "hf://") {
		repo, rev, _ := strings.Cut(strings.TrimPrefix(args[0], "hf://"), ":")
		s.kserveModel, s.kserveRevision, s.kserveDest = repo, rev, strings.TrimSuffix(args[1], "/")
		s.note("KServe's storage-initializer downloads %s to %s; the chart lets the engine download %s into the cache volume instead (model.name)", args[0], args[1], repo)
		return
	}
	s.unmapped("initContainers %s %s: the chart runs no init container (serving.preStartCommands run in the engine container)", str(c["name"]), jsonString(c))
}

// kserveModelPath replaces the storage-initializer's download directory as the model with the Hub id it came from.
func (s *state) kserveModelPath() {
	if s.kserveDest == "" || path.Clean(s.v.Model.Name) != s.kserveDest {
		return
	}
	s.v.Model.Name = s.kserveModel
	if s.kserveRevision != "" {
		s.v.Model.Revision = s.kserveRevision
	}
	if len(s.v.Model.ServedModelNames) == 0 {
		s.v.Model.ServedModelNames = []string{s.kserveDest}
		s.note("served model name %s kept (the engine called the model by its path)", s.kserveDest)
	}
}

// noCacheVolume handles a pod that kept its Hugging Face cache on the node's disk (no volume): the chart always
// mounts a volume, so it is mounted at the old Hugging Face home (the hub directory's parent) and sized from the
// ephemeral storage the old pod asked for, which held the weights.
func (s *state) noCacheVolume(st *values.Storage) {
	old, from := s.oldHubDir()
	st.MountPath = path.Dir(path.Clean(old))
	st.SubPath = ""
	st.VolumeName = "cache"
	size := ""
	if s.v.EphemeralStorage != nil {
		size = s.v.EphemeralStorage.Request
		if size == "" {
			size = s.v.EphemeralStorage.Limit
		}
	}
	if size == "" {
		s.unmapped("no model cache volume: the chart always mounts one; storage.size is left for you to set (the guide: 10-20%% over the weights), mounted at %s (the old pod's Hugging Face home, from %s)", st.MountPath, from)
		return
	}
	st.Size = size
	s.note("no model cache volume: the old pod downloaded the weights to the node's disk (ephemeral-storage %s) under %s (from %s); the chart keeps them on a volume claim template %s of %s mounted at %s, so a restarted pod finds them (size it 10-20%% over the weights; the ephemeral-storage request can shrink)", size, old, from, st.VolumeName, size, st.MountPath)
}
