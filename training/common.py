"""Shared pieces of the training recipe: data paths, the language-model corpus, the chat encoders and ROUGE.

Everything here runs on CPU or GPU and needs only numpy (plus sentencepiece / transformers where named).
"""
from __future__ import annotations

import json
import math
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
# ../shared/data beside the repository; on the GPU machine the data travels inside training/data instead.
DEFAULT_DATA = Path(os.environ.get("RADREPORT_DATA", REPO.parent / "shared" / "data"))
PAIRS = HERE / "data" / "pairs.jsonl"

IM_START = "<|im_start|>"
IM_END = "<|im_end|>"

# ChatML, as node-llama-cpp recognises it (the same template the project's tiny test model ships).
CHATML_TEMPLATE = (
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_json(path: Path, value) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, indent=2) + "\n", encoding="utf-8")


def log(*parts) -> None:
    print(time.strftime("%H:%M:%S"), *parts, flush=True)


# ---------------------------------------------------------------------------------------------------------------------
# The language-model corpus: MTSamples `train` transcriptions and the IU `train` reports. Never `valid` or `test`.

def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _shingles(text: str, n: int = 8) -> set[str]:
    words = _norm(text).split()
    return {" ".join(words[i:i + n]) for i in range(max(1, len(words) - n + 1))}


def corpus_documents(data_dir: Path, iu_reports: Path, split: str = "train") -> tuple[list[str], dict]:
    """Documents of one split. For `train`, MTSamples notes that copy a held-out imaging report (the public scrape lists
    some notes under several specialties) are dropped: a note whose 8-word shingles are more than half inside a `valid`
    or `test` imaging report."""
    rows = read_jsonl(data_dir / "mtsamples" / "all-transcriptions.jsonl")
    held_out = [r for r in rows if r["split"] != "train"]
    held_shingles = set()
    for r in held_out:
        held_shingles |= _shingles(r["text"])
    docs, dropped = [], []
    for r in rows:
        if r["split"] != split:
            continue
        if split == "train":
            s = _shingles(r["text"])
            if len(s & held_shingles) > 0.5 * len(s):
                dropped.append(r["id"])
                continue
        docs.append(r["text"].strip())
    n_mts = len(docs)
    iu = [r["text"].strip() for r in read_jsonl(iu_reports) if r.get("split", "train") == split]
    docs.extend(iu)
    return docs, {"mtsamples": n_mts, "iu": len(iu), "dropped_as_copies_of_held_out": dropped}


# ---------------------------------------------------------------------------------------------------------------------
# Chat encoders: prompt and answer token ids exactly as node-llama-cpp renders ChatML for the exported GGUF.

@dataclass
class Encoded:
    prompt: list[int]
    answer: list[int]


class SpmChatEncoder:
    """ChatML over the project's SentencePiece tokenizer (BPE, byte fallback, no dummy prefix).

    node-llama-cpp's ChatMLChatWrapper renders BOS, then `<|im_start|>system\\n`, the system text, `<|im_end|>\\n`, ...
    and tokenizes each text piece on its own; with `add_space_prefix = false` and `\\n` never merged into a piece,
    that equals encoding the pieces here one by one (checked token for token by `checkTokenization.ts`)."""

    def __init__(self, model_file: Path):
        import sentencepiece as spm

        self.sp = spm.SentencePieceProcessor(model_file=str(model_file))
        self.bos = self.sp.bos_id()
        self.eos_doc = self.sp.eos_id()
        self.im_start = self.sp.piece_to_id(IM_START)
        self.im_end = self.sp.piece_to_id(IM_END)
        self.pad = self.sp.unk_id()
        self.stop_ids = [self.im_end, self.eos_doc]

    def text(self, s: str) -> list[int]:
        return self.sp.encode(s) if s else []

    def prompt(self, system: str, user: str) -> list[int]:
        t = self.text
        return (
            [self.bos, self.im_start] + t("system\n") + t(system) + [self.im_end] + t("\n")
            + [self.im_start] + t("user\n") + t(user) + [self.im_end] + t("\n")
            + [self.im_start] + t("assistant\n")
        )

    def answer(self, conclusion: str) -> list[int]:
        return self.text(conclusion) + [self.im_end]

    def decode(self, ids: Sequence[int]) -> str:
        ids = [i for i in ids if i not in (self.im_end, self.eos_doc, self.bos)]
        return self.sp.decode(ids)


