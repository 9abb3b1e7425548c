#!/usr/bin/env bash
# Build the Helm 3 CLI that the main module pins (go.mod's `tool helm.sh/helm/v3/cmd/helm`) the way Helm's own
# release build does (helm/helm Makefile, LDFLAGS): the version stamped into internal/version, and the default
# Kubernetes version of `helm template` and `helm lint` stamped from the k8s.io/client-go version Helm is built with
# (v0.37.0 -> Kubernetes v1.37). Without these stamps a `go tool helm` binary reports no version and assumes
# Kubernetes v1.20.0, so any chart with `kubeVersion: >=1.32` fails to template.
#
# The Go module proxy does not record a module's commit, so GitCommit stays empty; the version and the go.sum hash
# pin the source.
#
# Usage: tools/helm/build.sh OUT      (e.g. bin/helm; skipped when OUT is up to date with go.mod/go.sum)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${1:?usage: tools/helm/build.sh OUT}
mkdir -p "$(dirname "$out")"
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
cd "$root"

helm_version=$(go list -m -f '{{.Version}}' helm.sh/helm/v3)
client_go=$(go list -m -f '{{.Version}}' k8s.io/client-go) # v0.MINOR.PATCH
client_go=${client_go#v}
k8s_major=$((${client_go%%.*} + 1))
k8s_minor=${client_go#*.}
k8s_minor=${k8s_minor%%.*}

ld="-X helm.sh/helm/v3/internal/version.version=$helm_version"
ld+=" -X helm.sh/helm/v3/internal/version.metadata="
ld+=" -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
for pkg in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
	ld+=" -X $pkg.k8sVersionMajor=$k8s_major -X $pkg.k8sVersionMinor=$k8s_minor"
done

# Rebuild only when the recipe, the pins or the Go version change.
key=$({ echo "$ld"; cat go.mod go.sum "${BASH_SOURCE[0]}"; go env GOVERSION; } | sha256sum | cut -d' ' -f1)
stamp="$out.stamp"
if [[ -x $out && -f $stamp && $(cat "$stamp") == "$key" ]]; then
	exit 0
fi
rm -f "$stamp"
echo "tools/helm/build.sh: building helm $helm_version (default Kubernetes v$k8s_major.$k8s_minor) into $out" >&2
go build -mod=readonly -ldflags "$ld" -o "$out" helm.sh/helm/v3/cmd/helm
echo "$key" >"$stamp"
