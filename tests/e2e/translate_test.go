package e2e

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"
)

// The gateway translator test: every llm-gateway case, rendered, with the HTTPRoutes and HTTPRouteFilters the AI
// Gateway controller makes of it (aigateway_test.go), goes through Envoy Gateway's own translator, `egctl x
// translate` (Envoy Gateway v1.9.1, built by tools/k8s/build.sh), and the result is checked:
//   - status: GatewayClass Accepted, every Gateway listener Accepted, Programmed and ResolvedRefs, every HTTPRoute
//     Accepted and ResolvedRefs on its Gateway, every Backend Accepted, the BackendTrafficPolicy Accepted;
//   - clusters: each model's rule is one cluster (never split into weighted clusters), holding every Backend of the
//     rule, one locality per backend in order with its weight, and the priority the AI Gateway gives it;
//   - TLS: a Backend with tls gets an upstream TLS context on its endpoints with its SNI and the system CA bundle,
//     the pinned CA or no verification, as the Backend says, and its client certificate (mTLS) and minimum TLS
//     version when set; a Backend without tls gets none; every backend on port 443 is TLS unless its values say
//     tls.enabled: false;
//   - namespaces: Backends in another namespace than the routes are reached through the chart's ReferenceGrants
//     (which go into the translator with the Backends);
//   - routes: the model's route has the rule's timeout and the BackendTrafficPolicy's retry policy (triggers,
//     status codes, per-try timeout, back-off, retry priority), and the clusters its outlier detection.
// Every error case goes through the translator too, rendered with the chart's own checks switched off: the test
// then states what Envoy Gateway does with it (see errorVerdicts), so each check the chart makes is shown either
// to prevent a rejection or a misrouting by Envoy Gateway, or to be the chart's own rule.

// translateRow is one line of the summary table printed at the end.
type translateRow struct {
	name                          string
	objects, accepted             int
	rules, pools, clusters, split int
	backends, tls, unused         int
	retryPriority, outlierEjected string
}

var (
	translateMu   sync.Mutex
	translateRows []translateRow
)

func TestGatewayTranslator(t *testing.T) {
	requireEnv(t)
	cases, errCases := casesOrFail(t, "llm-gateway")
	caPEM := testCA(t)
	t.Run("cases", func(t *testing.T) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
				defer cancel()
				ns := dnsLabel("tr-"+c.name, 63)
				objs, err := render(ctx, t, releaseName(c.name), ns, chartDir("llm-gateway"), c.path)
				if err != nil {
					t.Fatal(err)
				}
				res, problems := translateAndCheck(ctx, t, c, objs, caPEM)
				for _, p := range problems {
					t.Error(p)
				}
				translateMu.Lock()
				translateRows = append(translateRows, res)
				translateMu.Unlock()
			})
		}
	})
	t.Run("errors", func(t *testing.T) {
		unchecked := uncheckedChart(t)
		seen := map[string]bool{}
		for _, c := range errCases {
			seen[c.name] = true
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				verdict, ok := errorVerdicts[c.name]
				if !ok {
					t.Fatalf("error case %s has no entry in errorVerdicts: say what Envoy Gateway does with it", c.name)
				}
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
				defer cancel()
				ns := dnsLabel("tr-err-"+c.name, 63)
				args := append([]string{"template", releaseName(c.name), unchecked, "-n", ns, "-f", c.path,
					"--skip-schema-validation"}, renderArgs(t)...)
				out, err := helms()[0].run(ctx, t, nil, args...)
				if err != nil {
					if verdict.eg != nil {
						t.Fatalf("without the chart's checks the case does not render, so the translator cannot show %q: %v", verdict.eg, err)
					}
					t.Logf("%s: %s (renders nothing without the chart's checks: %s)", c.name, verdict.why, firstLine(err.Error()))
					return
				}
				objs, err := parseManifest(out)
				if err != nil {
					t.Fatal(err)
				}
				_, problems := translateAndCheck(ctx, t, c, objs, caPEM)
				if verdict.eg == nil {
					t.Logf("%s: %s; the translator says: %s", c.name, verdict.why, orNone(problems))
					return
				}
				for _, p := range problems {
					if verdict.eg.MatchString(p) {
						t.Logf("%s: %s; the translator confirms: %s", c.name, verdict.why, p)
						return
					}
				}
				t.Errorf("%s: expected the translator to show %q (%s), got: %s", c.name, verdict.eg, verdict.why, orNone(problems))
			})
		}
		t.Cleanup(func() {
			for name := range errorVerdicts {
				if !seen[name] {
					t.Errorf("errorVerdicts lists %s, which is not an error case under tests/cases/llm-gateway/errors", name)
				}
			}
		})
	})
	printTranslateTable(t)
}

// errorVerdict says what Envoy Gateway does with an error case's objects when the chart's checks are off: eg
// matches one of the translator problems it must show; nil means the chart refuses the case for its own reasons
// (why), whatever the translator makes of it.
type errorVerdict struct {
	eg  *regexp.Regexp
	why string
}

