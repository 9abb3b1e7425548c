package tests

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	structurallisttype "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/listtype"
	schemaobjectmeta "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/objectmeta"
	structuralpruning "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	"k8s.io/apimachinery/pkg/util/validation/field"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
	"sigs.k8s.io/yaml"
)

// crdDir holds the real CRDs, vendored byte for byte from upstream (SOURCES.md there; crd_sources_test.go checks it).
var crdDir = filepath.Join("testdata", "crds")

// crdVersion is everything the API server builds from one served version of a CRD to validate a create request.
type crdVersion struct {
	crd        string // file name, for messages
	namespaced bool
	deprecated bool
	structural *structuralschema.Structural
	validator  apiservervalidation.SchemaValidator
	cel        *cel.Validator
}

var (
	crdsOnce sync.Once
	crds     map[schema.GroupVersionKind]*crdVersion
	crdsErr  error
)

// loadCRDs reads every CRD in crdDir once and builds, per served version, the structural schema (defaults pruned as
// the API server does), the OpenAPI schema validator and the CEL validator.
func loadCRDs() (map[schema.GroupVersionKind]*crdVersion, error) {
	crdsOnce.Do(func() {
		crds = map[schema.GroupVersionKind]*crdVersion{}
		files, err := filepath.Glob(filepath.Join(crdDir, "*.yaml"))
		if err != nil || len(files) == 0 {
			crdsErr = fmt.Errorf("no CRDs under %s: %v", crdDir, err)
			return
		}
		for _, f := range files {
			if err := loadCRD(f); err != nil {
				crdsErr = fmt.Errorf("%s: %w", f, err)
				return
			}
		}
	})
	return crds, crdsErr
}

func loadCRD(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var crd apiextensionsv1.CustomResourceDefinition
	if err := yaml.UnmarshalStrict(data, &crd); err != nil {
		return err
	}
	if crd.Kind != "CustomResourceDefinition" {
		return fmt.Errorf("kind %q, want CustomResourceDefinition", crd.Kind)
	}
	for _, v := range crd.Spec.Versions {
		if !v.Served || v.Schema == nil {
			continue
		}
		internal := &apiextensions.CustomResourceValidation{}
		if err := apiextensionsv1.Convert_v1_CustomResourceValidation_To_apiextensions_CustomResourceValidation(v.Schema, internal, nil); err != nil {
			return fmt.Errorf("version %s: converting the schema: %w", v.Name, err)
		}
		s, err := structuralschema.NewStructural(internal.OpenAPIV3Schema)
		if err != nil {
			return fmt.Errorf("version %s: not a structural schema: %w", v.Name, err)
		}
		s = s.DeepCopy()
		if err := structuraldefaulting.PruneDefaults(s); err != nil {
			return fmt.Errorf("version %s: pruning defaults: %w", v.Name, err)
		}
		validator, _, err := apiservervalidation.NewSchemaValidator(internal.OpenAPIV3Schema)
		if err != nil {
			return fmt.Errorf("version %s: schema validator: %w", v.Name, err)
		}
		gvk := schema.GroupVersionKind{Group: crd.Spec.Group, Version: v.Name, Kind: crd.Spec.Names.Kind}
		crds[gvk] = &crdVersion{
			crd:        filepath.Base(path),
			namespaced: crd.Spec.Scope == apiextensionsv1.NamespaceScoped,
			deprecated: v.Deprecated,
			structural: s,
			validator:  validator,
			cel:        cel.NewValidator(s, true, celconfig.PerCallLimit),
		}
	}
	return nil
}

