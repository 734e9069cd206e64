#!/usr/bin/env bash
# The GPU recipe: proves the product's inference (node-llama-cpp 3.21.1, `radreport conclude` and `radreport eval`)
# on a CUDA machine that has nvcc, CMake, Ninja and python3 but no Node and no network, in ONE command, and measures it
# against llama-bench of the same build on the same GGUF. Prepare the carried files first, on a machine with Node:
# `scripts/gpu/pack.sh` (writes .gpu/). Then, from the repository root on the GPU machine:
#
#   bash scripts/gpu/run.sh                 # results in $OUT (or ./gpu-results): result.json, run.log, build.log, ...
#   bash scripts/gpu/run.sh --smoke         # the same stages on this CPU machine, tiny sizes, in a scratch copy of
#                                           # what a device call carries (the working tree is left alone)
#
# Stages (each logged, each recorded in result.json as it ends, so the JSON is there whatever fails later):
#   unpack        Node, Node-API headers, dist/ + runtime node_modules, llama.cpp source (into node-llama-cpp/llama)
#   system        GPU, driver, nvcc, CMake, cores
#   model-f16     (in the background from the start) a random-weight Llama-3-8B-shaped F16 GGUF, tokenizer and chat
#                 template of the embedded model (scripts/gpu/make_random_llama.py, gguf-py of the same source)
#   build         node-llama-cpp's addon + llama-bench + llama-quantize in one CUDA compile (scripts/gpu/buildBackend.mjs)
#   backend       what getLlama finds (the product's options), and what `auto` picks
#   conclude      `radreport conclude` on examples/ct-chest-nodule.report.md, embedded model, --gpu cuda
#   quantize      the F16 GGUF to Q4_K_M with the build's llama-quantize
#   llama-bench-q4km, product-speed-q4km
#                 pp512 and tg128 by llama-bench (all layers on the GPU, flash attention on), then the product's engine
#                 on the same GGUF: load time, GPU memory, prompt and generation tokens/s, a whole conclusion of a
#                 400-token prompt and 60 generated tokens (scripts/gpu/productBench.ts)
#   eval          `radreport eval --gpu cuda` on IU valid (embedded model)
#   lookup        prompt lookup on and off on IU valid, embedded model on the GPU, outputs compared case by case
#   llama-bench-f16, product-speed-f16, product-speed-embedded
#                 the same for the F16 GGUF, and the product's figures for the embedded model
#
#   breakdown-q4km, llama-bench-q4km-t1, product-speed-q4km-threads
#                 where the product's generation time goes (scripts/gpu/productBench.ts breakdown: decode alone, with
#                 sampling, LlamaChat), llama-bench on one thread, the product path with a thread per core
#   load-q4km     the department server: llama-server (same build) with the 8B Q4_K_M, N = 1, 8, 32, 128 slots, driven
#                 by scripts/llama-cpp/load-test.ts through the product's endpoint engine on the IU valid prompts
#   load-q4km-backend-sampling  the same with llama-server's --backend-sampling (sampling on the GPU)
#
# Options: --smoke, --budget SECONDS (default 560: a device command may run 600), --out DIR, --jobs N,
# --reuse-build (with --smoke: keep the backend built by the previous smoke run instead of compiling it again),
# --resume (keep the work folder of the previous call and skip the stages it finished: a second device call on the
# still-warm machine goes on where the first ran out of budget, without compiling again), --skip NAME,NAME (stages
# not to run, recorded as skipped).
set -uo pipefail

smoke=0
budget=""
out="${OUT:-$PWD/gpu-results}"
jobs=$(nproc)
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=1; shift ;;
    --budget) budget=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --in-copy) in_copy=1; shift ;;
    --reuse-build) reuse_build=1; shift ;;
    --resume) resume=1; shift ;;
    --skip) skip=",$2,"; shift 2 ;;
    *) echo "unknown option $1 (see the top of scripts/gpu/run.sh)" >&2; exit 2 ;;
  esac
done

if [ ! -d .gpu ]; then
  echo "no .gpu/ here: run scripts/gpu/pack.sh first and carry .gpu with the repository" >&2
  exit 2