var errorVerdicts = map[string]errorVerdict{
	"backoff-base-above-max": {regexp.MustCompile(`BackendTrafficPolicy .* not Accepted: .*maxInterval cannot be less than baseInterval`),
		"Envoy Gateway rejects the BackendTrafficPolicy, and the routes it targets lose their retries"},
	"backoff-zero": {regexp.MustCompile(`BackendTrafficPolicy .* not Accepted: .*baseInterval cannot be set to 0s`),
		"Envoy Gateway rejects the BackendTrafficPolicy"},
	"mixed-ip-fqdn": {regexp.MustCompile(`split into weighted clusters`),
		"Envoy Gateway splits the rule into one cluster per backend, so the fallback takes live traffic"},
	"status-codes-without-trigger": {regexp.MustCompile(`retriable status codes .* without the retriable-status-codes trigger`),
		"Envoy Gateway accepts it, and Envoy never retries the codes"},
	"fallback-attempts-zero": {regexp.MustCompile(`no retry priority`),
		"Envoy Gateway accepts it, and retries never leave priority 0"},
	"tls-ip-without-sni": {regexp.MustCompile(`TLS in .* with SNI <nil>`),
		"without a server name the backend gets no SNI, and its certificate cannot be checked against a name"},
	"tls-ca-and-insecure":      {nil, "the Backend CRD refuses caCertificateRefs with insecureSkipVerify (a CEL rule, checked by the API server, which egctl does not run)"},
	"tls-settings-without-tls": {nil, "the chart's own rule: TLS settings on a plaintext backend would be silently ignored"},
	"backend-two-endpoints":    {nil, "the values schema's rule: one endpoint per backend"},
	"bad-timeout":              {nil, "the values schema's rule (the CRDs' duration pattern)"},
	"duplicate-model":          {nil, "the chart's own rule: two rules matching one model name, the second never used"},
	"max-rules-over-crd":       {nil, "the values schema's rule (the AIGatewayRoute CRD's 15 rules)"},
	"missing-gateway":          {nil, "the chart's own rule: routes without a Gateway attach nowhere"},
	"rbac-without-groups":      {nil, "the values schema's rule"},
	"reserved-httproute":       {nil, "the chart's own rule: the AI Gateway controller owns that HTTPRoute"},
	"reserved-rule-name":       {nil, "the AIGatewayRoute CRD's rule (route-not-found is the controller's)"},
	"route-full":               {nil, "the chart's own rule (the AIGatewayRoute CRD's 15 rules)"},
	"route-name-too-long":      {nil, "the chart's own rule (a DNS-1123 label)"},
	"test-without-gateway-url": {nil, "the chart's own rule (helm test needs the Gateway's address)"},
	"undefined-backend":        {nil, "the chart's own rule: a rule naming no AIServiceBackend"},
	"unknown-key":              {nil, "the values schema's rule"},
	"bad-backend-keys":         {nil, "the values schema's rule (backend keys are DNS labels)"},
	"bad-secret-names":         {nil, "the values schema's rule (Secret names are DNS subdomains)"},
	"all-weights-zero":         {nil, "the chart's own rule: a priority whose backends all weigh 0 gets no traffic"},
	"fallback-to-primary":      {nil, "the chart's own rule: a fallback to the primary retries the endpoint that just failed"},
	"test-model-not-served":    {nil, "the chart's own rule (helm test would ask for a model no rule serves)"},

	// Backends in other namespaces and mTLS (issue 18).
	"client-cert-other-namespace": {regexp.MustCompile(`clientCertificateRef Secret is not located in the same namespace as Backend`),
		"Envoy Gateway v1.9 refuses a Backend's client certificate from another namespace, ReferenceGrant or not, and the route loses the backend"},
	"api-key-secret-other-namespace": {nil, "the chart's own rule: Envoy AI Gateway v1.1.0 reads an API-key Secret from the BackendSecurityPolicy's namespace (its external processor, not Envoy Gateway), so the key would silently come from another Secret or none"},
	"cluster-role-without-rbac":      {nil, "the chart's own rule: a ClusterRoleBinding needs rbac.groups (RBAC is not gateway configuration)"},
	"tls-min-version":                {nil, "the values schema's rule (TLS 1.2 or 1.3; the Backend CRD also allows 1.0 and 1.1, which the chart does not offer)"},
	"pool-with-service":              {nil, "the AIGatewayRoute CRD refuses it (CEL: cannot mix InferencePool and AIServiceBackend references in the same rule), at the API server, which egctl does not run"},
	"two-pools":                      {nil, "the AIGatewayRoute CRD refuses it (CEL: only one InferencePool backend is allowed per rule), at the API server, which egctl does not run"},
	"pool-model-name-override":       {nil, "Envoy AI Gateway v1.1.0 ignores modelNameOverride on an InferencePool reference (its CRD says so), so the engine would get the public name"},
	"pool-api-key":                   {nil, "the chart's own rule: a pool backend has no AIServiceBackend for a BackendSecurityPolicy to target"},
}