// validateCustomResource validates a rendered custom resource as the API server validates a create request with
// field validation Strict: unknown fields (pruning) are errors, defaults are applied, then the OpenAPI schema,
// embedded-object metadata, list-type invariants and the CEL rules (x-kubernetes-validations) are checked with
// k8s.io/apiextensions-apiserver's own validators against the real CRDs in ../shared/crds. A kind without a CRD there,
// or a version the CRD marks deprecated, is an error too.
func validateCustomResource(t testing.TB, obj map[string]any) error {
	t.Helper()
	all, err := loadCRDs()
	if err != nil {
		return err
	}
	// Round-trip through JSON with apimachinery's decoder so numbers are int64/float64 exactly as on the server.
	u, err := toUnstructured(obj)
	if err != nil {
		return err
	}
	apiVersion, _ := u["apiVersion"].(string)
	kind, _ := u["kind"].(string)
	gv, err := schema.ParseGroupVersion(apiVersion)
	if err != nil {
		return fmt.Errorf("apiVersion %q: %w", apiVersion, err)
	}
	gvk := gv.WithKind(kind)
	v, ok := all[gvk]
	if !ok {
		var known []string
		for k := range all {
			known = append(known, k.GroupVersion().String()+" "+k.Kind)
		}
		sort.Strings(known)
		return fmt.Errorf("no served CRD version for %s %s in %s (known: %s)", apiVersion, kind, crdDir, strings.Join(known, ", "))
	}
	if v.deprecated {
		return fmt.Errorf("%s %s is a deprecated version in %s", apiVersion, kind, v.crd)
	}

	var errs field.ErrorList
	errs = append(errs, validateMetadata(u, v.namespaced)...)

	// Pruning: what the server would drop is an unknown field, an error under strict field validation.
	unknown := structuralpruning.PruneWithOptions(u, v.structural, true, structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true})
	for _, p := range unknown {
		errs = append(errs, field.Invalid(field.NewPath(p), nil, "unknown field"))
	}
	structuraldefaulting.PruneNonNullableNullsWithoutDefaults(u, v.structural)
	structuraldefaulting.Default(u, v.structural)

	ctx := context.Background()
	errs = append(errs, apiservervalidation.ValidateCustomResource(nil, u, v.validator)...)
	errs = append(errs, schemaobjectmeta.Validate(ctx, nil, u, v.structural, false)...)
	errs = append(errs, structurallisttype.ValidateListSetsAndMaps(nil, v.structural, u)...)
	if len(errs) == 0 { // the server skips CEL after blocking errors; keep it simple and do the same for any error
		celErrs, _ := v.cel.Validate(ctx, nil, v.structural, u, nil, celconfig.RuntimeCELCostBudget)
		errs = append(errs, celErrs...)
	}
	return errs.ToAggregate()
}

func toUnstructured(obj map[string]any) (map[string]any, error) {
	data, err := json.Marshal(obj)
	if err != nil {
		return nil, err
	}
	u := map[string]any{}
	if err := utiljson.Unmarshal(data, &u); err != nil {
		return nil, err
	}
	return u, nil
}

