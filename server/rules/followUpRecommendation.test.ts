import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseReport } from '../report/parseReport.ts';
import { followUpRecommendation } from './followUpRecommendation.ts';
import { lintReport } from './lintReport.ts';
import { applyEdits, checkFixture, checkFixtureFile } from './testing/checkFixture.ts';

const ct = (findings: string, impression: string, front = 'age: 60') =>
  `---\nexam: CT chest\n${front}\n---\n## Findings\n${findings}\n\n## Impression\n${impression}\n`;
const advice = (findings: string) => {
  const problems = lintReport(parseReport(ct(findings, 'Pulmonary nodule.')), {}, [followUpRecommendation]);
  return problems[0]?.message.replace(/^.*\): /, '');
};

test('follow-up-recommendation: a sized nodule on chest CT with no recommendation; the fix writes Fleischner 2017', () => {
  const [problem] = checkFixtureFile([followUpRecommendation], new URL('./fixtures/follow-up-recommendation.report.md', import.meta.url));
  assert.match(
    problem!.message,
    /Pulmonary nodule of 7 mm \(solid, single\) with no follow-up recommendation\. Fleischner Society 2017 .*: CT at 6–12 months, then consider CT at 18–24 months\./,
  );
  const text = ct('A 7 mm solid nodule in the right upper lobe.', 'Right upper lobe nodule.');
  const [p] = lintReport(parseReport(text), {}, [followUpRecommendation]);
  const fixed = applyEdits(text, p!.fixes![0]!.edits);
  assert.match(
    fixed,
    /Right upper lobe nodule\.\nRecommendation: CT at 6–12 months, then consider CT at 18–24 months \(Fleischner Society 2017 guideline for an incidental solid, single pulmonary nodule, 6–8 mm\)\.\n$/,
  );
  assert.deepEqual(lintReport(parseReport(fixed), {}, [followUpRecommendation]), []);
});

test('follow-up-recommendation: the Fleischner 2017 category by size, type and number', () => {
  assert.equal(advice('A 4 mm solid nodule in the left upper lobe.'), 'No routine follow-up (optional CT at 12 months if high risk).');
  assert.equal(advice('An 8 x 6 mm solid nodule in the left upper lobe.'), 'CT at 6–12 months, then consider CT at 18–24 months.');
  assert.equal(advice('A 1.2 cm nodule in the right middle lobe.'), 'Consider CT at 3 months, PET/CT, or tissue sampling.');
  assert.equal(advice('Multiple solid nodules up to 7 mm in both lungs.'), 'CT at 3–6 months, then consider CT at 18–24 months.');
  assert.equal(advice('A 4 mm ground-glass nodule in the right upper lobe.'), 'No routine follow-up.');
  assert.equal(advice('A 9 mm ground-glass nodule in the right upper lobe.'), 'CT at 6–12 months to confirm persistence, then CT every 2 years until 5 years.');
  assert.match(advice('A 9 mm part-solid nodule in the right upper lobe.')!, /^CT at 3–6 months to confirm persistence/);
  assert.match(advice('Multiple ground-glass nodules up to 4 mm.')!, /^CT at 3–6 months; if stable, consider CT at 2 and 4 years/);
});

test('follow-up-recommendation: not for the young, known cancer, calcified nodules, other exams, or a report with a recommendation', () => {
  checkFixture([followUpRecommendation], ct('A 7 mm nodule in the right upper lobe.', 'Nodule.', 'age: 30'));
  checkFixture(
    [followUpRecommendation],
    `---\nexam: CT chest\n---\n## Clinical information\nMetastatic colon cancer.\n\n## Findings\nA 7 mm nodule.\n\n## Impression\nNodule.\n`,
  );
  checkFixture([followUpRecommendation], ct('A 7 mm calcified nodule in the right upper lobe.', 'Calcified granuloma.'));
  checkFixture([followUpRecommendation], '---\nexam: XR chest\n---\n## Findings\nA 7 mm nodule.\n\n## Impression\nNodule.\n');
  checkFixture([followUpRecommendation], ct('A 7 mm nodule in the right upper lobe.', 'Nodule. Recommend CT in 6 to 12 months.'));
  checkFixture([followUpRecommendation], ct('A 7 mm nodule in the right upper lobe.', 'Nodule.') + '\n## Recommendation\nFollow-up CT in 6 months.\n');
});
