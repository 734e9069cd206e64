import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import {
  creditLine,
  TEMPLATE_TYPE,
  type Coding,
  type FieldType,
  type ReportTemplate,
  type TemplateField,
  type TemplateMeta,
  type TemplateSection,
} from './reportTemplate.ts';

/**
 * The product's markdown report template: front matter (`type: radiology-report-template`, title, modality, body part,
 * creator, rights and licence, the credit line, the MRRT terms), `# Title`, each section a `## Heading` (subsections `###`),
 * each field a line `Label: default text`. What MRRT needs beyond what a reader sees (the field's id and type, its pick
 * list, units and codes) sits in an HTML comment on the line after it: `<!-- mrrt-field {"id":"T6_3","type":"select",…} -->`;
 * a section's own in `<!-- mrrt-section {…} -->` after its heading.
 */

const FIELD_MARK = 'mrrt-field';
const SECTION_MARK = 'mrrt-section';

/** Writes a template as markdown; `library` names the library it comes from in its credit line. */
export function templateToMarkdown(template: ReportTemplate, options: { library?: string } = {}): string {
  const lines: string[] = ['---', stringifyYaml(frontMatterOf(template.meta, options.library), { lineWidth: 0 }).trimEnd(), '---', `# ${template.meta.title}`];
  for (const section of template.sections) {
    lines.push('', `${'#'.repeat(section.level + 1)} ${section.heading}`);
    const extra: Record<string, unknown> = {};
    if (section.name !== section.heading) extra.name = section.name;
    if (section.id) extra.id = section.id;
    if (section.codes?.length) extra.codes = section.codes;
    if (Object.keys(extra).length) lines.push(comment(SECTION_MARK, extra));
    for (const item of section.items) {
      lines.push('');
      if (item.kind === 'text') lines.push(...escapeLines(item.text));
      else lines.push(...fieldLines(item));
    }
  }
  return lines.join('\n') + '\n';
}

function frontMatterOf(meta: TemplateMeta, library: string | undefined): Record<string, unknown> {
  const front: Record<string, unknown> = { type: TEMPLATE_TYPE, title: meta.title };
  if (meta.modality) front.modality = meta.modality;
  if (meta.bodyPart) front.bodyPart = meta.bodyPart;
  if (meta.creator) front.creator = meta.creator;
  if (meta.rights) front.rights = meta.rights;
  if (meta.license) front.license = meta.license;
  if (meta.identifier || meta.creator || library) front.credit = creditLine(meta, library);
  const mrrt: Record<string, unknown> = {};
  for (const key of ['identifier', 'publisher', 'contributor', 'date', 'language', 'description', 'specialties', 'terms', 'otherCodes'] as const) {
    const value = meta[key];
    if (value !== undefined && (!Array.isArray(value) || value.length)) mrrt[key] = value;
  }
  front.mrrt = mrrt;
  return front;
}

function fieldLines(field: TemplateField): string[] {
  const extra: Record<string, unknown> = { id: field.id, type: field.type };
  if (!field.label) extra.unlabelled = true;
  // A label with a colon of its own is spelled out: the line's first colon would cut it short.
  if (field.label.includes(':')) extra.label = field.label;
  if (field.options) extra.options = field.options;
  if (field.optionValues) extra.optionValues = field.optionValues;
  if (field.multiple) extra.multiple = true;
  if (field.units) extra.units = field.units;
  if (field.codes?.length) extra.codes = field.codes;
  const [first = '', ...rest] = field.default ? field.default.split('\n') : [];
  const lines = field.label ? [`${escapeLabel(field.label)}:${first ? ' ' + first : ''}`, ...escapeLines(rest.join('\n'))] : escapeLines(field.default);
  return [...lines, comment(FIELD_MARK, extra)];
}

function comment(mark: string, data: Record<string, unknown>): string {
  // `--` may not appear inside an HTML comment; JSON escapes it as `-\u002d` so the comment always ends where it should.
  return `<!-- ${mark} ${JSON.stringify(data).replace(/--/g, '-\\u002d')} -->`;
}

