"""Step 2 (GPU, minutes): train the small Llama-architecture base language model from scratch.

    python3 training/pretrain.py --out training/runs/base-512 --dim 512 --layers 8 --heads 8 --kv-heads 4 --ffn 1536

Reads `training/data/corpus-{train,valid}.npy` and `training/data/tokenizer/` (from prepare.py). Samples random
windows of `--seq` tokens, AdamW with warm-up and cosine decay, bf16 autocast on CUDA, validation loss every
`--eval-every` steps; keeps the weights with the lowest validation loss. Stops early at `--time-limit` seconds.
Writes a Hugging Face folder (config.json, model.safetensors, tokenizer files) and `train-log.json`.

With `--train-corpus training/data/corpus-train-mix.npy --valid-pairs training/data/pairs-valid-chat.npz` (mix_pairs.py)
the corpus also holds the `train` findings → conclusion pairs in ChatML, and each evaluation also measures the loss on
the conclusion tokens of the `valid` pairs (`valid_pairs_loss`); `--select-on pairs` keeps the weights where that loss
is lowest instead of the language-model loss.
"""
from __future__ import annotations

import argparse
import json
import math
import shutil
import time
from pathlib import Path

import numpy as np
import torch

from common import HERE, cosine_lr, log, write_json


def llama_config(vocab: int, dim: int, layers: int, heads: int, kv_heads: int, ffn: int, context: int):
    from transformers import LlamaConfig

    ids = json.loads((HERE / "data" / "tokenizer" / "ids.json").read_text())
    return LlamaConfig(
        vocab_size=vocab, hidden_size=dim, intermediate_size=ffn, num_hidden_layers=layers,
        num_attention_heads=heads, num_key_value_heads=kv_heads, max_position_embeddings=context,
        rms_norm_eps=1e-5, rope_theta=10000.0, tie_word_embeddings=True, hidden_act="silu",
        bos_token_id=ids["bos"], eos_token_id=ids["im_end"], pad_token_id=ids["unk"],
        attention_bias=False, mlp_bias=False, torch_dtype="float32",
        architectures=["LlamaForCausalLM"],
    )


def save_hf(model, out: Path, dtype=torch.float32) -> None:
    out.mkdir(parents=True, exist_ok=True)
    model.to(dtype).save_pretrained(str(out), safe_serialization=True)
    tok = HERE / "data" / "tokenizer"
    for name in ("tokenizer.model", "tokenizer_config.json", "special_tokens_map.json"):
        shutil.copy(tok / name, out / name)
    # The generation defaults node-llama-cpp and transformers agree on: stop at <|im_end|>.
    cfg = json.loads((out / "config.json").read_text())
    write_json(out / "generation_config.json", {"bos_token_id": cfg["bos_token_id"], "eos_token_id": cfg["eos_token_id"],
                                                "pad_token_id": cfg["pad_token_id"], "do_sample": False})


@torch.no_grad()
def validation_loss(model, valid: torch.Tensor, seq: int, device, batch: int = 16) -> float:
    model.eval()
    n = (valid.numel() - 1) // seq
    total, count = 0.0, 0
    for start in range(0, n, batch):
        rows = [valid[i * seq:(i + 1) * seq + 1] for i in range(start, min(n, start + batch))]
        x = torch.stack(rows).to(device).long()
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
            logits = model(input_ids=x[:, :-1]).logits.float()
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.size(-1)), x[:, 1:].reshape(-1), reduction="sum")
        total += loss.item()
        count += x[:, 1:].numel()
    model.train()
    return total / max(1, count)


