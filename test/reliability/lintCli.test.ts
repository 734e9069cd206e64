/**
 * Issue 11, item 8: `radreport lint` as a CI job uses it. SIGTERM stops it promptly with status 143 even while it is
 * checking; a folder with no report and a file that is not UTF-8 are errors that say what is wrong (status 2), not a
 * silent success. Runs the built command (bin/radreport.mjs over dist/cli.mjs: `npm run build` first).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ADVERSARIAL_INPUTS, adversarialReport } from './adversarialCorpus.ts';

const BIN = fileURLToPath(new URL('../../bin/radreport.mjs', import.meta.url));
const GOOD = '## Findings\nThe lungs are clear.\n\n## Impression\nNo acute disease.\n';

function lint(args: string[], cwd: string) {
  return spawnSync(process.execPath, [BIN, 'lint', ...args], { cwd, encoding: 'utf8', timeout: 30_000 });
}

test('SIGTERM stops lint while it is checking, with status 143, within a few seconds', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'radreport-lint-term-'));
  // Enough reports to keep lint busy for a minute or more.
  for (let i = 0; i < 400; i++) {
    const input = ADVERSARIAL_INPUTS[i % ADVERSARIAL_INPUTS.length]!;
    writeFileSync(join(dir, `${String(i).padStart(3, '0')}-${input.kind}.report.md`), adversarialReport(input, 65_536));
  }
  const child = spawn(process.execPath, [BIN, 'lint', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  await new Promise((resolve) => setTimeout(resolve, 2_000)); // started, and checking
  const sent = Date.now();
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 8_000);
  const { code, signal } = await exited;
  clearTimeout(killer);
  const ms = Date.now() - sent;
  assert.equal(signal, null, `ended by ${signal} after ${ms} ms, not by its own exit: ${stderr}`);
  assert.equal(code, 143, stderr);
  assert.ok(ms < 5_000, `stopped after ${ms} ms`);
});

test('a folder with no report is an error that says so', () => {
  const dir = mkdtempSync(join(tmpdir(), 'radreport-lint-empty-'));
  mkdirSync(join(dir, 'empty'));
  writeFileSync(join(dir, 'empty', 'notes.txt'), 'not a report');
  const run = lint(['empty'], dir);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /no reports to check in empty: it holds no \*\.md file/);
  // A folder with reports next to it does not hide the empty one.
  mkdirSync(join(dir, 'reports'));
  writeFileSync(join(dir, 'reports', 'good.report.md'), GOOD);
  const both = lint(['reports', 'empty'], dir);
  assert.equal(both.status, 2);
  assert.match(both.stderr, /no reports to check in empty/);
});

test('a report that is not UTF-8 is an error naming the file and the byte offset', () => {
  const dir = mkdtempSync(join(tmpdir(), 'radreport-lint-utf8-'));
  // "Findings" then Latin-1 "é" (0xE9) where UTF-8 needs two bytes.
  const bytes = Buffer.concat([Buffer.from('## Findings\nCaf'), Buffer.from([0xe9]), Buffer.from(' normal.\n\n## Impression\nNormal.\n')]);
  writeFileSync(join(dir, 'latin1.report.md'), bytes);
  writeFileSync(join(dir, 'good.report.md'), GOOD);
  const run = lint(['latin1.report.md', 'good.report.md'], dir);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /latin1\.report\.md: not UTF-8 text: byte 0xE9 at byte offset 15 \(line 2\)/);
  assert.equal(run.stdout, '', 'the good report is still checked (and has no problem)');
});

test('a reader that closes the pipe early (radreport lint DIR | head -1) ends the command quietly with status 0', async () => {
  // More problem lines (about 200 KB) than a pipe holds (64 KB), so lint still writes after the reader has gone.
  const dir = mkdtempSync(join(tmpdir(), 'radreport-lint-pipe-'));
  for (let i = 0; i < 1500; i++) writeFileSync(join(dir, `${String(i).padStart(4, '0')}.report.md`), '## Findings\nThe lungs are clear.\n');
  const child = spawn(process.execPath, [BIN, 'lint', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // Read the first output, then close our end, as `head -1` does.
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  child.stdout.destroy();
  const code = await exited;
  assert.doesNotMatch(stderr, /EPIPE|Unhandled/, stderr);
  assert.equal(code, 0, stderr);
});
