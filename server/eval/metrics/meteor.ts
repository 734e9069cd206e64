/**
 * METEOR as NLTK 3.8's `nltk.translate.meteor_score.meteor_score([reference_tokens], hypothesis_tokens)`
 * with its defaults: words lower-cased, aligned in three stages (exact, Porter stem, WordNet 3.0
 * synonym), alpha 0.9, beta 3, gamma 0.5. As in NLTK, the synonym stage sees the stemmed forms left over
 * by the stem stage. `meteor(prediction, reference)` tokenizes both with `meteorTokens` first.
 */
import { createCachedStemmer } from './porterStemmer.ts';
import { meteorTokens } from './meteorTokens.ts';
import { loadWordNet, type WordNetSynonyms } from './wordnet.ts';

export interface MeteorOptions {
  alpha?: number;
  beta?: number;
  gamma?: number;
  /** The WordNet synonyms to use; default: the compact WordNet 3.0 file the project ships. */
  wordnet?: WordNetSynonyms;
}

type Enumerated = [index: number, word: string][];
type Match = [hypothesisIndex: number, referenceIndex: number];

const stemCached = createCachedStemmer();

/** meteor_score.py `_match_enums`: removes matched words from both lists, returns the matches. */
function matchEnums(hypothesis: Enumerated, reference: Enumerated, same: (h: string, r: string) => boolean): Match[] {
  const matches: Match[] = [];
  for (let i = hypothesis.length - 1; i >= 0; i--) {
    for (let j = reference.length - 1; j >= 0; j--) {
      if (same(hypothesis[i]![1], reference[j]![1])) {
        matches.push([hypothesis[i]![0], reference[j]![0]]);
        hypothesis.splice(i, 1);
        reference.splice(j, 1);
        break;
      }
    }
  }
  return matches;
}

function countChunks(matches: readonly Match[]): number {
  let i = 0;
  let chunks = 1;
  while (i < matches.length - 1) {
    if (matches[i + 1]![0] === matches[i]![0] + 1 && matches[i + 1]![1] === matches[i]![1] + 1) {
      i++;
      continue;
    }
    i++;
    chunks++;
  }
  return chunks;
}

/** `single_meteor_score(reference_tokens, hypothesis_tokens)` of NLTK 3.8. */
export function meteorOfTokens(hypothesisTokens: readonly string[], referenceTokens: readonly string[], options: MeteorOptions = {}): number {
  const alpha = options.alpha ?? 0.9;
  const beta = options.beta ?? 3.0;
  const gamma = options.gamma ?? 0.5;
  const wordnet = options.wordnet ?? loadWordNet();
  let hypothesis: Enumerated = hypothesisTokens.map((w, i) => [i, w.toLowerCase()]);
  let reference: Enumerated = referenceTokens.map((w, i) => [i, w.toLowerCase()]);
  const translationLength = hypothesis.length;
  const referenceLength = reference.length;

  const exact = matchEnums(hypothesis, reference, (h, r) => h === r);
  hypothesis = hypothesis.map(([i, w]) => [i, stemCached(w)]);
  reference = reference.map(([i, w]) => [i, stemCached(w)]);
  const stemmed = matchEnums(hypothesis, reference, (h, r) => h === r);
  const synonyms = matchEnums(hypothesis, reference, (h, r) => h === r || wordnet.synonymNames(h).has(r));
  const matches = [...exact, ...stemmed, ...synonyms].sort((a, b) => a[0] - b[0]);

  const matchesCount = matches.length;
  if (translationLength === 0 || referenceLength === 0 || matchesCount === 0) return 0.0;
  const precision = matchesCount / translationLength;
  const recall = matchesCount / referenceLength;
  const fmean = (precision * recall) / (alpha * precision + (1 - alpha) * recall);
  const fragFrac = countChunks(matches) / matchesCount;
  const penalty = gamma * fragFrac ** beta;
  return (1 - penalty) * fmean;
}

/** METEOR of one prediction against one reference, both tokenized with `meteorTokens`. */
export function meteor(prediction: string, reference: string, options: MeteorOptions = {}): number {
  return meteorOfTokens(meteorTokens(prediction), meteorTokens(reference), options);
}
