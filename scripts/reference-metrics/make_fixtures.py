"""Score prediction/reference pairs with the reference implementations and write the fixtures that
server/eval/metrics/*.test.ts compare the TypeScript metrics against.

References (each is the implementation itself, run here, never a re-implementation):
  ROUGE       Google's rouge-score (rouge_scorer.RougeScorer, DefaultTokenizer), from its source
              (google-research/google-research, folder rouge/; give the folder that holds it as a
              package named `rouge` with --rouge-src; the source is never committed)
  BLEU        sacrebleu 2.x: sentence_bleu(hyp, [ref]) per pair, corpus_bleu(hyps, [refs]) per set
  METEOR      NLTK 3.8 (Debian python3-nltk) meteor_score([ref_tokens], hyp_tokens) with WordNet 3.0
              read from Debian's wordnet-base files (/usr/share/wordnet)
  stemmer     NLTK 3.8 PorterStemmer() (NLTK_EXTENSIONS)
  BERTScore   the bert-score package 0.3.13 (Tiiiger/bert_score, bert_score.score; its source given with
              --bert-score-src, never committed) and torchmetrics.functional.text.bert.bert_score, both
              with the tiny seeded BERT
              (scripts/reference-metrics/make_tiny_bert.py), num_layers=2, with and without idf,
              and rescaled with server/eval/fixtures/tiny-bert-baseline.csv.
              torchmetrics 1.x sorts predictions and references by length and re-indexes the
              embeddings with the sorting permutation instead of its inverse, which pairs a
              prediction with another reference whenever the lengths are not already in order
              (Lightning-AI/torchmetrics#2728); this script turns that sort into the identity
              (_sort_data_according_length), which changes nothing else, and checks that the
              no-idf scores then equal one-pair-at-a-time calls.

Pairs: baseline predictions against real impressions (IU X-ray valid/test; MTSamples imaging reports)
plus edge cases. Texts from ../shared/data are stored as pointers (file, id, field, UTF-16 offsets,
sha256 prefix), never copied; the tests read them from ../shared/data.

Command (from the repository root; see server/eval/fixtures/README.md):
  /work/venvs/metrics/bin/python scripts/reference-metrics/make_fixtures.py --data ../shared/data \
      --rouge-src /work/venvs/metrics/src --bert-score-src /work/venvs/metrics/src/bert_score_src \
      --bert-model /work/venvs/metrics/tiny-bert-hf --roberta-model /work/venvs/metrics/tiny-roberta-hf \
      --out server/eval/fixtures
"""
import argparse
import collections
import hashlib
import json
import math
import os
import platform
import random
import re
import sys
import tempfile

import numpy as np

NUM_LAYERS = 2
ROBERTA_LAYERS = 1

# ---------------------------------------------------------------------------------------------- data


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def utf16_offset(text, index):
    return len(text[:index].encode("utf-16-le")) // 2


