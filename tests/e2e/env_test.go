// Package e2e installs, upgrades and uninstalls every chart test case against a
// real kube-apiserver, etcd and kube-controller-manager, driven by
// controller-runtime's envtest, with both the Helm 3 and the Helm 4 CLI.
//
// The binaries are built from the Go module proxy by ../../tools/k8s/build.sh
// (a no-op when they are up to date); TestMain runs it, and when it cannot build
// or start them every test FAILS with the reason. Nothing here is skipped
// silently.
package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
)

// The whole API server is shared by all tests; each case gets its own namespaces.
var env struct {
	err        error // why the environment is not usable; every test fails with it
	root       string
	binDir     string
	egctl      string // Envoy Gateway's CLI (translate_test.go)
	workDir    string
	kubeconfig string
	helmEnv    []string
	cfg        *rest.Config
	kube       *kubernetes.Clientset
	dyn        dynamic.Interface
	mapper     *restmapper.DeferredDiscoveryRESTMapper
	kcmLog     string
}

// requireEnv fails the test when the API server could not be set up.
func requireEnv(t *testing.T) {
	t.Helper()
	if env.err != nil {
		t.Fatalf("e2e environment unavailable: %v", env.err)
	}
}

func TestMain(m *testing.M) {
	if os.Getenv(postRenderEnv) != "" {
		os.Exit(postRender(os.Getenv(postRenderEnv), os.Stdin, os.Stdout))
	}
	stop := setup()
	code := m.Run()
	printSummary()
	if code != 0 && env.workDir != "" {
		// Keep the kubeconfig and the kube-controller-manager log for a look.
		os.Setenv("E2E_KEEP", "1")
		logf("tests failed: kubeconfig and kube-controller-manager.log kept in %s", env.workDir)
	}
	if stop != nil {
		stop()
	}
	os.Exit(code)
}

// repoRoot is the repository root: this package lives in <root>/tests/e2e.
func repoRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	root := filepath.Clean(filepath.Join(wd, "..", ".."))
	if _, err := os.Stat(filepath.Join(root, "tools", "k8s", "build.sh")); err != nil {
		return "", fmt.Errorf("repository root not found from %s: %w", wd, err)
	}
	return root, nil
}

