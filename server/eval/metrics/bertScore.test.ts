import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { Deviations, loadReferencePairs, type NullableTriple } from '../fixtures/referenceFixtures.ts';
import { BertScoreModelError, createBertScorer, readBaselineFile, type BertScore } from './bertScore.ts';

const TOLERANCE = 1e-3;
const MODEL = fileURLToPath(new URL('../fixtures/tiny-bert/', import.meta.url));
const BASELINE = fileURLToPath(new URL('../fixtures/tiny-bert-baseline.csv', import.meta.url));
const ROBERTA = fileURLToPath(new URL('../fixtures/tiny-roberta/', import.meta.url));

function compare(
  deviations: Deviations,
  name: string,
  ours: BertScore[],
  expected: (i: number) => NullableTriple,
  raw: BertScore[] | undefined,
  pairsInfo: string[],
) {
  ours.forEach((score, i) => {
    const values = [score.precision, score.recall, score.f1];
    expected(i).forEach((reference, k) => {
      const part = ['P', 'R', 'F1'][k]!;
      if (reference === null) {
        // torchmetrics gives NaN for the side of an empty text; we give bert-score's 0 (rescaled like any score)
        const rawValue = raw === undefined ? values[k]! : [raw[i]!.precision, raw[i]!.recall, raw[i]!.f1][k]!;
        assert.equal(rawValue, 0, `${name} ${part} of ${pairsInfo[i]}: an empty side must score 0`);
        return;
      }
      const d = deviations.record(`${name} ${part}`, values[k]!, reference, pairsInfo[i]!);
      assert.ok(d <= TOLERANCE, `${name} ${part} of ${pairsInfo[i]}: ours ${values[k]}, torchmetrics ${reference}`);
    });
  });
}

test('BERTScore (matching: bert-score) agrees with the bert-score package on every fixture pair: plain, idf, rescaled', async () => {
  const { header, pairs } = loadReferencePairs();
  const layer = header.bertscore.numLayers;
  const predictions = pairs.map((p) => p.prediction);
  const references = pairs.map((p) => p.reference);
  const info = pairs.map((p) => `pair ${p.i} (${p.set}, ${p.baseline})`);
  const deviations = new Deviations();
  const plain = await createBertScorer({ modelDir: MODEL, layer });
  const idf = await createBertScorer({ modelDir: MODEL, layer, idf: true });
  const rescaled = await createBertScorer({ modelDir: MODEL, layer, baseline: BASELINE });
  try {
    assert.equal(plain.matching, 'bert-score');
    compare(deviations, 'bert-score', await plain.score(predictions, references), (i) => pairs[i]!.scores.bertscorePkg, undefined, info);
    compare(deviations, 'bert-score idf', await idf.score(predictions, references), (i) => pairs[i]!.scores.bertscorePkgIdf, undefined, info);
    compare(deviations, 'bert-score rescaled', await rescaled.score(predictions, references), (i) => pairs[i]!.scores.bertscorePkgRescaled, undefined, info);
  } finally {
    await Promise.all([plain.dispose(), idf.dispose(), rescaled.dispose()]);
  }
  console.log(deviations.report(`BERTScore vs bert-score 0.3.13, ${pairs.length} pairs, tolerance ${TOLERANCE}`));
});

test('BERTScore (matching: torchmetrics) agrees with torchmetrics on every fixture pair: plain, idf, rescaled', async () => {
  const { header, pairs } = loadReferencePairs();
  const layer = header.bertscore.numLayers;
  const predictions = pairs.map((p) => p.prediction);
  const references = pairs.map((p) => p.reference);
  const info = pairs.map((p) => `pair ${p.i} (${p.set}, ${p.baseline})`);
  const deviations = new Deviations();
  const matching = 'torchmetrics';
  const plain = await createBertScorer({ modelDir: MODEL, layer, matching });
  const idf = await createBertScorer({ modelDir: MODEL, layer, idf: true, matching });
  const rescaled = await createBertScorer({ modelDir: MODEL, layer, baseline: BASELINE, matching });
  try {
    const plainScores = await plain.score(predictions, references);
    compare(deviations, 'torchmetrics', plainScores, (i) => pairs[i]!.scores.bertscore, undefined, info);
    compare(deviations, 'torchmetrics idf', await idf.score(predictions, references), (i) => pairs[i]!.scores.bertscoreIdf, undefined, info);
    compare(deviations, 'torchmetrics rescaled', await rescaled.score(predictions, references), (i) => pairs[i]!.scores.bertscoreRescaled, plainScores, info);
  } finally {
    await Promise.all([plain.dispose(), idf.dispose(), rescaled.dispose()]);
  }
  console.log(deviations.report(`BERTScore vs torchmetrics, ${pairs.length} pairs, tolerance ${TOLERANCE}`));
});

