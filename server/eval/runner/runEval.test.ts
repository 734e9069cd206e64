import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeMedpixCases } from '../clinical/medpixDiagnosis.ts';
import type { ClinicalJudge } from '../clinical/clinicalResult.ts';
import type { EvalCase } from './evalCase.ts';
import { iuPairCase, medpixCase } from './readEvalData.ts';
import { renderEvalReport } from './reportHtml.ts';
import { countSources, metricsJson, predictionRecords, runEval, type PredictedConclusion, type Predictor, type Scorer } from './runEval.ts';

/** A scorer that counts what it was asked: ROUGE-1 is 1 for an exact match, else 0. */
function fakeScorer(calls: { n: number }): Scorer {
  return {
    async score(pairs) {
      calls.n++;
      const perPair = pairs.map((p) => {
        const same = p.prediction === p.reference ? 1 : 0;
        return { rouge1: same, rouge2: same, rougeL: same, rougeLsum: same, bleu: same, meteor: same };
      });
      const mean = perPair.reduce((sum, p) => sum + p.rouge1, 0) / Math.max(1, perPair.length);
      return { corpus: { n: pairs.length, rouge1: mean, rouge2: mean, rougeL: mean, rougeLsum: mean, bleu: mean, meteor: mean }, pairs: perPair };
    },
    corpusBleu: () => 0,
  };
}

/** A predictor that says where each conclusion came from, as a guarded model predictor will. */
const sourcedPredictor: Predictor = {
  description: 'fake guarded model',
  async predict(evalCase): Promise<PredictedConclusion | string> {
    if (evalCase.id === 'a') return { text: 'Normal chest.', source: 'model' };
    if (evalCase.id === 'b') return { text: 'Right lower lobe pneumonia.', source: 'composed' };
    if (evalCase.id === 'c') return { text: 'Small effusion.', source: 'model-corrected' };
    return { text: 'Normal chest.', source: 'model' };
  },
};

const iu = (id: string, findings: string, impression: string): EvalCase => iuPairCase({ id, exam: 'XR chest', findings, impression });

test('predictions may carry a source: counted in the result, metrics.json and report.html, kept in predictions.jsonl', async () => {
  const cases = [
    iu('a', 'Clear lungs.', 'Normal chest.'),
    iu('b', 'Consolidation.', 'Pneumonia.'),
    iu('c', 'Effusion.', 'Effusion.'),
    iu('d', 'Clear.', 'Normal chest.'),
  ];
  const result = await runEval({ cases, predictor: sourcedPredictor, scorer: fakeScorer({ n: 0 }), scoreOptions: { stem: false } });
  assert.deepEqual(result.sources, { model: 2, 'model-corrected': 1, composed: 1 });
  assert.deepEqual(Object.keys(result.sources!), ['model', 'model-corrected', 'composed']);
  const records = predictionRecords(result);
  assert.deepEqual(
    records.map((r) => r.source),
    ['model', 'composed', 'model-corrected', 'model'],
  );
  const metrics = JSON.parse(metricsJson(result.corpus!, { sources: result.sources }));
  assert.deepEqual(Object.keys(metrics), ['n', 'rouge1', 'rouge2', 'rougeL', 'rougeLsum', 'bleu', 'meteor', 'sources']);
  assert.deepEqual(metrics.sources, { model: 2, 'model-corrected': 1, composed: 1 });
  const html = renderEvalReport(result, { predictor: sourcedPredictor.description, data: 'x', scoreOptions: { stem: false }, corpusBleu: () => 0 });
  assert.match(html, /predictions by source: model 2, model-corrected 1, composed 1/);
  assert.match(html, /<span class="source">composed<\/span>/);
  // The score distribution has one series per source.
  assert.deepEqual(JSON.parse(/id="chart-data">([^<]*)</.exec(html)![1]!).predictors, ['model', 'model-corrected', 'composed']);
  assert.match(html, /No clinical measures for this data\./);
});

test('plain-text predictions have no source; unknown sources follow the known ones alphabetically', () => {
  assert.equal(countSources([{}, { source: undefined }]), undefined);
  assert.deepEqual(countSources([{ source: 'zeta' }, { source: 'composed' }, { source: 'alpha' }, { source: 'model' }]), {
    model: 1,
    composed: 1,
    alpha: 1,
    zeta: 1,
  });
});

test('data without reference conclusions: no text scoring at all, the clinical judge still runs', async () => {
  const calls = { n: 0 };
  const cases = [medpixCase({ id: 'm1', modality: 'CT', region: 'Head', findings: 'Enhancing mass.', diagnosis: 'Glioblastoma' })];
  const judge: ClinicalJudge = { description: 'MedPix', judge: judgeMedpixCases };
  const predictor: Predictor = { description: 'echo', predict: async (c) => c.findings };
  const result = await runEval({ cases, predictor, scorer: fakeScorer(calls), scoreOptions: { stem: false }, clinical: judge });
  assert.equal(calls.n, 0);
  assert.equal(result.corpus, undefined);
  assert.equal(result.n, 1);
  assert.equal(result.sources, undefined);
  assert.deepEqual(result.clinical?.summary.measure, 'medpix-diagnosis');
  assert.deepEqual(predictionRecords(result)[0]!.clinical, { expected: ['glioma'], prediction: ['glioma'], findings: ['glioma'] });
  assert.equal(
    metricsJson({ n: result.n }, { clinical: result.clinical!.summary }),
    `${JSON.stringify({ n: 1, clinical: result.clinical!.summary }, null, 2)}\n`,
  );
  const html = renderEvalReport(result, { predictor: 'echo', data: 'x', scoreOptions: { stem: false }, corpusBleu: () => 0 });
  assert.match(html, /no reference conclusions: no ROUGE/);
  assert.doesNotMatch(html, /id="chart-data"|uPlot/, 'no score charts without scores');
});