// uncheckedChart copies the llm-gateway chart into a temporary directory with every `fail` of its templates made
// a no-op, to show what would reach Envoy Gateway without the chart's checks.
func uncheckedChart(t *testing.T) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "llm-gateway")
	src := chartDir("llm-gateway")
	err := filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if fi.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.HasPrefix(rel, "templates") {
			b = bytes.ReplaceAll(b, []byte("{{- fail "), []byte("{{- $_ := print "))
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// testClientCert is a throwaway self-signed client certificate and its key (PEM), made once: the content of the
// kubernetes.io/tls Secrets a case's Backends present for mTLS (tls.clientCertificateRef).
func testClientCert(t *testing.T) (cert, key string) {
	t.Helper()
	clientCertOnce.Do(func() {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			clientCertErr = err
			return
		}
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "llm-charts test gateway client"},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
		if err != nil {
			clientCertErr = err
			return
		}
		kd, err := x509.MarshalECPrivateKey(k)
		if err != nil {
			clientCertErr = err
			return
		}
		clientCertPEM = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
		clientKeyPEM = string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kd}))
	})
	if clientCertErr != nil {
		t.Fatal(clientCertErr)
	}
	return clientCertPEM, clientKeyPEM
}

var (
	clientCertOnce              sync.Once
	clientCertPEM, clientKeyPEM string
	clientCertErr               error
)

