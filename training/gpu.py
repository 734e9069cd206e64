"""The one GPU driver of the training recipe: every GPU job is one command of it. Two stages:

    python3 training/gpu.py round --run training/runs/round --deadline 400 \\
        --base L8:8:384:6:2:1152 --adapter 4e-3:32 --adapter 2e-3:16 --adapter 2e-3:32:0.05:0:0.3
    python3 training/gpu.py proof --run training/runs/proof

`round`: one improvement round of the embedded model. `--base NAME:LAYERS:DIM:HEADS:KV_HEADS:FFN` pretrains a base
(pretrain.py, `--base-epochs` epochs of the corpus, the weights at the lowest validation loss, at most `--base-time`
seconds); `--base NAME=PATH` uses an existing Hugging Face folder instead (for example one made from the shipped GGUF
by `quantized_base.py to-hf`), whose GGUF is not exported again. `--mix-pairs N` first builds the mixed corpus
(mix_pairs.py: N copies of the `train` pairs in ChatML) and pretrains every base on it, the weights chosen on the
`valid` conclusion loss (`--select-on pairs`) or the corpus loss (`lm`). Every
`--adapter LR:BATCH[:DROPOUT[:SEED[:EXAMPLES_MIX]]]` is trained on every base (finetune.py: rank 16, five epochs, the
base rounded as Q8_0 as it ships, the epoch chosen on valid ROUGE-L; EXAMPLES_MIX is the fraction of prompts that
carry in-context examples). At most `--parallel` jobs run at once; an adapter starts as soon as its base is ready.
Each job is stopped at `--deadline` seconds; `--adapter-time-limit` lets an adapter stop cleanly after the epoch that
passes it.

Then, for the `--top` adapters with the best valid ROUGE-L (`chosen.json` names the best): the base's GGUF
(`--base-gguf`: Q8_0, checked tensor for tensor against the rounding the adapter was trained on, F16, both or none),
the adapter's GGUF (none with `--skip-gguf`), and the PyTorch greedy reference outputs for the export check. No export
starts after `--finish-by` seconds. `--proof` runs the `proof` stage at the end, when time is left.

`proof`: the foreign-base path on a random model of Llama-3-8B's shape cut to `--proof-layers` layers
(proof_llama3_shape.py), bf16 LoRA or QLoRA with finetune.py, the adapter exported with convert_lora_to_gguf.py.

Into $OUT (default RUN/out), rewritten after every step so that it is there whatever stops the command: `results.tgz`
(logs, every adapter's valid predictions, the references, the adapter GGUFs, the proof's log), the base GGUFs as
many as fit `--out-budget` MB, best first, and with `--with-bases` each pretrained base's Hugging Face folder
(`base-NAME.tar`); a file over 15 MB goes in parts (`cat NAME.part-* > NAME`). `--smoke` runs every step at toy
sizes on the CPU.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from common import HERE, log, write_json

PY = sys.executable
DATA = HERE / "data"
MIXED_CORPUS = DATA / "corpus-train-mix.npy"
VALID_PAIRS_CHAT = DATA / "pairs-valid-chat.npz"


@dataclass
class Job:
    name: str
    cmd: list[str]
    log_path: Path
    after: str | None = None  # the base job this one waits for
    proc: subprocess.Popen | None = None
    started: float = 0.0
    seconds: float = 0.0
    status: str = "waiting"
    extra: dict = field(default_factory=dict)


def sh(cmd: list[str], log_path: Path, timeout: float | None = None) -> bool:
    """Runs one step with its output appended to `log_path`; False when it fails or passes `timeout` seconds."""
    with open(log_path, "a") as f:
        f.write("$ " + " ".join(cmd) + "\n")
        f.flush()
        try:
            return subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, cwd=HERE, timeout=timeout).returncode == 0
        except subprocess.TimeoutExpired:
            f.write(f"stopped after {timeout} s\n")
            return False


def environment(run: Path) -> None:
    """The GPU and the library versions, at the top of the run's log (as the first thing a GPU call shows)."""
    path = run / "environment.log"
    if shutil.which("nvidia-smi"):
        sh(["nvidia-smi", "--query-gpu=name,memory.total", "--format=csv,noheader"], path, 30)
    sh([PY, "-c", "import torch, transformers, peft; print('torch', torch.__version__, 'transformers', "
                  "transformers.__version__, 'peft', peft.__version__, 'cuda', torch.cuda.is_available())"], path, 120)
    log(path.read_text().strip())


