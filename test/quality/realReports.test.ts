import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseReport } from '../../server/report/parseReport.ts';
import { lintReport } from '../../server/rules/lintReport.ts';
import { ruleById } from '../../server/rules/registry.ts';
import { realReports } from './evaluation.ts';
import { REAL_REPORT_REVIEW } from './realReportReview.ts';

const RULES = ['laterality-mismatch', 'contradiction', 'measurement-mismatch'].map((id) => ruleById(id)!);

/** A contradiction flag raised by a global negation ("No acute cardiopulmonary process" against a stated finding). */
const GLOBAL_NEGATION = /” in the conclusion, but the findings state /;

test('real signed reports: laterality, contradiction (global negations included) and measurement flag at most 1% of reports, every flag reviewed', () => {
  const sources = realReports();
  assert.equal(sources.length, 3331 + 152);
  const flagged = new Set<string>();
  const unreviewed: string[] = [];
  const seen = new Set<string>();
  const lines: string[] = [];
  let global = 0;
  for (const source of sources) {
    for (const problem of lintReport(parseReport(source.text), {}, RULES)) {
      flagged.add(source.id);
      const key = `${source.id}|${problem.ruleId}|${source.text.slice(problem.span.start, problem.span.end)}`;
      seen.add(key);
      const review = REAL_REPORT_REVIEW[key];
      if (!review) unreviewed.push(`${key}: ${problem.message}`);
      lines.push(`  ${source.id} ${problem.ruleId} [${review?.verdict ?? 'NOT REVIEWED'}] ${problem.message}`);
      if (problem.ruleId === 'contradiction' && GLOBAL_NEGATION.test(problem.message)) global++;
    }
  }
  const share = flagged.size / sources.length;
  const verdicts = Object.entries(REAL_REPORT_REVIEW).filter(([key]) => seen.has(key));
  const trueErrors = verdicts.filter(([, r]) => r.verdict === 'true error').length;
  console.log(`real reports flagged by ${RULES.map((r) => r.id).join(', ')}: ${flagged.size}/${sources.length} (${(share * 100).toFixed(2)}%)`);
  console.log(`  reviewed: ${trueErrors} true errors in the source, ${verdicts.length - trueErrors} false alarms; ${global} flag(s) from global negations`);
  for (const line of lines) console.log(line);
  const stale = Object.keys(REAL_REPORT_REVIEW).filter((key) => !seen.has(key));
  if (stale.length) console.log(`  reviews of flags no longer raised: ${stale.join('; ')}`);
  assert.ok(share <= 0.01, `${(share * 100).toFixed(2)}% of real reports flagged (at most 1%)`);
  assert.deepEqual(unreviewed, [], 'flags not yet reviewed in test/quality/realReportReview.ts');
});

/**
 * The held-out `test` split alone (356 reports: 342 IU, 14 MTSamples): measured on 2026-12-03, one report flagged
 * (mts-1289, "finger occlusion" in a speech-therapy note, a reviewed false alarm), 0.28%. The ceiling is that figure
 * plus a margin of one report: 2 of 356 (0.56%), under the 1% of the test above.
 */
const TEST_SPLIT_FLAGGED_CEILING = 2;

test('real signed reports of the held-out test split: at most 2 of 356 flagged by laterality, contradiction and measurement, every flag reviewed', () => {
  const sources = realReports().filter((source) => source.split === 'test');
  assert.equal(sources.length, 342 + 14);
  const flagged = new Map<string, string[]>();
  for (const source of sources) {
    for (const problem of lintReport(parseReport(source.text), {}, RULES)) {
      const key = `${source.id}|${problem.ruleId}|${source.text.slice(problem.span.start, problem.span.end)}`;
      flagged.set(source.id, [...(flagged.get(source.id) ?? []), `${key} [${REAL_REPORT_REVIEW[key]?.verdict ?? 'NOT REVIEWED'}]`]);
    }
  }
  console.log(`test split: ${flagged.size}/${sources.length} real reports flagged (${((flagged.size / sources.length) * 100).toFixed(2)}%)`);
  for (const flags of flagged.values()) for (const flag of flags) console.log(`  ${flag}`);
  assert.ok(flagged.size <= TEST_SPLIT_FLAGGED_CEILING, `${flagged.size} test-split reports flagged (at most ${TEST_SPLIT_FLAGGED_CEILING})`);
  assert.deepEqual(
    [...flagged.values()].flat().filter((flag) => flag.endsWith('[NOT REVIEWED]')),
    [],
    'flags not yet reviewed in test/quality/realReportReview.ts',
  );
});
