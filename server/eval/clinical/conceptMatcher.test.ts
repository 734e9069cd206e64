import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConceptMatcher } from './conceptMatcher.ts';
import { iuConceptMatcher } from './iuProblems.ts';

const stated = (text: string) => [...iuConceptMatcher().stated(text)].sort();
const states = (text: string, concept: string) => iuConceptMatcher().stated(text).has(concept);

test('a negated synonym states nothing; an asserted or hedged one states its problem', () => {
  assert.equal(states('No pleural effusion.', 'pleural-effusion'), false);
  assert.equal(states('Small left effusion.', 'pleural-effusion'), true);
  assert.equal(states('Possible pneumonia.', 'pneumonia'), true);
  assert.equal(states('Pneumonia cannot be excluded.', 'pneumonia'), true);
  assert.equal(states('No focal consolidation, pleural effusion or pneumothorax.', 'pneumothorax'), false);
  assert.equal(states('The previously seen left effusion has resolved.', 'pleural-effusion'), false);
  assert.equal(states('No pneumothorax, but there is a small right pleural effusion.', 'pleural-effusion'), true);
  // A negated qualified finding ("no large effusion") states no effusion either.
  assert.equal(states('No large pleural effusion.', 'pleural-effusion'), false);
  // Historical mentions name the finding: "status post sternotomy" states the surgical material.
  assert.equal(states('Status post sternotomy.', 'surgical-material'), true);
});

test('wordings: plurals, hyphens, patterns with a negation inside them, words that name something else', () => {
  assert.equal(states('Bibasilar opacities.', 'lung-opacity'), true);
  assert.equal(states('Patchy ground-glass in the right lung.', 'lung-opacity'), true);
  assert.equal(states('The heart is mildly enlarged.', 'cardiomegaly'), true);
  assert.equal(states('The heart is not enlarged.', 'cardiomegaly'), false);
  assert.equal(states('Heart size is normal.', 'cardiomegaly'), false);
  assert.equal(states('Small pericardial effusion.', 'pleural-effusion'), false);
  assert.equal(states('Small pericardial effusion.', 'pericardial-effusion'), true);
  assert.equal(states('Subcutaneous emphysema in the left chest wall.', 'emphysema'), false);
  assert.equal(states('Plate-like atelectasis at the left base.', 'surgical-material'), false);
  assert.equal(states('Low lung volumes.', 'low-lung-volumes'), true);
  assert.equal(states('Lung volumes are low.', 'low-lung-volumes'), true);
  assert.equal(states('Lung volumes are normal.', 'low-lung-volumes'), false);
  assert.equal(states('Elevated right hemidiaphragm.', 'elevated-diaphragm'), true);
  assert.equal(states('Calcified atherosclerotic plaque of the aortic arch.', 'atherosclerosis'), true);
  assert.equal(states('Calcified granuloma in the right upper lobe.', 'atherosclerosis'), false);
});

test('every phrase at every position counts: a calcified granuloma states a granuloma and a calcification', () => {
  // (A nodule and tuberculosis accept a granuloma too: a specific diagnosis states its finding class.)
  assert.deepEqual(stated('Calcified granuloma.'), ['calcification', 'granuloma', 'nodule', 'tuberculosis']);
  assert.deepEqual(stated('No acute cardiopulmonary abnormality.'), []);
});

test('mentions carry their assertion and offsets', () => {
  const matcher = new ConceptMatcher([
    { id: 'effusion', terms: ['pleural effusion', 'effusion'], notAfter: ['pericardial'] },
    { id: 'pneumothorax', terms: ['pneumothorax'] },
  ]);
  const text = 'No pneumothorax. Possible small pleural effusion. Pericardial effusion.';
  assert.deepEqual(
    matcher.mentions(text).map((m) => [m.id, m.assertion, text.slice(m.start, m.end)]),
    [
      ['pneumothorax', 'absent', 'pneumothorax'],
      ['effusion', 'possible', 'pleural effusion'],
      ['effusion', 'possible', 'effusion'],
    ],
  );
  assert.deepEqual([...matcher.stated(text)], ['effusion']);
  assert.deepEqual([...matcher.stated('')], []);
});

test('a table with a concept twice or a term without a word is refused', () => {
  assert.throws(
    () =>
      new ConceptMatcher([
        { id: 'a', terms: ['x'] },
        { id: 'a', terms: ['y'] },
      ]),
    /defined twice/,
  );
  assert.throws(() => new ConceptMatcher([{ id: 'a', terms: ['--'] }]), /has no word/);
});
