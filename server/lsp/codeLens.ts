import type { CodeLens } from 'vscode-languageserver/node';
import { COMMANDS, type GenerateConclusionArgs } from '../protocol.ts';
import { sectionOf } from '../report/parseReport.ts';
import type { Analysis } from '../service/reportService.ts';

/** "Generate conclusion" on the conclusion heading; "Add conclusion" on the findings when there is no conclusion. */
export function codeLenses(analysis: Analysis): CodeLens[] {
  const report = analysis.report;
  if (!report) return [];
  const findings = sectionOf(report, 'findings');
  if (!findings) return [];
  const args: GenerateConclusionArgs = { uri: analysis.uri, version: analysis.version };
  const conclusion = sectionOf(report, 'conclusion');
  if (conclusion) {
    const title = conclusion.text.trim() ? 'Regenerate conclusion' : 'Generate conclusion';
    return [{ range: conclusion.headingRange, command: { title, command: COMMANDS.generateConclusion, arguments: [args] } }];
  }
  return [{ range: findings.headingRange, command: { title: 'Add conclusion', command: COMMANDS.generateConclusion, arguments: [args] } }];
}
