import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readTsv, sha256Prefix } from '../fixtures/referenceFixtures.ts';
import { loadWordNet, WordNetFileError } from './wordnet.ts';

test('synonym names equal NLTK wordnet.synsets() (with morphy) for every fixture look-up', () => {
  const wordnet = loadWordNet();
  const rows = readTsv('wordnet-synonyms.tsv');
  assert.ok(rows.length > 10_000);
  const wrong: string[] = [];
  for (const [word, n, sha] of rows) {
    const names = [...wordnet.synonymNames(word!)].sort();
    if (String(names.length) !== n || sha256Prefix(names.join(' ')) !== sha) wrong.push(`${word}: ${names.length} names, NLTK ${n}`);
  }
  console.log(`WordNet synonyms vs NLTK 3.8 + WordNet 3.0: ${rows.length} words, ${wrong.length} differ`);
  assert.deepEqual(wrong.slice(0, 10), []);
});

test('morphy: inflected and irregular forms reach their lemmas', () => {
  const wordnet = loadWordNet();
  assert.ok(wordnet.synonymNames('effusions').has('effusion'));
  assert.ok(wordnet.synonymNames('mice').has('mouse'));
  assert.ok(wordnet.synonymNames('big').has('large'));
  assert.equal(wordnet.synonymNames('xxxx').size, 0);
});

test('a missing or foreign WordNet file is a clear error', () => {
  assert.throws(() => loadWordNet('/nonexistent/wordnet.txt.gz'), WordNetFileError);
  const dir = mkdtempSync(join(tmpdir(), 'wordnet-'));
  const junk = join(dir, 'junk.txt');
  writeFileSync(junk, 'not a wordnet file\n');
  assert.throws(() => loadWordNet(junk), /no @groups or @index section/);
});
