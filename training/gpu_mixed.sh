#!/usr/bin/env bash
# One improvement round of the embedded model in one GPU command (one NVIDIA H200: about 4 minutes):
#   1. mix_pairs.py: the base corpus plus PAIR_COPIES copies of the `train` findings -> conclusion pairs in ChatML;
#   2. pretrain.py on that corpus, the weights kept where the `valid` conclusion loss (SELECT_ON=pairs) is lowest;
#   3. one rank-16 adapter per learning rate in LORA_LRS, side by side on the GPU (5 epochs each, best epoch on valid
#      ROUGE-L); the adapter with the best valid ROUGE-L is marked in chosen.json;
#   4. the F16 GGUF of the base and the F32 GGUF of every adapter (llama.cpp's converters, training/vendor);
#   5. the PyTorch greedy reference outputs of every adapter for the export check (check_export.py).
#   OUT=/path/to/results bash training/gpu_mixed.sh
# Knobs: PAIR_COPIES (3), BASE_EPOCHS (6), BASE_TIME (s, 100), SELECT_ON (pairs|lm), LORA_LRS ("4e-3 2e-3 1e-3"),
#   DEADLINE (s, 400: every step is fitted inside it), SMOKE=1 (a CPU smoke test at toy sizes).
# Needs training/data (prepare.py, exportPairs.ts) and training/vendor. Writes into $OUT: results.tgz (logs, adapter
# GGUFs, references, valid predictions) and the base's F16 GGUF split into 15 MB parts (base-f16.gguf.part-*).
set -uo pipefail
cd "$(dirname "$0")"
export PYTHONUNBUFFERED=1 TOKENIZERS_PARALLELISM=false
OUT=${OUT:?set OUT to a folder for the results}
PY=${PY:-python3}
DEADLINE=${DEADLINE:-400}
PAIR_COPIES=${PAIR_COPIES:-3}
SELECT_ON=${SELECT_ON:-pairs}
LORA_LRS=${LORA_LRS:-4e-3 2e-3 1e-3}
RUN=${RUN:-runs/mixed}
if [ "${SMOKE:-0}" = 1 ]; then
  BASE_SHAPE="--dim 64 --layers 2 --heads 2 --kv-heads 1 --ffn 128 --seq 128 --batch 8 --max-steps 12 --eval-every 6"
  LORA_LIMITS="--epochs 2 --limit-train 32 --limit-valid 4 --eval-max-new 8"; REF_LIMIT=${REF_LIMIT:-2}
else
  BASE_SHAPE="--dim 384 --layers 8 --heads 6 --kv-heads 2 --ffn 1152 --seq 1024 --batch 64 --eval-every 50"
  LORA_LIMITS="--eval-max-new 96"; REF_LIMIT=${REF_LIMIT:-20}
fi
rm -rf "$RUN"; mkdir -p "$RUN/gguf" "$OUT"
t0=$(date +%s)
elapsed() { echo $(( $(date +%s) - t0 )); }
left() { echo $(( DEADLINE - $(date +%s) + t0 )); }
clamp() { local v=$1; [ "$v" -lt "$2" ] && v=$2; [ "$v" -gt "$3" ] && v=$3; echo "$v"; }

