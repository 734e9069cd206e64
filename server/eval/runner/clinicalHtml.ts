import type { CtRateLabelMeasures, IuProblemMeasures, LabelScores, MedpixDiagnosisMeasures, Share } from '../clinical/clinicalResult.ts';
import { CALLED_NORMAL_TARGET } from '../clinical/clinicalTable.ts';
import { escapeHtml } from './htmlText.ts';
import type { EvalResult, ScoredCase } from './runEval.ts';

/** Cases listed at most in a clinical case list of the report. */
const LISTED = 50;

/** The clinical section of `report.html`: the measures, per problem or label, and the cases that matter most. */
export function clinicalSection(result: EvalResult, missing?: string): string {
  if (!result.clinical) return `<h2>Clinical measures</h2>\n<p class="note">${escapeHtml(missing ?? 'No clinical measures for this data.')}</p>`;
  const { description, summary } = result.clinical;
  const title = `<h2>Clinical measures</h2>\n<p class="note">${escapeHtml(description)}</p>`;
  switch (summary.measure) {
    case 'iu-problems':
      return `${title}\n${iuSection(summary, result.cases)}`;
    case 'medpix-diagnosis':
      return `${title}\n${medpixSection(summary, result.cases)}`;
    case 'ct-rate-labels':
      return `${title}\n${ctRateSection(summary)}`;
  }
}

function cell(value: Share | undefined): string {
  return value ? `<td>${value.share.toFixed(4)} <span class="count">(${value.count}/${value.of})</span></td>` : '<td>–</td>';
}

function iuSection(m: IuProblemMeasures, cases: readonly ScoredCase[]): string {
  const calledNormal = m.prediction.calledNormal;
  const verdict = calledNormal.of === 0 ? '' : calledNormal.share <= CALLED_NORMAL_TARGET ? ' class="pass"' : ' class="fail"';
  const summary = `<table class="scores clinical"><tr><th></th><th>prediction</th><th>reference</th><th>findings</th></tr>
<tr><th>problems stated</th>${cell(m.prediction.problemsStated)}${cell(m.reference.problemsStated)}${cell(m.findings.problemsStated)}</tr>
<tr><th>problems of the impression stated</th>${cell(m.prediction.impressionProblemsStated)}<td>–</td><td>–</td></tr>
<tr${verdict}><th>called normal (target ≤ ${CALLED_NORMAL_TARGET.toFixed(2)})</th>${cell(calledNormal)}<td>–</td><td>–</td></tr>
</table>
<p class="note">${m.studies} studies, ${m.abnormal} abnormal with ${m.problems} labelled problems${m.unlabelled ? `, ${m.unlabelled} without labels (left out)` : ''}.
<b>Problems stated</b>: labelled problems of the abnormal studies that the text states (synonym table, negated mentions excluded), micro average.
<b>Problems of the impression stated</b>: of the labelled problems the radiologist's impression states, those the prediction states too.
<b>Called normal</b>: of the ${calledNormal.of} studies whose impression states a labelled problem, those whose prediction states none and reads as normal.
<b>Findings</b>: the same for the findings text, a ceiling for the synonym table.</p>`;
  const ratio = (count: number, n: number) => `<td>${n === 0 ? '–' : (count / n).toFixed(2)}</td>`;
  const perProblem = `<h3>Per problem</h3>
<table class="groups"><tr><th>problem</th><th>n</th><th>prediction</th><th>reference</th><th>findings</th></tr>${m.perProblem
    .map(
      (row) =>
        `<tr><th title="${escapeHtml(row.problem)}">${escapeHtml(row.label)}</th><td>${row.n}</td>${ratio(row.prediction, row.n)}${ratio(row.reference, row.n)}${ratio(row.findings, row.n)}</tr>`,
    )
    .join('')}</table>
<p class="note">Share of the studies labelled with each problem whose text states it.</p>`;
  const normal = cases.filter((c) => c.clinical?.calledNormal);
  const unmapped = m.unmapped.length ? `<p class="note">Labels the synonym table does not know: ${escapeHtml(m.unmapped.join('; '))}</p>` : '';
  return `${summary}\n${unmapped}${perProblem}\n<h3>Studies called normal (${normal.length})</h3>\n${caseList(normal, (c) => `labelled: ${c.clinical!.expected.join(', ')}; the impression states: ${(c.clinical!.reference ?? []).join(', ')}`)}`;
}

