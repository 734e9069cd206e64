import type { TrainingPair } from '../runner/evalCase.ts';
import type { Baseline } from './baseline.ts';

/**
 * The most frequent training conclusion, predicted for every case. Conclusions are counted after normalising
 * (`normalizeConclusion`: lower case, white space folded, trailing full stops dropped), so "No acute disease." and
 * "No acute disease" count together; the prediction is that group's most frequent original spelling. Ties (between
 * groups, and between spellings in a group) go to the one seen first in training order.
 */
export function fitMostFrequent(train: readonly TrainingPair[]): Baseline {
  if (train.length === 0) throw new Error('most-frequent needs at least one training pair');
  const groups = new Map<string, Tally & { spellings: Map<string, Tally> }>();
  train.forEach((pair, index) => {
    const original = pair.reference.trim();
    const key = normalizeConclusion(original);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { key, count: 0, first: index, spellings: new Map() }));
    group.count++;
    const spelling = group.spellings.get(original);
    if (spelling) spelling.count++;
    else group.spellings.set(original, { key: original, count: 1, first: index });
  });
  const text = mostCounted([...mostCounted([...groups.values()]).spellings.values()]).key;
  return Object.freeze({ name: 'most-frequent' as const, predict: () => text });
}

/** The counting key of a conclusion: lower case, white space folded to one space, trailing full stops removed. */
export function normalizeConclusion(text: string): string {
  return text
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\s.]+$/, '');
}

interface Tally {
  key: string;
  count: number;
  /** Index of the first training pair that had it. */
  first: number;
}

function mostCounted<T extends Tally>(items: readonly T[]): T {
  let best = items[0]!;
  for (const item of items) if (item.count > best.count || (item.count === best.count && item.first < best.first)) best = item;
  return best;
}
