import { share, type CaseClinical, type ClinicalCase, type ClinicalJudge, type IuProblemMeasures, type IuProblemRow } from './clinicalResult.ts';
import { ConceptMatcher } from './conceptMatcher.ts';
import { iuUid, type IuLabelTable } from './iuLabels.ts';
import { IU_CONCEPTS } from './iuProblemSynonyms.ts';
import { readsNormal } from './normalReading.ts';

let iuMatcher: ConceptMatcher | undefined;

/** The IU synonym table, compiled once. */
export function iuConceptMatcher(): ConceptMatcher {
  return (iuMatcher ??= new ConceptMatcher(IU_CONCEPTS));
}

const LABELS = new Map(IU_CONCEPTS.map((c) => [c.id, c.label]));

/**
 * Judges IU predictions against the indexers' labels (`labels`, by uid):
 * - `problemsStated`: of the labelled problems of abnormal studies, the share the text states (micro average);
 * - `impressionProblemsStated`: of the labelled problems the reference impression states, the share the prediction
 *   states too (what the radiologist found worth concluding);
 * - `calledNormal`: of the studies whose reference states at least one labelled problem, the share whose prediction
 *   states none and reads as normal (`normalReading.ts`) — the safety measure;
 * - per problem, how often the prediction, the reference and the findings state it.
 */
export function iuProblemJudge(labels: IuLabelTable, description: string): ClinicalJudge {
  return { description, judge: (cases) => judgeIuCases(cases, labels) };
}

export function judgeIuCases(cases: readonly ClinicalCase[], labels: IuLabelTable): { summary: IuProblemMeasures; perCase: Array<CaseClinical | undefined> } {
  const matcher = iuConceptMatcher();
  let unlabelled = 0;
  let abnormal = 0;
  let problems = 0;
  let predicted = 0;
  let referenced = 0;
  let described = 0;
  let impressionProblems = 0;
  let impressionPredicted = 0;
  let referenceAbnormal = 0;
  const calledNormalIds: string[] = [];
  const rows = new Map<string, IuProblemRow>();
  const unmapped = new Set<string>();
  const perCase = cases.map((c): CaseClinical | undefined => {
    const uid = iuUid(c.id);
    const study = uid === undefined ? undefined : labels.get(uid);
    if (!study) {
      unlabelled++;
      return undefined;
    }
    for (const label of study.unmapped) unmapped.add(label);
    const expected = study.problems;
    const byPrediction = matcher.stated(c.prediction);
    const byReference = matcher.stated(c.reference);
    const byFindings = matcher.stated(c.findings);
    const prediction = expected.filter((p) => byPrediction.has(p));
    const reference = expected.filter((p) => byReference.has(p));
    const findings = expected.filter((p) => byFindings.has(p));
    let calledNormal = false;
    if (expected.length > 0) {
      abnormal++;
      problems += expected.length;
      predicted += prediction.length;
      referenced += reference.length;
      described += findings.length;
      impressionProblems += reference.length;
      impressionPredicted += reference.filter((p) => byPrediction.has(p)).length;
      for (const problem of expected) {
        let row = rows.get(problem);
        if (!row) rows.set(problem, (row = { problem, label: LABELS.get(problem) ?? problem, n: 0, prediction: 0, reference: 0, findings: 0 }));
        row.n++;
        if (byPrediction.has(problem)) row.prediction++;
        if (byReference.has(problem)) row.reference++;
        if (byFindings.has(problem)) row.findings++;
      }
      if (reference.length > 0) {
        referenceAbnormal++;
        if (prediction.length === 0 && readsNormal(c.prediction, matcher)) {
          calledNormal = true;
          calledNormalIds.push(c.id);
        }
      }
    }
    return { expected: [...expected], prediction, reference, findings, calledNormal };
  });
  const summary: IuProblemMeasures = {
    measure: 'iu-problems',
    studies: cases.length,
    unlabelled,
    abnormal,
    problems,
    prediction: {
      problemsStated: share(predicted, problems),
      impressionProblemsStated: share(impressionPredicted, impressionProblems),
      calledNormal: share(calledNormalIds.length, referenceAbnormal),
    },
    reference: { problemsStated: share(referenced, problems) },
    findings: { problemsStated: share(described, problems) },
    perProblem: [...rows.values()].sort((a, b) => b.n - a.n || (a.problem < b.problem ? -1 : a.problem > b.problem ? 1 : 0)),
    calledNormalIds,
    unmapped: [...unmapped].sort(),
  };
  return { summary, perCase };
}