test('a byte-level BPE model laid out like roberta-large (<s> </s>, prefix space) agrees with bert-score and torchmetrics', async () => {
  const { header, pairs } = loadReferencePairs();
  const layer = header.bertscore.roberta.numLayers;
  const predictions = pairs.map((p) => p.prediction);
  const references = pairs.map((p) => p.reference);
  const info = pairs.map((p) => `pair ${p.i} (${p.set}, ${p.baseline})`);
  const deviations = new Deviations();
  const plain = await createBertScorer({ modelDir: ROBERTA, layer });
  const idf = await createBertScorer({ modelDir: ROBERTA, layer, idf: true });
  const torchmetrics = await createBertScorer({ modelDir: ROBERTA, layer, matching: 'torchmetrics' });
  try {
    compare(deviations, 'RoBERTa bert-score', await plain.score(predictions, references), (i) => pairs[i]!.scores.robertaPkg, undefined, info);
    compare(deviations, 'RoBERTa bert-score idf', await idf.score(predictions, references), (i) => pairs[i]!.scores.robertaPkgIdf, undefined, info);
    compare(deviations, 'RoBERTa torchmetrics', await torchmetrics.score(predictions, references), (i) => pairs[i]!.scores.robertaTm, undefined, info);
  } finally {
    await Promise.all([plain.dispose(), idf.dispose(), torchmetrics.dispose()]);
  }
  console.log(deviations.report(`tiny RoBERTa, ${pairs.length} pairs, tolerance ${TOLERANCE}`));
});

test('BERTScore (torchmetrics matching) does not depend on batch size or on the other pairs of the call', async () => {
  // torchmetrics matching has no pair batches, so one pair alone scores as within any call
  const scorer = await createBertScorer({ modelDir: MODEL, layer: 2, batchSize: 3, matching: 'torchmetrics' });
  const single = await createBertScorer({ modelDir: MODEL, layer: 2, batchSize: 1, matching: 'torchmetrics' });
  try {
    const preds = ['No acute disease.', 'Mild cardiomegaly with clear lungs and no effusion.', 'Normal chest.', ''];
    const refs = ['No acute cardiopulmonary process.', 'Stable cardiomegaly.', 'Normal chest radiograph, no pneumothorax.', 'Clear lungs.'];
    const together = await scorer.score(preds, refs);
    for (let i = 0; i < preds.length; i++) {
      const [alone] = await single.score([preds[i]!], [refs[i]!]);
      assert.ok(Math.abs(alone!.f1 - together[i]!.f1) < 1e-6, `pair ${i}`);
    }
    const same = await scorer.score(['Heart size normal.'], ['Heart size normal.']);
    assert.ok(Math.abs(same[0]!.f1 - 1) < 1e-6, 'a text matched with itself scores 1');
    assert.deepEqual(together[3], { precision: 0, recall: 0, f1: 0 });
  } finally {
    await scorer.dispose();
    await single.dispose();
    await scorer.dispose();
  }
});

test('a missing model, a missing layer and a bad baseline are clear errors', async () => {
  await assert.rejects(createBertScorer({ modelDir: '/nonexistent/model' }), BertScoreModelError);
  await assert.rejects(createBertScorer({ modelDir: MODEL, layer: 9 }), /layer 9 is not a hidden state/);
  assert.throws(() => readBaselineFile(BASELINE, 7), /no row for layer 7/);
  assert.deepEqual(readBaselineFile(BASELINE, 2), { precision: 0.52, recall: 0.53, f1: 0.525 });
  const scorer = await createBertScorer({ modelDir: MODEL });
  try {
    assert.equal(scorer.layer, 3, 'the default layer is the last');
    await assert.rejects(scorer.score(['a'], []), RangeError);
  } finally {
    await scorer.dispose();
  }
});
