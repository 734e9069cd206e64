/**
 * The resident's conclusion beside the generated one, both read against the plan (for teaching): which of the plan's
 * items each states, what each leaves out, and what the guard finds in each beyond that (a finding, side or size the
 * findings lack, a study called normal that is not, an unanswered clinical question). Pure.
 */
import type { ReportConfig } from '../config/reportConfig.ts';
import type { Vocabulary } from '../clinical/vocabulary.ts';
import type { Report } from '../report/types.ts';
import { checkConclusion, type ConclusionCheck } from './checkConclusion.ts';
import type { ConclusionPlan, PlanItem } from './types.ts';

export interface ConclusionReading {
  text: string;
  check: ConclusionCheck;
  /** The plan's required items it leaves out, as the plan words them. */
  leftOut: string[];
  /** What else the check finds in it, in the check's words. */
  problems: string[];
}

export interface ConclusionComparison {
  plan: ConclusionPlan;
  resident: ConclusionReading;
  generated: ConclusionReading;
  /** Each required item of the plan, and the statement (1-based) of each conclusion that states it, if any. */
  items: Array<{ item: PlanItem; resident?: number; generated?: number }>;
}

export function compareConclusions(
  report: Report,
  plan: ConclusionPlan,
  texts: { resident: string; generated: string },
  config: ReportConfig,
  vocabulary: Vocabulary,
): ConclusionComparison {
  const read = (text: string): ConclusionReading => {
    const check = checkConclusion(report, plan, text, config, vocabulary);
    return {
      text: text.trim(),
      check,
      leftOut: check.missing.map((item) => item.statement),
      problems: [...new Set(check.problems.filter((p) => p.kind !== 'omitted').map((p) => p.message))],
    };
  };
  const resident = read(texts.resident);
  const generated = read(texts.generated);
  const statementOf = (reading: ConclusionReading, item: PlanItem) => {
    const stated = reading.check.stated.find((s) => s.item === item);
    return stated ? { at: stated.statement + 1 } : undefined;
  };
  const items = plan.items
    .filter((item) => item.required)
    .map((item) => {
      const r = statementOf(resident, item);
      const g = statementOf(generated, item);
      return { item, ...(r ? { resident: r.at } : {}), ...(g ? { generated: g.at } : {}) };
    });
  return { plan, resident, generated, items };
}

/** The comparison as a markdown document: both conclusions, the plan item by item, then what each leaves out or adds. */
export function comparisonMarkdown(comparison: ConclusionComparison, generatedSource?: string): string {
  const { plan, resident, generated, items } = comparison;
  const out: string[] = ['# Your conclusion and the generated one', ''];
  out.push('## Your conclusion', '', quote(resident.text), '');
  out.push(`## Generated conclusion${generatedSource ? ` (${generatedSource})` : ''}`, '', quote(generated.text), '');
  out.push('## The plan, item by item', '');
  if (items.length === 0) out.push(`The findings hold nothing the conclusion must state; the plan's statement: *${plan.normal ?? 'a normal study'}*`, '');
  else {
    out.push('| Must state | Yours | Generated |', '|---|---|---|');
    for (const row of items) out.push(`| ${cell(row.item.statement)} | ${mark(row.resident)} | ${mark(row.generated)} |`);
    out.push('');
  }
  for (const question of plan.questions) {
    const answer =
      question.answer === 'absent' ? `no: *${question.statement}*` : question.answer === 'present' ? 'yes, in the items above' : 'not answered by the findings';
    out.push(`Clinical question: ${question.asked} → ${question.concern}: ${answer}`, '');
  }
  section(out, 'What your conclusion leaves out', resident.leftOut, 'Nothing the plan requires.');
  section(out, 'What the generated conclusion leaves out', generated.leftOut, 'Nothing the plan requires.');
  section(out, 'What the check finds in your conclusion', resident.problems, 'Nothing: it says nothing the findings do not.');
  section(out, 'What the check finds in the generated conclusion', generated.problems, 'Nothing: it says nothing the findings do not.');
  return out.join('\n').trim() + '\n';
}

function section(out: string[], title: string, lines: readonly string[], none: string): void {
  out.push(`## ${title}`, '');
  if (lines.length === 0) out.push(none);
  else for (const line of lines) out.push(`- ${line}`);
  out.push('');
}

function mark(statement: number | undefined): string {
  return statement === undefined ? '✗ left out' : `✓ statement ${statement}`;
}

function quote(text: string): string {
  return text
    ? text
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n')
    : '> *(empty)*';
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');
}