def base_jobs(specs: list[str], run: Path, args: argparse.Namespace) -> tuple[list[Job], dict[str, Path]]:
    jobs, paths = [], {}
    corpus = (["--train-corpus", str(MIXED_CORPUS), "--valid-pairs", str(VALID_PAIRS_CHAT), "--select-on", args.select_on]
              if args.mix_pairs else [])
    for spec in specs:
        if "=" in spec:
            name, path = spec.split("=", 1)
            paths[name] = Path(path).resolve()
            continue
        name, layers, dim, heads, kv, ffn = spec.split(":")
        out = run / f"base-{name}"
        paths[name] = out
        shape = ["--dim", dim, "--layers", layers, "--heads", heads, "--kv-heads", kv, "--ffn", ffn]
        sizes = (["--seq", "128", "--batch", "8", "--max-steps", "12", "--eval-every", "6"] if args.smoke
                 else ["--seq", "1024", "--batch", "64", "--eval-every", "50"])
        cmd = [PY, str(HERE / "pretrain.py"), "--out", str(out), *shape, *sizes, "--epochs", str(args.base_epochs),
               "--warmup", "50", "--lr", "1.5e-3", "--time-limit", str(args.base_time), *corpus]
        jobs.append(Job(f"base-{name}", cmd, run / f"base-{name}.log"))
    return jobs, paths


def adapter_jobs(specs: list[str], bases: dict[str, Path], base_job_names: set[str], run: Path,
                 args: argparse.Namespace) -> list[Job]:
    jobs = []
    for b, base in bases.items():
        for i, spec in enumerate(specs, 1):
            parts = spec.split(":")
            lr, batch = parts[0], parts[1]
            dropout = parts[2] if len(parts) > 2 else "0.05"
            seed = parts[3] if len(parts) > 3 else "0"
            examples_mix = parts[4] if len(parts) > 4 else "0"
            name = f"lora-{b}-{i}"
            limits = ["--epochs", "2", "--limit-train", "32", "--limit-valid", "4", "--eval-max-new", "8"] if args.smoke \
                else ["--eval-max-new", "96"]
            if args.adapter_time_limit:
                limits += ["--time-limit", str(args.adapter_time_limit)]
            cmd = [PY, str(HERE / "finetune.py"), "--base", str(base), "--out", str(run / name), "--lr", lr,
                   "--batch", batch, "--dropout", dropout, "--seed", seed, "--examples-mix", examples_mix,
                   "--base-quant", "q8_0", *limits]
            after = f"base-{b}" if f"base-{b}" in base_job_names else None
            jobs.append(Job(name, cmd, run / f"{name}.log", after=after,
                            extra={"base": b, "lr": float(lr), "batch": int(batch), "dropout": float(dropout),
                                   "seed": int(seed), "examples_mix": float(examples_mix)}))
    return jobs


