/**
 * Converts the RSNA RadReport templates (../shared/data/radreport-templates/mrrt, IHE MRRT HTML5) into the markdown
 * report templates the extension offers: dist/templates/rsna/ID.report-template.md and index.json (id, title, modality,
 * body part, creator, credit line). Generated at build time, never committed; `npm run package` runs it when the data
 * is there. The RadReport licence allows reuse with credit to RSNA RadReport and each template's creator: every
 * template carries its credit line in its front matter and in the index.
 *
 *   node --import tsx scripts/build-templates.ts [MRRT_FOLDER] [--out FOLDER]
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importMrrt } from '../server/templates/mrrtImport.ts';
import { libraryEntry } from '../server/templates/templateLibrary.ts';
import { templateToMarkdown } from '../server/templates/templateMarkdown.ts';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const out = outAt === -1 ? join(root, 'dist', 'templates', 'rsna') : resolve(args[outAt + 1]!);
const positional = args.filter((arg, i) => arg !== '--out' && i !== outAt + 1);
const source = positional[0] ? resolve(positional[0]) : resolve(root, '..', 'shared', 'data', 'radreport-templates', 'mrrt');
if (!existsSync(source)) {
  console.error(`build-templates: no RadReport templates at ${source} (../shared/data); nothing built`);
  process.exit(1);
}
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const entries = [];
const files = readdirSync(source)
  .filter((name) => name.endsWith('.html'))
  .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
for (const file of files) {
  const id = file.replace(/\.html$/, '');
  const template = importMrrt(readFileSync(join(source, file), 'utf8'));
  if (!template.sections.length) continue;
  writeFileSync(join(out, `${id}.report-template.md`), templateToMarkdown(template, { library: 'RSNA RadReport' }));
  entries.push(libraryEntry(id, template, 'RSNA RadReport'));
}
writeFileSync(
  join(out, 'index.json'),
  JSON.stringify(
    { source: 'RSNA RadReport (radreport.org), used gratis subject to its licence: http://www.radreport.org/license.pdf', templates: entries },
    null,
    1,
  ) + '\n',
);
console.log(`build-templates: ${entries.length} templates in ${out}`);
