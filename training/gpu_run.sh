#!/usr/bin/env bash
# The whole GPU part of the recipe in one command (one NVIDIA H200: about 8 minutes).
# Knobs: BASE_TIME (s), BASE_EPOCHS, LORA_C=1 (a third adapter), SKIP_EXPORT=1, SKIP_PROOF=1, SMOKE=1.
#   OUT=/path/to/results bash training/gpu_run.sh
# Needs training/data (prepare.py, exportPairs.ts) and training/vendor (llama.cpp converters) beside this script.
# Writes into $OUT: the base model (bf16 safetensors, tar split in 15 MB parts), the adapters, logs and metrics.
set -uo pipefail
cd "$(dirname "$0")"
export PYTHONUNBUFFERED=1 TOKENIZERS_PARALLELISM=false
OUT=${OUT:?set OUT to a folder for the results}
BASE_TIME=${BASE_TIME:-180}
PY=${PY:-python3}
# A CPU smoke test of this script: SMOKE=1 shrinks every step.
if [ "${SMOKE:-0}" = 1 ]; then
  BASE_SHAPE="--dim 64 --layers 2 --heads 2 --kv-heads 1 --ffn 128 --seq 128 --batch 8 --max-steps 12 --eval-every 6"
  LORA_LIMITS="--epochs 2 --limit-train 32 --limit-valid 4 --eval-max-new 8"; PROOF="--tiny"
else
  BASE_SHAPE="--dim 384 --layers 8 --heads 6 --kv-heads 2 --ffn 1152 --seq 1024 --batch 64 --eval-every 100"
  LORA_LIMITS=""; PROOF=""
fi
mkdir -p runs "$OUT"
t0=$(date +%s)
elapsed() { echo $(( $(date +%s) - t0 )); }

package() {
  echo "== packaging after $(elapsed) s"
  mkdir -p runs/results
  cp -r runs/base/config.json runs/base/train-log.json runs/results/ 2>/dev/null
  for v in lora-a lora-b lora-c; do
    [ -d runs/$v/best ] && { mkdir -p runs/results/$v; cp -r runs/$v/best runs/$v/finetune-log.json runs/results/$v/; }
  done
  cp -r runs/proof-lora/finetune-log.json runs/results/proof-finetune-log.json 2>/dev/null
  cp runs/reference-*.json runs/chosen.json runs/results/ 2>/dev/null
  ls -la runs/gguf runs/proof-gguf > runs/results/gguf-sizes.txt 2>/dev/null
  tar czf "$OUT/results.tgz" -C runs results
  ls -la "$OUT"
}
# $OUT comes back even when the command is stopped at its time limit: package after every step.
trap package EXIT

nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
$PY -c "import torch, transformers, peft; print('torch', torch.__version__, 'transformers', transformers.__version__, 'peft', peft.__version__)"

echo "== base model"
$PY pretrain.py --out runs/base $BASE_SHAPE --epochs "${BASE_EPOCHS:-6}" --warmup 50 --lr 1.5e-3 --time-limit "$BASE_TIME" || exit 1
tar cf - -C runs base | split -b 15m - "$OUT/base.tar.part-"
package

echo "== LoRA a (prompts without examples) after $(elapsed) s"
$PY finetune.py --base runs/base --out runs/lora-a --lr 2e-3 $LORA_LIMITS
if [ "$(elapsed)" -lt "${LORA_B_BEFORE:-260}" ]; then
  echo "== LoRA b (30 % of prompts with retrieved examples) after $(elapsed) s"
  $PY finetune.py --base runs/base --out runs/lora-b --lr 2e-3 --examples-mix 0.3 $LORA_LIMITS
fi
package

if [ "${LORA_C:-0}" = 1 ] && [ "$(elapsed)" -lt 320 ]; then
  echo "== LoRA c (lower learning rate) after $(elapsed) s"
  $PY finetune.py --base runs/base --out runs/lora-c --lr 7e-4 --time-limit 100 $LORA_LIMITS
fi

echo "== choose by valid ROUGE-L without examples"
$PY - <<'EOF'
import json, pathlib
logs = {v: json.loads(pathlib.Path(f"runs/{v}/finetune-log.json").read_text()) for v in ("lora-a", "lora-b", "lora-c") if pathlib.Path(f"runs/{v}/finetune-log.json").exists()}
best = max(logs, key=lambda v: logs[v]["best_valid_rougeL"])
print({v: round(l["best_valid_rougeL"], 4) for v, l in logs.items()}, "->", best)
pathlib.Path("runs/chosen.json").write_text(json.dumps({"chosen": best, "valid_rougeL": {v: l["best_valid_rougeL"] for v, l in logs.items()}}))
EOF
CHOSEN=$($PY -c "import json; print(json.load(open('runs/chosen.json'))['chosen'])")

echo "== GGUF export check and PyTorch reference greedy outputs after $(elapsed) s"
[ "${SKIP_EXPORT:-0}" = 1 ] || $PY export.py --base runs/base --lora runs/$CHOSEN/best --out runs/gguf
$PY check_export.py reference --base runs/base --lora runs/$CHOSEN/best --limit ${REF_LIMIT:-20} --out runs/reference-$CHOSEN.json
package

[ "${SKIP_PROOF:-0}" = 1 ] && exit 0
echo "== Llama-3-8B-shaped 2-layer proof of the real-base-model path after $(elapsed) s"
timeout 60 $PY proof_llama3_shape.py --out /tmp/llama3-shape-2l --layers 2 $PROOF && \
timeout 120 $PY finetune.py --base /tmp/llama3-shape-2l --out runs/proof-lora --limit-train ${PROOF_TRAIN:-256} --limit-valid 16 --batch 8 \
  --lr 2e-4 --eval-max-new 16 --time-limit 120 && \
$PY export.py --base /tmp/llama3-shape-2l --lora runs/proof-lora/best --skip-base --lora-type f16 --out runs/proof-gguf
echo "== done after $(elapsed) s"
