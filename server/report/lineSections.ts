/**
 * The report read line by line, for text the markdown parser cannot read in bounded time (`markdownLoad.ts`): ATX
 * headings, paragraphs (runs of non-blank lines) and fenced code, and the plain text of each line with its container
 * markers (`>`, list bullets) and emphasis markers left out. One pass over the text, no recursion, so its time is linear
 * whatever the markup. Setext headings, inline links and HTML are read as text.
 */

/** A heading or a paragraph, with its span in the source; what the section reader looks at. */
export type ReportBlock = { type: 'heading'; depth: number; text: string; start: number; end: number } | { type: 'paragraph'; start: number; end: number };

/** Plain text with a map back to the source, so sentences found in plain text get exact ranges in the markdown. */
export interface PlainText {
  chars: string;
  /** Source offset of each plain character. */
  offsets: Int32Array;
}

interface Line {
  start: number;
  end: number;
  /** Where the text starts after indentation and container markers. */
  contentStart: number;
  /** No container marker or indentation of four or more: a heading or fence here is at the top level. */
  topLevel: boolean;
}

function* linesOf(text: string, from: number): Generator<Line> {
  let start = from;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    let contentEnd = end;
    if (contentEnd > start && text[contentEnd - 1] === '\r') contentEnd--;
    let i = start;
    let indent = 0;
    let containers = 0;
    for (;;) {
      const ch = text[i];
      if (i >= contentEnd) break;
      if (ch === ' ' || ch === '\t') indent += ch === '\t' ? 4 : 1;
      else if (ch === '>') containers++;
      else if ((ch === '-' || ch === '*' || ch === '+') && (text[i + 1] === ' ' || text[i + 1] === '\t')) containers++;
      else if (ch !== undefined && ch >= '0' && ch <= '9') {
        // An ordered list marker: up to nine digits, `.` or `)`, then white space.
        let end = i;
        while (end < contentEnd && end - i < 9 && text[end]! >= '0' && text[end]! <= '9') end++;
        if ((text[end] !== '.' && text[end] !== ')') || (text[end + 1] !== ' ' && text[end + 1] !== '\t')) break;
        containers++;
        i = end;
      } else break;
      i++;
    }
    yield { start, end: contentEnd, contentStart: i, topLevel: containers === 0 && indent < 4 };
    start = end + 1;
  }
}

/** An ATX heading line: `## Findings`, `# Title #`. */
function atxHeading(text: string, line: Line): { depth: number; text: string } | undefined {
  if (!line.topLevel) return undefined;
  let i = line.contentStart;
  let depth = 0;
  while (text[i] === '#' && depth < 7) {
    depth++;
    i++;
  }
  if (depth < 1 || depth > 6) return undefined;
  if (i < line.end && text[i] !== ' ' && text[i] !== '\t') return undefined;
  let end = line.end;
  while (end > i && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  let closing = end;
  while (closing > i && text[closing - 1] === '#') closing--;
  if (closing < end && (closing === i || text[closing - 1] === ' ' || text[closing - 1] === '\t')) end = closing;
  return { depth, text: text.slice(i, end).trim() };
}

function fenceOf(text: string, line: Line): string | undefined {
  if (!line.topLevel) return undefined;
  const marker = text[line.contentStart];
  if (marker !== '`' && marker !== '~') return undefined;
  let i = line.contentStart;
  while (text[i] === marker) i++;
  return i - line.contentStart >= 3 ? marker.repeat(i - line.contentStart) : undefined;
}

/** The headings and paragraphs of the text after `from` (the end of the front matter, or 0). */
export function blocksByLine(text: string, from: number): ReportBlock[] {
  const blocks: ReportBlock[] = [];
  let paragraph: { start: number; end: number } | undefined;
  let fence: string | undefined;
  const closeParagraph = () => {
    if (paragraph) blocks.push({ type: 'paragraph', ...paragraph });
    paragraph = undefined;
  };
  for (const line of linesOf(text, from)) {
    if (fence) {
      if (fenceOf(text, line)?.startsWith(fence)) fence = undefined;
      continue;
    }
    const opened = fenceOf(text, line);
    if (opened) {
      closeParagraph();
      fence = opened;
      continue;
    }
    if (line.contentStart >= line.end) {
      closeParagraph();
      continue;
    }
    const heading = atxHeading(text, line);
    if (heading) {
      closeParagraph();
      blocks.push({ type: 'heading', depth: heading.depth, text: heading.text, start: line.contentStart, end: line.end });
      continue;
    }
    if (paragraph) paragraph.end = line.end;
    else paragraph = { start: line.start, end: line.end };
  }
  closeParagraph();
  return blocks;
}

/** Emphasis and code markers, left out of the plain text. */
const MARKERS = new Set(['*', '`']);

/** The plain text of the report after `from`: each paragraph's lines joined by spaces, blocks separated by line breaks. */
export function plainTextByLine(text: string, from: number): PlainText {
  // Each source character gives at most one plain character, and each line at most one separator.
  const offsets = new Int32Array(2 * (text.length - from) + 2);
  const parts: string[] = [];
  let length = 0;
  let lastChar = '';
  const emitRange = (start: number, end: number) => {
    if (end <= start) return;
    parts.push(text.slice(start, end));
    for (let i = start; i < end; i++) offsets[length++] = i;
    lastChar = text[end - 1]!;
  };
  const emit = (ch: string, offset: number) => {
    parts.push(ch);
    offsets[length++] = offset;
    lastChar = ch;
  };
  const separate = (offset: number) => {
    if (length > 0 && lastChar !== '\n') emit('\n', offset);
  };
  let fence: string | undefined;
  let inParagraph = false;
  for (const line of linesOf(text, from)) {
    const opened = fenceOf(text, line);
    if (fence || opened) {
      if (fence && opened?.startsWith(fence)) fence = undefined;
      else if (!fence) fence = opened;
      separate(line.start);
      inParagraph = false;
      if (fence && !opened) {
        emitRange(line.contentStart, line.end);
        separate(line.end);
      }
      continue;
    }
    if (line.contentStart >= line.end) {
      separate(line.start);
      inParagraph = false;
      continue;
    }
    const heading = atxHeading(text, line) !== undefined;
    if (heading || !inParagraph) separate(line.start);
    else emit(' ', line.start - 1);
    let i = line.contentStart;
    if (heading) while (text[i] === '#') i++;
    let runStart = i;
    for (; i < line.end; i++) {
      if (MARKERS.has(text[i]!)) {
        emitRange(runStart, i);
        runStart = i + 1;
      }
    }
    emitRange(runStart, line.end);
    if (heading) separate(line.end);
    inParagraph = !heading;
  }
  return { chars: parts.join(''), offsets: offsets.slice(0, length) };
}