// validateMetadata decodes metadata strictly into ObjectMeta and applies the generic object-meta rules (name,
// namespace, labels, annotations).
func validateMetadata(u map[string]any, namespaced bool) field.ErrorList {
	p := field.NewPath("metadata")
	data, err := json.Marshal(u["metadata"])
	if err != nil {
		return field.ErrorList{field.Invalid(p, nil, err.Error())}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var meta metav1.ObjectMeta
	if err := dec.Decode(&meta); err != nil {
		return field.ErrorList{field.Invalid(p, nil, err.Error())}
	}
	if namespaced && meta.Namespace == "" { // the client fills it in from the release; validate what the server sees
		meta.Namespace = "default"
	}
	return apimachineryvalidation.ValidateObjectMeta(&meta, namespaced, apimachineryvalidation.NameIsDNSSubdomain, p)
}

// TestValidateCustomResource shows the validator refuses what the API server refuses: schema limits, CEL rules,
// unknown fields, deprecated versions; and that it applies defaults before CEL (a parentRef without kind is a Gateway).
func TestValidateCustomResource(t *testing.T) {
	route := func(mutate func(spec map[string]any)) map[string]any {
		spec := map[string]any{
			"parentRefs": []any{map[string]any{"name": "gw"}}, // kind and group come from CRD defaults
			"rules": []any{map[string]any{
				"name":        "qwen3",
				"matches":     []any{map[string]any{"headers": []any{map[string]any{"type": "Exact", "name": "x-ai-eg-model", "value": "qwen3"}}}},
				"backendRefs": []any{map[string]any{"name": "b"}},
				"timeouts":    map[string]any{"request": "1200s"},
			}},
		}
		if mutate != nil {
			mutate(spec)
		}
		return map[string]any{
			"apiVersion": "aigateway.envoyproxy.io/v1beta1", "kind": "AIGatewayRoute",
			"metadata": map[string]any{"name": "r", "namespace": "llm"}, "spec": spec,
		}
	}
	rule := func(spec map[string]any) map[string]any { return spec["rules"].([]any)[0].(map[string]any) }
	for _, tc := range []struct {
		name    string
		obj     map[string]any
		wantErr string // "" means valid
	}{
		{"valid, defaults applied before CEL", route(nil), ""},
		{"16 rules", route(func(s map[string]any) {
			var rules []any
			for i := range 16 {
				r := map[string]any{"name": fmt.Sprintf("m%d", i), "backendRefs": []any{map[string]any{"name": "b"}}}
				rules = append(rules, r)
			}
			s["rules"] = rules
		}), "must have at most 15 items"},
		{"reserved rule name", route(func(s map[string]any) { rule(s)["name"] = "route-not-found" }), "rule name route-not-found is reserved"},
		{"duplicate rule names", route(func(s map[string]any) {
			s["rules"] = append(s["rules"].([]any), map[string]any{"name": "qwen3", "backendRefs": []any{map[string]any{"name": "b"}}})
		}), "rule name must be unique within the route"},
		{"parentRef not a Gateway", route(func(s map[string]any) {
			s["parentRefs"] = []any{map[string]any{"name": "gw", "kind": "Service", "group": ""}}
		}), "only Gateway is supported"},
		{"bad duration", route(func(s map[string]any) { rule(s)["timeouts"] = map[string]any{"request": "20 minutes"} }), "spec.rules[0].timeouts.request"},
		{"backendRequest over request", route(func(s map[string]any) {
			rule(s)["timeouts"] = map[string]any{"request": "10s", "backendRequest": "20s"}
		}), "backendRequest timeout cannot be longer than request timeout"},
		{"unknown field", route(func(s map[string]any) { rule(s)["modelNameOverride"] = "x" }), "spec.rules[0].modelNameOverride: Invalid value: null: unknown field"},
		{"deprecated version", func() map[string]any { o := route(nil); o["apiVersion"] = "aigateway.envoyproxy.io/v1alpha1"; return o }(), "deprecated"},
		{"bad name", func() map[string]any { o := route(nil); o["metadata"] = map[string]any{"name": "Bad_Name"}; return o }(), "metadata.name"},
		{"fqdn and ip in one endpoint", map[string]any{
			"apiVersion": "gateway.envoyproxy.io/v1alpha1", "kind": "Backend", "metadata": map[string]any{"name": "b"},
			"spec": map[string]any{"endpoints": []any{map[string]any{
				"fqdn": map[string]any{"hostname": "a.example.org", "port": 443},
				"ip":   map[string]any{"address": "10.0.0.1", "port": 443},
			}}},
		}, "only one of fqdn, ip or unix can be specified"},
		{"BackendSecurityPolicy with 17 targets", func() map[string]any {
			var refs []any
			for i := range 17 {
				refs = append(refs, map[string]any{"group": "aigateway.envoyproxy.io", "kind": "AIServiceBackend", "name": fmt.Sprintf("b%d", i)})
			}
			return map[string]any{
				"apiVersion": "aigateway.envoyproxy.io/v1beta1", "kind": "BackendSecurityPolicy", "metadata": map[string]any{"name": "p"},
				"spec": map[string]any{"type": "APIKey", "apiKey": map[string]any{"secretRef": map[string]any{"name": "s"}}, "targetRefs": refs},
			}
		}(), "must have at most 16 items"},
		{"unknown kind", map[string]any{"apiVersion": "example.com/v1", "kind": "Thing", "metadata": map[string]any{"name": "x"}}, "no served CRD version"},
		{"ServiceMonitor endpoint with an unknown field", map[string]any{
			"apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor", "metadata": map[string]any{"name": "m", "namespace": "llm"},
			"spec": map[string]any{"selector": map[string]any{}, "endpoints": []any{map[string]any{"port": "http", "pathh": "/metrics"}}},
		}, "spec.endpoints[0].pathh: Invalid value: null: unknown field"},
		{"PodMonitor with a bad scrape interval", map[string]any{
			"apiVersion": "monitoring.coreos.com/v1", "kind": "PodMonitor", "metadata": map[string]any{"name": "m", "namespace": "llm"},
			"spec": map[string]any{"selector": map[string]any{}, "podMetricsEndpoints": []any{map[string]any{"port": "http", "interval": "30 seconds"}}},
		}, "podMetricsEndpoints[0].interval"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := validateCustomResource(t, tc.obj)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("want valid, got %v", err)
			case tc.wantErr != "" && err == nil:
				t.Fatalf("want an error containing %q, got none", tc.wantErr)
			case tc.wantErr != "" && !strings.Contains(err.Error(), tc.wantErr):
				t.Fatalf("want an error containing %q, got %v", tc.wantErr, err)
			}
		})
	}
}
