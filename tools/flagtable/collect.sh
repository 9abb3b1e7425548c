#!/usr/bin/env bash
# Refresh (or add) an engine flag table from a release: `make flagtable ENGINE=vllm RELEASE=v0.20.0`.
# Needs docker or podman (to run the release's image) and git (to resolve the tag to its commit); run it where those
# reach the registries. It reads what the release says about itself, never copies its code:
#   - the entry point's --help text, which the release's own argument parser writes (flags, choices, parser names);
#   - the environment variable names the release's source declares (vllm/envs.py, sglang/srt/environ.py);
#   - the commit the release tag points at.
# Then go run ./cmd/flagtable writes internal/flagtable/tables/<engine>/<version>.yaml. Read the diff, add the
# release with make generate (its releases and flag spans go into charts/llm-model/templates/_engines.tpl), run make golden.
set -euo pipefail
engine=${1:?engine: vllm or sglang}
version=${2:?version, e.g. v0.20.0}
run=${CONTAINER_RUNTIME:-$(command -v docker || command -v podman || true)}
[ -n "$run" ] || { echo "flagtable: docker or podman is needed to run the $engine $version image" >&2; exit 1; }
case $engine in
  vllm)
    repo=https://github.com/vllm-project/vllm
    image=vllm/vllm-openai:$version
    help=(--entrypoint vllm "$image" serve --help=all)
    env=(--entrypoint python3 "$image" -c 'import vllm.envs as e; print("\n".join(sorted(e.environment_variables)))')
    extra=(-frontend-group Frontend -frontend-flag --api-server-count)
    ;;
  sglang)
    repo=https://github.com/sgl-project/sglang
    image=lmsysorg/sglang:$version
    help=(--entrypoint python3 "$image" -m sglang.launch_server --help)
    env=(--entrypoint python3 "$image" -c 'import sglang.srt.environ as m; print("\n".join(sorted(n for n in vars(m.Envs) if n.startswith("SGLANG_"))))')
    extra=()
    ;;
  *) echo "flagtable: unknown engine $engine" >&2; exit 2 ;;
esac
commit=$(git ls-remote "$repo" "refs/tags/$version^{}" "refs/tags/$version" | awk 'NR==1 {print $1}')
[ ${#commit} -eq 40 ] || { echo "flagtable: no tag $version in $repo" >&2; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$run" run --rm "${help[@]}" >"$dir/help.txt"
"$run" run --rm "${env[@]}" >"$dir/env.txt"
go run ./cmd/flagtable -engine "$engine" -version "$version" -repository "$repo" -commit "$commit" -image "$image" \
  -help "$dir/help.txt" -env "$dir/env.txt" "${extra[@]}"
