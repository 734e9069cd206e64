import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Deviations, loadCorpusBleu, loadReferencePairs } from '../fixtures/referenceFixtures.ts';
import { corpusBleu, sentenceBleu, tokenize13a } from './bleu.ts';

const TOLERANCE = 1e-6; // on sacrebleu's 0-100 scale

test('sentence BLEU agrees with sacrebleu.sentence_bleu on every fixture pair', () => {
  const { pairs } = loadReferencePairs();
  const deviations = new Deviations();
  for (const pair of pairs) {
    const ours = sentenceBleu(pair.prediction, pair.reference).score;
    const d = deviations.record('sentence BLEU (0-100)', ours, pair.scores.sentenceBleu, `pair ${pair.i}`);
    assert.ok(d <= TOLERANCE, `pair ${pair.i} (${pair.set}, ${pair.baseline}): ours ${ours}, sacrebleu ${pair.scores.sentenceBleu}`);
  }
  console.log(deviations.report(`BLEU vs sacrebleu, ${pairs.length} pairs, tolerance ${TOLERANCE}`));
});

test('corpus BLEU agrees with sacrebleu.corpus_bleu on the whole fixture set and on each part', () => {
  const { pairs } = loadReferencePairs();
  const deviations = new Deviations();
  for (const [set, expected] of Object.entries(loadCorpusBleu())) {
    const chosen = set === 'all' ? pairs : pairs.filter((p) => p.set === set);
    assert.equal(chosen.length, expected.n, set);
    const ours = corpusBleu(
      chosen.map((p) => p.prediction),
      chosen.map((p) => p.reference),
    );
    assert.deepEqual(ours.counts, expected.counts, `${set} matching n-gram counts`);
    assert.deepEqual(ours.totals, expected.totals, `${set} n-gram totals`);
    assert.equal(ours.sysLen, expected.sysLen);
    assert.equal(ours.refLen, expected.refLen);
    const d = deviations.record(`corpus BLEU ${set}`, ours.score, expected.score, set);
    assert.ok(d <= TOLERANCE, `${set}: ours ${ours.score}, sacrebleu ${expected.score}`);
  }
  console.log(deviations.report('corpus BLEU vs sacrebleu'));
});

test('13a tokenization splits punctuation but keeps decimals and thousands together', () => {
  assert.equal(tokenize13a('Nodule, 3.5 cm (1,200 mm3).'), 'Nodule , 3.5 cm ( 1,200 mm3 ) .');
  assert.equal(tokenize13a('T10-T12 &amp; x-ray'), 'T10 - T12 & x-ray');
});

test('corpus BLEU refuses predictions and references of different lengths', () => {
  assert.throws(() => corpusBleu(['a'], []), RangeError);
});