def sha(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def pointer(file, record, field, start=None, end=None):
    text = record[field]
    if start is None:
        start, end = 0, len(text)
    piece = text[start:end]
    p = {"file": file, "id": record["id"], "field": field}
    if (start, end) != (0, len(text)):
        p["start"] = utf16_offset(text, start)
        p["end"] = utf16_offset(text, end)
    p["sha256"] = sha(piece)
    return p, piece


FIRST_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def first_sentence_span(text):
    m = FIRST_SENTENCE.search(text)
    return (0, m.start()) if m else (0, len(text))


WORD = re.compile(r"[a-z0-9]+")


class TfIdf:
    def __init__(self, docs):
        self.vocab = {}
        df = collections.Counter()
        for d in docs:
            df.update(set(WORD.findall(d.lower())))
        for w in sorted(df):
            self.vocab[w] = len(self.vocab)
        n = len(docs)
        self.idf = np.array([math.log((1 + n) / (1 + df[w])) + 1 for w in sorted(df)])
        self.matrix = np.stack([self.vector(d) for d in docs]) if docs else None

    def vector(self, text):
        v = np.zeros(len(self.vocab))
        for w, c in collections.Counter(WORD.findall(text.lower())).items():
            if w in self.vocab:
                v[self.vocab[w]] = c
        v *= self.idf
        norm = np.linalg.norm(v)
        return v / norm if norm else v

    def nearest(self, text, exclude=None):
        sims = self.matrix @ self.vector(text)
        if exclude is not None:
            sims[exclude] = -1
        return int(np.argmax(sims))


HEADING = re.compile(r"^([A-Z][A-Z /&()-]*[A-Z)]):", re.M)
CONCLUSION_HEADINGS = ("IMPRESSION", "IMPRESSIONS", "CONCLUSION", "CONCLUSIONS", "OPINION", "SUMMARY")


def mtsamples_sections(text):
    """(findings span, conclusion span) of a dictation-style report, or None."""
    heads = [(m.group(1).strip(), m.start(), m.end()) for m in HEADING.finditer(text)]
    spans = {}
    for k, (name, _, body_start) in enumerate(heads):
        body_end = heads[k + 1][1] if k + 1 < len(heads) else len(text)
        s, e = body_start, body_end
        while s < e and (text[s].isspace() or text[s] == ","):
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.setdefault(name, (s, e))
    findings = next((spans[n] for n in spans if "FINDINGS" in n), None)
    conclusion = next((spans[n] for n in CONCLUSION_HEADINGS if n in spans), None)
    if findings is None or conclusion is None:
        return None
    return findings, conclusion


EDGE_CASES = [
    ("empty prediction", "", "No acute cardiopulmonary abnormality."),
    ("empty reference", "No acute cardiopulmonary abnormality.", ""),
    ("both empty", "", ""),
    ("whitespace only", "   \n\t ", "Normal chest."),
    ("punctuation only", "...", "!!! ???"),
    ("punctuation vs words", ".,;:!?", "No pneumothorax."),
    ("identical", "No acute cardiopulmonary abnormality.", "No acute cardiopulmonary abnormality."),
    ("case differs", "NO ACUTE CARDIOPULMONARY ABNORMALITY.", "No acute cardiopulmonary abnormality."),
    ("numbers", "Nodule measures 3.5 x 2.1 cm, previously 3.0 x 2.0 cm.", "3.5 cm nodule, increased from 3.0 cm."),
    ("numbers and ranges", "T10-T12 compression, 20-30% loss of height; 1/2 of L1.", "Compression deformities T10 through T12."),
    ("repeated words", "no no no no no no no no", "no acute disease no effusion no pneumothorax"),
    ("repeated phrase", "heart size normal heart size normal heart size normal", "heart size normal"),
    ("single word", "normal", "normal"),
    ("single word mismatch", "normal", "abnormal"),
    ("unicode accents", "Pleural effusión, café-au-lait, naïve résumé.", "Pleural effusion, naive resume."),
    ("unicode symbols", "Lesion ≥ 5 mm → follow-up ± contrast; µg/m² °C", "Lesion >= 5 mm, follow-up with contrast."),
    ("unicode scripts", "肺 正常. Легкие без патологии. رئة طبيعية", "Lungs normal."),
    ("emoji and astral", "Normal 😀 lungs 𝟘𝟙 ok", "Normal lungs"),
    ("turkish dotted I", "İSTANBUL KELVIN Kelvin ſtenosis", "istanbul kelvin stenosis"),
    ("de-identified XXXX", "XXXX XXXX. No XXXX of XXXX.", "XXXX of the XXXX. XXXX."),
    ("newline separated sentences", "No effusion.\nNo pneumothorax.\nHeart normal.", "Heart normal.\nNo pneumothorax or effusion."),
    ("numbered list", "1. No acute disease.\n2. Stable nodule.", "1.  No acute process.\n2.  Stable right upper lobe nodule."),
    ("blank lines", "\n\nNo effusion.\n\n\nClear lungs.\n", "Clear lungs.\n\nNo effusion."),
    ("windows newlines", "No effusion.\r\nClear lungs.\r\n", "Clear lungs.\r\nNo effusion."),
    ("quotes and contractions", "The patient's heart isn't enlarged; \"stable\" 'mild' findings can't be excluded.", "Heart is not enlarged, stable mild findings cannot be excluded."),
    ("parentheses and brackets", "Atelectasis (left base) [stable] {new} <prior>", "Left basilar atelectasis, stable."),
    ("tokenized text", "no acute disease .", "no acute disease ."),
    ("html entities", "Heart &amp; lungs &lt;normal&gt; &quot;ok&quot;", "Heart & lungs <normal> \"ok\""),
    ("skipped marker", "<skipped> normal chest", "normal chest"),
    ("hyphen at line end", "post-\noperative changes", "postoperative changes"),
    ("stemming forms", "Effusions resolving, opacities resolved, enlarging nodules.", "Effusion resolved, opacity resolves, enlarged nodule."),
    ("synonyms", "Heart is big. Lungs are clear. Small effusion.", "Cardiac enlargement. Lung fields are clear. Little effusion."),
    ("irregular stems", "dying lying skies innings news proceedings", "die lie sky inning news proceeding"),
    ("morphy exceptions", "The mice were larger, the geese ran, children went.", "mouse large goose run child go"),
    ("word order", "effusion pleural right small", "small right pleural effusion"),
    ("long repeated", " ".join(["stable"] * 120), "stable"),
    ("tabs and odd spaces", "No\tacute\u00a0disease\u2003today\u2028ok", "No acute disease today ok"),
    ("python-only whitespace", "No\x1cacute\x1ddisease\x85ok", "No acute disease ok"),
    ("zero width and bom", "No\u200bacute\ufeffdisease", "No acute disease"),
    ("ellipsis and dashes", "Stable... no change -- see prior--compare.", "Stable, no change; compare with prior."),
    ("trailing colon comma", "Findings: normal,", "Findings: normal"),
    ("digits commas periods", "1,000 cc. 2.5. 3, 4.", "1,000 cc 2.5 3 4"),
]

# ---------------------------------------------------------------------------------------- references


def nltk_with_debian_wordnet(wordnet_dir):
    """Point NLTK at Debian's WordNet 3.0 files (adds the `lexnames` file NLTK's reader insists on)."""
    root = tempfile.mkdtemp(prefix="nltk_data_")
    target = os.path.join(root, "corpora", "wordnet")
    os.makedirs(target)
    for name in os.listdir(wordnet_dir):
        if os.path.isfile(os.path.join(wordnet_dir, name)):
            os.symlink(os.path.join(wordnet_dir, name), os.path.join(target, name))
    lexnames = ["adj.all 3", "adj.pert 3", "adv.all 4", "noun.Tops 1", "noun.act 1", "noun.animal 1",
                "noun.artifact 1", "noun.attribute 1", "noun.body 1", "noun.cognition 1",
                "noun.communication 1", "noun.event 1", "noun.feeling 1", "noun.food 1", "noun.group 1",
                "noun.location 1", "noun.motive 1", "noun.object 1", "noun.person 1", "noun.phenomenon 1",
                "noun.plant 1", "noun.possession 1", "noun.process 1", "noun.quantity 1", "noun.relation 1",
                "noun.shape 1", "noun.state 1", "noun.substance 1", "noun.time 1", "verb.body 2",
                "verb.change 2", "verb.cognition 2", "verb.communication 2", "verb.competition 2",
                "verb.consumption 2", "verb.contact 2", "verb.creation 2", "verb.emotion 2", "verb.motion 2",
                "verb.perception 2", "verb.possession 2", "verb.social 2", "verb.stative 2", "verb.weather 2",
                "adj.ppl 3"]
    with open(os.path.join(target, "lexnames"), "w") as f:
        for i, entry in enumerate(lexnames):
            name, cat = entry.split()
            f.write(f"{i:02d}\t{name}\t{cat}\n")
    import nltk
    nltk.data.path.insert(0, root)
    from nltk.corpus import wordnet
    wordnet.ensure_loaded()
    return wordnet


SENTENCE_BREAK = re.compile(r"(?<=[.!?])[ \t\n\r\f\v]+|[ \t\r\f\v]*\n[ \t\n\r\f\v]*")


def meteor_tokens(text):
    """The tokenization named in docs/metrics.md: sentence pieces, then NLTKWordTokenizer."""
    from nltk.tokenize.destructive import NLTKWordTokenizer
    tokenizer = NLTKWordTokenizer()
    return [tok for piece in SENTENCE_BREAK.split(text) if piece.strip() for tok in tokenizer.tokenize(piece.strip())]


def num(x):
    x = float(x)
    return None if math.isnan(x) else x


def patch_torchmetrics_sort():
    import torch
    from torchmetrics.functional.text import helper_embedding_metric as h

    def identity_sort(input_ids, attention_mask):
        return input_ids, attention_mask, torch.arange(input_ids.shape[0])

    h._sort_data_according_length = identity_sort


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True)
    ap.add_argument("--rouge-src", required=True, help="folder holding rouge-score's source as package `rouge`")
    ap.add_argument("--bert-score-src", required=True, help="folder holding the bert-score package source (bert_score/)")
    ap.add_argument("--wordnet", default="/usr/share/wordnet")
    ap.add_argument("--bert-model", required=True, help="the PyTorch copy of the tiny BERT (make_tiny_bert.py --hf-out)")
    ap.add_argument("--roberta-model", required=True, help="the PyTorch copy of the tiny RoBERTa (make_tiny_bert.py --kind roberta --hf-out)")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    sys.path.insert(0, args.rouge_src)
    from rouge import rouge_scorer
    import nltk
    from nltk.stem.porter import PorterStemmer
    from nltk.translate.meteor_score import meteor_score
    import sacrebleu
    import torch
    import torchmetrics
    import transformers
    from torchmetrics.functional.text.bert import bert_score
    bert_score_tm = bert_score

    wordnet = nltk_with_debian_wordnet(args.wordnet)
    assert wordnet.get_version() == "3.0"

    # ------------------------------------------------------------------------------------ pairs
    iu = read_jsonl(os.path.join(args.data, "iu-xray", "pairs.jsonl"))
    mts = read_jsonl(os.path.join(args.data, "mtsamples", "imaging-reports.jsonl"))
    train = [p for p in iu if p["split"] == "train"]
    held_out = [p for p in iu if p["split"] in ("valid", "test")]
    most_frequent_text, _ = collections.Counter(p["impression"] for p in train).most_common(1)[0]
    most_frequent = next(p for p in train if p["impression"] == most_frequent_text)
    tfidf = TfIdf([p["findings"] for p in train])
    iu_file = "iu-xray/pairs.jsonl"
    mts_file = "mtsamples/imaging-reports.jsonl"

    pairs = []
    for k, p in enumerate(held_out):
        ref_ptr, ref = pointer(iu_file, p, "impression")
        kind = ("nearest-neighbour", "lead-sentence", "most-frequent")[k % 3]
        if kind == "nearest-neighbour":
            pred_ptr, pred = pointer(iu_file, train[tfidf.nearest(p["findings"])], "impression")
        elif kind == "lead-sentence":
            pred_ptr, pred = pointer(iu_file, p, "findings", *first_sentence_span(p["findings"]))
        else:
            pred_ptr, pred = pointer(iu_file, most_frequent, "impression")
        pairs.append({"set": f"iu-{p['split']}", "baseline": kind, "prediction": pred_ptr, "reference": ref_ptr,
                      "_pred": pred, "_ref": ref})

    mts_sections = []
    for r in mts:
        sections = mtsamples_sections(r["text"])
        if sections:
            mts_sections.append((r, sections))
    mts_tfidf = TfIdf([r["text"][slice(*s[0])] for r, s in mts_sections])
    for k, (r, (findings, conclusion)) in enumerate(mts_sections):
        ref_ptr, ref = pointer(mts_file, r, "text", *conclusion)
        kind = ("lead-sentence", "nearest-neighbour", "most-frequent")[k % 3]
        if kind == "nearest-neighbour":
            j = mts_tfidf.nearest(r["text"][slice(*findings)], exclude=k)
            other, (_, other_conclusion) = mts_sections[j]
            pred_ptr, pred = pointer(mts_file, other, "text", *other_conclusion)
        elif kind == "lead-sentence":
            s, e = first_sentence_span(r["text"][findings[0]:findings[1]])
            pred_ptr, pred = pointer(mts_file, r, "text", findings[0] + s, findings[0] + e)
        else:
            pred_ptr, pred = pointer(iu_file, most_frequent, "impression")
        pairs.append({"set": "mtsamples", "baseline": kind, "prediction": pred_ptr, "reference": ref_ptr,
                      "_pred": pred, "_ref": ref})

    for name, pred, ref in EDGE_CASES:
        pairs.append({"set": "edge", "baseline": name, "prediction": {"text": pred}, "reference": {"text": ref},
                      "_pred": pred, "_ref": ref})

    preds = [p["_pred"] for p in pairs]
    refs = [p["_ref"] for p in pairs]
    print(f"{len(pairs)} pairs ({sum(p['set'] != 'edge' for p in pairs)} from the data, {len(EDGE_CASES)} edge cases)")

    # ------------------------------------------------------------------------------------ scores
    types = ["rouge1", "rouge2", "rougeL", "rougeLsum"]
    plain = rouge_scorer.RougeScorer(types, use_stemmer=False)
    stemmed = rouge_scorer.RougeScorer(types, use_stemmer=True)
    for p in pairs:
        s = {}
        for key, scorer in (("rouge", plain), ("rougeStem", stemmed)):
            result = scorer.score(p["_ref"], p["_pred"])  # score(target, prediction)
            s[key] = {t: [result[t].precision, result[t].recall, result[t].fmeasure] for t in types}
        s["sentenceBleu"] = sacrebleu.sentence_bleu(p["_pred"], [p["_ref"]]).score
        hyp_tokens, ref_tokens = meteor_tokens(p["_pred"]), meteor_tokens(p["_ref"])
        s["meteorTokens"] = [len(hyp_tokens), len(ref_tokens)]
        s["meteor"] = meteor_score([ref_tokens], hyp_tokens)
        p["scores"] = s

    # BERTScore: one torchmetrics call over the whole set (idf from all references), sort made identity
    patch_torchmetrics_sort()
    baseline_csv = os.path.join(args.out, "tiny-bert-baseline.csv")
    with open(baseline_csv, "w") as f:
        f.write("LAYER,P,R,F\n0,0.61,0.62,0.615\n1,0.55,0.56,0.555\n2,0.52,0.53,0.525\n3,0.5,0.51,0.505\n")
    common = dict(model_name_or_path=args.bert_model, num_layers=NUM_LAYERS, batch_size=64, max_length=512)
    bs_plain = bert_score(preds, refs, idf=False, **common)
    bs_idf = bert_score(preds, refs, idf=True, **common)
    bs_rescaled = bert_score(preds, refs, idf=False, rescale_with_baseline=True, baseline_path=baseline_csv, **common)
    # the patch only fixes the pairing: no-idf scores equal one pair at a time
    for k in range(0, len(pairs), 37):
        if preds[k].strip() and refs[k].strip():
            single = bert_score([preds[k]], [refs[k]], idf=False, **common)
            assert abs(float(single["f1"]) - float(bs_plain["f1"][k])) < 1e-5, (k, float(single["f1"]), float(bs_plain["f1"][k]))
    for k, p in enumerate(pairs):
        for key, out in (("bertscore", bs_plain), ("bertscoreIdf", bs_idf), ("bertscoreRescaled", bs_rescaled)):
            p["scores"][key] = [num(out["precision"][k]), num(out["recall"][k]), num(out["f1"][k])]

    # the bert-score package itself (batch_size 64, its default, decides where it pads)
    sys.path.insert(0, args.bert_score_src)
    import bert_score
    # bert-score encodes an empty text with tokenizer.build_inputs_with_special_tokens([]), which transformers 5
    # tokenizers no longer have; give back transformers 4's BERT behaviour ([CLS] [SEP]) for that one call.
    from transformers.tokenization_utils_base import PreTrainedTokenizerBase
    if not hasattr(PreTrainedTokenizerBase, "build_inputs_with_special_tokens"):
        PreTrainedTokenizerBase.build_inputs_with_special_tokens = (
            lambda self, ids0, ids1=None: [self.cls_token_id] + list(ids0) + [self.sep_token_id])
    pkg = dict(model_type=args.bert_model, num_layers=NUM_LAYERS, batch_size=64, device="cpu", lang="en", nthreads=1)
    pkg_plain = bert_score.score(preds, refs, idf=False, **pkg)
    pkg_idf = bert_score.score(preds, refs, idf=True, **pkg)
    pkg_rescaled = bert_score.score(preds, refs, idf=False, rescale_with_baseline=True, baseline_path=baseline_csv, **pkg)
    for k, p in enumerate(pairs):
        for key, (P, R, F) in (("bertscorePkg", pkg_plain), ("bertscorePkgIdf", pkg_idf), ("bertscorePkgRescaled", pkg_rescaled)):
            p["scores"][key] = [num(P[k]), num(R[k]), num(F[k])]

    # A byte-level BPE model laid out like roberta-large. bert-score encodes with add_prefix_space=True, which
    # transformers 4's GPT2/RoBERTa tokenizer honoured by putting a space before the text (prepare_for_tokenization)
    # and transformers 5's encode() silently ignores; restore the transformers 4 behaviour that bert-score's
    # published scores and baselines were made with.
    import bert_score.utils as bert_score_utils
    from transformers import GPT2Tokenizer, RobertaTokenizer
    original_sent_encode = bert_score_utils.sent_encode

    def sent_encode_with_prefix_space(tokenizer, sent):
        sent = sent.strip()
        if sent != "" and isinstance(tokenizer, (GPT2Tokenizer, RobertaTokenizer)):
            return tokenizer.encode(" " + sent, add_special_tokens=True, max_length=tokenizer.model_max_length, truncation=True)
        return original_sent_encode(tokenizer, sent)

    bert_score_utils.sent_encode = sent_encode_with_prefix_space
    roberta_pkg = dict(pkg, model_type=args.roberta_model, num_layers=ROBERTA_LAYERS)
    rob_plain = bert_score.score(preds, refs, idf=False, **roberta_pkg)
    rob_idf = bert_score.score(preds, refs, idf=True, **roberta_pkg)
    rob_tm = bert_score_tm(preds, refs, idf=False, model_name_or_path=args.roberta_model, num_layers=ROBERTA_LAYERS, batch_size=64, max_length=512)
    for k, p in enumerate(pairs):
        for key, (P, R, F) in (("robertaPkg", rob_plain), ("robertaPkgIdf", rob_idf)):
            p["scores"][key] = [num(P[k]), num(R[k]), num(F[k])]
        p["scores"]["robertaTm"] = [num(rob_tm["precision"][k]), num(rob_tm["recall"][k]), num(rob_tm["f1"][k])]

    # corpus BLEU: the whole set and each part
    corpus = {}
    groups = {"all": list(range(len(pairs)))}
    for k, p in enumerate(pairs):
        groups.setdefault(p["set"], []).append(k)
    for name, idx in groups.items():
        b = sacrebleu.corpus_bleu([preds[k] for k in idx], [[refs[k] for k in idx]])
        corpus[name] = {"n": len(idx), "score": b.score, "counts": list(b.counts), "totals": list(b.totals),
                        "bp": b.bp, "sysLen": b.sys_len, "refLen": b.ref_len}

    versions = {"python": platform.python_version(), "nltk": nltk.__version__, "sacrebleu": sacrebleu.__version__,
                "bert-score": "Tiiiger/bert_score 19e7f55 (0.3.13)",
                "torch": torch.__version__, "transformers": transformers.__version__,
                "torchmetrics": torchmetrics.__version__, "wordnet": wordnet.get_version(),
                "rouge-score": "google-research/google-research rouge/ (rouge_scorer.py 61ce9f0c, tokenize.py 7ce52c05)"}
    header = {
        "kind": "header",
        "generator": "scripts/reference-metrics/make_fixtures.py",
        "command": "/work/venvs/metrics/bin/python scripts/reference-metrics/make_fixtures.py --data ../shared/data "
                   "--rouge-src /work/venvs/metrics/src --bert-score-src /work/venvs/metrics/src/bert_score_src "
                   "--bert-model /work/venvs/metrics/tiny-bert-hf --roberta-model /work/venvs/metrics/tiny-roberta-hf "
                   "--out server/eval/fixtures",
        "versions": versions,
        "bertscore": {"model": "server/eval/fixtures/tiny-bert", "numLayers": NUM_LAYERS,
                      "baseline": "server/eval/fixtures/tiny-bert-baseline.csv",
                      "reference": "bertscore*: torchmetrics bert_score (length sort made identity); bertscorePkg*: bert-score 0.3.13 bert_score.score (batch_size 64)",
                      "roberta": {"model": "server/eval/fixtures/tiny-roberta", "numLayers": ROBERTA_LAYERS,
                                  "reference": "robertaPkg*: bert-score (add_prefix_space as in transformers 4); robertaTm: torchmetrics"}},
        "meteorTokenization": "sentence pieces (re.split(r'(?<=[.!?])[ \\t\\n\\r\\f\\v]+|[ \\t\\r\\f\\v]*\\n[ \\t\\n\\r\\f\\v]*')), then NLTKWordTokenizer().tokenize",
        "scores": {"rouge": "[precision, recall, f1] per type, use_stemmer=False", "rougeStem": "same, use_stemmer=True",
                   "sentenceBleu": "sacrebleu.sentence_bleu(pred, [ref]).score (0-100)",
                   "meteor": "meteor_score([ref_tokens], pred_tokens)",
                   "bertscore*": "[P, R, F1] from torchmetrics; null where torchmetrics gives NaN (an empty text)",
                   "bertscorePkg*": "[P, R, F1] from the bert-score package",
                   "roberta*": "[P, R, F1] with the tiny RoBERTa: robertaPkg/robertaPkgIdf bert-score, robertaTm torchmetrics"},
        "pairs": len(pairs),
    }
    with open(os.path.join(args.out, "reference-pairs.jsonl"), "w", encoding="utf-8") as f:
        f.write(json.dumps(header, ensure_ascii=False) + "\n")
        for k, p in enumerate(pairs):
            row = {"i": k, "set": p["set"], "baseline": p["baseline"], "prediction": p["prediction"],
                   "reference": p["reference"], "scores": p["scores"]}
            f.write(json.dumps(row, ensure_ascii=False, allow_nan=False) + "\n")
    with open(os.path.join(args.out, "reference-corpus-bleu.json"), "w", encoding="utf-8") as f:
        json.dump({"generator": header["generator"], "command": header["command"], "versions": versions,
                   "reference": "sacrebleu.corpus_bleu(preds, [refs]) over the pairs of reference-pairs.jsonl",
                   "sets": corpus}, f, indent=1)
        f.write("\n")

    # ------------------------------------------------------------------------ stemmer and WordNet
    stemmer = PorterStemmer()
    vocabulary = set()
    for text in preds + refs:
        vocabulary.update(t.lower() for t in meteor_tokens(text))
        vocabulary.update(WORD.findall(text.lower()))
    index_lemmas = sorted({line.split()[0] for suffix in ("noun", "verb", "adj", "adv")
                           for line in open(os.path.join(args.wordnet, "index." + suffix), encoding="utf-8")
                           if not line.startswith(" ")})
    rng = random.Random(7)
    sampled = rng.sample(index_lemmas, 4000)
    inflected = [w + suffix for w in rng.sample(index_lemmas, 1500) for suffix in ("s", "es", "ed", "ing", "er", "est", "ies")]
    exceptions = [line.split()[0] for suffix in ("noun", "verb", "adj", "adv")
                  for line in open(os.path.join(args.wordnet, suffix + ".exc"), encoding="utf-8")][::5]
    words = sorted(vocabulary | set(sampled) | set(exceptions) | set(inflected))
    with open(os.path.join(args.out, "porter-stems.tsv"), "w", encoding="utf-8") as f:
        f.write("# word<TAB>NLTK 3.8 PorterStemmer().stem(word); made by scripts/reference-metrics/make_fixtures.py\n")
        for w in words:
            if "\t" in w or "\n" in w or "\r" in w:
                continue
            f.write(f"{w}\t{stemmer.stem(w)}\n")
    # the synonym stage sees stemmed words: check both forms
    lookups = sorted(set(words) | {stemmer.stem(w) for w in vocabulary})
    with open(os.path.join(args.out, "wordnet-synonyms.tsv"), "w", encoding="utf-8") as f:
        f.write("# word<TAB>n<TAB>sha256: the names sorted({l.name() for s in wordnet.synsets(word) for l in s.lemmas()})"
                " without '_' and without upper-case letters (METEOR compares lower-cased words), NLTK 3.8 + WordNet 3.0;"
                " n names, sha256 = first 16 hex digits of the names joined by one space\n")
        for w in lookups:
            if "\t" in w or "\n" in w or "\r" in w:
                continue
            names = sorted({l.name() for s in wordnet.synsets(w) for l in s.lemmas()
                            if "_" not in l.name() and not re.search("[A-Z]", l.name())})
            f.write(f"{w}\t{len(names)}\t{sha(' '.join(names))}\n")
    print(f"wrote fixtures to {args.out}: {len(words)} stemmer words, {len(lookups)} WordNet look-ups")


if __name__ == "__main__":
    main()
