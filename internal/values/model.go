// Package values holds the values contracts of the charts as Go types. The JSON Schemas in schema/ are the source of
// truth; these types marshal to values that validate against them (tests check both directions), so chartgen can
// build values in Go and know they render.
package values

// Model is the values of the llm-model chart. Nil pointers and empty fields are left out, so the chart's defaults
// apply.
type Model struct {
	NameOverride          string               `json:"nameOverride,omitempty"`
	FullnameOverride      string               `json:"fullnameOverride,omitempty"`
	Engine                string               `json:"engine,omitempty"`
	ClusterDomain         string               `json:"clusterDomain,omitempty"`
	Model                 ModelRef             `json:"model"`
	Image                 *Image               `json:"image,omitempty"`
	Serving               *Serving             `json:"serving,omitempty"`
	VLLM                  *VLLM                `json:"vllm,omitempty"`
	SGLang                *SGLang              `json:"sglang,omitempty"`
	Speculative           *Speculative         `json:"speculative,omitempty"`
	LoRA                  *LoRA                `json:"lora,omitempty"`
	MultiNode             *MultiNode           `json:"multiNode,omitempty"`
	ResourceGroupDefaults *GroupSettings       `json:"resourceGroupDefaults,omitempty"`
	ResourceGroups        []ResourceGroup      `json:"resourceGroups,omitempty"`
	Autoscaling           *Autoscaling         `json:"autoscaling,omitempty"`
	PodDisruptionBudget   *PodDisruptionBudget `json:"podDisruptionBudget,omitempty"`
	Service               *Service             `json:"service,omitempty"`
	Storage               *Storage             `json:"storage,omitempty"`
	EphemeralStorage      *EphemeralStorage    `json:"ephemeralStorage,omitempty"`
	Shm                   *Shm                 `json:"shm,omitempty"`
	Credentials           *Credentials         `json:"credentials,omitempty"`
	Probes                *Probes              `json:"probes,omitempty"`
	Scheduling            *Scheduling          `json:"scheduling,omitempty"`
	PriorityClassName     string               `json:"priorityClassName,omitempty"`
	PodSecurityContext    map[string]any       `json:"podSecurityContext,omitempty"`
	SecurityContext       map[string]any       `json:"securityContext,omitempty"`
	// AutomountServiceAccountToken: nil leaves the chart's default (false).
	AutomountServiceAccountToken *bool             `json:"automountServiceAccountToken,omitempty"`
	NetworkPolicy                *NetworkPolicy    `json:"networkPolicy,omitempty"`
	PodAnnotations               map[string]string `json:"podAnnotations,omitempty"`
	PodLabels                    map[string]string `json:"podLabels,omitempty"`
	Plan                         *Plan             `json:"plan,omitempty"`
	Tests                        *ModelTests       `json:"tests,omitempty"`
	Monitoring                   *Monitoring       `json:"monitoring,omitempty"`
	InferencePool                *InferencePool    `json:"inferencePool,omitempty"`
}

// Model tasks.
const (
	TaskGenerate = "generate"
	TaskEmbed    = "embed"
)

// ModelRef names the model served.
type ModelRef struct {
	Name             string   `json:"name"`
	Task             string   `json:"task,omitempty"`
	ServedModelNames []string `json:"servedModelNames,omitempty"`
	Revision         string   `json:"revision,omitempty"`
	// Source is where the weights come from (nil: the Hub).
	Source *ModelSource `json:"source,omitempty"`
	// LoadFormat and SafetensorsLoadStrategy: --load-format and vLLM's --safetensors-load-strategy.
	LoadFormat              string `json:"loadFormat,omitempty"`
	SafetensorsLoadStrategy string `json:"safetensorsLoadStrategy,omitempty"`
}

// Model sources (model.source.type).
const (
	SourceHub = "hub"
	SourcePVC = "pvc"
	SourceS3  = "s3"
)

// ModelSource is model.source: the Hub, an existing claim or object storage.
type ModelSource struct {
	Type string        `json:"type,omitempty"`
	PVC  *SourcePVCRef `json:"pvc,omitempty"`
	S3   *SourceS3Ref  `json:"s3,omitempty"`
}

// SourcePVCRef is a model directory in an existing claim.
type SourcePVCRef struct {
	ClaimName string `json:"claimName,omitempty"`
	Path      string `json:"path,omitempty"`
}

// SourceS3Ref is a model directory in object storage, read by vLLM's Run:ai streamer.
type SourceS3Ref struct {
	URI                string `json:"uri,omitempty"`
	EndpointURL        string `json:"endpointUrl,omitempty"`
	Region             string `json:"region,omitempty"`
	VirtualAddressing  bool   `json:"virtualAddressing,omitempty"`
	SecretName         string `json:"secretName,omitempty"`
	AccessKeyIDKey     string `json:"accessKeyIdKey,omitempty"`
	SecretAccessKeyKey string `json:"secretAccessKeyKey,omitempty"`
}

