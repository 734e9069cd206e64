import { escapeHtml } from './htmlText.ts';
import type { EvalResult, PairScores } from './runEval.ts';
import { uplotAssets } from './uplotAssets.ts';

/**
 * The charts of report.html, drawn in the page by uPlot (inlined, see uplotAssets.ts) from numbers computed here:
 * the distribution of per-pair scores for each predictor (the prediction sources of a guarded model — model,
 * model-corrected, composed — or the one predictor), and the scores by the length of the reference conclusion.
 */

type MetricKey = keyof PairScores;

/** Histogram bins of width 0.05 over 0–1; the last one is closed ([0.95, 1]). */
export const SCORE_BINS = 20;
/** Reference lengths in words, as the left edges of the length groups whose mean score is drawn. */
export const LENGTH_GROUPS = [1, 6, 11, 21, 41, 81] as const;

export interface ScoreChartData {
  metrics: Array<{ key: MetricKey; label: string }>;
  /** The predictors compared: prediction sources in `EvalResult.sources` order, or the run's predictor. */
  predictors: string[];
  /** Left edges of the bins, then 1 (the stepped outline closes there). */
  bins: number[];
  /** Per metric, per predictor: cases in each bin (the last count repeated for the closing edge). */
  histograms: Partial<Record<MetricKey, number[][]>>;
  /** Reference lengths in words, ascending; the scatter's x. */
  lengths: number[];
  /** Case ids in the order of `lengths` (the points' tooltips). */
  ids: string[];
  /** Per metric, per predictor: each case's score where it is that predictor's, else null; in `lengths` order. */
  byLength: Partial<Record<MetricKey, Array<Array<number | null>>>>;
  /** Per metric: the mean score of the case's length group (`LENGTH_GROUPS`), in `lengths` order. */
  lengthMeans: Partial<Record<MetricKey, number[]>>;
}

export function scoreChartData(result: EvalResult, metrics: ReadonlyArray<readonly [MetricKey, string]>, predictor: string): ScoreChartData {
  const predictors = result.sources ? Object.keys(result.sources) : [predictor];
  const predictorOf = (i: number) => (result.sources ? predictors.indexOf(result.cases[i]!.source ?? '') : 0);
  const order = result.cases.map((c, index) => ({ index, words: wordCount(c.evalCase.reference) })).sort((a, b) => a.words - b.words || a.index - b.index);
  // The last group whose left edge the length reaches (an empty reference counts with the shortest).
  const groupOf = (words: number) => LENGTH_GROUPS.reduce((group, edge, i) => (words >= edge ? i : group), 0);
  const data: ScoreChartData = {
    metrics: metrics.map(([key, label]) => ({ key, label })),
    predictors,
    bins: Array.from({ length: SCORE_BINS + 1 }, (_, i) => round(i / SCORE_BINS)),
    histograms: {},
    lengths: order.map((o) => o.words),
    ids: order.map((o) => result.cases[o.index]!.evalCase.id),
    byLength: {},
    lengthMeans: {},
  };
  for (const [key] of metrics) {
    const score = (i: number) => result.cases[i]!.scores?.[key] ?? 0;
    const counts = predictors.map(() => new Array<number>(SCORE_BINS).fill(0));
    result.cases.forEach((_, i) => {
      const p = predictorOf(i);
      if (p >= 0) counts[p]![Math.min(SCORE_BINS - 1, Math.max(0, Math.floor(score(i) * SCORE_BINS)))]!++;
    });
    data.histograms[key] = counts.map((c) => [...c, c[SCORE_BINS - 1]!]);
    data.byLength[key] = predictors.map((_, p) => order.map((o) => (predictorOf(o.index) === p ? round(score(o.index)) : null)));
    const sums = new Map<number, { sum: number; n: number }>();
    for (const o of order) {
      const group = sums.get(groupOf(o.words)) ?? { sum: 0, n: 0 };
      group.sum += score(o.index);
      group.n++;
      sums.set(groupOf(o.words), group);
    }
    data.lengthMeans[key] = order.map((o) => {
      const group = sums.get(groupOf(o.words))!;
      return round(group.sum / group.n);
    });
  }
  return data;
}