// testCA is a throwaway CA certificate (PEM), the content of the ConfigMaps and Secrets a case's Backends pin.
func testCA(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "llm-charts test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour), IsCA: true,
		BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

// translatorKinds are the rendered kinds Envoy Gateway reads; the AI Gateway's own kinds are replaced by what its
// controller makes of them, and the rest (RBAC, test Pods) is not gateway configuration.
var translatorKinds = map[string]bool{"Backend": true, "BackendTrafficPolicy": true, "ReferenceGrant": true}

// translateAndCheck runs the translator over a rendering and returns the summary row and every way the result
// differs from what the objects ask for.
func translateAndCheck(ctx context.Context, t *testing.T, c testCase, objs []*unstructured.Unstructured, caPEM string) (translateRow, []string) {
	t.Helper()
	row := translateRow{name: c.name, retryPriority: "-", outlierEjected: "-"}
	routes, derived, err := aiGatewayTranslate(objs)
	if err != nil {
		return row, []string{err.Error()}
	}
	input := []map[string]any{{"apiVersion": gatewayAPIGroupVersion, "kind": "GatewayClass",
		"metadata": map[string]any{"name": "eg"},
		"spec":     map[string]any{"controllerName": "gateway.envoyproxy.io/gatewayclass-controller"}}}
	gateways := map[string]map[string]bool{} // "<ns>/<name>" → listener names
	backends := map[string]*unstructured.Unstructured{}
	var btp *unstructured.Unstructured
	for _, o := range objs {
		if !translatorKinds[o.GetKind()] {
			continue
		}
		input = append(input, o.Object)
		switch o.GetKind() {
		case "Backend":
			backends[o.GetName()] = o
			refs, _, _ := unstructured.NestedSlice(o.Object, "spec", "tls", "caCertificateRefs")
			for _, r := range refs {
				rm := r.(map[string]any)
				kind, name := rm["kind"].(string), rm["name"].(string)
				data := map[string]any{"ca.crt": caPEM}
				if kind == "Secret" {
					data = map[string]any{"ca.crt": []byte(caPEM)} // base64 in YAML
				}
				input = append(input, map[string]any{"apiVersion": "v1", "kind": kind,
					"metadata": map[string]any{"name": name, "namespace": o.GetNamespace()}, "data": data})
			}
			// mTLS: the client certificate Secret, in the namespace the Backend names (its own unless set).
			if ref, ok, _ := unstructured.NestedMap(o.Object, "spec", "tls", "clientCertificateRef"); ok {
				ns, _ := ref["namespace"].(string)
				if ns == "" {
					ns = o.GetNamespace()
				}
				cert, key := testClientCert(t)
				input = append(input, map[string]any{"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls",
					"metadata": map[string]any{"name": ref["name"], "namespace": ns},
					"data":     map[string]any{"tls.crt": []byte(cert), "tls.key": []byte(key)}})
			}
		case "BackendTrafficPolicy":
			btp = o
		}
	}
	for _, o := range objs {
		if o.GetKind() != aigwRouteKind {
			continue
		}
		prs, _, _ := unstructured.NestedSlice(o.Object, "spec", "parentRefs")
		for _, p := range prs {
			pm := p.(map[string]any)
			ns, _ := pm["namespace"].(string)
			if ns == "" {
				ns = o.GetNamespace()
			}
			gw, _ := pm["name"].(string)
			if gw == "" {
				continue // no Gateway named: the route attaches nowhere (HTTPRoute status says so)
			}
			k := ns + "/" + gw
			if gateways[k] == nil {
				gateways[k] = map[string]bool{}
			}
			l, _ := pm["sectionName"].(string)
			if l == "" {
				l = "http"
			}
			gateways[k][l] = true
		}
	}
	for k, ls := range gateways {
		ns, name, _ := strings.Cut(k, "/")
		var listeners []any
		for _, l := range sortedKeys(ls) {
			listeners = append(listeners, map[string]any{"name": l, "protocol": "HTTP", "port": int64(80 + len(listeners)),
				"allowedRoutes": map[string]any{"namespaces": map[string]any{"from": "All"}}})
		}
		input = append(input, map[string]any{"apiVersion": gatewayAPIGroupVersion, "kind": "Gateway",
			"metadata": map[string]any{"name": name, "namespace": ns},
			"spec":     map[string]any{"gatewayClassName": "eg", "listeners": listeners}})
	}
	input = append(input, derived...)

	out, err := runTranslator(ctx, t, c.name, input)
	if err != nil {
		return row, []string{err.Error()}
	}
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	// Status of every object Envoy Gateway reports on.
	res := out.Resources
	row.objects, row.accepted = 0, 0
	check := func(what string, conds []any, want ...string) {
		row.objects++
		ok := true
		for _, w := range want {
			if st, msg := condition(conds, w); st != "True" {
				ok = false
				bad("%s not %s: %s", what, w, msg)
			}
		}
		if ok {
			row.accepted++
		}
	}
	if res.GatewayClass != nil {
		conds, _, _ := unstructured.NestedSlice(res.GatewayClass, "status", "conditions")
		check("GatewayClass eg", conds, "Accepted")
	}
	// egctl runs no infrastructure, so a Gateway has no address and no Gateway-level conditions; its listeners say
	// whether the configuration is accepted and sent to the data plane.
	for _, g := range res.Gateways {
		listeners, _, _ := unstructured.NestedSlice(g, "status", "listeners")
		if len(listeners) == 0 {
			row.objects++
			bad("Gateway %s has no listener status", objName(g))
		}
		for _, l := range listeners {
			conds, _, _ := unstructured.NestedSlice(l.(map[string]any), "conditions")
			check(fmt.Sprintf("Gateway %s listener %v", objName(g), l.(map[string]any)["name"]), conds, "Accepted", "Programmed", "ResolvedRefs")
		}
	}
	// Routes report per parent Gateway, policies per ancestor; none at all means attached to nothing.
	perParent := func(kind, list string, objs []map[string]any, want ...string) {
		for _, o := range objs {
			entries, _, _ := unstructured.NestedSlice(o, "status", list)
			if len(entries) == 0 {
				row.objects++
				bad("%s %s has no status.%s: Envoy Gateway attached it to nothing", kind, objName(o), list)
			}
			for _, e := range entries {
				conds, _, _ := unstructured.NestedSlice(e.(map[string]any), "conditions")
				check(kind+" "+objName(o), conds, want...)
			}
		}
	}
	perParent("HTTPRoute", "parents", res.HTTPRoutes, "Accepted", "ResolvedRefs")
	// A policy that targets only routes the chart does not generate (trafficPolicy.extraTargetRefs) has nothing to
	// attach to here: those routes are not in the translator's input.
	generated := map[string]bool{}
	for _, r := range routes {
		generated[r.name] = true
	}
	var policies []map[string]any
	for _, p := range res.BackendTrafficPolicies {
		for _, tr := range asSlice(jsonPath(p, "spec", "targetRefs")) {
			if n, _ := jsonPath(tr, "name").(string); generated[n] {
				policies = append(policies, p)
				break
			}
		}
	}
	perParent("BackendTrafficPolicy", "ancestors", policies, "Accepted")
	for _, b := range res.Backends {
		conds, _, _ := unstructured.NestedSlice(b, "status", "conditions")
		check("Backend "+objName(b), conds, "Accepted")
	}

	// xDS: clusters, endpoints and routes of every Gateway.
	x := collectXDS(out.Xds)
	var retry, passive map[string]any
	if btp != nil {
		retry, _, _ = unstructured.NestedMap(btp.Object, "spec", "retry")
		passive, _, _ = unstructured.NestedMap(btp.Object, "spec", "healthCheck", "passive")
	}
	tlsBackends, inCluster := map[string]bool{}, map[string]bool{}
	for _, r := range routes {
		for i, rule := range r.rules {
			row.rules++
			if rule.pool != "" {
				row.pools++
				continue
			}
			name := r.cluster(i)
			var split []string
			for cn := range x.clusters {
				if strings.HasPrefix(cn, name+"/backend/") {
					split = append(split, cn)
				}
			}
			if len(split) > 0 {
				row.split++
				sort.Strings(split)
				for _, cn := range split {
					var prios []int64
					for k := range x.localities(cn) {
						p, _ := effectivePriority(r, i, cn, k)
						prios = append(prios, p)
					}
					bad("model %q: rule %d of %s is split into weighted clusters: %s gets a share of the requests at priorities %v", rule.model, i, r.name, cn, prios)
				}
			}
			cl, ok := x.clusters[name]
			if !ok {
				if len(split) == 0 {
					bad("model %q: no cluster %s", rule.model, name)
				}
			} else {
				row.clusters++
				checkCluster(r, i, cl, x.localities(name), backends, passive, tlsBackends, bad)
				for _, ref := range rule.refs {
					if ref.weight != 0 {
						inCluster[ref.backend] = true
					}
				}
			}
			rt := x.route(name)
			if rt == nil {
				bad("model %q: no route for %s", rule.model, name)
				continue
			}
			checkRoute(rule, rt, retry, &row, bad)
		}
	}
	row.backends = len(backends)
	row.tls = len(tlsBackends)
	for name := range backends {
		if !inCluster[name] {
			row.unused++ // no model uses it; NOTES warns, and Envoy Gateway builds no cluster for it
		}
	}
	checkPort443(c, backends, inCluster, tlsBackends, bad)
	if passive != nil {
		row.outlierEjected = fmt.Sprintf("%v%%", passive["maxEjectionPercent"])
	}
	return row, problems
}

// checkCluster compares one rule's cluster with the rule: its localities are the rule's backends in order (weight-0
// refs left out), with their weights, endpoints, priorities and TLS.
func checkCluster(r aigwRoute, i int, cl map[string]any, locs []map[string]any, backends map[string]*unstructured.Unstructured,
	passive map[string]any, tlsBackends map[string]bool, bad func(string, ...any)) {
	rule := r.rules[i]
	name := r.cluster(i)
	var live []aigwRef
	for _, ref := range rule.refs {
		if ref.weight != 0 {
			live = append(live, ref)
		}
	}
	if len(locs) != len(live) {
		bad("model %q: cluster %s has %d localities for %d backends", rule.model, name, len(locs), len(live))
		return
	}
	for k, ref := range live {
		loc := locs[k]
		b := backends[ref.backend]
		if b == nil {
			bad("model %q: Backend %s not rendered", rule.model, ref.backend)
			continue
		}
		host, port := backendEndpoint(b)
		addr := jsonPath(loc, "lbEndpoints", 0, "endpoint", "address", "socketAddress")
		am, _ := addr.(map[string]any)
		if am == nil || am["address"] != host || fmt.Sprint(am["portValue"]) != fmt.Sprint(port) {
			bad("model %q: locality %d of %s is %v, want Backend %s (%s:%d)", rule.model, k, name, addr, ref.backend, host, port)
		}
		if w, _ := asInt(loc["loadBalancingWeight"]); w != ref.weight {
			bad("model %q: locality %d (%s) of %s has weight %d, want %d", rule.model, k, ref.backend, name, w, ref.weight)
		}
		if p, _ := effectivePriority(r, i, name, k); p != ref.priority {
			bad("model %q: locality %d of %s would get priority %d from the AI Gateway, want %d (%s)", rule.model, k, name, p, ref.priority, ref.backend)
		}
		checkTLS(rule.model, name, cl, loc, b, tlsBackends, bad)
	}
	if passive != nil {
		od, _ := cl["outlierDetection"].(map[string]any)
		if od == nil {
			bad("model %q: cluster %s has no outlier detection, though the BackendTrafficPolicy asks for passive health checks", rule.model, name)
		} else {
			for from, to := range map[string]string{"consecutive5XxErrors": "consecutive5xx", "maxEjectionPercent": "maxEjectionPercent"} {
				if want, ok := passive[from]; ok && fmt.Sprint(od[to]) != fmt.Sprint(want) {
					bad("model %q: cluster %s outlierDetection.%s = %v, want %v", rule.model, name, to, od[to], want)
				}
			}
			for from, to := range map[string]string{"interval": "interval", "baseEjectionTime": "baseEjectionTime"} {
				if want, ok := passive[from].(string); ok && !sameDuration(od[to], want) {
					bad("model %q: cluster %s outlierDetection.%s = %v, want %s", rule.model, name, to, od[to], want)
				}
			}
		}
	}
}

// checkTLS compares the transport socket a locality's endpoint gets with its Backend's spec.tls.
func checkTLS(model, cluster string, cl, loc map[string]any, b *unstructured.Unstructured, tlsBackends map[string]bool, bad func(string, ...any)) {
	want, hasTLS, _ := unstructured.NestedMap(b.Object, "spec", "tls")
	ctx := upstreamTLS(cl, loc)
	if !hasTLS {
		if ctx != nil {
			bad("model %q: Backend %s has no tls but its endpoint in %s gets a TLS context", model, b.GetName(), cluster)
		}
		return
	}
	if ctx == nil {
		bad("model %q: Backend %s has tls but its endpoint in %s gets no TLS context", model, b.GetName(), cluster)
		return
	}
	tlsBackends[b.GetName()] = true
	// mTLS: the client certificate goes with the handshake (over SDS, named after its Secret).
	if ref, ok := want["clientCertificateRef"].(map[string]any); ok {
		certs := asSlice(jsonPath(ctx, "commonTlsContext", "tlsCertificateSdsSecretConfigs"))
		found := false
		for _, c := range certs {
			if n, _ := jsonPath(c, "name").(string); strings.Contains(n, fmt.Sprint(ref["name"])) {
				found = true
			}
		}
		if !found {
			bad("model %q: Backend %s presents client certificate %v, but %s sends %v", model, b.GetName(), ref["name"], cluster, certs)
		}
	}
	if v, _ := want["minVersion"].(string); v != "" {
		if got := jsonPath(ctx, "commonTlsContext", "tlsParams", "tlsMinimumProtocolVersion"); got != "TLSv"+strings.ReplaceAll(v, ".", "_") {
			bad("model %q: Backend %s wants TLS %s at least, but %s has tlsMinimumProtocolVersion %v", model, b.GetName(), v, cluster, got)
		}
	}
	if sni, _ := want["sni"].(string); ctx["sni"] == nil || (sni != "" && ctx["sni"] != sni) {
		bad("model %q: Backend %s: TLS in %s with SNI %v, want %q (without SNI a shared host cannot pick the certificate)", model, b.GetName(), cluster, ctx["sni"], sni)
	}
	combined := jsonPath(ctx, "commonTlsContext", "combinedValidationContext")
	validation := jsonPath(combined, "validationContextSdsSecretConfig", "name")
	if validation == nil {
		validation = jsonPath(ctx, "commonTlsContext", "validationContextSdsSecretConfig", "name")
	}
	if want["insecureSkipVerify"] == true {
		if validation != nil {
			bad("model %q: Backend %s skips verification but %s validates with %v", model, b.GetName(), cluster, validation)
		}
		return
	}
	// Envoy Gateway's name for the system bundle it serves over SDS (internal/ir: SystemTrustStoreSecretName).
	const systemCA = "system_ca_certificates"
	switch {
	case validation == nil:
		bad("model %q: Backend %s: %s does not verify the certificate", model, b.GetName(), cluster)
	case want["wellKnownCACertificates"] == "System" && validation != systemCA:
		bad("model %q: Backend %s wants the system CA bundle but %s validates with %v", model, b.GetName(), cluster, validation)
	case want["wellKnownCACertificates"] == nil && validation == systemCA:
		bad("model %q: Backend %s pins a CA but %s validates with the system bundle", model, b.GetName(), cluster)
	}
	if sni, _ := want["sni"].(string); sni != "" {
		found := false
		for _, san := range asSlice(jsonPath(combined, "defaultValidationContext", "matchTypedSubjectAltNames")) {
			if jsonPath(san, "matcher", "exact") == sni {
				found = true
			}
		}
		if !found {
			bad("model %q: Backend %s: %s does not check the certificate's name against %s", model, b.GetName(), cluster, sni)
		}
	}
}

// checkPort443 checks the values' TLS promise: a backend on port 443 has TLS unless its values say tls.enabled:
// false.
func checkPort443(c testCase, backends map[string]*unstructured.Unstructured, inCluster, tlsBackends map[string]bool, bad func(string, ...any)) {
	raw, err := os.ReadFile(c.path)
	if err != nil {
		bad("%v", err)
		return
	}
	var v struct {
		Backends map[string]struct {
			TLS *struct {
				Enabled *bool `json:"enabled"`
			} `json:"tls"`
		} `json:"backends"`
	}
	_ = yaml.Unmarshal(raw, &v) // error cases may not match the shape; what parses is checked
	for name, b := range backends {
		_, port := backendEndpoint(b)
		if port != 443 || !inCluster[name] {
			continue
		}
		off := false
		for key, vb := range v.Backends {
			if strings.HasSuffix(name, "-"+key) && vb.TLS != nil && vb.TLS.Enabled != nil && !*vb.TLS.Enabled {
				off = true
			}
		}
		if !off && !tlsBackends[name] {
			host, _ := backendEndpoint(b)
			bad("Backend %s: port 443 (%s) without TLS, and its values do not opt out", name, host)
		}
		if off && tlsBackends[name] {
			bad("Backend %s: tls.enabled is false in the values but it gets TLS", name)
		}
	}
}

// checkRoute compares a model's xDS route with its rule (timeout) and the BackendTrafficPolicy's retry.
func checkRoute(rule aigwRule, rt map[string]any, retry map[string]any, row *translateRow, bad func(string, ...any)) {
	action, _ := rt["route"].(map[string]any)
	if action == nil {
		bad("model %q: route %v has no route action (direct response: %v)", rule.model, rt["name"], rt["directResponse"])
		return
	}
	if wc := action["weightedClusters"]; wc != nil {
		bad("model %q: route %v is split into weighted clusters %v", rule.model, rt["name"], jsonPath(wc, "clusters"))
	}
	if !sameDuration(action["timeout"], rule.timeout) {
		bad("model %q: route timeout %v, want the rule's %s", rule.model, action["timeout"], rule.timeout)
	}
	rp, _ := action["retryPolicy"].(map[string]any)
	if retry == nil {
		return
	}
	if rp == nil {
		bad("model %q: no retry policy on route %v, though the BackendTrafficPolicy sets one", rule.model, rt["name"])
		return
	}
	if n, ok := retry["numRetries"]; ok && fmt.Sprint(rp["numRetries"]) != fmt.Sprint(n) {
		bad("model %q: numRetries %v, want %v", rule.model, rp["numRetries"], n)
	}
	retryOn, _ := rp["retryOn"].(string)
	on := map[string]bool{}
	for _, s := range strings.Split(retryOn, ",") {
		on[s] = true
	}
	triggers, _, _ := unstructured.NestedStringSlice(retry, "retryOn", "triggers")
	for _, tr := range triggers {
		if !on[tr] {
			bad("model %q: retry_on %q lacks trigger %s", rule.model, retryOn, tr)
		}
	}
	codes, _, _ := unstructured.NestedSlice(retry, "retryOn", "httpStatusCodes")
	if fmt.Sprint(codes) != fmt.Sprint(rp["retriableStatusCodes"]) && !(len(codes) == 0 && rp["retriableStatusCodes"] == nil) {
		bad("model %q: retriable status codes %v, want %v", rule.model, rp["retriableStatusCodes"], codes)
	}
	if rp["retriableStatusCodes"] != nil && !on["retriable-status-codes"] {
		bad("model %q: retriable status codes %v without the retriable-status-codes trigger (retry_on %q): never retried", rule.model, rp["retriableStatusCodes"], retryOn)
	}
	if want, ok, _ := unstructured.NestedString(retry, "perRetry", "timeout"); ok && !sameDuration(rp["perTryTimeout"], want) {
		bad("model %q: per-try timeout %v, want %s", rule.model, rp["perTryTimeout"], want)
	}
	for _, k := range []string{"baseInterval", "maxInterval"} {
		if want, ok, _ := unstructured.NestedString(retry, "perRetry", "backOff", k); ok && !sameDuration(jsonPath(rp, "retryBackOff", k), want) {
			bad("model %q: back-off %s %v, want %s", rule.model, k, jsonPath(rp, "retryBackOff", k), want)
		}
	}
	fallback := false
	for _, ref := range rule.refs {
		if ref.priority != rule.refs[0].priority {
			fallback = true
		}
	}
	prio, _ := rp["retryPriority"].(map[string]any)
	if prio != nil {
		row.retryPriority = fmt.Sprintf("every %v", jsonPath(prio, "typedConfig", "updateFrequency"))
		if prio["name"] != "envoy.retry_priorities.previous_priorities" {
			bad("model %q: retry priority %v, want envoy.retry_priorities.previous_priorities", rule.model, prio["name"])
		}
		if n, ok := retry["numAttemptsPerPriority"]; ok && fmt.Sprint(jsonPath(prio, "typedConfig", "updateFrequency")) != fmt.Sprint(n) {
			bad("model %q: retry priority update frequency %v, want %v", rule.model, jsonPath(prio, "typedConfig", "updateFrequency"), n)
		}
	}
	if fallback && prio == nil {
		bad("model %q has fallback backends but its route has no retry priority: retries stay on priority 0", rule.model)
	}
}

// translatorOutput is what `egctl x translate --to gateway-api,xds -o json` prints.
// The Gateway API objects, with their status, sit at the top level beside "xds".
type translatorOutput struct {
	Resources struct {
		GatewayClass           map[string]any   `json:"gatewayClass"`
		Gateways               []map[string]any `json:"gateways"`
		HTTPRoutes             []map[string]any `json:"httpRoutes"`
		Backends               []map[string]any `json:"backends"`
		BackendTrafficPolicies []map[string]any `json:"backendTrafficPolicies"`
	} `json:"-"` // decoded from the same document
	Xds map[string]struct {
		Configs []map[string]any `json:"configs"`
	} `json:"xds"`
}

// runTranslator writes the objects to a file in the work directory and runs egctl over it.
func runTranslator(ctx context.Context, t *testing.T, name string, objs []map[string]any) (*translatorOutput, error) {
	t.Helper()
	var buf bytes.Buffer
	for _, o := range objs {
		b, err := yaml.Marshal(o)
		if err != nil {
			return nil, err
		}
		buf.WriteString("---\n")
		buf.Write(b)
	}
	in := filepath.Join(t.TempDir(), name+".yaml")
	if err := os.WriteFile(in, buf.Bytes(), 0o644); err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, env.egctl, "x", "translate", "--from", "gateway-api", "--to", "gateway-api,xds",
		"--type", "all", "-o", "json", "-f", in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("egctl x translate -f %s: %v: %s", in, err, strings.TrimSpace(stderr.String()))
	}
	t.Logf("egctl x translate: %d objects in, %d bytes out (%s)", len(objs), stdout.Len(), time.Since(start).Round(time.Millisecond))
	var out translatorOutput
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		return nil, fmt.Errorf("egctl output: %w", err)
	}
	if err := json.Unmarshal(stdout.Bytes(), &out.Resources); err != nil {
		return nil, fmt.Errorf("egctl output: %w", err)
	}
	return &out, nil
}

