import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate, formatTable, precision, realReports, recall } from './evaluation.ts';
import { ERROR_KINDS } from './plantErrors.ts';

/**
 * The planted-error evaluation over every real report (IU and MTSamples imaging, all splits): for each rule with
 * planted errors, precision and recall of at least 95%. The confusion table is printed; so is the one for the test
 * split alone. How the counting works: test/quality/evaluation.ts and docs/rules/README.md.
 */
test('planted errors: each rule finds at least 95% of its planted errors with at least 95% precision', () => {
  const sources = realReports();
  const evaluation = evaluate(sources);
  console.log(formatTable(evaluation));
  console.log('\ntest split only:');
  console.log(formatTable(evaluate(sources.filter((s) => s.split === 'test'))));
  const failures: string[] = [];
  for (const kind of ERROR_KINDS) {
    const counts = evaluation.counts.find((c) => c.rule === kind)!;
    assert.ok(counts.planted >= 50, `${kind}: only ${counts.planted} planted errors`);
    if (precision(counts) < 0.95) failures.push(`${kind} precision ${(precision(counts) * 100).toFixed(1)}%`);
    if (recall(counts) < 0.95) failures.push(`${kind} recall ${(recall(counts) * 100).toFixed(1)}%`);
  }
  for (const rule of ['missing-section', 'empty-conclusion', 'placeholder']) {
    const counts = evaluation.counts.find((c) => c.rule === rule)!;
    // The planted edits never add or remove a section or a template field: these rules must not react to them.
    assert.equal(counts.falsePositivesOn.otherKind + counts.falsePositivesOn.benign, 0, `${rule} reacted to planted edits`);
  }
  assert.deepEqual(failures, []);
});
