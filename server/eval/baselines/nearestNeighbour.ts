import type { TrainingPair } from '../runner/evalCase.ts';
import type { Baseline } from './baseline.ts';
import { ENGLISH_STOP_WORDS } from './englishStopWords.ts';

/**
 * Nearest neighbour by TF-IDF cosine similarity over findings: predicts the conclusion of the training report whose
 * findings are most similar. The weighting is scikit-learn's
 * `TfidfVectorizer(stop_words='english', sublinear_tf=True)` (the configuration behind the project's published
 * baseline figures), so the figures can be checked against it:
 * - tokens: the text lower-cased, then every maximal run of two or more word characters (letters, digits, `_`);
 *   one-character tokens are dropped (`\b\w\w+\b`), and so are scikit-learn's 318 English stop words;
 * - term frequency: 1 + ln(count) of a token in the findings (sublinear);
 * - idf(t) = ln((1 + N) / (1 + df(t))) + 1, with N training findings and df(t) the number of them containing t;
 * - each vector is scaled to unit length (L2), so the dot product is the cosine;
 * - tokens never seen in training are ignored.
 * Ties (equal similarity, including a case whose findings share no token with any training report, where every
 * similarity is 0) go to the earliest training pair.
 */
export function fitNearestNeighbour(train: readonly TrainingPair[]): Baseline {
  if (train.length === 0) throw new Error('nearest-neighbour needs at least one training pair');
  const documents = train.map((pair) => termCounts(pair.findings));
  const documentFrequency = new Map<string, number>();
  for (const counts of documents) for (const term of counts.keys()) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  const idf = new Map<string, number>();
  for (const [term, df] of documentFrequency) idf.set(term, Math.log((1 + train.length) / (1 + df)) + 1);

  // Inverted index: term → (training pair, weight) so a query touches only the pairs that share a term with it.
  const postings = new Map<string, Array<{ doc: number; weight: number }>>();
  documents.forEach((counts, doc) => {
    for (const [term, weight] of unitVector(counts, idf)) {
      let list = postings.get(term);
      if (!list) postings.set(term, (list = []));
      list.push({ doc, weight });
    }
  });
  const conclusions = train.map((pair) => pair.reference.trim());

  const nearest = (findings: string): number => {
    const query = unitVector(termCounts(findings), idf);
    const similarity = new Float64Array(train.length);
    for (const [term, weight] of query) for (const posting of postings.get(term) ?? []) similarity[posting.doc]! += weight * posting.weight;
    let best = 0;
    for (let doc = 1; doc < similarity.length; doc++) if (similarity[doc]! > similarity[best]!) best = doc;
    return best;
  };
  return Object.freeze({ name: 'nearest-neighbour' as const, predict: (findings: string) => conclusions[nearest(findings)]! });
}

/** The TF-IDF tokens of a text: lower case, maximal runs of two or more word characters, stop words removed. */
export function tfidfTokens(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}_]{2,}/gu) ?? []).filter((token) => !ENGLISH_STOP_WORDS.has(token));
}

function termCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const token of tfidfTokens(text)) counts.set(token, (counts.get(token) ?? 0) + 1);
  return counts;
}

/** Sublinear TF-IDF weights scaled to unit length, in the order terms first occur; unknown terms dropped. */
function unitVector(counts: Map<string, number>, idf: Map<string, number>): Array<[string, number]> {
  const weighted: Array<[string, number]> = [];
  for (const [term, count] of counts) {
    const weight = idf.get(term);
    if (weight !== undefined) weighted.push([term, (1 + Math.log(count)) * weight]);
  }
  const norm = Math.sqrt(weighted.reduce((sum, [, w]) => sum + w * w, 0));
  return norm === 0 ? [] : weighted.map(([term, w]) => [term, w / norm]);
}
