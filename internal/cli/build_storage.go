package cli

import (
	"fmt"

	"github.com/llm-charts/llm-charts/internal/plan"
	"github.com/llm-charts/llm-charts/internal/values"
)

// buildStorage writes the disk, the download mode and the startup probe of the first plan.
func (b *builder) buildStorage() {
	v, c, p0 := b.v, b.c, b.plans[0]
	v.Storage = &values.Storage{Size: fmt.Sprintf("%dGi", p0.Resources.DiskGiB)}
	c["storage.size"] = "Disk: " + p0.Resources.DiskReason + "."
	if d := p0.Download; d.Mode != plan.DownloadInitContainer {
		v.Storage.Download = &values.Download{Mode: d.Mode}
		c["storage.download"] = "Download: --download " + d.Mode + "."
		if d.Mode == plan.DownloadSharedCache {
			v.Storage.SharedCache = &values.SharedCache{Size: fmt.Sprintf("%dGi", d.SharedGiB)}
			c["storage.sharedCache.size"] = "Shared cache: " + d.Reason + "."
			c["storage.size"] = fmt.Sprintf("Disk per pod: the compile caches only (%d Gi, a guess on the safe side); the weights are on storage.sharedCache.", plan.EngineCacheGiB)
		}
	}
	v.Probes = &values.Probes{SizeClass: p0.Probe.SizeClass, Startup: &values.Probe{FailureThreshold: ptr(p0.Probe.FailureThreshold)}}
	c["probes.startup.failureThreshold"] = "Startup probe: " + p0.Probe.Reason + "."
}
