import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Deviations, loadReferencePairs } from '../fixtures/referenceFixtures.ts';
import { rouge, rougeTokens } from './rouge.ts';

const TOLERANCE = 1e-6;
const TYPES = ['rouge1', 'rouge2', 'rougeL', 'rougeLsum'] as const;
const PARTS = ['precision', 'recall', 'fmeasure'] as const;

test('ROUGE agrees with rouge-score on every fixture pair, with and without stemming', () => {
  const { pairs } = loadReferencePairs();
  assert.ok(pairs.length >= 300);
  const deviations = new Deviations();
  for (const pair of pairs) {
    for (const [stem, expected] of [
      [false, pair.scores.rouge],
      [true, pair.scores.rougeStem],
    ] as const) {
      const ours = rouge(pair.prediction, pair.reference, { stem });
      for (const type of TYPES) {
        PARTS.forEach((part, k) => {
          const name = `${type}${stem ? ' (stem)' : ''} ${part}`;
          const d = deviations.record(name, ours[type][part], expected[type][k]!, `pair ${pair.i}`);
          assert.ok(d <= TOLERANCE, `pair ${pair.i} (${pair.set}, ${pair.baseline}) ${name}: ours ${ours[type][part]}, rouge-score ${expected[type][k]}`);
        });
      }
    }
  }
  console.log(deviations.report(`ROUGE vs rouge-score, ${pairs.length} pairs, tolerance ${TOLERANCE}`));
});

test('rouge-score tokenization: lower case, [a-z0-9] only, stems only tokens longer than 3 characters', () => {
  assert.deepEqual(rougeTokens('Left-sided EFFUSIONS, 3.5cm; café'), ['left', 'sided', 'effusions', '3', '5cm', 'caf']);
  assert.deepEqual(rougeTokens('Left-sided EFFUSIONS, 3.5cm; lungs was', true), ['left', 'side', 'effus', '3', '5cm', 'lung', 'was']);
  assert.deepEqual(rougeTokens(''), []);
});

test('ROUGE-L is one LCS over the text, ROUGE-Lsum the union LCS over newline-separated sentences', () => {
  const flat = rouge('a b c d', 'd c b a');
  assert.equal(flat.rougeL.fmeasure, 0.25);
  const lsum = rouge('a b\nc d', 'c d\na b');
  assert.equal(lsum.rougeL.fmeasure, 0.5);
  assert.equal(lsum.rougeLsum.fmeasure, 1);
});
