import assert from 'node:assert/strict';
import { test } from 'node:test';
import { iuConceptMatcher } from './iuProblems.ts';
import { hasNormalPhrasing, readsNormal } from './normalReading.ts';

test('global normal phrasings of a chest radiograph', () => {
  for (const text of [
    'No acute cardiopulmonary abnormality.',
    'No acute cardiopulmonary process.',
    'No evidence of acute cardiopulmonary disease.',
    'No active disease.',
    'No radiographic evidence of acute cardiopulmonary disease.',
    'Normal chest.',
    'Negative chest x-XXXX.',
    'Clear lungs.',
    'The lungs are clear.',
    'No acute or active cardiac, pulmonary or pleural disease.',
    'Negative for acute abnormality.',
  ]) {
    assert.ok(hasNormalPhrasing(text), text);
  }
  for (const text of ['Right lower lobe pneumonia.', 'No acute bony abnormality.', 'Stable cardiomegaly.', 'No pneumothorax.']) {
    assert.ok(!hasNormalPhrasing(text), text);
  }
});

test('reads as normal: a normal phrasing, or no positive finding at all', () => {
  const matcher = iuConceptMatcher();
  assert.ok(readsNormal('No pneumothorax.', matcher), 'nothing positive');
  assert.ok(readsNormal('', matcher), 'an empty conclusion');
  assert.ok(readsNormal('No acute cardiopulmonary abnormality. Stable cardiomegaly.', matcher), 'a normal phrasing');
  assert.ok(!readsNormal('Stable cardiomegaly.', matcher));
  assert.ok(!readsNormal('Possible left lower lobe pneumonia.', matcher));
});
