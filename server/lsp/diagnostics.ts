import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver/node';
import type { ConfigProblem } from '../config/reportConfig.ts';
import { DIAGNOSTIC_SOURCE } from '../protocol.ts';
import type { Report } from '../report/types.ts';
import { ruleById } from '../rules/registry.ts';
import type { Severity } from '../config/severity.ts';
import type { Problem, RuleTag } from '../rules/rule.ts';
import type { SectionKind } from '../report/types.ts';
import type { Analysis } from '../service/reportService.ts';

const TAG: Record<RuleTag, DiagnosticTag> = {
  unnecessary: DiagnosticTag.Unnecessary,
  deprecated: DiagnosticTag.Deprecated,
};

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** What a diagnostic carries so a quick fix is built from it without checking the report again. */
export interface DiagnosticData {
  version: number;
  fixes: Array<{ title: string; isPreferred?: boolean; edits: Array<{ range: Diagnostic['range']; newText: string }> }>;
  /** The section the problem says is missing or empty. */
  absentSection?: SectionKind;
}

/** Converts an analysis into LSP diagnostics, each linked to its rule's docs page. */
export function toDiagnostics(analysis: Analysis, packageRoot: string): Diagnostic[] {
  const start = { line: 0, character: 0 };
  const out: Diagnostic[] = [];
  if (analysis.skipped) {
    out.push({ range: { start, end: start }, severity: DiagnosticSeverity.Warning, source: DIAGNOSTIC_SOURCE, code: 'not-checked', message: analysis.skipped });
    return out;
  }
  for (const problem of analysis.configProblems) out.push(configDiagnostic(problem));
  const report = analysis.report;
  if (!report) return out;
  for (const p of report.parseProblems) {
    const severity = p.severity === 'information' ? DiagnosticSeverity.Information : DiagnosticSeverity.Error;
    out.push({ range: p.range, severity, source: DIAGNOSTIC_SOURCE, code: p.code ?? 'front-matter', message: p.message });
  }
  for (const problem of analysis.problems) out.push(problemDiagnostic(problem, report, analysis, packageRoot));
  return out;
}

function problemDiagnostic(problem: Problem, report: Report, analysis: Analysis, packageRoot: string): Diagnostic {
  const data: DiagnosticData = {
    version: analysis.version,
    fixes: (problem.fixes ?? []).map((fix) => ({
      title: fix.title,
      ...(fix.isPreferred ? { isPreferred: true } : {}),
      edits: fix.edits.map((edit) => ({ range: report.positions.rangeOf(edit.span), newText: edit.newText })),
    })),
    ...(problem.absentSection ? { absentSection: problem.absentSection } : {}),
  };
  const diagnostic: Diagnostic = {
    range: problem.range,
    severity: SEVERITY[problem.severity],
    source: DIAGNOSTIC_SOURCE,
    code: problem.ruleId,
    codeDescription: { href: pathToFileURL(join(packageRoot, problem.docs)).href },
    message: problem.message,
    data,
  };
  const tags = ruleById(problem.ruleId)?.tags;
  if (tags?.length) diagnostic.tags = tags.map((tag) => TAG[tag]);
  if (problem.related?.length) {
    diagnostic.relatedInformation = problem.related.map((related) => ({
      location: { uri: analysis.uri, range: report.positions.rangeOf(related.span) },
      message: related.message,
    }));
  }
  return diagnostic;
}

function configDiagnostic(problem: ConfigProblem): Diagnostic {
  const where = problem.path ? `${problem.path} ` : '';
  const at = problem.range ? `:${problem.range.start.line + 1}:${problem.range.start.character + 1}` : '';
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Warning,
    source: DIAGNOSTIC_SOURCE,
    code: 'config',
    message: `${problem.source}${at}: ${where}${problem.message}`,
  };
}

/**
 * The problems of a configuration file as diagnostics on that file, each on the key of the bad setting (or the first
 * character when it has none, as for a file that cannot be read).
 */
export function configFileDiagnostics(configPath: string, problems: readonly ConfigProblem[]): { uri: string; diagnostics: Diagnostic[] } {
  const start = { line: 0, character: 0 };
  return {
    uri: pathToFileURL(configPath).href,
    diagnostics: problems
      .filter((problem) => problem.source === configPath)
      .map((problem) => ({
        range: problem.range ?? { start, end: start },
        severity: DiagnosticSeverity.Warning,
        source: DIAGNOSTIC_SOURCE,
        code: 'config',
        message: `${problem.path ? `${problem.path} ` : ''}${problem.message}`,
      })),
  };
}

export function isDiagnosticData(value: unknown): value is DiagnosticData {
  return typeof value === 'object' && value !== null && Array.isArray((value as DiagnosticData).fixes) && typeof (value as DiagnosticData).version === 'number';
}
