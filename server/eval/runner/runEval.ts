import { buildConclusionPrompt } from '../../generation/conclusionPrompt.ts';
import type { ConclusionEngine } from '../../generation/engine.ts';
import type { Baseline } from '../baselines/baseline.ts';
import type { EvalCase } from './evalCase.ts';
import type { Progress } from './progress.ts';

/** Scores of one prediction against its reference, each in 0–1. */
export interface PairScores {
  rouge1: number;
  rouge2: number;
  rougeL: number;
  rougeLsum: number;
  /** Sentence BLEU (sacrebleu's `sentence_bleu`, exponential smoothing) divided by 100. */
  bleu: number;
  meteor: number;
  bertscore?: number;
}

/** Corpus-level scores, the shape `radreport score` prints and `metrics.json` holds. */
export interface CorpusScores {
  n: number;
  rouge1: number;
  rouge2: number;
  rougeL: number;
  rougeLsum: number;
  /** sacrebleu's corpus BLEU divided by 100. */
  bleu: number;
  meteor: number;
  bertscore?: number;
}

export interface PredictionPair {
  prediction: string;
  reference: string;
}

export interface ScoreOptions {
  /** Porter stemming in ROUGE (rouge-score's `use_stemmer`). */
  stem: boolean;
  /** Folder of the BERTScore ONNX model; no BERTScore without it. */
  bertscoreModel?: string | undefined;
  /** BERTScore settings beyond the model: layer, idf, baseline rescaling, whose details to match. */
  bertscore?: { layer?: number; idf?: boolean; baseline?: string; matching?: 'bert-score' | 'torchmetrics' } | undefined;
}

/** The metrics as the runner needs them (implemented over `server/eval/metrics` by `scoring.ts`). */
export interface Scorer {
  score(pairs: readonly PredictionPair[], options: ScoreOptions): Promise<{ corpus: CorpusScores; pairs: PairScores[] }>;
  /** Corpus BLEU / 100 of a subset (for the by-group tables). */
  corpusBleu(pairs: readonly PredictionPair[]): number;
}

/** Something that writes a conclusion for a case: a baseline or a model. */
export interface Predictor {
  /** What produced the predictions, for the report: `baseline most-frequent`, `model llama.gguf + lora.gguf`. */
  readonly description: string;
  predict(evalCase: EvalCase, signal?: AbortSignal): Promise<string>;
}

export function baselinePredictor(baseline: Baseline): Predictor {
  return { description: `baseline ${baseline.name}`, predict: async (evalCase) => baseline.predict(evalCase.findings) };
}

/** Asks the engine with the same prompt the editor uses; greedy decoding makes it deterministic. */
export function enginePredictor(engine: ConclusionEngine, description: string): Predictor {
  return {
    description,
    async predict(evalCase, signal) {
      const result = await engine.generate(buildConclusionPrompt(evalCase.prompt), signal ? { signal } : {});
      if (result.stopReason === 'aborted') throw signal?.reason ?? new DOMException('The evaluation was cancelled.', 'AbortError');
      return result.text.trim();
    },
  };
}

export interface ScoredCase {
  evalCase: EvalCase;
  prediction: string;
  scores: PairScores;
}

export interface EvalResult {
  corpus: CorpusScores;
  cases: ScoredCase[];
  /** Wall-clock seconds spent predicting and scoring: printed, never written to `metrics.json`. */
  seconds: { predict: number; score: number };
}

export interface RunEvalOptions {
  cases: readonly EvalCase[];
  predictor: Predictor;
  scorer: Scorer;
  scoreOptions: ScoreOptions;
  progress?: Progress;
  signal?: AbortSignal;
}

/** Predicts every case in order (one at a time: the engine is a single local model), then scores them all. */
export async function runEval(options: RunEvalOptions): Promise<EvalResult> {
  const predictions: string[] = [];
  const started = performance.now();
  for (const evalCase of options.cases) {
    options.signal?.throwIfAborted();
    predictions.push(await options.predictor.predict(evalCase, options.signal));
    options.progress?.tick();
  }
  options.progress?.done();
  const predicted = performance.now();
  const pairs = options.cases.map((evalCase, i) => ({ prediction: predictions[i]!, reference: evalCase.reference }));
  const scored = await options.scorer.score(pairs, options.scoreOptions);
  return {
    corpus: scored.corpus,
    cases: options.cases.map((evalCase, i) => ({ evalCase, prediction: predictions[i]!, scores: scored.pairs[i]! })),
    seconds: { predict: (predicted - started) / 1000, score: (performance.now() - predicted) / 1000 },
  };
}

/** One line of `predictions.jsonl` (what `radreport study create --from` reads). */
export interface PredictionRecord {
  id: string;
  split?: string | undefined;
  exam?: string | undefined;
  modality?: string | undefined;
  findings: string;
  reference: string;
  prediction: string;
  scores: PairScores;
}

export function predictionRecords(result: EvalResult): PredictionRecord[] {
  return result.cases.map(({ evalCase, prediction, scores }) => ({
    id: evalCase.id,
    split: evalCase.split,
    exam: evalCase.exam,
    modality: evalCase.modality,
    findings: evalCase.findings,
    reference: evalCase.reference,
    prediction,
    scores,
  }));
}

/** `metrics.json`: the corpus scores with a fixed key order and a trailing newline, so equal runs give equal bytes. */
export function metricsJson(corpus: CorpusScores): string {
  const ordered: Record<string, number> = {};
  for (const key of ['n', 'rouge1', 'rouge2', 'rougeL', 'rougeLsum', 'bleu', 'meteor', 'bertscore'] as const) {
    const value = corpus[key];
    if (value !== undefined) ordered[key] = value;
  }
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** The metrics as an aligned text table for the terminal. */
export function metricsTable(corpus: CorpusScores): string {
  const rows: Array<[string, string]> = [
    ['pairs', String(corpus.n)],
    ['ROUGE-1', corpus.rouge1.toFixed(4)],
    ['ROUGE-2', corpus.rouge2.toFixed(4)],
    ['ROUGE-L', corpus.rougeL.toFixed(4)],
    ['ROUGE-Lsum', corpus.rougeLsum.toFixed(4)],
    ['BLEU', corpus.bleu.toFixed(4)],
    ['METEOR', corpus.meteor.toFixed(4)],
  ];
  if (corpus.bertscore !== undefined) rows.push(['BERTScore F1', corpus.bertscore.toFixed(4)]);
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, value]) => `${name.padEnd(width)}  ${value}`).join('\n') + '\n';
}
