import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { validateReportConfig } from '../../server/config/reportConfig.ts';
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
  const run = spawnSync(process.execPath, [join(REPO, 'bin', 'radreport.mjs'), 'lint', ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 20_000,
    killSignal: 'SIGKILL',
  });
  return { ...run, ms: performance.now() - started };
}

/**
 * Runs library code in a child process, killed past the limit: on a backtracking engine the pattern blocks the event
 * loop, so only another process can stop it and fail the test. Returns what the script printed as JSON.
 */
function library<T>(body: string): { result?: T; ms: number; killed: boolean; stderr: string } {
  const module = (path: string) => JSON.stringify(pathToFileURL(join(REPO, path)).href);
  const script = `
    import { validateReportConfig } from ${module('server/config/reportConfig.ts')};
    import { vocabularyFor } from ${module('server/clinical/vocabulary.ts')};
    import { analyzeReport } from ${module('server/clinical/reportAnalysis.ts')};
    import { parseReport } from ${module('server/report/parseReport.ts')};
    import { lintReport } from ${module('server/rules/lintReport.ts')};
    import { ALL_RULES } from ${module('server/rules/registry.ts')};
    const EVIL = ${JSON.stringify(EVIL)};
    const REPORT = ${JSON.stringify(REPORT)};
    const LETTERS = ${JSON.stringify(LETTERS)};
    const result = (() => { ${body} })();
    process.stdout.write(JSON.stringify(result));`;
  const started = performance.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 20_000,
    killSignal: 'SIGKILL',
  });
  const ms = performance.now() - started;
  return { ...(run.status === 0 ? { result: JSON.parse(run.stdout) as T } : {}), ms, killed: run.signal !== null, stderr: run.stderr };
}

test('a catastrophic placeholder pattern is matched in linear time by the library', () => {
  const probe = library<{ problems: unknown[]; ms: number; found: string[]; tail: boolean }>(`
    const { config, problems } = validateReportConfig({ placeholders: [EVIL, '_{3,}'] }, '.radreportrc.json');
    const started = performance.now();
    const found = lintReport(parseReport(REPORT), config, ALL_RULES).filter((p) => p.ruleId === 'placeholder').map((p) => p.message);
    const ms = performance.now() - started;
    // The pattern still means what it says where it can match: at the very end of the text.
    const tail = lintReport(parseReport('## Findings\\nNodule.\\n\\n## Impression\\nNodule ' + LETTERS), config, ALL_RULES).some((p) => p.ruleId === 'placeholder' && p.message.includes(LETTERS));
    return { problems, ms, found, tail };`);
  assert.equal(probe.killed, false, 'the check was still running after 20 s');
  assert.ok(probe.result, probe.stderr);
  assert.deepEqual(probe.result.problems, []);
  assert.ok(probe.result.ms < 500, `placeholder check took ${probe.result.ms.toFixed(0)} ms`);
  assert.deepEqual(probe.result.found, ['Unfilled template field "___".']);
  assert.equal(probe.result.tail, true);
});

test('a catastrophic vocabulary pattern is matched in linear time', () => {
  const probe = library<{ problems: unknown[]; ms: number }>(`
    const { config, problems } = validateReportConfig({ vocabulary: { findings: [{ id: 'aaa-sign', terms: ['aaa sign'], patterns: [EVIL], evidencePatterns: ['(x+x+)+y'] }] } }, '.radreportrc.json');
    const started = performance.now();
    const report = parseReport(REPORT);
    analyzeReport(report, vocabularyFor(config.vocabulary));
    lintReport(report, config, ALL_RULES);
    return { problems, ms: performance.now() - started };`);
  assert.equal(probe.killed, false, 'the analysis was still running after 20 s');
  assert.ok(probe.result, probe.stderr);
  assert.deepEqual(probe.result.problems, []);
  assert.ok(probe.result.ms < 1000, `analysis took ${probe.result.ms.toFixed(0)} ms`);
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
  assert.match(
    run.stderr,
    /placeholders\[0\] "\(a\)\\1" is not accepted: backreferences \(\\1, \\k<name>\) are not supported: workspace patterns run on a linear-time engine \(RE2 syntax\)/,
  );
  assert.match(run.stderr, /placeholders\[1\] "\(\?!x\)y" is not accepted: lookahead/);
  // The valid pattern and the rule's severity from the same file still apply.
  assert.match(run.stdout, /error placeholder Unfilled template field "___"/);
  assert.equal(run.status, 1);

  const vocabulary = validateReportConfig({ vocabulary: { findings: [{ id: 'x', terms: ['x sign'], patterns: ['(?=a)b'] }] } }, 'settings');
  assert.match(
    vocabulary.problems.map((p) => `${p.path} ${p.message}`).join('\n'),
    /vocabulary\.findings\[0\]\.patterns "\(\?=a\)b" is not accepted: lookahead/,
  );
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
  assert.deepEqual(
    problems.map((p) => `${p.path} ${p.message}`),
    ['radiologyReport.files[2] "**/+(a|aa)*.md" is not accepted: extended glob patterns such as +(a|b) or !(a) are not supported'],
  );
  const service = createReportService({
    workspace: memoryWorkspace(),
    createEngine: () => {
      throw new Error('no engine in this test');
    },
    embeddedModel: () => undefined,
    logger: { log() {} },
  });
  await service.updateSettings({ files: [glob] });
  const started = performance.now();
  const path = `/reports/${'a'.repeat(60)}.md`;
  assert.equal(service.isReport({ uri: `file://${path}`, path, text: 'Findings: none.' }), false);
  assert.equal(service.isReport({ uri: 'file:///r/x', path: `/r/${'a'.repeat(12)}b`, text: '' }), true);
  const ms = performance.now() - started;
  assert.ok(ms < 200, `the glob took ${ms.toFixed(0)} ms`);
});
