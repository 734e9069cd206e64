/**
 * A linear estimate of how hard a text is for the markdown parser, so text that would take it seconds to minutes (runs of
 * emphasis delimiters, unclosed `<!--`, thousands of nested brackets, deep `>` or list nesting) is read line by line
 * instead (see `lineSections.ts`).
 *
 * CommonMark's inline phase matches each closing delimiter, bracket, backtick run or HTML opener against the ones before it
 * in the same paragraph, so its cost grows with the square of the number of such characters in a paragraph; container
 * blocks (block quotes, list items) nest one level for each marker at the start of a line, and the syntax tree is as deep.
 * A real report has a few such characters per paragraph and two or three levels of nesting, far below either limit.
 */

/** Characters that open or close inline constructs the parser matches against earlier ones. */
const INLINE_MARKUP = new Set(['*', '_', '[', ']', '<', '>', '`', '!', '&', '\\', '(', ')', '~', '|']);

/** The sum over paragraphs of (markup characters)²: above this the parser may take more than about half a second. */
export const MAX_INLINE_LOAD = 20_000_000;
/** Lines in the text: the parser's time grows faster than the number of lines and blocks (a report has about a hundred). */
export const MAX_LINES = 4_000;
/** Characters: beyond this the parser alone takes about a second even on plain prose (a report has a few thousand). */
export const MAX_MARKDOWN_LENGTH = 200_000;
/** Container markers (`>`, list bullets) at the start of one line: more nest deeper than any report does. */
export const MAX_NESTING = 32;
/** Indentation of one line, in columns: deeper indentation nests lists (or code) beyond any report. */
export const MAX_INDENT = 160;

/** Why the text is too hard for the markdown parser, or undefined when it is fine. Linear in the text length. */
export function markdownOverload(text: string): string | undefined {
  if (text.length > MAX_MARKDOWN_LENGTH) return `more than ${MAX_MARKDOWN_LENGTH.toLocaleString('en')} characters`;
  let load = 0;
  let paragraphMarkup = 0;
  let lineStart = 0;
  let line = 1;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    let i = lineStart;
    let indent = 0;
    let nesting = 0;
    // Leading white space and container markers: `>`, `-`, `*`, `+`, `1.` followed by a space.
    for (;;) {
      const ch = text[i];
      if (ch === ' ') indent++;
      else if (ch === '\t') indent += 4;
      else if (ch === '>') nesting++;
      else if ((ch === '-' || ch === '*' || ch === '+') && (text[i + 1] === ' ' || text[i + 1] === '\t')) nesting++;
      else if (ch !== undefined && ch >= '0' && ch <= '9' && /^\d{1,9}[.)][ \t]/.test(text.slice(i, i + 11))) {
        nesting++;
        while (text[i] !== '.' && text[i] !== ')') i++;
      } else break;
      i++;
      if (nesting > MAX_NESTING) return `more than ${MAX_NESTING} levels of nested block quotes or lists on line ${line}`;
      if (indent > MAX_INDENT) return `a line indented more than ${MAX_INDENT} columns (line ${line})`;
    }
    let blank = true;
    for (; i < lineEnd; i++) {
      const ch = text[i]!;
      if (INLINE_MARKUP.has(ch)) paragraphMarkup++;
      if (ch !== ' ' && ch !== '\t' && ch !== '\r') blank = false;
    }
    if (blank || lineEnd === text.length) {
      load += paragraphMarkup * paragraphMarkup;
      paragraphMarkup = 0;
      if (load > MAX_INLINE_LOAD) return `too much inline markup (emphasis, brackets, HTML) around line ${line}`;
    }
    lineStart = lineEnd + 1;
    line++;
    if (line > MAX_LINES) return `more than ${MAX_LINES.toLocaleString('en')} lines`;
  }
  return undefined;
}
