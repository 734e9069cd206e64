/**
 * The clinical measures of an evaluation, as `metrics.json` holds them under `clinical` (key order fixed by the
 * builders, so the same input gives the same bytes) and as the terminal and `report.html` show them.
 */

/** `count` of `of`, and their ratio (0 when `of` is 0). */
export interface Share {
  count: number;
  of: number;
  share: number;
}

export function share(count: number, of: number): Share {
  return { count, of, share: of === 0 ? 0 : count / of };
}

/** IU chest radiographs, judged against the IU indexers' labelled problems. */
export interface IuProblemMeasures {
  measure: 'iu-problems';
  /** Cases evaluated. */
  studies: number;
  /** Cases without a row in the labels file (left out of every measure). */
  unlabelled: number;
  /** Labelled cases with at least one problem. */
  abnormal: number;
  /** Labelled problems of the abnormal studies: the denominator of `problemsStated`. */
  problems: number;
  prediction: {
    /** Labelled problems the prediction states (micro average over problems). */
    problemsStated: Share;
    /** Labelled problems the reference impression states that the prediction states too. */
    impressionProblemsStated: Share;
    /** Studies whose reference states a labelled problem and whose prediction states none and reads as normal. */
    calledNormal: Share;
  };
  /** The radiologists' impressions, measured the same way. */
  reference: { problemsStated: Share };
  /** The findings text: what the synonym table finds where the problem was described (a ceiling). */
  findings: { problemsStated: Share };
  /** Per problem, most frequent first: how many studies have it and how many of them each text states it in. */
  perProblem: IuProblemRow[];
  /** Ids of the studies called normal. */
  calledNormalIds: string[];
  /** MeSH labels whose Problems term the synonym table does not know (should stay empty). */
  unmapped: string[];
}

export interface IuProblemRow {
  problem: string;
  label: string;
  n: number;
  prediction: number;
  reference: number;
  findings: number;
}

/** MedPix teaching cases: does the conclusion state the finding behind the case diagnosis? */
export interface MedpixDiagnosisMeasures {
  measure: 'medpix-diagnosis';
  cases: number;
  /** Cases whose diagnosis maps to at least one concept of the table. */
  scorable: number;
  /** Scorable cases whose prediction states a concept of the diagnosis. */
  prediction: Share;
  /** The same for the findings text itself: the ceiling. */
  findings: Share;
  /** Ids of the cases whose diagnosis maps to no concept. */
  notScorable: string[];
}

export interface LabelScores {
  tp: number;
  fp: number;
  fn: number;
  recall: number;
  precision: number;
}

export function labelScores(tp: number, fp: number, fn: number): LabelScores {
  return { tp, fp, fn, recall: tp + fn === 0 ? 0 : tp / (tp + fn), precision: tp + fp === 0 ? 0 : tp / (tp + fp) };
}

/** CT-RATE chest CT: the 18 abnormality labels of each report against what the conclusion states. */
export interface CtRateLabelMeasures {
  measure: 'ct-rate-labels';
  cases: number;
  /** Positive labels over all cases. */
  positives: number;
  /** Micro average over labels and cases. */
  prediction: LabelScores;
  reference: LabelScores;
  /** The findings text: how much of the labels the synonym table finds where they were described (a ceiling). */
  findings: LabelScores;
  perLabel: Array<{ label: string; positives: number; prediction: LabelScores; reference: LabelScores; findings: LabelScores }>;
}

export type ClinicalMeasures = IuProblemMeasures | MedpixDiagnosisMeasures | CtRateLabelMeasures;

/**
 * The clinical reading of one case (`predictions.jsonl` `clinical`): what the case is judged on — labelled problems
 * (IU), the diagnosis' concepts (MedPix), positive labels (CT-RATE) — and what each text states of the table.
 */
export interface CaseClinical {
  expected: string[];
  /** IU, MedPix: the expected concepts the prediction states; CT-RATE: every label it states. */
  prediction: string[];
  reference?: string[];
  findings?: string[];
  calledNormal?: boolean;
}

/** The clinical measures of a run: the summary and each case's reading (undefined where a case is not judged). */
export interface ClinicalOutcome {
  summary: ClinicalMeasures;
  perCase: Array<CaseClinical | undefined>;
}

/** A case as the clinical measures see it. */
export interface ClinicalCase {
  id: string;
  findings: string;
  reference: string;
  prediction: string;
  diagnosis?: string | undefined;
  labels?: Readonly<Record<string, number>> | undefined;
}

/** Something that judges a whole evaluation clinically (one for each kind of data). */
export interface ClinicalJudge {
  /** What the measures are, for the output: "IU labelled problems (indiana_reports.csv)". */
  readonly description: string;
  judge(cases: readonly ClinicalCase[]): ClinicalOutcome;
}
