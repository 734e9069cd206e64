import { corpusBleu, scorePairs } from '../metrics/index.ts';
import type { CorpusScores, PairScores, PredictionPair, Scorer } from './runEval.ts';

/**
 * The runner's metrics: `scorePairs` of `server/eval/metrics` (ROUGE as rouge-score, BLEU as sacrebleu, METEOR as
 * NLTK, BERTScore over ONNX when a model folder is given), flattened to F1 values: per pair ROUGE F1, sentence
 * BLEU / 100, METEOR and BERTScore F1; per corpus the means of those, except BLEU, which is sacrebleu's corpus BLEU / 100.
 * BERTScore uses the model's last layer, no idf and no rescaling unless `options.bertscore` says otherwise.
 */
export function createMetricsScorer(): Scorer {
  return {
    async score(pairs, options) {
      const scored = await scorePairs(pairs, {
        stem: options.stem,
        ...(options.bertscoreModel ? { bertscore: { ...options.bertscore, modelDir: options.bertscoreModel } } : {}),
      });
      const perPair: PairScores[] = scored.perPair.map((p) => ({
        rouge1: p.rouge.rouge1.fmeasure,
        rouge2: p.rouge.rouge2.fmeasure,
        rougeL: p.rouge.rougeL.fmeasure,
        rougeLsum: p.rouge.rougeLsum.fmeasure,
        bleu: p.bleu,
        meteor: p.meteor,
        ...(p.bertscore ? { bertscore: p.bertscore.f1 } : {}),
      }));
      const corpus: CorpusScores = {
        n: scored.n,
        rouge1: scored.rouge1,
        rouge2: scored.rouge2,
        rougeL: scored.rougeL,
        rougeLsum: scored.rougeLsum,
        bleu: scored.bleu,
        meteor: scored.meteor,
        ...(scored.bertscore ? { bertscore: scored.bertscore.f1 } : {}),
      };
      return { corpus, pairs: perPair };
    },
    corpusBleu: (pairs: readonly PredictionPair[]) =>
      pairs.length === 0
        ? 0
        : corpusBleu(
            pairs.map((p) => p.prediction),
            pairs.map((p) => p.reference),
          ).score / 100,
  };
}
