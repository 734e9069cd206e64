import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fleissKappa, krippendorffAlpha, meanWithCi, normalQuantile, studentTQuantile, wilsonInterval } from './statistics.ts';

const close = (actual: number | null, expected: number, tolerance: number, what: string) =>
  assert.ok(actual !== null && Math.abs(actual - expected) <= tolerance, `${what}: ${actual} ≠ ${expected} ± ${tolerance}`);

test('Student t quantiles match the printed tables', () => {
  close(studentTQuantile(0.975, 1), 12.7062, 1e-4, 't(.975, 1)');
  close(studentTQuantile(0.975, 2), 4.3027, 1e-4, 't(.975, 2)');
  close(studentTQuantile(0.975, 9), 2.2622, 1e-4, 't(.975, 9)');
  close(studentTQuantile(0.975, 30), 2.0423, 1e-4, 't(.975, 30)');
  close(studentTQuantile(0.975, 1000), 1.9623, 1e-4, 't(.975, 1000)');
  close(studentTQuantile(0.025, 9), -2.2622, 1e-4, 't(.025, 9)');
  close(normalQuantile(0.975), 1.959964, 1e-6, 'z(.975)');
});

test('mean with a t interval', () => {
  const estimate = meanWithCi([2, 4, 4, 4, 5, 5, 7, 9]);
  assert.equal(estimate.n, 8);
  assert.equal(estimate.mean, 5);
  close(estimate.sd, Math.sqrt(32 / 7), 1e-12, 'sd');
  const half = 2.364624 * (Math.sqrt(32 / 7) / Math.sqrt(8));
  close(estimate.ci95![0], 5 - half, 1e-5, 'low');
  close(estimate.ci95![1], 5 + half, 1e-5, 'high');
  assert.deepEqual(meanWithCi([3]), { n: 1, mean: 3, sd: null, ci95: null });
  assert.deepEqual(meanWithCi([]), { n: 0, mean: null, sd: null, ci95: null });
});

test('Wilson interval', () => {
  // 8 successes out of 10: (0.4902, 0.9433).
  const [low, high] = wilsonInterval(8, 10)!;
  close(low, 0.4902, 1e-4, 'low');
  close(high, 0.9433, 1e-4, 'high');
  assert.equal(wilsonInterval(0, 0), null);
});

test('Fleiss’ kappa on Fleiss’ worked example (10 subjects, 14 raters, 5 categories): 0.210', () => {
  const counts = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
  ];
  close(fleissKappa(counts), 0.20993, 1e-5, 'kappa');
  assert.equal(
    fleissKappa([
      [2, 0],
      [2, 0],
    ]),
    null,
  );
  close(
    fleissKappa([
      [2, 0],
      [0, 2],
    ]),
    1,
    1e-12,
    'perfect',
  );
  assert.throws(
    () =>
      fleissKappa([
        [2, 0],
        [1, 0],
      ]),
    /same number of raters/,
  );
});

test('Krippendorff’s alpha on Krippendorff’s worked example (4 coders, 12 units, missing values)', () => {
  // Krippendorff (2011), "Computing Krippendorff's alpha-reliability", the example with missing data.
  const coders: Array<Array<number | null>> = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
    [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
  ];
  const units = coders[0]!.map((_, u) => coders.map((c) => c[u]).filter((v): v is number => v !== null));
  close(krippendorffAlpha(units, 'nominal'), 0.743, 5e-4, 'nominal');
  close(krippendorffAlpha(units, 'interval'), 0.849, 5e-4, 'interval');
  assert.equal(krippendorffAlpha([[1], [2]], 'interval'), null);
  assert.equal(
    krippendorffAlpha(
      [
        [3, 3],
        [3, 3],
      ],
      'interval',
    ),
    null,
  );
});
