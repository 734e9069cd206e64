#!/usr/bin/env python3
"""Writes an F16 GGUF of a llama model with random weights, shaped like Llama 3 8B, for speed measurements only.

The tokenizer and chat template are the embedded model's (models/radreport-base.Q8_0.gguf: SentencePiece, ChatML), its
vocabulary padded with unused tokens to Llama 3's 128,256 entries, so that the product renders and tokenizes prompts
exactly as for the embedded model while every matrix has Llama 3 8B's size. Weights are N(0, 0.02) values cycled from
one random pool (their values do not change the speed); tensors are written one at a time, so memory stays small. The
output rows of tokens that are not whole text (byte pieces, control, padding) are zero, so that greedy decoding writes
valid text as a trained model would (llama-server rejects broken UTF-8 in a chat answer).

    python3 scripts/gpu/make_random_llama.py --out llama3-8b-random.f16.gguf [--shape llama3-8b|tiny]
        [--tokenizer-from models/radreport-base.Q8_0.gguf] [--gguf-py node_modules/node-llama-cpp/llama/llama.cpp/gguf-py]
"""
import argparse
import os
import sys
import time

import numpy as np

SHAPES = {
    # https://huggingface.co/meta-llama/Meta-Llama-3-8B/blob/main/config.json
    "llama3-8b": dict(n_vocab=128256, n_embd=4096, n_layer=32, n_head=32, n_head_kv=8, n_ff=14336, n_ctx=8192, rope_theta=500000.0),
    # The same layout, small enough for the CPU smoke run of the recipe.
    "tiny": dict(n_vocab=16384, n_embd=256, n_layer=2, n_head=4, n_head_kv=2, n_ff=704, n_ctx=2048, rope_theta=500000.0),
    # One eighth of the 8B's layers at full width: for timing the writer and llama-quantize on a small machine.
    "llama3-8b-4layers": dict(n_vocab=128256, n_embd=4096, n_layer=4, n_head=32, n_head_kv=8, n_ff=14336, n_ctx=8192, rope_theta=500000.0),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--shape", choices=sorted(SHAPES), default="llama3-8b")
    parser.add_argument("--tokenizer-from", default="models/radreport-base.Q8_0.gguf")
    parser.add_argument("--gguf-py", default="node_modules/node-llama-cpp/llama/llama.cpp/gguf-py")
    args = parser.parse_args()
    sys.path.insert(0, args.gguf_py)
    import gguf  # noqa: E402  (from the llama.cpp source the addon is built from)

    shape = SHAPES[args.shape]
    started = time.time()
    source = gguf.GGUFReader(args.tokenizer_from)

    def field(name):
        f = source.fields.get(name)
        return None if f is None else f.contents()

    tokens = list(field("tokenizer.ggml.tokens"))
    scores = list(field("tokenizer.ggml.scores"))
    types = list(field("tokenizer.ggml.token_type"))
    if len(tokens) > shape["n_vocab"]:
        raise SystemExit(f"the tokenizer has {len(tokens)} tokens, more than the shape's {shape['n_vocab']}")
    padding = shape["n_vocab"] - len(tokens)
    tokens += [f"<unused_{i}>" for i in range(padding)]
    scores += [-1e9] * padding
    types += [int(gguf.TokenType.UNUSED)] * padding

    writer = gguf.GGUFWriter(args.out, "llama")
    writer.add_name(f"random {args.shape} (speed tests only)")
    writer.add_context_length(shape["n_ctx"])
    writer.add_embedding_length(shape["n_embd"])
    writer.add_block_count(shape["n_layer"])
    writer.add_feed_forward_length(shape["n_ff"])
    writer.add_head_count(shape["n_head"])
    writer.add_head_count_kv(shape["n_head_kv"])
    writer.add_rope_dimension_count(shape["n_embd"] // shape["n_head"])
    writer.add_rope_freq_base(shape["rope_theta"])
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_vocab_size(shape["n_vocab"])
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_F16)
    writer.add_tokenizer_model(field("tokenizer.ggml.model"))
    pre = field("tokenizer.ggml.pre")
    if pre is not None:
        writer.add_tokenizer_pre(pre)
    writer.add_token_list(tokens)
    writer.add_token_scores(scores)
    writer.add_token_types(types)
    for key, add in [
        ("tokenizer.ggml.bos_token_id", writer.add_bos_token_id),
        ("tokenizer.ggml.eos_token_id", writer.add_eos_token_id),
        ("tokenizer.ggml.padding_token_id", writer.add_pad_token_id),
        ("tokenizer.ggml.add_bos_token", writer.add_add_bos_token),
        ("tokenizer.ggml.add_eos_token", writer.add_add_eos_token),
        ("tokenizer.ggml.add_space_prefix", writer.add_add_space_prefix),
        ("tokenizer.chat_template", writer.add_chat_template),
    ]:
        value = field(key)
        if value is not None:
            add(value)

    n_embd, n_ff, n_vocab = shape["n_embd"], shape["n_ff"], shape["n_vocab"]
    n_kv = n_embd // shape["n_head"] * shape["n_head_kv"]
    # (name, numpy shape as [rows, columns] = [outputs, inputs], dtype), in llama.cpp's tensor names.
    plan = [("token_embd.weight", (n_vocab, n_embd), np.float16)]
    for layer in range(shape["n_layer"]):
        block = f"blk.{layer}"
        plan += [
            (f"{block}.attn_norm.weight", (n_embd,), np.float32),
            (f"{block}.attn_q.weight", (n_embd, n_embd), np.float16),
            (f"{block}.attn_k.weight", (n_kv, n_embd), np.float16),
            (f"{block}.attn_v.weight", (n_kv, n_embd), np.float16),
            (f"{block}.attn_output.weight", (n_embd, n_embd), np.float16),
            (f"{block}.ffn_norm.weight", (n_embd,), np.float32),
            (f"{block}.ffn_gate.weight", (n_ff, n_embd), np.float16),
            (f"{block}.ffn_up.weight", (n_ff, n_embd), np.float16),
            (f"{block}.ffn_down.weight", (n_embd, n_ff), np.float16),
        ]
    plan += [("output_norm.weight", (n_embd,), np.float32), ("output.weight", (n_vocab, n_embd), np.float16)]
    for name, dims, dtype in plan:
        writer.add_tensor_info(name, dims, np.dtype(dtype), int(np.prod(dims)) * np.dtype(dtype).itemsize)

    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_ti_data_to_file()
    rng = np.random.default_rng(8)
    pool = (rng.standard_normal(1 << 24, dtype=np.float32) * 0.02).astype(np.float16)
    parameters = 0
    for index, (name, dims, dtype) in enumerate(plan):
        count = int(np.prod(dims))
        parameters += count
        if dtype == np.float32:
            tensor = np.ones(dims, dtype=np.float32)
        else:
            start = (index * 7919) % pool.size
            tensor = np.resize(np.roll(pool, -start), count).reshape(dims)
        if name == "output.weight":
            # Only whole text tokens can win greedy decoding: byte pieces, control and padding tokens get a zero row
            # (logit 0, below the largest of the random logits). Otherwise random weights write broken UTF-8 and
            # end-of-text at random, which llama-server's output parser rejects; the matrix keeps its size and type.
            tensor = tensor.copy()
            tensor[[i for i, kind in enumerate(types) if kind != int(gguf.TokenType.NORMAL)]] = 0
        writer.write_tensor_data(tensor)
    writer.close()
    size = os.path.getsize(args.out)
    print(f"wrote {args.out}: {parameters / 1e9:.2f} B parameters, {size / 2**30:.2f} GiB, {time.time() - started:.1f} s")


if __name__ == "__main__":
    main()