class HfChatEncoder:
    """A real base model's own tokenizer and chat template (e.g. Llama-3-8B-Instruct)."""

    def __init__(self, model_dir: Path):
        from transformers import AutoTokenizer

        self.tok = AutoTokenizer.from_pretrained(str(model_dir))
        if self.tok.chat_template is None:
            self.tok.chat_template = CHATML_TEMPLATE
        eos = self.tok.eos_token_id
        self.stop_ids = [i for i in {eos, self.tok.convert_tokens_to_ids("<|eot_id|>"), self.tok.convert_tokens_to_ids(IM_END)}
                         if isinstance(i, int) and i >= 0 and i != self.tok.unk_token_id]
        self.end = eos if isinstance(eos, int) else self.stop_ids[0]
        self.pad = self.tok.pad_token_id if self.tok.pad_token_id is not None else self.end

    def prompt(self, system: str, user: str) -> list[int]:
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        out = self.tok.apply_chat_template(messages, add_generation_prompt=True, tokenize=True)
        if isinstance(out, dict) or hasattr(out, "keys"):
            out = out["input_ids"]
        return list(out)

    def answer(self, conclusion: str) -> list[int]:
        return self.tok(conclusion, add_special_tokens=False)["input_ids"] + [self.end]

    def decode(self, ids: Sequence[int]) -> str:
        return self.tok.decode([i for i in ids if i not in self.stop_ids], skip_special_tokens=True)


# ---------------------------------------------------------------------------------------------------------------------
# ROUGE with Google's rouge-score conventions (DefaultTokenizer: lower case, non-[a-z0-9] to spaces, no stemming):
# F1 of unigram / bigram overlap and of the longest common subsequence, averaged over reports.

def rouge_tokens(text: str) -> list[str]:
    return [t for t in re.sub(r"[^a-z0-9]+", " ", text.lower()).split(" ") if t]


def _f1(overlap: float, n_pred: int, n_ref: int) -> float:
    if n_pred == 0 or n_ref == 0 or overlap == 0:
        return 0.0
    p, r = overlap / n_pred, overlap / n_ref
    return 2 * p * r / (p + r)


def _ngram_f1(pred: list[str], ref: list[str], n: int) -> float:
    from collections import Counter

    cp = Counter(tuple(pred[i:i + n]) for i in range(len(pred) - n + 1))
    cr = Counter(tuple(ref[i:i + n]) for i in range(len(ref) - n + 1))
    overlap = sum(min(c, cr[g]) for g, c in cp.items())
    return _f1(overlap, sum(cp.values()), sum(cr.values()))


def _lcs(a: list[str], b: list[str]) -> int:
    if not a or not b:
        return 0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def rouge(pred: str, ref: str) -> dict[str, float]:
    p, r = rouge_tokens(pred), rouge_tokens(ref)
    return {"rouge1": _ngram_f1(p, r, 1), "rouge2": _ngram_f1(p, r, 2), "rougeL": _f1(_lcs(p, r), len(p), len(r))}


def mean_rouge(preds: Iterable[str], refs: Iterable[str]) -> dict[str, float]:
    scores = [rouge(p, r) for p, r in zip(preds, refs)]
    if not scores:
        return {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0, "n": 0}
    out = {k: sum(s[k] for s in scores) / len(scores) for k in scores[0]}
    out["n"] = len(scores)
    return out


def cosine_lr(step: int, total: int, warmup: int, peak: float, floor: float = 0.1) -> float:
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = min(1.0, (step - warmup) / max(1, total - warmup))
    return peak * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * progress)))
