import { Tokenizer, type DefaultTreeAdapterTypes, type TokenHandler } from 'parse5';
import { modalityFromExam } from '../report/reportMeta.ts';
import { parseAsAuthored } from './authoredTree.ts';
import { bodyPartOfTitle } from './templateLibrary.ts';
import {
  foldSpace,
  type Coding,
  type FieldType,
  type ReportTemplate,
  type TemplateField,
  type TemplateItem,
  type TemplateMeta,
  type TemplateSection,
} from './reportTemplate.ts';

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

/** Reads an IHE MRRT HTML5 template (as published by RSNA RadReport) into a report template. */
export function importMrrt(html: string): ReportTemplate {
  const document = parseAsAuthored(html);
  const head = findElement(document, 'head');
  const body = findElement(document, 'body');
  const meta = readMeta(head);
  const coded = head ? readCodedContent(head) : { terms: [], entries: new Map<string, Coding[]>() };
  if (coded.terms.length) meta.terms = coded.terms;
  const sections: TemplateSection[] = [];
  if (body) {
    const datalists = new Map<string, Element>();
    for (const list of elements(body, 'datalist')) datalists.set(attr(list, 'id') ?? '', list);
    collectSections(body, 0, sections, datalists);
  }
  giveFieldsUniqueIds(sections);
  const used = new Set<string>();
  for (const section of sections) {
    if (section.id && coded.entries.has(section.id)) {
      section.codes = coded.entries.get(section.id)!;
      used.add(section.id);
    }
    for (const item of section.items) {
      if (item.kind === 'field' && coded.entries.has(item.id)) {
        item.codes = coded.entries.get(item.id)!;
        used.add(item.id);
      }
    }
  }
  const other = [...coded.entries].filter(([id]) => !used.has(id));
  if (other.length) meta.otherCodes = Object.fromEntries(other);
  return { meta, sections };
}

/** Fields without an id (or sharing one) get `field-N`, so that the markdown and an export can tell them apart. */
function giveFieldsUniqueIds(sections: TemplateSection[]): void {
  const seen = new Set<string>();
  let counter = 0;
  for (const section of sections) {
    for (const item of section.items) {
      if (item.kind !== 'field') continue;
      while (!item.id || seen.has(item.id)) item.id = `field-${++counter}`;
      seen.add(item.id);
    }
  }
}

function readMeta(head: Element | undefined): TemplateMeta {
  const values = new Map<string, string>();
  const specialties: string[] = [];
  let title = '';
  for (const element of head ? elements(head, 'meta') : []) {
    const name = attr(element, 'name')?.toLowerCase();
    const content = attr(element, 'content')?.trim();
    if (!name?.startsWith('dcterms.') || !content) continue;
    const key = name.slice('dcterms.'.length);
    if (key === 'subject') specialties.push(content);
    else if (!values.has(key)) values.set(key, content);
  }
  const titleElement = head ? elements(head, 'title')[0] : undefined;
  title = values.get('title') ?? (titleElement ? foldSpace(textOf(titleElement)) : '');
  const meta: TemplateMeta = { title };
  const keys = ['identifier', 'creator', 'contributor', 'publisher', 'rights', 'license', 'date', 'language', 'description'] as const;
  for (const key of keys) {
    const value = values.get(key);
    if (value) meta[key] = value;
  }
  if (specialties.length) meta.specialties = specialties;
  const modality = title ? modalityFromExam(title) : undefined;
  if (modality) meta.modality = modality;
  const bodyPart = title ? bodyPartOfTitle(title) : undefined;
  if (bodyPart) meta.bodyPart = bodyPart;
  return meta;
}

/**
 * The `<script type="text/xml">` template attributes: the template's own terms and the coded content of its fields and
 * sections (`<entry ORIGTXT="id">`). The XML sits in a comment and leaves `<code>` unclosed, so it is read token by token
 * with parse5's tokenizer rather than built into an HTML tree (whose formatting-element rules would misplace the codes).
 */
