#!/usr/bin/env bash
# Learning-rate sweep of the rank-16 adapter on an existing base, the variants trained side by side on one GPU
# (the model is small enough that they share it), each five epochs with the checkpoint chosen on valid ROUGE-L.
#   BASE=training/runs/gpu2/base OUT=/path bash training/gpu_sweep.sh "4e-3:0.05" "3e-3:0.1" "6e-3:0.05"
# Each argument is LR:DROPOUT. Writes $OUT/sweep.tgz (adapters, logs, the PyTorch reference outputs of the best).
set -uo pipefail
cd "$(dirname "$0")"
export PYTHONUNBUFFERED=1 TOKENIZERS_PARALLELISM=false
OUT=${OUT:?set OUT}
BASE=${BASE:?set BASE to the base model folder, relative to the repository root}
BASE=../$BASE
PY=${PY:-python3}
LIMITS=${LIMITS:-}
mkdir -p runs/sweep
t0=$(date +%s)
i=0
for spec in "$@"; do
  i=$((i + 1))
  lr=${spec%%:*}; dropout=${spec##*:}
  echo "== variant s$i: lr $lr, dropout $dropout"
  timeout "${VARIANT_LIMIT:-230}" $PY finetune.py --base "$BASE" --out runs/sweep/s$i --lr "$lr" --dropout "$dropout" \
    --eval-max-new 96 $LIMITS > runs/sweep/s$i.log 2>&1 &
done
wait
for log in runs/sweep/s*.log; do echo "== $log"; grep -v -i "loading weights\|friendly reminder" "$log" | tail -7; done
$PY - <<'EOF'
import json, pathlib
logs = {p.parent.name: json.loads(p.read_text()) for p in pathlib.Path("runs/sweep").glob("s*/finetune-log.json")}
for name, log in sorted(logs.items()):
    print(name, "lr", log["lr"], "dropout", log["dropout"], "best epoch", log["best_epoch"], "valid ROUGE-L", round(log["best_valid_rougeL"], 4))
best = max(logs, key=lambda n: logs[n]["best_valid_rougeL"])
pathlib.Path("runs/sweep/chosen.json").write_text(json.dumps({"chosen": best, "valid_rougeL": {n: l["best_valid_rougeL"] for n, l in logs.items()}}))
print("best", best)
EOF
CHOSEN=$($PY -c "import json; print(json.load(open('runs/sweep/chosen.json'))['chosen'])")
$PY checkExport.py reference --base "$BASE" --lora runs/sweep/$CHOSEN/best --limit "${REF_LIMIT:-20}" --out runs/sweep/reference-$CHOSEN.json
mkdir -p runs/sweep-results
for d in runs/sweep/s*/; do n=$(basename "$d"); mkdir -p runs/sweep-results/$n; cp -r "$d/best" "$d/finetune-log.json" runs/sweep-results/$n/ 2>/dev/null; cp runs/sweep/$n.log runs/sweep-results/ 2>/dev/null; done
cp runs/sweep/chosen.json runs/sweep/reference-*.json runs/sweep-results/
tar czf "$OUT/sweep.tgz" -C runs sweep-results
echo "== done after $(( $(date +%s) - t0 )) s"
