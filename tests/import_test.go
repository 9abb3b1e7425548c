package tests

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/llm-charts/llm-charts/internal/importer"
	"github.com/llm-charts/llm-charts/internal/render"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// importExamples are the guide's three example manifests (copies of ../shared/reference/examples), each imported
// with internal/importer and rendered through the chart: the StatefulSet must come out equivalent field by field.
var importExamples = []struct {
	file         string
	wantUnmapped []string // substrings of what the importer must list as not mapped
}{
	{"minimax-m2.5-statefulset.yaml", []string{`image tag "<v0.xx.xx-cu130_or_cu130-nightly-commit_hash>"`}},
	{"qwen3-vl-embedding-8b-statefulset.yaml", []string{`image tag "<v0.xx.xx_or_nightly-commit_hash>"`}},
	{"minimax-m2.5-deployment-deprecated.yaml", []string{`image tag "<v0.xx.xx-cu130_or_cu130-nightly-commit_hash>"`}},
}

func TestImportGuideExamplesRoundTrip(t *testing.T) {
	for _, ex := range importExamples {
		t.Run(ex.file, func(t *testing.T) {
			r, data := importOne(t, filepath.Join("testdata", "guide", ex.file))
			t.Logf("unmapped:\n  %s\nnotes:\n  %s", strings.Join(r.Unmapped, "\n  "), strings.Join(r.Notes, "\n  "))
			// Everything not mapped is listed; the guide's examples lose nothing but the placeholder image tag.
			assert.Len(t, r.Unmapped, len(ex.wantUnmapped), "unmapped: %q", r.Unmapped)
			for _, w := range ex.wantUnmapped {
				assert.True(t, containsSub(r.Unmapped, w), "want %q listed as unmapped", w)
			}

			raw, err := json.Marshal(r.Values)
			require.NoError(t, err)
			vals := map[string]any{}
			require.NoError(t, json.Unmarshal(raw, &vals))
			res, err := render.Chart(LoadChart(t, "llm-model"), vals, render.Options{ReleaseName: "imported", Namespace: r.Namespace})
			require.NoError(t, err, "values:\n%s", raw)
			gotSts, gotSvc := renderedWorkload(t, res)
			wantSts, wantSvc := readImportExample(t, data)
			// The import keeps the manifest's own choices (a ConfigMap for the token, no large-gpu toleration), so
			// none of the chart's deliberate differences is expected.
			compareStatefulSets(t, wantSts, gotSts, deliberate{})
			compareServices(t, wantSvc, gotSvc, gotSts)
		})
	}
}

// TestImportCopiesMatchShared keeps the Deployment example's copy identical to ../shared (the StatefulSets are
// checked by TestGuideCopiesMatchShared).
func TestImportCopiesMatchShared(t *testing.T) {
	shared := filepath.Join(repoRoot, "..", "shared", "reference", "examples", "minimax-m2.5-deployment-deprecated.yaml")
	want, err := os.ReadFile(shared)
	if err != nil {
		t.Skipf("no %s beside the repository: %v", shared, err)
	}
	got, err := os.ReadFile(filepath.Join("testdata", "guide", "minimax-m2.5-deployment-deprecated.yaml"))
	require.NoError(t, err)
	assert.True(t, bytes.Equal(want, got), "tests/testdata/guide/minimax-m2.5-deployment-deprecated.yaml differs from %s: copy it again", shared)
}

