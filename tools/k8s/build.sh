#!/usr/bin/env bash
# Build the binaries the end-to-end tests run, once, into bin/k8s/ (ignored by git):
#
#   kube-apiserver, kube-controller-manager  k8s.io/kubernetes v1.37.2 (this module)
#   etcd                                     go.etcd.io/etcd/server/v3 v3.7.3 (this module)
#   helm                                     Helm 4, helm.sh/helm/v4 v4.3.1 (this module)
#   egctl                                    Envoy Gateway's CLI, github.com/envoyproxy/gateway v1.9.1
#                                            (module tools/k8s/egctl), for `egctl x translate` in tests/e2e
#   helm3                                    Helm 3 pinned by the main module (tools/helm/build.sh)
#
# Everything comes from the Go module proxy. A stamp file per group, keyed on the
# go.mod/go.sum that pin it plus the build recipe and the Go version, makes a second run a
# no-op. Nothing here writes to any go.mod: builds run with -mod=readonly.
#
# Usage: tools/k8s/build.sh [outdir] [group...]   (default outdir: <repo>/bin/k8s)
# Groups: k8s (kube-apiserver, kube-controller-manager, etcd, helm), egctl, helm3; default all of them.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-${K8S_BIN_DIR:-$root/bin/k8s}}
shift $(($# > 0 ? 1 : 0))
groups=" ${*:-k8s egctl helm3} "
for g in $groups; do
	case $g in k8s | egctl | helm3) ;; *)
		echo "build.sh: unknown group \"$g\" (known: k8s egctl helm3)" >&2
		exit 2
		;;
	esac
done
mkdir -p "$out"
out=$(cd "$out" && pwd)

k8s_version=v1.37.2
helm4_version=v4.3.1
# Envoy Gateway v1.9.1 (pinned in egctl/go.mod): its Backend and BackendTrafficPolicy CRDs are byte for byte the
# v1.9.0 ones vendored in tests/testdata/crds (same sha256), and it is the newest patch of that minor on the Go
# module proxy. The version is stamped where Envoy Gateway's release build stamps it (`egctl version`); the release
# commit is not known to the module proxy, so gitCommitID stays empty.
eg_version=v1.9.1

export GOFLAGS="-mod=readonly -buildvcs=false"
export CGO_ENABLED=0

gover=$(go env GOVERSION)

# key RECIPE FILE... prints a hash of the build recipe (flags, versions), the
# named files (go.mod, go.sum) and the Go version.
key() {
	local recipe=$1
	shift
	{ echo "$recipe"; cat "$@"; } | sha256sum | cut -d' ' -f1 | tr -d '\n'
	echo "-$gover"
}

# fresh STAMP KEY BIN... succeeds when STAMP holds KEY and every BIN exists.
fresh() {
	local stamp=$1 want=$2
	shift 2
	[[ -f $stamp && $(cat "$stamp") == "$want" ]] || return 1
	local b
	for b in "$@"; do [[ -x $out/$b ]] || return 1; done
}

# timed LABEL CMD... runs CMD and reports how long it took.
timed() {
	local label=$1 start=$SECONDS
	shift
	echo "build.sh: building $label" >&2
	"$@"
	echo "build.sh: built $label in $((SECONDS - start))s" >&2
}

# --- kube-apiserver, kube-controller-manager, etcd, helm 4 (tools/k8s module) ---
minor=${k8s_version#v1.}
minor=${minor%%.*}
ldk8s="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
	ldk8s+=" -X $pkg.gitVersion=$k8s_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
	ldk8s+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done
ldhelm4="-s -w -X helm.sh/helm/v4/internal/version.version=$helm4_version -X helm.sh/helm/v4/internal/version.gitTreeState=clean"
tools_key=$(key "trimpath|$ldk8s|$ldhelm4" "$here/go.mod" "$here/go.sum")
tools_stamp=$out/.stamp-tools
if [[ $groups != *" k8s "* ]]; then
	:
elif fresh "$tools_stamp" "$tools_key" kube-apiserver kube-controller-manager etcd helm; then
	echo "build.sh: kube-apiserver, kube-controller-manager, etcd, helm in $out are up to date" >&2
else
	rm -f "$tools_stamp"
	cd "$here"
	timed "kube-apiserver kube-controller-manager ($k8s_version)" \
		go build -trimpath -ldflags "$ldk8s" -o "$out/" \
		k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager
	timed "etcd" go build -trimpath -ldflags "-s -w" -o "$out/etcd" go.etcd.io/etcd/server/v3
	timed "helm ($helm4_version)" go build -trimpath -ldflags "$ldhelm4" -o "$out/helm" helm.sh/helm/v4/cmd/helm
	echo "$tools_key" >"$tools_stamp"
fi

# --- egctl (tools/k8s/egctl module) -----------------------------------------------------------------------------------
ldeg="-s -w -X github.com/envoyproxy/gateway/internal/cmd/version.envoyGatewayVersion=$eg_version"
eg_key=$(key "trimpath|$ldeg" "$here/egctl/go.mod" "$here/egctl/go.sum")
eg_stamp=$out/.stamp-egctl
if [[ $groups != *" egctl "* ]]; then
	:
elif fresh "$eg_stamp" "$eg_key" egctl; then
	echo "build.sh: egctl in $out is up to date" >&2
else
	rm -f "$eg_stamp"
	(cd "$here/egctl" && timed "egctl ($eg_version)" go build -trimpath -ldflags "$ldeg" -o "$out/egctl" \
		github.com/envoyproxy/gateway/cmd/egctl)
	echo "$eg_key" >"$eg_stamp"
fi

# --- helm3: the Helm 3 CLI pinned by the main module, stamped as Helm's release build is ----------------------------
# tools/helm/build.sh builds it (the same binary as `make helm`'s bin/helm) and skips when it is up to date.
if [[ $groups == *" helm3 "* ]]; then
	"$root/tools/helm/build.sh" "$out/helm3"
fi