fi

# --smoke: copy what a device call would carry (tracked and untracked-not-ignored files, and .gpu) into a scratch
# folder and run there, so the working tree's node_modules and dist are never touched.
if [ "$smoke" = 1 ] && [ -z "${in_copy:-}" ]; then
  scratch=${RR_GPU_SMOKE_DIR:-/tmp/rr-gpu-smoke}
  kept_builds="$scratch.local-builds"
  rm -rf "$kept_builds"
  if [ -n "${reuse_build:-}" ] && [ -d "$scratch/repo/node_modules/node-llama-cpp/llama/localBuilds" ]; then
    mv "$scratch/repo/node_modules/node-llama-cpp/llama/localBuilds" "$kept_builds"
  fi
  rm -rf "$scratch"
  mkdir -p "$scratch/repo"
  git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -x -C "$scratch/repo"
  cp -r .gpu "$scratch/repo/.gpu"
  cd "$scratch/repo" || exit 2
  RR_GPU_KEPT_BUILDS="$kept_builds" exec bash scripts/gpu/run.sh --smoke --in-copy --budget "${budget:-7200}" \
    --out "$scratch/out" --jobs "$jobs" ${skip:+--skip "${skip:1:-1}"}
fi
budget=${budget:-560}

root=$PWD
work=${RR_GPU_WORK:-/tmp/rr-gpu}
# The 8B GGUFs need about 21 GB: where /tmp has less room, work beside the repository.
if [ -z "${RR_GPU_WORK:-}" ] && [ "$(df -Pk /tmp | awk 'NR == 2 { print $4 }')" -lt $((30 * 1024 * 1024)) ]; then
  work="$root/.gpu-work"
fi
[ "$smoke" = 1 ] && work="$(dirname "$root")/work"
if [ -n "${resume:-}" ] && [ -d "$work/stages" ]; then
  echo "resuming in $work: stages the previous call finished are kept"
else
  resume=""
  rm -rf "$work"
fi
mkdir -p "$work/bin" "$work/stages" "$work/models" "$out"
stages="$work/stages"
log="$out/run.log"
exec > >(tee -a "$log") 2>&1
started=$(date +%s)
collect() { python3 "$root/scripts/gpu/collect.py" "$@"; }
merge() { collect merge "$stages" "$out/result.json"; }
remaining() { echo $((budget - ($(date +%s) - started))); }

# run_stage NAME CAP_SECONDS RESULT_JSON COMMAND...: runs COMMAND (a program or one of the functions below, exported)
# with its output in $work/NAME.out (and here), stopped with all its processes after CAP seconds (times $cap_scale) or
# when the budget ends, whichever is first; records the stage and rewrites result.json.
run_stage() {
  local name=$1 cap=$(( $2 * cap_scale )) result=$3
  shift 3
  if [ -n "${resume:-}" ] && grep -qs '"status": "ok"' "$stages"/[0-9]*-"$name".json; then
    echo "== $name: done by the previous call"
    return 0
  fi
  if [[ "${skip:-}" == *",$name,"* ]]; then
    echo "== $name: skipped (--skip)"
    collect stage "$stages" "$name" skipped 0 --note "--skip"
    merge
    return 1
  fi
  local left
  left=$(remaining)
  local limit=$(( cap < left - 10 ? cap : left - 10 ))
  if [ "$limit" -lt 5 ]; then
    echo "== $name: skipped, no time left"
    collect stage "$stages" "$name" skipped 0 --note "no time left in the ${budget} s budget"
    merge
    return 1
  fi
  echo "== $name ($(date +%H:%M:%S), at most ${limit} s)"
  local t0 status
  t0=$(date +%s.%N)
  timeout -k 5 "$limit" bash -c '"$@"' run_stage "$@" 2>&1 | tee "$work/$name.out"
  status=${PIPESTATUS[0]}
  local seconds
  seconds=$(python3 -c "import time; print(time.time() - $t0)")
  local word=ok
  [ "$status" = 124 ] && word=timeout
  [ "$status" != 0 ] && [ "$status" != 124 ] && word="failed ($status)"
  echo "== $name: $word in ${seconds%.*} s"
  collect stage "$stages" "$name" "$word" "$seconds" --json "$result" --text "$work/$name.out"
  merge
  [ "$status" = 0 ]
}

