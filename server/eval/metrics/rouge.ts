/**
 * ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum as Google's `rouge-score` (rouge_scorer.RougeScorer) computes
 * them, with its DefaultTokenizer: lower-case, every character outside [a-z0-9] becomes a space, split,
 * optionally Porter-stem (NLTK's stemmer) tokens longer than 3 characters (`use_stemmer=True`, off by
 * default as in Hugging Face `evaluate`). `rougeL` is one longest common subsequence over the whole text;
 * `rougeLsum` is the summary-level union LCS over sentences separated by "\n" (split_summaries=False).
 */
import { createCachedStemmer } from './porterStemmer.ts';

export interface RougeScore {
  precision: number;
  recall: number;
  fmeasure: number;
}

export interface RougeScores {
  rouge1: RougeScore;
  rouge2: RougeScore;
  rougeL: RougeScore;
  rougeLsum: RougeScore;
}

export interface RougeOptions {
  /** Porter-stem tokens longer than 3 characters, as rouge-score's `use_stemmer=True`. Default false. */
  stem?: boolean;
}

const NON_ALPHANUMERIC = /[^a-z0-9]+/g;
const VALID_TOKEN = /^[a-z0-9]+$/;
const stemCached = createCachedStemmer();

/** rouge-score's `tokenize.tokenize(text, stemmer)`. */
export function rougeTokens(text: string, stem = false): string[] {
  const spaced = text.toLowerCase().replace(NON_ALPHANUMERIC, ' ');
  const tokens: string[] = [];
  for (const raw of spaced.split(' ')) {
    const token = stem && raw.length > 3 ? stemCached(raw) : raw;
    if (VALID_TOKEN.test(token)) tokens.push(token);
  }
  return tokens;
}

const ZERO: RougeScore = Object.freeze({ precision: 0, recall: 0, fmeasure: 0 });

function fmeasure(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

function score(precision: number, recall: number): RougeScore {
  return { precision, recall, fmeasure: fmeasure(precision, recall) };
}

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = n === 1 ? tokens[i]! : tokens.slice(i, i + n).join(' ');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function scoreNgrams(target: readonly string[], prediction: readonly string[], n: number): RougeScore {
  const targetCounts = ngramCounts(target, n);
  const predictionCounts = ngramCounts(prediction, n);
  let overlap = 0;
  for (const [ngram, count] of targetCounts) overlap += Math.min(count, predictionCounts.get(ngram) ?? 0);
  const targetTotal = Math.max(0, target.length - n + 1);
  const predictionTotal = Math.max(0, prediction.length - n + 1);
  return score(overlap / Math.max(predictionTotal, 1), overlap / Math.max(targetTotal, 1));
}

/** The (rows+1) x (cols+1) LCS table of rouge-score's `_lcs_table`, flattened. */
function lcsTable(ref: readonly string[], can: readonly string[]): Int32Array {
  const cols = can.length + 1;
  const table = new Int32Array((ref.length + 1) * cols);
  for (let i = 1; i <= ref.length; i++) {
    const r = ref[i - 1];
    const row = i * cols;
    const above = row - cols;
    for (let j = 1; j <= can.length; j++) {
      table[row + j] = r === can[j - 1] ? table[above + j - 1]! + 1 : Math.max(table[above + j]!, table[row + j - 1]!);
    }
  }
  return table;
}

function scoreLcs(target: readonly string[], prediction: readonly string[]): RougeScore {
  if (target.length === 0 || prediction.length === 0) return { ...ZERO };
  const table = lcsTable(target, prediction);
  const lcs = table[table.length - 1]!;
  return score(lcs / prediction.length, lcs / target.length);
}

/** rouge-score's `_backtrack_norec`: the indices into `ref` of one LCS, as it picks it. */
function lcsIndices(ref: readonly string[], can: readonly string[]): number[] {
  const table = lcsTable(ref, can);
  const cols = can.length + 1;
  const indices: number[] = [];
  let i = ref.length;
  let j = can.length;
  while (i > 0 && j > 0) {
    if (ref[i - 1] === can[j - 1]) {
      indices.push(i - 1);
      i--;
      j--;
    } else if (table[i * cols + j - 1]! > table[(i - 1) * cols + j]!) {
      j--;
    } else {
      i--;
    }
  }
  return indices.reverse();
}

function countTokens(sentences: readonly (readonly string[])[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const sentence of sentences) for (const t of sentence) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

/** rouge-score's `_summary_level_lcs` (union LCS, counting each token at most as often as it occurs). */
function summaryLevelLcs(refSentences: readonly string[][], canSentences: readonly string[][]): RougeScore {
  if (refSentences.length === 0 || canSentences.length === 0) return { ...ZERO };
  const m = refSentences.reduce((sum, s) => sum + s.length, 0);
  const n = canSentences.reduce((sum, s) => sum + s.length, 0);
  if (n === 0 || m === 0) return { ...ZERO };
  const refCounts = countTokens(refSentences);
  const canCounts = countTokens(canSentences);
  let hits = 0;
  for (const ref of refSentences) {
    const union = new Set<number>();
    for (const can of canSentences) for (const index of lcsIndices(ref, can)) union.add(index);
    for (const index of [...union].sort((a, b) => a - b)) {
      const token = ref[index]!;
      const c = canCounts.get(token) ?? 0;
      const r = refCounts.get(token) ?? 0;
      if (c > 0 && r > 0) {
        hits++;
        canCounts.set(token, c - 1);
        refCounts.set(token, r - 1);
      }
    }
  }
  return score(hits / n, hits / m);
}

function newlineSentences(text: string, stem: boolean): string[][] {
  return text
    .split('\n')
    .filter((s) => s.length > 0)
    .map((s) => rougeTokens(s, stem));
}

/** ROUGE-1/2/L/Lsum of one prediction against one reference, as `RougeScorer(types, use_stemmer).score(reference, prediction)`. */
export function rouge(prediction: string, reference: string, options: RougeOptions = {}): RougeScores {
  const stem = options.stem ?? false;
  const target = rougeTokens(reference, stem);
  const predicted = rougeTokens(prediction, stem);
  return {
    rouge1: scoreNgrams(target, predicted, 1),
    rouge2: scoreNgrams(target, predicted, 2),
    rougeL: scoreLcs(target, predicted),
    rougeLsum: summaryLevelLcs(newlineSentences(reference, stem), newlineSentences(prediction, stem)),
  };
}
