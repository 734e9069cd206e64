import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { importMrrt } from '../templates/mrrtImport.ts';
import type { ReportTemplate } from '../templates/reportTemplate.ts';
import { libraryEntry, reportFromTemplate, type TemplateLibraryEntry } from '../templates/templateLibrary.ts';
import { templateFromMarkdown } from '../templates/templateMarkdown.ts';

/** The most a template file may weigh (the largest RadReport template is under 100 kB). */
const MAX_TEMPLATE_BYTES = 1 << 20;
const DEPARTMENT = 'department';

/** A library template with the report it makes. */
export interface LibraryTemplate extends TemplateLibraryEntry {
  report: string;
}

/**
 * The report templates the editor offers: the RSNA RadReport library shipped with the extension
 * (`dist/templates/rsna`, built by `npm run templates:build`) and the department's own folders (the
 * `radiologyReport.templates` setting): markdown report templates (`*.md`) and IHE MRRT files (`*.html`).
 */
export interface TemplateLibraryStore {
  templates(): Promise<LibraryTemplate[]>;
}

export function createTemplateLibraryStore(options: { packageRoot: string; departmentFolders: () => readonly string[] }): TemplateLibraryStore {
  let shipped: Promise<LibraryTemplate[]> | undefined;
  const department = new Map<string, { mtimeMs: number; template: LibraryTemplate | undefined }>();

  const readShipped = async (): Promise<LibraryTemplate[]> => {
    const folder = join(options.packageRoot, 'dist', 'templates', 'rsna');
    let index: { templates?: TemplateLibraryEntry[] };
    try {
      index = JSON.parse(await readFile(join(folder, 'index.json'), 'utf8')) as { templates?: TemplateLibraryEntry[] };
    } catch {
      return []; // not built (no ../shared/data when the extension was packaged)
    }
    const out: LibraryTemplate[] = [];
    for (const entry of index.templates ?? []) {
      const text = await readFile(join(folder, `${entry.id}.report-template.md`), 'utf8').catch(() => undefined);
      if (text !== undefined) out.push({ ...entry, report: reportFromTemplate(templateFromMarkdown(text).template) });
    }
    return out;
  };

  const readDepartmentFile = async (path: string, name: string): Promise<LibraryTemplate | undefined> => {
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile() || info.size > MAX_TEMPLATE_BYTES) return undefined;
    const cached = department.get(path);
    if (cached && cached.mtimeMs === info.mtimeMs) return cached.template;
    const text = await readFile(path, 'utf8').catch(() => undefined);
    let template: ReportTemplate | undefined;
    if (text !== undefined) {
      template = /\.html?$/i.test(name) ? importMrrt(text) : templateFromMarkdown(text).template;
      if (!template.meta.title) template.meta.title = name.replace(/(\.report-template)?\.(md|html?)$/i, '');
    }
    const entry = template?.sections.length ? { ...libraryEntry(name, template, DEPARTMENT), report: reportFromTemplate(template) } : undefined;
    department.set(path, { mtimeMs: info.mtimeMs, template: entry });
    return entry;
  };

  return {
    async templates() {
      shipped ??= readShipped();
      const own: LibraryTemplate[] = [];
      for (const folder of options.departmentFolders()) {
        const names = await readdir(folder).catch(() => [] as string[]);
        for (const name of names.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))) {
          if (!['.md', '.html', '.htm'].includes(extname(name).toLowerCase())) continue;
          const entry = await readDepartmentFile(join(folder, name), name);
          if (entry) own.push(entry);
        }
      }
      // The department's own first: they are what its radiologists are meant to use.
      return [...own, ...(await shipped)];
    },
  };
}
