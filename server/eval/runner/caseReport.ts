import type { ConclusionPromptInput } from '../../generation/conclusionPrompt.ts';
import { parseReport } from '../../report/parseReport.ts';
import type { Report } from '../../report/types.ts';
import type { EvalCase } from './evalCase.ts';

/**
 * The report an evaluation case is about, as the editor would hold it: the parsed report where the data comes as
 * reports, else its fields written as a markdown report (front matter with the exam and modality, then a heading a
 * section) and parsed, so that the plan, the prompt and the check see what they see in the editor.
 */
export function caseReport(evalCase: EvalCase): Report {
  return evalCase.report ?? parseReport(promptInputMarkdown(evalCase.prompt));
}

export function promptInputMarkdown(input: ConclusionPromptInput): string {
  const parts: string[] = [];
  const meta = [
    input.exam?.trim() ? `exam: ${JSON.stringify(input.exam.trim())}` : '',
    input.modality && input.modality !== 'other' ? `modality: ${input.modality}` : '',
  ].filter(Boolean);
  if (meta.length) parts.push('---', ...meta, '---', '');
  const section = (heading: string, body: string | undefined) => {
    if (body?.trim()) parts.push(`## ${heading}`, '', body.trim(), '');
  };
  section('Clinical information', input.clinical);
  section('Technique', input.technique);
  section('Comparison', input.comparison);
  section('Findings', input.findings);
  parts.push('## Impression', '');
  return parts.join('\n');
}
