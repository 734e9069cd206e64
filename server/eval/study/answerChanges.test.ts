import assert from 'node:assert/strict';
import { test } from 'node:test';
import { answerChanges, formatAnswerChanges } from './answerChanges.ts';
import type { AnswerEvent } from './studyStore.ts';

let id = 0;
const event = (
  readerId: number,
  n: number,
  ratingA: number | null,
  ratingB: number | null,
  preference: AnswerEvent['preference'],
  at: string,
): AnswerEvent => ({
  id: ++id,
  readerId,
  case: n,
  ratingA,
  ratingB,
  preference,
  at,
});

test('filling in an answer is not a change; replacing a given rating or preference is, with who, what and when', () => {
  const history = [
    event(1, 1, 4, null, null, 't1'),
    event(1, 1, 4, 2, 'A', 't2'),
    event(2, 1, 3, 3, 'equivalent', 't3'),
    event(1, 2, 5, null, null, 't4'),
    event(1, 1, 1, 2, 'B', 't5'),
    event(2, 1, 3, 3, 'equivalent', 't6'),
    event(1, 2, 5, 4, null, 't7'),
  ];
  const names = new Map([
    [1, 'Dr Ada'],
    [2, 'Dr Ben'],
  ]);
  const summary = answerChanges(history, (readerId) => names.get(readerId)!);
  assert.equal(summary.answersGiven, 7);
  assert.equal(summary.changed, 2);
  assert.deepEqual(summary.byReader, [
    { reader: 'Dr Ada', changed: 2 },
    { reader: 'Dr Ben', changed: 0 },
  ]);
  assert.deepEqual(summary.changes, [
    { reader: 'Dr Ada', case: 1, field: 'ratingA', from: 4, to: 1, at: 't5' },
    { reader: 'Dr Ada', case: 1, field: 'preference', from: 'A', to: 'B', at: 't5' },
  ]);
  const text = formatAnswerChanges(summary);
  assert.match(text, /^Changed answers: 2 \(of 7 answers saved\)$/m);
  assert.match(text, /by reader: Dr Ada 2$/m);
  assert.match(text, /^ {2}t5 {2}Dr Ada {2}case 1 {2}rating of A 4 → 1$/m);
  assert.match(text, /^ {2}t5 {2}Dr Ada {2}case 1 {2}preference A → B$/m);
});

test('no history: nothing changed', () => {
  const summary = answerChanges([], String);
  assert.deepEqual(summary, { answersGiven: 0, changed: 0, byReader: [], changes: [] });
  assert.equal(formatAnswerChanges(summary), 'Changed answers: 0 (of 0 answers saved)\n');
});
