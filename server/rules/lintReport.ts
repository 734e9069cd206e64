import type { ReportConfig, RuleSetting } from '../config/reportConfig.ts';
import type { Report } from '../report/types.ts';
import type { Severity } from '../config/severity.ts';
import { TEMPLATE_TYPE } from '../templates/reportTemplate.ts';
import { docsPath, type Problem, type Rule } from './rule.ts';

export interface LintMode {
  /** Lint as a report template (only the rules for templates); by default a file whose front matter says so is one. */
  template?: boolean;
}

/** A report template rather than a report: front matter `type: radiology-report-template`. */
export function isReportTemplate(report: Report): boolean {
  return report.meta.type === TEMPLATE_TYPE;
}

/**
 * Runs the rules over a parsed report, applying the configured severities; sorted by position. Never throws. A report
 * template gets only the rules that apply to templates: its fields are meant to be unfilled.
 */
export function lintReport(report: Report, config: ReportConfig, rules: readonly Rule[], mode: LintMode = {}): Problem[] {
  const problems: Problem[] = [];
  const target = (mode.template ?? isReportTemplate(report)) ? 'templates' : 'reports';
  for (const rule of rules) {
    const appliesTo = rule.appliesTo ?? 'reports';
    if (appliesTo !== 'both' && appliesTo !== target) continue;
    const setting = config.rules?.[rule.id];
    const severity = severityOf(setting, rule.defaultSeverity);
    if (severity === 'off') continue;
    const options = typeof setting === 'object' ? setting : {};
    let findings;
    try {
      findings = rule.check({ report, config, options });
    } catch (error) {
      // A rule bug must not take the other rules (or the server) down: report it where the user will see it.
      findings = [{ message: `Rule ${rule.id} failed: ${(error as Error).message}`, span: { start: 0, end: 0 } }];
    }
    for (const finding of findings) {
      problems.push({ ...finding, ruleId: rule.id, severity, range: report.positions.rangeOf(finding.span), docs: docsPath(rule.id) });
    }
  }
  return problems.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || a.ruleId.localeCompare(b.ruleId));
}

export function severityOf(setting: RuleSetting | undefined, fallback: Severity): Severity | 'off' {
  if (setting === undefined) return fallback;
  if (typeof setting === 'string') return setting;
  return setting.severity ?? fallback;
}
