"""Step 3 (GPU): the paper's recipe: a rank-16 LoRA adapter on findings → conclusion, five epochs, one checkpoint per
epoch, the checkpoint chosen by ROUGE-L on `valid`.

    # the embedded model (base from pretrain.py):
    python3 training/finetune.py --base training/runs/base --out training/runs/lora
    # a real base model, as the paper (Llama 3 8B Instruct): 4-bit NF4 QLoRA when bitsandbytes is installed, else bf16
    python3 training/finetune.py --base /models/Meta-Llama-3-8B-Instruct --out runs/llama3-lora --lr 2e-4 --batch 8

Pairs come from `training/data/pairs.jsonl` (`npx tsx training/exportPairs.ts`): the prompt the product sends, rendered
with the model's chat template (ChatML for the embedded model, the base model's own template otherwise); the loss is
on the conclusion tokens and the end-of-turn token only. With `--examples-mix P`, a fraction P of the training prompts
carries the nearest training reports as in-context examples (`userWithExamples`), so the adapter also learns to use a
hospital's example library; the checkpoint is still chosen on prompts without examples, the product's default.

The embedded base ships as Q8_0, so by default (`--base-quant auto`) its adapter is trained on the base weights rounded
exactly as the Q8_0 GGUF stores them (`quantized_base.py`), the way QLoRA trains on the NF4 base: the adapter then meets
at run time the weights it was trained on.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import time
from pathlib import Path

import torch

from common import PAIRS, HfChatEncoder, SpmChatEncoder, cosine_lr, log, mean_rouge, read_jsonl, write_json
from quantized_base import QUANT_TYPES, round_like_gguf

TARGET_MODULES = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


def is_embedded(base: Path) -> bool:
    cfg = base / "tokenizer_config.json"
    return cfg.is_file() and json.loads(cfg.read_text()).get("radreport_tokenizer") is True


def load_model(base: Path, embedded: bool, device, gradient_checkpointing: bool):
    from transformers import AutoModelForCausalLM

    if embedded:
        model = AutoModelForCausalLM.from_pretrained(str(base), dtype=torch.float32)
        return model.to(device), "fp32 weights, bf16 autocast LoRA" if device.type == "cuda" else "fp32 LoRA"
    try:
        import bitsandbytes  # noqa: F401
        from transformers import BitsAndBytesConfig
        from peft import prepare_model_for_kbit_training

        quant = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True,
                                   bnb_4bit_compute_dtype=torch.bfloat16)
        model = AutoModelForCausalLM.from_pretrained(str(base), quantization_config=quant, device_map={"": device.index or 0})
        model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=gradient_checkpointing)
        return model, "4-bit NF4 QLoRA (bitsandbytes)"
    except ImportError:
        model = AutoModelForCausalLM.from_pretrained(str(base), dtype=torch.bfloat16).to(device)
        if gradient_checkpointing:
            model.gradient_checkpointing_enable()
            model.enable_input_require_grads()
        return model, "bf16 LoRA (bitsandbytes not installed)"


def encode_pairs(pairs, enc, max_len: int, mix: float, rng: random.Random):
    out = []
    for p in pairs:
        use_examples = mix > 0 and rng.random() < mix
        prompt = enc.prompt(p["system"], p["userWithExamples"] if use_examples else p["user"])
        answer = enc.answer(p["conclusion"])
        if len(prompt) + len(answer) > max_len and use_examples:
            prompt = enc.prompt(p["system"], p["user"])
        if len(prompt) + len(answer) > max_len:
            continue
        out.append((prompt, answer))
    return out


def batches(examples, batch_size: int, pad: int, rng: random.Random, bucket: int = 0):
    """Shuffled batches. With `bucket` > 0, batches of similar lengths: the examples are shuffled, cut into pools of
    `bucket` batches, sorted by length inside a pool, and the batches shuffled again (faster, since a batch pads to its
    own length; but on the embedded model it cost 0.02 valid ROUGE-L at the same settings, so it is off by default)."""
    order = list(range(len(examples)))
    rng.shuffle(order)
    if bucket > 0:
        pool = batch_size * bucket
        groups = []
        for i in range(0, len(order), pool):
            part = sorted(order[i:i + pool], key=lambda j: len(examples[j][0]) + len(examples[j][1]))
            groups.extend(part[k:k + batch_size] for k in range(0, len(part), batch_size))
        rng.shuffle(groups)
    else:
        groups = [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
    for group in groups:
        chunk = [examples[j] for j in group]
        width = max(len(p) + len(a) for p, a in chunk)
        ids = torch.full((len(chunk), width), pad, dtype=torch.long)
        labels = torch.full((len(chunk), width), -100, dtype=torch.long)
        mask = torch.zeros((len(chunk), width), dtype=torch.long)
        for r, (p, a) in enumerate(chunk):
            seq = p + a
            ids[r, :len(seq)] = torch.tensor(seq)
            labels[r, len(p):len(seq)] = torch.tensor(a)
            mask[r, :len(seq)] = 1
        yield ids, labels, mask


def answer_loss(model, ids, labels, mask):
    """Cross-entropy on the answer tokens only. The output head runs on those positions alone (the prompt positions
    would cost a vocabulary-wide projection each for nothing); (mean loss, number of answer tokens)."""
    base = model.get_base_model()
    decoder, head = base.get_decoder(), base.get_output_embeddings()
    target = labels[:, 1:]
    keep = target != -100
    hidden = decoder(input_ids=ids, attention_mask=mask).last_hidden_state[:, :-1]
    logits = head(hidden[keep]).float()
    return torch.nn.functional.cross_entropy(logits, target[keep]), int(keep.sum())


@torch.no_grad()
def greedy(model, enc, prompts: list[list[int]], device, max_new: int, batch_size: int = 128) -> list[list[int]]:
    """Batched greedy decoding (left padding); stops at the chat's end-of-turn tokens."""
    model.eval()
    results: list[list[int]] = [[] for _ in prompts]
    order = sorted(range(len(prompts)), key=lambda i: len(prompts[i]))
    for s in range(0, len(order), batch_size):
        idx = order[s:s + batch_size]
        width = max(len(prompts[i]) for i in idx)
        ids = torch.full((len(idx), width), enc.pad, dtype=torch.long)
        mask = torch.zeros((len(idx), width), dtype=torch.long)
        for r, i in enumerate(idx):
            ids[r, width - len(prompts[i]):] = torch.tensor(prompts[i])
            mask[r, width - len(prompts[i]):] = 1
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
            out = model.generate(input_ids=ids.to(device), attention_mask=mask.to(device), max_new_tokens=max_new,
                                 do_sample=False, eos_token_id=enc.stop_ids, pad_token_id=enc.pad)
        for r, i in enumerate(idx):
            gen = out[r, width:].tolist()
            cut = next((k for k, t in enumerate(gen) if t in enc.stop_ids), len(gen))
            results[i] = gen[:cut]
    model.train()
    return results