// xdsView indexes the clusters, endpoints and routes of all Gateways' config dumps.
type xdsView struct {
	clusters  map[string]map[string]any // by name
	endpoints map[string][]any          // ClusterLoadAssignment endpoints by cluster name (EDS clusters)
	routes    []map[string]any
}

func collectXDS(dumps map[string]struct {
	Configs []map[string]any `json:"configs"`
}) xdsView {
	x := xdsView{clusters: map[string]map[string]any{}, endpoints: map[string][]any{}}
	for _, d := range dumps {
		for _, c := range d.Configs {
			for _, dc := range asSlice(c["dynamicActiveClusters"]) {
				if cl, ok := jsonPath(dc, "cluster").(map[string]any); ok {
					x.clusters[cl["name"].(string)] = cl
				}
			}
			for _, de := range asSlice(c["dynamicEndpointConfigs"]) {
				if ec, ok := jsonPath(de, "endpointConfig").(map[string]any); ok {
					x.endpoints[fmt.Sprint(ec["clusterName"])] = asSlice(ec["endpoints"])
				}
			}
			for _, dr := range asSlice(c["dynamicRouteConfigs"]) {
				for _, vh := range asSlice(jsonPath(dr, "routeConfig", "virtualHosts")) {
					for _, r := range asSlice(jsonPath(vh, "routes")) {
						x.routes = append(x.routes, r.(map[string]any))
					}
				}
			}
		}
	}
	return x
}

