import { labelScores, type CaseClinical, type ClinicalCase, type ClinicalJudge, type CtRateLabelMeasures, type LabelScores } from './clinicalResult.ts';
import { ConceptMatcher } from './conceptMatcher.ts';
import { CT_RATE_LABELS } from './ctRateLabelSynonyms.ts';

let ctRateMatcher: ConceptMatcher | undefined;

export function ctRateConceptMatcher(): ConceptMatcher {
  return (ctRateMatcher ??= new ConceptMatcher(CT_RATE_LABELS));
}

/** The label names the synonym table knows, in table order (the order of the per-label table). */
export const CT_RATE_LABEL_NAMES: readonly string[] = CT_RATE_LABELS.map((c) => c.id);

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

/**
 * Label-level recall and precision of conclusions against CT-RATE's labels: a label is predicted when the text
 * states it (synonym table, not negated), true when the report's label is 1. Micro average over every case and
 * label, and per label; the same for the reference impression and for the findings text.
 */
export function ctRateLabelJudge(): ClinicalJudge {
  return { description: 'CT-RATE abnormality labels (label recall and precision)', judge: judgeCtRateCases };
}

export function judgeCtRateCases(cases: readonly ClinicalCase[]): { summary: CtRateLabelMeasures; perCase: Array<CaseClinical | undefined> } {
  const matcher = ctRateConceptMatcher();
  const fresh = (): Record<'prediction' | 'reference' | 'findings', Counts> => ({
    prediction: { tp: 0, fp: 0, fn: 0 },
    reference: { tp: 0, fp: 0, fn: 0 },
    findings: { tp: 0, fp: 0, fn: 0 },
  });
  const perLabel = new Map(CT_RATE_LABEL_NAMES.map((label) => [label, { positives: 0, counts: fresh() }]));
  const micro = fresh();
  let judged = 0;
  let positives = 0;
  const perCase = cases.map((c): CaseClinical | undefined => {
    const labels = c.labels;
    if (!labels) return undefined;
    judged++;
    const expected = CT_RATE_LABEL_NAMES.filter((label) => labels[label] === 1);
    const stated = {
      prediction: matcher.stated(c.prediction),
      reference: matcher.stated(c.reference),
      findings: matcher.stated(c.findings),
    };
    positives += expected.length;
    for (const label of CT_RATE_LABEL_NAMES) {
      const truth: boolean = labels[label] === 1;
      const row = perLabel.get(label)!;
      if (truth) row.positives++;
      for (const text of ['prediction', 'reference', 'findings'] as const) {
        const said: boolean = stated[text].has(label);
        const key: keyof Counts | undefined = said && truth ? 'tp' : said ? 'fp' : truth ? 'fn' : undefined;
        if (!key) continue;
        row.counts[text][key]++;
        micro[text][key]++;
      }
    }
    const inOrder = (set: ReadonlySet<string>) => CT_RATE_LABEL_NAMES.filter((label) => set.has(label));
    return { expected, prediction: inOrder(stated.prediction), reference: inOrder(stated.reference), findings: inOrder(stated.findings) };
  });
  const scores = (c: Counts): LabelScores => labelScores(c.tp, c.fp, c.fn);
  const summary: CtRateLabelMeasures = {
    measure: 'ct-rate-labels',
    cases: judged,
    positives,
    prediction: scores(micro.prediction),
    reference: scores(micro.reference),
    findings: scores(micro.findings),
    perLabel: [...perLabel].map(([label, row]) => ({
      label,
      positives: row.positives,
      prediction: scores(row.counts.prediction),
      reference: scores(row.counts.reference),
      findings: scores(row.counts.findings),
    })),
  };
  return { summary, perCase };
}
