package values

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/llm-charts/llm-charts/schema"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fullModel sets every field, so that a field the schema lacks fails validation.
func fullModel() Model {
	serving := &Serving{
		TensorParallelSize: 4, PipelineParallelSize: 2, DataParallelSize: 1, EnableExpertParallel: ptr(false),
		MaxModelLen: ptr(int64(196608)), GPUMemoryUtilization: ptr(0.95), MaxNumSeqs: ptr(int64(128)),
		MaxNumBatchedTokens: ptr(int64(16384)), KVCacheDtype: "fp8", ToolCallParser: "minimax_m2",
		ReasoningParser: "minimax_m2", TrustRemoteCode: ptr(true), EnablePrefixCaching: ptr(true),
		HFOverrides: map[string]any{"rope_scaling": map[string]any{"type": "dynamic", "factor": 1.5}},
		ExtraArgs:   []string{"--seed", "1"}, PreStartCommands: []string{"true"}, Env: map[string]string{"A": "1"},
	}
	vllm := &VLLM{
		APIServerCount: ptr(8), DecodeContextParallelSize: ptr(2), EnableChunkedPrefill: ptr(true), MambaCacheMode: "align",
		AllowLongMaxModelLen: ptr(true),
		Multimodal:           &Multimodal{Enabled: true, ProcessorCacheGB: ptr(8), ProcessorCacheType: "shm", EncoderTPMode: "data"},
		CPUOffload:           &CPUOffload{Backend: "prefetch", GB: ptr(1), GroupSize: ptr(1), NumInGroup: ptr(1), PrefetchStep: ptr(1), DisableUVA: true},
		KVOffload:            &KVOffload{SizeGB: ptr(64)},
		PipelineTimeouts:     &PipelineTimeouts{RPCTimeoutMs: ptr(int64(1200000)), ExecuteModelTimeoutSeconds: ptr(int64(1200)), EngineIterationTimeoutSeconds: ptr(int64(1200))},
	}
	group := GroupSettings{
		Replicas: ptr(1), Nodes: 2,
		GPU: &GPU{Resource: "nvidia.com/a100", Count: ptr(8), MemoryMiBGt: ptr(int64(80000)), Products: []string{"NVIDIA-A100-SXM4-80GB"},
			ComputeMajorGt: ptr(7), DriverMajorGt: ptr(575)},
		Resources:    &Resources{CPU: &CPU{Request: 14, Limit: "28"}, Memory: &Memory{RequestGiB: ptr(int64(180)), LimitGiB: ptr(int64(360))}},
		NodeSelector: map[string]string{"a": "b"},
	}
	sglang := &SGLang{EnableDPAttention: true, DistTimeoutSeconds: ptr(600)}
	auto := &Autoscaling{Enabled: ptr(true), Mode: AutoscalingKEDA, MinReplicas: ptr(1), MaxReplicas: ptr(4),
		Targets:                       &AutoscalingTargets{QueueLength: ptr(2.0), KVCacheUsage: ptr(0.8)},
		ScaleDownStabilizationSeconds: ptr(1200),
		ScaleToZero:                   &ScaleToZero{Enabled: ptr(true), ActivationQuery: "sum(x)", ActivationThreshold: ptr(0.5), Threshold: ptr(5.0)},
		KEDA:                          &KEDA{ServerAddress: "http://prometheus:9090", AuthenticationRef: "auth", PollingInterval: ptr(30)},
		HPA:                           &HPA{MetricType: "External", MetricNames: &HPAMetricNames{QueueLength: "q", KVCacheUsage: "kv"}, ExternalSelector: map[string]string{"a": "b"}},
	}
	pdb := &PodDisruptionBudget{Enabled: ptr(true), MaxUnavailable: ptr(1), UnhealthyPodEvictionPolicy: "AlwaysAllow"}
	named := ResourceGroup{Name: ptr("a100"), GroupSettings: group, Serving: serving, VLLM: vllm, SGLang: sglang,
		Autoscaling: &Autoscaling{MaxReplicas: ptr(2)}, PodDisruptionBudget: &PodDisruptionBudget{Enabled: ptr(false)}}
	return Model{
		NameOverride: "minimax", FullnameOverride: "minimax-vllm-inference", Engine: "vllm", ClusterDomain: "cluster.local",
		SGLang: sglang, MultiNode: &MultiNode{Port: 29500},
		Model: ModelRef{Name: "MiniMaxAI/MiniMax-M2.5", Task: TaskGenerate, ServedModelNames: []string{"minimax"}, Revision: "main"},
		Image: &Image{Repository: "vllm/vllm-openai", Version: "v0.19.0", CUDA: CUDA13, CUDATagSuffixes: &CUDATagSuffixes{VLLM: map[string]string{"13.0": "-cu130"}, SGLang: map[string]string{"12.9": "-cu129"}},
			Tag: "x", PullPolicy: "Always"},
		Serving: serving, VLLM: vllm, ResourceGroupDefaults: &group, ResourceGroups: []ResourceGroup{named},
		Autoscaling: auto, PodDisruptionBudget: pdb,
		Service:     &Service{Type: "ClusterIP", Port: 5000, Annotations: map[string]string{"a": "b"}},
		Storage:     &Storage{VolumeName: "cache", Size: "256Gi", StorageClassName: "x", AccessModes: []string{"ReadWriteOnce"}, MountPath: "/workspace/.cache", SubPath: "cache"},
		Shm:         &Shm{SizeLimit: "10Gi"},
		Credentials: &Credentials{SecretName: "s", ConfigMapName: "c", HFToken: &SecretKey{SecretName: "h", Key: "k"}, APIKey: &SecretKey{SecretName: "a", Key: "k"}},
		Probes: &Probes{SizeClass: SizeXLarge, Startup: &Probe{FailureThreshold: ptr(90), PeriodSeconds: 10},
			Readiness: &Probe{FailureThreshold: ptr(6), PeriodSeconds: 10}, Liveness: &Probe{FailureThreshold: ptr(8), PeriodSeconds: 30}},
		Scheduling: &Scheduling{Reservation: "nrp-llm", ReservationKey: "nautilus.io/reservation", GPUPreferNoSchedule: ptr(true),
			LargeGPU:    &LargeGPU{Enabled: ptr(true), Key: "nautilus.io/hardware", Value: "large-gpu", GPUCounts: []int{4, 8}},
			Tolerations: []map[string]any{{"key": "x", "operator": "Exists"}}, NodeSelector: map[string]string{"a": "b"}},
		PriorityClassName: "owner", PodSecurityContext: map[string]any{"runAsUser": 0}, SecurityContext: map[string]any{"privileged": false},
		PodAnnotations: map[string]string{"a": "b"}, PodLabels: map[string]string{"a": "b"},
	}
}

