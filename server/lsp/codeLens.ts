import type { CodeLens } from 'vscode-languageserver/node';
import { COMMANDS, type GenerateConclusionArgs } from '../protocol.ts';
import { sectionOf } from '../report/parseReport.ts';
import type { Analysis } from '../service/reportService.ts';

/**
 * "Generate conclusion" on the conclusion heading ("Add conclusion" on the findings when there is no conclusion), and
 * "Show plan" beside it: what the conclusion must say.
 */
export function codeLenses(analysis: Analysis): CodeLens[] {
  const report = analysis.report;
  if (!report) return [];
  const findings = sectionOf(report, 'findings');
  if (!findings) return [];
  const args: GenerateConclusionArgs = { uri: analysis.uri, version: analysis.version };
  const conclusion = sectionOf(report, 'conclusion');
  const plan: CodeLens['command'] = { title: 'Show plan', command: COMMANDS.conclusionPlan, arguments: [{ uri: analysis.uri }] };
  if (conclusion) {
    const title = conclusion.text.trim() ? 'Regenerate conclusion' : 'Generate conclusion';
    return [
      { range: conclusion.headingRange, command: { title, command: COMMANDS.generateConclusion, arguments: [args] } },
      { range: conclusion.headingRange, command: plan },
    ];
  }
  return [
    { range: findings.headingRange, command: { title: 'Add conclusion', command: COMMANDS.generateConclusion, arguments: [args] } },
    { range: findings.headingRange, command: plan },
  ];
}
