import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../server/cli/main.ts';
import { ensureTestModels } from '../models/testModels.ts';

async function cli(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    cwd,
    env: {},
    signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
}

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'radreport-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const GOOD = '## Findings\nThe lungs are clear.\n\n## Impression\nNo acute disease.\n';
const WARN = '## Findings\nNodule ___ mm.\n\n## Impression\nNodule.\n';
const ERROR = '## Findings\nThe lungs are clear.\n';

test('lint: text format is file:line:column severity code message; exit 1 only with an error', async () => {
  const dir = workspace({ 'good.report.md': GOOD, 'warn.report.md': WARN, 'error.report.md': ERROR });
  assert.deepEqual(await cli(['lint', 'good.report.md'], dir), { code: 0, stdout: '', stderr: '' });
  const warn = await cli(['lint', 'warn.report.md'], dir);
  assert.equal(warn.code, 0);
  assert.equal(warn.stdout, 'warn.report.md:2:8 warning placeholder Unfilled template field "___".\n');
  const error = await cli(['lint', 'error.report.md', 'good.report.md'], dir);
  assert.equal(error.code, 1);
  assert.equal(error.stdout, 'error.report.md:1:1 error missing-section The report has no conclusion (impression) section.\n');
});

test('lint: json format, folders, and a non-report file reported rather than crashed on', async () => {
  const dir = workspace({ 'warn.report.md': WARN, 'notes.md': 'Just some notes.\n', 'image.png': '\u0089PNG' });
  const { code, stdout } = await cli(['lint', '--format', 'json', '.'], dir);
  assert.equal(code, 1);
  const entries = JSON.parse(stdout);
  assert.deepEqual(
    entries.map((e: { file: string; code: string }) => `${e.file} ${e.code}`),
    ['notes.md missing-section', 'warn.report.md placeholder'],
  );
  assert.deepEqual(Object.keys(entries[1]), ['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'message']);
  assert.deepEqual([entries[1].line, entries[1].column, entries[1].endLine, entries[1].endColumn], [2, 8, 2, 11]);
});

test('lint: the nearest .radreportrc.json applies, and --config overrides it', async () => {
  const dir = workspace({
    'warn.report.md': WARN,
    '.radreportrc.json': '{"rules": {"placeholder": "error"}}',
    'off.json': '{"rules": {"placeholder": "off"}}',
  });
  const strict = await cli(['lint', 'warn.report.md'], dir);
  assert.equal(strict.code, 1);
  assert.match(strict.stdout, / error placeholder /);
  assert.deepEqual(await cli(['lint', '--config', 'off.json', 'warn.report.md'], dir), { code: 0, stdout: '', stderr: '' });
});

test('lint: a misspelt rule or option in the configuration is said on stderr with the name meant; the rest applies', async () => {
  const rc = '{\n  "rules": {\n    "placeholdr": "off",\n    "placeholder": { "severity": "error", "sevrity": "off" }\n  }\n}\n';
  const dir = workspace({ 'warn.report.md': WARN, '.radreportrc.json': rc, 'other.json': '{"rulez": {}}' });
  const { code, stdout, stderr } = await cli(['lint', 'warn.report.md'], dir);
  assert.equal(code, 1);
  assert.match(stdout, / error placeholder /);
  assert.equal(
    stderr,
    '.radreportrc.json:3:5: rules.placeholdr is not a rule; did you mean "placeholder"? (`radreport rules` lists them)\n' +
      '.radreportrc.json:4:43: rules.placeholder.sevrity is not an option of placeholder; did you mean "severity"?\n',
  );
  const other = await cli(['lint', '--config', 'other.json', 'warn.report.md'], dir);
  assert.equal(other.stderr, 'other.json:1:2: rulez unknown setting; did you mean "rules"?\n');
  assert.equal(other.code, 0);
});

test('rules: one line a rule with its severity, scope and fix, from the metadata', async () => {
  const { code, stdout } = await cli(['rules'], workspace({}));
  assert.equal(code, 0);
  const lines = stdout.trimEnd().split('\n');
  assert.equal(lines.length, 15);
  assert.match(
    lines.find((l) => l.startsWith('template-section-order '))!,
    /^template-section-order +warning +report +- +A report template's sections/,
  );
  assert.match(
    lines.find((l) => l.startsWith('omitted-finding '))!,
    /^omitted-finding +information +findings +fix +A significant finding/,
  );
  assert.match(
    lines.find((l) => l.startsWith('duplicate-sentence '))!,
    /^duplicate-sentence +warning +report +fix-all +The same sentence/,
  );
  assert.match(
    lines.find((l) => l.startsWith('contradiction '))!,
    /^contradiction +error +conclusion +- +The conclusion asserts/,
  );
});

test('lint: usage and I/O errors exit 2 with a message', async () => {
  const dir = workspace({});
  const missing = await cli(['lint', 'nope.report.md'], dir);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read nope\.report\.md: ENOENT/);
  assert.equal((await cli(['lint'], dir)).code, 2);
  const badFormat = await cli(['lint', '--format', 'xml', 'a.md'], dir);
  assert.equal(badFormat.code, 2);
  assert.match(badFormat.stderr, /--format must be text or json/);
  assert.equal((await cli(['frobnicate'], dir)).code, 2);
});

test('conclude: a real generation with the tiny model, deterministic, as JSON', async () => {
  const models = await ensureTestModels();
  const dir = workspace({ 'case.report.md': '# XR chest\n\n## Findings\nLeft lower lobe opacity.\n\n## Impression\n\n' });
  const run = () => cli(['conclude', 'case.report.md', '--model', models.model, '--max-tokens', '12', '--json'], dir);
  const first = await run();
  assert.equal(first.code, 0, first.stderr);
  const result = JSON.parse(first.stdout);
  assert.deepEqual(Object.keys(result), [
    'conclusion',
    'source',
    'corrections',
    'modelText',
    'flagged',
    'plan',
    'model',
    'loras',
    'examples',
    'promptTokens',
    'completionTokens',
    'ms',
  ]);
  // The tiny model's words are random: the guard rejects them; what it left out (the opacity) comes first.
  assert.notEqual(result.source, 'model');
  assert.match(result.conclusion, /^(?:1\. )?Left lower lobe opacity\./);
  assert.deepEqual(result.flagged, []);
  assert.ok(result.corrections.length > 0);
  assert.deepEqual(result.plan.statements, ['Left lower lobe opacity.']);
  assert.ok(result.completionTokens >= 12, 'the model was asked (and asked again to correct)');
  assert.ok(result.promptTokens > 20);
  assert.match(first.stderr, /^source: (?:composed|model-corrected): /m);
  const again = JSON.parse((await run()).stdout);
  assert.deepEqual([again.conclusion, again.completionTokens], [result.conclusion, result.completionTokens], 'temperature 0 is deterministic');
  const withLora = JSON.parse(
    (await cli(['conclude', 'case.report.md', '--model', models.model, '--lora', `${models.lora}:1`, '--max-tokens', '12', '--json'], dir)).stdout,
  );
  assert.notEqual(withLora.source, 'model');
  assert.notEqual(withLora.modelText, result.modelText, 'the adapter changes what the model writes');
  assert.doesNotMatch(result.conclusion, new RegExp(result.modelText.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'the failed text is not shown');
});

test('conclude: a broken model file is a clear error, not a crash', async () => {
  const models = await ensureTestModels();
  const dir = workspace({ 'case.report.md': GOOD });
  const broken = await cli(['conclude', 'case.report.md', '--model', models.broken.notGguf], dir);
  assert.equal(broken.code, 1);
  assert.match(broken.stderr, /broken-not-gguf\.gguf/);
  const noFindings = await cli(['conclude', 'case.report.md', '--model', models.model], workspace({ 'case.report.md': '## Impression\nx\n' }));
  assert.equal(noFindings.code, 1);
  assert.match(noFindings.stderr, /no findings/);
});