/** The charts' section: a metric picker, two uPlot charts, their data as JSON, uPlot itself and the code drawing them. */
export function scoreChartsSection(data: ScoreChartData): string {
  const uplot = uplotAssets();
  const options = data.metrics.map(({ key, label }) => `<option value="${key}"${key === 'rougeL' ? ' selected' : ''}>${escapeHtml(label)}</option>`).join('');
  return `<h2>Score distributions and scores by reference length</h2>
<p class="note">Per-pair scores (for BLEU, sentence BLEU). Left: how many cases fall in each bin of width 0.05, for each predictor. Right: each case's score against the length of its reference conclusion in words, and the mean score of cases of like length (1–5, 6–10, 11–20, 21–40, 41–80, more than 80 words).</p>
<label>Metric <select id="chart-metric">${options}</select></label>
<div class="charts"><div id="chart-distribution"></div><div id="chart-length"></div></div>
<noscript><p class="note">The charts need JavaScript; the tables below do not.</p></noscript>
<script type="application/json" id="chart-data">${jsonForScript(data)}</script>
<style>/* ${uplot.notice} */\n${uplot.style}</style>
<script>/* ${uplot.notice} */\n${uplot.script}</script>
<script>${CHART_SCRIPT}</script>`;
}

/** JSON that cannot end the script element it sits in, nor open a comment. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function wordCount(text: string): number {
  const words = text.trim().split(/\s+/);
  return words[0] === '' ? 0 : words.length;
}

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}

const CHART_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('chart-data').textContent);
  var select = document.getElementById('chart-metric');
  var colours = ['#4f7cac', '#c0392b', '#2e8b57', '#8250df', '#b7791f', '#57606a'];
  var dark = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
  var ink = dark ? '#c9d1d9' : '#3d444d';
  var grid = dark ? '#30363d' : '#e5e8eb';
  var axis = function (label) { return { label: label, stroke: ink, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } }; };
  var charts = [];
  function labelOf(key) { for (var i = 0; i < data.metrics.length; i++) if (data.metrics[i].key === key) return data.metrics[i].label; return key; }
  function draw() {
    for (var i = 0; i < charts.length; i++) charts[i].destroy();
    charts = [];
    var key = select.value;
    var label = labelOf(key);
    var histogram = data.histograms[key];
    charts.push(new uPlot({
      title: label + ': cases by score',
      width: 540, height: 280,
      scales: { x: { time: false, range: [0, 1] } },
      axes: [axis(label), axis('cases')],
      series: [{ label: label }].concat(data.predictors.map(function (name, p) {
        return { label: name, stroke: colours[p % colours.length], fill: colours[p % colours.length] + '33', width: 1.5, paths: uPlot.paths.stepped({ align: 1 }), points: { show: false } };
      })),
    }, [data.bins].concat(histogram), document.getElementById('chart-distribution')));
    var points = data.byLength[key];
    charts.push(new uPlot({
      title: label + ' by reference length',
      width: 540, height: 280,
      scales: { x: { time: false }, y: { range: [0, 1] } },
      axes: [axis('reference conclusion, words'), axis(label)],
      series: [{ label: 'words' }].concat(data.predictors.map(function (name, p) {
        return { label: name, stroke: colours[p % colours.length], paths: function () { return null; }, points: { show: true, size: 5, fill: colours[p % colours.length] } };
      })).concat([{ label: 'mean of like length', stroke: ink, width: 1.5, dash: [5, 4], paths: uPlot.paths.stepped({ align: 1 }), points: { show: false } }]),
    }, [data.lengths].concat(points).concat([data.lengthMeans[key]]), document.getElementById('chart-length')));
  }
  select.addEventListener('change', draw);
  draw();
})();
`;