// setup builds the binaries, starts the control plane and fills env. On failure
// it records the reason in env.err and returns whatever needs stopping.
func setup() (stop func()) {
	start := time.Now()
	root, err := repoRoot()
	if err != nil {
		env.err = err
		return nil
	}
	env.root = root
	env.binDir = filepath.Join(root, "bin", "k8s")
	if d := os.Getenv("E2E_BIN_DIR"); d != "" {
		env.binDir = d
	}

	// egctl goes to E2E_EGCTL_DIR when set (make e2e passes EGCTL_BIN_DIR), else beside the others.
	egDir := env.binDir
	if d := os.Getenv("E2E_EGCTL_DIR"); d != "" {
		egDir = d
	}
	env.egctl = filepath.Join(egDir, "egctl")

	// Build (or confirm up to date) kube-apiserver, kube-controller-manager, etcd, helm, helm3 and egctl.
	builds := [][]string{{env.binDir}}
	if egDir != env.binDir {
		builds = [][]string{{env.binDir, "k8s", "helm3"}, {egDir, "egctl"}}
	}
	for _, args := range builds {
		build := exec.Command(filepath.Join(root, "tools", "k8s", "build.sh"), args...)
		var buildOut bytes.Buffer
		build.Stdout, build.Stderr = &buildOut, &buildOut
		if err := build.Run(); err != nil {
			env.err = fmt.Errorf("tools/k8s/build.sh failed (%v); the e2e tests need its binaries:\n%s", err, tail(buildOut.String(), 40))
			return nil
		}
	}
	for _, b := range []string{"kube-apiserver", "etcd", "kube-controller-manager", "helm", "helm3"} {
		if _, err := os.Stat(filepath.Join(env.binDir, b)); err != nil {
			env.err = fmt.Errorf("binary %s missing after build.sh: %w", b, err)
			return nil
		}
	}
	if _, err := os.Stat(env.egctl); err != nil {
		env.err = fmt.Errorf("binary egctl missing after build.sh: %w", err)
		return nil
	}
	logf("binaries ready in %s (%s)", env.binDir, time.Since(start).Round(time.Millisecond))

	env.workDir, err = os.MkdirTemp("", "llm-charts-e2e-")
	if err != nil {
		env.err = err
		return nil
	}
	// The CRDs vendored in the repository (tests/testdata/crds/SOURCES.md); E2E_CRD_DIR points at another set.
	crdDir := filepath.Join(root, "tests", "testdata", "crds")
	if d := os.Getenv("E2E_CRD_DIR"); d != "" {
		crdDir = d
	}

	te := &envtest.Environment{
		BinaryAssetsDirectory: env.binDir,
		CRDDirectoryPaths:     []string{crdDir},
		ErrorIfCRDPathMissing: true,
	}
	te.ControlPlane.GetAPIServer().StartTimeout = 2 * time.Minute
	te.ControlPlane.Etcd = &envtest.Etcd{StartTimeout: time.Minute}
	// envtest disables the ServiceAccount admission plugin because nothing creates
	// the "default" ServiceAccount; we run the controller that does, so pods are
	// admitted as on a real cluster.
	te.ControlPlane.GetAPIServer().Configure().Disable("disable-admission-plugins")
	t0 := time.Now()
	_, err = te.Start()
	if err != nil {
		env.err = fmt.Errorf("envtest could not start kube-apiserver/etcd from %s: %w", env.binDir, err)
		_ = te.Stop()
		return nil
	}
	stops := []func(){func() { _ = te.Stop() }}
	stopAll := func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
		if env.err == nil && os.Getenv("E2E_KEEP") == "" {
			_ = os.RemoveAll(env.workDir)
		}
	}
	logf("kube-apiserver and etcd started, CRDs from %s installed (%s)", crdDir, time.Since(t0).Round(time.Millisecond))

	admin, err := te.AddUser(envtest.User{Name: "e2e-admin", Groups: []string{"system:masters"}}, nil)
	if err != nil {
		env.err = fmt.Errorf("adding the admin user: %w", err)
		return stopAll
	}
	kc, err := admin.KubeConfig()
	if err != nil {
		env.err = fmt.Errorf("admin kubeconfig: %w", err)
		return stopAll
	}
	env.kubeconfig = filepath.Join(env.workDir, "kubeconfig")
	if err := os.WriteFile(env.kubeconfig, kc, 0o600); err != nil {
		env.err = err
		return stopAll
	}
	env.cfg = admin.Config()
	env.cfg.QPS, env.cfg.Burst = 200, 400
	if env.kube, err = kubernetes.NewForConfig(env.cfg); err == nil {
		env.dyn, err = dynamic.NewForConfig(env.cfg)
	}
	if err != nil {
		env.err = err
		return stopAll
	}
	dc, err := discovery.NewDiscoveryClientForConfig(env.cfg)
	if err != nil {
		env.err = err
		return stopAll
	}
	env.mapper = restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(dc))

	home := filepath.Join(env.workDir, "helm")
	env.helmEnv = append(os.Environ(),
		"KUBECONFIG="+env.kubeconfig,
		"HELM_CACHE_HOME="+filepath.Join(home, "cache"),
		"HELM_CONFIG_HOME="+filepath.Join(home, "config"),
		"HELM_DATA_HOME="+filepath.Join(home, "data"),
		"HELM_NAMESPACE=", "HELM_KUBECONTEXT=",
	)

	if err := createClusterObjects(filepath.Join("testdata", "cluster")); err != nil {
		env.err = err
		return stopAll
	}

	stopKCM, err := startControllerManager()
	if err != nil {
		env.err = err
		return stopAll
	}
	stops = append(stops, stopKCM)
	if err := checkServiceAccountAdmission(); err != nil {
		env.err = err
		return stopAll
	}
	logf("control plane ready in %s total", time.Since(start).Round(time.Millisecond))
	return stopAll
}

// createClusterObjects creates every object in dir/*.yaml: what a real cluster
// already has and the charts only reference (e.g. PriorityClasses).
func createClusterObjects(dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return err
	}
	ctx := context.Background()
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		objs, err := parseManifest(string(b))
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		for _, o := range objs {
			gvk := o.GroupVersionKind()
			m, err := env.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
			if err != nil {
				return fmt.Errorf("%s: %s: %w", f, key(o), err)
			}
			var ri dynamic.ResourceInterface = env.dyn.Resource(m.Resource)
			if m.Scope.Name() == meta.RESTScopeNameNamespace {
				ri = env.dyn.Resource(m.Resource).Namespace(o.GetNamespace())
			}
			if _, err := ri.Create(ctx, o, createOpts); err != nil {
				return fmt.Errorf("%s: creating %s: %w", f, key(o), err)
			}
			logf("created %s from %s", key(o), f)
		}
	}
	return nil
}

// controllers are the kube-controller-manager loops the tests rely on: the
// StatefulSet controller creates pods and PVCs from volumeClaimTemplates (the pods
// stay Pending: there is no scheduler or kubelet), the ServiceAccount controller
// creates "default" in every namespace so the ServiceAccount admission plugin
// admits pods, and the garbage collector, namespace and PVC-protection
// controllers clean up as on a real cluster.
var controllers = []string{
	"statefulset-controller",
	"serviceaccount-controller",
	"garbage-collector-controller",
	"namespace-controller",
	"persistentvolumeclaim-protection-controller",
}