// CUDA builds of the engine image.
const (
	CUDA13  = "13.0"
	CUDA129 = "12.9"
)

// Image is the engine image.
type Image struct {
	Repository      string           `json:"repository,omitempty"`
	Version         string           `json:"version,omitempty"`
	CUDA            string           `json:"cuda,omitempty"`
	CUDATagSuffixes *CUDATagSuffixes `json:"cudaTagSuffixes,omitempty"`
	Tag             string           `json:"tag,omitempty"`
	PullPolicy      string           `json:"pullPolicy,omitempty"`
}

// CUDATagSuffixes are the image tag suffixes per engine and CUDA build ("13.0", "12.9").
type CUDATagSuffixes struct {
	VLLM   map[string]string `json:"vllm,omitempty"`
	SGLang map[string]string `json:"sglang,omitempty"`
}

// Serving holds the engine-neutral settings (also the per-group overrides).
type Serving struct {
	TensorParallelSize   int               `json:"tensorParallelSize,omitempty"`
	PipelineParallelSize int               `json:"pipelineParallelSize,omitempty"`
	DataParallelSize     int               `json:"dataParallelSize,omitempty"`
	EnableExpertParallel *bool             `json:"enableExpertParallel,omitempty"`
	MaxModelLen          *int64            `json:"maxModelLen,omitempty"`
	GPUMemoryUtilization *float64          `json:"gpuMemoryUtilization,omitempty"`
	MaxNumSeqs           *int64            `json:"maxNumSeqs,omitempty"`
	MaxNumBatchedTokens  *int64            `json:"maxNumBatchedTokens,omitempty"`
	KVCacheDtype         string            `json:"kvCacheDtype,omitempty"`
	ToolCallParser       string            `json:"toolCallParser,omitempty"`
	ReasoningParser      string            `json:"reasoningParser,omitempty"`
	TrustRemoteCode      *bool             `json:"trustRemoteCode,omitempty"`
	EnablePrefixCaching  *bool             `json:"enablePrefixCaching,omitempty"`
	HFOverrides          map[string]any    `json:"hfOverrides,omitempty"`
	ExtraArgs            []string          `json:"extraArgs,omitempty"`
	PreStartCommands     []string          `json:"preStartCommands,omitempty"`
	Env                  EnvironmentValues `json:"env,omitempty"`
}

// VLLM holds the vLLM-only settings (also the per-group overrides).
type VLLM struct {
	APIServerCount            *int              `json:"apiServerCount,omitempty"`
	DecodeContextParallelSize *int              `json:"decodeContextParallelSize,omitempty"`
	EnableChunkedPrefill      *bool             `json:"enableChunkedPrefill,omitempty"`
	KVCacheMemoryBytes        *int64            `json:"kvCacheMemoryBytes,omitempty"`
	MambaCacheMode            string            `json:"mambaCacheMode,omitempty"`
	AllowLongMaxModelLen      *bool             `json:"allowLongMaxModelLen,omitempty"`
	Multimodal                *Multimodal       `json:"multimodal,omitempty"`
	CPUOffload                *CPUOffload       `json:"cpuOffload,omitempty"`
	KVOffload                 *KVOffload        `json:"kvOffload,omitempty"`
	PipelineTimeouts          *PipelineTimeouts `json:"pipelineTimeouts,omitempty"`
	// SpeculativeDraftTensorParallelSize is draft_tensor_parallel_size of --speculative-config.
	SpeculativeDraftTensorParallelSize *int `json:"speculativeDraftTensorParallelSize,omitempty"`
}

// Multimodal holds the multimodal processor flags.
type Multimodal struct {
	Enabled            bool   `json:"enabled,omitempty"`
	ProcessorCacheGB   *int   `json:"processorCacheGb,omitempty"`
	ProcessorCacheType string `json:"processorCacheType,omitempty"`
	EncoderTPMode      string `json:"encoderTpMode,omitempty"`
}

// CPUOffload is weight offload to CPU RAM.
type CPUOffload struct {
	Backend      string `json:"backend,omitempty"`
	GB           *int   `json:"gb,omitempty"`
	GroupSize    *int   `json:"groupSize,omitempty"`
	NumInGroup   *int   `json:"numInGroup,omitempty"`
	PrefetchStep *int   `json:"prefetchStep,omitempty"`
	DisableUVA   bool   `json:"disableUva,omitempty"`
}

// KVOffload is KV cache offload to CPU RAM.
type KVOffload struct {
	SizeGB *int `json:"sizeGb,omitempty"`
}

