#!/usr/bin/env bash
# The department-server load test on a GPU machine, in one command: builds llama-server and llama-bench for CUDA from
# node-llama-cpp's bundled llama.cpp (cached), runs llama-bench once, then for N = 1, 8, 32, 128 restarts llama-server
# with N slots and plays N radiologists against it (scripts/llama-cpp/load-test.ts, bundled by prepare-gpu-run.sh).
#
#   bash scripts/llama-cpp/gpu-load-run.sh [--out DIR] [--concurrency 1,8,32,128] [--requests N] [--max-tokens 256]
#                                          [--model BASE.gguf] [--lora ADAPTER.gguf] [--cuda-arch 90] [--backend cuda] [--port 8080]
#
# `--backend cpu` runs the same steps without a GPU (a dry run of this script on any machine).
#
# Writes into DIR (default $OUT, else results/): load.json (every level's figures), load.txt (one line a level),
# llama-bench.txt, build.txt (how long the build took), nvidia-smi.txt, and the llama-server logs.
# Needs bash, git, cmake, a C++ compiler, the CUDA toolkit and Node.js 20 (NODE=path/to/node if not on PATH).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
OUTDIR="${OUT:-results}" CONCURRENCY=1,8,32,128 REQUESTS="" MAX_TOKENS=256 CUDA_ARCH=90
MODEL="$ROOT/models/radreport-base.Q8_0.gguf" LORA="$ROOT/models/radreport-conclusion-lora.gguf" BACKEND=cuda PORT=8080
NODE="${NODE:-node}"
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUTDIR="$2"; shift 2 ;;
    --concurrency) CONCURRENCY="$2"; shift 2 ;;
    --requests) REQUESTS="$2"; shift 2 ;;
    --max-tokens) MAX_TOKENS="$2"; shift 2 ;;
    --model) MODEL="$2"; LORA=""; shift 2 ;;
    --lora) LORA="$2"; shift 2 ;;
    --cuda-arch) CUDA_ARCH="$2"; shift 2 ;;
    --backend) BACKEND="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    *) echo "gpu-load-run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUTDIR"
OUTDIR="$(cd "$OUTDIR" && pwd)"
for needed in .cache/department/load-test.mjs .cache/department/iu-valid-prompts.jsonl; do
  [ -f "$needed" ] || { echo "gpu-load-run.sh: $needed is missing; run scripts/llama-cpp/prepare-gpu-run.sh first and carry .cache/department" >&2; exit 1; }
done

nvidia-smi >"$OUTDIR/nvidia-smi.txt" 2>&1 || true
started=$SECONDS
BIN="$(bash scripts/llama-cpp/build.sh --backend "$BACKEND" --cuda-arch "$CUDA_ARCH" --targets "llama-server llama-bench" 2> >(tee "$OUTDIR/build.log" >&2) | tail -n 1)"
echo "build (or cache hit): $((SECONDS - started)) s, $(nproc) processors; programs in $BIN" | tee "$OUTDIR/build.txt"

bench_args=(-m "$MODEL" -ngl 999 -p 512 -n 128 -r 3)
[ -n "$LORA" ] && echo "llama-bench runs the base model only (it takes no adapter)" >"$OUTDIR/llama-bench.txt"
"$BIN/llama-bench" "${bench_args[@]}" >>"$OUTDIR/llama-bench.txt" 2>&1 || echo "llama-bench failed (see llama-bench.txt)" >&2

serve=(--bin "$BIN" --model "$MODEL" --port "$PORT" --log-dir "$OUTDIR")
[ -n "$LORA" ] && serve+=(--lora "$LORA")
# {N} stays unquoted: the load generator replaces it with each level's concurrency.
restart="bash $(printf '%q' "$ROOT/scripts/llama-cpp/serve.sh") {N} $(printf '%q ' "${serve[@]}")"
trap 'bash "$ROOT/scripts/llama-cpp/serve.sh" stop' EXIT
"$NODE" .cache/department/load-test.mjs --url "http://127.0.0.1:$PORT" --prompts .cache/department/iu-valid-prompts.jsonl \
  --concurrency "$CONCURRENCY" --max-tokens "$MAX_TOKENS" ${REQUESTS:+--requests "$REQUESTS"} \
  --restart-command "$restart" --out "$OUTDIR/load.json" 2> >(tee "$OUTDIR/load.txt" >&2) >/dev/null
echo "wrote $OUTDIR/load.json"
