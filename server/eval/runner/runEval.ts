import type { ReportConfig } from '../../config/reportConfig.ts';
import { vocabularyFor } from '../../clinical/vocabulary.ts';
import { ConclusionCancelled, conclusionRequest, groundedConclusion } from '../../generation/groundedConclusion.ts';
import { caseReport } from './caseReport.ts';
import type { ConclusionExample } from '../../generation/conclusionPrompt.ts';
import type { ConclusionEngine } from '../../generation/engine.ts';
import type { Baseline } from '../baselines/baseline.ts';
import type { CaseClinical, ClinicalJudge, ClinicalMeasures } from '../clinical/clinicalResult.ts';
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

/**
 * Where a conclusion came from, when the predictor says: the model's text as it was (`model`), the model's text after
 * a correction (`model-corrected`), or a conclusion composed without the model (`composed`).
 */
export type PredictionSource = 'model' | 'model-corrected' | 'composed' | 'unchecked' | (string & {});

/** The order of sources in `metrics.json` and the report; others follow in alphabetical order. */
export const PREDICTION_SOURCES: readonly PredictionSource[] = ['model', 'model-corrected', 'composed', 'unchecked'];

export interface PredictedConclusion {
  text: string;
  source?: PredictionSource | undefined;
}

/** Something that writes a conclusion for a case: a baseline or a model. */
export interface Predictor {
  /** What produced the predictions, for the report: `baseline most-frequent`, `model llama.gguf + lora.gguf`. */
  readonly description: string;
  /** The conclusion, as text or with the source it came from. */
  predict(evalCase: EvalCase, signal?: AbortSignal): Promise<string | PredictedConclusion>;
}

export function baselinePredictor(baseline: Baseline): Predictor {
  return { description: `baseline ${baseline.name}`, predict: async (evalCase) => baseline.predict(evalCase.findings) };
}

/**
 * Asks the engine the way the editor does: the grounded conclusion (plan, model, check, correction or composition) of
 * the case's report, with where its text came from; greedy decoding makes it deterministic. `unguarded` asks the model
 * alone, with the same prompt, and shows its text unchecked: to measure the model, never to ship.
 */
export interface EnginePredictorOptions {
  unguarded?: boolean;
  config?: ReportConfig;
  /** The in-context examples for a case (the user's own reports nearest to it); none by default. */
  examples?: (evalCase: EvalCase) => readonly ConclusionExample[];
}

export function enginePredictor(engine: ConclusionEngine, description: string, options: EnginePredictorOptions = {}): Predictor {
  return {
    description,
    async predict(evalCase, signal) {
      const report = caseReport(evalCase);
      const examples = options.examples?.(evalCase) ?? [];
      try {
        if (options.unguarded) {
          const { prompt } = conclusionRequest(report, vocabularyFor(options.config?.vocabulary), examples);
          const result = await engine.generate(prompt, signal ? { signal } : {});
          if (result.stopReason === 'aborted') throw new ConclusionCancelled();
          return { text: result.text.trim(), source: 'unchecked' };
        }
        const result = await groundedConclusion(report, {
          engine,
          examples,
          ...(options.config ? { config: options.config } : {}),
          ...(signal ? { signal } : {}),
        });
        return { text: result.text, source: result.source };
      } catch (error) {
        if (error instanceof ConclusionCancelled) throw signal?.reason ?? new DOMException('The evaluation was cancelled.', 'AbortError');
        throw error;
      }
    },
  };
}

export interface ScoredCase {
  evalCase: EvalCase;
  prediction: string;
  /** Where the prediction came from, when the predictor said. */
  source?: PredictionSource | undefined;
  /** Undefined where the data has no reference conclusion (MedPix). */
  scores?: PairScores | undefined;
  /** The case's clinical reading, where the data has clinical measures. */
  clinical?: CaseClinical | undefined;
}

export interface EvalResult {
  /** Cases evaluated. */
  n: number;
  /** Undefined where the data has no reference conclusion: nothing to score text against. */
  corpus?: CorpusScores | undefined;
  cases: ScoredCase[];
  /** Predictions per source, when any prediction has one (`PREDICTION_SOURCES` order first). */
  sources?: Record<string, number> | undefined;
  /** The clinical measures, where the data has them. */
  clinical?: { description: string; summary: ClinicalMeasures } | undefined;
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
  /** The clinical measures for this data (IU labels, MedPix diagnoses, CT-RATE labels); none when undefined. */
  clinical?: ClinicalJudge | undefined;
}

