import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { validateReportConfig } from '../../server/config/reportConfig.ts';
import { vocabularyFor } from '../../server/clinical/vocabulary.ts';
import { analyzeReport } from '../../server/clinical/reportAnalysis.ts';
import { parseReport } from '../../server/report/parseReport.ts';
import { lintReport } from '../../server/rules/lintReport.ts';
import { ALL_RULES } from '../../server/rules/registry.ts';
import { createReportService } from '../../server/service/reportService.ts';
import { memoryWorkspace } from '../../server/service/reportWorkspace.ts';
import { validateServerSettings } from '../../server/service/serverSettings.ts';

// Issue 11, item 2: a workspace's own regular expressions (placeholders, vocabulary patterns) must not freeze the
// server or CI. `(a+)+$` backtracks exponentially on JavaScript's engine: 28 letters took 29 s, 40 did not finish.
// The `files` globs are patterns too.

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const EVIL = '(a+)+$';
const LETTERS = 'a'.repeat(48);
const REPORT = `## Findings\nThe lungs are clear. ${LETTERS}!\nNodule ___ mm.\n\n## Impression\nNo acute disease ${LETTERS}!\n`;

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'radreport-patterns-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** `radreport lint` as CI runs it: its own process, killed (and the test failed) if it runs past the limit. */
function lint(dir: string, ...args: string[]) {
  const started = performance.now();
  const run = spawnSync(process.execPath, [join(REPO, 'bin', 'radreport.mjs'), 'lint', ...args], { cwd: dir, encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL' });
  return { ...run, ms: performance.now() - started };
}

test('a catastrophic placeholder pattern is matched in linear time by the library', () => {
  const { config, problems } = validateReportConfig({ placeholders: [EVIL, '_{3,}'] }, '.radreportrc.json');
  assert.deepEqual(problems, []);
  const started = performance.now();
  const report = parseReport(REPORT);
  const found = lintReport(report, config, ALL_RULES).filter((p) => p.ruleId === 'placeholder');
  const ms = performance.now() - started;
  assert.ok(ms < 500, `placeholder check took ${ms.toFixed(0)} ms`);
  assert.deepEqual(found.map((p) => p.message), ['Unfilled template field "___".']);
  // The pattern still means what it says where it can match: at the very end of the text.
  const tail = parseReport(`## Findings\nNodule.\n\n## Impression\nNodule ${LETTERS}`);
  assert.ok(lintReport(tail, config, ALL_RULES).some((p) => p.ruleId === 'placeholder' && p.message.includes(LETTERS)));
});

test('a catastrophic vocabulary pattern is matched in linear time', () => {
  const { config, problems } = validateReportConfig({ vocabulary: { findings: [{ id: 'aaa-sign', terms: ['aaa sign'], patterns: [EVIL], evidencePatterns: ['(x+x+)+y'] }] } }, '.radreportrc.json');
  assert.deepEqual(problems, []);
  const started = performance.now();
  const report = parseReport(REPORT);
  analyzeReport(report, vocabularyFor(config));
  lintReport(report, config, ALL_RULES);
  const ms = performance.now() - started;
  assert.ok(ms < 1000, `analysis took ${ms.toFixed(0)} ms`);
});

test('radreport lint with {"placeholders":["(a+)+$"]} and 48 letters a finishes well under a second', () => {
  const dir = workspace({ '.radreportrc.json': JSON.stringify({ placeholders: [EVIL, '_{3,}'] }), 'evil.report.md': REPORT });
  const run = lint(dir, 'evil.report.md');
  assert.equal(run.signal, null, `radreport lint was killed after ${run.ms.toFixed(0)} ms`);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /placeholder Unfilled template field "___"/);
  // Process start-up included; the pattern itself is a few milliseconds.
  assert.ok(run.ms < 5000, `radreport lint took ${run.ms.toFixed(0)} ms`);
});

test('a pattern the linear-time engine does not accept is named with the reason; the rest of the config still works', () => {
  const dir = workspace({
    '.radreportrc.json': JSON.stringify({ placeholders: ['(a)\\1', '(?!x)y', '_{3,}'], rules: { placeholder: 'error' } }),
    'field.report.md': REPORT,
  });
  const run = lint(dir, 'field.report.md');
  assert.match(run.stderr, /placeholders\[0\] "\(a\)\\1" is not accepted: backreferences \(\\1, \\k<name>\) are not supported: workspace patterns run on a linear-time engine \(RE2 syntax\)/);
  assert.match(run.stderr, /placeholders\[1\] "\(\?!x\)y" is not accepted: lookahead/);
  // The valid pattern and the rule's severity from the same file still apply.
  assert.match(run.stdout, /error placeholder Unfilled template field "___"/);
  assert.equal(run.status, 1);

  const vocabulary = validateReportConfig({ vocabulary: { findings: [{ id: 'x', terms: ['x sign'], patterns: ['(?=a)b'] }] } }, 'settings');
  assert.match(vocabulary.problems.map((p) => `${p.path} ${p.message}`).join('\n'), /vocabulary\.findings\[0\]\.patterns "\(\?=a\)b" is not accepted: lookahead/);
});

test('the built-in patterns keep their JavaScript syntax (lookaround included)', () => {
  const { problems } = validateReportConfig({ placeholders: ['(?<![*\\w])\\*{3}(?![*\\w])', '(?<=Size: )x+'] }, 'settings');
  assert.deepEqual(problems, []);
});

test('a catastrophic files glob is decided in linear time; an extended glob is named with the reason', async () => {
  // On minimatch, `**/*a*a*…*b` against a long file name ran past 60 s.
  const glob = `**/${'*a'.repeat(12)}*b`;
  const { settings, problems } = validateServerSettings({ files: [glob, '**/*.report.md', '**/+(a|aa)*.md'] });
  assert.deepEqual(settings.files, [glob, '**/*.report.md']);
  assert.deepEqual(problems.map((p) => `${p.path} ${p.message}`), ['radiologyReport.files[2] "**/+(a|aa)*.md" is not accepted: extended glob patterns such as +(a|b) or !(a) are not supported']);
  const service = createReportService({ workspace: memoryWorkspace(), createEngine: () => { throw new Error('no engine in this test'); }, embeddedModel: () => undefined, logger: { log() {} } });
  await service.updateSettings({ files: [glob] });
  const started = performance.now();
  const path = `/reports/${'a'.repeat(60)}.md`;
  assert.equal(service.isReport({ uri: `file://${path}`, path, text: 'Findings: none.' }), false);
  assert.equal(service.isReport({ uri: 'file:///r/x', path: `/r/${'a'.repeat(12)}b`, text: '' }), true);
  const ms = performance.now() - started;
  assert.ok(ms < 200, `the glob took ${ms.toFixed(0)} ms`);
});
