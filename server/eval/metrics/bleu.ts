/**
 * BLEU as sacrebleu 2.x computes it with its defaults: the `13a` tokenizer (mteval-v13a), case-sensitive,
 * 4-gram, `exp` smoothing, the closest reference length for the brevity penalty.
 * `corpusBleu` is `sacrebleu.corpus_bleu(hyps, [refs])` (effective order off); `sentenceBleu` is
 * `sacrebleu.sentence_bleu(hyp, [ref])` (effective order on). Scores are on sacrebleu's 0-100 scale.
 */
import { pyRstrip, pySplit } from './pythonText.ts';

const MAX_ORDER = 4;

export interface BleuScore {
  /** 0-100, as sacrebleu reports it. */
  score: number;
  counts: number[];
  totals: number[];
  precisions: number[];
  bp: number;
  sysLen: number;
  refLen: number;
}

const PUNCTUATION = /([{-~[-` -&(-+:-@/])/gu;
const PERIOD_COMMA_AFTER_NON_DIGIT = /([^0-9])([.,])/gu;
const PERIOD_COMMA_BEFORE_NON_DIGIT = /([.,])([^0-9])/gu;
const DASH_AFTER_DIGIT = /([0-9])(-)/gu;

/** sacrebleu's `Tokenizer13a()(line)`. */
export function tokenize13a(line: string): string {
  let text = line.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ');
  if (text.includes('&')) {
    text = text.replaceAll('&quot;', '"').replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>');
  }
  text = ` ${text} `
    .replace(PUNCTUATION, ' $1 ')
    .replace(PERIOD_COMMA_AFTER_NON_DIGIT, '$1 $2 ')
    .replace(PERIOD_COMMA_BEFORE_NON_DIGIT, ' $1 $2')
    .replace(DASH_AFTER_DIGIT, '$1 $2 ');
  return pySplit(text).join(' ');
}

/** The tokens BLEU counts for one segment (sacrebleu `_preprocess_segment`, then `line.split()`). */
export function bleuTokens(segment: string): string[] {
  return pySplit(tokenize13a(pyRstrip(segment)));
}

function ngramCounts(tokens: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (let n = 1; n <= MAX_ORDER; n++) {
    for (let i = 0; i + n <= tokens.length; i++) {
      const key = n === 1 ? tokens[i]! : tokens.slice(i, i + n).join(' ');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

/** Sufficient statistics of one segment: [hypLen, refLen, correct x4, total x4]. */
export function bleuStatistics(prediction: string, reference: string): number[] {
  const hyp = bleuTokens(prediction);
  const ref = bleuTokens(reference);
  const refCounts = ngramCounts(ref);
  const correct = [0, 0, 0, 0];
  const total = [0, 0, 0, 0];
  for (const [ngram, count] of ngramCounts(hyp)) {
    let n = 0;
    for (let k = ngram.indexOf(' '); k !== -1; k = ngram.indexOf(' ', k + 1)) n++;
    total[n]! += count;
    const refCount = refCounts.get(ngram);
    if (refCount !== undefined) correct[n]! += Math.min(count, refCount);
  }
  return [hyp.length, ref.length, ...correct, ...total];
}

function myLog(x: number): number {
  return x === 0 ? -9999999999 : Math.log(x);
}

/** sacrebleu's `BLEU.compute_bleu` with `exp` smoothing. */
export function computeBleu(stats: readonly number[], effectiveOrder: boolean): BleuScore {
  const sysLen = stats[0]!;
  const refLen = stats[1]!;
  const counts = stats.slice(2, 2 + MAX_ORDER);
  const totals = stats.slice(2 + MAX_ORDER, 2 + 2 * MAX_ORDER);
  let bp = 1.0;
  if (sysLen < refLen) bp = sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0.0;
  const precisions = new Array<number>(MAX_ORDER).fill(0);
  if (!counts.some((c) => c !== 0)) return { score: 0, counts, totals, precisions, bp, sysLen, refLen };
  let smoothMteval = 1.0;
  let order = MAX_ORDER;
  for (let n = 1; n <= MAX_ORDER; n++) {
    if (totals[n - 1] === 0) break;
    if (effectiveOrder) order = n;
    if (counts[n - 1] === 0) {
      smoothMteval *= 2;
      precisions[n - 1] = 100 / (smoothMteval * totals[n - 1]!);
    } else {
      precisions[n - 1] = (100 * counts[n - 1]!) / totals[n - 1]!;
    }
  }
  let logSum = 0;
  for (let n = 0; n < order; n++) logSum += myLog(precisions[n]!);
  return { score: bp * Math.exp(logSum / order), counts, totals, precisions, bp, sysLen, refLen };
}

/** `sacrebleu.sentence_bleu(prediction, [reference])`: exp smoothing, effective order. */
export function sentenceBleu(prediction: string, reference: string): BleuScore {
  return computeBleu(bleuStatistics(prediction, reference), true);
}

/** `sacrebleu.corpus_bleu(predictions, [references])`: statistics summed over the corpus. */
export function corpusBleu(predictions: readonly string[], references: readonly string[]): BleuScore {
  if (predictions.length !== references.length) {
    throw new RangeError(`corpusBleu: ${predictions.length} predictions but ${references.length} references`);
  }
  const sum = new Array<number>(2 + 2 * MAX_ORDER).fill(0);
  for (let i = 0; i < predictions.length; i++) {
    const stats = bleuStatistics(predictions[i]!, references[i]!);
    for (let k = 0; k < sum.length; k++) sum[k]! += stats[k]!;
  }
  return computeBleu(sum, false);
}
