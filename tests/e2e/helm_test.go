package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"
)

// helmCLI is one Helm binary: Helm 3 (client-side apply, three-way merge) or
// Helm 4 (server-side apply by default).
type helmCLI struct {
	name string // "helm3" or "helm4", used in namespaces and test names
	bin  string
}

func helms() []helmCLI {
	return []helmCLI{
		{name: "helm3", bin: filepath.Join(env.binDir, "helm3")},
		{name: "helm4", bin: filepath.Join(env.binDir, "helm")},
	}
}

// run executes helm with args and extra environment; it returns stdout and an
// error that carries stderr.
func (h helmCLI) run(ctx context.Context, t *testing.T, extraEnv []string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.CommandContext(ctx, h.bin, args...)
	cmd.Env = append(append([]string{}, env.helmEnv...), extraEnv...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	t.Logf("%s %s (%s)", h.name, strings.Join(args, " "), time.Since(start).Round(time.Millisecond))
	if err != nil {
		return stdout.String(), fmt.Errorf("%s %s: %v: %s", h.name, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

// kubeVersion is what the built kube-apiserver reports; rendering for predictions
// uses the same so that a chart's kubeVersion constraint sees the same cluster.
const kubeVersion = "v1.37.2"

// renderArgs returns `helm template` flags that reproduce the cluster's
// capabilities (Kubernetes version and every served group/version and kind).
func renderArgs(t *testing.T) []string {
	t.Helper()
	apiVersionsOnce.Do(func() {
		_, lists, err := env.kube.Discovery().ServerGroupsAndResources()
		if err != nil {
			apiVersionsErr = err
			return
		}
		seen := map[string]bool{}
		for _, l := range lists {
			if !seen[l.GroupVersion] {
				seen[l.GroupVersion] = true
				apiVersions = append(apiVersions, "--api-versions", l.GroupVersion)
			}
			for _, r := range l.APIResources {
				if strings.Contains(r.Name, "/") {
					continue
				}
				gvk := l.GroupVersion + "/" + r.Kind
				if !seen[gvk] {
					seen[gvk] = true
					apiVersions = append(apiVersions, "--api-versions", gvk)
				}
			}
		}
	})
	if apiVersionsErr != nil {
		t.Fatalf("discovery: %v", apiVersionsErr)
	}
	return append([]string{"--kube-version", kubeVersion}, apiVersions...)
}

// render runs `helm template` (Helm 3) for a case and returns its objects.
func render(ctx context.Context, t *testing.T, release, ns, chartDir, values string) ([]*unstructured.Unstructured, error) {
	t.Helper()
	args := append([]string{"template", release, chartDir, "-n", ns, "-f", values}, renderArgs(t)...)
	out, err := helms()[0].run(ctx, t, nil, args...)
	if err != nil {
		return nil, err
	}
	return parseManifest(out)
}

// manifest returns the objects Helm recorded for the release's current revision.
func (h helmCLI) manifest(ctx context.Context, t *testing.T, release, ns string) []*unstructured.Unstructured {
	t.Helper()
	out, err := h.run(ctx, t, nil, "get", "manifest", release, "-n", ns)
	if err != nil {
		t.Fatalf("%v", err)
	}
	objs, err := parseManifest(out)
	if err != nil {
		t.Fatalf("parsing the manifest of %s/%s: %v", ns, release, err)
	}
	return objs
}

var docSep = regexp.MustCompile(`(?m)^---[ \t]*$`)

// parseManifest splits a multi-document YAML stream into objects, skipping
// empty documents.
func parseManifest(s string) ([]*unstructured.Unstructured, error) {
	var objs []*unstructured.Unstructured
	for _, doc := range docSep.Split(s, -1) {
		if strings.TrimSpace(stripComments(doc)) == "" {
			continue
		}
		var m map[string]any
		if err := yaml.Unmarshal([]byte(doc), &m); err != nil {
			return nil, fmt.Errorf("%w in document:\n%s", err, doc)
		}
		if len(m) == 0 {
			continue
		}
		objs = append(objs, &unstructured.Unstructured{Object: m})
	}
	return objs, nil
}

func stripComments(doc string) string {
	var b strings.Builder
	for _, line := range strings.Split(doc, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "#") {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

var (
	apiVersionsOnce sync.Once
	apiVersions     []string
	apiVersionsErr  error

	getOpts    = metav1.GetOptions{}
	createOpts = metav1.CreateOptions{}
)

func objMeta(name string) metav1.ObjectMeta { return metav1.ObjectMeta{Name: name} }
func isNotFound(err error) bool             { return apierrors.IsNotFound(err) }
func isAlreadyExists(err error) bool        { return apierrors.IsAlreadyExists(err) }
