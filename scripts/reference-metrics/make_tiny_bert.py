"""Make the tiny, seeded, randomly initialised BERT (and RoBERTa) that the BERTScore fixture tests use.

It is not a trained language model: its weights are random (torch.manual_seed(SEED)), only its
WordPiece vocabulary is learned (from the findings and impressions of the IU `train` split), so that
tokenization behaves like a real BERT tokenizer on radiology text (sub-words, [UNK], lowercasing,
accent stripping). The folder it writes has the layout that `createBertScorer({ modelDir })` reads:
config.json, tokenizer.json (+ the usual tokenizer files) and model.onnx with every hidden state as
an output (`hidden_state_0` = embeddings ... `hidden_state_N` = last layer).

Run (from the repository root):
  /work/venvs/metrics/bin/python scripts/reference-metrics/make_tiny_bert.py \
      --data ../shared/data --out server/eval/fixtures/tiny-bert --hf-out /tmp/tiny-bert-hf
  /work/venvs/metrics/bin/python scripts/reference-metrics/make_tiny_bert.py --kind roberta \
      --data ../shared/data --out server/eval/fixtures/tiny-roberta --hf-out /tmp/tiny-roberta-hf
"""
import argparse
import json
import os
import sys

import torch
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers, decoders
from transformers import BertConfig, BertModel, PreTrainedTokenizerFast, RobertaConfig, RobertaModel, RobertaTokenizerFast

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_bertscore_onnx import export_onnx  # noqa: E402

SEED = 20240617
VOCAB_SIZE = 2000


def train_texts(data_dir):
    with open(os.path.join(data_dir, "iu-xray", "pairs.jsonl"), encoding="utf-8") as f:
        for line in f:
            pair = json.loads(line)
            if pair["split"] == "train":
                yield pair["findings"]
                yield pair["impression"]


def make_tokenizer(data_dir):
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True, strip_accents=None, lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    trainer = trainers.WordPieceTrainer(
        vocab_size=VOCAB_SIZE, min_frequency=2,
        special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
    tok.train_from_iterator(list(train_texts(data_dir)), trainer=trainer)
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    tok.decoder = decoders.WordPiece(prefix="##")
    return PreTrainedTokenizerFast(
        tokenizer_object=tok, unk_token="[UNK]", sep_token="[SEP]", pad_token="[PAD]",
        cls_token="[CLS]", mask_token="[MASK]", model_max_length=512, do_lower_case=True)


def make_roberta_tokenizer(data_dir):
    """A byte-level BPE tokenizer laid out like roberta-large's (<s> </s>, add_prefix_space false)."""
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    trainer = trainers.BpeTrainer(vocab_size=VOCAB_SIZE, min_frequency=2, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                                  special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"])
    tok.train_from_iterator(list(train_texts(data_dir)), trainer=trainer)
    tok.post_processor = processors.RobertaProcessing(("</s>", tok.token_to_id("</s>")), ("<s>", tok.token_to_id("<s>")),
                                                      trim_offsets=True, add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    return RobertaTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>", sep_token="</s>", cls_token="<s>",
                                unk_token="<unk>", pad_token="<pad>", mask_token="<mask>", model_max_length=512,
                                add_prefix_space=False)


def make_model(kind, data_dir):
    if kind == "roberta":
        tokenizer = make_roberta_tokenizer(data_dir)
        torch.manual_seed(SEED)
        config = RobertaConfig(
            vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
            intermediate_size=64, max_position_embeddings=514, type_vocab_size=1, pad_token_id=tokenizer.pad_token_id,
            bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id)
        return tokenizer, RobertaModel(config).eval()
    tokenizer = make_tokenizer(data_dir)
    torch.manual_seed(SEED)
    config = BertConfig(
        vocab_size=len(tokenizer), hidden_size=64, num_hidden_layers=3, num_attention_heads=4,
        intermediate_size=128, max_position_embeddings=512, type_vocab_size=2)
    return tokenizer, BertModel(config).eval()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="the shared data folder (../shared/data)")
    ap.add_argument("--out", required=True, help="output folder (the ONNX export the tests read)")
    ap.add_argument("--hf-out", required=True, help="where to keep the PyTorch copy the reference script loads (outside the repository)")
    ap.add_argument("--kind", choices=["bert", "roberta"], default="bert",
                    help="bert: WordPiece, 3 layers, hidden 64; roberta: byte-level BPE like roberta-large, 2 layers, hidden 32")
    args = ap.parse_args()

    tokenizer, model = make_model(args.kind, args.data)
    hf_dir = args.hf_out
    model.save_pretrained(hf_dir)
    tokenizer.save_pretrained(hf_dir)
    export_onnx(hf_dir, args.out)
    print(f"wrote {args.out} (vocabulary {len(tokenizer)}, seed {SEED}); the PyTorch copy is in {hf_dir}")


if __name__ == "__main__":
    main()