func containsSub(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// readImportExample reads a StatefulSet + Service, or a Deployment + PVC + Service, as the StatefulSet it should
// become: the Deployment's pod template, its PVC as the volume claim template (named after the pod's volume), and
// the chart's OrderedReady / Retain policies.
func readImportExample(t *testing.T, data []byte) (*appsv1.StatefulSet, *corev1.Service) {
	var sts *appsv1.StatefulSet
	var dep *appsv1.Deployment
	var pvc *corev1.PersistentVolumeClaim
	var svc *corev1.Service
	for _, part := range strings.Split(string(data), "\n---\n") {
		var meta struct{ Kind string }
		require.NoError(t, yaml.Unmarshal([]byte(part), &meta))
		switch meta.Kind {
		case "StatefulSet":
			sts = &appsv1.StatefulSet{}
			require.NoError(t, yaml.UnmarshalStrict([]byte(part), sts))
		case "Deployment":
			dep = &appsv1.Deployment{}
			require.NoError(t, yaml.UnmarshalStrict([]byte(part), dep))
		case "PersistentVolumeClaim":
			pvc = &corev1.PersistentVolumeClaim{}
			require.NoError(t, yaml.UnmarshalStrict([]byte(part), pvc))
		case "Service":
			svc = &corev1.Service{}
			require.NoError(t, yaml.UnmarshalStrict([]byte(part), svc))
		}
	}
	require.NotNil(t, svc)
	if sts != nil {
		return sts, svc
	}
	require.NotNil(t, dep)
	require.NotNil(t, pvc)
	sts = &appsv1.StatefulSet{ObjectMeta: dep.ObjectMeta}
	sts.Spec.Replicas = dep.Spec.Replicas
	sts.Spec.Selector = dep.Spec.Selector
	sts.Spec.Template = *dep.Spec.Template.DeepCopy()
	sts.Spec.ServiceName = dep.Name
	sts.Spec.PodManagementPolicy = appsv1.OrderedReadyPodManagement
	sts.Spec.PersistentVolumeClaimRetentionPolicy = &appsv1.StatefulSetPersistentVolumeClaimRetentionPolicy{
		WhenDeleted: appsv1.RetainPersistentVolumeClaimRetentionPolicyType, WhenScaled: appsv1.RetainPersistentVolumeClaimRetentionPolicyType}
	var vols []corev1.Volume
	for _, v := range sts.Spec.Template.Spec.Volumes {
		if v.PersistentVolumeClaim != nil && v.PersistentVolumeClaim.ClaimName == pvc.Name {
			claim := corev1.PersistentVolumeClaim{Spec: pvc.Spec}
			claim.Name = v.Name
			sts.Spec.VolumeClaimTemplates = append(sts.Spec.VolumeClaimTemplates, claim)
			continue
		}
		vols = append(vols, v)
	}
	sts.Spec.Template.Spec.Volumes = vols
	return sts, svc
}

// importCorpus are manifests in the shapes people have (tests/testdata/import: vLLM's Kubernetes docs, vLLM
// production-stack output, a KServe raw deployment, SGLang's docs, vLLM's LeaderWorkerSet example), written by us.
// Each imports to the committed case tests/cases/llm-model/import-<name>.yaml (its values and, in its header, the
// expected "not mapped" list and notes; refresh with go test ./tests -run TestImportCorpus -update and read the
// diff), which the golden and API-server tests render and install like every other case. The rendering must keep
// what clients and the old pod's data depend on: the model, the flags, the credentials, the cache path and the
// Service.
var importCorpus = []struct {
	name  string
	model string
	// args are flag/value pairs (a flag alone for a switch) the engine must receive.
	args        [][]string
	downloadDir string
	service     string
	port        int32
	enginePort  int32
	hfToken     [2]string // Secret name and key
	apiKey      [2]string
	// lwsSize is the size of the LeaderWorkerSet a multi-node one imports to (multiNode.mode leaderWorkerSet), named
	// after the old Service like the StatefulSet of the others.
	lwsSize int32
	// noExtraArgs: every engine flag maps to a values key (none is kept in serving.extraArgs).
	noExtraArgs bool
}{
	{name: "vllm-docs-deployment", model: "mistralai/Mistral-7B-Instruct-v0.3",
		args:        [][]string{{"--trust-remote-code"}, {"--enable-chunked-prefill"}, {"--max-num-batched-tokens", "1024"}, {"--max-model-len", "16384"}, {"--gpu-memory-utilization", "0.92"}},
		downloadDir: "/root/.cache/huggingface/hub", service: "mistral-7b", port: 80, enginePort: 8000,
		hfToken: [2]string{"hf-token-secret", "token"}},
	{name: "production-stack-deployment", model: "meta-llama/Llama-3.1-8B-Instruct",
		args:        [][]string{{"--max-model-len", "16384"}, {"--dtype", "bfloat16"}, {"--enable-prefix-caching"}, {"--max-num-seqs", "64"}},
		downloadDir: "/data/hub", service: "vllm-llama3-engine-service", port: 80, enginePort: 8000,
		hfToken: [2]string{"vllm-secrets", "hf_token_llama3"}, apiKey: [2]string{"vllm-secrets", "vllm_api_key"}},
	{name: "kserve-raw-deployment", model: "/mnt/models",
		args:        [][]string{{"--served-model-name", "llama"}, {"--tensor-parallel-size", "2"}, {"--max-model-len", "8192"}},
		downloadDir: "/mnt/models/huggingface/hub", service: "llama-predictor", port: 80, enginePort: 8080},
	{name: "sglang-docs-deployment", model: "meta-llama/Llama-3.1-8B-Instruct",
		args:        [][]string{{"--tp-size", "2"}, {"--context-length", "32768"}, {"--mem-fraction-static", "0.85"}, {"--api-key", "$(SGLANG_API_KEY)"}},
		downloadDir: "/root/.cache/huggingface/hub", service: "meta-llama-31-8b-instruct-sglang", port: 30000, enginePort: 30000,
		hfToken: [2]string{"hf-token", "token"}, apiKey: [2]string{"sglang-api", "key"}},
	{name: "lws-vllm-multinode", model: "meta-llama/Meta-Llama-3.1-405B-Instruct",
		args:        [][]string{{"--tensor-parallel-size", "8"}, {"--pipeline-parallel-size", "2"}},
		downloadDir: "/root/.cache/huggingface/hub", service: "vllm-leader", port: 8080, enginePort: 8080,
		hfToken: [2]string{"hf-secret", "hf_api_token"}, lwsSize: 2},
	// LoRA and speculative decoding map to lora.* and speculative.* (review 2026-12, drift 2), not serving.extraArgs.
	{name: "vllm-lora-speculative-deployment", model: "meta-llama/Llama-3.1-8B-Instruct",
		args: [][]string{{"--enable-lora"}, {"--lora-modules", "chat-lora=org/chat-lora", "sql-lora=yard1/llama-2-7b-sql-lora-test"},
			{"--max-loras", "4"}, {"--max-lora-rank", "64"}, {"--speculative-config", `{"method":"ngram","num_speculative_tokens":3}`}},
		downloadDir: "/root/.cache/huggingface/hub", service: "llama-lora", port: 8000, enginePort: 8000,
		hfToken: [2]string{"hf-token", "token"}, noExtraArgs: true},
	{name: "sglang-lora-ngram-deployment", model: "meta-llama/Llama-3.1-8B-Instruct",
		args: [][]string{{"--speculative-algorithm", "NGRAM"}, {"--speculative-num-draft-tokens", "4"}, {"--enable-lora"},
			{"--lora-paths", "sg-chat=org/chat-lora", "sg-sql=org/sql-lora"}, {"--max-loras-per-batch", "2"}, {"--max-lora-rank", "16"},
			{"--lora-target-modules", "q_proj", "v_proj"}},
		downloadDir: "/root/.cache/huggingface/hub", service: "llama-sglang-lora", port: 30000, enginePort: 30000,
		hfToken: [2]string{"hf-token", "token"}, noExtraArgs: true},
}

func TestImportCorpus(t *testing.T) {
	for _, c := range importCorpus {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join("testdata", "import", c.name+".yaml")
			r, _ := importOne(t, path)
			if c.noExtraArgs && r.Values.Serving != nil {
				assert.Empty(t, r.Values.Serving.ExtraArgs, "every engine flag maps to a values key")
			}
			var out bytes.Buffer
			require.NoError(t, importer.WriteValues(&out, r))
			caseFile := filepath.Join("cases", "llm-model", "import-"+c.name+".yaml")
			if *update {
				require.NoError(t, os.WriteFile(caseFile, out.Bytes(), 0o644))
			}
			want, err := os.ReadFile(caseFile)
			require.NoError(t, err)
			require.Equal(t, string(want), out.String(), "%s differs from what chartgen import writes now: go test ./tests -run TestImportCorpus -update, then read the diff", caseFile)

			vals := map[string]any{}
			require.NoError(t, yaml.Unmarshal(want, &vals))
			res, err := render.Chart(LoadChart(t, "llm-model"), vals, render.Options{ReleaseName: "imported", Namespace: r.Namespace})
			require.NoError(t, err)
			var sts *appsv1.StatefulSet
			var svc *corev1.Service
			for _, d := range res.Docs {
				obj, err := DecodeStrict(d)
				require.NoError(t, err)
				switch o := obj.(type) {
				case *appsv1.StatefulSet:
					if o.Name == c.service {
						sts = o
					}
				case *corev1.Service:
					if o.Name == c.service {
						svc = o
					}
				}
				if c.lwsSize > 0 && strings.Contains(d.Body, "\nkind: LeaderWorkerSet\n") {
					var lws struct {
						Metadata struct{ Name string }
						Spec     struct {
							LeaderWorkerTemplate struct {
								Size                           int32
								LeaderTemplate, WorkerTemplate corev1.PodTemplateSpec
							}
						}
					}
					require.NoError(t, yaml.Unmarshal([]byte(d.Body), &lws))
					require.Equal(t, c.service, lws.Metadata.Name, "the LeaderWorkerSet is named after the old Service")
					assert.Equal(t, c.lwsSize, lws.Spec.LeaderWorkerTemplate.Size, "LeaderWorkerSet size = the old one's = nodes")
					sts = &appsv1.StatefulSet{}
					sts.Spec.Template = lws.Spec.LeaderWorkerTemplate.LeaderTemplate
					for _, tpl := range []corev1.PodTemplateSpec{lws.Spec.LeaderWorkerTemplate.LeaderTemplate, lws.Spec.LeaderWorkerTemplate.WorkerTemplate} {
						a := strings.Join(tpl.Spec.Containers[0].Command, " ") + " " + strings.Join(tpl.Spec.Containers[0].Args, " ")
						assert.Contains(t, a, "RANK=$LWS_WORKER_INDEX", "the rank from the LWS variables")
						assert.Contains(t, a, "LEADER=$LWS_LEADER_ADDRESS", "rank 0's address from the LWS variables")
						assert.Contains(t, a, fmt.Sprintf("--nnodes %d", c.lwsSize))
					}
				}
			}
			require.NotNil(t, sts, "the leader StatefulSet (or LeaderWorkerSet) is named after the old Service %s", c.service)
			require.NotNil(t, svc, "the Service keeps its name %s", c.service)
			ctr := sts.Spec.Template.Spec.Containers[0]
			args := ctr.Args
			if len(ctr.Command) > 0 && ctr.Command[0] != "bash" {
				args = append(append([]string{}, ctr.Command...), args...)
			}
			assert.True(t, hasRun(args, c.model), "the model %s: %q", c.model, args)
			for _, a := range c.args {
				assert.True(t, hasRun(args, a...), "engine flags %q: %q", a, args)
			}
			assert.True(t, hasRun(args, "--download-dir", c.downloadDir), "the old pod's hub cache %s: %q", c.downloadDir, args)
			assert.True(t, hasRun(args, "--port", fmt.Sprint(c.enginePort)), "the engine port %d: %q", c.enginePort, args)
			mounted := false
			for _, m := range ctr.VolumeMounts {
				if m.MountPath != "/dev/shm" && strings.HasPrefix(c.downloadDir+"/", strings.TrimSuffix(m.MountPath, "/")+"/") {
					mounted = true
				}
			}
			assert.True(t, mounted, "the hub cache %s is on the cache volume: %+v", c.downloadDir, ctr.VolumeMounts)
			require.Len(t, svc.Spec.Ports, 1)
			assert.Equal(t, c.port, svc.Spec.Ports[0].Port, "the Service port clients use")
			assert.Equal(t, "http", svc.Spec.Ports[0].TargetPort.String())
			assert.Equal(t, c.enginePort, ctr.Ports[0].ContainerPort, "the Service targets the engine's port")
			env := map[string]*corev1.SecretKeySelector{}
			for _, e := range ctr.Env {
				if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
					env[e.Name] = e.ValueFrom.SecretKeyRef
				}
			}
			checkSecret := func(names []string, want [2]string) {
				if want[0] == "" {
					return
				}
				for _, n := range names {
					if r := env[n]; r != nil {
						assert.Equal(t, want, [2]string{r.Name, r.Key}, n)
						return
					}
				}
				t.Errorf("none of %v comes from Secret %s key %s: %v", names, want[0], want[1], ctr.Env)
			}
			checkSecret([]string{"HF_TOKEN"}, c.hfToken)
			checkSecret([]string{"VLLM_API_KEY", "SGLANG_API_KEY"}, c.apiKey)
		})
	}
}

// hasRun reports whether want appears in args as consecutive items.
func hasRun(args []string, want ...string) bool {
	for i := 0; i+len(want) <= len(args); i++ {
		ok := true
		for j, w := range want {
			if args[i+j] != w {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// importOne reads a manifest file and imports it, which must give exactly one workload; it returns that and the
// file's bytes.
func importOne(t *testing.T, path string) (importer.Result, []byte) {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	objs, err := importer.Read(path, data)
	require.NoError(t, err)
	results, err := importer.Import(objs)
	require.NoError(t, err)
	require.Len(t, results, 1)
	return results[0], data
}