function readCodedContent(head: Element): { terms: Coding[]; entries: Map<string, Coding[]> } {
  const terms: Coding[] = [];
  const entries = new Map<string, Coding[]>();
  for (const script of elements(head, 'script')) {
    if (attr(script, 'type')?.toLowerCase() !== 'text/xml') continue;
    const xml = commentsIn(textOf(script)).join('\n') || textOf(script);
    let entry: string | undefined;
    let inCodedContent = false;
    tokenize(xml, {
      onStartTag(name, attrs) {
        if (name === 'coded_content') inCodedContent = true;
        else if (name === 'entry') entry = attrs.get('origtxt');
        else if (name === 'code') {
          const coding: Coding = { scheme: attrs.get('scheme') ?? '', value: attrs.get('value') ?? '', meaning: attrs.get('meaning') ?? '' };
          if (entry !== undefined) {
            const list = entries.get(entry) ?? [];
            if (!list.some((c) => c.scheme === coding.scheme && c.value === coding.value)) list.push(coding);
            entries.set(entry, list);
          } else if (!inCodedContent) terms.push(coding);
        }
      },
      onEndTag(name) {
        if (name === 'entry') entry = undefined;
        else if (name === 'coded_content') inCodedContent = false;
      },
    });
  }
  return { terms, entries };
}

interface TagEvents {
  onStartTag(name: string, attrs: Map<string, string>): void;
  onEndTag(name: string): void;
  onComment?(text: string): void;
}

function tokenize(markup: string, events: TagEvents): void {
  const handler: TokenHandler = {
    onStartTag: (token) => events.onStartTag(token.tagName, new Map(token.attrs.map((a) => [a.name, a.value]))),
    onEndTag: (token) => events.onEndTag(token.tagName),
    onComment: (token) => events.onComment?.(token.data),
    onDoctype() {},
    onEof() {},
    onCharacter() {},
    onNullCharacter() {},
    onWhitespaceCharacter() {},
  };
  new Tokenizer({}, handler).write(markup, true);
}

function commentsIn(markup: string): string[] {
  const comments: string[] = [];
  tokenize(markup, { onStartTag() {}, onEndTag() {}, onComment: (text) => comments.push(text) });
  return comments;
}

// ---- the body: sections, and in each the fields and fixed wording, block by block ----

/** What a section's own content (not its subsections) is made of, in document order; blocks are separated by `boundary`. */
type Piece = { kind: 'label'; text: string; for?: string } | { kind: 'text'; text: string } | { kind: 'control'; element: Element } | { kind: 'boundary' };

