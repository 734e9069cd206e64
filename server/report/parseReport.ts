import type { Nodes, Root } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { parse as parseYaml } from 'yaml';
import { blocksByLine, plainTextByLine, type PlainText, type ReportBlock } from './lineSections.ts';
import { markdownOverload } from './markdownLoad.ts';
import { createPositionIndex } from './positionIndex.ts';
import { readReportMeta } from './reportMeta.ts';
import { createSectionClassifier, normalizeLabel, type SectionClassifier } from './sectionSynonyms.ts';
import { sentenceBoundaries } from './sentences.ts';
import type { ParseProblem, PositionIndex, Report, Section, SectionKind, SectionStyle, Sentence, Span } from './types.ts';

export interface ParseOptions {
  /** Section synonyms; defaults to the built-in English ones. */
  classifier?: SectionClassifier;
  /**
   * `lines` reads the report line by line without the markdown parser (linear time whatever the markup); the default,
   * `auto`, does so only for text the parser cannot read in bounded time (`markdownOverload`).
   */
  reader?: 'auto' | 'lines';
}

/** Front matter at the very start: `---`, YAML, `---`. Group 1 is the YAML. */
const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

const markdown = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).freeze();
const defaultClassifier = createSectionClassifier();

/**
 * Parses report text into a `Report`. Never throws on report content: problems with the text itself (bad front
 * matter) come back in `parseProblems`.
 */