def run_pool(jobs: list[Job], parallel: int, deadline: float) -> None:
    env = dict(os.environ, PYTHONUNBUFFERED="1", TOKENIZERS_PARALLELISM="false", OMP_NUM_THREADS="2")
    by_name = {j.name: j for j in jobs}
    while True:
        now = time.time()
        running = [j for j in jobs if j.status == "running"]
        for j in running:
            code = j.proc.poll()
            if code is not None:
                j.status, j.seconds = ("done" if code == 0 else f"failed ({code})"), round(now - j.started, 1)
                log(f"{j.name}: {j.status} after {j.seconds} s")
            elif now > deadline:
                j.proc.kill()
                j.status, j.seconds = "stopped at the deadline", round(now - j.started, 1)
                log(f"{j.name}: {j.status}")
        for j in jobs:
            if j.status == "waiting" and j.after and by_name[j.after].status not in ("waiting", "running", "done"):
                j.status = f"skipped ({j.after} {by_name[j.after].status})"
        running = [j for j in jobs if j.status == "running"]
        ready = [j for j in jobs if j.status == "waiting" and (not j.after or by_name[j.after].status == "done")]
        if now > deadline:
            for j in ready:
                j.status = "not started (deadline)"
            ready = []
        for j in ready[:max(0, parallel - len(running))]:
            j.log_path.parent.mkdir(parents=True, exist_ok=True)
            j.proc = subprocess.Popen(j.cmd, stdout=open(j.log_path, "w"), stderr=subprocess.STDOUT, env=env, cwd=HERE)
            j.status, j.started = "running", time.time()
            log(f"{j.name}: started ({' '.join(j.cmd[2:])})")
        if not any(j.status in ("running", "waiting") for j in jobs):
            return
        time.sleep(1)


def summarize(adapters: list[Job], run: Path) -> list[dict]:
    rows = []
    for j in adapters:
        log_file = run / j.name / "finetune-log.json"
        if not log_file.exists():
            progress = run / j.name / "progress.json"
            partial = json.loads(progress.read_text())["history"] if progress.exists() else []
            rows.append({"name": j.name, **j.extra, "status": j.status, "seconds": j.seconds,
                         "partial_by_epoch": [round(h["valid"]["all"]["rougeL"], 4) for h in partial]})
            continue
        flog = json.loads(log_file.read_text())
        best = next(h for h in flog["history"] if h["epoch"] == flog["best_epoch"])
        rows.append({"name": j.name, **j.extra, "status": j.status, "seconds": j.seconds, "best_epoch": flog["best_epoch"],
                     "valid_rougeL": round(flog["best_valid_rougeL"], 4),
                     "valid_rougeL_iu": round(best["valid"].get("iu", {}).get("rougeL", 0.0), 4),
                     "valid_rougeL_mtsamples": round(best["valid"].get("mtsamples", {}).get("rougeL", 0.0), 4),
                     "by_epoch": [round(h["valid"]["all"]["rougeL"], 4) for h in flog["history"]]})
    rows.sort(key=lambda r: -r.get("valid_rougeL", -1))
    return rows


def choose(rows: list[dict], run: Path) -> None:
    """chosen.json: the adapter with the best valid ROUGE-L (prompts without examples, the product's default)."""
    scored = [r for r in rows if "valid_rougeL" in r]
    if not scored:
        log("no adapter finished: nothing to choose")
        return
    write_json(run / "chosen.json", {"chosen": scored[0]["name"], "lr": scored[0]["lr"],
                                     "valid_rougeL": {r["name"]: r["valid_rougeL"] for r in scored}})
    log(f"chosen: {scored[0]['name']} (valid ROUGE-L {scored[0]['valid_rougeL']})")


def export_base(base: str, base_dir: Path, run: Path, kind: str, plog: Path) -> list[str]:
    """The base's GGUF files as `base-NAME.F16.gguf` / `base-NAME.Q8_0.gguf`; the Q8_0 one is checked tensor for tensor
    against the rounding its adapters were trained on."""
    gguf_dir = run / "gguf"
    wanted = {"q8_0": ["Q8_0"], "f16": ["F16"], "both": ["F16", "Q8_0"], "none": []}[kind]
    names = [f"base-{base}.{t}.gguf" for t in wanted]
    if not wanted or all((gguf_dir / n).exists() for n in names):
        return names
    flags = {"q8_0": ["--quant", "q8_0", "--skip-f16"], "f16": ["--quant", "none"], "both": ["--quant", "q8_0"]}[kind]
    if not sh([PY, str(HERE / "export.py"), "--base", str(base_dir), "--out", str(gguf_dir / f"base-{base}"), *flags], plog):
        return []
    for t, n in zip(wanted, names):
        shutil.move(str(gguf_dir / f"base-{base}" / f"radreport-base.{t}.gguf"), gguf_dir / n)
    if "Q8_0" in wanted:
        sh([PY, str(HERE / "quantized_base.py"), "check", "--base", str(base_dir), "--gguf", str(gguf_dir / f"base-{base}.Q8_0.gguf"),
            "--out", str(run / f"quant-check-{base}.json")], plog)
    return names


