#!/usr/bin/env python3
"""Stage records of the GPU recipe (scripts/gpu/run.sh) and the one JSON they add up to.

    collect.py stage DIR NAME STATUS SECONDS [--json FILE] [--text FILE] [--note TEXT]
        writes DIR/NN-NAME.json: the stage's status, seconds, the JSON it produced and the tail of its output
    collect.py merge DIR OUT.json
        writes OUT.json: every stage in order and a summary of the figures the recipe is for

Python's standard library only: it runs before Node is unpacked, and again after any stage, so that the JSON exists
whatever fails later.
"""
import json
import os
import sys
import time


def read_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as error:
        return {"unreadable": f"{path}: {error}"}


def tail(path, lines=40):
    try:
        with open(path, errors="replace") as f:
            return f.read().splitlines()[-lines:]
    except OSError:
        return []


def stage(args):
    directory, name, status, seconds = args[:4]
    rest = args[4:]
    record = {"name": name, "status": status, "seconds": round(float(seconds), 1), "finishedAt": time.strftime("%H:%M:%S")}
    while rest:
        flag, value, rest = rest[0], rest[1], rest[2:]
        if flag == "--json" and os.path.exists(value):
            record["result"] = read_json(value)
        elif flag == "--text":
            record["outputTail"] = tail(value)
        elif flag == "--note":
            record["note"] = value
    os.makedirs(directory, exist_ok=True)
    number = len([f for f in os.listdir(directory) if f.endswith(".json")])
    with open(os.path.join(directory, f"{number:02d}-{name}.json"), "w") as f:
        json.dump(record, f, indent=1)


def pick(record, *keys):
    value = record
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def summarize(stages):
    by_name = {s["name"]: s for s in stages}
    summary = {}
    system = pick(by_name, "system", "result") or {}
    summary["gpu"] = system.get("gpu")
    build = pick(by_name, "build", "result") or {}
    summary["compileSeconds"] = build.get("buildSeconds")
    summary["configureSeconds"] = build.get("configureSeconds")
    backend = pick(by_name, "backend", "result") or {}
    summary["backend"] = {k: backend.get(k) for k in ("buildType", "gpu", "gpuNames", "autoPicks")}

    llama_bench = {}
    for name, record in by_name.items():
        bench = record.get("result") if name.startswith("llama-bench") else None
        if not isinstance(bench, list):
            continue
        for row in bench:
            model = os.path.basename(row.get("model_filename", "?"))
            test = f"pp{row['n_prompt']}" if row.get("n_gen") == 0 else f"tg{row.get('n_gen')}"
            # A variant stage (llama-bench-q4km-t1: one thread) is keyed apart from the model's main figures.
            key = model if name.count("-") <= 2 else f"{model} [{name}]"
            llama_bench.setdefault(key, {})[test] = round(row.get("avg_ts", 0), 1)
    summary["llamaBench"] = llama_bench

    product = {}
    for name, record in by_name.items():
        if not name.startswith("product-speed-"):
            continue
        result = record.get("result") or {}
        model = os.path.basename(result.get("model") or name)
        entry = {
            "device": result.get("device"),
            "statusBar": result.get("statusBar"),
            "loadMs": result.get("loadMs"),
            "promptTokensPerSecond": pick(result, "prompt", "tokensPerSecond"),
            "promptTokensPerSecondLessOneDecodeStep": pick(result, "prompt", "tokensPerSecondLessOneDecodeStep"),
            "promptTokens": pick(result, "prompt", "tokens"),
            "generationTokensPerSecond": pick(result, "generation", "tokensPerSecond"),
            "conclusion400plus60Ms": pick(result, "conclusion", "medianMs"),
            "gpuMemoryUsedMiB": {
                "beforeLoad": pick(result, "gpuMemory", "before", "usedMiB"),
                "loaded": pick(result, "gpuMemory", "loaded", "usedMiB"),
                "afterRuns": pick(result, "gpuMemory", "after", "usedMiB"),
            },
        }
        tg = (llama_bench.get(model) or {}).get("tg128")
        if tg and entry["generationTokensPerSecond"]:
            entry["generationRatioToLlamaBench"] = round(entry["generationTokensPerSecond"] / tg, 3)
        pp = (llama_bench.get(model) or {}).get("pp512")
        if pp and entry["promptTokensPerSecond"]:
            entry["promptRatioToLlamaBench"] = round(entry["promptTokensPerSecond"] / pp, 3)
        variant = name.count("-") > 2  # product-speed-q4km-threads: another setting on the same model
        product[f"{model} [{name}]" if variant else model] = entry
    summary["product"] = product

    breakdown = {}
    for name, record in by_name.items():
        result = record.get("result") if name.startswith("breakdown-") else None
        if not isinstance(result, dict) or "results" not in result:
            continue
        tg = (llama_bench.get(os.path.basename(result.get("model", ""))) or {}).get("tg128")
        rows = []
        for row in result["results"]:
            rates = row.get("tokensPerSecond") or {}
            rows.append({
                "threads": row.get("threads"),
                "msPerToken": {k: round(v, 3) for k, v in (row.get("msPerToken") or {}).items()},
                "ratioToLlamaBench": {k: round(v / tg, 3) for k, v in rates.items()} if tg else None,
            })
        breakdown[os.path.basename(result.get("model", name))] = {"device": result.get("device"), "llamaBenchTg128": tg, "rows": rows}
    if breakdown:
        summary["breakdown"] = breakdown

    for name, record in by_name.items():
        load = record.get("result") if name.startswith("load-") else None
        if isinstance(load, dict):
            summary.setdefault("load", {})[name] = load.get("levels", load)

    lookup = pick(by_name, "lookup", "result") or {}
    if lookup:
        summary["lookup"] = {
            "device": lookup.get("device"),
            "cases": lookup.get("cases"),
            "identical": lookup.get("identical"),
            "plainDecodeTokensPerSecond": pick(lookup, "plain", "decodeTokensPerSecond"),
            "lookupDecodeTokensPerSecond": pick(lookup, "lookup", "decodeTokensPerSecond"),
            "decodeSpeedup": lookup.get("decodeSpeedup"),
            "caseSpeedup": lookup.get("caseSpeedup"),
            "acceptedShare": lookup.get("acceptedShare"),
        }
    evaluation = by_name.get("eval") or {}
    summary["eval"] = {
        "status": evaluation.get("status"),
        "seconds": evaluation.get("seconds"),
        "output": [line for line in evaluation.get("outputTail", []) if "Model ready" in line or "cases:" in line or "ROUGE" in line.upper()],
    }
    summary["failedStages"] = [s["name"] for s in stages if s.get("status") not in ("ok", "skipped")]
    return summary


def merge(args):
    directory, out = args[:2]
    stages = []
    if os.path.isdir(directory):
        for name in sorted(os.listdir(directory)):
            if name.endswith(".json"):
                stages.append(read_json(os.path.join(directory, name)))
    document = {"summary": summarize(stages), "stages": stages}
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(document, f, indent=1)
    os.replace(tmp, out)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "stage":
        stage(sys.argv[2:])
    elif command == "merge":
        merge(sys.argv[2:])
    else:
        sys.exit(__doc__)
