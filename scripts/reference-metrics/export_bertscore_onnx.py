"""Export a local Hugging Face encoder (BERT, RoBERTa, DeBERTa, ...) to the folder layout that
`createBertScorer({ modelDir })` reads, so that BERTScore runs offline in Node with onnxruntime-node.

The folder it writes:
  model.onnx        inputs  input_ids, attention_mask (int64, [batch, tokens])
                    outputs hidden_state_0 ... hidden_state_N (float32, [batch, tokens, hidden]);
                    hidden_state_0 is the embedding output and hidden_state_L the output of layer L,
                    i.e. `model(..., output_hidden_states=True).hidden_states[L]`, the layer that
                    bert-score's `num_layers=L` and torchmetrics' `num_layers=L` use.
                    With --layers only those outputs are kept (a smaller, faster graph).
  config.json       the model's configuration (model_type, num_hidden_layers, ...)
  tokenizer.json    the fast tokenizer (with tokenizer_config.json and special_tokens_map.json)

Example, for the paper's default model (bert-score: roberta-large, layer 17), from a local copy:
  python scripts/reference-metrics/export_bertscore_onnx.py --model /models/roberta-large \
      --out ~/.radreport/bertscore/roberta-large --layers 17

Needs torch, transformers and onnx (any recent version); nothing is downloaded: --model must be a folder.
"""
import argparse
import json
import os
import shutil

import torch
from transformers import AutoModel, AutoTokenizer


class _HiddenStates(torch.nn.Module):
    def __init__(self, model, layers):
        super().__init__()
        self.model = model
        self.layers = layers

    def forward(self, input_ids, attention_mask):
        out = self.model(input_ids=input_ids, attention_mask=attention_mask, output_hidden_states=True)
        return tuple(out.hidden_states[i] for i in self.layers)


def check_export(wrapper, tokenizer, onnx_path, names):
    """Run PyTorch and the ONNX export on a padded batch of texts of different lengths; compare the real tokens."""
    try:
        import onnxruntime
    except ImportError:
        print("onnxruntime is not installed: the export was not checked against PyTorch")
        return
    texts = ["Heart size normal. Lungs are clear, no effusion or pneumothorax.", "no acute disease", "x"]
    batch = tokenizer(texts, padding=True, return_tensors="pt")
    with torch.no_grad():
        expected = wrapper(batch["input_ids"], batch["attention_mask"])
    session = onnxruntime.InferenceSession(onnx_path, providers=["CPUExecutionProvider"])
    got = session.run(names, {"input_ids": batch["input_ids"].numpy(), "attention_mask": batch["attention_mask"].numpy()})
    mask = batch["attention_mask"].numpy()[..., None].astype(bool)
    worst = max(float(abs((e.numpy() - g) * mask).max()) for e, g in zip(expected, got))
    print(f"ONNX export vs PyTorch on a padded batch: max |difference| {worst:.2e}")
    if worst > 1e-3:
        raise SystemExit("the ONNX export does not reproduce the PyTorch model")


def export_onnx(model_dir, out_dir, layers=None, opset=17):
    if not os.path.isdir(model_dir):
        raise SystemExit(f"{model_dir} is not a folder: give a local Hugging Face model folder")
    os.makedirs(out_dir, exist_ok=True)
    tokenizer = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
    if not getattr(tokenizer, "is_fast", False):
        raise SystemExit("this model has no fast tokenizer (tokenizer.json); the Node side needs one")
    model = AutoModel.from_pretrained(model_dir, local_files_only=True).eval()
    n_layers = model.config.num_hidden_layers
    layers = list(range(n_layers + 1)) if not layers else sorted(set(layers))
    for layer in layers:
        if layer < 0 or layer > n_layers:
            raise SystemExit(f"layer {layer} is out of range: this model has layers 0..{n_layers}")
    wrapper = _HiddenStates(model, layers).eval()
    tokenizer.save_pretrained(out_dir)  # before the calls below, which switch padding on in the saved tokenizer
    sample = tokenizer(["no acute cardiopulmonary abnormality", "normal chest"], padding=True, return_tensors="pt")
    names = [f"hidden_state_{i}" for i in layers]
    dynamic = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}}
    dynamic.update({name: {0: "batch", 1: "tokens"} for name in names})
    torch.onnx.export(
        wrapper, (sample["input_ids"], sample["attention_mask"]), os.path.join(out_dir, "model.onnx"),
        input_names=["input_ids", "attention_mask"], output_names=names, dynamic_axes=dynamic,
        opset_version=opset, dynamo=False)
    check_export(wrapper, tokenizer, os.path.join(out_dir, "model.onnx"), names)
    model.config.to_json_file(os.path.join(out_dir, "config.json"))
    for extra in ("vocab.txt", "merges.txt", "vocab.json"):
        path = os.path.join(out_dir, extra)
        if os.path.exists(path):
            os.remove(path)  # tokenizer.json carries the vocabulary; keep the folder small
    with open(os.path.join(out_dir, "bertscore-export.json"), "w") as f:
        json.dump({"layers": layers, "num_hidden_layers": n_layers, "model_type": model.config.model_type,
                   "torch": torch.__version__, "opset": opset}, f, indent=2)
        f.write("\n")
    return out_dir


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="local Hugging Face model folder")
    ap.add_argument("--out", required=True, help="output folder")
    ap.add_argument("--layers", type=int, nargs="*", help="hidden states to export (default: all)")
    args = ap.parse_args()
    export_onnx(args.model, args.out, args.layers)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
