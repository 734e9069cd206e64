import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SHARED_DATA } from '../../../test/support/sharedData.ts';
import { importMrrt } from '../../templates/mrrtImport.ts';
import type { CliIo } from '../command.ts';
import { runCli } from '../main.ts';
import { lintCommand } from './lint.ts';
import { templateCommand } from './template.ts';

const work = await mkdtemp(join(tmpdir(), 'radreport-template-'));
after(() => rm(work, { recursive: true, force: true }));

function io(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    cwd: work,
    env: {},
    signal: new AbortController().signal,
    out: () => out,
    err: () => err,
  };
}

test('radreport template import FOLDER --out, then export FILE.md --out: the MRRT written back reads as the original', async () => {
  await mkdir(join(work, 'mrrt'));
  await mkdir(join(work, 'not-html'));
  for (const id of ['4', '7']) await copyFile(`${SHARED_DATA}radreport-templates/mrrt/${id}.html`, join(work, 'mrrt', `${id}.html`));
  await writeFile(join(work, 'mrrt', 'notes.txt'), 'not a template');
  const first = io();
  assert.equal(await runCli(['template', 'import', 'mrrt', '--out', 'md'], first, [templateCommand]), 0, first.err());
  assert.deepEqual((await readdir(join(work, 'md'))).sort(), ['4.report-template.md', '7.report-template.md']);
  assert.match(first.err(), /2 template\(s\) imported/);
  const markdown = await readFile(join(work, 'md', '4.report-template.md'), 'utf8');
  assert.match(markdown, /^---\ntype: radiology-report-template\ntitle: CT Brain\nmodality: CT\nbodyPart: head\n/);
  assert.match(markdown, /\nExtra-axial spaces: Normal\.\n/);
  const second = io();
  assert.equal(await runCli(['template', 'export', 'md/4.report-template.md', '--out', '4.html'], second, [templateCommand]), 0, second.err());
  const original = importMrrt(await readFile(`${SHARED_DATA}radreport-templates/mrrt/4.html`, 'utf8'));
  const exported = importMrrt(await readFile(join(work, '4.html'), 'utf8'));
  assert.deepEqual(exported.sections, original.sections);
});

test('radreport template import FILE without --out writes the markdown to standard output; a page with no section fails', async () => {
  const single = io();
  assert.equal(await runCli(['template', 'import', `${SHARED_DATA}radreport-templates/mrrt/6.html`], single, [templateCommand]), 0);
  assert.match(single.out(), /\n## Findings\n\n### Appendix\n\nDiameter:\n<!-- mrrt-field \{"id":"T6_17","type":"number","units":"mm"/);
  await writeFile(join(work, 'page.html'), '<html><body><p>Hello</p></body></html>');
  const bad = io();
  assert.equal(await runCli(['template', 'import', 'page.html', '--out', 'out'], bad, [templateCommand]), 1);
  assert.match(bad.err(), /no <section> found/);
  const usage = io();
  assert.equal(await runCli(['template', 'convert', 'x'], usage, [templateCommand]), 2);
  assert.match(usage.err(), /unknown action "convert"/);
});

test('radreport lint: a template is linted as one (front matter, or --template for every file); unfilled fields pass', async () => {
  await mkdir(join(work, 'lint'));
  const body = '# CT head\n\n## Findings\nHemorrhage: ___\nMidline shift:\nMidline shift: None.\n\n## Impression\n';
  await writeFile(join(work, 'lint', 'marked.md'), `---\ntype: radiology-report-template\n---\n${body}`);
  await writeFile(join(work, 'lint', 'plain.md'), body);
  const plain = io();
  assert.equal(await runCli(['lint', 'lint'], plain, [lintCommand]), 1);
  assert.deepEqual(
    plain
      .out()
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' ').slice(0, 3).join(' ')),
    ['lint/marked.md:9:1 error template-duplicate-field', 'lint/plain.md:4:13 warning placeholder', 'lint/plain.md:8:1 warning empty-conclusion'],
  );
  const template = io();
  assert.equal(await runCli(['lint', '--template', 'lint/plain.md'], template, [lintCommand]), 1);
  assert.equal(template.out(), 'lint/plain.md:6:1 error template-duplicate-field "Midline shift" is already a field of Findings.\n');
  await writeFile(join(work, 'lint', 'good.md'), '# CT head\n\n## Findings\nHemorrhage: None.\n\n## Impression\nNormal.\n');
  assert.equal(await runCli(['lint', '--template', 'lint/good.md'], io(), [lintCommand]), 0);
});
