import { clinicalSection } from './clinicalHtml.ts';
import { escapeHtml } from './htmlText.ts';
import type { EvalResult, PairScores, PredictionPair, ScoredCase, ScoreOptions } from './runEval.ts';
import { scoreChartData, scoreChartsSection } from './scoreCharts.ts';

export { escapeHtml } from './htmlText.ts';

/** What the report says about the run, besides the results. */
export interface EvalReportInfo {
  /** What produced the predictions (`baseline nearest-neighbour`, `model …`). */
  predictor: string;
  /** The data file or folder as given. */
  data: string;
  split?: string | undefined;
  scoreOptions: ScoreOptions;
  /** Corpus BLEU / 100 of a subset, for the by-group tables. */
  corpusBleu(pairs: readonly PredictionPair[]): number;
  /** Cases shown in each of the worst and best lists; 10 by default. */
  shown?: number;
  /** Why there are no clinical measures, when there are none ("no IU labels beside the data"). */
  clinicalMissing?: string | undefined;
}

type MetricKey = keyof PairScores;

const METRICS: ReadonlyArray<[MetricKey, string]> = [
  ['rouge1', 'ROUGE-1'],
  ['rouge2', 'ROUGE-2'],
  ['rougeL', 'ROUGE-L'],
  ['rougeLsum', 'ROUGE-Lsum'],
  ['bleu', 'BLEU'],
  ['meteor', 'METEOR'],
  ['bertscore', 'BERTScore F1'],
];

/**
 * The evaluation as one self-contained HTML page: styles, scripts and the charting library (uPlot) inline, no external
 * URL of any kind, so it opens offline and can be archived or mailed with the results. Deterministic: the same results give the same
 * bytes (no timestamps).
 */
