import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readIuLabels } from '../server/eval/clinical/iuLabels.ts';
import { iuProblemJudge } from '../server/eval/clinical/iuProblems.ts';
import type { IuProblemMeasures } from '../server/eval/clinical/clinicalResult.ts';
import { readEvalData } from '../server/eval/runner/readEvalData.ts';
import { enginePredictor, runEval } from '../server/eval/runner/runEval.ts';
import { createMetricsScorer } from '../server/eval/runner/scoring.ts';
import { readEmbeddedModel } from '../server/generation/embeddedModel.ts';
import { DEFAULT_ENGINE_SETTINGS } from '../server/generation/engine.ts';
import { createConclusionEngine } from '../server/generation/engineSelection.ts';
import { SHARED_DATA } from '../test/support/sharedData.ts';

// The shipped model's conclusions on the held-out IU `test` split (342 chest radiographs), written the way
// `radreport eval --data ../shared/data/iu-xray/pairs.jsonl --split test` writes them: the grounded pipeline (plan,
// model, check, correction or composition) of `enginePredictor`, judged against the IU indexers' labels and scored
// against the radiologists' impressions. CPU, one thread, greedy (temperature 0, seed 42): the same figures every run.

/** ROUGE-L F1 against the radiologists' impressions: measured 0.6100 on 2026-12-03 (node-llama-cpp 3.21.1, CPU, one thread). */
const ROUGE_L_FLOOR = 0.6;
/** Labelled problems stated, at least this share of what the radiologists' own impressions state in the same run (measured 230/521 = 0.441 against their 205/521 = 0.393, 1.12 times, on 2026-12-03). */
const PROBLEMS_STATED_VS_RADIOLOGISTS = 0.9;
/** Abnormal studies the conclusion calls normal: the product target (measured 5/104, 4.8%, on 2026-12-03). */
const CALLED_NORMAL_CEILING = 0.05;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

test('the shipped model on IU test: states the labelled problems, rarely calls an abnormal study normal, ROUGE-L floor', async () => {
  const embedded = readEmbeddedModel(root);
  assert.ok(embedded, 'models/default-model.json names the embedded model');
  const data = await readEvalData(join(SHARED_DATA, 'iu-xray', 'pairs.jsonl'));
  const cases = data.cases.filter((evalCase) => evalCase.split === 'test');
  assert.equal(cases.length, 342);
  const judge = iuProblemJudge(await readIuLabels(join(SHARED_DATA, 'iu-xray', 'indiana_reports.csv')), 'IU labelled problems');
  const engine = createConclusionEngine({
    ...DEFAULT_ENGINE_SETTINGS,
    modelPath: embedded.modelPath,
    loras: embedded.loras,
    gpu: false,
    threads: 1,
    temperature: 0,
    seed: 42,
  });
  let result;
  try {
    await engine.load();
    result = await runEval({
      cases,
      predictor: enginePredictor(engine, 'the shipped model'),
      scorer: createMetricsScorer(),
      scoreOptions: { stem: false },
      clinical: judge,
    });
  } finally {
    await engine.dispose();
  }
  const clinical = result.clinical?.summary as IuProblemMeasures | undefined;
  assert.ok(clinical && clinical.measure === 'iu-problems' && result.corpus);
  const stated = clinical.prediction.problemsStated;
  const byRadiologists = clinical.reference.problemsStated;
  const calledNormal = clinical.prediction.calledNormal;
  const predictions = createHash('sha256')
    .update(result.cases.map((c) => `${c.evalCase.id}\t${c.prediction}`).join('\n'))
    .digest('hex')
    .slice(0, 16);
  console.log(
    [
      `IU test, ${result.n} studies: predicted in ${result.seconds.predict.toFixed(1)} s (${((result.seconds.predict * 1000) / result.n).toFixed(0)} ms a study), scored in ${result.seconds.score.toFixed(1)} s`,
      `  labelled problems stated ${stated.share.toFixed(3)} (${stated.count}/${stated.of}); radiologists' impressions ${byRadiologists.share.toFixed(3)} (${byRadiologists.count}/${byRadiologists.of})`,
      `  abnormal studies called normal ${calledNormal.count}/${calledNormal.of} (${(calledNormal.share * 100).toFixed(1)}%): ${clinical.calledNormalIds.join(', ')}`,
      `  ROUGE-L ${result.corpus.rougeL.toFixed(4)}; sources ${JSON.stringify(result.sources)}; predictions sha256 ${predictions}`,
    ].join('\n'),
  );
  assert.ok(
    stated.share >= PROBLEMS_STATED_VS_RADIOLOGISTS * byRadiologists.share,
    `labelled problems stated ${stated.share.toFixed(3)} < ${PROBLEMS_STATED_VS_RADIOLOGISTS} × the radiologists' ${byRadiologists.share.toFixed(3)}`,
  );
  assert.ok(calledNormal.share <= CALLED_NORMAL_CEILING, `${(calledNormal.share * 100).toFixed(1)}% of abnormal studies called normal (at most 5%)`);
  assert.ok(result.corpus.rougeL >= ROUGE_L_FLOOR, `ROUGE-L ${result.corpus.rougeL.toFixed(4)} under the floor ${ROUGE_L_FLOOR}`);
});
