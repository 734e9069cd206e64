import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import type { EvalCase } from './evalCase.ts';
import { iuPairCase } from './readEvalData.ts';
import type { EvalResult, PairScores, PredictionSource } from './runEval.ts';
import { jsonForScript, scoreChartData, scoreChartsSection, type ScoreChartData } from './scoreCharts.ts';

const scores = (value: number): PairScores => ({ rouge1: value, rouge2: value / 2, rougeL: value, rougeLsum: value, bleu: value / 4, meteor: value });
const scored = (id: string, reference: string, value: number, source?: PredictionSource) => ({
  evalCase: iuPairCase({ id, exam: 'XR chest', findings: 'Clear lungs.', impression: reference }) as EvalCase,
  prediction: 'No acute disease.',
  scores: scores(value),
  ...(source ? { source } : {}),
});
const METRICS = [
  ['rougeL', 'ROUGE-L'],
  ['bleu', 'BLEU'],
] as const;

function resultOf(cases: ReturnType<typeof scored>[], sources?: Record<string, number>): EvalResult {
  return { n: cases.length, cases, sources, seconds: { predict: 0, score: 0 } } as EvalResult;
}

test('distribution per predictor: each prediction source is a series, binned by 0.05 over 0–1 with 1 in the last bin', () => {
  const result = resultOf(
    [
      scored('a', 'Normal chest.', 0.12, 'model'),
      scored('b', 'No acute cardiopulmonary process.', 1, 'model'),
      scored('c', 'Effusion.', 0.12, 'composed'),
      scored('d', 'Normal.', 0, 'model'),
    ],
    { model: 3, composed: 1 },
  );
  const data = scoreChartData(result, METRICS, 'model x');
  assert.deepEqual(data.predictors, ['model', 'composed']);
  assert.equal(data.bins.length, 21);
  assert.equal(data.bins[1], 0.05);
  assert.equal(data.bins.at(-1), 1);
  const [model, composed] = data.histograms.rougeL!;
  assert.equal(model![0], 1, '0 in the first bin');
  assert.equal(model![2], 1, '0.12 in [0.10, 0.15)');
  assert.equal(model![19], 1, '1 in the closed last bin');
  assert.equal(model![20], model![19], 'the outline closes at 1 with the last count');
  assert.equal(composed![2], 1);
  assert.equal(model!.slice(0, 20).reduce((a, b) => a + b, 0) + composed!.slice(0, 20).reduce((a, b) => a + b, 0), 4, 'every case counted once');
  // BLEU is another metric, binned on its own scores (value / 4).
  assert.equal(data.histograms.bleu![0]![5], 1);
});

test('scores by reference length: cases in order of words, each under its predictor, and the mean of like lengths', () => {
  const result = resultOf([
    scored('long', 'No acute cardiopulmonary process is seen on this examination today.', 0.2),
    scored('short', 'Normal chest.', 0.8),
    scored('short2', 'Clear lungs.', 0.4),
  ]);
  const data = scoreChartData(result, METRICS, 'baseline lead-sentence');
  assert.deepEqual(data.predictors, ['baseline lead-sentence'], 'without sources, the run is the one predictor');
  assert.deepEqual(data.lengths, [2, 2, 10]);
  assert.deepEqual(data.ids, ['short', 'short2', 'long']);
  assert.deepEqual(data.byLength.rougeL, [[0.8, 0.4, 0.2]]);
  // 2 words: group 1–5, mean of 0.8 and 0.4; 10 words: group 6–10 alone.
  assert.deepEqual(data.lengthMeans.rougeL, [0.6, 0.6, 0.2]);
});

test('the section holds its data as JSON and uPlot inlined, script and stylesheet, with no URL', () => {
  const result = resultOf([scored('a', 'Normal chest </script><b>.', 0.5, 'model')], { model: 1 });
  const data = scoreChartData(result, METRICS, 'model');
  const html = scoreChartsSection(data);
  const json = /<script type="application\/json" id="chart-data">([^<]*)<\/script>/.exec(html);
  assert.ok(json, 'the chart data sits in a JSON script element');
  assert.deepEqual(JSON.parse(json[1]!) as ScoreChartData, data);
  const require = createRequire(import.meta.url);
  const library = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8').replace(/^\/\*![^*]*\*\/\s*/, '');
  assert.ok(library.length > 40_000 && html.includes(library), 'uPlot.iife.min.js is inlined');
  assert.ok(html.includes(readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8')), 'uPlot.min.css is inlined');
  assert.match(html, /uPlot 1\.6\.32, copyright Leon Sorokin, MIT licence/);
  assert.match(html, /new uPlot\(/);
  assert.match(html, /<select id="chart-metric"><option value="rougeL" selected>ROUGE-L<\/option><option value="bleu">BLEU<\/option><\/select>/);
  assert.doesNotMatch(html, /https?:\/\//);
});

test('JSON in a script element cannot close it', () => {
  const text = jsonForScript({ id: '</script><!-- & \u2028' });
  assert.doesNotMatch(text, /<|>|&|\u2028/);
  assert.deepEqual(JSON.parse(text), { id: '</script><!-- & \u2028' });
});
