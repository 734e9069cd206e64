import type { ReportConfig } from '../config/reportConfig.ts';
import type { Severity } from '../config/severity.ts';
import type { Range, Report, SectionKind, Span } from '../report/types.ts';

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
  /** The section this problem says is missing or empty; for the conclusion the editor offers to write one. */
  absentSection?: SectionKind;
}

export interface RuleContext {
  report: Report;
  config: ReportConfig;
  /** This rule's options from the configuration (`rules.<id>` when it is an object), or `{}`. */
  options: Readonly<Record<string, unknown>>;
}

/**
 * What a rule judges, which is where its problems lie: `conclusion`, the conclusion against the findings (problems in
 * the conclusion); `findings`, the findings against the conclusion (a finding the conclusion leaves out: problems in the
 * findings); `report`, the report as a whole or any section of it.
 */
export type RuleScope = 'conclusion' | 'findings' | 'report';
export const RULE_SCOPES: readonly RuleScope[] = ['conclusion', 'findings', 'report'];

export type RuleTarget = 'reports' | 'templates' | 'both';

/** Diagnostic tags as plain data (LSP `DiagnosticTag`): editors fade `unnecessary` text and strike out `deprecated` text. */
export type RuleTag = 'unnecessary' | 'deprecated';

/** One option of a rule (`"rules": { "<id>": { "<option>": value } }`): its type, default and meaning. */
export type RuleOption =
  | { type: 'string'; default: string; description: string }
  | { type: 'boolean'; default: boolean; description: string }
  | { type: 'number'; default: number; description: string };

/** A rule's quick fix, as a fact about the rule. */
export interface RuleFixInfo {
  /** What the quick fix does, in a few words (docs table). */
  summary: string;
  /**
   * Its preferred fix is safe to apply without review, so "fix all" (`source.fixAll`) applies it. When false the rule
   * marks no fix preferred and its fixes are offered one at a time.
   */
  fixAll: boolean;
}

/** One check: metadata plus a pure function. One rule a file, registered in `registry.ts`. */
export interface Rule {
  /** Kebab-case; it is the diagnostic `code`. */
  id: string;
  /** One line, shown in docs and `radreport rules`. */
  description: string;
  defaultSeverity: Severity;
  scope: RuleScope;
  /** Absent when the rule offers no quick fix. */
  fix?: RuleFixInfo;
  tags?: readonly RuleTag[];
  /** The options the rule reads from `context.options`; `severity` is every rule's and not listed. */
  options?: Readonly<Record<string, RuleOption>>;
  /**
   * Set when the rule also checks a generated conclusion before it is shown (`checkGeneratedConclusion`): what a
   * conclusion that fails it did, in a few words ("gave the wrong side").
   */
  generatedConclusion?: { failure: string };
  /**
   * What the rule checks: `reports` (the default), `templates` (template mode: a file marked
   * `type: radiology-report-template`, or `radreport lint --template`, where unfilled fields are expected), or `both`.
   */
  appliesTo?: RuleTarget;
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
