import type { ReportConfig } from '../config/reportConfig.ts';
import { parseReport, sectionOf } from '../report/parseReport.ts';
import { createSectionClassifier } from '../report/sectionSynonyms.ts';
import type { Report, Span } from '../report/types.ts';
import { lintReport } from './lintReport.ts';
import { contentEnd } from './missingSection.ts';
import { ALL_RULES, CONCLUSION_RULE_IDS } from './registry.ts';
import type { Problem, Rule } from './rule.ts';

export interface GeneratedConclusionCheck {
  /** The report as it would be with the generated conclusion in place. */
  report: Report;
  /** Where the generated conclusion lies in `report.text`. */
  conclusionSpan: Span;
  /**
   * The problems the conclusion itself causes, with spans in `report.text`: laterality, contradiction, unsupported
   * statements, measurements, sex, repeated sentences inside it, and significant findings it leaves out.
   */
  problems: Problem[];
  /** No problem of error or warning severity: the conclusion may be shown as it is. */
  ok: boolean;
}

/**
 * Checks a generated conclusion against the report it was generated from, before it is shown: builds the report with
 * that conclusion in place of the current one (or in a new Impression section) and runs the conclusion rules on it.
 * A conclusion that fails is to be flagged to the user, never inserted as if it were fine. Pure; never throws.
 */
export function checkGeneratedConclusion(
  report: Report,
  conclusionText: string,
  config: ReportConfig = {},
  rules: readonly Rule[] = ALL_RULES,
): GeneratedConclusionCheck {
  const { text, span } = withConclusion(report, conclusionText);
  const candidate = parseReport(text, config.sections ? { classifier: createSectionClassifier(config.sections) } : {});
  const conclusionRules = rules.filter((rule) => CONCLUSION_RULE_IDS.includes(rule.id));
  const problems = lintReport(candidate, config, conclusionRules).filter(
    (p) => p.ruleId === 'omitted-finding' || (p.span.start < span.end && p.span.end > span.start) || (p.span.start === p.span.end && p.span.start >= span.start && p.span.start <= span.end),
  );
  return { report: candidate, conclusionSpan: span, problems, ok: !problems.some((p) => p.severity === 'error' || p.severity === 'warning') };
}

/** The report text with `conclusion` as the body of its conclusion section, and where that body lies. */
export function withConclusion(report: Report, conclusion: string): { text: string; span: Span } {
  const body = conclusion.trim();
  const section = sectionOf(report, 'conclusion');
  const text = report.text;
  if (section) {
    const end = Math.max(contentEnd(text, section.bodySpan.end), section.bodySpan.start);
    const start = section.bodySpan.start;
    const before = text.slice(0, start);
    const lead = section.style === 'heading' ? '\n' : /\s$/.test(before) ? '' : ' ';
    const after = text.slice(end);
    const trailing = after.length === 0 ? '\n' : '';
    return { text: `${before}${lead}${body}${trailing}${after}`, span: { start: start + lead.length, end: start + lead.length + body.length } };
  }
  const labelled = report.sections.some((s) => s.style === 'label');
  const end = contentEnd(text, text.length);
  const heading = labelled ? '\nIMPRESSION: ' : '\n\n## Impression\n';
  return { text: `${text.slice(0, end)}${heading}${body}\n`, span: { start: end + heading.length, end: end + heading.length + body.length } };
}
