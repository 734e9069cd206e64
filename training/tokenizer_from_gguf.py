"""The project's SentencePiece tokenizer, rebuilt from the shipped base GGUF (CPU, seconds).

    python3 training/tokenizer_from_gguf.py --gguf models/radreport-base.Q8_0.gguf [--check data/prompt-tokens.jsonl]

The GGUF holds every piece of the tokenizer with its score and type (llama.cpp's `tokenizer.ggml.*`), in the same
numbering as SentencePiece's own model file; written back as a SentencePiece model (BPE, byte fallback, identity
normalization, no dummy prefix, as `prepare.py` trains it) plus the Hugging Face side (`prepare.hf_tokenizer_files`),
into `training/data/tokenizer/`. So an adapter can be trained on the shipped base without the original training
folder. `--check` compares the ChatML prompts of `training/data/pairs.jsonl` encoded here with the token ids
node-llama-cpp gives the same prompts (`ggufGreedy.ts --tokens-only`), and fails on any difference.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from common import HERE, IM_END, IM_START, SpmChatEncoder, log
from prepare import hf_tokenizer_files


def gguf_module():
    sys.path.insert(0, str(HERE / "vendor" / "gguf-py"))
    import gguf  # noqa: E402

    return gguf


def rebuild(gguf_path: Path, out: Path) -> None:
    from sentencepiece import sentencepiece_model_pb2 as pb

    gguf = gguf_module()
    reader = gguf.GGUFReader(str(gguf_path))
    fields = reader.fields
    tokens = [bytes(fields["tokenizer.ggml.tokens"].parts[i]).decode("utf-8") for i in fields["tokenizer.ggml.tokens"].data]
    scores = [float(fields["tokenizer.ggml.scores"].parts[i][0]) for i in fields["tokenizer.ggml.scores"].data]
    types = [int(fields["tokenizer.ggml.token_type"].parts[i][0]) for i in fields["tokenizer.ggml.token_type"].data]
    # The converter writes every special piece as a control token; SentencePiece wants its unknown piece as such, and
    # the ChatML markers as user-defined pieces (prepare.py trains them as `user_defined_symbols`).
    kinds = {"<unk>": pb.ModelProto.SentencePiece.UNKNOWN, IM_START: pb.ModelProto.SentencePiece.USER_DEFINED, IM_END: pb.ModelProto.SentencePiece.USER_DEFINED}
    types = [int(kinds.get(piece, kind)) for piece, kind in zip(tokens, types)]
    scores = [0.0 if piece in kinds else score for piece, score in zip(tokens, scores)]
    model = pb.ModelProto()
    for piece, score, kind in zip(tokens, scores, types):
        p = model.pieces.add()
        p.piece, p.score, p.type = piece, score, kind  # GGUF token types number as SentencePiece's piece types
    spec = model.trainer_spec
    spec.model_type = pb.TrainerSpec.BPE
    spec.vocab_size = len(tokens)
    spec.byte_fallback = True
    spec.split_digits = True
    spec.allow_whitespace_only_pieces = True
    spec.unk_id, spec.bos_id, spec.eos_id, spec.pad_id = 0, 1, 2, -1
    norm = model.normalizer_spec
    norm.name = "identity"
    norm.add_dummy_prefix = False
    norm.remove_extra_whitespaces = False
    norm.escape_whitespaces = True
    out.mkdir(parents=True, exist_ok=True)
    (out / "tokenizer.model").write_bytes(model.SerializeToString())
    hf_tokenizer_files(out)
    log(f"{gguf_path.name} -> {out}: {len(tokens)} pieces")


def check(tokenizer: Path, reference: Path, pairs_path: Path) -> None:
    enc = SpmChatEncoder(tokenizer / "tokenizer.model")
    pairs = {p["id"]: p for p in (json.loads(line) for line in pairs_path.read_text().splitlines() if line.strip())}
    same = differ = 0
    for line in reference.read_text().splitlines():
        row = json.loads(line)
        pair = pairs[row["id"]]
        if enc.prompt(pair["system"], pair["user"]) == row["prompt"]:
            same += 1
        else:
            differ += 1
    log(f"tokenization check: {same} prompts identical to node-llama-cpp's, {differ} different")
    if differ or not same:
        raise SystemExit("the rebuilt tokenizer does not encode as the GGUF does")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gguf", type=Path, required=True)
    ap.add_argument("--out", type=Path, default=HERE / "data" / "tokenizer")
    ap.add_argument("--check", type=Path, help="prompt token ids from ggufGreedy.ts --tokens-only")
    ap.add_argument("--pairs", type=Path, default=HERE / "data" / "pairs.jsonl")
    args = ap.parse_args()
    rebuild(args.gguf, args.out)
    if args.check:
        check(args.out, args.check, args.pairs)


if __name__ == "__main__":
    main()
