import type { ClinicalMeasures, CtRateLabelMeasures, IuProblemMeasures, LabelScores, MedpixDiagnosisMeasures, Share } from './clinicalResult.ts';

/** The target for `calledNormal` of a model fit to ship: at most one study in twenty whose impression names a problem. */
export const CALLED_NORMAL_TARGET = 0.05;

/** Problems shown in the terminal's per-problem table (report.html shows them all). */
const TOP_PROBLEMS = 12;

/** The clinical measures as aligned text for the terminal, printed before the ROUGE table. */
export function clinicalTable(description: string, measures: ClinicalMeasures): string {
  const head = `Clinical: ${description}\n`;
  switch (measures.measure) {
    case 'iu-problems':
      return head + iuTable(measures);
    case 'medpix-diagnosis':
      return head + medpixTable(measures);
    case 'ct-rate-labels':
      return head + ctRateTable(measures);
  }
}

export function formatShare(value: Share): string {
  return `${value.share.toFixed(4)} (${value.count}/${value.of})`;
}

function iuTable(m: IuProblemMeasures): string {
  const lines = [
    `${m.studies} studies, ${m.abnormal} abnormal with ${m.problems} labelled problems${m.unlabelled ? `, ${m.unlabelled} without labels (left out)` : ''}`,
    ...(m.unmapped.length ? [`labels the synonym table does not know: ${m.unmapped.join('; ')}`] : []),
  ];
  const summary = align([
    ['', 'prediction', 'reference', 'findings'],
    ['problems stated', formatShare(m.prediction.problemsStated), formatShare(m.reference.problemsStated), formatShare(m.findings.problemsStated)],
    ['problems of the impression stated', formatShare(m.prediction.impressionProblemsStated), '', ''],
    [`called normal (target ≤ ${CALLED_NORMAL_TARGET.toFixed(2)})`, formatShare(m.prediction.calledNormal), '', ''],
  ]);
  const shown = m.perProblem.slice(0, TOP_PROBLEMS);
  const ratio = (count: number, n: number) => (n === 0 ? '–' : (count / n).toFixed(2));
  const perProblem = align([
    ['problem', 'n', 'prediction', 'reference', 'findings'],
    ...shown.map((row) => [row.problem, String(row.n), ratio(row.prediction, row.n), ratio(row.reference, row.n), ratio(row.findings, row.n)]),
  ]);
  const more = m.perProblem.length > shown.length ? `(${m.perProblem.length - shown.length} more problems in report.html)\n` : '';
  return `${lines.join('\n')}\n${summary}\nShare of studies stating each problem, most frequent first:\n${perProblem}${more}`;
}

function medpixTable(m: MedpixDiagnosisMeasures): string {
  const notScorable = m.notScorable.length ? `not scorable: ${m.notScorable.slice(0, 10).join(', ')}${m.notScorable.length > 10 ? ', …' : ''}` : 'all scorable';
  return `${m.cases} cases, ${m.scorable} scorable (${notScorable})\n${align([
    ['', 'prediction', 'findings (ceiling)'],
    ['diagnosis stated', formatShare(m.prediction), formatShare(m.findings)],
  ])}`;
}

function ctRateTable(m: CtRateLabelMeasures): string {
  const recall = (s: LabelScores) => `${s.recall.toFixed(4)} (${s.tp}/${s.tp + s.fn})`;
  const precision = (s: LabelScores) => `${s.precision.toFixed(4)} (${s.tp}/${s.tp + s.fp})`;
  const micro = align([
    ['', 'prediction', 'reference', 'findings'],
    ['label recall (micro)', recall(m.prediction), recall(m.reference), recall(m.findings)],
    ['label precision (micro)', precision(m.prediction), precision(m.reference), precision(m.findings)],
  ]);
  const two = (value: number, of: number) => (of === 0 ? '–' : value.toFixed(2));
  const perLabel = align([
    ['label', 'positives', 'pred R', 'pred P', 'ref R', 'ref P'],
    ...m.perLabel.map((row) => [
      row.label,
      String(row.positives),
      two(row.prediction.recall, row.positives),
      two(row.prediction.precision, row.prediction.tp + row.prediction.fp),
      two(row.reference.recall, row.positives),
      two(row.reference.precision, row.reference.tp + row.reference.fp),
    ]),
  ]);
  return `${m.cases} cases, ${m.positives} positive labels\n${micro}${perLabel}`;
}

/** Predictions per source as one line: "Predictions by source: model 300, composed 42". */
export function sourcesLine(sources: Readonly<Record<string, number>>): string {
  return `Predictions by source: ${Object.entries(sources)
    .map(([source, n]) => `${source} ${n}`)
    .join(', ')}\n`;
}

/** Rows as columns: the first left-aligned, the rest right-aligned, two spaces apart. */
function align(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return (
    rows
      .map((row) =>
        row
          .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}
