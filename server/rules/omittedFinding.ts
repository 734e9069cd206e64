import { analyzeReport, type FindingMention } from '../clinical/reportAnalysis.ts';
import { vocabularyFor, type Vocabulary } from '../clinical/vocabulary.ts';
import { sectionsOf } from '../report/parseReport.ts';
import { contentEnd } from '../report/sectionEditing.ts';
import { quote } from './quote.ts';
import type { Rule, RuleFinding } from './rule.ts';

/**
 * A significant finding the findings state as present (not hedged, not described as stable, chronic, old, benign or
 * slight: "trace", "minimal", "tiny") that the conclusion does not mention in any form. Significance is a vocabulary flag (`significant: true`).
 */
export const omittedFinding: Rule = {
  id: 'omitted-finding',
  description: 'A significant finding stated in the findings is not mentioned in the conclusion.',
  defaultSeverity: 'information',
  scope: 'findings',
  fix: { summary: 'add it to the conclusion', fixAll: false },
  generatedConclusion: { failure: 'left out a significant finding' },
  check({ report, config }) {
    const vocabulary = vocabularyFor(config.vocabulary);
    const analysis = analyzeReport(report, vocabulary);
    if (analysis.conclusion.length === 0) return [];
    // "Findings as above": the conclusion refers to the whole findings section.
    if (analysis.conclusion.some((s) => s.findings.length === 0 && REFERS_TO_FINDINGS.test(s.text))) return [];
    const mentioned = analysis.conclusion.flatMap((s) => s.findings);
    const conclusion = sectionsOf(report, 'conclusion')[0]!;
    const reported = new Set<string>();
    const problems: RuleFinding[] = [];
    for (const sentence of analysis.findings) {
      if (sentence.recommendation) continue;
      for (const mention of sentence.findings) {
        if (!mention.finding.significant || mention.assertion !== 'present' || mention.chronic || mention.benign || mention.minor || mention.modifier) continue;
        const group = vocabulary.groupOf(mention.finding);
        if (reported.has(group) || mentioned.some((m) => covers(m, mention, vocabulary))) continue;
        reported.add(group);
        const end = contentEnd(report.text, conclusion.span.end);
        problems.push({
          message: `The findings state ${mention.finding.id} (${quote(sentence.sentence.text)}), which the conclusion does not mention.`,
          span: mention.span,
          fixes: [{ title: 'Add this finding to the conclusion', edits: [{ span: { start: end, end }, newText: `\n${sentence.sentence.text}` }] }],
        });
      }
    }
    return problems;
  },
};

const REFERS_TO_FINDINGS =
  /\b(?:as (?:described|detailed|noted|discussed|outlined|stated|mentioned|seen)? ?above|see (?:above|findings)|as in the findings|findings as (?:above|described))\b/i;

/** A conclusion statement covers a finding of its own group, or one that is evidence for it (an opacity for a pneumonia). */
function covers(conclusion: FindingMention, finding: FindingMention, vocabulary: Vocabulary): boolean {
  return vocabulary.supports(finding.finding, conclusion.finding);
}