// localities are a cluster's load-assignment localities, inline or from EDS.
func (x xdsView) localities(cluster string) []map[string]any {
	eps := asSlice(jsonPath(x.clusters[cluster], "loadAssignment", "endpoints"))
	if eps == nil {
		eps = x.endpoints[cluster]
	}
	var out []map[string]any
	for _, e := range eps {
		out = append(out, e.(map[string]any))
	}
	return out
}

// route is the xDS route of an HTTPRoute rule (named "<cluster>/match/<j>/<host>").
func (x xdsView) route(cluster string) map[string]any {
	for _, r := range x.routes {
		if n, _ := r["name"].(string); strings.HasPrefix(n, cluster+"/match/") {
			return r
		}
	}
	return nil
}

// upstreamTLS is the UpstreamTlsContext an endpoint gets: the cluster's transport socket, or the transport socket
// match selected by the endpoint's (or its locality's) metadata.
func upstreamTLS(cl, loc map[string]any) map[string]any {
	tls := func(ts any) map[string]any {
		if jsonPath(ts, "name") != "envoy.transport_sockets.tls" {
			return nil
		}
		m, _ := jsonPath(ts, "typedConfig").(map[string]any)
		return m
	}
	meta := map[string]any{}
	for _, src := range []any{jsonPath(loc, "metadata", "filterMetadata", "envoy.transport_socket_match"),
		jsonPath(loc, "lbEndpoints", 0, "metadata", "filterMetadata", "envoy.transport_socket_match")} {
		if m, ok := src.(map[string]any); ok {
			for k, v := range m {
				meta[k] = v
			}
		}
	}
	for _, m := range asSlice(cl["transportSocketMatches"]) {
		match, _ := jsonPath(m, "match").(map[string]any)
		all := true
		for k, v := range match {
			if fmt.Sprint(meta[k]) != fmt.Sprint(v) {
				all = false
			}
		}
		if all && len(match) > 0 {
			return tls(jsonPath(m, "transportSocket"))
		}
	}
	// Without a match the cluster's own socket applies; Envoy Gateway puts a placeholder there
	// ("dummy.transport_socket") when every endpoint has a match, which tls() does not count.
	return tls(cl["transportSocket"])
}

