import { share, type CaseClinical, type ClinicalCase, type ClinicalJudge, type MedpixDiagnosisMeasures } from './clinicalResult.ts';
import { ConceptMatcher } from './conceptMatcher.ts';
import { FINDING_CLASSES, MEDPIX_CONCEPTS } from './medpixConcepts.ts';

let compiled: { diagnosis: ConceptMatcher; statement: ConceptMatcher } | undefined;

/** The concept table compiled twice: its diagnosis keywords, and its statement words (own words plus its classes'). */
function medpixMatchers(): { diagnosis: ConceptMatcher; statement: ConceptMatcher } {
  compiled ??= {
    diagnosis: new ConceptMatcher(MEDPIX_CONCEPTS.map((c) => ({ id: c.id, terms: c.diagnosis }))),
    statement: new ConceptMatcher(
      MEDPIX_CONCEPTS.map((c) => ({
        id: c.id,
        terms: [...c.states, ...(c.classes ?? []).flatMap((name) => FINDING_CLASSES[name])],
        ...(c.patterns ? { patterns: c.patterns } : {}),
      })),
    ),
  };
  return compiled;
}

/** The concepts a case diagnosis names, in table order. Every mention counts: a diagnosis is a label, not a sentence. */
export function diagnosisConcepts(diagnosis: string): string[] {
  const { diagnosis: matcher } = medpixMatchers();
  const named = new Set(matcher.mentions(diagnosis).map((m) => m.id));
  return matcher.ids.filter((id) => named.has(id));
}

/** The concepts of `concepts` that a text states (not negated). */
export function statedConcepts(text: string, concepts: readonly string[]): string[] {
  const stated = medpixMatchers().statement.stated(text);
  return concepts.filter((c) => stated.has(c));
}

/**
 * MedPix: the share of scorable cases whose conclusion states the finding behind the case diagnosis (any concept
 * the diagnosis names), and the same for the findings text as a ceiling. Cases whose diagnosis names no concept are
 * not scorable and are listed.
 */
export function medpixDiagnosisJudge(): ClinicalJudge {
  return { description: 'MedPix case diagnosis stated in the conclusion', judge: judgeMedpixCases };
}

export function judgeMedpixCases(cases: readonly ClinicalCase[]): { summary: MedpixDiagnosisMeasures; perCase: Array<CaseClinical | undefined> } {
  let scorable = 0;
  let predicted = 0;
  let described = 0;
  const notScorable: string[] = [];
  const perCase = cases.map((c): CaseClinical | undefined => {
    const expected = diagnosisConcepts(c.diagnosis ?? '');
    if (expected.length === 0) {
      notScorable.push(c.id);
      return { expected, prediction: [], findings: [] };
    }
    scorable++;
    const prediction = statedConcepts(c.prediction, expected);
    const findings = statedConcepts(c.findings, expected);
    if (prediction.length > 0) predicted++;
    if (findings.length > 0) described++;
    return { expected, prediction, findings };
  });
  const summary: MedpixDiagnosisMeasures = {
    measure: 'medpix-diagnosis',
    cases: cases.length,
    scorable,
    prediction: share(predicted, scorable),
    findings: share(described, scorable),
    notScorable,
  };
  return { summary, perCase };
}
