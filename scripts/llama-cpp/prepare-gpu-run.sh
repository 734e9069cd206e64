#!/usr/bin/env bash
# Prepares the department-server load test for a GPU machine that has Node.js but none of the project's npm packages
# and no network: exports the IU `valid` conclusion prompts with the product's prompt builder, and bundles the load
# generator (with the product's endpoint engine) into one file. Run here, from the repository:
#
#   bash scripts/llama-cpp/prepare-gpu-run.sh
#
# Then carry to the GPU machine, besides the tracked files (models/, scripts/):
#   .cache/department/                                   the prompts and load-test.mjs (about 0.3 MB)
#   node_modules/node-llama-cpp/llama/gitRelease.bundle  the llama.cpp source (35 MB)
# and run there: bash scripts/llama-cpp/gpu-load-run.sh --out "$OUT"
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
DEST=.cache/department
mkdir -p "$DEST"
node --import tsx scripts/llama-cpp/export-prompts.ts --out "$DEST/iu-valid-prompts.jsonl"
node_modules/.bin/esbuild scripts/llama-cpp/load-test.ts --bundle --platform=node --format=esm --target=node20 \
  --log-level=warning --outfile="$DEST/load-test.mjs"
echo "ready: $DEST/iu-valid-prompts.jsonl, $DEST/load-test.mjs"