func startControllerManager() (func(), error) {
	logPath := filepath.Join(env.workDir, "kube-controller-manager.log")
	env.kcmLog = logPath
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(filepath.Join(env.binDir, "kube-controller-manager"),
		"--kubeconfig="+env.kubeconfig,
		"--controllers="+strings.Join(controllers, ","),
		"--leader-elect=false",
		"--secure-port=0",
		"--use-service-account-credentials=false",
		"--concurrent-statefulset-syncs=10",
		"--v=2",
	)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("starting kube-controller-manager: %w", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	stop := func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		logFile.Close()
	}

	// Ready when the ServiceAccount controller has created default/default.
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	for {
		_, err := env.kube.CoreV1().ServiceAccounts("default").Get(ctx, "default", getOpts)
		if err == nil {
			return stop, nil
		}
		select {
		case err := <-done:
			logFile.Close()
			return nil, fmt.Errorf("kube-controller-manager exited (%v):\n%s", err, tailFile(logPath, 30))
		case <-ctx.Done():
			stop()
			return nil, fmt.Errorf("kube-controller-manager not ready after 90s (no default ServiceAccount):\n%s", tailFile(logPath, 30))
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// checkServiceAccountAdmission makes sure the ServiceAccount admission plugin
// runs (envtest turns it off by default): it sets serviceAccountName on a pod.
func checkServiceAccountAdmission() error {
	ctx := context.Background()
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{GenerateName: "admission-check-"},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "example.invalid/none"}}},
	}
	got, err := env.kube.CoreV1().Pods("default").Create(ctx, pod, metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}})
	if err != nil {
		return fmt.Errorf("dry-run pod for the admission check: %w", err)
	}
	if got.Spec.ServiceAccountName != "default" {
		return fmt.Errorf("the ServiceAccount admission plugin is not running (serviceAccountName=%q)", got.Spec.ServiceAccountName)
	}
	return nil
}

// createNamespace creates ns (and waits for its default ServiceAccount, which
// the ServiceAccount admission plugin needs before it admits pods).
func createNamespace(ctx context.Context, t *testing.T, ns string) {
	t.Helper()
	_, err := env.kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: objMeta(ns)}, createOpts)
	if err != nil && !isAlreadyExists(err) {
		t.Fatalf("creating namespace %s: %v", ns, err)
	}
	waitFor(ctx, t, 30*time.Second, "default ServiceAccount in "+ns, func() (bool, error) {
		_, err := env.kube.CoreV1().ServiceAccounts(ns).Get(ctx, "default", getOpts)
		if isNotFound(err) {
			return false, nil
		}
		return err == nil, err
	})
}

// waitFor polls cond every 200ms until it is true, it errors, or timeout passes.
func waitFor(ctx context.Context, t *testing.T, timeout time.Duration, what string, cond func() (bool, error)) {
	t.Helper()
	if err := poll(ctx, timeout, cond); err != nil {
		t.Fatalf("waiting for %s: %v", what, err)
	}
}

func poll(ctx context.Context, timeout time.Duration, cond func() (bool, error)) error {
	deadline := time.Now().Add(timeout)
	for {
		ok, err := cond()
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out after %s", timeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// --- timings ---------------------------------------------------------------

var timings struct {
	sync.Mutex
	rows     []string
	outcomes map[string]int
}

// record notes how long one case step took, for the summary table.
func record(name string, d time.Duration, outcome string) {
	timings.Lock()
	defer timings.Unlock()
	timings.rows = append(timings.rows, fmt.Sprintf("%-60s %8s  %s", name, d.Round(10*time.Millisecond), outcome))
	if timings.outcomes == nil {
		timings.outcomes = map[string]int{}
	}
	kind := outcome
	if i := strings.Index(kind, " ("); i > 0 {
		kind = kind[:i]
	}
	timings.outcomes[kind]++
}

func printSummary() {
	timings.Lock()
	defer timings.Unlock()
	if len(timings.rows) == 0 {
		return
	}
	sort.Strings(timings.rows)
	fmt.Println("\n=== e2e timings (install + upgrade + uninstall per case and Helm version) ===")
	for _, r := range timings.rows {
		fmt.Println(r)
	}
	kinds := make([]string, 0, len(timings.outcomes))
	for k := range timings.outcomes {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	fmt.Println("--- outcomes (runs of a case with one Helm version) ---")
	for _, k := range kinds {
		fmt.Printf("%4d  %s\n", timings.outcomes[k], k)
	}
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "e2e: "+format+"\n", args...)
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func tailFile(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	return tail(string(b), n)
}
