/**
 * The few Python `str` behaviours the reference metrics depend on, so the TypeScript ports split and
 * strip text exactly where CPython 3.11 does.
 *
 * Python's `str.split()` / `str.strip()` and the `\s` of its `re` module treat as white space the
 * characters for which `str.isspace()` is true. That set differs from JavaScript's `\s`: it includes
 * U+001C..U+001F and U+0085 and excludes U+FEFF.
 */
export const PY_WHITESPACE_CLASS = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

const WHITESPACE_RUN = new RegExp(`[${PY_WHITESPACE_CLASS}]+`, 'g');
const LEADING = new RegExp(`^[${PY_WHITESPACE_CLASS}]+`);
const TRAILING = new RegExp(`[${PY_WHITESPACE_CLASS}]+$`);

/** Python's `text.split()` (no argument): split on runs of white space, drop empty strings. */
export function pySplit(text: string): string[] {
  const parts = text.split(WHITESPACE_RUN);
  let start = 0;
  let end = parts.length;
  if (end > 0 && parts[0] === '') start = 1;
  if (end > start && parts[end - 1] === '') end -= 1;
  return start === 0 && end === parts.length ? parts : parts.slice(start, end);
}

/** Python's `text.rstrip()`. */
export function pyRstrip(text: string): string {
  return text.replace(TRAILING, '');
}

/** Python's `text.strip()`. */
export function pyStrip(text: string): string {
  return text.replace(LEADING, '').replace(TRAILING, '');
}
