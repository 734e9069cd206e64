import { tokenize } from '../clinical/phraseIndex.ts';
import { analyzeReport, type CriticalMention } from '../clinical/reportAnalysis.ts';
import { vocabularyFor } from '../clinical/vocabulary.ts';
import { sectionOf } from '../report/parseReport.ts';
import { contentEnd } from '../report/sectionEditing.ts';
import { quote } from './quote.ts';
import type { Rule, RuleFinding } from './rule.ts';

/** The sentence the quick fix inserts; its blanks are placeholders on purpose, so `placeholder` asks for them. */
export const COMMUNICATION_TEMPLATE = 'These findings were communicated to Dr. ___ by ___ on ___ at ___.';

/**
 * A critical finding (ACR actionable finding, category 1: tension pneumothorax, intracranial haemorrhage, acute pulmonary
 * embolism, aortic dissection, free intraperitoneal air, …) stated as present or possible, and no statement anywhere
 * in the report that it was communicated ("discussed with", "communicated to", "notified"). Findings described as
 * known, stable or chronic are not new and are left alone. The list is `vocabulary.critical`.
 */
export const criticalCommunication: Rule = {
  id: 'critical-communication',
  description: 'A critical finding is reported without a statement that it was communicated to the referrer.',
  defaultSeverity: 'warning',
  scope: 'report',
  fix: { summary: 'insert a statement template', fixAll: true },
  options: {
    template: { type: 'string', default: COMMUNICATION_TEMPLATE, description: 'the communication statement the fix inserts' },
  },
  check({ report, config, options }) {
    const vocabulary = vocabularyFor(config.vocabulary);
    const analysis = analyzeReport(report, vocabulary);
    const mentions = [...analysis.conclusion, ...analysis.findings].flatMap((s) => s.critical);
    // Known or expected ("postoperative pneumoperitoneum") anywhere in the report: not a new result to call about.
    const expected = new Set(mentions.filter((m) => m.chronic).map((m) => m.critical.id));
    const critical = mentions.filter((m) => (m.assertion === 'present' || m.assertion === 'possible') && !expected.has(m.critical.id));
    if (critical.length === 0) return [];
    const body = report.text.slice(report.frontMatterSpan?.end ?? 0);
    if (vocabulary.communication.findAll(tokenize(body)).length > 0) return [];

    const template = typeof options.template === 'string' ? options.template : COMMUNICATION_TEMPLATE;
    const anchor = sectionOf(report, 'conclusion') ?? sectionOf(report, 'findings');
    const end = anchor ? contentEnd(report.text, anchor.span.end) : contentEnd(report.text, report.text.length);
    const byFinding = new Map<string, CriticalMention>();
    for (const mention of critical) if (!byFinding.has(mention.critical.id)) byFinding.set(mention.critical.id, mention);
    return [...byFinding.values()].map((mention): RuleFinding => ({
      message: `Critical finding ${quote(report.text.slice(mention.span.start, mention.span.end))} with no statement that it was communicated (to whom, by whom, when).`,
      span: mention.span,
      fixes: [{ title: 'Insert a communication statement', edits: [{ span: { start: end, end }, newText: `\n${template}` }], isPreferred: true }],
    }));
  },
};
