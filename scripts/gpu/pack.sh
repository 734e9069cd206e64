#!/usr/bin/env bash
# Prepares, on this machine, everything the GPU recipe (scripts/gpu/run.sh) needs on a machine that has CUDA's compiler
# but no Node and no network, into the git-ignored folder .gpu/ (carry it with the repository: `carry: [".gpu"]`):
#
#   node.xz              this machine's Node, stripped (its debug symbols) and xz'd
#   node-headers.tar.xz  Node-API headers the addon compiles against (node_api.h and the three it includes)
#   llama.cpp.tar.xz     node-llama-cpp's bundled llama.cpp release (llama/gitRelease.bundle), with node-llama-cpp's patch
#                        applied as its own build would, pruned to what the addon, llama-bench, llama-quantize and gguf-py need
#   runtime.tar.xz       dist/ (the product's bundles, built now) and the node_modules the CLI and the engine load at run
#                        time: node-llama-cpp and its dependencies (no prebuilt binaries, no git bundle), better-sqlite3
#   productBench.mjs     scripts/gpu/productBench.ts bundled (the product's engine, prompt builder and data reader)
#   iu-valid.jsonl       the IU `valid` rows of ../shared/data/iu-xray/pairs.jsonl (evaluation data; never committed)
#   iu-valid-prompts.jsonl, load-test.mjs  the department-server load test (scripts/llama-cpp/load-test.ts) and its
#                        prompts
#   manifest.json        sizes, and the size of everything a device call would carry
#
# Usage: scripts/gpu/pack.sh [--data DIR]   (DIR holds iu-xray/pairs.jsonl; default ../shared/data)
set -euo pipefail
root=$(git rev-parse --show-toplevel)
cd "$root"
data_dir=../shared/data
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data_dir=$2; shift 2 ;;
    *) echo "usage: scripts/gpu/pack.sh [--data DIR]" >&2; exit 2 ;;
  esac
done
out=.gpu
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
rm -rf "$out"
mkdir -p "$out"
step() { printf '\n== %s\n' "$*"; }

step "product bundles (npm run build)"
npm run -s build

step "node (stripped, xz)"
node_bin=$(node -p 'process.execPath')
strip -o "$scratch/node" "$node_bin"
xz -T2 -9 -c "$scratch/node" > "$out/node.xz"

step "Node-API headers"
headers_dir=""
for candidate in "$(dirname "$(dirname "$node_bin")")/include/node" /usr/include/node /usr/local/include/node; do
  if [ -f "$candidate/node_api.h" ]; then headers_dir=$candidate; break; fi
done
[ -n "$headers_dir" ] || { echo "no node_api.h found (install Node's headers)" >&2; exit 1; }
mkdir -p "$scratch/node-headers"
cp "$headers_dir"/{node_api.h,node_api_types.h,js_native_api.h,js_native_api_types.h} "$scratch/node-headers/"
tar -C "$scratch" -cJf "$out/node-headers.tar.xz" node-headers

step "llama.cpp source (node-llama-cpp's bundle and patch, pruned)"
nlc=node_modules/node-llama-cpp
git -c advice.detachedHead=false clone -q "$nlc/llama/gitRelease.bundle" "$scratch/llama.cpp"
(
  cd "$scratch/llama.cpp"
  # node-llama-cpp applies its patches unless the release already has them (applyLlamaCppRepoPatches.js).
  if ! grep -q 'n_tensors = gguf_get_n_tensors(metadata);' src/llama-model-loader.cpp; then
    git apply --ignore-whitespace "$root/$nlc/llama/patches/PR-22566.diff"
  fi
  unused_backends=$(ls -d ggml/src/ggml-*/ | grep -v -e '/ggml-cpu/$' -e '/ggml-cuda/$' | tr '\n' ' ')
  # llama-server's build provisions its web UI with scripts/ui-assets.cmake (none with LLAMA_BUILD_UI=OFF): keep
  # that script and tools/ui's CMake files, not the UI's sources.
  mv scripts/ui-assets.cmake ui-assets.cmake.keep
  rm -rf .git docs models media tests benches examples pocs scripts app skills ci conversion tools/ui/src tools/ui/tests \
    tools/ui/static tools/ui/package-lock.json tools/server/tests tools/server/bench tools/server/public* \
    tools/mtmd/test-*.mp4 $unused_backends
  mkdir scripts
  mv ui-assets.cmake.keep scripts/ui-assets.cmake
)
tar -C "$scratch" -cf - llama.cpp | xz -T2 -6 > "$out/llama.cpp.tar.xz"

step "runtime node_modules and dist"
node scripts/gpu/runtimeModules.mjs node-llama-cpp better-sqlite3 > "$scratch/modules.txt"
{
  find dist -type f ! -name '*.map' ! -path 'dist/vsix/*'
  while read -r dir; do
    case "$dir" in
      node_modules/node-llama-cpp)
        find "$dir" -type f ! -path "$dir/llama/gitRelease.bundle" ! -path "$dir/llama/localBuilds/*" \
          ! -path "$dir/llama/llama.cpp/*" ! -name '*.map' ! -name '*.d.ts' ;;
      node_modules/better-sqlite3)
        find "$dir" -type f \( -path "$dir/lib/*" -o -name package.json -o -path "$dir/build/Release/better_sqlite3.node" \) ;;
      *) find "$dir" -type f ! -name '*.map' ! -name '*.d.ts' ! -name '*.md' ;;
    esac
  done < "$scratch/modules.txt"
} > "$scratch/runtime-files.txt"
tar -cf - -T "$scratch/runtime-files.txt" | xz -T2 -6 > "$out/runtime.tar.xz"

step "product benchmark bundle"
node_modules/.bin/esbuild scripts/gpu/productBench.ts --bundle --platform=node --format=esm --target=node20 \
  --external:node-llama-cpp --log-level=warning --legal-comments=none \
  "--banner:js=import { createRequire as __gpuBenchRequire } from 'node:module'; const require = __gpuBenchRequire(import.meta.url);" \
  --outfile="$out/productBench.mjs"

step "evaluation data (IU valid)"
pairs="$data_dir/iu-xray/pairs.jsonl"
[ -f "$pairs" ] || { echo "no $pairs (--data DIR)" >&2; exit 1; }
grep '"split": "valid"' "$pairs" > "$out/iu-valid.jsonl"

step "department-server load test (IU valid prompts from the product's prompt builder, load generator bundled)"
node --import tsx scripts/llama-cpp/export-prompts.ts --data "$pairs" --out "$out/iu-valid-prompts.jsonl"
node_modules/.bin/esbuild scripts/llama-cpp/load-test.ts --bundle --platform=node --format=esm --target=node20 \
  --log-level=warning --outfile="$out/load-test.mjs"

step "manifest"
node scripts/gpu/carrySize.mjs "$out" > "$out/manifest.json"
cat "$out/manifest.json"
