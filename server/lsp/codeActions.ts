import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic, type TextEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { COMMANDS, DIAGNOSTIC_SOURCE, type DisableRuleArgs, type GenerateConclusionArgs } from '../protocol.ts';
import { preferredFixEdits } from '../rules/fixAll.ts';
import { ruleById } from '../rules/registry.ts';
import type { Analysis } from '../service/reportService.ts';
import { isDiagnosticData } from './diagnostics.ts';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.radreport`;

/** Quick fixes from the fixes the diagnostics carry, "Generate conclusion", "disable rule", and fix-all. */
export function codeActions(params: CodeActionParams, document: TextDocument, analysis: Analysis): CodeAction[] {
  const only = params.context.only;
  const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  const actions: CodeAction[] = [];
  const versioned = (edits: TextEdit[]) => ({
    documentChanges: [{ textDocument: { uri: document.uri, version: document.version }, edits }],
  });

  if (wants(CodeActionKind.QuickFix)) {
    for (const diagnostic of params.context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE || typeof diagnostic.code !== 'string') continue;
      const data = diagnostic.data;
      // Fixes are only valid for the version they were computed from; fresh diagnostics follow shortly.
      if (isDiagnosticData(data) && data.version === document.version) {
        for (const fix of data.fixes) {
          actions.push({
            title: fix.title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            ...(fix.isPreferred ? { isPreferred: true } : {}),
            edit: versioned(fix.edits),
          });
        }
      }
      if (offersGeneration(diagnostic)) {
        const args: GenerateConclusionArgs = { uri: document.uri, version: document.version };
        actions.push({
          title: 'Generate conclusion from the findings',
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          command: { title: 'Generate conclusion', command: COMMANDS.generateConclusion, arguments: [args] },
        });
      }
      if (ruleById(diagnostic.code)) {
        const args: DisableRuleArgs = { uri: document.uri, ruleId: diagnostic.code };
        actions.push({
          title: `Disable rule ${diagnostic.code} in .radreportrc.json`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          command: { title: `Disable ${diagnostic.code}`, command: COMMANDS.disableRule, arguments: [args] },
        });
      }
    }
  }

  if (only && wants(FIX_ALL_KIND) && only.some((o) => o.startsWith(CodeActionKind.SourceFixAll) || o === CodeActionKind.Source)) {
    const edits = fixAllEdits(analysis, document);
    if (edits.length) actions.push({ title: 'Fix all radiology report problems', kind: FIX_ALL_KIND, edit: versioned(edits) });
  }
  return actions;
}

/** A problem that says the conclusion is missing or empty. */
function offersGeneration(diagnostic: Diagnostic): boolean {
  return isDiagnosticData(diagnostic.data) && diagnostic.data.absentSection === 'conclusion';
}

/** The preferred fix of every fixable problem, skipping any that overlaps one already taken. */
export function fixAllEdits(analysis: Analysis, document: TextDocument): TextEdit[] {
  const report = analysis.report;
  if (!report || analysis.version !== document.version) return [];
  return preferredFixEdits(analysis.problems).map((edit) => ({ range: report.positions.rangeOf(edit.span), newText: edit.newText }));
}