/**
 * Predicts every case in order (one at a time: the engine is a single local model), then scores them all: text
 * metrics against the reference where the data has one, and the clinical measures where it has a judge.
 */
export async function runEval(options: RunEvalOptions): Promise<EvalResult> {
  const predictions: PredictedConclusion[] = [];
  const started = performance.now();
  for (const evalCase of options.cases) {
    options.signal?.throwIfAborted();
    const predicted = await options.predictor.predict(evalCase, options.signal);
    predictions.push(typeof predicted === 'string' ? { text: predicted } : predicted);
    options.progress?.tick();
  }
  options.progress?.done();
  const predicted = performance.now();
  const hasReference = options.cases.some((evalCase) => evalCase.reference.trim() !== '');
  const pairs = options.cases.map((evalCase, i) => ({ prediction: predictions[i]!.text, reference: evalCase.reference }));
  const scored = hasReference ? await options.scorer.score(pairs, options.scoreOptions) : undefined;
  const clinical = options.clinical?.judge(
    options.cases.map((evalCase, i) => ({
      id: evalCase.id,
      findings: evalCase.findings,
      reference: evalCase.reference,
      prediction: predictions[i]!.text,
      diagnosis: evalCase.diagnosis,
      labels: evalCase.labels,
    })),
  );
  return {
    n: options.cases.length,
    corpus: scored?.corpus,
    cases: options.cases.map((evalCase, i) => ({
      evalCase,
      prediction: predictions[i]!.text,
      source: predictions[i]!.source,
      scores: scored?.pairs[i],
      clinical: clinical?.perCase[i],
    })),
    sources: countSources(predictions),
    clinical: clinical && options.clinical ? { description: options.clinical.description, summary: clinical.summary } : undefined,
    seconds: { predict: (predicted - started) / 1000, score: (performance.now() - predicted) / 1000 },
  };
}

/** Predictions per source, known sources first; undefined when no prediction has a source. */
export function countSources(predictions: readonly { source?: PredictionSource | undefined }[]): Record<string, number> | undefined {
  const counts = new Map<string, number>();
  for (const { source } of predictions) if (source !== undefined) counts.set(source, (counts.get(source) ?? 0) + 1);
  if (counts.size === 0) return undefined;
  const order = [...PREDICTION_SOURCES.filter((s) => counts.has(s)), ...[...counts.keys()].filter((s) => !PREDICTION_SOURCES.includes(s)).sort()];
  return Object.fromEntries(order.map((s) => [s, counts.get(s)!]));
}

/** One line of `predictions.jsonl` (what `radreport study create --from` reads). */
export interface PredictionRecord {
  id: string;
  split?: string | undefined;
  exam?: string | undefined;
  modality?: string | undefined;
  /** MedPix: the case diagnosis. */
  diagnosis?: string | undefined;
  findings: string;
  reference: string;
  prediction: string;
  /** Where the prediction came from, when the predictor said (`model`, `model-corrected`, `composed`). */
  source?: PredictionSource | undefined;
  /** Absent where the data has no reference conclusion. */
  scores?: PairScores | undefined;
  /** What the case is judged on clinically and what each text states of it. */
  clinical?: CaseClinical | undefined;
}

export function predictionRecords(result: EvalResult): PredictionRecord[] {
  return result.cases.map(({ evalCase, prediction, source, scores, clinical }) => ({
    id: evalCase.id,
    split: evalCase.split,
    exam: evalCase.exam,
    modality: evalCase.modality,
    diagnosis: evalCase.diagnosis,
    findings: evalCase.findings,
    reference: evalCase.reference,
    prediction,
    source,
    scores,
    clinical,
  }));
}

export interface MetricsExtras {
  /** Predictions per source. */
  sources?: Readonly<Record<string, number>> | undefined;
  /** The clinical measures (their builders fix the key order). */
  clinical?: ClinicalMeasures | undefined;
}

/**
 * `metrics.json`: `n`, the corpus scores, then `sources` and `clinical` when there are any, with a fixed key order and
 * a trailing newline, so equal runs give equal bytes.
 */
export function metricsJson(corpus: CorpusScores | { n: number }, extras: MetricsExtras = {}): string {
  const ordered: Record<string, unknown> = {};
  for (const key of ['n', 'rouge1', 'rouge2', 'rougeL', 'rougeLsum', 'bleu', 'meteor', 'bertscore'] as const) {
    const value = (corpus as Partial<CorpusScores>)[key];
    if (value !== undefined) ordered[key] = value;
  }
  if (extras.sources) ordered.sources = extras.sources;
  if (extras.clinical) ordered.clinical = extras.clinical;
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
