import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseReport } from '../report/parseReport.ts';
import { lintReport } from './lintReport.ts';
import { omittedFinding } from './omittedFinding.ts';
import { applyEdits, checkFixture, checkFixtureFile } from './testing/checkFixture.ts';

test('omitted-finding: a significant, plainly stated finding missing from the conclusion, as information', () => {
  const [problem] = checkFixtureFile([omittedFinding], new URL('./fixtures/omitted-finding.report.md', import.meta.url));
  assert.equal(problem!.severity, 'information');
  assert.match(problem!.message, /The findings state pneumothorax/);
});

test('omitted-finding: the fix adds the findings sentence to the conclusion', () => {
  const text = '## Findings\nSmall left pneumothorax.\n\n## Impression\nNo acute disease.\n';
  const [p] = lintReport(parseReport(text), {}, [omittedFinding]);
  const fixed = applyEdits(text, p!.fixes![0]!.edits);
  assert.equal(fixed, '## Findings\nSmall left pneumothorax.\n\n## Impression\nNo acute disease.\nSmall left pneumothorax.\n');
  assert.deepEqual(lintReport(parseReport(fixed), {}, [omittedFinding]), []);
});

test('omitted-finding: any mention counts, a conclusion "as above" covers all, significance is a vocabulary setting', () => {
  checkFixture([omittedFinding], '## Findings\nSmall right pleural effusion.\n\n## Impression\nNo pneumothorax; small effusion.\n');
  checkFixture([omittedFinding], '## Findings\nLeft lower lobe opacity.\n\n## Impression\nLeft lower lobe pneumonia.\n');
  checkFixture([omittedFinding], '## Findings\nSmall right pleural effusion.\n\n## Impression\nFindings as above.\n');
  checkFixture([omittedFinding], '## Findings\nModerate ⟦omitted-finding|cardiomegaly⟧.\n\n## Impression\nNo acute disease.\n', {
    vocabulary: { findings: [{ id: 'cardiomegaly', significant: true }] },
  });
});
