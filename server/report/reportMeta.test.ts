import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sideFromExam } from './reportMeta.ts';

test('sideFromExam: the side an exam title names', () => {
  assert.equal(sideFromExam('MR LEFT KNEE'), 'left');
  assert.equal(sideFromExam('XR RT SHOULDER 2 VIEWS'), 'right');
  assert.equal(sideFromExam('XR BOTH HANDS'), 'bilateral');
  assert.equal(sideFromExam('US left and right carotid'), 'bilateral');
  assert.equal(sideFromExam('CT HEAD WITHOUT CONTRAST'), undefined);
});

test('sideFromExam: the lt of an HTML entity in an exported title names no side', () => {
  // An Indiana University title as exported (iu-254): the "lt" of "&lt;" was read as "left" on a chest radiograph.
  assert.equal(sideFromExam('PA and lateral views of the chest XXXX hours &lt;XXXX, XXXX&gt;.'), undefined);
  assert.equal(sideFromExam('XR LT WRIST &gt; 3 views'), 'left');
});
