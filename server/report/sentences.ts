/**
 * Sentence boundaries in plain report text. Radiology prose is terse and full of measurements ("1.4 x 2.0 cm"),
 * numbered impressions ("1.  Focus of ...") and abbreviations, so the splitter is deliberately conservative:
 * it splits at `.`, `?`, `!` (and `;` never) followed by white space, and at line breaks, and it keeps list markers
 * and known abbreviations with the text that follows them.
 */

/** Half-open [start, end) indices of each sentence in `text`, white space trimmed. */
export function sentenceBoundaries(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  const push = (end: number) => {
    let s = start;
    let e = end;
    while (s < e && isSpace(text.charCodeAt(s))) s++;
    while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
    if (e > s) out.push([s, e]);
    start = end;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') {
      push(i);
      continue;
    }
    if (ch !== '.' && ch !== '?' && ch !== '!') continue;
    let end = i + 1;
    while (end < text.length && /["')\]]/.test(text[end]!)) end++;
    if (end < text.length && !isSpace(text.charCodeAt(end))) continue;
    if (ch === '.' && !endsSentence(text, start, i)) continue;
    push(end);
    i = end - 1;
  }
  push(text.length);
  return out;
}

const ABBREVIATIONS = new Set([
  'dr',
  'mr',
  'mrs',
  'ms',
  'prof',
  'st',
  'vs',
  'e.g',
  'i.e',
  'etc',
  'approx',
  'fig',
  'resp',
  'incl',
  'ca',
  'cf',
  'al',
  'jr',
  'sr',
  'dept',
  'u.s',
  'a.m',
  'p.m',
  'vol',
  'ref',
]);

/** Longest abbreviation in ABBREVIATIONS, with its periods. */
const LONGEST_ABBREVIATION = 6;

/**
 * Whether the period at `dot` ends the sentence that starts at `start`. Looks only at the few characters before the
 * period, so checking every period of a long sentence ("Dr. Dr. Dr. ...") stays linear.
 */
function endsSentence(text: string, start: number, dot: number): boolean {
  let s = start;
  let e = dot;
  while (s < e && isSpace(text.charCodeAt(s))) s++;
  while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
  if (e === s) return false;
  // "1." or "a." at the start of a sentence is a list marker, not a sentence.
  if (e - s <= 2 && /^(\d{1,2}|[a-z])$/i.test(text.slice(s, e))) return false;
  // The word before the period (letters and inner periods), if short enough to be an abbreviation.
  let w = e;
  while (w > s && e - w <= LONGEST_ABBREVIATION && isWordChar(text.charCodeAt(w - 1))) w--;
  const whole = w === s || !isWordChar(text.charCodeAt(w - 1));
  if (whole && w < e && ABBREVIATIONS.has(text.slice(w, e).toLowerCase())) return false;
  // Single capital initial such as "J. Smith".
  const last = text.charCodeAt(e - 1);
  if (last >= 65 && last <= 90 && (e - 1 === s || isSpace(text.charCodeAt(e - 2)))) return false;
  return true;
}

/** A letter or a period: what an abbreviation is made of. */
function isWordChar(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 46;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 160;
}
