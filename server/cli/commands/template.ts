import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { importMrrt } from '../../templates/mrrtImport.ts';
import { exportMrrt } from '../../templates/mrrtExport.ts';
import { templateFromMarkdown, templateToMarkdown } from '../../templates/templateMarkdown.ts';
import { parseArgs, stringFlag, UsageError, type CliCommand, type CliIo } from '../command.ts';

const USAGE = `Usage: radreport template import FILE.html|FOLDER [--out FOLDER]
       radreport template export FILE.md [--out FILE.html]

Converts report templates between IHE MRRT (the HTML5 format of the RSNA RadReport library) and the product's markdown
report templates (front matter type: radiology-report-template, sections as ## headings, fields as "Label: default" lines;
MRRT ids, pick lists, units and codes in <!-- mrrt-field … --> comments).

  import   each MRRT file (a folder: every *.html in it) becomes NAME.report-template.md in --out (default: beside it);
           without --out a single file is written to standard output
  export   writes the markdown template as MRRT HTML5 to --out (default: standard output)

Exit status: 0 on success, 1 if a template had problems, 2 for usage or I/O errors.`;

export const templateCommand: CliCommand = {
  name: 'template',
  summary: 'convert report templates between IHE MRRT (RSNA RadReport HTML) and markdown',
  usage: USAGE,
  async run(args, io) {
    const [action, ...rest] = args;
    const parsed = parseArgs(rest, { values: ['out'] });
    const out = stringFlag(parsed, 'out');
    if (parsed.positionals.length !== 1) throw new UsageError('give one FILE or FOLDER');
    const input = resolve(io.cwd, parsed.positionals[0]!);
    if (action === 'import') return importTemplates(input, out === undefined ? undefined : resolve(io.cwd, out), io);
    if (action === 'export') return exportTemplate(input, out === undefined ? undefined : resolve(io.cwd, out), io);
    throw new UsageError(action ? `unknown action "${action}": import or export` : 'import or export?');
  },
};

async function importTemplates(input: string, outDir: string | undefined, io: CliIo): Promise<number> {
  const isFolder = (await stat(input)).isDirectory();
  const files = isFolder
    ? (await readdir(input))
        .filter((name) => /\.html?$/i.test(name))
        .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
        .map((name) => join(input, name))
    : [input];
  if (!isFolder && outDir === undefined) {
    io.stdout.write(templateToMarkdown(importMrrt(await readFile(input, 'utf8'))));
    return 0;
  }
  const target = outDir ?? (isFolder ? input : resolve(input, '..'));
  await mkdir(target, { recursive: true });
  let status = 0;
  let written = 0;
  for (const file of files) {
    const template = importMrrt(await readFile(file, 'utf8'));
    if (!template.sections.length) {
      io.stderr.write(`${file}: no <section> found: not an MRRT template\n`);
      status = 1;
      continue;
    }
    const name = `${basename(file, extname(file))}.report-template.md`;
    await writeFile(join(target, name), templateToMarkdown(template));
    written++;
  }
  io.stderr.write(`${written} template(s) imported into ${target}\n`);
  return status;
}

async function exportTemplate(input: string, outFile: string | undefined, io: CliIo): Promise<number> {
  const { template, problems } = templateFromMarkdown(await readFile(input, 'utf8'));
  for (const problem of problems) io.stderr.write(`${input}:${problem.line + 1}:1 error ${problem.message}\n`);
  const html = exportMrrt(template);
  if (outFile === undefined) io.stdout.write(html);
  else await writeFile(outFile, html);
  return problems.length ? 1 : 0;
}
