"""Proof of the real-base-model path: a randomly initialised model shaped like Llama-3-8B (hidden 4096, 32 heads,
8 key-value heads, feed-forward 14336, vocabulary 128256, rope theta 500000), cut to 2 layers, saved as a local
Hugging Face folder that `finetune.py` treats like any hospital's base model (its own tokenizer and chat template,
QLoRA when bitsandbytes is installed, bf16 LoRA otherwise).

    python3 training/proof_llama3_shape.py --out /tmp/llama3-shape-2l [--layers 2] [--tiny]

The tokenizer files are the project's (a stand-in for Llama 3's, which cannot be downloaded here); `--tiny` shrinks
the widths for a CPU smoke test of the same code path.
"""
from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import torch

from common import CHATML_TEMPLATE, HERE, log


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--tiny", action="store_true")
    args = ap.parse_args()
    from transformers import LlamaConfig, LlamaForCausalLM

    shape = dict(hidden_size=4096, intermediate_size=14336, num_attention_heads=32, num_key_value_heads=8, vocab_size=128256)
    if args.tiny:
        shape = dict(hidden_size=64, intermediate_size=224, num_attention_heads=4, num_key_value_heads=1, vocab_size=12000)
    ids = json.loads((HERE / "data" / "tokenizer" / "ids.json").read_text())
    config = LlamaConfig(**shape, num_hidden_layers=args.layers, max_position_embeddings=8192, rope_theta=500000.0,
                         rms_norm_eps=1e-5, tie_word_embeddings=False, bos_token_id=ids["bos"], eos_token_id=ids["im_end"],
                         architectures=["LlamaForCausalLM"])
    device = "cuda" if torch.cuda.is_available() else "cpu"
    torch.manual_seed(0)
    with torch.device(device):
        model = LlamaForCausalLM(config).to(torch.bfloat16)
    n = sum(p.numel() for p in model.parameters())
    args.out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(args.out), safe_serialization=True)
    tok = HERE / "data" / "tokenizer"
    shutil.copy(tok / "tokenizer.model", args.out / "tokenizer.model")
    shutil.copy(tok / "special_tokens_map.json", args.out / "special_tokens_map.json")
    cfg = json.loads((tok / "tokenizer_config.json").read_text())
    cfg.pop("radreport_tokenizer", None)  # treated as a foreign model: its own tokenizer and chat template
    cfg["chat_template"] = CHATML_TEMPLATE
    (args.out / "tokenizer_config.json").write_text(json.dumps(cfg, indent=2))
    log(f"random Llama-3-8B-shaped model, {args.layers} layers, {n:,} parameters, written to {args.out}")


if __name__ == "__main__":
    main()
