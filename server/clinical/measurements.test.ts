import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fleischnerCategory, noduleDiameter } from './fleischner.ts';
import { findMeasurements, measurementsAgree } from './measurements.ts';
import { defaultVocabulary } from './vocabulary.ts';

const vocabulary = defaultVocabulary();
const one = (text: string) => findMeasurements(text, vocabulary)[0]!;

test('measurements in millimetres, with several dimensions and units written once or each time', () => {
  assert.deepEqual(one('a 1.4 cm nodule').values, [14]);
  assert.deepEqual(one('measures 14mm').values, [14]);
  assert.deepEqual(one('3 x 4 cm mass').values, [30, 40]);
  assert.deepEqual(one('1.2 cm x 0.8 cm').values, [12, 8]);
  assert.deepEqual(one('a 1.4-cm lesion').values, [14]);
  assert.deepEqual(one('3-4 mm nodules').values, [3, 4]);
  assert.deepEqual(findMeasurements('T10-11, L4-5, 2 views, 26.5 mCi, 100 mL', vocabulary), []);
});

test('1.4 cm and 14 mm agree, 1.4 cm and 4.1 cm do not; precision as written; approximate sizes allow 20%', () => {
  assert.ok(measurementsAgree(one('14 mm'), one('1.4 cm')));
  assert.ok(!measurementsAgree(one('4.1 cm'), one('1.4 cm')));
  assert.ok(!measurementsAgree(one('1.4 mm'), one('1.4 cm')));
  assert.ok(measurementsAgree(one('1.5 cm'), one('1.45 cm')));
  assert.ok(measurementsAgree(one('2 cm'), one('3 x 2 cm')));
  assert.ok(measurementsAgree(one('2 cm'), one('2.3 cm')), '2.3 cm rounds to 2 cm');
  assert.ok(!measurementsAgree(one('2.0 cm'), one('2.3 cm')));
  assert.ok(!measurementsAgree(one('2 cm'), one('2.6 cm')));
  assert.ok(measurementsAgree(one('2.0 cm'), one('2.3 cm'), true), 'about 2 cm allows 20%');
});

test('Fleischner 2017 categories', () => {
  assert.match(fleischnerCategory('solid', false, 4).recommendation, /^No routine follow-up/);
  assert.equal(fleischnerCategory('solid', false, 7).recommendation, 'CT at 6–12 months, then consider CT at 18–24 months');
  assert.equal(fleischnerCategory('solid', false, 9).recommendation, 'Consider CT at 3 months, PET/CT, or tissue sampling');
  assert.equal(fleischnerCategory('solid', true, 7).recommendation, 'CT at 3–6 months, then consider CT at 18–24 months');
  assert.equal(fleischnerCategory('solid', true, 12).recommendation, 'CT at 3–6 months, then consider CT at 18–24 months');
  assert.equal(fleischnerCategory('ground-glass', false, 5).recommendation, 'No routine follow-up');
  assert.match(fleischnerCategory('ground-glass', false, 6).recommendation, /^CT at 6–12 months to confirm persistence, then CT every 2 years until 5 years/);
  assert.match(fleischnerCategory('part-solid', false, 8).recommendation, /^CT at 3–6 months to confirm persistence/);
  assert.match(fleischnerCategory('part-solid', true, 4).recommendation, /^CT at 3–6 months; if stable, consider CT at 2 and 4 years/);
  assert.equal(fleischnerCategory('solid', false, 8.4).band, '6–8 mm');
  assert.equal(noduleDiameter([8, 6]), 7);
  assert.equal(noduleDiameter([5]), 5);
});
