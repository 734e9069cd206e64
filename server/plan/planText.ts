/**
 * The plan for people: as plain data (JSON for `radreport plan --json`), and as text or markdown (the terminal, the
 * editor's hover on the conclusion heading).
 */
import type { ConclusionPlan, PlanItem } from './types.ts';

export interface PlanItemData {
  finding: string;
  group: string;
  rank: PlanItem['rank'];
  required: boolean;
  suggested?: boolean;
  statement: string;
  label: string;
  side?: string;
  site?: string;
  size?: string;
  count?: string;
  change?: string;
  severity?: string;
  acuity?: string;
  certainty: PlanItem['certainty'];
  qualifiers?: string[];
  answersQuestion?: boolean;
  source: string;
}

export interface PlanData {
  exam: ConclusionPlan['exam'];
  statements: string[];
  normal?: string;
  items: PlanItemData[];
  questions: Array<{ asked: string; concern: string; answer: string; statement?: string; source?: string }>;
}

export function planData(plan: ConclusionPlan): PlanData {
  return {
    exam: plan.exam,
    statements: plan.statements,
    ...(plan.normal ? { normal: plan.normal } : {}),
    items: plan.items.map((item) => {
      const data: PlanItemData = {
        finding: item.finding.id,
        group: item.group,
        rank: item.rank,
        required: item.required,
        ...(item.suggested ? { suggested: true } : {}),
        statement: item.statement,
        label: item.label,
        certainty: item.certainty,
        source: item.source.text,
      };
      for (const key of ['side', 'site', 'size', 'count', 'change', 'severity', 'acuity'] as const) {
        if (item[key] !== undefined) data[key] = item[key];
      }
      if (item.qualifiers.length) data.qualifiers = item.qualifiers;
      if (item.answersQuestion) data.answersQuestion = true;
      return data;
    }),
    questions: plan.questions.map((q) => ({
      asked: q.asked,
      concern: q.concern,
      answer: q.answer,
      ...(q.statement ? { statement: q.statement } : {}),
      ...(q.source ? { source: q.source.text } : {}),
    })),
  };
}

const RANK_WORDS: Record<PlanItem['rank'], string> = {
  critical: 'critical',
  acute: 'acute or new',
  significant: 'significant',
  'follow-up': 'needs follow-up',
  other: 'may be mentioned',
};

/** The plan as lines of text: what must be said, in order, then what may be. */
export function planLines(plan: ConclusionPlan, bullet = '-'): string[] {
  const lines: string[] = [];
  const exam = [plan.exam.modality, plan.exam.part, plan.exam.region, plan.exam.side].filter(Boolean).join(' ');
  lines.push(`Exam: ${exam || 'not known'}`);
  const required = plan.items.filter((item) => item.required);
  if (required.length === 0) lines.push(`Nothing significant: ${plan.normal ?? 'normal statement'}`);
  else {
    lines.push('Must state:');
    required.forEach((item, i) =>
      lines.push(`  ${i + 1}. ${item.statement} (${RANK_WORDS[item.rank]}${item.answersQuestion ? ', answers the clinical question' : ''})`),
    );
  }
  for (const question of plan.questions) {
    const answer =
      question.answer === 'absent' ? `no — "${question.statement}"` : question.answer === 'present' ? 'yes, stated above' : 'not answered by the findings';
    lines.push(`Clinical question: ${question.asked} → ${question.concern}: ${answer}`);
  }
  const suggested = plan.items.filter((item) => item.suggested);
  if (suggested.length) {
    lines.push('Should mention (may be left out):');
    for (const item of suggested) lines.push(`  ${bullet} ${item.statement}`);
  }
  const allowed = plan.items.filter((item) => !item.required && !item.suggested);
  if (allowed.length) {
    lines.push('May mention:');
    for (const item of allowed) lines.push(`  ${bullet} ${item.statement}${item.qualifiers.length ? ` (${item.qualifiers.join(', ')})` : ''}`);
  }
  return lines;
}

export function planMarkdown(plan: ConclusionPlan): string {
  const out: string[] = [];
  const exam = [plan.exam.modality, plan.exam.part, plan.exam.region, plan.exam.side].filter(Boolean).join(' ');
  out.push(`**Conclusion plan**${exam ? ` (${exam})` : ''}`, '');
  const required = plan.items.filter((item) => item.required);
  if (required.length === 0) out.push(`Nothing significant is stated: *${plan.normal ?? ''}*`, '');
  else {
    out.push('Must state:', '');
    required.forEach((item, i) =>
      out.push(`${i + 1}. ${item.statement} — ${RANK_WORDS[item.rank]}${item.answersQuestion ? ', answers the clinical question' : ''}`),
    );
    out.push('');
  }
  for (const question of plan.questions) {
    const answer =
      question.answer === 'absent' ? `no: *${question.statement}*` : question.answer === 'present' ? 'yes, stated above' : 'not answered by the findings';
    out.push(`Clinical question: ${question.asked} → ${question.concern}: ${answer}`, '');
  }
  const suggested = plan.items.filter((item) => item.suggested);
  if (suggested.length) {
    out.push('Should mention (may be left out):', '');
    for (const item of suggested) out.push(`- ${item.statement}`);
    out.push('');
  }
  const allowed = plan.items.filter((item) => !item.required && !item.suggested);
  if (allowed.length) {
    out.push('May mention:', '');
    for (const item of allowed) out.push(`- ${item.statement}${item.qualifiers.length ? ` (${item.qualifiers.join(', ')})` : ''}`);
  }
  return out.join('\n').trim();
}
