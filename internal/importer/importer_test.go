package importer

import (
	"github.com/llm-charts/llm-charts/internal/flagtable"
	"strings"
	"testing"

	"github.com/llm-charts/llm-charts/internal/values"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const sts = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: qwen, namespace: llm, labels: {app: qwen, team: ml}}
spec:
  replicas: 2
  selector: {matchLabels: {app: qwen}}
  serviceName: qwen
  template:
    metadata: {labels: {app: qwen, tier: gpu}}
    spec:
      serviceAccountName: runner
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions:
              - {key: nvidia.com/gpu.product, operator: In, values: [NVIDIA-L40]}
              - {key: nvidia.com/gpu.compute.major, operator: Gt, values: ['7']}
              - {key: nvidia.com/cuda.driver.major, operator: Gt, values: ['575']}
              - {key: zone, operator: In, values: [a]}
      tolerations:
      - {key: nvidia.com/gpu, operator: Exists, effect: PreferNoSchedule}
      - {key: dedicated, operator: Equal, value: llm, effect: NoSchedule}
      containers:
      - name: vllm
        image: vllm/vllm-openai:v0.19.0-cu130
        command: [bash, -c]
        args:
        - >-
          pip install foo && apt-get update; exec vllm serve Qwen/Qwen3-8B --port 8000 -tp 2
          --max-model-len 32k --enforce-eager --compilation-config '{"level": 3}' --served-model-name qwen a
          --hf-overrides '{"rope_scaling": {"type": "yarn", "factor": 2}}' --cpu-offload-gb 4
        env:
        - {name: HF_TOKEN, value: hf_plaintext}
        - {name: VLLM_API_KEY, valueFrom: {secretKeyRef: {name: keys, key: api}}}
        - {name: NCCL_DEBUG, value: INFO}
        ports: [{name: http, containerPort: 8000}]
        resources:
          requests: {cpu: 4, memory: 40Gi, nvidia.com/gpu: 2, ephemeral-storage: 10Gi}
          limits: {cpu: 8, memory: 64Gi, nvidia.com/gpu: 2}
        volumeMounts: [{name: cache, mountPath: /root/.cache}]
        readinessProbe: {httpGet: {path: /health, port: 8000}, initialDelaySeconds: 60}
      - {name: sidecar, image: busybox}
  volumeClaimTemplates:
  - metadata: {name: cache}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 100Gi}}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: stray}
