/**
 * Assertion status of a mention, in the manner of NegEx (Chapman et al. 2001) and ConText (Harkema et al. 2009):
 * cue phrases open a scope forward ("no", "possible", "history of") or backward ("has resolved", "cannot be excluded")
 * that runs to the end of the clause (a terminator such as "but", "however", ";") and no further than a few words.
 * Pseudo-cues ("no change in") look like cues and are none. Hedges ("possible", "cannot exclude", "suspicious for")
 * make a mention a hedged positive, never a negation.
 */
import type { Token } from './phraseIndex.ts';
import type { Cue, Vocabulary } from './vocabulary.ts';

export type Assertion = 'present' | 'absent' | 'possible' | 'hypothetical' | 'historical';

/** An assertion that says the finding is there (for certain or perhaps). */
export function isPositive(assertion: Assertion): boolean {
  return assertion === 'present' || assertion === 'possible';
}

export interface CueMatch {
  cue: Cue;
  first: number;
  last: number;
}

/** Words a forward cue reaches ("no focal consolidation, effusion, pneumothorax or acute bony abnormality"). */
export const FORWARD_WORDS = 15;
/** Words a backward cue reaches ("the previously seen small left effusion has resolved"). */
export const BACKWARD_WORDS = 10;

/** What separates the items of a negated list: "no consolidation, effusion or pneumothorax". */
const LIST_SEPARATORS = new Set([',', 'or', 'and', 'nor', '/']);

const PUNCTUATION_TERMINATORS = new Set([';', ':', '.', '(', ')', '[', ']', '?', '!']);

/** The cues of a sentence and the clause structure they need, computed once per sentence. */
export class SentenceScope {
  readonly cues: CueMatch[];
  /** For each token, the index of the word it is (words only counted), to measure distances. */
  private readonly wordIndex: Int32Array;
  private readonly terminator: Uint8Array;
  /** For each token, the first and last token of its clause. */
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;

  constructor(
    readonly tokens: readonly Token[],
    private readonly vocabulary: Vocabulary,
  ) {
    this.cues = [];
    this.terminator = new Uint8Array(tokens.length);
    for (const match of vocabulary.cues.findAll(tokens)) {
      if (match.value.kind === 'pseudo') continue;
      if (match.value.kind === 'terminator') {
        for (let i = match.first; i <= match.last; i++) this.terminator[i] = 1;
        continue;
      }
      this.cues.push({ cue: match.value, first: match.first, last: match.last });
    }
    this.wordIndex = new Int32Array(tokens.length);
    let words = 0;
    tokens.forEach((token, i) => {
      if (PUNCTUATION_TERMINATORS.has(token.lower)) this.terminator[i] = 1;
      this.wordIndex[i] = words;
      if (token.word) words++;
    });
    this.starts = new Int32Array(tokens.length);
    this.ends = new Int32Array(tokens.length);
    for (let i = 0; i < tokens.length; i++) this.starts[i] = i > 0 && !this.terminator[i - 1] ? this.starts[i - 1]! : i;
    for (let i = tokens.length - 1; i >= 0; i--) this.ends[i] = i < tokens.length - 1 && !this.terminator[i + 1] ? this.ends[i + 1]! : i;
  }

  /** First token of the clause holding token `at`. */
  clauseStart(at: number): number {
    return at < 0 ? 0 : at >= this.tokens.length ? this.tokens.length : this.starts[at]!;
  }

  /** Last token of the clause holding token `at`. */
  clauseEnd(at: number): number {
    return at < 0 ? 0 : at >= this.tokens.length ? this.tokens.length - 1 : this.ends[at]!;
  }

  /** Words between two token positions. */
  distance(from: number, to: number): number {
    return Math.abs(this.wordIndex[to]! - this.wordIndex[from]!);
  }

  /**
   * The assertion of the mention spanning tokens `[first, last]`, and whether a negation of it is qualified
   * ("no large effusion": `partial`) so that it does not deny every form of the finding.
   */
  assert(first: number, last: number): { assertion: Assertion; partial: boolean; cue?: CueMatch } {
    const start = this.clauseStart(first);
    const end = this.clauseEnd(last);
    let negation: CueMatch | undefined;
    let hedge: CueMatch | undefined;
    let hypothetical: CueMatch | undefined;
    let historical: CueMatch | undefined;
    // Cues are in text order; only those near enough can reach the mention.
    const from = lowerBound(this.cues, first - 4 * FORWARD_WORDS);
    for (let c = from; c < this.cues.length; c++) {
      const match = this.cues[c]!;
      if (match.first > last + 4 * BACKWARD_WORDS) break;
      let inScope = false;
      if (match.cue.before && match.last < first && match.first >= start) inScope = this.distance(match.last, first) <= FORWARD_WORDS;
      else if (match.cue.after && match.first > last && match.last <= end) inScope = this.distance(last, match.first) <= BACKWARD_WORDS;
      else if (match.first >= first && match.last <= last && match.cue.kind === 'negation') inScope = true; // "heart is not enlarged"
      if (!inScope) continue;
      if (match.cue.kind === 'negation') negation = closest(negation, match, first);
      else if (match.cue.kind === 'hedge') hedge = closest(hedge, match, first);
      else if (match.cue.kind === 'hypothetical') hypothetical = closest(hypothetical, match, first);
      else if (match.cue.kind === 'historical') historical = closest(historical, match, first);
    }
    if (negation) {
      // "no large effusion": a qualifier of this item of the list; "no nodules are definitely seen": an adverb after it.
      let from = first;
      const floor = negation.last < first ? negation.last + 1 : start;
      while (from > floor && !LIST_SEPARATORS.has(this.tokens[from - 1]!.lower)) from--;
      const listWide = negation.last < first && this.vocabulary.partialListWide.matchAt(this.tokens, negation.last + 1) !== undefined;
      const partial = listWide || this.has(this.vocabulary.partial, from, first - 1) || this.has(this.vocabulary.partialAfter, last + 1, end);
      return { assertion: 'absent', partial, cue: negation };
    }
    if (hedge) return { assertion: 'possible', partial: false, cue: hedge };
    if (hypothetical) return { assertion: 'hypothetical', partial: false, cue: hypothetical };
    if (historical) return { assertion: 'historical', partial: false, cue: historical };
    return { assertion: 'present', partial: false };
  }

  /** Whether a phrase of the index occurs within tokens `[from, to]`. */
  has(index: { matchAt(tokens: readonly Token[], first: number): { last: number } | undefined }, from: number, to: number): boolean {
    for (let i = Math.max(0, from); i <= to && i < this.tokens.length; i++) {
      const match = index.matchAt(this.tokens, i);
      if (match && match.last <= to) return true;
    }
    return false;
  }
}

/** Index of the first cue that does not end before token `at`. */
function lowerBound(cues: readonly CueMatch[], at: number): number {
  let low = 0;
  let high = cues.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (cues[mid]!.last < at) low = mid + 1;
    else high = mid;
  }
  return low;
}

function closest(current: CueMatch | undefined, candidate: CueMatch, at: number): CueMatch {
  if (!current) return candidate;
  return Math.abs(candidate.first - at) < Math.abs(current.first - at) ? candidate : current;
}
