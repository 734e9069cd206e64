/**
 * What NLTK 3.8's METEOR asks of WordNet 3.0, answered offline from the compact file the project ships
 * (server/eval/data/wordnet-synonyms.txt.gz, made by scripts/wordnet/build_synonyms.py):
 * `synonymNames(word)` is the set of lemma names (without "_") of every synset in
 * `wordnet.synsets(word)`, including NLTK's morphy lemmatisation (exception lists, then suffix rules
 * applied until a form is found in the index), for nouns, verbs, adjectives and adverbs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

type Pos = 'n' | 'v' | 'a' | 'r';
const POS_LIST: readonly Pos[] = ['n', 'v', 'a', 'r'];

/** wordnet.py's MORPHOLOGICAL_SUBSTITUTIONS. */
const SUBSTITUTIONS: Record<Pos, readonly (readonly [string, string])[]> = {
  n: [
    ['s', ''],
    ['ses', 's'],
    ['ves', 'f'],
    ['xes', 'x'],
    ['zes', 'z'],
    ['ches', 'ch'],
    ['shes', 'sh'],
    ['men', 'man'],
    ['ies', 'y'],
  ],
  v: [
    ['s', ''],
    ['ies', 'y'],
    ['es', 'e'],
    ['es', ''],
    ['ed', 'e'],
    ['ed', ''],
    ['ing', 'e'],
    ['ing', ''],
  ],
  a: [
    ['er', ''],
    ['est', ''],
    ['er', 'e'],
    ['est', 'e'],
  ],
  r: [],
};

/**
 * The shipped file: beside this module's folder in the source tree (server/eval/data/), or, from a bundle in dist/,
 * at server/eval/data/ of the package. `RADREPORT_WORDNET` names another copy.
 */
export const DEFAULT_WORDNET_FILE: string = (() => {
  const candidates = [
    process.env.RADREPORT_WORDNET,
    fileURLToPath(new URL('../data/wordnet-synonyms.txt.gz', import.meta.url)),
    fileURLToPath(new URL('../server/eval/data/wordnet-synonyms.txt.gz', import.meta.url)),
  ].filter((c): c is string => typeof c === 'string' && c !== '');
  return candidates.find((c) => existsSync(c)) ?? candidates[0]!;
})();

export class WordNetFileError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`WordNet synonym file ${path}: ${reason}`);
    this.name = 'WordNetFileError';
  }
}

export interface WordNetSynonyms {
  /** Lemma names (no "_") of all synsets of `word`, as METEOR's synonym stage collects them. */
  synonymNames(word: string): ReadonlySet<string>;
}

interface IndexEntry {
  /** group ids per part of speech; present (maybe empty) when the lemma is in that index file. */
  n?: number[];
  v?: number[];
  a?: number[];
  r?: number[];
}

class CompactWordNet implements WordNetSynonyms {
  private readonly cache = new Map<string, ReadonlySet<string>>();

  constructor(
    private readonly groups: readonly (readonly string[])[],
    private readonly index: ReadonlyMap<string, IndexEntry>,
    private readonly exceptions: Record<Pos, ReadonlyMap<string, readonly string[]>>,
  ) {}

  /** wordnet.py `_morphy(form, pos)`. */
  private morphy(form: string, pos: Pos): string[] {
    const substitutions = SUBSTITUTIONS[pos];
    const applyRules = (forms: readonly string[]): string[] => {
      const out: string[] = [];
      for (const f of forms) {
        for (const [old, replacement] of substitutions) {
          if (f.endsWith(old)) out.push(f.slice(0, f.length - old.length) + replacement);
        }
      }
      return out;
    };
    const filterForms = (forms: readonly string[]): string[] => {
      const result: string[] = [];
      const seen = new Set<string>();
      for (const f of forms) {
        if (this.index.get(f)?.[pos] !== undefined && !seen.has(f)) {
          result.push(f);
          seen.add(f);
        }
      }
      return result;
    };
    const exception = this.exceptions[pos].get(form);
    if (exception !== undefined) return filterForms([form, ...exception]);
    let forms = applyRules([form]);
    const results = filterForms([form, ...forms]);
    if (results.length > 0) return results;
    while (forms.length > 0) {
      forms = applyRules(forms);
      const found = filterForms(forms);
      if (found.length > 0) return found;
    }
    return [];
  }

  synonymNames(word: string): ReadonlySet<string> {
    let names = this.cache.get(word);
    if (names !== undefined) return names;
    const lemma = word.toLowerCase();
    const collected = new Set<string>();
    for (const pos of POS_LIST) {
      for (const form of this.morphy(lemma, pos)) {
        for (const group of this.index.get(form)![pos]!) for (const name of this.groups[group]!) collected.add(name);
      }
    }
    names = collected;
    if (this.cache.size > 100_000) this.cache.clear();
    this.cache.set(word, names);
    return names;
  }
}

function parse(text: string, path: string): CompactWordNet {
  const lines = text.split('\n');
  const groups: string[][] = [];
  const index = new Map<string, IndexEntry>();
  const exceptions: Record<Pos, Map<string, string[]>> = { n: new Map(), v: new Map(), a: new Map(), r: new Map() };
  let section = '';
  let exceptionPos: Pos = 'n';
  for (const line of lines) {
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('@')) {
      section = line;
      if (line.startsWith('@exc ')) exceptionPos = line.slice(5) as Pos;
      continue;
    }
    if (section === '@groups') {
      groups.push(line.split(' '));
    } else if (section === '@index') {
      const fields = line.split('\t');
      const entry: IndexEntry = {};
      for (let k = 1; k < fields.length; k++) {
        const field = fields[k]!;
        const pos = field[0] as Pos;
        const ids =
          field.length > 2
            ? field
                .slice(2)
                .split(',')
                .map((id) => parseInt(id, 36))
            : [];
        entry[pos] = ids;
      }
      index.set(fields[0]!, entry);
    } else if (section.startsWith('@exc ')) {
      const terms = line.split(' ');
      exceptions[exceptionPos].set(terms[0]!, terms.slice(1));
    }
  }
  if (groups.length === 0 || index.size === 0) throw new WordNetFileError(path, 'no @groups or @index section: not a radreport WordNet file');
  for (const entry of index.values()) {
    for (const pos of POS_LIST) {
      for (const id of entry[pos] ?? []) {
        if (!(id >= 0 && id < groups.length)) throw new WordNetFileError(path, `group ${id} is out of range: the file is damaged`);
      }
    }
  }
  return new CompactWordNet(groups, index, exceptions);
}

const loaded = new Map<string, WordNetSynonyms>();

/** Load (once per path) the compact WordNet file. */
export function loadWordNet(path: string = DEFAULT_WORDNET_FILE): WordNetSynonyms {
  const existing = loaded.get(path);
  if (existing !== undefined) return existing;
  let text: string;
  try {
    const raw = readFileSync(path);
    text = (raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString('utf8');
  } catch (error) {
    throw new WordNetFileError(path, (error as Error).message);
  }
  const wordnet = parse(text, path);
  loaded.set(path, wordnet);
  return wordnet;
}
