# End-to-end tests against a real kube-apiserver, etcd and kube-controller-manager
# (issue 5). Include from the top-level Makefile:
#
#   include tools/k8s/k8s.mk
#   test: ... e2e
#
# `make e2e` builds the binaries once into bin/k8s/ (tools/k8s/build.sh skips
# when they are up to date) and runs tests/e2e, a separate Go module, so neither
# touches the main go.mod. The test binary itself also calls build.sh, so
# `cd tests/e2e && go test ./...` works on its own.

K8S_BIN_DIR ?= $(CURDIR)/bin/k8s
# Where egctl (Envoy Gateway's translator, for tests/e2e/translate_test.go) is built; beside the others by default.
EGCTL_BIN_DIR ?= $(K8S_BIN_DIR)
E2E_GOTESTFLAGS ?= -count=1 -timeout 45m -parallel 4 -v

.PHONY: e2e-tools e2e

e2e-tools:
ifeq ($(EGCTL_BIN_DIR),$(K8S_BIN_DIR))
	tools/k8s/build.sh $(K8S_BIN_DIR)
else
	tools/k8s/build.sh $(K8S_BIN_DIR) k8s helm3
	tools/k8s/build.sh $(EGCTL_BIN_DIR) egctl
endif

e2e: e2e-tools
	cd tests/e2e && E2E_BIN_DIR=$(K8S_BIN_DIR) E2E_EGCTL_DIR=$(EGCTL_BIN_DIR) go test $(E2E_GOTESTFLAGS) ./...
