"""Step 4 (CPU or GPU, seconds): export the base and the adapter to GGUF with llama.cpp's own converters.

    python3 training/export.py --base training/runs/base --lora training/runs/lora/best --out training/runs/gguf \
        [--llama-cpp training/vendor] [--quant q8_0] [--name radreport]

The converters come from the llama.cpp source that node-llama-cpp bundles (the version the product runs):
    git clone node_modules/node-llama-cpp/llama/gitRelease.bundle /tmp/llama.cpp
    mkdir -p training/vendor && cp -r /tmp/llama.cpp/{convert_hf_to_gguf.py,convert_lora_to_gguf.py,conversion,gguf-py,LICENSE} training/vendor/
Writes `<name>-base.F16.gguf`, `<name>-base.<QUANT>.gguf` and `<name>-conclusion-lora.gguf`.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from common import HERE, log


def run(cmd: list[str]) -> None:
    log(" ".join(cmd))
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise SystemExit(f"converter failed: {cmd[1]}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", type=Path, required=True)
    ap.add_argument("--lora", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--llama-cpp", type=Path, default=HERE / "vendor")
    ap.add_argument("--quant", default="q8_0", help="outtype of the quantized base written by convert_hf_to_gguf.py; 'none': F16 only")
    ap.add_argument("--lora-type", default="f32")
    ap.add_argument("--name", default="radreport")
    ap.add_argument("--skip-base", action="store_true")
    ap.add_argument("--skip-f16", action="store_true", help="write the quantized base only")
    args = ap.parse_args()

    args.out.mkdir(parents=True, exist_ok=True)
    py = sys.executable
    if not args.skip_base:
        quantized = () if args.quant.lower() in ("none", "f16") else (args.quant,)
        for outtype in (() if args.skip_f16 and quantized else ("f16",)) + quantized:
            target = args.out / f"{args.name}-base.{outtype.upper()}.gguf"
            run([py, str(args.llama_cpp / "convert_hf_to_gguf.py"), str(args.base), "--outtype", outtype,
                 "--outfile", str(target), "--model-name", f"{args.name}-base"])
    if args.lora:
        target = args.out / f"{args.name}-conclusion-lora.gguf"
        run([py, str(args.llama_cpp / "convert_lora_to_gguf.py"), str(args.lora), "--base", str(args.base),
             "--outtype", args.lora_type, "--outfile", str(target)])
    for f in sorted(args.out.glob("*.gguf")):
        log(f"{f.name}: {f.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
