package gpu

// CUDABuild is one CUDA build of the engine images and the GPU Feature Discovery thresholds the chart's node
// affinity defaults to for it (values.yaml resourceGroups[].gpu.computeMajorGt / driverMajorGt when null).
type CUDABuild struct {
	// CUDA is the build as image.cuda spells it.
	CUDA string `json:"cuda"`
	// ComputeMajorGt: the node's nvidia.com/gpu.compute.major must be greater. CUDA 13 drops compute capability 7.0
	// (Volta), so its build asks for more than 7; the 12.9 build (the guide's V100 embedding example) for more than 6.
	ComputeMajorGt int `json:"computeMajorGt"`
	// DriverMajorGt: the node's nvidia.com/cuda.driver.major must be greater (the build's driver branch).
	DriverMajorGt int `json:"driverMajorGt"`
}

// CUDABuilds are the builds the chart knows, the default (image.cuda's default) first. The chart's copy is generated
// from this table into charts/llm-model/templates/_engines.tpl (make generate).
var CUDABuilds = []CUDABuild{
	{CUDA: "13.0", ComputeMajorGt: 7, DriverMajorGt: 575},
	{CUDA: "12.9", ComputeMajorGt: 6, DriverMajorGt: 565},
}

// CUDABuildOf returns the build image.cuda names, and whether there is one.
func CUDABuildOf(cuda string) (CUDABuild, bool) {
	for _, b := range CUDABuilds {
		if b.CUDA == cuda {
			return b, true
		}
	}
	return CUDABuild{}, false
}
