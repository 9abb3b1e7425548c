package importer

import (
	"sort"
	"strings"

	"github.com/llm-charts/llm-charts/internal/engine"
	"github.com/llm-charts/llm-charts/internal/values"
)

func (s *state) envFrom(c map[string]any) {
	list, _ := take(c, "envFrom")
	creds := orNew(s.v.Credentials)
	for _, e := range asList(list) {
		em := e.(map[string]any)
		switch {
		case get(em, "configMapRef", "name") != nil && creds.ConfigMapName == "" && len(em) == 1:
			creds.ConfigMapName = str(get(em, "configMapRef", "name"))
		case get(em, "secretRef", "name") != nil && creds.SecretName == "" && len(em) == 1:
			creds.SecretName = str(get(em, "secretRef", "name"))
		default:
			s.unmapped("envFrom %s: the chart takes one Secret (credentials.secretName) and one ConfigMap (credentials.configMapName), without prefix or optional", jsonString(e))
		}
	}
	if !isZero(creds) {
		s.v.Credentials = creds
	}
}

var chartEnv = map[string]bool{
	"VLLM_RPC_TIMEOUT": true, "VLLM_EXECUTE_MODEL_TIMEOUT_SECONDS": true, "VLLM_ENGINE_ITERATION_TIMEOUT_S": true,
	"PYTORCH_ALLOC_CONF": true, "VLLM_WEIGHT_OFFLOADING_DISABLE_PIN_MEMORY": true, "VLLM_WEIGHT_OFFLOADING_DISABLE_UVA": true,
	"VLLM_ALLOW_LONG_MAX_MODEL_LEN": true,
}

// tokenEnv are the variables huggingface_hub reads the Hub token from, in its order (utils/_auth.py
// _get_token_from_environment: HF_TOKEN, else the legacy HUGGING_FACE_HUB_TOKEN); the chart renders HF_TOKEN.
var tokenEnv = []string{"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"}

// hubCacheEnv are the variables that place huggingface_hub's cache (constants.py): HF_HUB_CACHE (legacy
// HUGGINGFACE_HUB_CACHE), else $HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub. The chart sets its own from
// storage (XDG_CACHE_HOME with storage.engineCaches, HF_HUB_CACHE with storage.hubCacheDir).
var hubCacheEnv = map[string]bool{"HF_HUB_CACHE": true, "HUGGINGFACE_HUB_CACHE": true, "HF_HOME": true, "XDG_CACHE_HOME": true}

func (s *state) env(c map[string]any) {
	list, _ := take(c, "env")
	tokens := map[string]*values.SecretKey{}
	for _, e := range asList(list) {
		em := e.(map[string]any)
		name := str(em["name"])
		ref, _ := get(em, "valueFrom", "secretKeyRef").(map[string]any)
		val, hasVal := em["value"]
		switch {
		case ref != nil && len(ref) <= 2 && len(em) == 2:
			sk := &values.SecretKey{SecretName: str(ref["name"]), Key: str(ref["key"])}
			switch {
			case contains(tokenEnv, name):
				tokens[name] = sk
			case isAPIKeyEnv(name):
				s.setAPIKey(name, sk) // e.g. vllm/envs.py VLLM_API_KEY: the key the server requires
			default:
				s.secretEnv[name] = sk // claimed by --api-key $(NAME), else listed
			}
		case hasVal && (contains(tokenEnv, name) || isAPIKeyEnv(name) || strings.HasPrefix(str(val), "hf_")):
			s.unmapped("env %s: a secret in plain text, NOT copied; put it in a Secret and reference it with credentials", name)
		case hasVal && hubCacheEnv[name] && len(em) == 2:
			s.cacheEnv[name] = str(val)
		case hasVal && name == "VLLM_ALLOW_LONG_MAX_MODEL_LEN":
			b := str(val) == "1" || strings.EqualFold(str(val), "true")
			s.vllm.AllowLongMaxModelLen = &b
		case hasVal && chartEnv[name]:
			s.setEnv(name, str(val)) // kept as given; the chart's own value for it is replaced
		case hasVal && len(em) == 2:
			s.setEnv(name, str(val))
		default:
			s.unmapped("env %s %s: only plain values and single Secret keys map to values", name, jsonString(e))
		}
	}
	// The token huggingface_hub uses: HF_TOKEN, else the legacy name; the chart passes it as HF_TOKEN.
	for _, name := range tokenEnv {
		sk, ok := tokens[name]
		if !ok {
			continue
		}
		creds := orNew(s.v.Credentials)
		if creds.HFToken == nil {
			creds.HFToken = sk
			s.v.Credentials = creds
			if name != "HF_TOKEN" {
				s.note("env %s (Secret %s key %s) becomes credentials.hfToken, rendered as HF_TOKEN: huggingface_hub reads HF_TOKEN first and %s only as its legacy fallback, so nothing else needs the old name", name, sk.SecretName, sk.Key, name)
			}
			continue
		}
		if *creds.HFToken != *sk {
			s.unmapped("env %s (Secret %s key %s): huggingface_hub ignores it while HF_TOKEN is set (Secret %s key %s), which the chart keeps", name, sk.SecretName, sk.Key, creds.HFToken.SecretName, creds.HFToken.Key)
		}
	}
}

// setAPIKey maps the Secret key behind the engine's API key to credentials.apiKey (rendered as VLLM_API_KEY for
// vLLM, as --api-key $(SGLANG_API_KEY) for SGLang).
func (s *state) setAPIKey(name string, sk *values.SecretKey) {
	creds := orNew(s.v.Credentials)
	if creds.APIKey != nil && *creds.APIKey != *sk {
		s.unmapped("env %s (Secret %s key %s): a second API key; the chart takes one (credentials.apiKey is Secret %s key %s)", name, sk.SecretName, sk.Key, creds.APIKey.SecretName, creds.APIKey.Key)
		return
	}
	creds.APIKey = sk
	s.v.Credentials = creds
	if !isAPIKeyEnv(name) {
		s.note("the API key in %s (Secret %s key %s) becomes credentials.apiKey", name, sk.SecretName, sk.Key)
	}
}

// unusedSecretEnv lists the Secret-backed variables no credential took.
func (s *state) unusedSecretEnv() {
	names := make([]string, 0, len(s.secretEnv))
	for n := range s.secretEnv {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		sk := s.secretEnv[n]
		s.unmapped("env %s (Secret %s key %s): the chart takes Secret keys only as credentials.hfToken and credentials.apiKey (or every key of credentials.secretName)", n, sk.SecretName, sk.Key)
	}
}

func contains(list []string, x string) bool {
	for _, y := range list {
		if y == x {
			return true
		}
	}
	return false
}

func (s *state) setEnv(k, v string) {
	if s.serving.Env == nil {
		s.serving.Env = map[string]string{}
	}
	s.serving.Env[k] = v
}

// isAPIKeyEnv reports whether an engine reads its API key from the variable name by itself (engine.Recognizer
// APIKeyFromEnv). The environment is read before the command, so any engine's variable counts.
func isAPIKeyEnv(name string) bool {
	for _, e := range engine.All() {
		if k := e.APIKeyFromEnv(); k != "" && k == name {
			return true
		}
	}
	return false
}
