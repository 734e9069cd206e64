import assert from 'node:assert/strict';
import { test } from 'node:test';
import { iuPairs } from '../../../test/support/sharedData.ts';
import { fitBaseline, fitLeadSentence, fitMostFrequent, fitNearestNeighbour, leadSentence, normalizeConclusion, tfidfTokens } from './index.ts';

const pair = (findings: string, reference: string) => ({ findings, reference });

test('most-frequent: counts normalised conclusions, predicts the most frequent original spelling', () => {
  const baseline = fitMostFrequent([
    pair('a', 'Normal chest.'),
    pair('b', 'No acute disease'),
    pair('c', 'no acute disease.'),
    pair('d', 'No  acute disease.'),
    pair('e', 'no acute disease.'),
    pair('f', 'Normal chest.'),
  ]);
  // Group "no acute disease" has 4; its spellings: "no acute disease." twice, the others once.
  assert.equal(baseline.predict('anything'), 'no acute disease.');
  assert.equal(baseline.predict(''), 'no acute disease.');
  assert.equal(normalizeConclusion('  No  Acute\nDisease. . '), 'no acute disease');
});

test('most-frequent: ties go to what training saw first', () => {
  assert.equal(fitMostFrequent([pair('a', 'B.'), pair('b', 'A.'), pair('c', 'A.'), pair('d', 'B.')]).predict('x'), 'B.');
  assert.equal(fitMostFrequent([pair('a', 'Clear'), pair('b', 'clear.')]).predict('x'), 'Clear');
  assert.throws(() => fitMostFrequent([]), /at least one training pair/);
});

test('nearest-neighbour: tokens are scikit-learn’s (lower case, 2+ word characters, English stop words removed)', () => {
  assert.deepEqual(tfidfTokens('No pleural effusion; 2 x 3 cm NODULE in the right upper lobe, x-XXXX.'), [
    'pleural',
    'effusion',
    'cm',
    'nodule',
    'right',
    'upper',
    'lobe',
    'xxxx',
  ]);
});

test('nearest-neighbour: the most similar findings win; equal similarity goes to the earliest pair', () => {
  const train = [
    pair('Right upper lobe consolidation.', 'Right upper lobe pneumonia.'),
    pair('Large left pleural effusion.', 'Left pleural effusion.'),
    pair('Right upper lobe consolidation.', 'Duplicate findings, later: never chosen.'),
    pair('Normal heart size. Clear lungs.', 'Normal chest.'),
  ];
  const baseline = fitNearestNeighbour(train);
  assert.equal(baseline.predict('Consolidation in the right upper lobe.'), 'Right upper lobe pneumonia.');
  assert.equal(baseline.predict('Small left effusion.'), 'Left pleural effusion.');
  assert.equal(baseline.predict('Lungs are clear.'), 'Normal chest.');
  // Nothing in common with any training findings: every similarity is 0, so the first pair.
  assert.equal(baseline.predict('Zebra.'), 'Right upper lobe pneumonia.');
});

test('nearest-neighbour: sublinear term frequency and smoothed idf, as TfidfVectorizer', () => {
  // idf = ln((1+N)/(1+df)) + 1 with N = 2: "effusion" df 2 → 1; "nodule" df 1 → ln(1.5)+1.
  // Query "effusion effusion effusion nodule": tf weights 1+ln 3 and 1. The pair with "nodule" wins only if the
  // repeated "effusion" is damped (raw counts would favour the effusion-only pair).
  const train = [pair('effusion effusion effusion', 'effusion only'), pair('effusion nodule', 'effusion and nodule')];
  const baseline = fitNearestNeighbour(train);
  const idfNodule = Math.log(3 / 2) + 1;
  const q = [1 + Math.log(3), idfNodule];
  const qn = Math.hypot(...q);
  const cosOnly = q[0]! / qn; // doc 1 is (1, 0) after normalising
  const d2 = [1, idfNodule];
  const cosBoth = (q[0]! * d2[0]! + q[1]! * d2[1]!) / (qn * Math.hypot(...d2));
  assert.ok(cosBoth > cosOnly);
  assert.equal(baseline.predict('effusion effusion effusion nodule'), 'effusion and nodule');
});

test('lead-sentence: the first sentence of the findings, measurements kept whole', () => {
  assert.equal(leadSentence('A 1.4 x 2.0 cm nodule in the right upper lobe. No effusion.'), 'A 1.4 x 2.0 cm nodule in the right upper lobe.');
  assert.equal(leadSentence('Heart normal\nLungs clear.'), 'Heart normal');
  assert.equal(leadSentence('   '), '');
  assert.equal(fitLeadSentence().predict('Clear lungs. Normal heart.'), 'Clear lungs.');
});

test('fitted on IU train only: predictions are training conclusions, deterministic across fits', () => {
  const rows = iuPairs();
  const train = rows.filter((r) => r.split === 'train').map((r) => pair(r.findings, r.impression));
  const test = rows.filter((r) => r.split === 'test');
  const trainConclusions = new Set(train.map((p) => p.reference.trim()));
  for (const name of ['most-frequent', 'nearest-neighbour'] as const) {
    const first = fitBaseline(name, train);
    const second = fitBaseline(name, [...train]);
    for (const row of test) {
      const prediction = first.predict(row.findings);
      assert.ok(trainConclusions.has(prediction), `${name} predicted a conclusion not in train for ${row.id}`);
      assert.equal(second.predict(row.findings), prediction);
    }
  }
  assert.equal(fitBaseline('most-frequent', train).predict(''), 'No acute cardiopulmonary abnormality.');
  // A training report's own findings find itself (or an earlier identical one).
  const nn = fitBaseline('nearest-neighbour', train);
  const sample = train[123]!;
  const twin = train.findIndex((p) => p.findings === sample.findings);
  assert.equal(nn.predict(sample.findings), train[twin]!.reference.trim());
});

test('the TF-IDF index: k nearest, most similar first, ties to the earliest, documents skipped on request', async () => {
  const { buildTfidfIndex, termCounts } = await import('./tfidfIndex.ts');
  const index = buildTfidfIndex(['left pleural effusion', 'right lung nodule', 'left pleural effusion', 'heart size normal'].map(termCounts));
  assert.equal(index.size, 4);
  assert.deepEqual(
    index.nearest('small left pleural effusion', 2).map((n) => n.doc),
    [0, 2],
  );
  assert.deepEqual(
    index.nearest('small left pleural effusion', 2, (doc) => doc === 0).map((n) => n.doc),
    [2, 1],
  );
  assert.deepEqual(
    index.nearest('nothing shared', 3).map((n) => [n.doc, n.similarity]),
    [
      [0, 0],
      [1, 0],
      [2, 0],
    ],
  );
  assert.ok(Math.abs(index.nearest('right lung nodule', 1)[0]!.similarity - 1) < 1e-12);
});
