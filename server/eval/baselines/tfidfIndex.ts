import { ENGLISH_STOP_WORDS } from './englishStopWords.ts';

/**
 * A TF-IDF index over findings: the nearest-neighbour baseline and the user's example library both retrieve with it.
 * The weighting is scikit-learn's `TfidfVectorizer(stop_words='english', sublinear_tf=True)` (the configuration
 * behind the project's published baseline figures), so the figures can be checked against it:
 * - tokens: the text lower-cased, then every maximal run of two or more word characters (letters, digits, `_`);
 *   one-character tokens are dropped (`\b\w\w+\b`), and so are scikit-learn's 318 English stop words;
 * - term frequency: 1 + ln(count) of a token in the findings (sublinear);
 * - idf(t) = ln((1 + N) / (1 + df(t))) + 1, with N indexed findings and df(t) the number of them containing t;
 * - each vector is scaled to unit length (L2), so the dot product is the cosine;
 * - tokens never indexed are ignored.
 * Ties (equal similarity) go to the earliest document.
 */
export interface TfidfIndex {
  readonly size: number;
  /** The `k` most similar documents, most similar first, with their cosine similarity; `skip` leaves documents out. */
  nearest(text: string, k: number, skip?: (doc: number) => boolean): Array<{ doc: number; similarity: number }>;
}

/** Term counts of a text, as the index reads it: computed once per document so an index can be rebuilt cheaply. */
export type TermCounts = ReadonlyMap<string, number>;

export function termCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const token of tfidfTokens(text)) counts.set(token, (counts.get(token) ?? 0) + 1);
  return counts;
}

/** The TF-IDF tokens of a text: lower case, maximal runs of two or more word characters, stop words removed. */
export function tfidfTokens(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}_]{2,}/gu) ?? []).filter((token) => !ENGLISH_STOP_WORDS.has(token));
}

/** Indexes documents given as their term counts (`termCounts(findings)`), in order: document i is `documents[i]`. */
export function buildTfidfIndex(documents: readonly TermCounts[]): TfidfIndex {
  const documentFrequency = new Map<string, number>();
  for (const counts of documents) for (const term of counts.keys()) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  const idf = new Map<string, number>();
  for (const [term, df] of documentFrequency) idf.set(term, Math.log((1 + documents.length) / (1 + df)) + 1);

  // Inverted index: term → (document, weight) so a query touches only the documents that share a term with it.
  const postings = new Map<string, Array<{ doc: number; weight: number }>>();
  documents.forEach((counts, doc) => {
    for (const [term, weight] of unitVector(counts, idf)) {
      let list = postings.get(term);
      if (!list) postings.set(term, (list = []));
      list.push({ doc, weight });
    }
  });

  return Object.freeze({
    size: documents.length,
    nearest(text: string, k: number, skip?: (doc: number) => boolean) {
      const query = unitVector(termCounts(text), idf);
      const similarity = new Float64Array(documents.length);
      for (const [term, weight] of query) for (const posting of postings.get(term) ?? []) similarity[posting.doc]! += weight * posting.weight;
      const best: Array<{ doc: number; similarity: number }> = [];
      for (let doc = 0; doc < similarity.length && k > 0; doc++) {
        if (skip?.(doc)) continue;
        const value = similarity[doc]!;
        if (best.length === k && value <= best[k - 1]!.similarity) continue;
        // Insert after every document at least as similar, so ties keep the earliest first.
        let at = best.length;
        while (at > 0 && best[at - 1]!.similarity < value) at--;
        best.splice(at, 0, { doc, similarity: value });
        if (best.length > k) best.pop();
      }
      return best;
    },
  });
}

/** Sublinear TF-IDF weights scaled to unit length, in the order terms first occur; unknown terms dropped. */
function unitVector(counts: TermCounts, idf: Map<string, number>): Array<[string, number]> {
  const weighted: Array<[string, number]> = [];
  for (const [term, count] of counts) {
    const weight = idf.get(term);
    if (weight !== undefined) weighted.push([term, (1 + Math.log(count)) * weight]);
  }
  const norm = Math.sqrt(weighted.reduce((sum, [, w]) => sum + w * w, 0));
  return norm === 0 ? [] : weighted.map(([term, w]) => [term, w / norm]);
}
