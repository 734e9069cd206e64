import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readJsonl } from '../../../test/support/sharedData.ts';
import { leadSentence } from '../baselines/leadSentence.ts';
import { CT_RATE_LABEL_NAMES, ctRateConceptMatcher, judgeCtRateCases } from './ctRateLabels.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/ct-rate/pairs.jsonl', import.meta.url));

test('the wordings of the translated CT-RATE reports state their labels; negated ones do not', () => {
  const stated = (text: string) => [...ctRateConceptMatcher().stated(text)].sort();
  assert.deepEqual(stated('Pleural effusion-thickening was not detected.'), []);
  assert.deepEqual(stated('CTR increased in favor of the heart.'), ['Cardiomegaly']);
  assert.deepEqual(stated('Pericardial effusion measuring 10 mm.'), ['Pericardial effusion']);
  assert.deepEqual(stated('Effusion in the right hemithorax.'), ['Pleural effusion']);
  assert.deepEqual(stated('Calcific atheroma plaques are observed in the aortic arch, ascending aorta, and coronary arteries.'), [
    'Arterial wall calcification',
    'Coronary artery wall calcification',
  ]);
  assert.deepEqual(
    stated('No enlarged lymph nodes in prevascular, pre-paratracheal, subcarinal or bilateral hilar-axillary pathological dimensions were detected.'),
    [],
  );
  assert.deepEqual(stated('Ground glass densities in the lower lobes of both lungs.'), ['Lung opacity']);
  assert.deepEqual(stated('Thyroid nodule.'), []);
});

test('label recall and precision, micro and per label, for the prediction, the reference and the findings', () => {
  const rows = readFileSync(FIXTURE, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((r) => r.split === 'test');
  const cases = rows.map((r) => ({ id: r.id, findings: r.findings, reference: r.impression, prediction: leadSentence(r.findings), labels: r.labels }));
  const { summary, perCase } = judgeCtRateCases(cases);
  assert.equal(summary.cases, 3);
  assert.equal(summary.positives, 5);
  assert.deepEqual(summary.prediction, { tp: 2, fp: 1, fn: 3, recall: 2 / 5, precision: 2 / 3 });
  assert.deepEqual(summary.reference, { tp: 4, fp: 1, fn: 1, recall: 4 / 5, precision: 4 / 5 });
  const row = (label: string) => summary.perLabel.find((r) => r.label === label)!;
  assert.deepEqual(row('Hiatal hernia').prediction, { tp: 0, fp: 0, fn: 1, recall: 0, precision: 0 });
  assert.deepEqual(row('Pericardial effusion').reference, { tp: 0, fp: 1, fn: 0, recall: 0, precision: 0 });
  assert.deepEqual(row('Pleural effusion').prediction, { tp: 1, fp: 0, fn: 0, recall: 1, precision: 1 });
  assert.deepEqual(
    summary.perLabel.map((r) => r.label),
    CT_RATE_LABEL_NAMES,
  );
  assert.deepEqual(perCase[0], {
    expected: ['Cardiomegaly', 'Pleural effusion'],
    prediction: ['Pleural effusion'],
    reference: ['Cardiomegaly', 'Pleural effusion'],
    findings: ['Cardiomegaly', 'Pleural effusion'],
  });
  assert.equal(judgeCtRateCases([{ id: 'x', findings: '', reference: '', prediction: '' }]).perCase[0], undefined, 'a case without labels is not judged');
});

test('the synonym table covers the 18 labels of the public data, and finds nearly all of them in the findings', () => {
  const rows = readJsonl<{ split: string; id: string; findings: string; impression: string; labels: Record<string, number> }>('ct-rate-subset/pairs.jsonl');
  assert.deepEqual([...new Set(rows.flatMap((r) => Object.keys(r.labels)))].sort(), [...CT_RATE_LABEL_NAMES].sort());
  const valid = rows.filter((r) => r.split === 'valid');
  const { summary } = judgeCtRateCases(
    valid.map((r) => ({ id: r.id, findings: r.findings, reference: r.impression, prediction: r.impression, labels: r.labels })),
  );
  assert.ok(summary.findings.recall > 0.9, `findings recall ${summary.findings.recall}`);
  assert.ok(summary.findings.precision > 0.7, `findings precision ${summary.findings.precision}`);
});