@torch.no_grad()
def answer_loss(model, pairs: dict, device, batch: int = 32) -> float:
    """Mean loss on the conclusion tokens of the rendered `valid` pairs, each pair scored on its own."""
    model.eval()
    ids, answer, starts = pairs["ids"], pairs["answer"], pairs["starts"]
    docs = [(ids[a:b], answer[a:b]) for a, b in zip(starts[:-1], starts[1:])]
    total, count = 0.0, 0
    for s in range(0, len(docs), batch):
        chunk = docs[s:s + batch]
        width = max(len(d) for d, _ in chunk)
        x = torch.zeros((len(chunk), width), dtype=torch.long)
        m = torch.zeros((len(chunk), width), dtype=torch.bool)
        for r, (d, a) in enumerate(chunk):
            x[r, :len(d)] = torch.from_numpy(d.astype(np.int64))
            m[r, :len(a)] = torch.from_numpy(a.astype(bool))
        x, m = x.to(device), m.to(device)
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
            logits = model(input_ids=x[:, :-1]).logits.float()
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.size(-1)), x[:, 1:].reshape(-1), reduction="none")
        keep = m[:, 1:].reshape(-1)
        total += loss[keep].sum().item()
        count += int(keep.sum())
    model.train()
    return total / max(1, count)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--dim", type=int, default=512)
    ap.add_argument("--layers", type=int, default=8)
    ap.add_argument("--heads", type=int, default=8)
    ap.add_argument("--kv-heads", type=int, default=4)
    ap.add_argument("--ffn", type=int, default=1536)
    ap.add_argument("--context", type=int, default=2048, help="max_position_embeddings written to the config")
    ap.add_argument("--seq", type=int, default=1024)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--epochs", type=float, default=20)
    ap.add_argument("--lr", type=float, default=1.5e-3)
    ap.add_argument("--weight-decay", type=float, default=0.1)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--eval-every", type=int, default=100)
    ap.add_argument("--time-limit", type=float, default=240)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--init-only", action="store_true", help="save the random initialisation (for speed tests)")
    ap.add_argument("--max-steps", type=int, default=0)
    ap.add_argument("--train-corpus", type=Path, default=HERE / "data" / "corpus-train.npy")
    ap.add_argument("--valid-corpus", type=Path, default=HERE / "data" / "corpus-valid.npy")
    ap.add_argument("--valid-pairs", type=Path, help="pairs-valid-chat.npz from mix_pairs.py: also report the conclusion loss")
    ap.add_argument("--select-on", choices=("lm", "pairs"), default="lm", help="which validation loss chooses the weights")
    args = ap.parse_args()

    from transformers import LlamaForCausalLM

    torch.manual_seed(args.seed)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    ids = json.loads((HERE / "data" / "tokenizer" / "ids.json").read_text())
    config = llama_config(ids["vocab"], args.dim, args.layers, args.heads, args.kv_heads, args.ffn, args.context)
    model = LlamaForCausalLM(config)
    params = sum(p.numel() for p in model.parameters())
    log(f"parameters {params:,} ({params - config.vocab_size * config.hidden_size:,} without the embedding)")
    if args.init_only:
        save_hf(model, args.out)
        return

    train = torch.from_numpy(np.load(args.train_corpus).astype(np.int32))
    valid = torch.from_numpy(np.load(args.valid_corpus).astype(np.int32))
    valid_pairs = dict(np.load(args.valid_pairs)) if args.valid_pairs else None
    if args.select_on == "pairs" and valid_pairs is None:
        raise SystemExit("--select-on pairs needs --valid-pairs")
    tokens_per_step = args.batch * args.seq
    total_steps = max(1, int(args.epochs * train.numel() / tokens_per_step))
    if args.max_steps:
        total_steps = min(total_steps, args.max_steps)
    log(f"train tokens {train.numel():,}, {total_steps} steps of {tokens_per_step:,} tokens on {device}")

    model.to(device).train()
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.95), eps=1e-8, fused=device.type == "cuda")
    gen = torch.Generator().manual_seed(args.seed)
    train_dev = train.to(device)
    window = torch.arange(args.seq + 1, device=device)
    history, best = [], (math.inf, None, 0)
    start = time.time()
    step = 0
    while step < total_steps:
        if step == 30:
            # Fit the cosine schedule into the time limit (with 15 % left for validation), measured on the first steps.
            per_step = (time.time() - start) / step
            fit = int(0.85 * args.time_limit / per_step)
            if fit < total_steps:
                log(f"{per_step * 1000:.0f} ms a step: {fit} steps fit in {args.time_limit:.0f} s (planned {total_steps})")
                total_steps = fit
        lr = cosine_lr(step, total_steps, args.warmup, args.lr)
        for group in opt.param_groups:
            group["lr"] = lr
        offsets = torch.randint(0, train.numel() - args.seq - 1, (args.batch,), generator=gen).to(device)
        x = train_dev[offsets[:, None] + window].long()
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
            logits = model(input_ids=x[:, :-1]).logits
        loss = torch.nn.functional.cross_entropy(logits.float().reshape(-1, logits.size(-1)), x[:, 1:].reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        last = step == total_steps - 1
        out_of_time = time.time() - start > args.time_limit
        if (step + 1) % args.eval_every == 0 or last or out_of_time:
            vloss = validation_loss(model, valid, args.seq, device)
            history.append({"step": step + 1, "train_loss": round(loss.item(), 4), "valid_loss": round(vloss, 4),
                            "lr": lr, "seconds": round(time.time() - start, 1)})
            if valid_pairs is not None:
                history[-1]["valid_pairs_loss"] = round(answer_loss(model, valid_pairs, device), 4)
            log(history[-1])
            chosen_loss = history[-1]["valid_pairs_loss"] if args.select_on == "pairs" else vloss
            if chosen_loss < best[0]:
                best = (vloss, {k: v.detach().to("cpu", copy=True) for k, v in model.state_dict().items()}, step + 1)
        step += 1
        if out_of_time:
            log(f"time limit reached after {step} of {total_steps} steps")
            break
    seconds = time.time() - start
    chosen = next(h for h in history if h["step"] == best[2])
    model.load_state_dict(best[1])
    # Saved in bf16: the adapter is then trained on exactly the weights that are exported (and they travel at half size).
    save_hf(model.cpu(), args.out, dtype=torch.bfloat16)
    write_json(args.out / "train-log.json", {
        "parameters": params, "config": {k: getattr(args, k) for k in ("dim", "layers", "heads", "kv_heads", "ffn", "seq", "batch", "epochs", "lr", "weight_decay", "warmup")},
        "train_corpus": args.train_corpus.name, "train_tokens": train.numel(), "select_on": args.select_on,
        "steps_run": step, "steps_planned": total_steps, "best_step": best[2],
        "best_valid_loss": chosen["valid_loss"], "best_valid_perplexity": math.exp(chosen["valid_loss"]),
        "best_valid_pairs_loss": chosen.get("valid_pairs_loss"), "seconds": round(seconds, 1), "tokens_seen": step * tokens_per_step,
        "device": torch.cuda.get_device_name(0) if device.type == "cuda" else "cpu", "history": history,
    })
    log(f"chosen on the {args.select_on} loss at step {best[2]}: valid loss {chosen['valid_loss']:.4f} "
        f"(ppl {math.exp(chosen['valid_loss']):.2f}), valid conclusion loss {chosen.get('valid_pairs_loss')}; {seconds:.0f} s")


if __name__ == "__main__":
    main()
