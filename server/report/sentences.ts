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
    if (ch === '.' && !endsSentence(text.slice(start, i))) continue;
    push(end);
    i = end - 1;
  }
  push(text.length);
  return out;
}

const ABBREVIATIONS = new Set([
  'dr', 'mr', 'mrs', 'ms', 'prof', 'st', 'vs', 'e.g', 'i.e', 'etc', 'approx', 'fig', 'resp', 'incl',
  'ca', 'cf', 'al', 'jr', 'sr', 'dept', 'u.s', 'a.m', 'p.m', 'vol', 'ref',
]);

function endsSentence(before: string): boolean {
  const trimmed = before.trim();
  if (trimmed === '') return false;
  // "1." or "a." at the start of a sentence is a list marker, not a sentence.
  if (/^(\d{1,2}|[a-z])$/i.test(trimmed)) return false;
  const lastWord = /([A-Za-z.]+)$/.exec(trimmed)?.[1]?.toLowerCase();
  if (lastWord && ABBREVIATIONS.has(lastWord)) return false;
  // Single capital initial such as "J. Smith".
  if (/(^|\s)[A-Z]$/.test(trimmed)) return false;
  return true;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 160;
}
