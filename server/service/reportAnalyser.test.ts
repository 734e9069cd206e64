import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { createWorkerAnalyser, type AnalyserResult } from './reportAnalyser.ts';

/** A worker that says it is ready and then never answers, as one stuck in a super-linear check would. */
const stuckWorker = () => new Worker('require("node:worker_threads").parentPort.postMessage({ ready: true }); setInterval(() => {}, 1000);', { eval: true });

test('a check past its budget is stopped and answered with the reason, and the next report is checked by a fresh worker', async () => {
  let started = 0;
  const analyser = createWorkerAnalyser({ createWorker: () => (started++, stuckWorker()), budgetMs: 300 });
  const begin = Date.now();
  const result = await analyser.analyse('file:///a.report.md', 1, '## Findings\n', {});
  assert.ok(Date.now() - begin < 3_000);
  assert.ok('skipped' in result);
  assert.match(result.skipped, /took longer than 0\.3 s and was stopped/);
  const next = await analyser.analyse('file:///b.report.md', 1, '## Findings\n', {});
  assert.ok('skipped' in next);
  assert.equal(started, 2);
  await analyser.dispose();
});

test('a newer version supersedes the older one being checked, and one still waiting', async () => {
  const analyser = createWorkerAnalyser({ createWorker: stuckWorker, budgetMs: 60_000 });
  const results: Array<[string, AnalyserResult]> = [];
  const track = (name: string, promise: Promise<AnalyserResult>) => promise.then((r) => results.push([name, r]));
  const v1 = track('a@1', analyser.analyse('file:///a.report.md', 1, 'one', {}));
  const other = track('b@1', analyser.analyse('file:///b.report.md', 1, 'other', {}));
  await new Promise((resolve) => setTimeout(resolve, 200));
  const v2 = track('a@2', analyser.analyse('file:///a.report.md', 2, 'two', {}));
  const v3 = track('a@3', analyser.analyse('file:///a.report.md', 3, 'three', {}));
  await Promise.all([v1, v2]);
  assert.deepEqual(
    results.map(([name]) => name),
    ['a@1', 'a@2'],
  );
  for (const [, r] of results) assert.match((r as { skipped: string }).skipped, /newer version/);
  await analyser.dispose();
  await Promise.all([other, v3]);
  assert.match((results.find(([n]) => n === 'a@3')![1] as { skipped: string }).skipped, /shutting down/);
});

test('the real worker checks a report and the result has a working position index', async () => {
  const { analysisWorkerFactory } = await import('./reportAnalyser.ts');
  const analyser = createWorkerAnalyser({ createWorker: analysisWorkerFactory(), budgetMs: 30_000 });
  const result = await analyser.analyse('file:///c.report.md', 1, '## Findings\nNodule ___ mm.\n\n## Impression\nNodule.\n', {});
  await analyser.dispose();
  assert.ok('report' in result, JSON.stringify(result));
  assert.deepEqual(
    result.problems.map((p) => p.ruleId),
    ['placeholder'],
  );
  assert.deepEqual(result.report.positions.positionAt(12), { line: 1, character: 0 });
});
