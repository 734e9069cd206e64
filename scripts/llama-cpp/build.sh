#!/usr/bin/env bash
# Builds llama.cpp's `llama-server` (and, when asked, `llama-bench`) from the llama.cpp source that node-llama-cpp
# ships (node_modules/node-llama-cpp/llama/gitRelease.bundle, a git bundle), so the department server runs the same
# llama.cpp as the editor's local engine. Idempotent and cached: a second run with the same source, backend and targets
# prints the cached folder at once. Needs only bash, git, cmake and a C++ tool chain (no Node.js, no network), so it also
# runs on a GPU machine that has none of the project's npm packages.
#
#   bash scripts/llama-cpp/build.sh [--backend cpu|cuda] [--targets "llama-server llama-bench"] [--jobs N]
#                                   [--cuda-arch 90] [--bundle PATH] [--cache DIR]
#
#   --backend cpu     (default) the CPU backend, for the `endpoint` test tier and CI
#   --backend cuda    the CUDA backend for NVIDIA GPUs; --cuda-arch sets CMAKE_CUDA_ARCHITECTURES (default 90: H100/H200)
#   --targets LIST    the CMake targets to build (default: llama-server); only these and what they link are compiled
#   --jobs N          parallel compile jobs (default: the number of processors)
#   --bundle PATH     the llama.cpp git bundle (default: node-llama-cpp's, or $LLAMA_CPP_BUNDLE)
#   --cache DIR       where sources and builds go (default: .cache/llama-cpp in the repository, or $LLAMA_CPP_CACHE)
#
# The last line printed is the folder holding the built programs (e.g. .cache/llama-cpp/build-cpu-<commit>/bin).
# What is left out to keep the build small: tests, examples, the web UI (it would be downloaded from Hugging Face) and
# HTTPS in the server (put a TLS-terminating proxy in front; see docs/department-server.md). GGML_NATIVE is off, so the
# CPU build runs on any x86-64 machine with AVX2, not only on the one that compiled it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BACKEND=cpu
TARGETS="llama-server"
JOBS="$(nproc 2>/dev/null || echo 2)"
CUDA_ARCH=90
BUNDLE="${LLAMA_CPP_BUNDLE:-$ROOT/node_modules/node-llama-cpp/llama/gitRelease.bundle}"
CACHE="${LLAMA_CPP_CACHE:-$ROOT/.cache/llama-cpp}"

usage() { sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --backend) BACKEND="${2:?--backend needs a value}"; shift 2 ;;
    --targets) TARGETS="${2:?--targets needs a value}"; shift 2 ;;
    --jobs) JOBS="${2:?--jobs needs a value}"; shift 2 ;;
    --cuda-arch) CUDA_ARCH="${2:?--cuda-arch needs a value}"; shift 2 ;;
    --bundle) BUNDLE="${2:?--bundle needs a value}"; shift 2 ;;
    --cache) CACHE="${2:?--cache needs a value}"; shift 2 ;;
    -h|--help) usage ;;
    *) echo "build.sh: unknown argument $1" >&2; usage ;;
  esac
done

case "$BACKEND" in
  cpu) BACKEND_FLAGS=() ;;
  cuda) BACKEND_FLAGS=(-DGGML_CUDA=ON "-DCMAKE_CUDA_ARCHITECTURES=$CUDA_ARCH") ;;
  *) echo "build.sh: --backend must be cpu or cuda, got $BACKEND" >&2; exit 2 ;;
esac

missing=()
for tool in git cmake make c++; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ "$BACKEND" = cuda ] && ! command -v nvcc >/dev/null && [ ! -x /usr/local/cuda/bin/nvcc ]; then
  missing+=("nvcc (the CUDA toolkit)")
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "build.sh: missing ${missing[*]}. On Debian: apt-get install -y git cmake build-essential" >&2
  exit 1
fi
[ "$BACKEND" = cuda ] && ! command -v nvcc >/dev/null && export PATH="/usr/local/cuda/bin:$PATH"
if [ ! -f "$BUNDLE" ]; then
  echo "build.sh: the llama.cpp bundle $BUNDLE is missing (it comes with the node-llama-cpp npm package; pass --bundle PATH)" >&2
  exit 1