def export_top(rows: list[dict], bases: dict[str, Path], run: Path, args: argparse.Namespace, finish_by: float) -> list[dict]:
    exported = []
    plog = run / "export.log"
    for row in [r for r in rows if "valid_rougeL" in r][:args.top]:
        if time.time() > finish_by:
            log(f"no time left to export {row['name']} and the rest")
            break
        name, base = row["name"], row["base"]
        base_dir = bases[base]
        given = not (run / f"base-{base}").exists()  # a NAME=PATH base: its GGUF exists already (e.g. the shipped one)
        base_ggufs = [] if given else export_base(base, base_dir, run, args.base_gguf, plog)
        if args.adapter_gguf != "none" and not sh(
                [PY, str(HERE / "export.py"), "--base", str(base_dir), "--lora", str(run / name / "best"),
                 "--out", str(run / "gguf" / name), "--skip-base", "--lora-type", args.adapter_gguf], plog):
            continue
        if args.ref_limit > 0:
            sh([PY, str(HERE / "check_export.py"), "reference", "--base", str(base_dir), "--lora", str(run / name / "best"),
                "--limit", str(2 if args.smoke else args.ref_limit), "--base-quant", "q8_0",
                "--out", str(run / f"reference-{name}.json")], plog)
        exported.append({"name": name, "base": base, "base_ggufs": base_ggufs})
    return exported


def proof(run: Path, args: argparse.Namespace) -> bool:
    """The foreign-base path: a random Llama-3-8B-shaped model, LoRA (QLoRA with bitsandbytes), the adapter's GGUF."""
    scale = 10 if args.smoke else 1
    model, lora, plog = run / "proof-model", run / "proof-lora", run / "proof.log"
    log(f"proof: a random Llama-3-8B-shaped model cut to {args.proof_layers} layers")
    limits = (["--epochs", "2", "--limit-train", "32", "--limit-valid", "4", "--eval-max-new", "8"] if args.smoke
              else ["--limit-train", str(args.proof_train), "--limit-valid", "16", "--eval-max-new", "16", "--time-limit", "120"])
    ok = (sh([PY, str(HERE / "proof_llama3_shape.py"), "--out", str(model), "--layers", str(args.proof_layers)]
             + (["--tiny"] if args.smoke else []), plog, 60 * scale)
          and sh([PY, str(HERE / "finetune.py"), "--base", str(model), "--out", str(lora), "--batch", "8", "--lr", "2e-4", *limits],
                 plog, 180 * scale)
          and sh([PY, str(HERE / "export.py"), "--base", str(model), "--lora", str(lora / "best"), "--skip-base",
                  "--lora-type", "f16", "--out", str(run / "proof-gguf")], plog, 120 * scale))
    log(f"proof: {'done' if ok else 'failed (see proof.log)'}")
    return ok


def send(path: Path, out: Path, part_mb: int = 15) -> None:
    """Puts a file into $OUT; one over `part_mb` MB (the device tool returns files of at most 16 MiB) goes in parts
    `NAME.part-aa`, `-ab`, ... with its sha256 beside them (join with `cat NAME.part-* > NAME`)."""
    for old in [out / path.name, out / f"{path.name}.sha256", *out.glob(f"{path.name}.part-*")]:
        old.unlink(missing_ok=True)
    if path.stat().st_size <= part_mb * 1_000_000:
        shutil.copy(path, out / path.name)
        return
    subprocess.run(["split", "-b", f"{part_mb}m", str(path), str(out / f"{path.name}.part-")], check=True)
    (out / f"{path.name}.sha256").write_text(subprocess.run(["sha256sum", str(path)], capture_output=True, text=True).stdout)


