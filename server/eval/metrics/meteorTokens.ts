/**
 * The tokenization METEOR is scored over (NLTK's `meteor_score` takes tokens, not text):
 *
 *   1. sentences: the text is cut at every run of white space that follows ".", "!" or "?", and at every
 *      line break (Python: `re.split(r"(?<=[.!?])[ \t\n\r\f\v]+|[ \t\r\f\v]*\n[ \t\n\r\f\v]*", text)`),
 *      and each piece is stripped; empty pieces are dropped. This stands in for `sent_tokenize` (Punkt),
 *      whose trained English model is data NLTK downloads and Debian does not ship.
 *   2. words: NLTK 3.8's `NLTKWordTokenizer().tokenize(sentence)`, the improved Treebank tokenizer that
 *      `nltk.word_tokenize` runs on each sentence, ported regex by regex.
 *
 * Python regex semantics kept here: `\w` and `\b` are Unicode-aware, `\s` and `str.split()` use Python's
 * white space, `$` also matches before a final "\n".
 */
import { PY_WHITESPACE_CLASS, pySplit, pyStrip } from './pythonText.ts';

const W = '[\\p{L}\\p{N}_]';
/** Python's Unicode `\b`. */
const B = `(?:(?<!${W})(?=${W})|(?<=${W})(?!${W}))`;
const S = `[${PY_WHITESPACE_CLASS}]`;
/** Python's `$` without MULTILINE: end of text, or before a final newline. */
const END = '(?=\\n?$)';

type Substitution = readonly [RegExp, string];
const re = (source: string, flags = ''): RegExp => new RegExp(source, `gu${flags}`);

const STARTING_QUOTES: readonly Substitution[] = [
  [re('([«“‘„]|[`]+)'), ' $1 '],
  [re('^"'), '``'],
  [re('(``)'), ' $1 '],
  [re(`([ \\(\\[{<])("|'{2})`), '$1 `` '],
  [re(`(')(?!re|ve|ll|m|t|s|d|n)(${W})${B}`, 'i'), '$1 $2'],
];

const ENDING_QUOTES: readonly Substitution[] = [
  [re('([»”’])'), ' $1 '],
  [re("''"), " '' "],
  [re('"'), " '' "],
  [re("([^' ])('[sS]|'[mM]|'[dD]|') "), '$1 $2 '],
  [re("([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) "), '$1 $2 '],
];

const PUNCTUATION: readonly Substitution[] = [
  [re(`([^\\.])(\\.)([\\]\\)}>"'»”’ ]*)${S}*${END}`), '$1 $2 $3 '],
  [re('([:,])([^\\p{Nd}])'), ' $1 $2'],
  [re(`([:,])${END}`), ' $1 '],
  [re('\\.{2,}'), ' $& '],
  [re('[;@#$%&]'), ' $& '],
  [re(`([^\\.])(\\.)([\\]\\)}>"']*)${S}*${END}`), '$1 $2$3 '],
  [re('[?!]'), ' $& '],
  [re("([^'])' "), "$1 ' "],
  [re('[*]'), ' $& '],
];

const PARENS_BRACKETS: Substitution = [re('[\\]\\[\\(\\)\\{\\}<>]'), ' $& '];
const DOUBLE_DASHES: Substitution = [re('--'), ' -- '];

const CONTRACTIONS2: readonly RegExp[] = [
  `${B}(can)(not)${B}`,
  `${B}(d)('ye)${B}`,
  `${B}(gim)(me)${B}`,
  `${B}(gon)(na)${B}`,
  `${B}(got)(ta)${B}`,
  `${B}(lem)(me)${B}`,
  `${B}(more)('n)${B}`,
  `${B}(wan)(na)(?=${S})`,
].map((source) => re(source, 'i'));

const CONTRACTIONS3: readonly RegExp[] = [` ('t)(is)${B}`, ` ('t)(was)${B}`].map((source) => re(source, 'i'));

function apply(text: string, [pattern, replacement]: Substitution): string {
  return text.replace(pattern, replacement);
}

/** NLTK 3.8 `NLTKWordTokenizer().tokenize(text)` (convert_parentheses=False). */
export function treebankWords(text: string): string[] {
  let t = text;
  for (const s of STARTING_QUOTES) t = apply(t, s);
  for (const s of PUNCTUATION) t = apply(t, s);
  t = apply(t, PARENS_BRACKETS);
  t = apply(t, DOUBLE_DASHES);
  t = ` ${t} `;
  for (const s of ENDING_QUOTES) t = apply(t, s);
  for (const pattern of CONTRACTIONS2) t = t.replace(pattern, ' $1 $2 ');
  for (const pattern of CONTRACTIONS3) t = t.replace(pattern, ' $1 $2 ');
  return pySplit(t);
}

const SENTENCE_BREAK = /(?<=[.!?])[ \t\n\r\f\v]+|[ \t\r\f\v]*\n[ \t\n\r\f\v]*/;

/** Step 1 above: the sentences of a text. */
export function meteorSentences(text: string): string[] {
  return text
    .split(SENTENCE_BREAK)
    .map(pyStrip)
    .filter((s) => s.length > 0);
}

/** The tokens METEOR scores: Treebank words of each sentence (steps 1 and 2 above). */
export function meteorTokens(text: string): string[] {
  return meteorSentences(text).flatMap(treebankWords);
}
