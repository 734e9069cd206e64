import type { TrainingPair } from '../runner/evalCase.ts';

/**
 * A baseline predicts a conclusion from findings without a language model. It is fitted once on training pairs and
 * is then a pure function: the same findings always give the same prediction.
 */
export interface Baseline {
  readonly name: BaselineName;
  predict(findings: string): string;
}

export type BaselineName = 'most-frequent' | 'nearest-neighbour' | 'lead-sentence';

export const BASELINE_NAMES: readonly BaselineName[] = ['most-frequent', 'nearest-neighbour', 'lead-sentence'];

export type FitBaseline = (train: readonly TrainingPair[]) => Baseline;
