import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompletionItemKind, InsertTextFormat, type CompletionItem, type Position } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { SectionKind } from '../report/types.ts';
import type { Analysis } from '../service/reportService.ts';
import type { LibraryTemplate } from '../service/templateLibraryStore.ts';

/** The sections a report has, in the order a radiologist writes them, with their usual heading. */
const SECTION_ORDER: ReadonlyArray<[SectionKind, string]> = [
  ['clinical', 'Clinical information'],
  ['technique', 'Technique'],
  ['comparison', 'Comparison'],
  ['findings', 'Findings'],
  ['conclusion', 'Impression'],
  ['recommendation', 'Recommendation'],
];

interface Snippet {
  prefix: string | string[];
  description: string;
  body: string[];
}

let templates: Array<[string, Snippet]> | undefined;
function reportTemplates(packageRoot: string): Array<[string, Snippet]> {
  templates ??= Object.entries(JSON.parse(readFileSync(join(packageRoot, 'snippets', 'report-templates.json'), 'utf8')) as Record<string, Snippet>);
  return templates;
}

/**
 * Section headings at the start of a line (missing ones first), and report templates in a report with no sections yet:
 * the built-in snippets, then `library` (the department's templates and the RSNA RadReport library).
 */
export function completions(
  document: TextDocument,
  position: Position,
  analysis: Analysis,
  packageRoot: string,
  library: readonly LibraryTemplate[] = [],
): CompletionItem[] {
  const report = analysis.report;
  if (!report) return [];
  const line = document.getText({ start: { line: position.line, character: 0 }, end: position });
  const atLineStart = /^\s*#{0,6}\s*[\p{L} ]*$/u.test(line);
  if (!atLineStart) return [];
  const items: CompletionItem[] = [];
  const present = new Set(report.sections.map((s) => s.kind));
  const labelStyle = report.sections.some((s) => s.style === 'label') && !report.sections.some((s) => s.style === 'heading' && s.kind !== 'other');
  const level = report.sections.find((s) => s.style === 'heading' && s.kind !== 'other')?.level ?? 2;
  const range = { start: { line: position.line, character: 0 }, end: position };
  SECTION_ORDER.forEach(([kind, name], index) => {
    const heading = labelStyle ? `${name.toUpperCase()}: ` : `${'#'.repeat(level)} ${name}\n`;
    items.push({
      label: labelStyle ? `${name.toUpperCase()}:` : `${'#'.repeat(level)} ${name}`,
      kind: CompletionItemKind.Module,
      detail: present.has(kind) ? 'Report section (already present)' : 'Report section',
      sortText: `${present.has(kind) ? 1 : 0}${index}`,
      filterText: `${'#'.repeat(level)} ${name} ${name.toUpperCase()}`,
      textEdit: { range, newText: heading },
    });
  });
  if (!report.sections.some((s) => s.kind !== 'other')) {
    for (const [name, snippet] of reportTemplates(packageRoot)) {
      items.push({
        label: name,
        kind: CompletionItemKind.Snippet,
        detail: snippet.description,
        insertTextFormat: InsertTextFormat.Snippet,
        filterText: [name, ...[snippet.prefix].flat()].join(' '),
        sortText: `2${name}`,
        textEdit: { range, newText: snippet.body.join('\n') },
      });
    }
    library.forEach((template, index) => {
      const what = [template.modality, template.bodyPart].filter(Boolean).join(' · ');
      items.push({
        label: template.title,
        kind: CompletionItemKind.Snippet,
        detail: `${what ? what + ' — ' : ''}${template.source === 'department' ? 'department template' : template.source}`,
        ...(template.credit ? { documentation: template.credit } : {}),
        insertTextFormat: InsertTextFormat.PlainText,
        filterText: [template.title, template.modality, template.bodyPart].filter(Boolean).join(' '),
        sortText: `3${String(index).padStart(4, '0')}`,
        textEdit: { range, newText: template.report },
      });
    });
  }
  return items;
}
