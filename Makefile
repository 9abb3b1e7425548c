# llm-charts: `make test` is the one test command (README, .ci/run).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

GO        ?= go
# Helm 3 as pinned in go.mod, built with the version stamps of Helm's release build (tools/helm/build.sh): a plain
# `go tool helm` assumes Kubernetes v1.20 and cannot template a chart that requires >=1.32.
HELM      := bin/helm
KUBE_VERSION := 1.37.2
CHARTS    := llm-model llm-gateway
# The one place the charts' version is set: both Chart.yaml files must say the same (tests/version_test.go checks),
# and `make package` stamps it with --version. Each chart's appVersion stays in its Chart.yaml: it is what the
# templates target (the vLLM release, the Envoy AI Gateway CRD version).
VERSION   := $(shell cat VERSION)
# OCI registry for `make push`, e.g. ghcr.io/llm-charts (charts land in oci://$(REGISTRY)/charts).
REGISTRY  ?=
# A values file per chart that `helm lint --strict` runs with (the charts need a model or a list of models).
LINT_VALUES_llm-model   := tests/cases/llm-model/guide-minimax-m2.5.yaml
LINT_VALUES_llm-gateway := tests/cases/llm-gateway/one-model.yaml

-include tools/k8s/k8s.mk

.PHONY: help
help: ## List the targets.
	@grep -hE '^[a-zA-Z0-9_.-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

.PHONY: helm
helm: ## Build the pinned Helm 3 into bin/helm, stamped as its release build is (version, default Kubernetes version).
	@tools/helm/build.sh bin/helm

.PHONY: test
test: check-generated check-tidy vet unit lint e2e ## Everything CI runs: generated-file drift, tidy modules, vet, unit and golden tests, helm lint, API-server tests.

.PHONY: unit
unit: ## Go unit, golden and schema tests of the main module.
	$(GO) test -timeout 30m ./...

# Every Go module of the repository (the main one, tools/k8s, tests/e2e).
GO_MODULES := $(patsubst %/,%,$(dir $(shell git ls-files go.mod '*/go.mod')))

.PHONY: check-tidy
check-tidy: ## Fail when `go mod tidy` would change a go.mod or go.sum of any module.
	@for m in $(GO_MODULES); do \
	  (cd $$m && $(GO) mod tidy -diff) || { echo "$$m/go.mod is not tidy: run (cd $$m && go mod tidy)"; exit 1; }; \
	done

.PHONY: vet
vet: ## go vet and gofmt.
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

.PHONY: lint
lint: helm ## helm lint --strict on both charts.
	@for c in $(CHARTS); do \
	  [ -d charts/$$c ] || continue; \
	  v=$$(case $$c in llm-model) echo $(LINT_VALUES_llm-model);; llm-gateway) echo $(LINT_VALUES_llm-gateway);; esac); \
	  $(HELM) lint --strict --kube-version $(KUBE_VERSION) charts/$$c -f $$v; \
	done

.PHONY: schemas
schemas: ## Copy schema/*.values.schema.json into the charts (the schema/ files are the source of truth).
	@for f in schema/*.values.schema.json; do c=$$(basename $$f .values.schema.json); cp $$f charts/$$c/values.schema.json; done

# The team's reference set sits beside the repository in its own checkout (optional: a clone builds and tests
# without it). `make catalog` and `make crds` refresh the vendored copies from it.
SHARED ?= ../shared

.PHONY: catalog
catalog: ## Refresh chartgen's embedded model catalog from $(SHARED)/models.
	@[ -d $(SHARED)/models ] || { echo "no $(SHARED)/models: set SHARED=DIR to the reference set"; exit 1; }
	rm -rf internal/catalog/models && mkdir -p internal/catalog/models
	cp -r $(SHARED)/models/*/ internal/catalog/models/ && chmod -R u+w internal/catalog/models

.PHONY: crds
crds: ## Refresh the vendored CRDs in tests/testdata/crds from $(SHARED)/crds; then check SOURCES.md (go test ./tests -run TestVendoredCRDs).
	@[ -d $(SHARED)/crds ] || { echo "no $(SHARED)/crds: set SHARED=DIR to the reference set"; exit 1; }
	cp $(SHARED)/crds/*.yaml tests/testdata/crds/ && chmod u+w tests/testdata/crds/*.yaml
	$(GO) test ./tests -run 'TestVendoredCRDs' -count=1

.PHONY: flagtable
flagtable: ## Write an engine flag table from a release image: make flagtable ENGINE=vllm RELEASE=v0.20.0 (docker or podman, git).
	@[ -n "$(ENGINE)" ] && [ -n "$(RELEASE)" ] || { echo "usage: make flagtable ENGINE=vllm|sglang RELEASE=vX.Y.Z"; exit 2; }
	tools/flagtable/collect.sh $(ENGINE) $(RELEASE)

.PHONY: generate
generate: ## Write the generated chart files: the engine data (charts/llm-model/templates/_engines.tpl, from internal/engine/specs).
	$(GO) run ./cmd/enginedata charts/llm-model

.PHONY: docs
docs: ## Write charts/*/README.md from the values.yaml comments (internal/chartdoc).
	$(GO) run ./cmd/chartdoc $(addprefix charts/,$(CHARTS))

.PHONY: package
package: check-generated helm ## helm package both charts into dist/ with the version in VERSION.
	@mkdir -p dist
	@for c in $(CHARTS); do $(HELM) package charts/$$c --version $(VERSION) --destination dist; done

.PHONY: push
push: package ## helm push the packaged charts to oci://$(REGISTRY)/charts (make push REGISTRY=ghcr.io/llm-charts).
	@[ -n "$(REGISTRY)" ] || { echo "set REGISTRY, e.g. make push REGISTRY=ghcr.io/llm-charts (after helm registry login)"; exit 1; }
	@for c in $(CHARTS); do $(HELM) push dist/$$c-$(VERSION).tgz oci://$(REGISTRY)/charts; done

.PHONY: golden
golden: ## Rewrite the golden files from the current output; read `git diff` before committing.
	$(GO) test ./tests -run 'TestGolden' -update

.PHONY: check-generated
check-generated: ## Fail when the charts' schema copies drift from schema/, a README from its values.yaml, the engine data from internal/engine/specs, or a Chart.yaml version from VERSION.
	@for f in schema/*.values.schema.json; do c=$$(basename $$f .values.schema.json); \
	  cmp -s $$f charts/$$c/values.schema.json || { echo "charts/$$c/values.schema.json differs from $$f: run make schemas"; exit 1; }; done
	@$(GO) run ./cmd/chartdoc -check $(addprefix charts/,$(CHARTS))
	@$(GO) run ./cmd/enginedata -check charts/llm-model
	@for c in $(CHARTS); do v=$$(sed -n 's/^version: *//p' charts/$$c/Chart.yaml); \
	  [ "$$v" = "$(VERSION)" ] || { echo "charts/$$c/Chart.yaml version $$v differs from VERSION $(VERSION)"; exit 1; }; done

.PHONY: bench
bench: ## Benchmarks (rendering, planning, chartgen).
	$(GO) test -run '^$$' -bench . -benchmem ./...

.PHONY: build
build: ## Build chartgen into bin/ (chartgen --version is VERSION, embedded at build time).
	$(GO) build -o bin/chartgen ./cmd/chartgen
