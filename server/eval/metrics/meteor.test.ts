import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Deviations, loadReferencePairs } from '../fixtures/referenceFixtures.ts';
import { meteor, meteorOfTokens } from './meteor.ts';
import { meteorTokens, treebankWords } from './meteorTokens.ts';

const TOLERANCE = 1e-4;

test('METEOR agrees with NLTK 3.8 meteor_score on every fixture pair', () => {
  const { pairs } = loadReferencePairs();
  const deviations = new Deviations();
  for (const pair of pairs) {
    const hyp = meteorTokens(pair.prediction);
    const ref = meteorTokens(pair.reference);
    assert.deepEqual([hyp.length, ref.length], pair.scores.meteorTokens, `pair ${pair.i}: token counts differ from the Python tokenization`);
    const ours = meteorOfTokens(hyp, ref);
    const d = deviations.record('METEOR', ours, pair.scores.meteor, `pair ${pair.i}`);
    assert.ok(d <= TOLERANCE, `pair ${pair.i} (${pair.set}, ${pair.baseline}): ours ${ours}, NLTK ${pair.scores.meteor}`);
  }
  console.log(deviations.report(`METEOR vs NLTK 3.8, ${pairs.length} pairs, tolerance ${TOLERANCE}`));
});

test('Treebank words: contractions, quotes, final period, brackets', () => {
  assert.deepEqual(treebankWords(`The "heart" isn't big (mild).`), ['The', '``', 'heart', "''", 'is', "n't", 'big', '(', 'mild', ')', '.']);
  assert.deepEqual(meteorTokens('No effusion. Heart normal.\n2. Stable'), ['No', 'effusion', '.', 'Heart', 'normal', '.', '2', '.', 'Stable']);
});

test('METEOR stages: exact, stem, WordNet synonym; empty input scores 0', () => {
  assert.equal(meteor('', 'no acute disease'), 0);
  assert.equal(meteor('no acute disease', ''), 0);
  const exact = meteor('no acute disease', 'no acute disease');
  assert.ok(Math.abs(exact - 0.9814814814814815) < 1e-12, String(exact));
  assert.ok(meteor('effusions', 'effusion') > 0.49, 'stem stage');
  assert.equal(meteor('sick', 'ill'), 0.5, 'synonym stage');
  // as in NLTK, the synonym stage compares stemmed words: 'large' is 'larg' by then, so no match
  assert.equal(meteor('big', 'large'), 0);
  assert.equal(meteor('heart', 'lung'), 0);
});
