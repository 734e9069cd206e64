import type { TrainingPair } from '../runner/evalCase.ts';
import type { Baseline } from './baseline.ts';
import { buildTfidfIndex, termCounts } from './tfidfIndex.ts';

export { tfidfTokens } from './tfidfIndex.ts';

/**
 * Nearest neighbour by TF-IDF cosine similarity over findings (`tfidfIndex.ts` states the weighting): predicts the
 * conclusion of the training report whose findings are most similar. Ties (equal similarity, including a case whose
 * findings share no token with any training report, where every similarity is 0) go to the earliest training pair.
 */
export function fitNearestNeighbour(train: readonly TrainingPair[]): Baseline {
  if (train.length === 0) throw new Error('nearest-neighbour needs at least one training pair');
  const index = buildTfidfIndex(train.map((pair) => termCounts(pair.findings)));
  const conclusions = train.map((pair) => pair.reference.trim());
  const predict = (findings: string) => conclusions[index.nearest(findings, 1)[0]?.doc ?? 0]!;
  return Object.freeze({ name: 'nearest-neighbour' as const, predict });
}
