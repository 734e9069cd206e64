#!/usr/bin/env bash
# Starts (or restarts) one llama-server in the background for the load test, sized for N concurrent requests, and
# returns at once; the load generator waits until it answers. Stops the one it started before, and waits for it to exit.
#
#   bash scripts/llama-cpp/serve.sh N --bin DIR --model BASE.gguf [--lora ADAPTER.gguf] [--port 8080] [--log-dir DIR]
#                                     [--ctx-per-slot 2048] [--threads N] [--server-arg ARG]...
#   --server-arg: one more llama-server argument, passed as is (e.g. --backend-sampling)
#   bash scripts/llama-cpp/serve.sh stop
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PIDFILE="$ROOT/.cache/department/llama-server.pid"
mkdir -p "$(dirname "$PIDFILE")"

stop() {
  [ -f "$PIDFILE" ] || return 0
  local pid; pid="$(cat "$PIDFILE")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$PIDFILE"
}

[ "${1:-}" = stop ] && { stop; exit 0; }
N="${1:?usage: serve.sh N --bin DIR --model BASE.gguf [--lora ADAPTER.gguf] [--port 8080] [--log-dir DIR]}"; shift
BIN="" MODEL="" LORA="" PORT=8080 LOGDIR="$ROOT/.cache/department" CTX_PER_SLOT=2048 THREADS= EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) BIN="$2"; shift 2 ;;
    --model) MODEL="$2"; shift 2 ;;
    --lora) LORA="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --log-dir) LOGDIR="$2"; shift 2 ;;
    --ctx-per-slot) CTX_PER_SLOT="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --server-arg) EXTRA+=("$2"); shift 2 ;;
    *) echo "serve.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -x "$BIN/llama-server" ] || { echo "serve.sh: no llama-server in $BIN" >&2; exit 1; }
stop
mkdir -p "$LOGDIR"
args=(--model "$MODEL" --alias radreport --n-gpu-layers 999 --parallel "$N" --ctx-size $((N * CTX_PER_SLOT))
      --host 127.0.0.1 --port "$PORT" --no-webui --metrics)
[ -n "$LORA" ] && args+=(--lora "$LORA")
args+=("${EXTRA[@]}")
[ -n "$THREADS" ] && args+=(--threads "$THREADS" --threads-batch "$THREADS")
nohup "$BIN/llama-server" "${args[@]}" >"$LOGDIR/llama-server-N$N.log" 2>&1 &
echo $! >"$PIDFILE"
echo "llama-server N=$N pid $(cat "$PIDFILE") on port $PORT (log $LOGDIR/llama-server-N$N.log)" >&2
