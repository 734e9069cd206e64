import { measurementsAgree } from '../clinical/measurements.ts';
import { isPositive } from '../clinical/assertion.ts';
import { analyzeReport, pointsBack, type MeasurementMention, type SentenceAnalysis } from '../clinical/reportAnalysis.ts';
import { vocabularyFor, type FindingTerm, type Vocabulary } from '../clinical/vocabulary.ts';
import { quote } from './quote.ts';
import type { Rule, RuleFinding } from './rule.ts';

/**
 * The same thing measured differently in the findings and the conclusion. "1.4 cm" and "14 mm" agree; "1.4 cm" and
 * "4.1 cm" do not; "about 2 cm" allows 20%. A measurement belongs to the finding (or else the structure) nearest to it
 * in its sentence; one in the conclusion is compared with every measurement of the same kind of finding, on a
 * compatible side, in the findings. A conclusion that names a lesion by its diagnosis ("4.1 cm haemangioma") is compared
 * with the sizes of the findings' generic lesions given that diagnosis ("2.3 cm lesion ... typical of a haemangioma", or
 * in the next sentence, "It shows ... typical of a haemangioma"), when there are such. With nothing to compare it
 * with, it is left alone.
 */
export const measurementMismatch: Rule = {
  id: 'measurement-mismatch',
  description: 'A finding or structure is measured differently in the findings and in the conclusion.',
  defaultSeverity: 'error',
  scope: 'conclusion',
  fix: { summary: "the findings' size", fixAll: true },
  generatedConclusion: { failure: 'gave a size other than the findings' },
  check({ report, config }) {
    const vocabulary = vocabularyFor(config.vocabulary);
    const analysis = analyzeReport(report, vocabulary);
    const stated = analysis.findings.flatMap((s) => s.measurements);
    const problems: RuleFinding[] = [];
    for (const measurement of analysis.conclusion.flatMap((s) => s.measurements)) {
      if (isThreshold(report.text, measurement.span.start, measurement.span.end)) continue;
      const claim = measurement.finding?.finding;
      const diagnosed =
        claim && !GENERIC_LESIONS.has(claim.id)
          ? stated.filter((m) => sidesAgree(measurement, m) && (m.finding?.finding === claim || diagnosisOf(m, analysis.findings, vocabulary) === claim))
          : [];
      const references = diagnosed.length > 0 ? diagnosed : stated.filter((m) => sameThing(measurement, m, vocabulary));
      if (references.length === 0) continue;
      const union = { ...references[0]!, values: references.flatMap((r) => r.values) };
      if (references.some((r) => measurementsAgree(measurement, r, measurement.approximate)) || measurementsAgree(measurement, union, measurement.approximate))
        continue;
      // A size tied to a diagnosed lesion is compared with that lesion only ("4.1 cm haemangioma" is not the 4.1 cm cyst).
      if (diagnosed.length === 0 && corroborated(measurement, analysis.findings, vocabulary)) continue;
      const what = measurement.finding?.finding.id ?? measurement.anatomy?.anatomy.id ?? 'this';
      const distinct = [...new Set(references.map((r) => r.text))];
      problems.push({
        message: `The conclusion gives ${quote(measurement.text)} for the ${what}, the findings ${distinct.map((t) => quote(t)).join(' or ')}.`,
        span: measurement.span,
        fixes:
          distinct.length === 1
            ? [{ title: `Use the findings' measurement ${quote(distinct[0]!)}`, edits: [{ span: measurement.span, newText: distinct[0]! }], isPreferred: true }]
            : [],
        related: references.map((r) => ({ message: `Measured ${r.text} in the findings.`, span: r.span })),
      });
    }
    return problems;
  },
};

/** A size band or threshold ("nodule, >8 mm" in a guideline, "less than 5 mm"), not a measurement of the lesion. */
const THRESHOLD = /(?:[<>≤≥]=?|\b(?:greater|less|more|smaller|larger|bigger) than|\b(?:under|over|below|above|at least|at most))\s*$/i;
/** The same written after the size: "FNA for a TR4 nodule 1.5 cm or larger", "5 mm and above". */
const THRESHOLD_AFTER = /^\s*(?:or|and)\s+(?:larger|greater|more|bigger|above|over|less|smaller|below|under)\b/i;