fi

mkdir -p "$CACHE"
# One build at a time per cache (parallel test processes may all ask for the server).
exec 9>"$CACHE/.lock"
if command -v flock >/dev/null; then flock 9; fi

COMMIT="$(git bundle list-heads "$BUNDLE" | awk '$2 == "HEAD" { print $1; exit } { first = first ? first : $1 } END { if (first) print first }' | head -n 1)"
[ -n "$COMMIT" ] || { echo "build.sh: $BUNDLE is not a git bundle" >&2; exit 1; }
SHORT="${COMMIT:0:12}"
SOURCE="$CACHE/src-$SHORT"
BUILD="$CACHE/build-$BACKEND-$SHORT"
BIN="$BUILD/bin"

FLAGS=(
  -DCMAKE_BUILD_TYPE=Release
  -DBUILD_SHARED_LIBS=OFF
  -DGGML_NATIVE=OFF
  -DLLAMA_BUILD_TESTS=OFF
  -DLLAMA_BUILD_EXAMPLES=OFF
  -DLLAMA_BUILD_TOOLS=ON
  -DLLAMA_BUILD_SERVER=ON
  -DLLAMA_BUILD_APP=OFF
  -DLLAMA_BUILD_UI=OFF
  -DLLAMA_USE_PREBUILT_UI=OFF
  -DLLAMA_OPENSSL=OFF
  "${BACKEND_FLAGS[@]}"
)
FLAGS_STAMP="$(printf '%s\n' "$COMMIT" "${FLAGS[@]}" | cksum | cut -d' ' -f1)"

built_all() {
  [ -f "$BUILD/.configured-$FLAGS_STAMP" ] || return 1
  for target in $TARGETS; do [ -f "$BUILD/.built-$target" ] && [ -x "$BIN/$target" ] || return 1; done
}
if built_all; then
  echo "$BIN"
  exit 0
fi

if [ ! -f "$SOURCE/.complete" ]; then
  echo "build.sh: unpacking llama.cpp $SHORT from $BUNDLE" >&2
  rm -rf "$SOURCE"
  git clone --quiet --no-checkout "$BUNDLE" "$SOURCE"
  git -C "$SOURCE" -c advice.detachedHead=false checkout --quiet "$COMMIT"
  touch "$SOURCE/.complete"
fi

started=$SECONDS
if [ ! -f "$BUILD/.configured-$FLAGS_STAMP" ]; then
  rm -rf "$BUILD"
  echo "build.sh: configuring ($BACKEND): ${FLAGS[*]}" >&2
  generator=()
  command -v ninja >/dev/null && generator=(-G Ninja)
  cmake -S "$SOURCE" -B "$BUILD" "${generator[@]}" "${FLAGS[@]}" -DCMAKE_RUNTIME_OUTPUT_DIRECTORY="$BIN" >"$CACHE/configure-$BACKEND.log" 2>&1 || {
    echo "build.sh: cmake configure failed; the last lines of $CACHE/configure-$BACKEND.log:" >&2
    tail -n 30 "$CACHE/configure-$BACKEND.log" >&2
    exit 1
  }
  touch "$BUILD/.configured-$FLAGS_STAMP"
fi
for target in $TARGETS; do
  echo "build.sh: building $target with $JOBS jobs (minutes on a small machine; cached afterwards)" >&2
  cmake --build "$BUILD" --target "$target" -j "$JOBS" >"$CACHE/build-$BACKEND-$target.log" 2>&1 || {
    echo "build.sh: building $target failed; the last lines of $CACHE/build-$BACKEND-$target.log:" >&2
    tail -n 40 "$CACHE/build-$BACKEND-$target.log" >&2
    exit 1
  }
  [ -x "$BIN/$target" ] || { echo "build.sh: the build finished but $BIN/$target is missing" >&2; exit 1; }
  touch "$BUILD/.built-$target"
done
echo "build.sh: built $TARGETS ($BACKEND) in $((SECONDS - started)) s" >&2
echo "$BIN"