function medpixSection(m: MedpixDiagnosisMeasures, cases: readonly ScoredCase[]): string {
  const summary = `<table class="scores clinical"><tr><th></th><th>prediction</th><th>findings (ceiling)</th></tr>
<tr><th>diagnosis stated</th>${cell(m.prediction)}${cell(m.findings)}</tr></table>
<p class="note">${m.cases} cases, ${m.scorable} scorable: the diagnosis names a concept of the table, and the conclusion states it when it states
(not negated) the diagnosis, a synonym or the imaging finding it rests on.${m.notScorable.length ? ` Not scorable: ${escapeHtml(m.notScorable.join(', '))}.` : ''}</p>`;
  const missed = cases.filter((c) => c.clinical && c.clinical.expected.length > 0 && c.clinical.prediction.length === 0);
  return `${summary}\n<h3>Conclusions that do not state the diagnosis (${missed.length})</h3>\n${caseList(missed, (c) => `diagnosis: ${c.evalCase.diagnosis ?? ''} (concepts: ${c.clinical!.expected.join(', ')})`)}`;
}

function ctRateSection(m: CtRateLabelMeasures): string {
  const scores = (s: LabelScores) => `<td>${s.recall.toFixed(4)}</td><td>${s.precision.toFixed(4)}</td>`;
  const summary = `<table class="scores clinical"><tr><th></th><th>recall</th><th>precision</th><th>TP</th><th>FP</th><th>FN</th></tr>${(
    [
      ['prediction', m.prediction],
      ['reference', m.reference],
      ['findings', m.findings],
    ] as const
  )
    .map(([name, s]) => `<tr><th>${name}</th>${scores(s)}<td>${s.tp}</td><td>${s.fp}</td><td>${s.fn}</td></tr>`)
    .join('')}</table>
<p class="note">${m.cases} cases, ${m.positives} positive labels. A label is predicted when the text states it (synonym table, negated mentions excluded); micro average over cases and labels.</p>`;
  const perLabel = `<h3>Per label</h3>
<table class="groups"><tr><th>label</th><th>positives</th><th>prediction R</th><th>prediction P</th><th>reference R</th><th>reference P</th><th>findings R</th><th>findings P</th></tr>${m.perLabel
    .map((row) => `<tr><th>${escapeHtml(row.label)}</th><td>${row.positives}</td>${scores(row.prediction)}${scores(row.reference)}${scores(row.findings)}</tr>`)
    .join('')}</table>`;
  return `${summary}\n${perLabel}`;
}

function caseList(cases: readonly ScoredCase[], note: (c: ScoredCase) => string): string {
  if (cases.length === 0) return '<p class="note">None.</p>';
  const shown = cases.slice(0, LISTED);
  const more = cases.length > shown.length ? `<p class="note">${cases.length - shown.length} more in predictions.jsonl.</p>` : '';
  return (
    shown
      .map((c) => {
        const title = [c.evalCase.id, c.evalCase.exam]
          .filter(Boolean)
          .map((s) => escapeHtml(s!))
          .join(' · ');
        const source = c.source ? `<span class="source">${escapeHtml(c.source)}</span>` : '';
        const reference = c.evalCase.reference ? `<div><h4>Reference</h4><p>${escapeHtml(c.evalCase.reference)}</p></div>` : '';
        return `<article class="case">
<header><span>${title}</span>${source}</header>
<p class="note">${escapeHtml(note(c))}</p>
<details open><summary>Findings</summary><p>${escapeHtml(c.evalCase.findings)}</p></details>
<div class="pair">${reference}<div><h4>Prediction</h4><p>${escapeHtml(c.prediction)}</p></div></div>
</article>`;
      })
      .join('\n') + more
  );
}