// PipelineTimeouts are the variables set when pipeline parallel size > 1.
type PipelineTimeouts struct {
	RPCTimeoutMs                  *int64 `json:"rpcTimeoutMs,omitempty"`
	ExecuteModelTimeoutSeconds    *int64 `json:"executeModelTimeoutSeconds,omitempty"`
	EngineIterationTimeoutSeconds *int64 `json:"engineIterationTimeoutSeconds,omitempty"`
}

// SGLang holds the SGLang-only settings (also the per-group overrides).
type SGLang struct {
	EnableDPAttention         bool `json:"enableDpAttention,omitempty"`
	DistTimeoutSeconds        *int `json:"distTimeoutSeconds,omitempty"`
	SpeculativeEagleTopk      *int `json:"speculativeEagleTopk,omitempty"`
	SpeculativeNumDraftTokens *int `json:"speculativeNumDraftTokens,omitempty"`
}

// LoRA is the adapters served beside the base model (name → Hugging Face id or path) and the engine's limits.
type LoRA struct {
	Adapters       map[string]string `json:"adapters,omitempty"`
	MaxLoras       *int              `json:"maxLoras,omitempty"`
	MaxRank        *int              `json:"maxRank,omitempty"`
	MaxCPULoras    *int              `json:"maxCpuLoras,omitempty"`
	RuntimeUpdates bool              `json:"runtimeUpdates,omitempty"`
	TargetModules  []string          `json:"targetModules,omitempty"`
}

// Speculative is speculative decoding, engine-neutral (the chart maps it to each engine's flags).
type Speculative struct {
	Method               string `json:"method,omitempty"`
	NumSpeculativeTokens *int   `json:"numSpeculativeTokens,omitempty"`
	DraftModel           string `json:"draftModel,omitempty"`
	DraftRevision        string `json:"draftRevision,omitempty"`
}

// MultiNode configures multi-node instances.
type MultiNode struct {
	Port int `json:"port,omitempty"`
	// Mode: MultiNodeStatefulSet or MultiNodeLeaderWorkerSet; empty leaves the chart's default (statefulset).
	Mode string `json:"mode,omitempty"`
}

// Multi-node modes (multiNode.mode).
const (
	MultiNodeStatefulSet     = "statefulset"
	MultiNodeLeaderWorkerSet = "leaderWorkerSet"
)

// GroupSettings are what every resource group starts from (resourceGroupDefaults) and may set itself.
type GroupSettings struct {
	Replicas     *int              `json:"replicas,omitempty"`
	Nodes        int               `json:"nodes,omitempty"`
	GPU          *GPU              `json:"gpu,omitempty"`
	Resources    *Resources        `json:"resources,omitempty"`
	NodeSelector map[string]string `json:"nodeSelector,omitempty"`
}

// ResourceGroup is one StatefulSet: its settings, its name suffix and its overrides of the shared blocks.
type ResourceGroup struct {
	Name *string `json:"name,omitempty"`
	GroupSettings
	Serving *Serving `json:"serving,omitempty"`
	VLLM    *VLLM    `json:"vllm,omitempty"`
	SGLang  *SGLang  `json:"sglang,omitempty"`
	// Autoscaling and PodDisruptionBudget are merged key by key over the shared blocks.
	Autoscaling         *Autoscaling         `json:"autoscaling,omitempty"`
	PodDisruptionBudget *PodDisruptionBudget `json:"podDisruptionBudget,omitempty"`
}

// GPU is a group's GPU request and placement.
type GPU struct {
	Resource       string   `json:"resource,omitempty"`
	Count          *int     `json:"count,omitempty"`
	MemoryMiBGt    *int64   `json:"memoryMiBGt,omitempty"`
	Products       []string `json:"products,omitempty"`
	ComputeMajorGt *int     `json:"computeMajorGt,omitempty"`
	DriverMajorGt  *int     `json:"driverMajorGt,omitempty"`
}

// Resources are a group's CPU and memory.
type Resources struct {
	CPU    *CPU    `json:"cpu,omitempty"`
	Memory *Memory `json:"memory,omitempty"`
}

// CPU request and limit; nil: the guide's formula.
type CPU struct {
	Request any `json:"request,omitempty"`
	Limit   any `json:"limit,omitempty"`
}

// Memory request and limit in GiB, before the chart's additions.
type Memory struct {
	RequestGiB *int64 `json:"requestGiB,omitempty"`
	LimitGiB   *int64 `json:"limitGiB,omitempty"`
}

