/**
 * A grounded conclusion on one CPU thread: plan, the embedded model's answer, the check, and when needed the
 * constrained regeneration and the composition, against the model's answer alone (the baseline, in the same process,
 * on the same prompts). Plain script: `node --import tsx bench/grounded.bench.ts` (or `npm run bench -- grounded`).
 *
 * Target: a typical report's conclusion in under 1 s (95th percentile), regenerations included. Reads the first
 * `BENCH_CASES` (default 60) IU `valid` reports from ../shared/data; `BENCH_THREADS` sets the threads (default 1).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vocabularyFor } from '../server/clinical/vocabulary.ts';
import { caseReport } from '../server/eval/runner/caseReport.ts';
import { readEvalData } from '../server/eval/runner/readEvalData.ts';
import { readEmbeddedModel } from '../server/generation/embeddedModel.ts';
import { conclusionRequest, groundedConclusion, type ConclusionSource } from '../server/generation/groundedConclusion.ts';
import { createLlamaEngine } from '../server/generation/llamaEngine.ts';
import { checkConclusion } from '../server/plan/checkConclusion.ts';
import { buildConclusionPlan } from '../server/plan/conclusionPlan.ts';

const threads = Number(process.env.BENCH_THREADS ?? 1);
const count = Number(process.env.BENCH_CASES ?? 60);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const embedded = readEmbeddedModel(root);
if (!embedded) throw new Error('models/default-model.json is missing: no embedded model to measure');
const data = await readEvalData(join(root, '..', 'shared', 'data', 'iu-xray', 'pairs.jsonl'));
const reports = data.cases
  .filter((c) => c.split === 'valid')
  .slice(0, count)
  .map(caseReport);
const vocabulary = vocabularyFor();

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;
const row = (label: string, value: string) => console.log(`  ${label.padEnd(56)} ${value}`);

const engine = createLlamaEngine({ modelPath: embedded.modelPath, loras: embedded.loras, gpu: false, threads, contextSize: 2048 });
await engine.load();
// Warm the process (first allocations, chat template) on a report that is not measured.
await groundedConclusion(reports[0]!, { engine });

const alone: number[] = [];
const grounded: number[] = [];
const planAndCheck: number[] = [];
const sources = new Map<ConclusionSource, number>();
// Two passes, so that each answer follows another report's (the KV cache then holds only the shared system prompt, as
// in the editor going from one report to the next), not the same report's.
for (const report of reports) {
  const { prompt } = conclusionRequest(report, vocabulary);
  const t0 = performance.now();
  await engine.generate(prompt);
  alone.push(performance.now() - t0);
}
for (const report of reports) {
  let t0 = performance.now();
  const result = await groundedConclusion(report, { engine });
  grounded.push(performance.now() - t0);
  sources.set(result.source, (sources.get(result.source) ?? 0) + 1);
  // The pure part: planning and checking the final text, no model.
  t0 = performance.now();
  const plan = buildConclusionPlan(report, vocabulary);
  checkConclusion(report, plan, result.text, {}, vocabulary);
  planAndCheck.push(performance.now() - t0);
}
await engine.dispose();

console.log(`grounded conclusions, ${reports.length} IU valid reports, CPU, ${threads} thread(s)`);
row('model alone (baseline): p50 / p95', `${percentile(alone, 50).toFixed(0)} ms / ${percentile(alone, 95).toFixed(0)} ms`);
row('grounded (plan, model, check, correction): p50 / p95', `${percentile(grounded, 50).toFixed(0)} ms / ${percentile(grounded, 95).toFixed(0)} ms`);
row('grounded / alone, medians', `×${(percentile(grounded, 50) / percentile(alone, 50)).toFixed(2)}`);
row('slowest grounded conclusion', `${Math.max(...grounded).toFixed(0)} ms`);
row('plan + check of one conclusion (no model): p50 / p95', `${percentile(planAndCheck, 50).toFixed(1)} ms / ${percentile(planAndCheck, 95).toFixed(1)} ms`);
row('sources', [...sources].map(([source, n]) => `${source} ${n}`).join(', '));
const p95 = percentile(grounded, 95);
row('target: p95 under 1000 ms', p95 < 1000 ? 'met' : `NOT met (${p95.toFixed(0)} ms)`);
