import type { TrainingPair } from '../runner/evalCase.ts';
import { BASELINE_NAMES, type Baseline, type BaselineName } from './baseline.ts';
import { fitLeadSentence } from './leadSentence.ts';
import { fitMostFrequent } from './mostFrequent.ts';
import { fitNearestNeighbour } from './nearestNeighbour.ts';

export { BASELINE_NAMES, type Baseline, type BaselineName } from './baseline.ts';
export { fitLeadSentence, leadSentence } from './leadSentence.ts';
export { fitMostFrequent, normalizeConclusion } from './mostFrequent.ts';
export { fitNearestNeighbour, tfidfTokens } from './nearestNeighbour.ts';

/** Whether a baseline learns from training pairs (lead-sentence does not). */
export function baselineNeedsTraining(name: BaselineName): boolean {
  return name !== 'lead-sentence';
}

export function isBaselineName(name: string): name is BaselineName {
  return (BASELINE_NAMES as readonly string[]).includes(name);
}

/** Fits a baseline on training pairs only; the caller is responsible for passing no evaluation case. */
export function fitBaseline(name: BaselineName, train: readonly TrainingPair[]): Baseline {
  switch (name) {
    case 'most-frequent':
      return fitMostFrequent(train);
    case 'nearest-neighbour':
      return fitNearestNeighbour(train);
    case 'lead-sentence':
      return fitLeadSentence();
  }
}
