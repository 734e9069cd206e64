import assert from 'node:assert/strict';
import { test } from 'node:test';
import { didYouMean, nearestName } from './nearestName.ts';

const RULES = ['missing-section', 'laterality-mismatch', 'measurement-mismatch', 'sex-mismatch', 'placeholder'];

test('nearestName: a typo, a dropped letter, swapped neighbours or other case find the name meant', () => {
  assert.equal(nearestName('lateralty-mismatch', RULES), 'laterality-mismatch');
  assert.equal(nearestName('laterality-mismtach', RULES), 'laterality-mismatch');
  assert.equal(nearestName('Placeholder', RULES), 'placeholder');
  assert.equal(nearestName('missing-sections', RULES), 'missing-section');
  assert.equal(nearestName('includeHedge', ['includeHedged']), 'includeHedged');
});

test('nearestName: the closest of two near names wins; a name far from all gives none', () => {
  assert.equal(nearestName('sex-mismatc', RULES), 'sex-mismatch');
  assert.equal(nearestName('measurment-mismatch', RULES), 'measurement-mismatch');
  assert.equal(nearestName('spelling', RULES), undefined);
  assert.equal(nearestName('ab', ['xy']), undefined);
  assert.equal(nearestName('anything', []), undefined);
});

test('didYouMean: a clause for the message, or nothing', () => {
  assert.equal(didYouMean('placeholdr', RULES), '; did you mean "placeholder"?');
  assert.equal(didYouMean('nothing-like-it', RULES), '');
});