// Service is the model's Service.
type Service struct {
	Type string `json:"type,omitempty"`
	Port int    `json:"port,omitempty"`
	// EnginePort is the engine's --port when it differs from the Service port; nil: Port.
	EnginePort  *int              `json:"enginePort,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

// Storage is the model cache volume.
type Storage struct {
	VolumeName       string   `json:"volumeName,omitempty"`
	Size             string   `json:"size,omitempty"`
	StorageClassName string   `json:"storageClassName,omitempty"`
	AccessModes      []string `json:"accessModes,omitempty"`
	MountPath        string   `json:"mountPath,omitempty"`
	SubPath          string   `json:"subPath,omitempty"`
	// HubCacheDir is the Hugging Face hub cache directory relative to MountPath ("." for MountPath itself); empty:
	// the chart's default, huggingface/hub.
	HubCacheDir string `json:"hubCacheDir,omitempty"`
	// EngineCaches: nil leaves the chart's default (true).
	EngineCaches *bool `json:"engineCaches,omitempty"`
	// Download and SharedCache: how a Hub model reaches the pods (nil: the chart's defaults).
	Download    *Download    `json:"download,omitempty"`
	SharedCache *SharedCache `json:"sharedCache,omitempty"`
}

// Download is the download step of a Hub model (storage.download).
type Download struct {
	Mode     string   `json:"mode,omitempty"`
	Include  []string `json:"include,omitempty"`
	Exclude  []string `json:"exclude,omitempty"`
	Endpoint string   `json:"endpoint,omitempty"`
	// Accelerated: nil leaves the chart's default (true).
	Accelerated *bool          `json:"accelerated,omitempty"`
	MaxWorkers  *int           `json:"maxWorkers,omitempty"`
	Resources   map[string]any `json:"resources,omitempty"`
}

// SharedCache is the one claim of storage.download.mode sharedCache.
type SharedCache struct {
	Size             string   `json:"size,omitempty"`
	StorageClassName string   `json:"storageClassName,omitempty"`
	AccessModes      []string `json:"accessModes,omitempty"`
	BackoffLimit     *int     `json:"backoffLimit,omitempty"`
}

// EphemeralStorage is the ephemeral-storage request and limit of each engine container.
type EphemeralStorage struct {
	Request string `json:"request,omitempty"`
	Limit   string `json:"limit,omitempty"`
}

// NetworkPolicy restricts who reaches the engine pods.
type NetworkPolicy struct {
	Enabled bool                `json:"enabled,omitempty"`
	APIFrom []NetworkPolicyPeer `json:"apiFrom,omitempty"`
}

// NetworkPolicyPeer is a networking.k8s.io/v1 NetworkPolicyPeer, kept as maps.
type NetworkPolicyPeer struct {
	NamespaceSelector map[string]any `json:"namespaceSelector,omitempty"`
	PodSelector       map[string]any `json:"podSelector,omitempty"`
	IPBlock           map[string]any `json:"ipBlock,omitempty"`
}

// Shm is the memory-backed /dev/shm.
type Shm struct {
	SizeLimit string `json:"sizeLimit,omitempty"`
}

// Credentials reference Secrets; tokens never sit in values.
type Credentials struct {
	SecretName    string     `json:"secretName,omitempty"`
	ConfigMapName string     `json:"configMapName,omitempty"`
	HFToken       *SecretKey `json:"hfToken,omitempty"`
	APIKey        *SecretKey `json:"apiKey,omitempty"`
}

// SecretKey is one key of one Secret.
type SecretKey struct {
	SecretName string `json:"secretName,omitempty"`
	Key        string `json:"key,omitempty"`
}

// Probe size classes (the guide's startup table).
const (
	SizeSmall  = "small"
	SizeMedium = "medium"
	SizeLarge  = "large"
	SizeXLarge = "xlarge"
)

// Probes on /health.
type Probes struct {
	SizeClass string `json:"sizeClass,omitempty"`
	Startup   *Probe `json:"startup,omitempty"`
	Readiness *Probe `json:"readiness,omitempty"`
	Liveness  *Probe `json:"liveness,omitempty"`
}

// Probe thresholds.
type Probe struct {
	FailureThreshold *int `json:"failureThreshold,omitempty"`
	PeriodSeconds    int  `json:"periodSeconds,omitempty"`
}

// Scheduling holds tolerations and node selection.
type Scheduling struct {
	Reservation         string            `json:"reservation,omitempty"`
	ReservationKey      string            `json:"reservationKey,omitempty"`
	GPUPreferNoSchedule *bool             `json:"gpuPreferNoSchedule,omitempty"`
	LargeGPU            *LargeGPU         `json:"largeGpu,omitempty"`
	Tolerations         []map[string]any  `json:"tolerations,omitempty"`
	NodeSelector        map[string]string `json:"nodeSelector,omitempty"`
}

// LargeGPU is the large-GPU node toleration.
type LargeGPU struct {
	Enabled   *bool  `json:"enabled,omitempty"`
	Key       string `json:"key,omitempty"`
	Value     string `json:"value,omitempty"`
	GPUCounts []int  `json:"gpuCounts,omitempty"`
}
