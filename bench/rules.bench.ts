/**
 * Rules benchmark: every rule (`ALL_RULES`) on a typical report, and on all 3,331 IU reports, on one core. Targets
 * from issue 5: under 2 ms for a typical report, under 2 s for all IU reports. Each report is parsed beforehand into
 * its own object, so the clinical reading (cached per report) is computed inside the timing, as in the editor where
 * every edit gives a new report. Ratios are against the three foundation rules (missing-section, empty-conclusion,
 * placeholder) over the same reports in the same process.
 * Plain script: `node --import tsx bench/rules.bench.ts` (reads ../shared/data).
 */
import { readFileSync } from 'node:fs';
import { parseReport } from '../server/report/parseReport.ts';
import type { Report } from '../server/report/types.ts';
import { emptyConclusion } from '../server/rules/emptyConclusion.ts';
import { lintReport } from '../server/rules/lintReport.ts';
import { missingSection } from '../server/rules/missingSection.ts';
import { placeholder } from '../server/rules/placeholder.ts';
import { ALL_RULES } from '../server/rules/registry.ts';
import type { Rule } from '../server/rules/rule.ts';
import { iuReportMarkdown } from '../server/eval/runner/iuReport.ts';
import { iuPairs } from '../test/support/sharedData.ts';

const FOUNDATION: readonly Rule[] = [missingSection, emptyConclusion, placeholder];
const RUNS = 5;
const iu = iuPairs().map((row) => iuReportMarkdown(row));
const byLength = [...iu].sort((a, b) => a.length - b.length);
const typical = { name: `median IU report (${byLength[byLength.length >> 1]!.length} chars)`, text: byLength[byLength.length >> 1]! };
const ctChest = {
  name: 'CT chest fixture with front matter',
  text: readFileSync(new URL('../server/report/fixtures/ct-chest.report.md', import.meta.url), 'utf8'),
};
const long = { name: `longest IU report (${byLength[byLength.length - 1]!.length} chars)`, text: byLength[byLength.length - 1]! };

let sink = 0;
function lintAll(reports: readonly Report[], rules: readonly Rule[]): number {
  const start = performance.now();
  for (const report of reports) sink += lintReport(report, {}, rules).length;
  return performance.now() - start;
}
const best = (xs: number[]) => Math.min(...xs);
const copies = (text: string, n: number) => Array.from({ length: n }, () => parseReport(text));

console.log(`rules: ${ALL_RULES.length} (${ALL_RULES.map((r) => r.id).join(', ')}); best of ${RUNS} runs`);
for (const sample of [typical, ctChest, long]) {
  const n = 400;
  lintAll(copies(sample.text, 50), ALL_RULES); // warm the compiled vocabulary and the JIT
  const all: number[] = [];
  const base: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    all.push(lintAll(copies(sample.text, n), ALL_RULES) / n);
    base.push(lintAll(copies(sample.text, n), FOUNDATION) / n);
  }
  const ms = best(all);
  console.log(
    `  ${sample.name.padEnd(44)} all rules ${(ms * 1000).toFixed(0).padStart(5)} us/report   foundation ${(best(base) * 1000).toFixed(0).padStart(4)} us   ${(ms / best(base)).toFixed(1)}x   (target < 2 ms: ${ms < 2 ? 'met' : 'NOT met'})`,
  );
}

const parseStart = performance.now();
const reports = iu.map((text) => parseReport(text));
const parseMs = performance.now() - parseStart;
const all: number[] = [];
const base: number[] = [];
for (let run = 0; run < RUNS; run++) {
  all.push(lintAll(run === 0 ? reports : iu.map((text) => parseReport(text)), ALL_RULES));
  base.push(
    lintAll(
      iu.map((text) => parseReport(text)),
      FOUNDATION,
    ),
  );
}
const totalMs = best(all);
console.log(
  `  all ${iu.length} IU reports, all rules      ${totalMs.toFixed(0).padStart(6)} ms   foundation ${best(base).toFixed(0)} ms   ${(totalMs / best(base)).toFixed(1)}x   (target < 2 s: ${totalMs < 2000 ? 'met' : 'NOT met'})`,
);
console.log(`  (parsing them, not counted above: ${parseMs.toFixed(0)} ms the first time)`);
if (!Number.isFinite(sink)) throw new Error('unreachable');