export function parseReport(text: string, options: ParseOptions = {}): Report {
  const classifier = options.classifier ?? defaultClassifier;
  const positions = createPositionIndex(text);
  const overload = options.reader === 'lines' ? 'the line reader was asked for' : markdownOverload(text);
  const root = overload ? undefined : (markdown.parse(text) as Root);
  const parseProblems: ParseProblem[] = [];

  let raw: Record<string, unknown> = {};
  let frontMatterSpan: Span | undefined;
  let frontMatter: string | undefined;
  const first = root?.children[0];
  if (first?.type === 'yaml') {
    frontMatterSpan = spanOf(first, text);
    frontMatter = first.value;
  } else if (!root) {
    const match = FRONT_MATTER.exec(text);
    if (match) {
      frontMatterSpan = { start: 0, end: match[0].trimEnd().length };
      frontMatter = match[1]!;
    }
  }
  if (frontMatterSpan && frontMatter !== undefined) {
    try {
      const value: unknown = parseYaml(frontMatter);
      if (value && typeof value === 'object' && !Array.isArray(value)) raw = value as Record<string, unknown>;
      else if (value !== null && value !== undefined) {
        parseProblems.push(problem('Front matter must be a YAML mapping of keys to values.', frontMatterSpan, positions));
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      parseProblems.push(problem(`Front matter is not valid YAML: ${reason}`, frontMatterSpan, positions));
    }
  }

  const contentStart = frontMatterSpan ? frontMatterSpan.end : 0;
  const plain = root ? collectPlainText(root, text) : plainTextByLine(text, contentStart);
  const blocks = root ? markdownBlocks(root, text) : blocksByLine(text, contentStart);
  const breaks = findSectionBreaks(blocks, text, classifier);
  if (breaks.length > MAX_SECTIONS) {
    // A report has about ten sections; thousands of labels are text, and checking them as sections costs time and memory.
    const first = breaks[MAX_SECTIONS]!;
    parseProblems.push({
      ...problem(
        `More than ${MAX_SECTIONS.toLocaleString('en')} section headings or labels; from here on they are read as text of the last section.`,
        { start: first.start, end: first.headingEnd },
        positions,
      ),
      code: 'markdown-overload',
      severity: 'information',
    });
    breaks.length = MAX_SECTIONS;
  }
  if (overload && options.reader !== 'lines') {
    const span = { start: contentStart, end: contentStart };
    parseProblems.push({
      ...problem(`The markdown of this report is too complex to parse in bounded time (${overload}); its sections were read line by line.`, span, positions),
      code: 'markdown-overload',
      severity: 'information',
    });
  }
  if (text.slice(contentStart, breaks[0]?.start ?? text.length).trim() !== '') {
    const start = contentStart + (text.slice(contentStart).length - text.slice(contentStart).trimStart().length);
    breaks.unshift({ start, headingEnd: start, bodyStart: start, kind: 'other', heading: '', style: 'title', level: 0 });
  }

  const sections = breaks.map((b, i): Section => {
    const end = breaks[i + 1]?.start ?? text.length;
    const bodySpan = { start: Math.min(b.bodyStart, end), end };
    const { text: bodyText, sentences } = plainBody(plain, bodySpan, positions);
    const headingSpan = { start: b.start, end: b.headingEnd };
    return {
      kind: b.kind,
      heading: b.heading,
      style: b.style,
      level: b.level,
      headingSpan,
      headingRange: positions.rangeOf(headingSpan),
      span: { start: b.start, end },
      range: positions.rangeOf({ start: b.start, end }),
      bodySpan,
      bodyRange: positions.rangeOf(bodySpan),
      text: bodyText,
      sentences,
    };
  });

  const clinical = sections
    .filter((s) => s.kind === 'clinical')
    .map((s) => s.text)
    .join('\n');
  const meta = readReportMeta(raw, examFromSections(sections), clinical || undefined);
  const report: Report = { text, meta, sections, parseProblems, positions, reader: root ? 'markdown' : 'lines' };
  if (frontMatterSpan) report.frontMatterSpan = frontMatterSpan;
  return report;
}

/** The first section of a kind, if any. */
export function sectionOf(report: Report, kind: SectionKind): Section | undefined {
  return report.sections.find((section) => section.kind === kind);
}

/** Every section of a kind, in document order. */
export function sectionsOf(report: Report, kind: SectionKind): Section[] {
  return report.sections.filter((section) => section.kind === kind);
}

// ---------------------------------------------------------------------------------------------------------------------

interface SectionBreak {
  start: number;
  headingEnd: number;
  bodyStart: number;
  kind: SectionKind;
  heading: string;
  style: SectionStyle;
  level: number;
}

/**
 * A dictation label at the start of a line: `FINDINGS:`, `Impression:`, `**Clinical history:**`, `CLINICAL HISTORY: ,`.
 * Group 1 is the label text.
 */
const LABEL_AT_LINE_START =
  /^[ \t]*(?:\*\*|__)?([A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F /&()'-]{0,60}?)[ \t]*(?:\*\*|__)?[ \t]*:(?:[ \t]*(?:\*\*|__))?[ \t,]*/;
/** Most sections read from one report. */
const MAX_SECTIONS = 1_000;
/** How far into a line a label is looked for. */
const LABEL_LOOKAHEAD = 160;
/** A label alone on its line in capitals, with no colon: `IMPRESSION`. */
const CAPITAL_LABEL_LINE = /^[ \t]*(?:\*\*|__)?([A-Z][A-Z /&-]{2,40}?)(?:\*\*|__)?[ \t\r]*$/;

/** The top-level headings and paragraphs of a markdown syntax tree. */
function markdownBlocks(root: Root, text: string): ReportBlock[] {
  const blocks: ReportBlock[] = [];
  for (const node of root.children) {
    const span = spanOf(node, text);
    if (node.type === 'heading') blocks.push({ type: 'heading', depth: node.depth, text: inlineText(node), ...span });
    else if (node.type === 'paragraph') blocks.push({ type: 'paragraph', ...span });
  }
  return blocks;
}

function findSectionBreaks(blocks: ReportBlock[], text: string, classifier: SectionClassifier): SectionBreak[] {
  const breaks: SectionBreak[] = [];
  let current: SectionBreak | undefined;
  for (const node of blocks) {
    if (breaks.length > MAX_SECTIONS) break;
    const span = { start: node.start, end: node.end };
    if (node.type === 'heading') {
      const headingText = node.text;
      const deeper = current?.style === 'heading' && node.depth > current.level;
      const kind = classifyLabel(classifier, headingText, deeper ? current?.kind : undefined);
      const lineEnd = endOfLine(text, span.start);
      if (kind) {
        current = {
          start: span.start,
          headingEnd: span.end,
          bodyStart: lineEnd,
          kind,
          heading: cleanHeading(headingText),
          style: 'heading',
          level: node.depth,
        };
        breaks.push(current);
        continue;
      }
      // "## Findings: The lungs are clear." – a label inside a heading line.
      const label = labelAt(text, span.start + headingMarkerLength(text, span.start), classifier, current?.kind);
      if (label) {
        current = { ...label, start: span.start, style: 'heading', level: node.depth };
        breaks.push(current);
        continue;
      }
      // An unknown heading at the same or a higher level than the current section's heading starts an `other` section;
      // a deeper one ("### Lungs" under "## Findings") stays inside.
      if (!current || current.style !== 'heading' || node.depth <= current.level) {
        current = {
          start: span.start,
          headingEnd: span.end,
          bodyStart: lineEnd,
          kind: 'other',
          heading: cleanHeading(headingText),
          style: 'heading',
          level: node.depth,
        };
        breaks.push(current);
      }
      continue;
    }
    // Dictation labels may start any line of a paragraph, since dictated reports rarely have blank lines between sections.
    let lineStart = span.start;
    while (lineStart < span.end && breaks.length <= MAX_SECTIONS) {
      const label = labelAt(text, lineStart, classifier, current?.kind);
      if (label) {
        current = { ...label, style: 'label', level: 0 };
        breaks.push(current);
      }
      const next = text.indexOf('\n', lineStart);
      if (next === -1 || next >= span.end) break;
      lineStart = next + 1;
    }
  }
  return breaks;
}

/**
 * The kind a label names: a synonym, or else its head noun ("OCULAR FINDINGS"), except that a head-noun label of the
 * kind we are already in ("RIGHT HEART FINDINGS:" inside the findings) is a sub-heading, not a new section.
 */
function classifyLabel(classifier: SectionClassifier, label: string, currentKind: SectionKind | undefined): SectionKind | undefined {
  const exact = classifier.classify(label);
  if (exact) return exact;
  const byHead = classifier.classifyByHeadNoun(label);
  return byHead && byHead !== currentKind ? byHead : undefined;
}

function labelAt(
  text: string,
  lineStart: number,
  classifier: SectionClassifier,
  currentKind: SectionKind | undefined,
): Omit<SectionBreak, 'style' | 'level'> | undefined {
  const lineEnd = endOfLine(text, lineStart);
  // A label lies within the first characters of its line; the patterns' runs of white space need not see more.
  const line = text.slice(lineStart, Math.min(lineEnd, lineStart + LABEL_LOOKAHEAD));
  const colon = LABEL_AT_LINE_START.exec(line);
  if (colon) {
    const kind = classifyLabel(classifier, colon[1]!, currentKind);
    if (kind) {
      const labelStart = lineStart + line.search(/\S/);
      const headingEnd = lineStart + colon[0].replace(/[ \t,]+$/, '').length;
      return { start: labelStart, headingEnd, bodyStart: lineStart + colon[0].length, kind, heading: cleanHeading(colon[1]!) };
    }
  }
  const bare = lineEnd - lineStart <= LABEL_LOOKAHEAD ? CAPITAL_LABEL_LINE.exec(line) : undefined;
  if (bare) {
    const kind = classifyLabel(classifier, bare[1]!, currentKind);
    if (kind) {
      const labelStart = lineStart + line.search(/\S/);
      return { start: labelStart, headingEnd: lineStart + line.trimEnd().length, bodyStart: lineEnd, kind, heading: cleanHeading(bare[1]!) };
    }
  }
  return undefined;
}

function headingMarkerLength(text: string, start: number): number {
  return /^[ \t]*#{1,6}[ \t]*/.exec(text.slice(start, start + 12))?.[0].length ?? 0;
}

function cleanHeading(heading: string): string {
  let clean = heading.replace(/[*_`]+/g, '').trimEnd();
  if (clean.endsWith(':')) clean = clean.slice(0, -1);
  return clean.replace(/\s+/g, ' ').trim();
}

function endOfLine(text: string, offset: number): number {
  const next = text.indexOf('\n', offset);
  return next === -1 ? text.length : next;
}

/** The text of a node's leaves, in order; iterative, so a deeply nested tree cannot overflow the stack. */
function inlineText(node: Nodes): string {
  const parts: string[] = [];
  const stack: Nodes[] = [node];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if ('value' in next && typeof next.value === 'string') parts.push(next.value);
    else if ('children' in next) for (let i = next.children.length - 1; i >= 0; i--) stack.push(next.children[i] as Nodes);
  }
  return parts.join('');
}

function examFromSections(sections: Section[]): string | undefined {
  const examLabels = new Set(['exam', 'examination', 'study', 'title']);
  const labelled = sections.find((s) => examLabels.has(normalizeLabel(s.heading)));
  if (labelled) {
    const first = trimEnd(labelled.sentences[0]?.text.replace(/^[,\s]+/, '') ?? '', '. \t\n\r');
    if (first) return first;
  }
  const title = sections[0];
  if (title && title.kind === 'other' && title.style === 'heading' && title.level === 1 && title.heading) return title.heading;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------------
// Plain text with a map back to the source, so sentences found in plain text get exact ranges in the markdown.

/** How far ahead of the previous character a plain character is looked for in the source. */
const SOURCE_WINDOW = 128;

const BLOCK_TYPES = new Set(['paragraph', 'heading', 'listItem', 'tableRow', 'tableCell', 'blockquote', 'code', 'thematicBreak', 'list', 'table']);

function collectPlainText(root: Root, source: string): PlainText {
  const chars: string[] = [];
  const offsets: number[] = [];
  const emit = (ch: string, offset: number) => {
    chars.push(ch);
    offsets.push(offset);
  };
  const separate = (offset: number) => {
    if (chars.length > 0 && chars[chars.length - 1] !== '\n') emit('\n', offset);
  };
  const leaf = (value: string, span: Span) => {
    let cursor = span.start;
    for (let unit = 0; unit < value.length; unit++) {
      const c = value[unit]!;
      // Indentation the value left out (continuation lines) is skipped, however long.
      if (c !== ' ' && c !== '\t') while (cursor < span.end && (source[cursor] === ' ' || source[cursor] === '\t')) cursor++;
      // The character's source offset: the next occurrence within a short window (entities and escapes are short), so
      // a character the source spells otherwise costs a bounded search, not one to the end of the text.
      const limit = Math.min(span.end, cursor + SOURCE_WINDOW);
      let found = -1;
      for (let at = cursor; at < limit; at++) {
        if (source[at] === c) {
          found = at;
          break;
        }
      }
      if (found !== -1) cursor = found + 1;
      // Soft line breaks inside a paragraph are spaces in the plain text; real boundaries come from blocks.
      emit(c === '\n' || c === '\r' ? ' ' : c, found !== -1 ? found : cursor);
    }
  };
  // Depth-first over the tree with an explicit stack (deeply nested markdown must not overflow the call stack); a
  // block leaves a marker on the stack to separate it from what follows.
  const stack: Array<Nodes | { blockEnd: number }> = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if ('blockEnd' in node) {
      separate(node.blockEnd);
      continue;
    }
    if (node.type === 'yaml' || node.type === 'html' || node.type === 'definition' || node.type === 'image' || node.type === 'imageReference') continue;
    const span = spanOf(node, source);
    if (node.type === 'text' || node.type === 'inlineCode') {
      leaf(node.value, span);
      continue;
    }
    if (node.type === 'code') {
      separate(span.start);
      leaf(node.value, span);
      separate(span.end);
      continue;
    }
    if (node.type === 'break') {
      emit('\n', span.start);
      continue;
    }
    const block = BLOCK_TYPES.has(node.type);
    if (block) {
      separate(span.start);
      stack.push({ blockEnd: span.end });
    }
    if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as Nodes);
  }
  return { chars: chars.join(''), offsets: Int32Array.from(offsets) };
}

function plainBody(plain: PlainText, body: Span, positions: PositionIndex): { text: string; sentences: Sentence[] } {
  const first = lowerBound(plain.offsets, body.start);
  const last = lowerBound(plain.offsets, body.end);
  const slice = plain.chars.slice(first, last);
  // Drop the comma and spaces that dictation systems leave after a label ("FINDINGS:  ,Duplex ...").
  const lead = /^[\s,]*/.exec(slice)![0].length;
  const sentences: Sentence[] = [];
  for (const [s, e] of sentenceBoundaries(slice)) {
    if (e <= lead) continue;
    const from = Math.max(s, lead);
    const sentenceText = slice.slice(from, e).replace(/\s+/g, ' ').trim();
    if (!sentenceText) continue;
    const span = { start: plain.offsets[first + from]!, end: plain.offsets[first + e - 1]! + 1 };
    sentences.push({ text: sentenceText, span, range: positions.rangeOf(span) });
  }
  const text = slice
    .slice(lead)
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
  return { text, sentences };
}

function lowerBound(values: Int32Array, target: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (values[mid]! < target) low = mid + 1;
    else high = mid;
  }
  return low;
}

function spanOf(node: Nodes, text: string): Span {
  return { start: node.position?.start.offset ?? 0, end: node.position?.end.offset ?? text.length };
}

/** `text` without the characters of `chars` at its end (a loop: `/[.\\s]+$/` is quadratic on long runs). */
function trimEnd(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1]!)) end--;
  return text.slice(0, end);
}

function problem(message: string, span: Span, positions: PositionIndex): ParseProblem {
  return { message, span, range: positions.rangeOf(span) };
}