// backendEndpoint is the host (or address) and port of a Backend's single endpoint.
func backendEndpoint(b *unstructured.Unstructured) (string, int64) {
	eps, _, _ := unstructured.NestedSlice(b.Object, "spec", "endpoints")
	if len(eps) == 0 {
		return "", 0
	}
	e := eps[0].(map[string]any)
	if f, ok := e["fqdn"].(map[string]any); ok {
		p, _ := asInt(f["port"])
		return fmt.Sprint(f["hostname"]), p
	}
	ip, _ := e["ip"].(map[string]any)
	p, _ := asInt(ip["port"])
	return fmt.Sprint(ip["address"]), p
}

// condition returns the status and message of condition typ.
func condition(conds []any, typ string) (string, string) {
	for _, c := range conds {
		m := c.(map[string]any)
		if m["type"] == typ {
			return fmt.Sprint(m["status"]), fmt.Sprint(m["message"])
		}
	}
	return "", "no " + typ + " condition"
}

// jsonPath walks maps (string keys) and slices (int indexes) of a decoded JSON document; nil when absent.
func jsonPath(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			s, ok := v.([]any)
			if !ok || k >= len(s) {
				return nil
			}
			v = s[k]
		}
	}
	return v
}

func asSlice(v any) []any { s, _ := v.([]any); return s }

