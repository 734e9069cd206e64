import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readTsv } from '../fixtures/referenceFixtures.ts';
import { porterStem } from './porterStemmer.ts';

test('the Porter stemmer equals NLTK 3.8 PorterStemmer() on the fixture vocabulary and WordNet samples', () => {
  const rows = readTsv('porter-stems.tsv');
  assert.ok(rows.length > 10_000);
  const wrong = rows.filter(([word, stem]) => porterStem(word!) !== stem);
  console.log(`Porter stemmer vs NLTK 3.8: ${rows.length} words, ${wrong.length} differ`);
  assert.deepEqual(
    wrong.slice(0, 10).map(([w, s]) => [w, s, porterStem(w!)]),
    [],
  );
});

test('NLTK extensions: irregular forms, four-letter ies/ied, alli, logi', () => {
  assert.equal(porterStem('skies'), 'sky');
  assert.equal(porterStem('dying'), 'die');
  assert.equal(porterStem('dies'), 'die');
  assert.equal(porterStem('tied'), 'tie');
  assert.equal(porterStem('generalli'), 'gener');
  assert.equal(porterStem('analogi'), 'analog');
  assert.equal(porterStem('Effusions'), 'effus');
  assert.equal(porterStem('😀s'), '😀s', 'two code points: too short to stem, as in Python');
});
