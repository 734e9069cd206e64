/**
 * Words of report text and a dictionary of multi-word phrases looked up over them. A trie over lower-cased word tokens
 * is much faster than one large regular expression alternation, and it makes "longest phrase wins" natural:
 * "tension pneumothorax" is one phrase, not "pneumothorax" preceded by a stray word.
 */

export interface Token {
  /** Lower-cased text. */
  lower: string;
  /** The text as written (abbreviations such as `RLL` or `Lt` are matched case-sensitively). */
  text: string;
  /** Offsets into the text the tokens were read from. */
  start: number;
  end: number;
  /** A run of letters or a number, as opposed to punctuation. */
  word: boolean;
}

// Words (letters, allowing an inner apostrophe), numbers (with a decimal part), and single punctuation marks.
// Markdown emphasis and code marks are not tokens: `**right** lower lobe` reads as "right lower lobe".
const TOKEN = /[A-Za-z\u00C0-\u024F]+|\d+(?:st|nd|rd|th)\b|\d+(?:[.,]\d+)?|[^\sA-Za-z\u00C0-\u024F\d*_`]/g;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(text); match; match = TOKEN.exec(text)) {
    const value = match[0];
    const code = value.charCodeAt(0);
    const word = (code >= 48 && code <= 57) || /[A-Za-z\u00C0-\u024F]/.test(value[0]!);
    tokens.push({ lower: value.toLowerCase(), text: value, start: match.index, end: match.index + value.length, word });
  }
  return tokens;
}

/** A phrase match: tokens `[first, last]` inclusive. */
export interface PhraseMatch<T> {
  value: T;
  first: number;
  last: number;
}

interface TrieNode<T> {
  next: Map<string, TrieNode<T>>;
  value?: T;
}

/** Hyphens join words ("ground-glass" = "ground glass"); they are skipped both in phrases and in text. */
const JOINERS = new Set(['-', '\u2010', '\u2011', '\u2013']);
/** A de-identification token inside a phrase stands for a removed word: "wedge XXXX deformity" reads as "wedge deformity". */
const DEIDENTIFIED = /^x{3,}$/;

export class PhraseIndex<T> {
  private readonly root: TrieNode<T> = { next: new Map() };
  private size = 0;

  /** Adds a phrase. A phrase added again keeps its first value, so built-in entries are not overridden by accident. */
  add(phrase: string, value: T, options: { plural?: boolean; replace?: boolean } = {}): void {
    const words = tokenize(phrase)
      .map((t) => t.lower)
      .filter((w) => !JOINERS.has(w));
    if (words.length === 0) return;
    const forms = options.plural ? pluralForms(words[words.length - 1]!) : [words[words.length - 1]!];
    for (const last of forms) {
      let node = this.root;
      for (const word of [...words.slice(0, -1), last]) {
        let child = node.next.get(word);
        if (!child) {
          child = { next: new Map() };
          node.next.set(word, child);
        }
        node = child;
      }
      if (node.value === undefined || options.replace) {
        if (node.value === undefined) this.size++;
        node.value = value;
      }
    }
  }

  get phraseCount(): number {
    return this.size;
  }

  /** The longest phrase starting at token `first`, if any. */
  matchAt(tokens: readonly Token[], first: number): PhraseMatch<T> | undefined {
    let node: TrieNode<T> | undefined = this.root;
    let best: PhraseMatch<T> | undefined;
    for (let i = first; i < tokens.length && node; i++) {
      const token = tokens[i]!;
      if (JOINERS.has(token.lower) && i > first) continue;
      if (i > first && DEIDENTIFIED.test(token.lower) && !node.next.has(token.lower) && i + 1 < tokens.length) continue;
      node = node.next.get(token.lower);
      if (node?.value !== undefined) best = { value: node.value, first, last: i };
    }
    return best;
  }

  /** Every longest, non-overlapping phrase in the tokens, left to right. */
  findAll(tokens: readonly Token[]): Array<PhraseMatch<T>> {
    const out: Array<PhraseMatch<T>> = [];
    for (let i = 0; i < tokens.length; i++) {
      const match = this.matchAt(tokens, i);
      if (match) {
        out.push(match);
        i = match.last;
      }
    }
    return out;
  }
}

/** The singular and a regular English plural of a word; Latin and Greek plurals common in radiology included. */
export function pluralForms(word: string): string[] {
  const forms = new Set([word]);
  if (/[^aeiou]y$/.test(word)) forms.add(word.slice(0, -1) + 'ies');
  else if (/ex$/.test(word)) forms.add(word.slice(0, -2) + 'ices').add(word + 'es');
  else if (/(?:s|x|ch|sh)$/.test(word) && !/(?:is|us)$/.test(word)) forms.add(word + 'es');
  else if (/is$/.test(word)) forms.add(word.slice(0, -2) + 'es');
  else if (/us$/.test(word)) forms.add(word.slice(0, -2) + 'i');
  else if (/um$/.test(word)) forms.add(word.slice(0, -2) + 'a');
  else if (/[^aeiou]a$/.test(word)) forms.add(word + 'e');
  if (!/s$/.test(word)) forms.add(word + 's');
  return [...forms];
}
