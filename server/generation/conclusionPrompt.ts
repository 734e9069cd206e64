import { sectionsOf } from '../report/parseReport.ts';
import type { Report, SectionKind } from '../report/types.ts';

/**
 * The prompt that asks a model for a report's conclusion. Pure: the same report gives the same prompt, here, in the
 * CLI, in evaluation and in training (`training/` renders its pairs through this same function, so the model is
 * trained on exactly what it is asked at run time).
 */
export interface ConclusionPrompt {
  system: string;
  user: string;
}

/** A solved example put before the report (retrieved from the user's own example library). */
export interface ConclusionExample {
  findings: string;
  conclusion: string;
}

export const CONCLUSION_SYSTEM_PROMPT =
  'You are a radiologist. Write the conclusion (impression) of the report from its findings: ' +
  'state every point of the plan, the most important first, concise, nothing the findings do not say, ' +
  'no recommendation unless the findings call for one.';

/** The report parts the prompt uses, in this order, and their labels. */
const PROMPT_SECTIONS: ReadonlyArray<[SectionKind, string]> = [
  ['clinical', 'Clinical information'],
  ['technique', 'Technique'],
  ['comparison', 'Comparison'],
  ['findings', 'Findings'],
];

export interface ConclusionPromptInput {
  exam?: string | undefined;
  modality?: string | undefined;
  clinical?: string | undefined;
  technique?: string | undefined;
  comparison?: string | undefined;
  findings: string;
  /** What the conclusion must say, as sentences (the content plan's statements), in order. */
  plan?: readonly string[] | undefined;
}

/** Reads the prompt input from a parsed report: every section of a kind, joined. */
export function conclusionPromptInput(report: Report): ConclusionPromptInput {
  const textOf = (kind: SectionKind) =>
    sectionsOf(report, kind)
      .map((section) => section.text)
      .filter((text) => text.trim() !== '')
      .join('\n');
  return {
    exam: report.meta.exam,
    modality: report.meta.modality,
    clinical: textOf('clinical'),
    technique: textOf('technique'),
    comparison: textOf('comparison'),
    findings: textOf('findings'),
  };
}

export function buildConclusionPrompt(input: ConclusionPromptInput, examples: readonly ConclusionExample[] = []): ConclusionPrompt {
  const lines: string[] = [];
  for (const example of examples) {
    lines.push(`Example findings: ${fold(example.findings)}`, `Example conclusion: ${fold(example.conclusion)}`, '');
  }
  if (input.exam?.trim()) lines.push(`Exam: ${fold(input.exam)}`);
  if (input.modality?.trim() && input.modality !== 'other') lines.push(`Modality: ${input.modality}`);
  const values: Record<string, string | undefined> = {
    clinical: input.clinical,
    technique: input.technique,
    comparison: input.comparison,
    findings: input.findings,
  };
  for (const [kind, label] of PROMPT_SECTIONS) {
    const value = values[kind];
    if (value?.trim()) lines.push(`${label}: ${fold(value)}`);
  }
  if (!input.findings.trim()) lines.push('Findings: (none)');
  if (input.plan?.length) lines.push(`Plan: ${input.plan.map((statement, i) => `${i + 1}. ${fold(statement)}`).join(' ')}`);
  return { system: CONCLUSION_SYSTEM_PROMPT, user: lines.join('\n') };
}

/** Folds white space so the prompt does not depend on how the report was wrapped. */
function fold(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