function isThreshold(text: string, start: number, end: number): boolean {
  return THRESHOLD.test(text.slice(Math.max(0, start - 16), start)) || THRESHOLD_AFTER.test(text.slice(end, end + 24));
}

/**
 * The findings give the conclusion's size in a sentence about the same kind of finding or the same structure, though
 * tied there to another word of the sentence: "nodule ... has increased from 9 mm to 14 mm ..., with a new solid
 * component of 6 mm" corroborates "nodule (9 mm to 14 mm)", and "new 1.8 cm portocaval lymph node" corroborates "1.8 cm
 * portocaval lymph node, likely nodal metastasis".
 */
function corroborated(measurement: MeasurementMention, findings: readonly SentenceAnalysis[], vocabulary: Vocabulary): boolean {
  const claim = measurement.sentence;
  const related = (sentence: SentenceAnalysis) =>
    sentence.findings.some((f) =>
      claim.findings.some((c) => f.assertion !== 'absent' && (vocabulary.supports(f.finding, c.finding) || vocabulary.supports(c.finding, f.finding))),
    ) || sentence.anatomy.some((a) => claim.anatomy.some((c) => c.anatomy === a.anatomy));
  return findings.some((sentence) => {
    if (sentence.measurements.length === 0 || !related(sentence)) return false;
    if (sentence.measurements.some((m) => sidesAgree(measurement, m) && measurementsAgree(measurement, m, measurement.approximate))) return true;
    const union = { ...sentence.measurements[0]!, values: sentence.measurements.flatMap((m) => m.values) };
    return measurementsAgree(measurement, union, measurement.approximate);
  });
}

function sidesAgree(a: MeasurementMention, b: MeasurementMention): boolean {
  const sideA = a.finding?.side?.side ?? a.anatomy?.side?.side;
  const sideB = b.finding?.side?.side ?? b.anatomy?.side?.side;
  return !(sideA && sideB && sideA !== sideB && sideA !== 'bilateral' && sideB !== 'bilateral');
}

/** Generic words for a lesion, which the findings may go on to name by its diagnosis. */
const GENERIC_LESIONS = new Set(['lesion', 'mass', 'nodule', 'cyst', 'focal lesion', 'opacity']);

/**
 * The diagnosis the findings give a measured generic lesion: a finding it can be, stated (or suspected) after it in
 * its sentence, or in the next sentence when that one points back ("It shows ..., typical of a haemangioma").
 */
function diagnosisOf(measurement: MeasurementMention, findings: readonly SentenceAnalysis[], vocabulary: Vocabulary): FindingTerm | undefined {
  const lesion = measurement.finding;
  if (!lesion || !GENERIC_LESIONS.has(lesion.finding.id)) return undefined;
  const index = findings.indexOf(measurement.sentence);
  const next = findings[index + 1];
  const candidates = [
    ...measurement.sentence.findings.filter((f) => f.first > lesion.last),
    ...(next && next.section === measurement.sentence.section && pointsBack(next) ? next.findings : []),
  ];
  return candidates.find((f) => !f.modifier && isPositive(f.assertion) && !GENERIC_LESIONS.has(f.finding.id) && vocabulary.supports(lesion.finding, f.finding))
    ?.finding;
}

function sameThing(a: MeasurementMention, b: MeasurementMention, vocabulary: Vocabulary): boolean {
  if (!sidesAgree(a, b)) return false;
  if (a.finding && b.finding) {
    // The same kind of finding, or one named for the other ("2 cm opacity" in the findings, "2 cm nodule" in the conclusion).
    return vocabulary.supports(a.finding.finding, b.finding.finding) || vocabulary.supports(b.finding.finding, a.finding.finding);
  }
  if (!a.finding && !b.finding && a.anatomy && b.anatomy) return a.anatomy.anatomy === b.anatomy.anatomy;
  return false;
}