const BLOCKS = new Set(['header', 'p', 'div', 'tr', 'li', 'table', 'tbody', 'ul', 'ol', 'br', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const SKIPPED = new Set(['script', 'style', 'datalist', 'template']);

function collectSections(node: Element, level: number, out: TemplateSection[], datalists: Map<string, Element>): void {
  for (const child of node.childNodes) {
    if (!isElement(child)) continue;
    if (child.tagName === 'section') {
      const name = attr(child, 'data-section-name')?.trim() ?? '';
      const header = child.childNodes.find((c): c is Element => isElement(c) && c.tagName === 'header');
      const heading = header ? foldSpace(textOf(header)) : '';
      const id = attr(child, 'id');
      const title = name || heading || id || '';
      const section: TemplateSection = { name: title, heading: heading || title, level: level + 1, items: [] };
      if (id) section.id = id;
      out.push(section);
      const pieces: Piece[] = [];
      flatten(child, pieces, header);
      section.items = itemsOf(pieces, datalists);
      collectSections(child, level + 1, out, datalists);
    } else collectSections(child, level, out, datalists);
  }
}

/** Flattens a section's own content; `heading` is its `<header>`, already read as the section's heading. */
function flatten(node: Element, out: Piece[], heading?: Element): void {
  for (const child of node.childNodes) {
    if (child.nodeName === '#text') {
      const text = foldSpace((child as DefaultTreeAdapterTypes.TextNode).value);
      if (text) out.push({ kind: 'text', text });
      continue;
    }
    if (!isElement(child) || child === heading || child.tagName === 'section' || SKIPPED.has(child.tagName)) continue;
    const tag = child.tagName;
    if (tag === 'label') {
      const text = foldSpace(textOf(child));
      const target = attr(child, 'for');
      // A label that wraps its control: the control follows the label's own text.
      const inner = child.childNodes.filter(isElement).flatMap((c) => controlsIn(c));
      if (text) out.push(target ? { kind: 'label', text, for: target } : { kind: 'label', text });
      for (const control of inner) out.push({ kind: 'control', element: control });
      continue;
    }
    if (tag === 'input' || tag === 'select' || tag === 'textarea') {
      out.push({ kind: 'control', element: child });
      continue;
    }
    const block = BLOCKS.has(tag);
    if (block) out.push({ kind: 'boundary' });
    flatten(child, out);
    if (block) out.push({ kind: 'boundary' });
  }
}

function controlsIn(node: Element): Element[] {
  if (node.tagName === 'input' || node.tagName === 'select' || node.tagName === 'textarea') return [node];
  return node.childNodes.filter(isElement).flatMap(controlsIn);
}

function itemsOf(pieces: Piece[], datalists: Map<string, Element>): TemplateItem[] {
  const items: TemplateItem[] = [];
  let block: Piece[] = [];
  const flush = () => {
    items.push(...blockItems(block, datalists));
    block = [];
  };
  for (const piece of pieces) {
    if (piece.kind === 'boundary') flush();
    else block.push(piece);
  }
  flush();
  return items;
}

/** A control, or a group of radio buttons or check boxes sharing a name, with the text that names each choice. */
interface Control {
  elements: Element[];
  choiceTexts: string[];
  label?: string;
}

function blockItems(block: Piece[], datalists: Map<string, Element>): TemplateItem[] {
  // Group the controls: radio buttons and check boxes of one name are one field; the text after each is its choice.
  const sequence: Array<Piece | Control> = [];
  const groups = new Map<string, Control>();
  let lastChoice: { control: Control; index: number } | undefined;
  for (const piece of block) {
    if (piece.kind === 'control') {
      const type = inputType(piece.element);
      if (type === 'radio' || type === 'checkbox') {
        const name = attr(piece.element, 'name') || attr(piece.element, 'id') || '';
        const key = `${type}:${name}`;
        let group = name ? groups.get(key) : undefined;
        if (!group) {
          group = { elements: [], choiceTexts: [] };
          if (name) groups.set(key, group);
          sequence.push(group);
        }
        group.elements.push(piece.element);
        group.choiceTexts.push('');
        lastChoice = { control: group, index: group.elements.length - 1 };
        continue;
      }
      sequence.push({ elements: [piece.element], choiceTexts: [] });
      lastChoice = undefined;
      continue;
    }
    const choiceLabel =
      piece.kind === 'label' && piece.for !== undefined && lastChoice && attr(lastChoice.control.elements[lastChoice.index]!, 'id') === piece.for;
    if (lastChoice && !lastChoice.control.choiceTexts[lastChoice.index] && (piece.kind === 'text' || choiceLabel)) {
      lastChoice.control.choiceTexts[lastChoice.index] = piece.text;
      lastChoice = undefined;
      continue;
    }
    lastChoice = undefined;
    sequence.push(piece);
  }
  // Bind labels: a label's `for` names its control; otherwise the label or text just before a control names it.
  const controls = sequence.filter((p): p is Control => !('kind' in p));
  const byId = new Map<string, Control>();
  for (const control of controls)
    for (const element of control.elements) {
      const id = attr(element, 'id');
      if (id) byId.set(id, control);
    }
  const consumed = new Set<Piece>();
  for (const piece of sequence) {
    if ('kind' in piece && piece.kind === 'label' && piece.for) {
      const control = byId.get(piece.for);
      if (control && control.label === undefined) {
        control.label = piece.text;
        consumed.add(piece);
      }
    }
  }
  for (let i = 0; i < sequence.length; i++) {
    const control = sequence[i]!;
    if ('kind' in control || control.label !== undefined) continue;
    const before = sequence[i - 1];
    if (before && 'kind' in before && (before.kind === 'label' || before.kind === 'text') && !consumed.has(before)) {
      control.label = before.text;
      consumed.add(before);
    }
  }
  // Units written after a number field are part of the field.
  for (let i = 0; i < sequence.length; i++) {
    const control = sequence[i]!;
    const after = sequence[i + 1];
    if ('kind' in control || !after || !('kind' in after) || after.kind !== 'text') continue;
    const units = attr(control.elements[0]!, 'data-field-units');
    if (units && foldSpace(after.text) === foldSpace(units)) consumed.add(after);
  }
  const items: TemplateItem[] = [];
  let text: string[] = [];
  const flushText = () => {
    if (text.length) items.push({ kind: 'text', text: text.join(' ') });
    text = [];
  };
  for (const piece of sequence) {
    if ('kind' in piece) {
      if (!consumed.has(piece) && (piece.kind === 'label' || piece.kind === 'text')) text.push(piece.text);
      continue;
    }
    flushText();
    items.push(fieldOf(piece, datalists));
  }
  flushText();
  return items;
}

function fieldOf(control: Control, datalists: Map<string, Element>): TemplateField {
  const element = control.elements[0]!;
  const label = (control.label ?? '').replace(/\s*:\s*$/, '').trim();
  const tag = element.tagName;
  let type: FieldType;
  let defaultText = '';
  let options: string[] | undefined;
  let values: string[] | undefined;
  let multiple = false;
  let id = attr(element, 'id') ?? '';
  if (tag === 'textarea') {
    type = 'textarea';
    defaultText = textOf(element).trim() || (attr(element, 'value') ?? '').trim();
  } else if (tag === 'select') {
    type = 'select';
    const optionElements = elements(element, 'option');
    options = optionElements.map(optionText);
    values = optionElements.map((o) => foldSpace(attr(o, 'value') ?? ''));
    multiple = attr(element, 'multiple') !== undefined;
    const chosen = optionElements
      .filter((o) => attr(o, 'selected') !== undefined)
      .map(optionText)
      .filter(Boolean);
    defaultText = chosen.length ? chosen.join('; ') : multiple ? '' : (options[0] ?? '');
  } else {
    const input = inputType(element);
    if (input === 'radio' || input === 'checkbox') {
      type = input;
      id = attr(element, 'name') || id;
      options = control.elements.map((e, i) => control.choiceTexts[i] || (attr(e, 'value') ?? ''));
      values = control.elements.map((e) => foldSpace(attr(e, 'value') ?? ''));
      multiple = input === 'checkbox';
      defaultText = control.elements.flatMap((e, i) => (attr(e, 'checked') !== undefined && options![i] ? [options![i]!] : [])).join('; ');
    } else if (attr(element, 'list') !== undefined) {
      type = 'list';
      const list = datalists.get(attr(element, 'list')!);
      const optionElements = list ? elements(list, 'option') : [];
      options = optionElements.map(optionText);
      values = optionElements.map((o) => foldSpace(attr(o, 'value') ?? ''));
      defaultText = (attr(element, 'value') ?? '').trim();
    } else {
      type = input === 'number' || input === 'date' || input === 'time' ? input : 'text';
      defaultText = (attr(element, 'value') ?? '').trim();
    }
  }
  const field: TemplateField = { kind: 'field', id, label, type, default: foldSpaceKeepLines(defaultText) };
  if (options) {
    field.options = options.map(foldSpace);
    if (values?.some((value, i) => value !== field.options![i])) field.optionValues = values;
  }
  if (multiple) field.multiple = true;
  const units = attr(element, 'data-field-units')?.trim();
  if (units) field.units = units;
  return field;
}

function optionText(option: Element): string {
  return foldSpace(textOf(option)) || foldSpace(attr(option, 'value') ?? '');
}

/** Folds white space within each line and drops empty lines (a textarea's default may span lines). */
export function foldSpaceKeepLines(text: string): string {
  return text.split(/\r?\n/).map(foldSpace).filter(Boolean).join('\n');
}

function inputType(element: Element): string {
  return element.tagName === 'input' ? (attr(element, 'type') ?? 'text').toLowerCase() : element.tagName;
}

// ---- small tree helpers ----

function isElement(node: Node): node is Element {
  return 'tagName' in node;
}

function attr(element: Element, name: string): string | undefined {
  return element.attrs.find((a) => a.name === name)?.value;
}

function children(node: Node): Node[] {
  if (isElement(node) && node.tagName === 'template') return (node as DefaultTreeAdapterTypes.Template).content.childNodes;
  return 'childNodes' in node ? (node.childNodes as Node[]) : [];
}

function elements(node: Node, tag: string): Element[] {
  const found: Element[] = [];
  const visit = (n: Node) => {
    if (isElement(n) && n.tagName === tag) found.push(n);
    for (const child of children(n)) visit(child);
  };
  for (const child of children(node)) visit(child);
  return found;
}

function findElement(node: Node, tag: string): Element | undefined {
  if (isElement(node) && node.tagName === tag) return node;
  for (const child of children(node)) {
    const found = findElement(child, tag);
    if (found) return found;
  }
  return undefined;
}

function textOf(node: Node): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterTypes.TextNode).value;
  return children(node).map(textOf).join('');
}
