"""Step 1 (CPU, minutes): train the SentencePiece tokenizer and tokenize the language-model corpus.

    python3 training/prepare.py [--vocab 12000] [--iu-weight 3]

Reads `../shared/data` (MTSamples `train` transcriptions) and `training/data/iu-reports.jsonl` (written by
`npx tsx training/exportPairs.ts`). Writes `training/data/tokenizer/` (tokenizer.model + the Hugging Face tokenizer
config with the ChatML template) and `training/data/corpus-{train,valid}.npy` (uint16 token ids, documents framed by
BOS ... EOS). Only `train` rows ever reach the tokenizer or the `train` corpus.
"""
from __future__ import annotations

import argparse
import io
import json
import random
import shutil
from pathlib import Path

import numpy as np

from common import CHATML_TEMPLATE, DEFAULT_DATA, HERE, IM_END, IM_START, corpus_documents, log, write_json


def train_tokenizer(docs: list[str], out: Path, vocab: int) -> None:
    import sentencepiece as spm

    lines = [line for doc in docs for line in doc.split("\n") if line.strip()]
    random.Random(0).shuffle(lines)
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        model_type="bpe",
        vocab_size=vocab,
        character_coverage=0.9999,
        byte_fallback=True,
        # Text stays as written: llama.cpp neither normalizes nor adds a leading space (add_space_prefix = false).
        normalization_rule_name="identity",
        add_dummy_prefix=False,
        remove_extra_whitespaces=False,
        split_digits=True,
        allow_whitespace_only_pieces=True,
        max_sentence_length=1 << 16,
        user_defined_symbols=[IM_START, IM_END],
        unk_id=0, bos_id=1, eos_id=2, pad_id=-1,
        num_threads=2,
        minloglevel=2,
    )
    out.mkdir(parents=True, exist_ok=True)
    (out / "tokenizer.model").write_bytes(model.getvalue())


def hf_tokenizer_files(out: Path) -> None:
    """The Hugging Face side of the tokenizer: convert_hf_to_gguf reads the ChatML template, the special tokens
    (as CONTROL tokens) and `add_prefix_space` from here."""
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(out / "tokenizer.model"))
    start, end = sp.piece_to_id(IM_START), sp.piece_to_id(IM_END)
    decoder = {str(i): {"content": sp.id_to_piece(i), "special": True, "lstrip": False, "rstrip": False,
                        "normalized": False, "single_word": False} for i in (0, 1, 2, start, end)}
    write_json(out / "tokenizer_config.json", {
        "tokenizer_class": "LlamaTokenizer",
        # Tells finetune.py to render ChatML with the SentencePiece encoder that matches node-llama-cpp token for token.
        "radreport_tokenizer": True,
        "add_bos_token": True,
        "add_eos_token": False,
        "add_prefix_space": False,
        "legacy": False,
        "bos_token": "<s>",
        "eos_token": IM_END,
        "unk_token": "<unk>",
        "pad_token": "<unk>",
        "chat_template": CHATML_TEMPLATE,
        "added_tokens_decoder": decoder,
        "model_max_length": 2048,
    })
    write_json(out / "special_tokens_map.json", {"bos_token": "<s>", "eos_token": IM_END, "unk_token": "<unk>", "pad_token": "<unk>"})
    write_json(out / "ids.json", {"vocab": sp.get_piece_size(), "unk": 0, "bos": 1, "eos_doc": 2, "im_start": start, "im_end": end})


def tokenize_corpus(docs: list[str], model: Path, weight_of_iu: int, n_iu: int) -> np.ndarray:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(model))
    ids: list[int] = []
    encoded = sp.encode(docs)
    n_mts = len(docs) - n_iu
    order = list(range(len(docs))) + [i for _ in range(weight_of_iu - 1) for i in range(n_mts, len(docs))]
    random.Random(1).shuffle(order)
    for i in order:
        ids.append(sp.bos_id())
        ids.extend(encoded[i])
        ids.append(sp.eos_id())
    arr = np.array(ids, dtype=np.uint16)
    assert arr.max() < 65536
    return arr


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=HERE / "data")
    ap.add_argument("--vocab", type=int, default=12000)
    ap.add_argument("--iu-weight", type=int, default=3, help="times each IU train report appears in the LM corpus")
    args = ap.parse_args()

    iu_reports = args.out / "iu-reports.jsonl"
    train_docs, train_info = corpus_documents(args.data, iu_reports, "train")
    valid_docs, valid_info = corpus_documents(args.data, iu_reports, "valid")
    log("corpus", train_info["mtsamples"], "MTSamples +", train_info["iu"], "IU train documents;",
        len(train_info["dropped_as_copies_of_held_out"]), "MTSamples notes dropped as copies of held-out reports")

    tok_dir = args.out / "tokenizer"
    train_tokenizer(train_docs, tok_dir, args.vocab)
    hf_tokenizer_files(tok_dir)
    log("tokenizer", args.vocab, "pieces written to", tok_dir)

    train = tokenize_corpus(train_docs, tok_dir / "tokenizer.model", args.iu_weight, train_info["iu"])
    valid = tokenize_corpus(valid_docs, tok_dir / "tokenizer.model", 1, valid_info["iu"])
    np.save(args.out / "corpus-train.npy", train)
    np.save(args.out / "corpus-valid.npy", valid)
    words = sum(len(d.split()) for d in train_docs)
    write_json(args.out / "corpus-summary.json", {
        "train": train_info, "valid": valid_info, "train_tokens": int(train.size), "valid_tokens": int(valid.size),
        "train_words_unweighted": words, "iu_weight": args.iu_weight, "vocab": args.vocab,
    })
    log("corpus tokens: train", train.size, "valid", valid.size)


if __name__ == "__main__":
    main()
