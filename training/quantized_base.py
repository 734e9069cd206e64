"""The base model as the product runs it: its weights rounded exactly as llama.cpp's Q8_0 GGUF stores them.

The product ships the base quantized (Q8_0) and applies the LoRA adapter on top of it. An adapter trained on the
full-precision base then meets slightly different weights at run time, and greedy decoding flips where two tokens are
nearly tied. So, as QLoRA trains its adapter on the NF4 base, the embedded model's adapter is trained on the
Q8_0-rounded base: every weight that `convert_hf_to_gguf.py --outtype q8_0` quantizes goes through the same
`gguf.quants.quantize` / `dequantize` of the bundled gguf-py (`training/vendor/gguf-py`), and the PyTorch reference of
the export check uses the same rounded weights.

    # check that the rounding equals what the converter wrote (max |difference| per tensor, expected 0):
    python3 training/quantized_base.py check --base training/runs/base --gguf training/runs/gguf/radreport-base.Q8_0.gguf
    # a Hugging Face folder back from a GGUF base (dequantized, fp32), e.g. to train a new adapter on the shipped base:
    python3 training/quantized_base.py to-hf --gguf models/radreport-base.Q8_0.gguf --out training/runs/base-from-gguf
    # a PEFT adapter folder back from an adapter GGUF (e.g. the shipped one, for PyTorch references):
    python3 training/quantized_base.py lora-to-hf --gguf models/radreport-conclusion-lora.gguf \
        --base-gguf models/radreport-base.Q8_0.gguf --out training/runs/lora-from-gguf
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import numpy as np

from common import HERE, log, write_json

QUANT_TYPES = ("none", "q8_0")


def _gguf():
    vendored = HERE / "vendor" / "gguf-py"
    if vendored.is_dir() and str(vendored) not in sys.path:
        sys.path.insert(0, str(vendored))
    import gguf

    return gguf


def rounded(weight: np.ndarray, qtype: str) -> np.ndarray:
    """A float32 matrix after quantization to `qtype` and back, by gguf-py (bit-exact with ggml's reference)."""
    gguf = _gguf()
    kind = gguf.GGMLQuantizationType[qtype.upper()]
    return gguf.quants.dequantize(gguf.quants.quantize(weight.astype(np.float32), kind), kind).reshape(weight.shape)


def quantized_parameter_names(model) -> list[str]:
    """The tensors the converter stores quantized for a Llama model: every 2-D `.weight` (embedding and projections);
    norms stay F32. A tied output head shares the embedding, so it is rounded once."""
    return [name for name, p in model.named_parameters() if p.dim() == 2 and name.endswith(".weight")]


def round_like_gguf(model, qtype: str) -> int:
    """Rounds the model's weights in place as a `qtype` GGUF holds them; returns how many tensors changed."""
    import torch

    if qtype == "none":
        return 0
    if qtype not in QUANT_TYPES:
        raise SystemExit(f"unknown base quantization {qtype!r}; expected one of {', '.join(QUANT_TYPES)}")
    names = quantized_parameter_names(model)
    params = dict(model.named_parameters())
    with torch.no_grad():
        for name in names:
            p = params[name]
            value = rounded(p.detach().float().cpu().numpy(), qtype)
            p.copy_(torch.from_numpy(value).to(device=p.device, dtype=p.dtype))
    return len(names)


# ---------------------------------------------------------------------------------------------------------------------
# GGUF <-> Hugging Face names for the Llama tensors the converter writes.

def _unpermute(w: np.ndarray, n_head: int) -> np.ndarray:
    """Undoes convert_hf_to_gguf's rope row order for q/k (LlamaModel.permute)."""
    return w.reshape(n_head, w.shape[0] // n_head // 2, 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


GGUF_TO_HF = {
    "token_embd.weight": "model.embed_tokens.weight",
    "output_norm.weight": "model.norm.weight",
    "attn_norm": "input_layernorm", "ffn_norm": "post_attention_layernorm",
    "attn_q": "self_attn.q_proj", "attn_k": "self_attn.k_proj", "attn_v": "self_attn.v_proj",
    "attn_output": "self_attn.o_proj", "ffn_gate": "mlp.gate_proj", "ffn_up": "mlp.up_proj", "ffn_down": "mlp.down_proj",
}


def hf_name(gguf_name: str) -> str:
    if gguf_name in GGUF_TO_HF:
        return GGUF_TO_HF[gguf_name]
    _, block, part, suffix = gguf_name.split(".")
    return f"model.layers.{block}.{GGUF_TO_HF[part]}.{suffix}"


def _llama_meta(reader, gguf) -> dict:
    meta = {}
    for field in reader.fields.values():
        if field.name.startswith("llama.") or field.name == "general.architecture":
            value = field.parts[field.data[0]]
            meta[field.name] = value.tobytes().decode() if field.types[0] == gguf.GGUFValueType.STRING else value.tolist()[0]
    return meta


def _hf_value(t, gguf, name: str, n_head: int, n_kv: int, rows_permuted: bool = True) -> np.ndarray:
    """A GGUF tensor as a float32 array in Hugging Face layout (shape reversed, q/k rows back in HF order)."""
    shape = tuple(int(n) for n in reversed(t.shape.tolist()))
    value = gguf.quants.dequantize(t.data, t.tensor_type).reshape(shape).astype(np.float32)
    if rows_permuted and name.endswith("q_proj.weight"):
        return _unpermute(value, n_head)
    if rows_permuted and name.endswith("k_proj.weight"):
        return _unpermute(value, n_kv)
    return value


def read_gguf_meta(path: Path) -> dict:
    gguf = _gguf()
    return _llama_meta(gguf.GGUFReader(str(path)), gguf)


def read_gguf(path: Path):
    """(metadata dict, {hf name: float32 array in Hugging Face layout})."""
    gguf = _gguf()
    reader = gguf.GGUFReader(str(path))
    meta = _llama_meta(reader, gguf)
    n_head, n_kv = meta["llama.attention.head_count"], meta["llama.attention.head_count_kv"]
    tensors = {}
    for t in reader.tensors:
        name = hf_name(t.name)
        tensors[name] = _hf_value(t, gguf, name, n_head, n_kv)
    return meta, tensors


def check(args) -> None:
    """Compares round_like_gguf on the Hugging Face base with the tensors the converter wrote."""
    import torch
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(str(args.base), dtype=torch.float32)
    round_like_gguf(model, args.quant)
    _, tensors = read_gguf(args.gguf)
    params = dict(model.named_parameters())
    worst, compared = 0.0, 0
    for name, value in tensors.items():
        diff = float(np.abs(params[name].detach().numpy() - value).max())
        worst = max(worst, diff)
        compared += 1
    result = {"tensors": compared, "max_abs_difference": worst, "identical": worst == 0.0}
    print(json.dumps(result))
    if args.out:
        write_json(args.out, result)
    if worst != 0.0:
        raise SystemExit("the rounded base differs from the GGUF")


def to_hf(args) -> None:
    """Writes a Hugging Face folder (fp32) from a GGUF base, with the project's tokenizer files."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    meta, tensors = read_gguf(args.gguf)
    tok = args.tokenizer
    ids = json.loads((tok / "ids.json").read_text())
    vocab, dim = tensors["model.embed_tokens.weight"].shape
    config = LlamaConfig(
        vocab_size=vocab, hidden_size=dim, intermediate_size=meta["llama.feed_forward_length"],
        num_hidden_layers=meta["llama.block_count"], num_attention_heads=meta["llama.attention.head_count"],
        num_key_value_heads=meta["llama.attention.head_count_kv"], max_position_embeddings=meta["llama.context_length"],
        rms_norm_eps=meta["llama.attention.layer_norm_rms_epsilon"], rope_theta=meta.get("llama.rope.freq_base", 10000.0),
        tie_word_embeddings="output.weight" not in tensors, hidden_act="silu", bos_token_id=ids["bos"],
        eos_token_id=ids["im_end"], pad_token_id=ids["unk"], attention_bias=False, mlp_bias=False,
        architectures=["LlamaForCausalLM"],
    )
    model = LlamaForCausalLM(config)
    missing, unexpected = model.load_state_dict({k: torch.from_numpy(v) for k, v in tensors.items()}, strict=False)
    missing = [m for m in missing if m != "lm_head.weight"]
    if missing or unexpected:
        raise SystemExit(f"GGUF tensors do not fit a Llama model: missing {missing}, unexpected {unexpected}")
    args.out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(args.out), safe_serialization=True)
    for name in ("tokenizer.model", "tokenizer_config.json", "special_tokens_map.json"):
        shutil.copy(tok / name, args.out / name)
    write_json(args.out / "generation_config.json", {"bos_token_id": ids["bos"], "eos_token_id": ids["im_end"],
                                                      "pad_token_id": ids["unk"], "do_sample": False})
    log(f"{args.gguf.name} -> {args.out}: {sum(v.size for v in tensors.values()):,} parameters")


def lora_to_hf(args) -> None:
    """Writes a PEFT LoRA folder from a llama.cpp adapter GGUF (convert_lora_to_gguf.py's layout: `<tensor>.lora_a`
    is A (rank × in), `<tensor>.lora_b` is B (out × rank), B's rows of q/k in the converter's rope order)."""
    import torch
    from safetensors.torch import save_file

    gguf = _gguf()
    base_meta = read_gguf_meta(args.base_gguf)
    n_head, n_kv = base_meta["llama.attention.head_count"], base_meta["llama.attention.head_count_kv"]
    reader = gguf.GGUFReader(str(args.gguf))
    alpha = float(reader.fields["adapter.lora.alpha"].parts[-1][0])
    weights, modules, rank = {}, set(), None
    for t in reader.tensors:
        stem, part = t.name.rsplit(".", 1)
        name = hf_name(stem)
        # Only B carries the output rows that the converter put in rope order.
        value = _hf_value(t, gguf, name, n_head, n_kv, rows_permuted=part == "lora_b")
        key = "base_model.model." + name[: -len(".weight")] + (".lora_A.weight" if part == "lora_a" else ".lora_B.weight")
        weights[key] = torch.from_numpy(np.ascontiguousarray(value))
        modules.add(name.split(".")[-2])
        rank = value.shape[0] if part == "lora_a" else rank
    args.out.mkdir(parents=True, exist_ok=True)
    save_file(weights, str(args.out / "adapter_model.safetensors"))
    write_json(args.out / "adapter_config.json", {
        "peft_type": "LORA", "task_type": "CAUSAL_LM", "r": rank, "lora_alpha": alpha, "lora_dropout": 0.0,
        "target_modules": sorted(modules), "bias": "none", "fan_in_fan_out": False, "inference_mode": True,
        "base_model_name_or_path": None,
    })
    log(f"{args.gguf.name} -> {args.out}: rank {rank}, alpha {alpha}, {len(weights)} tensors")


def main() -> None:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check")
    c.add_argument("--base", type=Path, required=True)
    c.add_argument("--gguf", type=Path, required=True)
    c.add_argument("--quant", default="q8_0")
    c.add_argument("--out", type=Path)
    h = sub.add_parser("to-hf")
    h.add_argument("--gguf", type=Path, required=True)
    h.add_argument("--out", type=Path, required=True)
    h.add_argument("--tokenizer", type=Path, default=HERE / "data" / "tokenizer")
    lh = sub.add_parser("lora-to-hf")
    lh.add_argument("--gguf", type=Path, required=True)
    lh.add_argument("--base-gguf", type=Path, required=True, help="the base GGUF, for the attention head counts")
    lh.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    {"check": check, "to-hf": to_hf, "lora-to-hf": lora_to_hf}[args.cmd](args)


if __name__ == "__main__":
    main()
