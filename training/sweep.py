"""One improvement round of the embedded model in one GPU command: several bases and a grid of rank-16 adapters,
trained side by side on one GPU inside a deadline, then the best adapters exported and checked.

    OUT=$OUT python3 training/sweep.py --run training/runs/round --deadline 400 \
        --base L8:8:384:6:2:1152 --base L12:12:384:6:2:1152 \
        --adapter 4e-3:32 --adapter 3e-3:16 --adapter 2e-3:8

`--base NAME:LAYERS:DIM:HEADS:KV_HEADS:FFN` pretrains a base (pretrain.py, 6 epochs of the corpus, the weights at the
lowest validation loss). `--base NAME=PATH` uses an existing Hugging Face folder instead (for example one made from the
shipped GGUF by `quantizedBase.py to-hf`); its GGUF is not exported again. Every `--adapter LR:BATCH[:DROPOUT[:SEED]]` is trained on every base (finetune.py:
rank 16, five epochs, the base rounded as Q8_0 as it ships, the epoch chosen on valid ROUGE-L). At most `--parallel`
jobs run at once; an adapter starts as soon as its base is ready. Each job is stopped at the deadline.

Then, for the `--top` adapters with the best valid ROUGE-L (all 348 `valid` pairs, as finetune.py chooses epochs):
the base's Q8_0 GGUF (checked tensor for tensor against the rounding the adapter was trained on), the adapter's GGUF,
and the PyTorch greedy reference outputs for the export check. Into $OUT: `results.tgz` (logs, every adapter's
valid predictions, the references, the adapter GGUFs) and the base GGUFs, as many as fit `--out-budget` MB, best
first; a file over 15 MB goes in parts (`cat NAME.part-* > NAME`). No export starts after `--finish-by` seconds.
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


def base_jobs(specs: list[str], run: Path, smoke: bool, base_time: float) -> tuple[list[Job], dict[str, Path]]:
    jobs, paths = [], {}
    for spec in specs:
        if "=" in spec:
            name, path = spec.split("=", 1)
            paths[name] = Path(path).resolve()
            continue
        name, layers, dim, heads, kv, ffn = spec.split(":")
        out = run / f"base-{name}"
        paths[name] = out
        shape = ["--dim", dim, "--layers", layers, "--heads", heads, "--kv-heads", kv, "--ffn", ffn]
        sizes = (["--seq", "128", "--batch", "8", "--max-steps", "12", "--eval-every", "6"] if smoke
                 else ["--seq", "1024", "--batch", "64", "--eval-every", "50"])
        cmd = [PY, str(HERE / "pretrain.py"), "--out", str(out), *shape, *sizes, "--epochs", "6", "--warmup", "50",
               "--lr", "1.5e-3", "--time-limit", str(base_time)]
        jobs.append(Job(f"base-{name}", cmd, run / f"base-{name}.log"))
    return jobs, paths


def adapter_jobs(specs: list[str], bases: dict[str, Path], base_job_names: set[str], run: Path, smoke: bool) -> list[Job]:
    jobs = []
    for b, base in bases.items():
        for i, spec in enumerate(specs, 1):
            parts = spec.split(":")
            lr, batch = parts[0], parts[1]
            dropout = parts[2] if len(parts) > 2 else "0.05"
            seed = parts[3] if len(parts) > 3 else "0"
            name = f"lora-{b}-{i}"
            limits = ["--epochs", "2", "--limit-train", "32", "--limit-valid", "4", "--eval-max-new", "8"] if smoke \
                else ["--eval-max-new", "96"]
            cmd = [PY, str(HERE / "finetune.py"), "--base", str(base), "--out", str(run / name), "--lr", lr,
                   "--batch", batch, "--dropout", dropout, "--seed", seed, "--base-quant", "q8_0", *limits]
            after = f"base-{b}" if f"base-{b}" in base_job_names else None
            jobs.append(Job(name, cmd, run / f"{name}.log", after=after,
                            extra={"base": b, "lr": float(lr), "batch": int(batch), "dropout": float(dropout), "seed": int(seed)}))
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


def sh(cmd: list[str], log_path: Path) -> bool:
    with open(log_path, "a") as f:
        f.write("$ " + " ".join(cmd) + "\n")
        f.flush()
        return subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, cwd=HERE).returncode == 0


def export_top(rows: list[dict], bases: dict[str, Path], run: Path, top: int, ref_limit: int, smoke: bool,
               finish_by: float) -> list[dict]:
    exported = []
    gguf_dir = run / "gguf"
    for row in [r for r in rows if "valid_rougeL" in r][:top]:
        if time.time() > finish_by:
            log(f"no time left to export {row['name']} and the rest")
            break
        name, base = row["name"], row["base"]
        base_dir = bases[base]
        out = gguf_dir / name
        plog = run / "export.log"
        base_gguf = gguf_dir / f"base-{base}.Q8_0.gguf"
        given = not (run / f"base-{base}").exists()  # a NAME=PATH base: its GGUF exists already (e.g. the shipped one)
        if not given and not base_gguf.exists():
            if not sh([PY, str(HERE / "export.py"), "--base", str(base_dir), "--out", str(gguf_dir / f"base-{base}"),
                       "--quant", "q8_0", "--skip-f16"], plog):
                continue
            shutil.move(str(gguf_dir / f"base-{base}" / "radreport-base.Q8_0.gguf"), base_gguf)
            sh([PY, str(HERE / "quantizedBase.py"), "check", "--base", str(base_dir), "--gguf", str(base_gguf),
                "--out", str(run / f"quant-check-{base}.json")], plog)
        if not sh([PY, str(HERE / "export.py"), "--base", str(base_dir), "--lora", str(run / name / "best"),
                   "--out", str(out), "--skip-base"], plog):
            continue
        sh([PY, str(HERE / "checkExport.py"), "reference", "--base", str(base_dir), "--lora", str(run / name / "best"),
            "--limit", str(2 if smoke else ref_limit), "--base-quant", "q8_0", "--out", str(run / f"reference-{name}.json")], plog)
        exported.append({"name": name, "base": base, "base_gguf": None if given else base_gguf.name})
    return exported


def send(path: Path, out: Path, part_mb: int = 15) -> None:
    """Puts a file into $OUT; one over `part_mb` MB (the device tool returns files of at most 16 MiB) goes in parts
    `NAME.part-aa`, `-ab`, ... with its sha256 beside them (join with `cat NAME.part-* > NAME`)."""
    if path.stat().st_size <= part_mb * 1_000_000:
        shutil.copy(path, out / path.name)
        return
    subprocess.run(["split", "-b", f"{part_mb}m", str(path), str(out / f"{path.name}.part-")], check=True)
    (out / f"{path.name}.sha256").write_text(subprocess.run(["sha256sum", str(path)], capture_output=True, text=True).stdout)


def package(run: Path, out: Path, exported: list[dict], budget_mb: float, with_adapters: bool) -> None:
    res = run / "results"
    shutil.rmtree(res, ignore_errors=True)
    res.mkdir(parents=True)
    for f in list(run.glob("*.log")) + list(run.glob("*.json")):
        shutil.copy(f, res / f.name)
    for d in run.glob("base-*/"):
        if (d / "train-log.json").exists():
            shutil.copy(d / "train-log.json", res / f"{d.name}-train-log.json")
            shutil.copy(d / "config.json", res / f"{d.name}-config.json")
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
    out.mkdir(parents=True, exist_ok=True)
    archive = run / "results.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(res, arcname="results")
    send(archive, out)
    used = archive.stat().st_size / 1e6
    sent = []
    for e in exported:
        if not e["base_gguf"]:
            continue
        g = run / "gguf" / e["base_gguf"]
        size = g.stat().st_size / 1e6
        if e["base_gguf"] in sent or used + size > budget_mb:
            continue
        send(g, out)
        sent.append(e["base_gguf"])
        used += size
    log(f"packaged {used:.1f} MB: results.tgz and {sent}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", type=Path, default=HERE / "runs" / "round")
    ap.add_argument("--base", action="append", default=[], help="NAME:LAYERS:DIM:HEADS:KV_HEADS:FFN or NAME=HF_FOLDER")
    ap.add_argument("--adapter", action="append", default=[], help="LR:BATCH[:DROPOUT[:SEED]]")
    ap.add_argument("--parallel", type=int, default=6)
    ap.add_argument("--deadline", type=float, default=400, help="seconds from the start for all training")
    ap.add_argument("--base-time", type=float, default=150, help="time limit of each base pretraining (s)")
    ap.add_argument("--top", type=int, default=3)
    ap.add_argument("--finish-by", type=float, default=540,
                    help="seconds from the start after which no further export starts (leave time to package)")
    ap.add_argument("--ref-limit", type=int, default=20)
    ap.add_argument("--out-budget", type=float, default=60, help="MB of $OUT")
    ap.add_argument("--with-adapters", action="store_true", help="also put every chosen epoch's adapter weights (Hugging Face) in results.tgz")
    ap.add_argument("--smoke", action="store_true", help="toy sizes, for a CPU test of the whole round")
    args = ap.parse_args()
    out = Path(os.environ.get("OUT", args.run / "out"))
    t0 = time.time()
    if args.run.exists():
        shutil.rmtree(args.run)
    args.run.mkdir(parents=True)
    bjobs, bases = base_jobs(args.base, args.run, args.smoke, args.base_time)
    ajobs = adapter_jobs(args.adapter, bases, {j.name for j in bjobs}, args.run, args.smoke)
    jobs = bjobs + ajobs
    rows, exported = [], []
    try:
        run_pool(jobs, args.parallel, t0 + args.deadline)
        rows = summarize(ajobs, args.run)
        write_json(args.run / "sweep-summary.json", {"jobs": [{"name": j.name, "status": j.status, "seconds": j.seconds} for j in jobs],
                                                     "adapters": rows})
        for r in rows:
            log(json.dumps(r))
        exported = export_top(rows, bases, args.run, args.top, args.ref_limit, args.smoke, t0 + args.finish_by)
        write_json(args.run / "exported.json", exported)
    finally:
        package(args.run, out, exported, args.out_budget, args.with_adapters)
        log(f"round done after {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
