import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SHARED_DATA } from '../../../test/support/sharedData.ts';
import { readEvalData } from '../runner/readEvalData.ts';
import { createMetricsScorer } from '../runner/scoring.ts';
import { fitBaseline } from './index.ts';

/** The project's measured baseline figures on IU `test` (342 pairs; rouge-score F1, no stemming). */
const PUBLISHED = {
  'most-frequent': { rouge1: 0.459, rougeL: 0.459 },
  'nearest-neighbour': { rouge1: 0.599, rougeL: 0.592 },
} as const;

test('fitted on IU train, the baselines reproduce the published figures on IU test within ±0.002', async () => {
  const data = await readEvalData(`${SHARED_DATA}iu-xray/pairs.jsonl`);
  const train = data.cases.filter((c) => c.split === 'train');
  const evaluation = data.cases.filter((c) => c.split === 'test');
  assert.equal(evaluation.length, 342);
  const scorer = createMetricsScorer();
  for (const [name, expected] of Object.entries(PUBLISHED) as Array<[keyof typeof PUBLISHED, { rouge1: number; rougeL: number }]>) {
    const baseline = fitBaseline(name, train);
    const pairs = evaluation.map((c) => ({ prediction: baseline.predict(c.findings), reference: c.reference }));
    const { corpus } = await scorer.score(pairs, { stem: false });
    assert.ok(Math.abs(corpus.rouge1 - expected.rouge1) <= 0.002, `${name} ROUGE-1 ${corpus.rouge1.toFixed(4)}, published ${expected.rouge1}`);
    assert.ok(Math.abs(corpus.rougeL - expected.rougeL) <= 0.002, `${name} ROUGE-L ${corpus.rougeL.toFixed(4)}, published ${expected.rougeL}`);
  }
});
