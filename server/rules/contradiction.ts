import { globalNegationConflicts } from '../clinical/globalNegation.ts';
import { analyzeReport, type FindingMention } from '../clinical/reportAnalysis.ts';
import { vocabularyFor, type FindingTerm, type Vocabulary } from '../clinical/vocabulary.ts';
import { quote } from './quote.ts';
import type { Rule, RuleFinding } from './rule.ts';

/**
 * The conclusion asserts a finding the findings negate ("no pneumothorax" … "small pneumothorax"), or negates one the
 * findings assert. Negation and hedging scope as in NegEx/ConText: a hedged conclusion ("possible pneumothorax") is a
 * hedged positive and still contradicts "no pneumothorax"; a qualified negation ("no large effusion") denies only part
 * of a finding and contradicts nothing; a finding on the other side is a laterality problem, not this one.
 * A global negation ("No acute cardiopulmonary process", "Normal study", "The lungs are clear") contradicts a finding
 * the findings state as present and new within its reach and place (`server/clinical/globalNegation.ts`).
 */
export const contradiction: Rule = {
  id: 'contradiction',
  description: 'The conclusion asserts a finding that the findings negate, or negates one that the findings assert.',
  defaultSeverity: 'error',
  scope: 'conclusion',
  generatedConclusion: { failure: 'contradicted the findings' },
  check({ report, config }) {
    const vocabulary = vocabularyFor(config.vocabulary);
    const analysis = analyzeReport(report, vocabulary);
    const stated = analysis.findings.flatMap((s) => s.findings).filter((f) => !f.modifier);
    const concluded = analysis.conclusion
      .filter((s) => !s.recommendation)
      .flatMap((s) => s.findings)
      .filter((f) => !f.modifier);
    const problems: RuleFinding[] = [];
    /** Findings a specific denial in the conclusion already contradicts. */
    const reported = new Set<FindingMention>();
    for (const conclusion of concluded) {
      const same = stated.filter((f) => sameFinding(f.finding, conclusion.finding, vocabulary) && compatible(f, conclusion));
      if (conclusion.assertion === 'present' || conclusion.assertion === 'possible') {
        // Any positive statement of the finding in the findings (even on another side) means no plain contradiction.
        if (stated.some((f) => sameFinding(f.finding, conclusion.finding, vocabulary) && (f.assertion === 'present' || f.assertion === 'possible'))) continue;
        // A denial of one place ("no abdominal mass") is not about a finding the conclusion puts elsewhere ("renal mass").
        const placedElsewhere = (f: FindingMention) =>
          concluded.some((c) => sameFinding(c.finding, conclusion.finding, vocabulary) && c.assertion !== 'absent' && !compatible(f, c));
        const negation = same.find((f) => denies(f.finding, conclusion.finding, vocabulary) && f.assertion === 'absent' && !f.partial && !placedElsewhere(f));
        if (!negation) continue;
        const hedged = conclusion.assertion === 'possible' ? ' (as a possibility)' : '';
        problems.push(problem(conclusion, negation, `The conclusion states ${conclusion.finding.id}${hedged}, but the findings negate it`));
      } else if (conclusion.assertion === 'absent' && !conclusion.partial) {
        // Findings that also deny it where the conclusion does are ambiguous on their own.
        if (stated.some((f) => sameFinding(f.finding, conclusion.finding, vocabulary) && f.assertion === 'absent' && compatible(f, conclusion))) continue;
        // A stable finding is still there; a healed or old one is not what "no fracture" denies.
        const positive = same.find((f) => denies(conclusion.finding, f.finding, vocabulary) && f.assertion === 'present' && !f.remote && !f.benign);
        if (!positive) continue;
        problems.push(problem(conclusion, positive, `The conclusion negates ${conclusion.finding.id}, but the findings state it`));
        reported.add(positive);
      }
    }
    for (const { negation, finding } of globalNegationConflicts(analysis.findings, analysis.conclusion, vocabulary)) {
      if (reported.has(finding)) continue;
      const what = negation.sentence.text.slice(
        negation.span.start - negation.sentence.sentence.span.start,
        negation.span.end - negation.sentence.sentence.span.start,
      );
      problems.push({
        message: `${quote(what)} in the conclusion, but the findings state ${finding.finding.id}: ${quote(finding.sentence.sentence.text)}.`,
        span: negation.span,
        related: [{ message: 'The findings say this.', span: finding.sentence.sentence.span }],
      });
    }
    return problems;
  },
};

/** A denial of `negated` covers `asserted`: the same finding, or the general term of its group ("no edema", "pulmonary edema"). */
function denies(negated: FindingTerm, asserted: FindingTerm, vocabulary: Vocabulary): boolean {
  return negated === asserted || vocabulary.groupOf(asserted) === negated.id;
}

/** The same finding, or a finding and the general term of its group. */
function sameFinding(a: FindingTerm, b: FindingTerm, vocabulary: Vocabulary): boolean {
  return a === b || vocabulary.groupOf(b) === a.id || vocabulary.groupOf(a) === b.id;
}

/**
 * Two mentions can be about the same thing: no different organs, no two different parts of one organ (the medial
 * meniscus is not the lateral collateral ligament; the lung is any of its lobes), no opposite sides.
 */
function compatible(a: FindingMention, b: FindingMention): boolean {
  const anatomyA = a.anatomy?.anatomy;
  const anatomyB = b.anatomy?.anatomy;
  if (anatomyA && anatomyB && anatomyA !== anatomyB) {
    const organA = anatomyA.organ ?? anatomyA.id;
    const organB = anatomyB.organ ?? anatomyB.id;
    if (organA !== organB || (anatomyA.id !== organA && anatomyB.id !== organB)) return false;
  }
  const sideA = a.side?.side;
  const sideB = b.side?.side;
  if (sideA && sideB && sideA !== sideB && sideA !== 'bilateral' && sideB !== 'bilateral') return false;
  return true;
}

function problem(conclusion: FindingMention, source: FindingMention, message: string): RuleFinding {
  return {
    message: `${message}: ${quote(source.sentence.sentence.text)}.`,
    span: conclusion.span,
    related: [{ message: 'The findings say this.', span: source.sentence.sentence.span }],
  };
}
