"""Derive the compact WordNet file that METEOR's synonym stage reads (server/eval/data/wordnet-synonyms.txt.gz).

NLTK 3.8's METEOR (`nltk.translate.meteor_score`) asks WordNet one question: for a (stemmed, lower-case)
hypothesis word w, the set of lemma names without "_" of every synset in `wordnet.synsets(w)`, where
`synsets` lemmatises w with morphy (exception lists, then suffix rules) for nouns, verbs, adjectives and
adverbs. To answer it exactly without NLTK, the file keeps, from the WordNet 3.0 database files:

  @groups   one line per distinct set of lemma names of a synset, names separated by spaces; only names
            METEOR can ever match are kept: no "_" (NLTK skips those) and no upper-case letter (the
            reference words are lower-cased by METEOR, so "Aare" can never equal one);
  @index    one line per index lemma: lemma, then for each part of speech it is listed under
            "<pos>:<group ids in base 36, comma-separated>" (an empty list when none of its synsets has a
            usable name: the entry still matters, since morphy stops at the first form in the index);
  @exc <pos> the morphy exception list of that part of speech: inflected form, then its base forms.

Run (from the repository root; Debian: apt-get install wordnet-base):
  python3 scripts/wordnet/build_synonyms.py --wordnet /usr/share/wordnet --out server/eval/data/wordnet-synonyms.txt.gz

The output is deterministic (sorted, gzip without a timestamp). WordNet 3.0 license: see the header
of the file it writes (Princeton University; permission to use, copy, modify and distribute).
"""
import argparse
import gzip
import hashlib
import io
import os
import re

POS_FILES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
MARKER = re.compile(r"(.*?)(\(.*\))?$")
UPPER = re.compile(r"[A-Z]")

LICENSE = """WordNet Release 3.0. This software and database is being provided to you, the LICENSEE, by
Princeton University under the following license. By obtaining, using and/or copying this software and
database, you agree that you have read, understood, and will comply with these terms and conditions.:
Permission to use, copy, modify and distribute this software and database and its documentation for any
purpose and without fee or royalty is hereby granted, provided that you agree to comply with the following
copyright notice and statements, including the disclaimer, and that the same appear on ALL copies of the
software, database and documentation, including modifications that you make for internal use or for
distribution. WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved.
THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR
WARRANTIES, EXPRESS OR IMPLIED. BY WAY OF EXAMPLE, BUT NOT LIMITATION, PRINCETON UNIVERSITY MAKES NO
REPRESENTATIONS OR WARRANTIES OF MERCHANT- ABILITY OR FITNESS FOR ANY PARTICULAR PURPOSE OR THAT THE USE
OF THE LICENSED SOFTWARE, DATABASE OR DOCUMENTATION WILL NOT INFRINGE ANY THIRD PARTY PATENTS, COPYRIGHTS,
TRADEMARKS OR OTHER RIGHTS. The name of Princeton University or Princeton may not be used in advertising or
publicity pertaining to distribution of the software and/or database. Title to copyright in this software,
database and any associated documentation shall at all times remain with Princeton University and LICENSEE
agrees to preserve same."""


def synset_names(wordnet_dir, suffix):
    """offset -> lemma names of the synset at that offset (as NLTK parses data.<suffix>)."""
    names = {}
    with open(os.path.join(wordnet_dir, "data." + suffix), encoding="utf-8") as f:
        offset = 0
        for raw in f:
            line_offset = offset
            offset += len(raw.encode("utf-8"))
            if raw.startswith("  "):
                continue  # license header
            columns = raw.strip().split("|")[0].split()
            assert int(columns[0]) == line_offset, (suffix, columns[0], line_offset)
            n_lemmas = int(columns[3], 16)
            lemma_names = []
            for k in range(n_lemmas):
                name = MARKER.match(columns[4 + 2 * k]).group(1)
                lemma_names.append(name)
            names[line_offset] = lemma_names
    return names


def usable(name):
    return "_" not in name and not UPPER.search(name)


def read_index(wordnet_dir, suffix):
    """(lemma, [offsets]) as NLTK's _load_lemma_pos_offset_map reads index.<suffix>."""
    with open(os.path.join(wordnet_dir, "index." + suffix), encoding="utf-8") as f:
        for line in f:
            if line.startswith(" "):
                continue
            tokens = line.split()
            lemma, n_synsets, n_pointers = tokens[0], int(tokens[2]), int(tokens[3])
            at = 4 + n_pointers + 2
            yield lemma, [int(t) for t in tokens[at:at + n_synsets]]


def read_exceptions(wordnet_dir, suffix):
    with open(os.path.join(wordnet_dir, suffix + ".exc"), encoding="utf-8") as f:
        for line in f:
            terms = line.split()
            if terms:
                yield terms[0], terms[1:]


def base36(n):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


def build(wordnet_dir):
    group_ids = {}
    groups = []
    index = {}  # lemma -> {pos: set(group ids)}
    for pos, suffix in POS_FILES.items():
        names = synset_names(wordnet_dir, suffix)
        for lemma, offsets in read_index(wordnet_dir, suffix):
            ids = set()
            for offset in offsets:
                kept = tuple(sorted(set(n for n in names[offset] if usable(n))))
                if not kept:
                    continue
                if kept not in group_ids:
                    group_ids[kept] = None
                ids.add(kept)
            # NLTK: self._lemma_pos_offset_map[lemma][pos] = offsets (a later line of the same lemma wins)
            index.setdefault(lemma, {})[pos] = ids
    # number the groups in a stable order
    for i, kept in enumerate(sorted(group_ids)):
        group_ids[kept] = i
        groups.append(kept)
    out = io.StringIO()
    out.write("# radreport wordnet-synonyms v1: what NLTK 3.8's METEOR synonym stage reads from WordNet 3.0.\n")
    out.write("# Made by scripts/wordnet/build_synonyms.py from " + ", ".join(
        f"{kind}.{s}" for kind in ("index", "data") for s in POS_FILES.values()) + " and the .exc files.\n")
    for line in LICENSE.split("\n"):
        out.write("# " + line + "\n")
    out.write("@groups\n")
    for kept in groups:
        out.write(" ".join(kept) + "\n")
    out.write("@index\n")
    for lemma in sorted(index):
        parts = [lemma]
        for pos in ("n", "v", "a", "r"):
            if pos in index[lemma]:
                ids = sorted(group_ids[k] for k in index[lemma][pos])
                parts.append(pos + ":" + ",".join(base36(i) for i in ids))
        out.write("\t".join(parts) + "\n")
    for pos, suffix in POS_FILES.items():
        out.write(f"@exc {pos}\n")
        exceptions = {}
        for form, bases in read_exceptions(wordnet_dir, suffix):
            exceptions[form] = bases  # NLTK: a later line of the same form wins
        for form in sorted(exceptions):
            out.write(" ".join([form] + exceptions[form]) + "\n")
    return out.getvalue()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wordnet", default="/usr/share/wordnet", help="WordNet 3.0 dict folder (Debian: wordnet-base)")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    text = build(args.wordnet).encode("utf-8")
    with open(args.out, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
            gz.write(text)
    print(f"wrote {args.out}: {len(text)} bytes of text, {os.path.getsize(args.out)} gzipped, sha256 {hashlib.sha256(text).hexdigest()[:16]}")


if __name__ == "__main__":
    main()