def package(run: Path, out: Path, exported: list[dict], args: argparse.Namespace) -> None:
    res = run / "results"
    shutil.rmtree(res, ignore_errors=True)
    res.mkdir(parents=True)
    for f in list(run.glob("*.log")) + list(run.glob("*.json")):
        shutil.copy(f, res / f.name)
    if (DATA / "mix-summary.json").exists() and getattr(args, "mix_pairs", 0):
        shutil.copy(DATA / "mix-summary.json", res / "mix-summary.json")
    for d in run.glob("base-*/"):
        if (d / "train-log.json").exists():
            shutil.copy(d / "train-log.json", res / f"{d.name}-train-log.json")
            shutil.copy(d / "config.json", res / f"{d.name}-config.json")
    with_adapters = getattr(args, "with_adapters", False)
    for d in run.glob("lora-*/"):
        if (d / "finetune-log.json").exists():
            (res / d.name).mkdir(exist_ok=True)
            shutil.copy(d / "finetune-log.json", res / d.name / "finetune-log.json")
            best = d / "best"
            for f in ("valid-predictions.json", "adapter_config.json") + (("adapter_model.safetensors",) if with_adapters else ()):
                if (best / f).exists():
                    shutil.copy(best / f, res / d.name / f)
    for e in exported:
        for g in (run / "gguf" / e["name"]).glob("*.gguf"):
            shutil.copy(g, res / e["name"] / g.name)
    if (run / "proof-lora" / "finetune-log.json").exists():
        shutil.copy(run / "proof-lora" / "finetune-log.json", res / "proof-finetune-log.json")
    if (run / "proof-gguf").exists():
        (res / "proof-gguf-sizes.txt").write_text("".join(f"{g.name} {g.stat().st_size}\n" for g in (run / "proof-gguf").glob("*.gguf")))
    out.mkdir(parents=True, exist_ok=True)
    archive = run / "results.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(res, arcname="results")
    send(archive, out)
    used = archive.stat().st_size / 1e6
    sent = []
    for e in exported:
        for name in e["base_ggufs"]:
            g = run / "gguf" / name
            size = g.stat().st_size / 1e6
            if name in sent or used + size > args.out_budget:
                continue
            send(g, out)
            sent.append(name)
            used += size
    if getattr(args, "with_bases", False):
        for d in run.glob("base-*/"):
            if (d / "config.json").exists():
                archive = run / f"{d.name}.tar"
                with tarfile.open(archive, "w") as tar:
                    tar.add(d, arcname=d.name)
                send(archive, out)
                sent.append(archive.name)
    log(f"packaged {used:.1f} MB of results and base GGUFs: results.tgz and {sent}")


def fresh(run: Path) -> None:
    if run.exists():
        shutil.rmtree(run)
    run.mkdir(parents=True)


def round_stage(args: argparse.Namespace) -> None:
    out = Path(os.environ.get("OUT", args.run / "out"))
    t0 = time.time()
    fresh(args.run)
    environment(args.run)
    exported: list[dict] = []
    try:
        if args.mix_pairs:
            log(f"mixed corpus: {args.mix_pairs} copies of the train pairs")
            if not sh([PY, str(HERE / "mix_pairs.py"), "--copies", str(args.mix_pairs)], args.run / "mix-pairs.log",
                      600 if args.smoke else 60):
                raise SystemExit("mix_pairs.py failed (see mix-pairs.log)")
        bjobs, bases = base_jobs(args.base, args.run, args)
        ajobs = adapter_jobs(args.adapter, bases, {j.name for j in bjobs}, args.run, args)
        jobs = bjobs + ajobs
        run_pool(jobs, args.parallel, t0 + args.deadline)
        rows = summarize(ajobs, args.run)
        write_json(args.run / "sweep-summary.json", {"jobs": [{"name": j.name, "status": j.status, "seconds": j.seconds} for j in jobs],
                                                     "adapters": rows})
        for r in rows:
            log(json.dumps(r))
        choose(rows, args.run)
        package(args.run, out, exported, args)
        exported = export_top(rows, bases, args.run, args, t0 + args.finish_by)
        write_json(args.run / "exported.json", exported)
        if args.proof:
            package(args.run, out, exported, args)
            if time.time() > t0 + args.finish_by:
                log("no time left for the proof")
            else:
                proof(args.run, args)
    finally:
        package(args.run, out, exported, args)
        log(f"round done after {time.time() - t0:.0f} s")


