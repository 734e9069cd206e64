"""Step 5: check the GGUF export against PyTorch, token for token.

    # PyTorch greedy (fp32, one prompt at a time) for the first 20 `valid` IU prompts:
    python3 training/check_export.py reference --base training/runs/base --lora training/runs/lora/best --out ref.json
    # the same prompts through node-llama-cpp (base GGUF + adapter GGUF):
    npx tsx training/ggufGreedy.ts --model ...gguf --lora ...gguf --split valid --source iu --limit 20 --max-tokens 64 --out gguf.jsonl
    python3 training/check_export.py compare --reference ref.json --gguf gguf.jsonl

Match = positions where both sequences have the same token / positions in the longer sequence, over all prompts
(the end-of-turn token counts as a position). Target: at least 95 %.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch

from common import PAIRS, SpmChatEncoder, read_jsonl, write_json
from quantized_base import QUANT_TYPES, round_like_gguf


def reference(args) -> None:
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    enc = SpmChatEncoder(args.base / "tokenizer.model")
    model = AutoModelForCausalLM.from_pretrained(str(args.base), dtype=torch.float32)
    round_like_gguf(model, args.base_quant)
    if args.lora:
        model = PeftModel.from_pretrained(model, str(args.lora))
    model.eval()
    pairs = [p for p in read_jsonl(args.pairs) if p["split"] == args.split and (not args.source or p["source"] == args.source)]
    pairs = pairs[:args.limit]
    rows = []
    with torch.no_grad():
        for p in pairs:
            prompt = torch.tensor([enc.prompt(p["system"], p["user"])])
            out = model.generate(input_ids=prompt, attention_mask=torch.ones_like(prompt), max_new_tokens=args.max_new,
                                 do_sample=False, eos_token_id=enc.stop_ids, pad_token_id=enc.pad)
            gen = out[0, prompt.shape[1]:].tolist()
            rows.append({"id": p["id"], "tokens": gen, "text": enc.decode(gen).strip()})
    write_json(args.out, rows)


def compare(args) -> None:
    ref = {r["id"]: r for r in json.loads(args.reference.read_text())}
    im_end = json.loads((Path(__file__).parent / "data" / "tokenizer" / "ids.json").read_text())["im_end"]
    same = total = identical = 0
    details = []
    for row in read_jsonl(args.gguf):
        if row["id"] not in ref:
            continue
        a = ref[row["id"]]["tokens"]
        # node-llama-cpp reports the generated tokens without the end-of-turn token that stopped it.
        b = list(row["tokens"]) + ([im_end] if row.get("stopReason") in ("eogToken", "stopGenerationTrigger") else [])
        n = max(len(a), len(b))
        k = sum(1 for i in range(min(len(a), len(b))) if a[i] == b[i])
        same += k
        total += n
        identical += a == b
        details.append({"id": row["id"], "matched": k, "positions": n, "pytorch": ref[row["id"]]["text"], "gguf": row["prediction"]})
    result = {"prompts": len(details), "identical_sequences": identical, "matching_positions": same, "positions": total,
              "match": same / max(1, total), "details": details}
    if args.out:
        write_json(args.out, result)
    print(json.dumps({k: v for k, v in result.items() if k != "details"}))


def main() -> None:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("reference")
    r.add_argument("--base", type=Path, required=True)
    r.add_argument("--lora", type=Path)
    r.add_argument("--pairs", type=Path, default=PAIRS)
    r.add_argument("--split", default="valid")
    r.add_argument("--source", default="iu")
    r.add_argument("--limit", type=int, default=20)
    r.add_argument("--max-new", type=int, default=64)
    r.add_argument("--out", type=Path, required=True)
    r.add_argument("--base-quant", choices=QUANT_TYPES, default="q8_0",
                   help="the base weights as the GGUF it is compared with holds them (q8_0: the shipped base)")
    c = sub.add_parser("compare")
    c.add_argument("--reference", type=Path, required=True)
    c.add_argument("--gguf", type=Path, required=True)
    c.add_argument("--out", type=Path)
    args = ap.parse_args()
    reference(args) if args.cmd == "reference" else compare(args)


if __name__ == "__main__":
    main()