if [ "$smoke" = 1 ]; then
  gpu=false; shape=tiny; ngl=0; bench_args="-p 64 -n 16 -r 1"; case_limit="--limit 12"; cap_scale=10; load_levels=1,2
else
  gpu=cuda; shape=llama3-8b; ngl=99; bench_args="-p 512 -n 128 -r 3"; case_limit=""; cap_scale=1; load_levels=1,8,32,128
fi
cli_gpu=$gpu
[ "$gpu" = false ] && cli_gpu=cpu
echo "GPU recipe: smoke=$smoke gpu=$gpu shape=$shape budget=${budget}s jobs=$jobs out=$out work=$work"

# xz's decompressor, or Python's where the xz program is missing.
unxz_cat() {
  if command -v xz > /dev/null; then xz -dc "$1"
  else python3 -c "import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), sys.stdout.buffer)" "$1"; fi
}
unpack() {
  set -e
  unxz_cat .gpu/node.xz > "$work/bin/node"
  chmod +x "$work/bin/node"
  unxz_cat .gpu/node-headers.tar.xz | tar -x -C "$work"
  unxz_cat .gpu/runtime.tar.xz | tar -x -C "$root"
  mkdir -p node_modules/node-llama-cpp/llama
  unxz_cat .gpu/llama.cpp.tar.xz | tar -x -C node_modules/node-llama-cpp/llama
  "$work/bin/node" --version
  du -sh "$work/bin/node" node_modules dist node_modules/node-llama-cpp/llama/llama.cpp
}
export -f unpack unxz_cat
export root work out
run_stage unpack 120 none unpack || { echo "cannot go on without the unpacked files"; exit 1; }
export PATH="$work/bin:$PATH"