`

func TestImportListsWhatItCannotMap(t *testing.T) {
	objs, err := Read("x.yaml", []byte(sts))
	require.NoError(t, err)
	res, err := Import(objs)
	require.NoError(t, err)
	require.Len(t, res, 1)
	r := res[0]
	v := r.Values
	assert.Equal(t, "Qwen/Qwen3-8B", v.Model.Name)
	assert.Equal(t, []string{"qwen", "a"}, v.Model.ServedModelNames)
	assert.Equal(t, []string{"pip install foo", "apt-get update"}, v.Serving.PreStartCommands)
	assert.Equal(t, 2, v.Serving.TensorParallelSize)
	assert.Equal(t, []string{"--enforce-eager", "--compilation-config", `{"level": 3}`}, v.Serving.ExtraArgs)
	assert.Equal(t, int64(32000), *v.Serving.MaxModelLen, "vLLM reads 32k as 32,000 (human_readable_int)")
	assert.Contains(t, strings.Join(r.Notes, "\n"), "Hugging Face cache: old /root/.cache/huggingface/hub (from the default of huggingface_hub for root, the images' user) → new /root/.cache/huggingface/hub")
	assert.Equal(t, "uva", v.VLLM.CPUOffload.Backend)
	assert.Equal(t, false, *v.VLLM.AllowLongMaxModelLen)
	assert.Equal(t, values.EnvironmentValues{"NCCL_DEBUG": "INFO"}, v.Serving.Env)
	assert.Equal(t, "keys", v.Credentials.APIKey.SecretName)
	assert.Equal(t, 8000, v.Service.Port)
	assert.Equal(t, "10Gi", v.EphemeralStorage.Request)
	assert.Equal(t, map[string]string{"tier": "gpu"}, v.PodLabels)
	assert.Equal(t, []string{"NVIDIA-L40"}, v.ResourceGroups[0].GPU.Products)
	assert.Equal(t, int64(40-8), *v.ResourceGroups[0].Resources.Memory.RequestGiB, "uva 4 GB × 2 GPUs come off the base")
	all := strings.Join(r.Unmapped, "\n")
	for _, want := range []string{
		"--enforce-eager: no values key",
		"--compilation-config",
		"env HF_TOKEN: a secret in plain text, NOT copied",
		`{"key":"zone"`,
		"2 containers",
		`sidecar`,
		"readinessProbe.initialDelaySeconds",
		"startupProbe: absent",
		"serviceAccountName",
		"metadata.labels.team",
		"ConfigMap stray",
	} {
		assert.Contains(t, all, want)
	}
	assert.NotContains(t, all, "hf_plaintext", "a secret never appears in the output")
	notes := strings.Join(r.Notes, "\n")
	assert.NotContains(t, notes, "flag table", "every flag of the manifest is in vLLM v0.19.0's table")
	assert.NotContains(t, notes, "becomes `vllm serve MODEL`", "the manifest already runs vllm serve")
	var b strings.Builder
	require.NoError(t, WriteValues(&b, r))
	assert.Contains(t, b.String(), "# NOT MAPPED")
	assert.NotContains(t, b.String(), "hf_plaintext")
}

func TestImportChecksFlagsAgainstTheFlagTable(t *testing.T) {
	res := importEdited(t, "exec vllm serve Qwen/Qwen3-8B", "exec python3 -m vllm.entrypoints.openai.api_server --model Qwen/Qwen3-8B --kv-cache-dtype int4 --frobnicate")
	assert.Equal(t, "Qwen/Qwen3-8B", res[0].Values.Model.Name)
	assert.Contains(t, strings.Join(res[0].Notes, "\n"), "python3 -m vllm.entrypoints.openai.api_server becomes `vllm serve MODEL`")
	unmapped := strings.Join(res[0].Unmapped, "\n")
	for _, want := range []string{
		`engine flag --kv-cache-dtype int4: --kv-cache-dtype: "int4" is not one of auto`,
		"engine flag --frobnicate: not a flag of vllm v0.19.0",
	} {
		assert.Contains(t, unmapped, want)
	}
	assert.Equal(t, []string{"--kv-cache-dtype", "int4", "--frobnicate"}, res[0].Values.Serving.ExtraArgs[:3], "kept in extraArgs, as written")
	// A release without a table is checked against the nearest older one, and the notes say so.
	newest, _ := flagtable.Newest("vllm")
	res = importEdited(t, "v0.19.0-cu130", "v0.99.0-cu130")
	assert.Contains(t, strings.Join(res[0].Notes, "\n"), `image tag "v0.99.0-cu130": the chart has no engine flag table for vllm v0.99.0, so the flags were checked against vllm `+newest.Version+`, the nearest release with one`)
}

// importEdited imports the test StatefulSet with one string replaced.
func importEdited(t *testing.T, old, replacement string) []Result {
	t.Helper()
	objs, err := Read("x.yaml", []byte(strings.Replace(sts, old, replacement, 1)))
	require.NoError(t, err)
	res, err := Import(objs)
	require.NoError(t, err)
	return res
}

func TestImportRefusesScriptsItCannotSplit(t *testing.T) {
	res := importEdited(t, "pip install foo && apt-get update; exec vllm serve", "pip install foo || true; vllm serve")
	assert.Contains(t, strings.Join(res[0].Unmapped, "\n"), "the shell script cannot be mapped")
}

func TestImportNeedsAWorkload(t *testing.T) {
	objs, err := Read("x.yaml", []byte("apiVersion: v1\nkind: Service\nmetadata: {name: a}\n"))
	require.NoError(t, err)
	_, err = Import(objs)
	assert.ErrorContains(t, err, "no StatefulSet, Deployment or LeaderWorkerSet")
}

func TestImportCredentialsUnderEveryName(t *testing.T) {
	// Both token names: huggingface_hub reads HF_TOKEN first, so it wins and the other is listed.
	res := importEdited(t, "        - {name: HF_TOKEN, value: hf_plaintext}", `        - {name: HUGGING_FACE_HUB_TOKEN, valueFrom: {secretKeyRef: {name: legacy, key: t}}}
        - {name: HF_TOKEN, valueFrom: {secretKeyRef: {name: hf, key: token}}}`)
	assert.Equal(t, &values.SecretKey{SecretName: "hf", Key: "token"}, res[0].Values.Credentials.HFToken)
	assert.Contains(t, strings.Join(res[0].Unmapped, "\n"), "env HUGGING_FACE_HUB_TOKEN (Secret legacy key t): huggingface_hub ignores it while HF_TOKEN is set")
	// The legacy name alone becomes credentials.hfToken.
	res = importEdited(t, "        - {name: HF_TOKEN, value: hf_plaintext}", `        - {name: HUGGING_FACE_HUB_TOKEN, valueFrom: {secretKeyRef: {name: legacy, key: t}}}`)
	assert.Equal(t, &values.SecretKey{SecretName: "legacy", Key: "t"}, res[0].Values.Credentials.HFToken)
	// An API key passed as --api-key "$KEY" in the script, KEY from a Secret key.
	res = importEdited(t, "--port 8000 -tp 2", `--port 8000 -tp 2 --api-key "$KEY"`)
	res2 := importEdited(t, "        - {name: VLLM_API_KEY, valueFrom: {secretKeyRef: {name: keys, key: api}}}", "        - {name: KEY, valueFrom: {secretKeyRef: {name: other, key: k}}}")
	assert.Equal(t, "keys", res[0].Values.Credentials.APIKey.SecretName)
	assert.Nil(t, res2[0].Values.Credentials, "a Secret-backed variable nothing uses is listed, not taken as the API key")
	assert.Contains(t, strings.Join(res2[0].Unmapped, "\n"), "env KEY (Secret other key k)")
}

func TestImportFlagsAsTheEngineParsesThem(t *testing.T) {
	res := importEdited(t, "exec vllm serve Qwen/Qwen3-8B --port 8000 -tp 2", "exec vllm serve --model=Qwen/Qwen3-8B --port=9000 --tensor_parallel_size 2 --enable_prefix_caching --max_num_seqs=8")
	v := res[0].Values
	assert.Equal(t, "Qwen/Qwen3-8B", v.Model.Name)
	assert.Equal(t, 2, v.Serving.TensorParallelSize)
	assert.Equal(t, true, *v.Serving.EnablePrefixCaching)
	assert.Equal(t, int64(8), *v.Serving.MaxNumSeqs)
	assert.Equal(t, 9000, v.Service.Port, "no Service: the chart's Service takes the engine's port")
	// SGLang's argparse takes no underscores: the old pod would have refused the flag too, and the hint says so.
	res = importEdited(t, "exec vllm serve Qwen/Qwen3-8B --port 8000 -tp 2", "exec python3 -m sglang.launch_server --model Qwen/Qwen3-8B --tp_size 2 --tp 2")
	assert.Equal(t, "sglang", res[0].Values.Engine)
	assert.Equal(t, 2, res[0].Values.Serving.TensorParallelSize)
	assert.Contains(t, strings.Join(res[0].Unmapped, "\n"), "did you mean --tp-size?")
}

func TestImportKServeStorageInitializer(t *testing.T) {
	objs, err := Read("x.yaml", []byte(strings.Replace(strings.Replace(sts, "      containers:\n", `      initContainers:
      - name: storage-initializer
        image: kserve/storage-initializer
        args: ["hf://Qwen/Qwen3-8B:main", /mnt/models]
      containers:
`, 1), "exec vllm serve Qwen/Qwen3-8B", "exec vllm serve /mnt/models", 1)))
	require.NoError(t, err)
	out, err := Import(objs)
	require.NoError(t, err)
	assert.Equal(t, "Qwen/Qwen3-8B", out[0].Values.Model.Name)
	assert.Equal(t, "main", out[0].Values.Model.Revision)
	assert.Contains(t, strings.Join(out[0].Notes, "\n"), "storage-initializer downloads hf://Qwen/Qwen3-8B:main")
}

func TestImportCacheOutsideTheVolume(t *testing.T) {
	res := importEdited(t, "        - {name: NCCL_DEBUG, value: INFO}", "        - {name: HF_HOME, value: /tmp/hf}")
	assert.Contains(t, strings.Join(res[0].Notes, "\n"), "the old pod kept it in /tmp/hf/hub (from HF_HOME), outside the cache volume mounted at /root/.cache")
	res = importEdited(t, "--port 8000 -tp 2", "--port 8000 -tp 2 --download-dir /root/.cache/models")
	assert.Equal(t, "models", res[0].Values.Storage.HubCacheDir)
}

// TestImportUsesTheReleaseTable: a manifest for a newer release is read with that release's table: a flag the
// release removed is reported against it, one it added is a flag of it, and the image's CUDA build follows the
// release's tag scheme (v0.27.1's plain tag is the CUDA 13.0 build, -cu129 the 12.9 one).
func TestImportUsesTheReleaseTable(t *testing.T) {
	res := importEdited(t, "vllm/vllm-openai:v0.19.0-cu130", "vllm/vllm-openai:v0.27.1-cu129")
	assert.Equal(t, "12.9", res[0].Values.Image.CUDA)
	edited := strings.Replace(strings.Replace(sts, "vllm/vllm-openai:v0.19.0-cu130", "vllm/vllm-openai:v0.27.1", 1),
		"exec vllm serve Qwen/Qwen3-8B --port 8000 -tp 2", "exec vllm serve Qwen/Qwen3-8B --port 8000 -tp 2 --max-num-partial-prefills 2 --max-num-scheduled-tokens 4096", 1)
	objs, err := Read("x.yaml", []byte(edited))
	require.NoError(t, err)
	res, err = Import(objs)
	require.NoError(t, err)
	unmapped := strings.Join(res[0].Unmapped, "\n")
	assert.Contains(t, unmapped, "engine flag --max-num-partial-prefills 2: not a flag of vllm v0.27.1")
	assert.Contains(t, unmapped, "engine flag --max-num-scheduled-tokens 4096: no values key for it", "v0.27.1 has it")
	assert.NotContains(t, unmapped, "checked subset", "v0.27.1's table is complete")
	assert.Empty(t, res[0].Values.Image.CUDA, "v0.27.1's plain tag is the default CUDA 13.0 build")
}
