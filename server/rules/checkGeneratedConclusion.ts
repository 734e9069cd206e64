import type { ReportConfig } from '../config/reportConfig.ts';
import { parseReport } from '../report/parseReport.ts';
import { createSectionClassifier } from '../report/sectionSynonyms.ts';
import type { Report, Span } from '../report/types.ts';
import { lintReport } from './lintReport.ts';
import { placeConclusion } from '../generation/conclusionPlacement.ts';
import { ALL_RULES } from './registry.ts';
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
  const conclusionRules = rules.filter((rule) => rule.generatedConclusion);
  // A findings-scoped rule points at what the conclusion leaves out, in the findings; every other problem counts only
  // where it lies in the conclusion.
  const inFindings = new Set(conclusionRules.filter((rule) => rule.scope === 'findings').map((rule) => rule.id));
  const problems = lintReport(candidate, config, conclusionRules).filter(
    (p) =>
      inFindings.has(p.ruleId) ||
      (p.span.start < span.end && p.span.end > span.start) ||
      (p.span.start === p.span.end && p.span.start >= span.start && p.span.start <= span.end),
  );
  return { report: candidate, conclusionSpan: span, problems, ok: !problems.some((p) => p.severity === 'error' || p.severity === 'warning') };
}

/**
 * The report text with `conclusion` as the body of its conclusion section (or in a new section in the report's own
 * style), and where that body lies: the same placement the editor command and the CLI write to.
 */
export function withConclusion(report: Report, conclusion: string): { text: string; span: Span } {
  const body = conclusion.trim();
  const placement = placeConclusion(report, 'replace');
  const start = placement.span.start + placement.prefix.length;
  const text = report.text.slice(0, placement.span.start) + placement.prefix + body + placement.suffix + report.text.slice(placement.span.end);
  return { text, span: { start, end: start + body.length } };
}