// sameDuration compares a protobuf JSON duration ("1200s", "0.100s") with a Gateway API duration ("20m", "100ms").
func sameDuration(got any, want string) bool {
	s, ok := got.(string)
	if !ok {
		return false
	}
	g, err1 := time.ParseDuration(s)
	w, err2 := time.ParseDuration(want)
	return err1 == nil && err2 == nil && g == w
}

func objName(o map[string]any) string {
	return fmt.Sprintf("%v/%v", jsonPath(o, "metadata", "namespace"), jsonPath(o, "metadata", "name"))
}

func sortedKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func orNone(ps []string) string {
	if len(ps) == 0 {
		return "no problem"
	}
	return strings.Join(ps, "; ")
}

func firstLine(s string) string { l, _, _ := strings.Cut(s, "\n"); return l }

// printTranslateTable logs the per-case summary (also in the closing note of issue 19).
// pools says how many rules reference an InferencePool (routed by the AI Gateway's extension server, not modeled).
func pools(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(", %d pool", n)
}

func printTranslateTable(t *testing.T) {
	t.Cleanup(func() {
		translateMu.Lock()
		defer translateMu.Unlock()
		sort.Slice(translateRows, func(i, j int) bool { return translateRows[i].name < translateRows[j].name })
		var b strings.Builder
		fmt.Fprintf(&b, "%-26s %-9s %-20s %-16s %-15s %s\n", "case", "accepted", "rules→clusters", "TLS/backends", "retry priority", "outlier max-ejection")
		for _, r := range translateRows {
			unused := ""
			if r.unused > 0 {
				unused = fmt.Sprintf(" (%d unused)", r.unused)
			}
			fmt.Fprintf(&b, "%-26s %-9s %-20s %-16s %-15s %s\n", r.name, fmt.Sprintf("%d/%d", r.accepted, r.objects),
				fmt.Sprintf("%d→%d, %d split%s", r.rules, r.clusters, r.split, pools(r.pools)), fmt.Sprintf("%d/%d%s", r.tls, r.backends, unused), r.retryPriority, r.outlierEjected)
		}
		logf("Envoy Gateway translator, per case:\n%s", b.String())
	})
}
