"""Step 1b (CPU, seconds): a base corpus that also holds the `train` findings → conclusion pairs, rendered in ChatML.

    python3 training/mix_pairs.py [--copies 3]

The base model then learns the exact prompt format and the radiologists' phrasing with all of its weights, not only
through the rank-16 adapter. Reads `training/data/corpus-train.npy` (prepare.py), `training/data/pairs.jsonl`
(exportPairs.ts) and the tokenizer. Writes:
- `data/corpus-train-mix.npy`: the `train` corpus followed by `--copies` shuffled copies of every `train` pair, each
  framed `<s> <|im_start|>system … <|im_start|>assistant\\n conclusion <|im_end|> </s>` (the prompt exactly as
  `SpmChatEncoder` renders it for fine-tuning and node-llama-cpp renders it at run time);
- `data/pairs-valid-chat.npz`: the `valid` pairs rendered the same way, with a mask of the conclusion tokens and each pair's start, for
  pretrain.py's answer-only validation loss (`--valid-pairs`);
- `data/mix-summary.json`.
Only `train` pairs enter the training corpus; `valid` pairs are only scored.
"""
from __future__ import annotations

import argparse
import random
from pathlib import Path

import numpy as np

from common import HERE, PAIRS, SpmChatEncoder, log, read_jsonl, write_json


def render(enc: SpmChatEncoder, pair: dict) -> tuple[list[int], list[int]]:
    prompt = enc.prompt(pair["system"], pair["user"])
    answer = enc.answer(pair["conclusion"])
    return prompt + answer + [enc.eos_doc], [0] * len(prompt) + [1] * len(answer) + [0]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=HERE / "data")
    ap.add_argument("--pairs", type=Path, default=PAIRS)
    ap.add_argument("--copies", type=int, default=3, help="times each train pair appears in the base corpus")
    ap.add_argument("--seed", type=int, default=2)
    args = ap.parse_args()

    enc = SpmChatEncoder(args.data / "tokenizer" / "tokenizer.model")
    pairs = read_jsonl(args.pairs)
    train = [p for p in pairs if p["split"] == "train"]
    valid = [p for p in pairs if p["split"] == "valid"]
    base = np.load(args.data / "corpus-train.npy")

    docs = [render(enc, p)[0] for p in train]
    order = [i for _ in range(args.copies) for i in range(len(docs))]
    random.Random(args.seed).shuffle(order)
    mixed = np.concatenate([base, np.array([t for i in order for t in docs[i]], dtype=np.uint16)])
    np.save(args.data / "corpus-train-mix.npy", mixed)

    rendered = [render(enc, p) for p in valid]
    ids = np.array([t for r, _ in rendered for t in r], dtype=np.uint16)
    mask = np.array([m for _, ms in rendered for m in ms], dtype=np.uint8)
    starts = np.cumsum([0] + [len(r) for r, _ in rendered]).astype(np.int64)
    np.savez(args.data / "pairs-valid-chat.npz", ids=ids, answer=mask, starts=starts)

    pair_tokens = int(mixed.size - base.size)
    summary = {"copies": args.copies, "train_pairs": len(train), "pair_tokens_per_copy": pair_tokens // max(1, args.copies),
               "base_corpus_tokens": int(base.size), "mixed_corpus_tokens": int(mixed.size),
               "valid_pairs": len(valid), "valid_pair_tokens": int(ids.size), "valid_answer_tokens": int(mask.sum())}
    write_json(args.data / "mix-summary.json", summary)
    log(summary)


if __name__ == "__main__":
    main()
