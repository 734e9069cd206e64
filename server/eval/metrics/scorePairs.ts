/**
 * Score a set of prediction/reference pairs with every metric at once, for `radreport score` and the
 * evaluation runner. Corpus values are on a 0-1 scale: ROUGE and METEOR are the mean of the per-pair
 * F1 / score, BLEU is sacrebleu's corpus BLEU / 100, BERTScore the mean of the per-pair values.
 */
import { corpusBleu, sentenceBleu } from './bleu.ts';
import { createBertScorer, type BertScore, type BertScorer, type BertScorerOptions } from './bertScore.ts';
import { meteor } from './meteor.ts';
import { rouge, type RougeScores } from './rouge.ts';

export interface ScoringPair {
  prediction: string;
  reference: string;
}

export interface PairScore {
  rouge: RougeScores;
  /** sacrebleu sentence BLEU / 100 */
  bleu: number;
  meteor: number;
  bertscore?: BertScore;
}

export interface CorpusScores {
  n: number;
  rouge1: number;
  rouge2: number;
  rougeL: number;
  rougeLsum: number;
  /** sacrebleu corpus BLEU / 100 */
  bleu: number;
  meteor: number;
  bertscore?: BertScore;
  perPair: PairScore[];
}

export interface ScorePairsOptions {
  /** Porter-stem ROUGE tokens (rouge-score `use_stemmer`). Default false. */
  stem?: boolean;
  /** Also compute BERTScore: a scorer made with `createBertScorer`, or the options to make one (closed after). */
  bertscore?: BertScorer | BertScorerOptions;
  signal?: AbortSignal;
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

function checkPairs(pairs: readonly ScoringPair[]): void {
  if (pairs.length === 0) throw new RangeError('scorePairs: there are no pairs to score');
  pairs.forEach((pair, i) => {
    if (typeof pair?.prediction !== 'string' || typeof pair?.reference !== 'string') {
      throw new TypeError(`scorePairs: pair ${i + 1} needs a string "prediction" and a string "reference"`);
    }
  });
}

export async function scorePairs(pairs: readonly ScoringPair[], options: ScorePairsOptions = {}): Promise<CorpusScores> {
  checkPairs(pairs);
  const perPair: PairScore[] = [];
  for (const { prediction, reference } of pairs) {
    options.signal?.throwIfAborted();
    perPair.push({
      rouge: rouge(prediction, reference, { stem: options.stem ?? false }),
      bleu: sentenceBleu(prediction, reference).score / 100,
      meteor: meteor(prediction, reference),
    });
  }
  const result: CorpusScores = {
    n: pairs.length,
    rouge1: mean(perPair.map((p) => p.rouge.rouge1.fmeasure)),
    rouge2: mean(perPair.map((p) => p.rouge.rouge2.fmeasure)),
    rougeL: mean(perPair.map((p) => p.rouge.rougeL.fmeasure)),
    rougeLsum: mean(perPair.map((p) => p.rouge.rougeLsum.fmeasure)),
    bleu:
      corpusBleu(
        pairs.map((p) => p.prediction),
        pairs.map((p) => p.reference),
      ).score / 100,
    meteor: mean(perPair.map((p) => p.meteor)),
    perPair,
  };
  if (options.bertscore !== undefined) {
    options.signal?.throwIfAborted();
    const owned = !('score' in options.bertscore);
    const scorer = owned ? await createBertScorer(options.bertscore as BertScorerOptions) : (options.bertscore as BertScorer);
    try {
      const scores = await scorer.score(
        pairs.map((p) => p.prediction),
        pairs.map((p) => p.reference),
      );
      scores.forEach((s, i) => (perPair[i]!.bertscore = s));
      result.bertscore = {
        precision: mean(scores.map((s) => s.precision)),
        recall: mean(scores.map((s) => s.recall)),
        f1: mean(scores.map((s) => s.f1)),
      };
    } finally {
      if (owned) await scorer.dispose();
    }
  }
  return result;
}
