import { type Coding, type ReportTemplate, type TemplateField, type TemplateSection } from './reportTemplate.ts';

/** Writes a report template as an IHE MRRT HTML5 template: dcterms metadata, coded content, one `<section>` per section. */
export function exportMrrt(template: ReportTemplate): string {
  const { meta } = template;
  const out: string[] = ['<!DOCTYPE html>', '<html>', '<head>', '<meta charset="UTF-8"/>'];
  const dc = (name: string, value: string | undefined) => {
    if (value) out.push(`<meta name="dcterms.${name}" content="${escapeAttribute(value)}"/>`);
  };
  dc('title', meta.title);
  dc('description', meta.description);
  dc('identifier', meta.identifier);
  dc('type', 'IMAGE_REPORT_TEMPLATE');
  dc('language', meta.language ?? 'en');
  dc('publisher', meta.publisher);
  dc('rights', meta.rights);
  dc('license', meta.license);
  dc('date', meta.date);
  dc('creator', meta.creator);
  dc('contributor', meta.contributor);
  for (const specialty of meta.specialties ?? []) dc('subject', specialty);
  out.push(
    '<script type="text/xml">',
    '<!--',
    ...templateAttributes(template),
    '-->',
    '</script>',
    `<title>${escapeText(meta.title)}</title>`,
    '</head>',
    '<body>',
  );
  const open: number[] = [];
  for (const section of template.sections) {
    while (open.length && open.at(-1)! >= section.level) {
      out.push('</section>');
      open.pop();
    }
    out.push(...sectionStart(section));
    open.push(section.level);
  }
  while (open.pop() !== undefined) out.push('</section>');
  out.push('</body>', '</html>');
  return out.join('\n') + '\n';
}

function templateAttributes(template: ReportTemplate): string[] {
  const lines = ['<template_attributes>', '<top-level-flag>true</top-level-flag>', '<status>ACTIVE</status>'];
  const schemes = new Set<string>();
  const entries: Array<[string, Coding[]]> = [];
  for (const section of template.sections) {
    if (section.id && section.codes?.length) entries.push([section.id, section.codes]);
    for (const item of section.items) if (item.kind === 'field' && item.codes?.length) entries.push([item.id, item.codes]);
  }
  entries.push(...Object.entries(template.meta.otherCodes ?? {}));
  for (const code of [...(template.meta.terms ?? []), ...entries.flatMap(([, codes]) => codes)]) schemes.add(code.scheme);
  const DESIGNATORS: Record<string, string> = { RadLex: '2.16.840.1.113883.6.256', SNOMEDCT: '2.16.840.1.113883.6.96', LOINC: '2.16.840.1.113883.6.1' };
  lines.push('<coding_schemes>');
  for (const scheme of schemes) lines.push(` <coding_scheme name="${escapeAttribute(scheme)}" designator="${escapeAttribute(DESIGNATORS[scheme] ?? '')}"/>`);
  lines.push('</coding_schemes>');
  for (const term of template.meta.terms ?? []) lines.push('<term>', codeElement(term), '</term>');
  lines.push('<coded_content>');
  for (const [id, codes] of entries) {
    lines.push(`<entry ORIGTXT="${escapeAttribute(id)}">`);
    for (const code of codes) lines.push(' <term>', codeElement(code), ' </term>');
    lines.push('</entry>');
  }
  lines.push('</coded_content>', '</template_attributes>');
  // The XML lives inside an HTML comment: `--` may not appear in it.
  return lines.map((line) => line.replace(/--/g, '- -'));
}

function codeElement(code: Coding): string {
  return `  <code meaning="${escapeAttribute(code.meaning)}" value="${escapeAttribute(code.value)}" scheme="${escapeAttribute(code.scheme)}"/>`;
}

function sectionStart(section: TemplateSection): string[] {
  const id = section.id ? ` id="${escapeAttribute(section.id)}"` : '';
  const out = [
    `<section data-section-name="${escapeAttribute(section.name)}"${id}>`,
    `<header class="level${section.level}">${escapeText(section.heading)}</header>`,
  ];
  for (const item of section.items) {
    if (item.kind === 'text') out.push(`<p>${item.text.split('\n').map(escapeText).join('<br/>')}</p>`);
    else out.push(`<p>${fieldHtml(item)}</p>`);
  }
  return out;
}

function fieldHtml(field: TemplateField): string {
  const id = escapeAttribute(field.id);
  const labelFor = field.type === 'radio' || field.type === 'checkbox' ? `${field.id}_0` : field.id;
  const label = field.label ? `<label for="${escapeAttribute(labelFor)}">${escapeText(field.label)}:</label> ` : '';
  const units = field.units ? ` data-field-units="${escapeAttribute(field.units)}"` : '';
  const chosen = chosenOptions(field);
  switch (field.type) {
    case 'textarea':
      // A leading newline in a textarea is dropped by HTML parsers, so the default starts on the tag's line.
      return `${label}<textarea id="${id}" name="${id}">${escapeText(field.default)}</textarea>`;
    case 'select': {
      const multiple = field.multiple ? ' multiple="multiple"' : '';
      const options = (field.options ?? []).map(
        (o, i) => `<option value="${escapeAttribute(valueOf(field, i))}"${chosen.has(o) ? ' selected="selected"' : ''}>${escapeText(o)}</option>`,
      );
      return `${label}<select id="${id}" name="${id}"${multiple}>${options.join('')}</select>`;
    }
    case 'radio':
    case 'checkbox':
      return (
        label +
        (field.options ?? [])
          .map(
            (o, i) =>
              `<input type="${field.type}" id="${id}_${i}" name="${id}" value="${escapeAttribute(valueOf(field, i))}"${chosen.has(o) ? ' checked="checked"' : ''}/>${escapeText(o)}`,
          )
          .join(' ')
      );
    case 'list': {
      const options = (field.options ?? []).map((o, i) => `<option value="${escapeAttribute(valueOf(field, i))}">${escapeText(o)}</option>`);
      return `${label}<input list="${id}_list" id="${id}" name="${id}" value="${escapeAttribute(field.default)}"/><datalist id="${id}_list">${options.join('')}</datalist>`;
    }
    default:
      return `${label}<input type="${field.type}" id="${id}" name="${id}" value="${escapeAttribute(field.default)}"${units}/>${field.units ? ' ' + escapeText(field.units) : ''}`;
  }
}

function valueOf(field: TemplateField, index: number): string {
  return field.optionValues?.[index] ?? field.options?.[index] ?? '';
}

/** The options a pick list's default chooses: the default itself when it is one option, else its "; "-separated parts. */
function chosenOptions(field: TemplateField): Set<string> {
  const options = new Set(field.options ?? []);
  if (!field.default) return new Set();
  if (options.has(field.default)) return new Set([field.default]);
  return new Set(field.default.split('; ').filter((part) => options.has(part)));
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}