package() {
  echo "== packaging after $(elapsed) s"
  local r=$RUN/results
  rm -rf "$r"; mkdir -p "$r"
  cp data/mix-summary.json "$r/" 2>/dev/null
  cp $RUN/base/config.json $RUN/base/train-log.json $RUN/chosen.json $RUN/reference-*.json $RUN/*.log "$r/" 2>/dev/null
  for d in $RUN/lora-*/; do
    n=$(basename "$d"); mkdir -p "$r/$n"
    cp "$d/finetune-log.json" "$d/best/valid-predictions.json" "$d/best/adapter_config.json" "$r/$n/" 2>/dev/null
    cp $RUN/gguf/$n/*.gguf "$r/$n/" 2>/dev/null
  done
  ls -la $RUN/gguf $RUN/gguf/* > "$r/gguf-sizes.txt" 2>/dev/null
  tar czf "$OUT/results.tgz" -C $RUN results
  if [ -f $RUN/gguf/radreport-base.F16.gguf ] && [ ! -f "$OUT/base-f16.gguf.part-aa" ]; then
    split -b 15m $RUN/gguf/radreport-base.F16.gguf "$OUT/base-f16.gguf.part-"
    sha256sum $RUN/gguf/radreport-base.F16.gguf > "$OUT/base-f16.gguf.sha256"
  fi
  ls -la "$OUT"
}
# $OUT comes back even when the command is stopped: package on every exit.
trap package EXIT

nvidia-smi --query-gpu=name,memory.total --format=csv,noheader 2>/dev/null
$PY -c "import torch, transformers, peft; print('torch', torch.__version__, 'transformers', transformers.__version__, 'peft', peft.__version__)"

echo "== corpus with $PAIR_COPIES copies of the train pairs"
timeout 60 $PY mix_pairs.py --copies "$PAIR_COPIES" || exit 1

echo "== base model after $(elapsed) s ($(left) s left)"
# Leave about 200 s for the adapters, the export and the references.
BASE_LIMIT=$(clamp $(( $(left) - 200 )) 30 "${BASE_TIME:-100}")
timeout $(( BASE_LIMIT + 40 )) $PY pretrain.py --out $RUN/base $BASE_SHAPE --epochs "${BASE_EPOCHS:-6}" --warmup 50 --lr 1.5e-3 \
  --time-limit "$BASE_LIMIT" --train-corpus data/corpus-train-mix.npy --valid-pairs data/pairs-valid-chat.npz \
  --select-on "$SELECT_ON" || exit 1
# The F16 GGUF of the base is written on the CPU while the adapters train.
( timeout 120 $PY export.py --base $RUN/base --quant none --out $RUN/gguf > $RUN/export-base.log 2>&1 ) &
EXPORT_PID=$!

echo "== adapters at lr $LORA_LRS, side by side, after $(elapsed) s ($(left) s left)"
# finetune.py stops after the epoch that passes --time-limit; the hard limit leaves room for the export and references.
HARD=$(( $(left) - 45 )); SOFT=$(clamp $(( HARD - 60 )) 10 180)
i=0
for lr in $LORA_LRS; do
  i=$((i + 1))
  timeout "$HARD" $PY finetune.py --base $RUN/base --out $RUN/lora-$i --lr "$lr" --time-limit "$SOFT" $LORA_LIMITS \
    > $RUN/lora-$i.log 2>&1 &
done
wait $(jobs -p | grep -v "^$EXPORT_PID$")
wait $EXPORT_PID
for log in $RUN/lora-*.log; do echo "== $log"; grep -v -i "loading weights\|friendly reminder" "$log" | cut -c1-400 | tail -7; done
cat $RUN/export-base.log

echo "== choose by valid ROUGE-L after $(elapsed) s"
RUN=$RUN $PY - <<'EOF'
import json, os, pathlib
run = pathlib.Path(os.environ["RUN"])
logs = {p.parent.name: json.loads(p.read_text()) for p in run.glob("lora-*/finetune-log.json")}
for name, log in sorted(logs.items()):
    iu = max((h["valid"].get("iu", {}).get("rougeL", 0) for h in log["history"] if h["epoch"] == log["best_epoch"]), default=0)
    print(name, "lr", log["lr"], "best epoch", log["best_epoch"], "valid ROUGE-L", round(log["best_valid_rougeL"], 4), "IU", round(iu, 4))
best = max(logs, key=lambda n: logs[n]["best_valid_rougeL"])
(run / "chosen.json").write_text(json.dumps({"chosen": best, "lr": logs[best]["lr"],
                                             "valid_rougeL": {n: l["best_valid_rougeL"] for n, l in logs.items()}}))
print("chosen", best)
EOF

echo "== adapter GGUFs and PyTorch references after $(elapsed) s ($(left) s left)"
REF_TIME=$(clamp $(( $(left) - 10 )) 5 120)
for d in $RUN/lora-*/; do
  n=$(basename "$d")
  [ -d "$d/best" ] || continue
  ( timeout 60 $PY export.py --skip-base --base $RUN/base --lora "$d/best" --out $RUN/gguf/$n > $RUN/export-$n.log 2>&1
    OMP_NUM_THREADS=4 timeout "$REF_TIME" $PY check_export.py reference --base $RUN/base --lora "$d/best" --limit "$REF_LIMIT" \
      --out $RUN/reference-$n.json >> $RUN/export-$n.log 2>&1 ) &
done
wait
tail -n 3 $RUN/export-lora-*.log
echo "== done after $(elapsed) s"