/** A line that would read as markdown structure (a heading, a comment, front matter, an escape) gets a backslash. */
function escapeLines(text: string): string[] {
  if (!text) return [];
  return text.split('\n').map((line) => (/^(#|<!--|---|\\)/.test(line) ? '\\' + line : line));
}

function escapeLabel(label: string): string {
  return escapeLines(label.replace(/\n/g, ' '))[0] ?? '';
}

function unescapeLine(line: string): string {
  return /^\\(#|<!--|---|\\)/.test(line) ? line.slice(1) : line;
}

/** A problem found while reading a markdown template, with its 0-based line. */
export interface TemplateSyntaxProblem {
  line: number;
  message: string;
}

/** Where each part of a markdown template was read from, for template mode's checks. */
export interface ParsedMarkdownTemplate {
  template: ReportTemplate;
  /** 0-based line of each section's heading, same order as `template.sections`. */
  sectionLines: number[];
  /** 0-based line where each field starts, keyed by the field object. */
  fieldLines: Map<TemplateField, number>;
  /** The fields whose id is written in the template (an `mrrt-field` comment), not made up while reading it. */
  fieldIds: Set<TemplateField>;
  problems: TemplateSyntaxProblem[];
}

/** A hand-written field line: a short label, a colon, the default text. */
const LABEL_LINE = /^([A-Za-z][^:]{0,79}):(?:[ \t]+(.*))?$/;

/**
 * Reads a markdown report template. Fields marked with an `mrrt-field` comment keep everything MRRT needs; in a template
 * written by hand (no `mrrt` front matter) every `Label: text` line is a text field and every other line fixed wording.
 */
export function templateFromMarkdown(markdown: string): ParsedMarkdownTemplate {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const problems: TemplateSyntaxProblem[] = [];
  let index = 0;
  let front: Record<string, unknown> = {};
  if (lines[0]?.trim() === '---') {
    const end = lines.findIndex((line, i) => i > 0 && (line.trim() === '---' || line.trim() === '...'));
    if (end > 0) {
      try {
        const parsed: unknown = parseYaml(lines.slice(1, end).join('\n'));
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) front = parsed as Record<string, unknown>;
      } catch (error) {
        problems.push({ line: 0, message: `The front matter is not valid YAML: ${(error as Error).message.split('\n')[0]}` });
      }
      index = end + 1;
    }
  }
  const meta = metaOf(front);
  const fromMrrt = front.mrrt !== undefined;
  const sections: TemplateSection[] = [];
  const sectionLines: number[] = [];
  const fieldLineMap = new Map<TemplateField, number>();
  const fieldIds = new Set<TemplateField>();
  let section: TemplateSection | undefined;
  let paragraph: { start: number; lines: string[] } | undefined;
  let generatedId = 0;

  const closeParagraph = (fieldData?: Record<string, unknown>, commentLine?: number) => {
    if (!section) {
      if (paragraph || fieldData)
        problems.push({ line: paragraph?.start ?? commentLine ?? 0, message: 'Text before the first section heading is not part of any section.' });
      paragraph = undefined;
      return;
    }
    const start = paragraph?.start ?? commentLine ?? 0;
    const text = (paragraph?.lines ?? []).map(unescapeLine);
    paragraph = undefined;
    if (fieldData) {
      const field = fieldFromData(fieldData, text, () => `F${++generatedId}`);
      if (!field) {
        problems.push({ line: commentLine ?? start, message: 'A field comment needs an "id" and a known "type".' });
        return;
      }
      section.items.push(field);
      fieldLineMap.set(field, start);
      if (typeof fieldData.id === 'string' && fieldData.id) fieldIds.add(field);
      return;
    }
    if (!text.length) return;
    if (fromMrrt) {
      section.items.push({ kind: 'text', text: text.join('\n') });
      return;
    }
    for (const [offset, line] of text.entries()) {
      const match = LABEL_LINE.exec(line);
      if (match) {
        const field: TemplateField = { kind: 'field', id: `F${++generatedId}`, label: match[1]!.trim(), type: 'text', default: (match[2] ?? '').trim() };
        section.items.push(field);
        fieldLineMap.set(field, start + offset);
      } else section.items.push({ kind: 'text', text: line });
    }
  };

  for (; index < lines.length; index++) {
    const line = lines[index]!;
    const heading = headingOf(line);
    if (heading) {
      closeParagraph();
      const { level, text: title } = heading;
      if (level === 1) {
        if (!meta.title) meta.title = title;
        section = undefined;
        continue;
      }
      section = { name: title, heading: title, level: level - 1, items: [] };
      sections.push(section);
      sectionLines.push(index);
      const next = markCommentData(lines[index + 1] ?? '', SECTION_MARK);
      if (next) {
        index++;
        if (typeof next.data.name === 'string') section.name = next.data.name;
        if (typeof next.data.id === 'string') section.id = next.data.id;
        const codes = codingsOf(next.data.codes);
        if (codes) section.codes = codes;
      }
      continue;
    }
    const fieldMark = markCommentData(line, FIELD_MARK);
    if (fieldMark) {
      if (fieldMark.error) problems.push({ line: index, message: `The field comment is not valid JSON: ${fieldMark.error}` });
      else closeParagraph(fieldMark.data, index);
      continue;
    }
    if (!line.trim()) {
      closeParagraph();
      continue;
    }
    if (!paragraph) paragraph = { start: index, lines: [] };
    paragraph.lines.push(line);
  }
  closeParagraph();
  return { template: { meta, sections }, sectionLines, fieldLines: fieldLineMap, fieldIds, problems };
}

/** An ATX heading line (`## Findings`, closing `#`s dropped), read without a backtracking pattern. */
function headingOf(line: string): { level: number; text: string } | undefined {
  const marks = /^#{1,6}[ \t]/.exec(line);
  if (!marks) return undefined;
  const level = marks[0].length - 1;
  let end = line.length;
  while (end > level && (line[end - 1] === ' ' || line[end - 1] === '\t' || line[end - 1] === '#')) end--;
  const text = line.slice(level, end).trim();
  return text ? { level, text } : undefined;
}

function markCommentData(line: string, mark: string): { data: Record<string, unknown>; error?: string } | undefined {
  const trimmed = line.trim();
  const prefix = `<!-- ${mark} `;
  if (!trimmed.startsWith(prefix) || !trimmed.endsWith('-->')) return undefined;
  try {
    const data: unknown = JSON.parse(trimmed.slice(prefix.length, -3));
    if (data && typeof data === 'object' && !Array.isArray(data)) return { data: data as Record<string, unknown> };
    return { data: {}, error: 'not an object' };
  } catch (error) {
    return { data: {}, error: (error as Error).message };
  }
}

const FIELD_TYPES: ReadonlySet<string> = new Set<FieldType>(['text', 'textarea', 'number', 'date', 'time', 'select', 'radio', 'checkbox', 'list']);

function fieldFromData(data: Record<string, unknown>, text: string[], nextId: () => string): TemplateField | undefined {
  const type = data.type;
  if (typeof type !== 'string' || !FIELD_TYPES.has(type)) return undefined;
  const id = typeof data.id === 'string' && data.id ? data.id : nextId();
  let label = '';
  let defaultLines = text;
  if (data.unlabelled !== true) {
    const [first = '', ...rest] = text;
    const colon = typeof data.label === 'string' && first.startsWith(data.label + ':') ? data.label.length : first.indexOf(':');
    label = colon >= 0 ? first.slice(0, colon).trim() : first.trim();
    const firstDefault = colon >= 0 ? first.slice(colon + 1).trim() : '';
    defaultLines = firstDefault ? [firstDefault, ...rest] : rest;
  }
  const field: TemplateField = { kind: 'field', id, label, type: type as FieldType, default: defaultLines.join('\n').trim() };
  if (Array.isArray(data.options)) field.options = data.options.map(String);
  if (Array.isArray(data.optionValues)) field.optionValues = data.optionValues.map(String);
  if (data.multiple === true) field.multiple = true;
  if (typeof data.units === 'string') field.units = data.units;
  const codes = codingsOf(data.codes);
  if (codes) field.codes = codes;
  return field;
}

function codingsOf(value: unknown): Coding[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const codes = value
    .filter((c): c is Record<string, unknown> => !!c && typeof c === 'object')
    .map((c) => ({ scheme: String(c.scheme ?? ''), value: String(c.value ?? ''), meaning: String(c.meaning ?? '') }));
  return codes.length ? codes : undefined;
}

function metaOf(front: Record<string, unknown>): TemplateMeta {
  const str = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : typeof value === 'number' ? String(value) : undefined);
  const mrrt = front.mrrt && typeof front.mrrt === 'object' && !Array.isArray(front.mrrt) ? (front.mrrt as Record<string, unknown>) : {};
  const meta: TemplateMeta = { title: str(front.title) ?? str(front.exam) ?? '' };
  const set = (
    key: 'identifier' | 'creator' | 'contributor' | 'publisher' | 'rights' | 'license' | 'date' | 'language' | 'description' | 'modality' | 'bodyPart',
    value: unknown,
  ) => {
    const text = str(value);
    if (text) meta[key] = text;
  };
  set('modality', front.modality);
  set('bodyPart', front.bodyPart ?? front.bodypart);
  set('creator', front.creator ?? front.author);
  set('rights', front.rights);
  set('license', front.license);
  for (const key of ['identifier', 'publisher', 'contributor', 'date', 'language', 'description'] as const) set(key, mrrt[key]);
  if (Array.isArray(mrrt.specialties)) meta.specialties = mrrt.specialties.map(String);
  const terms = codingsOf(mrrt.terms);
  if (terms) meta.terms = terms;
  if (mrrt.otherCodes && typeof mrrt.otherCodes === 'object') {
    const other: Record<string, Coding[]> = {};
    for (const [id, codes] of Object.entries(mrrt.otherCodes as Record<string, unknown>)) {
      const list = codingsOf(codes);
      if (list) other[id] = list;
    }
    if (Object.keys(other).length) meta.otherCodes = other;
  }
  return meta;
}

/** Every field of a template, with its section. */
export function templateFields(template: ReportTemplate): Array<{ section: TemplateSection; field: TemplateField }> {
  return template.sections.flatMap((section) => section.items.filter((i): i is TemplateField => i.kind === 'field').map((field) => ({ section, field })));
}

/** The span of a 0-based line of a text, without its line break. */
export function lineSpan(text: string, line: number): { start: number; end: number } {
  let start = 0;
  for (let i = 0; i < line; i++) {
    const next = text.indexOf('\n', start);
    if (next === -1) return { start: text.length, end: text.length };
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  const stop = end === -1 ? text.length : end;
  return { start, end: text[stop - 1] === '\r' ? stop - 1 : stop };
}