def evaluate(model, enc, pairs, device, max_new: int, examples: bool) -> tuple[dict, list[str]]:
    prompts = [enc.prompt(p["system"], p["userWithExamples"] if examples else p["user"]) for p in pairs]
    outs = greedy(model, enc, prompts, device, max_new)
    preds = [enc.decode(o).strip() for o in outs]
    scores = {"all": mean_rouge(preds, [p["conclusion"] for p in pairs])}
    for source in sorted({p["source"] for p in pairs}):
        sel = [i for i, p in enumerate(pairs) if p["source"] == source]
        scores[source] = mean_rouge([preds[i] for i in sel], [pairs[i]["conclusion"] for i in sel])
    return scores, preds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", type=Path, required=True, help="Hugging Face folder of the base model")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--pairs", type=Path, default=PAIRS)
    ap.add_argument("--rank", type=int, default=16)
    ap.add_argument("--alpha", type=float, default=32)
    ap.add_argument("--dropout", type=float, default=0.05)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--max-len", type=int, default=1024)
    ap.add_argument("--examples-mix", type=float, default=0.0)
    ap.add_argument("--eval-max-new", type=int, default=128)
    ap.add_argument("--limit-train", type=int, default=0, help="use only the first N training pairs (smoke tests)")
    ap.add_argument("--limit-valid", type=int, default=0)
    ap.add_argument("--gradient-checkpointing", action=argparse.BooleanOptionalAction, default=None)
    ap.add_argument("--time-limit", type=float, default=0, help="seconds; stop after the epoch that passes it")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--bucket", type=int, default=0, help="length-grouped batches, pools of N batches (0: off)")
    ap.add_argument("--base-quant", choices=("auto",) + QUANT_TYPES, default="auto",
                    help="train on the base weights rounded as this GGUF type stores them (auto: q8_0 for the "
                         "embedded base, which ships as Q8_0; none for a foreign base)")
    args = ap.parse_args()

    from peft import LoraConfig, get_peft_model

    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")
    embedded = is_embedded(args.base)
    enc = SpmChatEncoder(args.base / "tokenizer.model") if embedded else HfChatEncoder(args.base)
    gc = (not embedded) if args.gradient_checkpointing is None else args.gradient_checkpointing
    model, mode = load_model(args.base, embedded, device, gc)
    base_quant = ("q8_0" if embedded else "none") if args.base_quant == "auto" else args.base_quant
    if base_quant != "none":
        rounded = round_like_gguf(model, base_quant)
        mode += f", base rounded as {base_quant.upper()} ({rounded} tensors)"
    model.config.use_cache = True
    lora = LoraConfig(r=args.rank, lora_alpha=args.alpha, lora_dropout=args.dropout, target_modules=TARGET_MODULES,
                      bias="none", task_type="CAUSAL_LM")
    model = get_peft_model(model, lora)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    log(f"{mode}; LoRA rank {args.rank}, alpha {args.alpha}: {trainable:,} trainable parameters on {device}")

    pairs = read_jsonl(args.pairs)
    train = [p for p in pairs if p["split"] == "train"]
    valid = [p for p in pairs if p["split"] == "valid"]
    if args.limit_train:
        train = train[:args.limit_train]
    if args.limit_valid:
        valid = valid[:args.limit_valid]
    steps_per_epoch = math.ceil(len(train) / args.batch)
    total = steps_per_epoch * args.epochs
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=args.lr, weight_decay=0.0)
    log(f"{len(train)} train pairs, {len(valid)} valid pairs, {total} steps")

    history, start, step = [], time.time(), 0
    args.out.mkdir(parents=True, exist_ok=True)
    for epoch in range(1, args.epochs + 1):
        examples = encode_pairs(train, enc, args.max_len, args.examples_mix, rng)
        total_loss, total_tokens = 0.0, 0
        model.train()
        for ids, labels, mask in batches(examples, args.batch, enc.pad, rng, args.bucket):
            for group in opt.param_groups:
                group["lr"] = cosine_lr(step, total, max(1, total // 20), args.lr, floor=0.0)
            ids, labels, mask = ids.to(device), labels.to(device), mask.to(device)
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
                loss, n = answer_loss(model, ids, labels, mask)
            loss.backward()
            torch.nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], 1.0)
            opt.step()
            opt.zero_grad(set_to_none=True)
            total_loss += loss.item() * n
            total_tokens += n
            step += 1
        checkpoint = args.out / f"epoch-{epoch}"
        model.save_pretrained(str(checkpoint))
        entry = {"epoch": epoch, "train_loss": round(total_loss / max(1, total_tokens), 4), "seconds": round(time.time() - start, 1)}
        scores, preds = evaluate(model, enc, valid, device, args.eval_max_new, examples=False)
        entry["valid"] = scores
        if args.examples_mix > 0:
            entry["valid_with_examples"] = evaluate(model, enc, valid, device, args.eval_max_new, examples=True)[0]
        write_json(checkpoint / "valid-predictions.json", [{"id": p["id"], "prediction": x} for p, x in zip(valid, preds)])
        entry["eval_seconds"] = round(time.time() - start - entry["seconds"], 1)
        history.append(entry)
        log(json.dumps(entry))
        # Progress per epoch, so a run stopped from outside still tells how far it got.
        write_json(args.out / "progress.json", {"epochs": args.epochs, "history": history})
        if args.time_limit and time.time() - start > args.time_limit and epoch < args.epochs:
            log(f"time limit reached after epoch {epoch}")
            break

    best = max(history, key=lambda e: e["valid"]["all"]["rougeL"])
    best_dir = args.out / "best"
    if best_dir.exists():
        shutil.rmtree(best_dir)
    shutil.copytree(args.out / f"epoch-{best['epoch']}", best_dir)
    # convert_lora_to_gguf reads the base config from --base; keep the adapter's pointer local and relative.
    cfg_path = best_dir / "adapter_config.json"
    cfg = json.loads(cfg_path.read_text())
    cfg["base_model_name_or_path"] = str(args.base)
    cfg_path.write_text(json.dumps(cfg, indent=2))
    write_json(args.out / "finetune-log.json", {
        "mode": mode, "base": str(args.base), "base_quant": base_quant, "rank": args.rank, "alpha": args.alpha, "dropout": args.dropout,
        "lr": args.lr, "batch": args.batch, "bucket": args.bucket, "seed": args.seed, "epochs": args.epochs, "examples_mix": args.examples_mix,
        "trainable_parameters": trainable, "train_pairs": len(train), "valid_pairs": len(valid),
        "best_epoch": best["epoch"], "best_valid_rougeL": best["valid"]["all"]["rougeL"],
        "seconds": round(time.time() - start, 1),
        "device": torch.cuda.get_device_name(0) if device.type == "cuda" else "cpu", "history": history,
    })
    log(f"best epoch {best['epoch']}: valid ROUGE-L {best['valid']['all']['rougeL']:.4f}")


if __name__ == "__main__":
    main()
