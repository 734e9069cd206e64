import type { ReportConfig } from '../config/reportConfig.ts';
import type { Range, Report, Span } from '../report/types.ts';

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'information', 'hint'];

/** A text replacement, by offsets into the report text it was computed from. */
export interface TextEdit {
  span: Span;
  newText: string;
}

/** A fix is data: the edits travel with the problem, so a quick fix never recomputes the check. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The fix to apply for "fix all"; at most one a problem. */
  isPreferred?: boolean;
}

/** What a rule reports; the registry adds the rule id, severity and range. */
export interface RuleFinding {
  message: string;
  span: Span;
  fixes?: Fix[];
  /** Other places that explain the problem (e.g. the finding a conclusion contradicts). */
  related?: Array<{ message: string; span: Span }>;
}

export interface RuleContext {
  report: Report;
  config: ReportConfig;
  /** This rule's options from the configuration (`rules.<id>` when it is an object), or `{}`. */
  options: Readonly<Record<string, unknown>>;
}

/** One check: metadata plus a pure function. One rule a file, registered in `registry.ts`. */
export interface Rule {
  /** Kebab-case; it is the diagnostic `code`. */
  id: string;
  /** One line, shown in docs and `radreport rules`. */
  description: string;
  defaultSeverity: Severity;
  check(context: RuleContext): RuleFinding[];
}

export interface Problem extends RuleFinding {
  ruleId: string;
  severity: Severity;
  range: Range;
  /** Path of the rule's docs page relative to the package root, e.g. `docs/rules/placeholder.md`. */
  docs: string;
}

export function docsPath(ruleId: string): string {
  return `docs/rules/${ruleId}.md`;
}