export function renderEvalReport(result: EvalResult, info: EvalReportInfo): string {
  const settings = [
    `predictions: ${info.predictor}`,
    `data: ${info.data}${info.split ? ` (split ${info.split})` : ''}`,
    `cases: ${result.n}`,
    ...(result.sources
      ? [
          `predictions by source: ${Object.entries(result.sources)
            .map(([source, n]) => `${source} ${n}`)
            .join(', ')}`,
        ]
      : []),
    `ROUGE stemming: ${info.scoreOptions.stem ? 'on' : 'off'}`,
    `BERTScore: ${info.scoreOptions.bertscoreModel ? `on (${info.scoreOptions.bertscoreModel})` : 'off'}`,
  ];
  const clinical = clinicalSection(result, info.clinicalMissing);
  const body = result.corpus
    ? textMetricSections(result, info)
    : '<h2>Text metrics</h2>\n<p class="note">This data has no reference conclusions: no ROUGE, BLEU, METEOR or BERTScore.</p>';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Evaluation: ${escapeHtml(info.predictor)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Conclusion generation: evaluation</h1>
<ul class="settings">${settings.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>
${clinical}
${body}
<script>${SCRIPT}</script>
</body>
</html>
`;
}

/** Corpus scores, distributions, groups and the worst and best cases by each text metric. */
function textMetricSections(result: EvalResult, info: EvalReportInfo): string {
  const corpus = result.corpus!;
  const scoresOf = (c: ScoredCase) => c.scores ?? ZERO_SCORES;
  const metrics = METRICS.filter(([key]) => key !== 'bertscore' || (result.cases.every((c) => c.scores?.bertscore !== undefined) && result.cases.length > 0));
  const shown = info.shown ?? 10;
  const corpusRows = metrics
    .map(([key, label]) => {
      const value = corpus[key];
      return `<tr><th>${label}</th><td>${value === undefined ? '–' : value.toFixed(4)}</td></tr>`;
    })
    .join('');
  const charts = scoreChartsSection(scoreChartData(result, metrics, info.predictor));
  const byModality = groupTable(
    'Modality',
    groupBy(result.cases, (c) => c.evalCase.modality || 'unknown'),
    metrics,
    info,
  );
  const byExam = groupTable(
    'Exam',
    topGroups(
      groupBy(result.cases, (c) => foldSpace(c.evalCase.exam ?? '') || 'unknown'),
      10,
    ),
    metrics,
    info,
  );
  const defaultMetric: MetricKey = 'rougeL';
  const options = metrics.map(([key, label]) => `<option value="${key}"${key === defaultMetric ? ' selected' : ''}>${label}</option>`).join('');
  const caseLists = metrics
    .map(([key, label]) => {
      const ranked = result.cases.map((c, index) => ({ c, index, value: scoresOf(c)[key] ?? 0 })).sort((a, b) => a.value - b.value || a.index - b.index);
      const worst = ranked.slice(0, shown);
      const best = [...ranked].sort((a, b) => b.value - a.value || a.index - b.index).slice(0, shown);
      const cards = (list: typeof ranked) => list.map(({ c, value }) => caseCard(c, label, value)).join('\n');
      return `<div class="cases" data-metric="${key}"${key === defaultMetric ? '' : ' hidden'}>
<section><h3>Worst ${worst.length} by ${label}</h3>${cards(worst)}</section>
<section><h3>Best ${best.length} by ${label}</h3>${cards(best)}</section>
</div>`;
    })
    .join('\n');
  return `<h2>Corpus scores</h2>
<p class="note">ROUGE, METEOR and BERTScore: mean of per-pair F1. BLEU: corpus BLEU (sacrebleu) / 100. All in 0–1.</p>
<table class="scores">${corpusRows}</table>
${charts}
<h2>By modality</h2>
${byModality}
<h2>By exam title (ten most frequent)</h2>
${byExam}
<h2>Worst and best cases</h2>
<label>Rank by <select id="metric">${options}</select></label>
${caseLists}`;
}

const ZERO_SCORES: PairScores = { rouge1: 0, rouge2: 0, rougeL: 0, rougeLsum: 0, bleu: 0, meteor: 0 };

function caseCard(scored: ScoredCase, label: string, value: number): string {
  const { evalCase } = scored;
  const title = [evalCase.id, evalCase.exam]
    .filter(Boolean)
    .map((s) => escapeHtml(s!))
    .join(' · ');
  const source = scored.source ? `<span class="source">${escapeHtml(scored.source)}</span>` : '';
  return `<article class="case">
<header><span>${title}</span>${source}<span class="score">${label} ${value.toFixed(3)}</span></header>
<details><summary>Findings</summary><p>${escapeHtml(evalCase.findings)}</p></details>
<div class="pair"><div><h4>Reference</h4><p>${escapeHtml(evalCase.reference)}</p></div><div><h4>Prediction</h4><p>${escapeHtml(scored.prediction)}</p></div></div>
</article>`;
}

function groupTable(title: string, groups: Array<[string, ScoredCase[]]>, metrics: ReadonlyArray<[MetricKey, string]>, info: EvalReportInfo): string {
  const head = `<tr><th>${escapeHtml(title)}</th><th>n</th>${metrics.map(([, label]) => `<th>${label}</th>`).join('')}</tr>`;
  const rows = groups.map(([name, cases]) => {
    const cells = metrics.map(([key]) => {
      const value =
        key === 'bleu'
          ? info.corpusBleu(cases.map((c) => ({ prediction: c.prediction, reference: c.evalCase.reference })))
          : mean(cases.map((c) => c.scores?.[key] ?? 0));
      return `<td>${value.toFixed(4)}</td>`;
    });
    return `<tr><th>${escapeHtml(name)}</th><td>${cases.length}</td>${cells.join('')}</tr>`;
  });
  return `<table class="groups">${head}${rows.join('')}</table>
<p class="note">BLEU here is the corpus BLEU of each group's pairs; the other columns are means of per-pair scores.</p>`;
}

function groupBy(cases: readonly ScoredCase[], key: (c: ScoredCase) => string): Array<[string, ScoredCase[]]> {
  const groups = new Map<string, ScoredCase[]>();
  for (const c of cases) {
    const name = key(c);
    const list = groups.get(name);
    if (list) list.push(c);
    else groups.set(name, [c]);
  }
  return [...groups.entries()].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function topGroups(groups: Array<[string, ScoredCase[]]>, count: number): Array<[string, ScoredCase[]]> {
  if (groups.length <= count + 1) return groups;
  const rest = groups.slice(count).flatMap(([, cases]) => cases);
  return [...groups.slice(0, count), [`other exam titles (${groups.length - count})`, rest]];
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length;
}

function foldSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1200px; padding: 0 16px; color: #1d2329; background: #fff; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 28px; border-bottom: 1px solid #d0d7de; } h3 { font-size: 15px; }
.note { color: #57606a; font-size: 12px; }
.settings { color: #57606a; padding-left: 18px; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid #d0d7de; padding: 3px 9px; text-align: right; }
th:first-child { text-align: left; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; margin-top: 8px; }
.cases { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.cases[hidden] { display: none; }
.case { border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 10px; margin-bottom: 10px; }
.case header { display: flex; justify-content: space-between; font-weight: 600; font-size: 12px; }
.case .score { color: #8250df; }
.case .source { color: #57606a; font-weight: normal; }
.count { color: #57606a; font-size: 12px; }
tr.pass td { background: #dafbe1; } tr.fail td { background: #ffebe9; }
.case details { font-size: 12px; color: #3d444d; margin: 4px 0; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; }
.pair h4 { margin: 4px 0 2px; font-size: 12px; color: #57606a; }
.pair p { margin: 0; white-space: pre-wrap; }
@media (prefers-color-scheme: dark) { body { background: #0d1117; color: #e6edf3; } tr.pass td { background: #12361f; } tr.fail td { background: #4a1518; } th, td, .case { border-color: #30363d; } .case details { color: #c9d1d9; } }
`;

const SCRIPT = `
(function () {
  var select = document.getElementById('metric');
  if (!select) return;
  select.addEventListener('change', function () {
    var lists = document.querySelectorAll('.cases');
    for (var i = 0; i < lists.length; i++) lists[i].hidden = lists[i].getAttribute('data-metric') !== select.value;
  });
})();
`;
