import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { createProgress, formatDuration } from './progress.ts';

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, isTTY, columns: 100, write: (text: string) => writes.push(text) };
}
// Escape sequences removed: what a terminal shows on the line.
const visible = (text: string) => text.replace(/\x1b(?:\[[0-9;?]*[A-Za-z]|[78])/g, '');

test('on a terminal: a cli-progress bar with count, percentage, elapsed time and ETA, cleared when done', () => {
  const sigint = process.listenerCount('SIGINT');
  const out = stream(true);
  const progress = createProgress(out, 4, 'Predicting');
  assert.ok(out.writes.includes('\x1b[?25l'), 'the cursor is hidden while the bar runs');
  assert.match(visible(out.writes.join('')), /Predicting \[-+\] 0\/4 0% elapsed 0s ETA/);
  assert.equal(process.listenerCount('SIGINT'), sigint + 1, 'an interrupt restores the cursor');
  for (let i = 0; i < 4; i++) progress.tick();
  progress.done();
  const shown = out.writes.join('');
  assert.match(visible(shown), /Predicting \[#+\] 4\/4 100% elapsed \d+s ETA 0s/, 'the last state is drawn');
  assert.ok(shown.endsWith('\x1b[2K') || shown.includes('\x1b[?25h'), 'the line is cleared and the cursor shown again');
  assert.ok(out.writes.includes('\x1b[?25h'));
  assert.ok(!shown.includes('\n'), 'the bar stays on its line');
  assert.equal(process.listenerCount('SIGINT'), sigint);
  const count = out.writes.length;
  progress.done(); // idempotent: no more output, no timer left (the test would not end otherwise)
  assert.equal(out.writes.length, count);
});

test('on a real pseudo-terminal (script(1)): the bar is redrawn in place as items are done', () => {
  // script(1) is in bsdutils, an essential Debian package (util-linux elsewhere).
  assert.ok(existsSync('/usr/bin/script'), 'script(1) from util-linux is needed to run the CLI under a pseudo-terminal');
  const progressModule = new URL('./progress.ts', import.meta.url).href;
  const program = `const { createProgress } = await import(${JSON.stringify(progressModule)});
const progress = createProgress(process.stderr, 5, 'Scoring');
for (let i = 0; i < 5; i++) { await new Promise((r) => setTimeout(r, 250)); progress.tick(); }
progress.done();
process.stderr.write('finished\\n');`;
  const command = [process.execPath, '--import', 'tsx', '--input-type=module', '-e', program].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const run = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, TERM: 'xterm' } });
  assert.equal(run.status, 0, run.stderr);
  const shown = visible(run.stdout);
  // Redrawn at least at the start, on the way and at the end, each time from the start of the line.
  for (const state of ['0/5 0%', '5/5 100%']) assert.ok(shown.includes('Scoring [') && shown.includes(state), `${state} in ${JSON.stringify(shown)}`);
  assert.match(shown, /Scoring \[#+-+\] [1-4]\/5/, 'an intermediate state is drawn while the work runs');
  assert.ok((run.stdout.match(/\r|\x1b\[1G|\x1b\[0G/g) ?? []).length >= 3, 'redrawn in place');
  assert.match(shown, /finished\r?\n$/);
});

test('elsewhere: a plain line at each tenth once the work takes more than two seconds, nothing for quick work', () => {
  let now = 0;
  const quick = stream(false);
  const fast = createProgress(quick, 100, 'Predicting', () => now);
  for (let i = 0; i < 100; i++) fast.tick();
  fast.done();
  assert.deepEqual(quick.writes, []);

  const slow = stream(false);
  const progress = createProgress(slow, 100, 'Predicting', () => now);
  for (let i = 0; i < 100; i++) {
    now += 100;
    progress.tick();
  }
  progress.done();
  assert.deepEqual(
    slow.writes.map((w) => w.split(' ').slice(0, 3).join(' ')),
    [
      'Predicting 20/100 20%',
      'Predicting 30/100 30%',
      'Predicting 40/100 40%',
      'Predicting 50/100 50%',
      'Predicting 60/100 60%',
      'Predicting 70/100 70%',
      'Predicting 80/100 80%',
      'Predicting 90/100 90%',
      'Predicting 100/100 100%',
    ],
  );
  assert.equal(slow.writes[2], 'Predicting 40/100 40% elapsed 4s ETA 6s\n');
  // Plain text: no carriage returns, no escape sequences, one line each.
  assert.ok(slow.writes.every((w) => w.endsWith('\n') && !w.includes('\r') && !w.includes('\x1b')));
});

test('durations', () => {
  assert.equal(formatDuration(42.4), '42s');
  assert.equal(formatDuration(185), '3m05s');
  assert.equal(formatDuration(3720), '1h02m');
});
