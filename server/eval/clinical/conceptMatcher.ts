/**
 * Whether a text states a concept: a synonym of it occurs and is not negated. The synonym tables are the evaluation's
 * own (`iuProblemSynonyms.ts`, `medpixConcepts.ts`, `ctRateLabelSynonyms.ts`), independent of the product's clinical
 * vocabulary, so that a measure does not reward the product for sharing its words. What is shared is general English:
 * the tokenizer of `server/clinical/phraseIndex.ts` and the NegEx/ConText scope of `server/clinical/assertion.ts`
 * with its cue lists ("no", "without", "has resolved", "possible", "cannot be excluded", ...).
 *
 * A mention states its concept unless it is negated ("No pleural effusion"; "no large effusion" too: a negated
 * qualified finding states nothing). Hedged ("possible pneumonia"), historical ("status post sternotomy") and
 * hypothetical mentions count as stated: in a conclusion they still name the finding.
 */
import { SentenceScope, type Assertion } from '../../clinical/assertion.ts';
import { pluralForms, tokenize, type Token } from '../../clinical/phraseIndex.ts';
import { defaultVocabulary } from '../../clinical/vocabulary.ts';

export interface ConceptDefinition {
  id: string;
  /** Words and phrases that state the concept, case-insensitive; the last word is also matched in its plural. */
  terms: readonly string[];
  /** Regular expressions (JavaScript source, matched case-insensitively) for wordings a list of phrases cannot say. */
  patterns?: readonly string[];
  /** A term right after one of these words names something else: "pericardial effusion" is no pleural effusion. */
  notAfter?: readonly string[];
}

export interface ConceptMention {
  id: string;
  assertion: Assertion;
  /** UTF-16 offsets of the mention in the text. */
  start: number;
  end: number;
}

interface TrieNode {
  next: Map<string, TrieNode>;
  ids?: string[];
}

/** Hyphens join words ("ground-glass" = "ground glass"), as in the product's phrase index. */
const JOINERS = new Set(['-', '\u2010', '\u2011', '\u2013']);

/**
 * A compiled concept table. Unlike the product's phrase index, every phrase found at every position counts (a
 * "calcified granuloma" states both a granuloma and a calcification), and one phrase may state several concepts.
 */
export class ConceptMatcher {
  private readonly root: TrieNode = { next: new Map() };
  private readonly patterns: Array<{ id: string; regex: RegExp }> = [];
  private readonly notAfter = new Map<string, ReadonlySet<string>>();
  readonly ids: readonly string[];

  constructor(concepts: readonly ConceptDefinition[]) {
    const seen = new Set<string>();
    for (const concept of concepts) {
      if (seen.has(concept.id)) throw new Error(`concept "${concept.id}" is defined twice`);
      seen.add(concept.id);
      for (const term of concept.terms) this.addTerm(term, concept.id);
      for (const source of concept.patterns ?? []) this.patterns.push({ id: concept.id, regex: new RegExp(source, 'gi') });
      if (concept.notAfter?.length) this.notAfter.set(concept.id, new Set(concept.notAfter.map((w) => w.toLowerCase())));
    }
    this.ids = [...seen];
  }

  private addTerm(term: string, id: string): void {
    const words = tokenize(term)
      .map((t) => t.lower)
      .filter((w) => !JOINERS.has(w));
    if (words.length === 0) throw new Error(`concept "${id}": the term "${term}" has no word`);
    for (const last of pluralForms(words[words.length - 1]!)) {
      let node = this.root;
      for (const word of [...words.slice(0, -1), last]) {
        let child = node.next.get(word);
        if (!child) {
          child = { next: new Map() };
          node.next.set(word, child);
        }
        node = child;
      }
      node.ids ??= [];
      if (!node.ids.includes(id)) node.ids.push(id);
    }
  }

  /** Every mention of every concept in the text, with its assertion, in text order. */
  mentions(text: string): ConceptMention[] {
    const tokens = tokenize(text);
    if (tokens.length === 0) return [];
    const scope = new SentenceScope(tokens, defaultVocabulary());
    const out: ConceptMention[] = [];
    const add = (id: string, first: number, last: number) => {
      const before = this.notAfter.get(id);
      if (before && first > 0 && before.has(tokens[first - 1]!.lower)) return;
      const { assertion } = scope.assert(first, last);
      out.push({ id, assertion, start: tokens[first]!.start, end: tokens[last]!.end });
    };
    for (let i = 0; i < tokens.length; i++) {
      if (JOINERS.has(tokens[i]!.lower)) continue;
      let node: TrieNode | undefined = this.root;
      for (let j = i; j < tokens.length && node; j++) {
        const lower = tokens[j]!.lower;
        if (JOINERS.has(lower)) continue;
        node = node.next.get(lower);
        for (const id of node?.ids ?? []) add(id, i, j);
      }
    }
    for (const { id, regex } of this.patterns) {
      regex.lastIndex = 0;
      for (let match = regex.exec(text); match; match = regex.exec(text)) {
        if (match[0] === '') {
          regex.lastIndex++;
          continue;
        }
        const span = tokenSpan(tokens, match.index, match.index + match[0].length);
        if (span) add(id, span.first, span.last);
      }
    }
    return out.sort((a, b) => a.start - b.start || a.end - b.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** The ids of the concepts the text states (at least one mention that is not negated). */
  stated(text: string): Set<string> {
    const ids = new Set<string>();
    for (const mention of this.mentions(text)) if (statesConcept(mention.assertion)) ids.add(mention.id);
    return ids;
  }
}

/** Whether a mention with this assertion states its concept: everything but a negation. */
export function statesConcept(assertion: Assertion): boolean {
  return assertion !== 'absent';
}

/** The tokens lying within offsets `[start, end)`, or undefined when none does. */
function tokenSpan(tokens: readonly Token[], start: number, end: number): { first: number; last: number } | undefined {
  let first = -1;
  let last = -1;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.start >= end) break;
    if (token.start >= start && token.end <= end) {
      if (first < 0) first = i;
      last = i;
    }
  }
  return first < 0 ? undefined : { first, last };
}