system_info() {
  python3 - "$work/system.json" <<'PY'
import json, os, shutil, subprocess, sys
def run(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip()
    except Exception as error:
        return f"unavailable: {error}"
info = {
    "gpu": run("nvidia-smi", "--query-gpu=name,memory.total,driver_version", "--format=csv,noheader") if shutil.which("nvidia-smi") else None,
    "nvcc": run("nvcc", "--version").splitlines()[-1:] if shutil.which("nvcc") else None,
    "cmake": run("cmake", "--version").splitlines()[:1],
    "ninja": run("ninja", "--version"),
    "cores": os.cpu_count(),
    "node": run("node", "--version"),
    "python": sys.version.split()[0],
    "os": run("sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"),
    "disk": run("df", "-h", os.environ["work"], os.environ["root"]).splitlines(),
    "memory": run("free", "-g").splitlines()[:2],
}
json.dump(info, open(sys.argv[1], "w"), indent=1)
print(json.dumps(info, indent=1))
PY
}
export -f system_info
run_stage system 60 "$work/system.json" system_info

# The F16 model needs no build: written in the background while the backend compiles.
f16="$work/models/llama3-8b-random.f16.gguf"
q4="$work/models/llama3-8b-random.q4_k_m.gguf"
[ "$smoke" = 1 ] && f16="$work/models/tiny-random.f16.gguf" && q4="$work/models/tiny-random.q4_k_m.gguf"
if [ ! -s "$work/model-f16.status" ]; then
  (
    t0=$(date +%s)
    python3 scripts/gpu/make_random_llama.py --out "$f16" --shape "$shape" > "$work/model-f16.out" 2>&1
    echo "$? $(( $(date +%s) - t0 ))" > "$work/model-f16.status"
  ) &
fi

release_dir() { python3 -c "import json, sys; print(json.load(open(sys.argv[1]))['releaseDir'])" "$work/build.json"; }
build() {
  node scripts/gpu/buildBackend.mjs --gpu "$gpu" --node-headers "$work/node-headers" --jobs "$jobs" --report "$work/build.json" \
    > "$out/build.log" 2>&1
  local status=$?
  tail -n 30 "$out/build.log"
  return $status
}
# A smoke run with --reuse-build takes the previous smoke run's backend (the compile is the slow part on a CPU machine).
reused_build() {
  local builds=$root/node_modules/node-llama-cpp/llama/localBuilds
  rm -rf "$builds"
  mv "$RR_GPU_KEPT_BUILDS" "$builds"
  local report
  report=$(ls "$builds"/*/recipe-report.json | head -n 1)
  [ -f "$(dirname "$report")/buildDone.status" ] || { echo "no finished build was kept"; return 1; }
  cp "$report" "$work/build.json"
  echo "reusing the backend built by the previous smoke run: $(dirname "$report")"
}
export -f build reused_build
export gpu jobs
if [ -n "${RR_GPU_KEPT_BUILDS:-}" ] && [ -d "$RR_GPU_KEPT_BUILDS" ]; then
  run_stage build 60 "$work/build.json" reused_build || { echo "the kept backend is unusable"; exit 1; }
else
  run_stage build 420 "$work/build.json" build || { echo "the backend did not build: see build.log"; exit 1; }
fi
release=$(release_dir)
# CUDA's libraries where the build found them (the toolkit's runtime, cuBLAS of the toolkit or of Python's NVIDIA
# wheels, the driver's libcuda), for the addon and the tools; their RUNPATH names them too.
cuda_dirs=$(python3 -c "
import json, sys
cuda = json.load(open(sys.argv[1])).get('cuda') or {}
toolkit = cuda.get('toolkit')
dirs = cuda.get('libraryDirs', []) + ([toolkit + '/lib64', toolkit + '/lib', toolkit + '/targets/x86_64-linux/lib'] if toolkit else [])
print(':'.join(dirs + ['/usr/local/nvidia/lib64']) if toolkit else '')" "$work/build.json")
[ -n "$cuda_dirs" ] && export LD_LIBRARY_PATH="$cuda_dirs:${LD_LIBRARY_PATH:-}"

run_stage backend 60 "$work/backend.json" sh -c "node scripts/gpu/backendCheck.mjs --gpu $gpu > '$work/backend.json'; status=\$?; cat '$work/backend.json'; exit \$status"

conclude() {
  node bin/radreport.mjs conclude examples/ct-chest-nodule.report.md --gpu "$cli_gpu" --json > "$work/conclude.json"
  local status=$?
  cat "$work/conclude.json"
  return $status
}
export -f conclude
export cli_gpu
run_stage conclude 90 "$work/conclude.json" conclude

wait_f16() {
  while [ ! -s "$work/model-f16.status" ]; do sleep 1; done
  cat "$work/model-f16.out"
  local status seconds
  read -r status seconds < "$work/model-f16.status"
  echo "F16 model written in ${seconds} s (exit $status)"
  return "$status"
}
export -f wait_f16
run_stage model-f16 240 none wait_f16

run_stage quantize 240 none "$release/llama-quantize" "$f16" "$q4" Q4_K_M "$jobs"

# llama-bench of one GGUF: pp512 and tg128, every layer on the GPU, flash attention on.
bench() {
  local model=$1 label=$2
  [ -f "$model" ] || { echo "no $model"; return 1; }
  # shellcheck disable=SC2086  # bench_args is a list of words
  "$release/llama-bench" -m "$model" -ngl "$ngl" -fa 1 $bench_args -o json > "$work/llama-bench-$label.json"
  local status=$?
  cat "$work/llama-bench-$label.json"
  return $status
}
product_speed() {
  local label=$1
  shift
  node .gpu/productBench.mjs speed --gpu "$gpu" --out "$work/product-$label.json" "$@" > /dev/null
}
breakdown() {
  local label=$1
  shift
  node .gpu/productBench.mjs breakdown --gpu "$gpu" --repeats 3 --out "$work/breakdown-$label.json" "$@" > /dev/null
}
bench_threads() {
  local model=$1 label=$2 threads=$3
  # shellcheck disable=SC2086  # bench_args is a list of words
  "$release/llama-bench" -m "$model" -ngl "$ngl" -fa 1 -t "$threads" $bench_args -o json > "$work/llama-bench-$label.json"
  local status=$?
  cat "$work/llama-bench-$label.json"
  return $status
}
# The department server: llama-server of this build serving the model, restarted with N slots for each level.
load_test() {
  local model=$1 label=$2
  shift 2
  local restart="bash $root/scripts/llama-cpp/serve.sh {N} --bin $release --model $model --port 8080 --log-dir $work/server-$label $*"
  node .gpu/load-test.mjs --url http://127.0.0.1:8080 --prompts .gpu/iu-valid-prompts.jsonl --concurrency "$load_levels" \
    --max-tokens 64 --restart-command "$restart" --out "$work/load-$label.json" > /dev/null
  local status=$?
  bash "$root/scripts/llama-cpp/serve.sh" stop
  cp "$work/load-$label.json" "$out/load-$label.json" 2> /dev/null
  for server_log in "$work/server-$label"/llama-server-N*.log; do
    [ -f "$server_log" ] && echo "$(basename "$server_log"): $(grep -a -c 'graphs reused' "$server_log") requests timed"
  done
  return $status
}
run_eval() {
  # shellcheck disable=SC2086  # case_limit is empty or two words
  node bin/radreport.mjs eval --data .gpu/iu-valid.jsonl --split valid $case_limit --gpu "$cli_gpu" --out "$work/eval"
  local status=$?
  cp "$work/eval/metrics.json" "$out/eval-metrics.json" 2> /dev/null
  cp "$work/eval/predictions.jsonl" "$out/eval-predictions.jsonl" 2> /dev/null
  return $status
}
export -f bench product_speed run_eval breakdown bench_threads load_test
export release f16 q4 ngl bench_args case_limit load_levels

# The most wanted figures first (the budget may end before the last stages): the 8B Q4_K_M against llama-bench, the
# evaluation on the GPU, prompt lookup, then F16 and the embedded model's speed.
run_stage llama-bench-q4km 90 "$work/llama-bench-q4km.json" bench "$q4" q4km
run_stage product-speed-q4km 120 "$work/product-q4km.json" product_speed q4km --model "$q4"
run_stage breakdown-q4km 120 "$work/breakdown-q4km.json" breakdown q4km --model "$q4" --threads-list "1,$jobs"
run_stage llama-bench-q4km-t1 60 "$work/llama-bench-q4km-t1.json" bench_threads "$q4" q4km-t1 1
run_stage product-speed-q4km-threads 120 "$work/product-q4km-threads.json" product_speed q4km-threads --model "$q4" --threads "$jobs"
run_stage load-q4km 300 "$work/load-q4km.json" load_test "$q4" q4km
# The same with llama-server's sampling on the GPU (experimental there): with a 128,256-token vocabulary, sampling
# each slot on the server's one CPU thread is what limits many concurrent conclusions.
run_stage load-q4km-backend-sampling 300 "$work/load-q4km-backend-sampling.json" load_test "$q4" q4km-backend-sampling --server-arg --backend-sampling
run_stage eval 150 "$out/eval-metrics.json" run_eval
# shellcheck disable=SC2086  # case_limit is empty or two words
run_stage lookup 150 "$work/lookup.json" node .gpu/productBench.mjs lookup --gpu "$gpu" --data .gpu/iu-valid.jsonl $case_limit \
  --out "$work/lookup.json"
run_stage llama-bench-f16 90 "$work/llama-bench-f16.json" bench "$f16" f16
run_stage product-speed-f16 120 "$work/product-f16.json" product_speed f16 --model "$f16"
run_stage product-speed-embedded 60 "$work/product-embedded.json" product_speed embedded

merge
echo "== done in $(( $(date +%s) - started )) s: $out/result.json"
python3 -c "import json,sys; print(json.dumps(json.load(open(sys.argv[1]))['summary'], indent=1))" "$out/result.json"
