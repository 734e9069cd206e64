import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createProgress, formatDuration } from './progress.ts';

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, isTTY, columns: 100, write: (text: string) => writes.push(text) };
}

test('on a terminal: one bar redrawn in place with count, percentage and ETA', () => {
  let now = 0;
  const out = stream(true);
  const progress = createProgress(out, 4, 'Predicting', () => now);
  now = 1000;
  progress.tick();
  now = 2000;
  progress.tick();
  assert.equal(out.writes.length, 2);
  assert.ok(out.writes.every((w) => w.startsWith('\r\x1b[2K[')));
  assert.match(out.writes[1]!, /\] Predicting 2\/4 50% elapsed 2s ETA 2s$/);
  now = 2050; // within 100 ms of the last draw: not redrawn
  progress.tick();
  assert.equal(out.writes.length, 2);
  now = 2060;
  progress.tick(); // the last item is always drawn
  assert.match(out.writes.at(-1)!, /Predicting 4\/4 100% elapsed 2s$/);
  progress.done();
  assert.equal(out.writes.at(-1), '\r\x1b[2K');
});

test('elsewhere: a line at each tenth once the work takes more than two seconds, nothing for quick work', () => {
  let now = 0;
  const quick = stream(false);
  const fast = createProgress(quick, 100, 'Predicting', () => now);
  for (let i = 0; i < 100; i++) fast.tick();
  assert.deepEqual(quick.writes, []);

  const slow = stream(false);
  const progress = createProgress(slow, 100, 'Predicting', () => now);
  for (let i = 0; i < 100; i++) {
    now += 100;
    progress.tick();
  }
  assert.deepEqual(
    slow.writes.map((w) => w.split(' ').slice(0, 3).join(' ')),
    ['Predicting 20/100 20%', 'Predicting 30/100 30%', 'Predicting 40/100 40%', 'Predicting 50/100 50%', 'Predicting 60/100 60%', 'Predicting 70/100 70%', 'Predicting 80/100 80%', 'Predicting 90/100 90%', 'Predicting 100/100 100%'],
  );
  assert.ok(slow.writes.every((w) => w.endsWith('\n') && !w.includes('\r')));
});

test('durations', () => {
  assert.equal(formatDuration(42.4), '42s');
  assert.equal(formatDuration(185), '3m05s');
  assert.equal(formatDuration(3720), '1h02m');
});