func TestModelValuesValidateAgainstSchema(t *testing.T) {
	require.NoError(t, schema.Validate(schema.LLMModel, fullModel()))
	// And a value the schema refuses is refused: the check is not vacuous.
	bad := fullModel()
	bad.Serving.KVCacheDtype = "int4"
	assert.Error(t, schema.Validate(schema.LLMModel, bad))
}

// TestModelTypesCoverSchema: every property of the schema has a Go field, and every Go field a schema property.
func TestModelTypesCoverSchema(t *testing.T) {
	raw, err := schema.Raw(schema.LLMModel)
	require.NoError(t, err)
	var root map[string]any
	require.NoError(t, json.Unmarshal(raw, &root))
	schemaPaths := map[string]bool{}
	collectSchemaPaths("", root, root, schemaPaths)
	delete(schemaPaths, ".global") // Helm's own key
	goPaths := map[string]bool{}
	collectGoPaths("", reflect.TypeOf(Model{}), goPaths)
	assert.Empty(t, diff(schemaPaths, goPaths), "schema properties without a Go field")
	assert.Empty(t, diff(goPaths, schemaPaths), "Go fields without a schema property")
}

// collectSchemaPaths lists the property paths of schema s; a local "$ref" (e.g. "#/properties/autoscaling", the
// resource groups' overrides) is followed in root.
func collectSchemaPaths(prefix string, root, s map[string]any, out map[string]bool) {
	if ref, ok := s["$ref"].(string); ok {
		s = resolveRef(root, ref)
	}
	props, _ := s["properties"].(map[string]any)
	for k, v := range props {
		p := prefix + "." + k
		out[p] = true
		sub, _ := v.(map[string]any)
		if items, ok := sub["items"].(map[string]any); ok {
			collectSchemaPaths(p+"[]", root, items, out)
		}
		collectSchemaPaths(p, root, sub, out)
	}
}

// resolveRef follows a local JSON pointer ("#/a/b") in root; nil when it leads nowhere.
func resolveRef(root map[string]any, ref string) map[string]any {
	cur := root
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		next, _ := cur[part].(map[string]any)
		if next == nil {
			return nil
		}
		cur = next
	}
	return cur
}

func collectGoPaths(prefix string, t reflect.Type, out map[string]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		if t.Kind() == reflect.Slice {
			prefix += "[]"
		}
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous {
			collectGoPaths(prefix, f.Type, out)
			continue
		}
		name := strings.Split(f.Tag.Get("json"), ",")[0]
		p := strings.TrimSuffix(prefix, "[]") + "." + name
		if strings.HasSuffix(prefix, "[]") {
			p = prefix + "." + name
		}
		out[p] = true
		ft := f.Type
		sub := p
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Slice && ft.Elem().Kind() != reflect.Map {
			collectGoPaths(sub, ft, out)
		} else if ft.Kind() == reflect.Struct {
			collectGoPaths(sub, ft, out)
		}
	}
}

func diff(a, b map[string]bool) []string {
	var out []string
	for k := range a {
		if !b[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