def proof_stage(args: argparse.Namespace) -> None:
    out = Path(os.environ.get("OUT", args.run / "out"))
    t0 = time.time()
    fresh(args.run)
    environment(args.run)
    ok = False
    try:
        ok = proof(args.run, args)
    finally:
        package(args.run, out, [], args)
        log(f"proof done after {time.time() - t0:.0f} s")
    if not ok:
        raise SystemExit(1)


def main() -> None:
    ap = argparse.ArgumentParser(description="The GPU driver of the training recipe (see the top of this file).")
    stages = ap.add_subparsers(dest="stage", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--smoke", action="store_true", help="toy sizes, for a CPU test of the whole stage")
    common.add_argument("--out-budget", type=float, default=60, help="MB of $OUT")
    common.add_argument("--proof-layers", type=int, default=2, help="layers of the Llama-3-8B-shaped proof model")
    common.add_argument("--proof-train", type=int, default=256, help="training pairs of the proof adapter")

    r = stages.add_parser("round", parents=[common], help="bases, a grid of adapters, the best exported and checked")
    r.add_argument("--run", type=Path, default=HERE / "runs" / "round")
    r.add_argument("--base", action="append", default=[], help="NAME:LAYERS:DIM:HEADS:KV_HEADS:FFN or NAME=HF_FOLDER")
    r.add_argument("--adapter", action="append", default=[], help="LR:BATCH[:DROPOUT[:SEED[:EXAMPLES_MIX]]]")
    r.add_argument("--mix-pairs", type=int, default=0, metavar="COPIES",
                   help="pretrain on the corpus plus COPIES copies of the train pairs in ChatML (mix_pairs.py)")
    r.add_argument("--select-on", choices=("pairs", "lm"), default="pairs",
                   help="with --mix-pairs: the validation loss that chooses the base's weights")
    r.add_argument("--parallel", type=int, default=6)
    r.add_argument("--deadline", type=float, default=400, help="seconds from the start for all training")
    r.add_argument("--base-time", type=float, default=150, help="time limit of each base pretraining (s)")
    r.add_argument("--base-epochs", type=float, default=6, help="epochs of the corpus for each pretrained base")
    r.add_argument("--adapter-time-limit", type=float, default=0,
                   help="seconds; an adapter stops after the epoch that passes it (0: only the deadline)")
    r.add_argument("--top", type=int, default=3, help="adapters exported and checked, best valid ROUGE-L first")
    r.add_argument("--base-gguf", choices=("q8_0", "f16", "both", "none"), default="q8_0",
                   help="GGUF files of each pretrained base of an exported adapter")
    r.add_argument("--adapter-gguf", choices=("f32", "f16", "none"), default="f32", help="type of the adapters' GGUF")
    r.add_argument("--finish-by", type=float, default=540,
                   help="seconds from the start after which no further export starts (leave time to package)")
    r.add_argument("--ref-limit", type=int, default=20, help="valid prompts of each PyTorch reference (0: none)")
    r.add_argument("--with-adapters", action="store_true", help="also put every chosen epoch's adapter weights (Hugging Face) in results.tgz")
    r.add_argument("--with-bases", action="store_true", help="also put each pretrained base's Hugging Face folder into $OUT")
    r.add_argument("--proof", action="store_true", help="run the proof stage at the end, when time is left")
    r.set_defaults(handler=round_stage)

    p = stages.add_parser("proof", parents=[common], help="the foreign-base path on a Llama-3-8B-shaped random model")
    p.add_argument("--run", type=Path, default=HERE / "runs" / "proof")
    p.set_defaults(handler=proof_stage)

    args = ap.parse_args()
    args.run = args.run.resolve()
    args.handler(args)


if __name__ == "__main__":
    main()
