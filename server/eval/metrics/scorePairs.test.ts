import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { loadCorpusBleu, loadReferencePairs } from '../fixtures/referenceFixtures.ts';
import { scorePairs } from './index.ts';

const MODEL = fileURLToPath(new URL('../fixtures/tiny-bert/', import.meta.url));

test('scorePairs: corpus values are means of the reference per-pair scores and sacrebleu corpus BLEU / 100', async () => {
  const { pairs } = loadReferencePairs();
  const chosen = pairs.filter((p) => p.set === 'mtsamples');
  const result = await scorePairs(chosen, { stem: true, bertscore: { modelDir: MODEL, layer: 2, matching: 'torchmetrics' } });
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  assert.equal(result.n, chosen.length);
  assert.ok(Math.abs(result.rouge1 - mean(chosen.map((p) => p.scores.rougeStem.rouge1[2]))) < 1e-9);
  assert.ok(Math.abs(result.rougeLsum - mean(chosen.map((p) => p.scores.rougeStem.rougeLsum[2]))) < 1e-9);
  assert.ok(Math.abs(result.meteor - mean(chosen.map((p) => p.scores.meteor))) < 1e-6);
  assert.ok(Math.abs(result.bleu - loadCorpusBleu().mtsamples!.score / 100) < 1e-8);
  assert.ok(Math.abs(result.bertscore!.f1 - mean(chosen.map((p) => p.scores.bertscore[2]!))) < 1e-3);
  assert.equal(result.perPair.length, chosen.length);
  assert.ok(Math.abs(result.perPair[0]!.bleu - chosen[0]!.scores.sentenceBleu / 100) < 1e-8);
  for (const value of [result.rouge1, result.rouge2, result.rougeL, result.rougeLsum, result.bleu, result.meteor, result.bertscore!.f1]) {
    assert.ok(value >= 0 && value <= 1, String(value));
  }
});

test('scorePairs refuses no pairs and pairs without strings, with the pair number', async () => {
  await assert.rejects(scorePairs([]), /no pairs/);
  await assert.rejects(scorePairs([{ prediction: 'a', reference: 'b' }, { prediction: 3, reference: 'b' } as never]), /pair 2/);
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(scorePairs([{ prediction: 'a', reference: 'b' }], { signal: controller.signal }), { name: 'AbortError' });
});
