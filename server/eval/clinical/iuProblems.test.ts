import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { iuPairs, SHARED_DATA } from '../../../test/support/sharedData.ts';
import { leadSentence } from '../baselines/leadSentence.ts';
import { readIuLabels, studyLabels } from './iuLabels.ts';
import { judgeIuCases } from './iuProblems.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/iu/', import.meta.url));

/** The fixture's test rows with the lead-sentence prediction (see fixtures/README.md for the expected figures). */
async function fixtureCases() {
  const rows = readFileSync(`${FIXTURE}pairs.jsonl`, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((r) => r.split === 'test');
  return rows.map((r) => ({ id: r.id, findings: r.findings, reference: r.impression, prediction: leadSentence(r.findings) }));
}

test('problems stated, problems of the impression stated, called normal, per problem', async () => {
  const labels = await readIuLabels(`${FIXTURE}indiana_reports.csv`);
  const { summary, perCase } = judgeIuCases(await fixtureCases(), labels);
  assert.equal(summary.studies, 8);
  assert.equal(summary.unlabelled, 1);
  assert.equal(summary.abnormal, 5);
  assert.equal(summary.problems, 9);
  assert.deepEqual(summary.prediction.problemsStated, { count: 3, of: 9, share: 3 / 9 });
  assert.deepEqual(summary.reference.problemsStated, { count: 6, of: 9, share: 6 / 9 });
  assert.deepEqual(summary.findings.problemsStated, { count: 9, of: 9, share: 1 });
  assert.deepEqual(summary.prediction.impressionProblemsStated, { count: 2, of: 6, share: 2 / 6 });
  assert.deepEqual(summary.prediction.calledNormal, { count: 2, of: 4, share: 0.5 });
  assert.deepEqual(summary.calledNormalIds, ['iu-3', 'iu-5']);
  assert.deepEqual(summary.unmapped, ['Zebra Stripes/lung']);
  assert.deepEqual(summary.perProblem[0], { problem: 'aortic-ectasia', label: 'Tortuous or ectatic aorta', n: 1, prediction: 0, reference: 0, findings: 1 });
  assert.deepEqual(
    summary.perProblem.map((r) => [r.problem, r.n, r.prediction, r.reference]),
    [
      ['aortic-ectasia', 1, 0, 0],
      ['cardiomegaly', 1, 1, 1],
      ['degenerative', 1, 1, 0],
      ['elevated-diaphragm', 1, 1, 1],
      ['granuloma', 1, 0, 0],
      ['low-lung-volumes', 1, 0, 1],
      ['lung-opacity', 1, 0, 1],
      ['nodule', 1, 0, 1],
      ['pleural-effusion', 1, 0, 1],
    ],
  );
  const byId = new Map((await fixtureCases()).map((c, i) => [c.id, perCase[i]]));
  assert.equal(byId.get('iu-99'), undefined, 'no labels: not judged');
  assert.deepEqual(byId.get('iu-2'), {
    expected: ['cardiomegaly', 'pleural-effusion'],
    prediction: ['cardiomegaly'],
    reference: ['cardiomegaly', 'pleural-effusion'],
    findings: ['cardiomegaly', 'pleural-effusion'],
    calledNormal: false,
  });
  assert.equal(byId.get('iu-3')!.calledNormal, true);
  assert.equal(byId.get('iu-4')!.calledNormal, false, 'the impression states no labelled problem: not in the denominator');
});

test('called normal needs a normal reading: a conclusion that states another finding is a miss, not a normal call', () => {
  const labels = new Map([['1', studyLabels('1', 'Pleural Effusion/right', 'Pleural Effusion')]]);
  const judge = (prediction: string) =>
    judgeIuCases([{ id: 'iu-1', findings: 'Right effusion.', reference: 'Right pleural effusion.', prediction }], labels).summary.prediction.calledNormal.count;
  assert.equal(judge('No acute cardiopulmonary abnormality.'), 1);
  assert.equal(judge(''), 1);
  assert.equal(judge('Cardiomegaly.'), 0);
  assert.equal(judge('Small right pleural effusion.'), 0);
  assert.equal(judge('No acute cardiopulmonary abnormality. Small right pleural effusion.'), 0);
});

test('on the public IU data: the impressions state about 40 % of the labelled problems, the findings nearly all', async () => {
  const labels = await readIuLabels(`${SHARED_DATA}iu-xray/indiana_reports.csv`);
  const valid = iuPairs().filter((p) => p.split === 'valid');
  const started = performance.now();
  const { summary } = judgeIuCases(
    valid.map((p) => ({ id: p.id, findings: p.findings, reference: p.impression, prediction: p.impression })),
    labels,
  );
  const seconds = (performance.now() - started) / 1000;
  assert.equal(summary.studies, 332);
  assert.ok(
    summary.reference.problemsStated.share > 0.33 && summary.reference.problemsStated.share < 0.45,
    `reference ${summary.reference.problemsStated.share}`,
  );
  assert.ok(summary.findings.problemsStated.share > 0.9, `findings ${summary.findings.problemsStated.share}`);
  assert.equal(summary.prediction.calledNormal.count, 0, 'the impression itself never calls its own problems normal');
  assert.ok(seconds < 5, `judged in ${seconds.toFixed(2)} s`);
});
