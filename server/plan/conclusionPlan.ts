/**
 * The content plan of a report's conclusion, from its findings: the significant findings stated present, each with its
 * side, site, size, count, change, acuity and certainty, ranked critical → acute or new → other significant →
 * incidentals that need follow-up; the findings that are only allowed (chronic, stable, benign, slight, or not
 * significant), unless the clinical question asks about them; the exam's normal statement when nothing needs saying;
 * and the clinical question with the findings' answer. Pure: the same report and vocabulary give the same plan.
 */
import type { CriticalMention, ReportAnalysis } from '../clinical/reportAnalysis.ts';
import { analyzeReport } from '../clinical/reportAnalysis.ts';
import type { FindingTerm, Vocabulary } from '../clinical/vocabulary.ts';
import type { Report } from '../report/types.ts';
import { clinicalQuestions } from './clinicalQuestion.ts';
import { examKind, normalStatement } from './examKind.ts';
import { findingItem, rankOf } from './findingItem.ts';
import { itemStatement } from './planStatements.ts';
import { PLAN_RANKS, type ConclusionPlan, type PlanItem } from './types.ts';

/** Findings that need saying at once when present: the ACR's actionable findings of the first category and their like. */
const ACUTE_TYPE = new Set([
  'pneumothorax', 'pleural effusion', 'pericardial effusion', 'joint effusion', 'consolidation', 'pneumonia', 'pulmonary edema', 'cavity',
  'pneumomediastinum', 'mediastinal widening', 'dissection', 'thrombus', 'fracture', 'dislocation', 'tear', 'bone marrow edema',
  'osteomyelitis', 'free air', 'bowel obstruction', 'hydronephrosis', 'ascites', 'fluid collection', 'inflammation', 'torsion',
  'hemorrhage', 'infarct', 'mass effect', 'hydrocephalus',
]);

export function isAcuteType(finding: FindingTerm): boolean {
  return finding.acute ?? ACUTE_TYPE.has(finding.id);
}

export function buildConclusionPlan(report: Report, vocabulary: Vocabulary): ConclusionPlan {
  const analysis = analyzeReport(report, vocabulary);
  const exam = examKind(report, analysis);
  const items = mergeItems(planItems(report, analysis));
  const questions = clinicalQuestions(report, analysis, exam, items);
  // A finding the clinical question asks about is said, however slight or chronic.
  for (const question of questions) {
    if (question.answer !== 'present') continue;
    for (const item of items) {
      if (!question.findingIds.includes(item.finding.id)) continue;
      item.answersQuestion = true;
      if (!item.required) {
        item.required = true;
        item.rank = 'significant';
      }
    }
  }
  items.sort((a, b) => PLAN_RANKS.indexOf(a.rank) - PLAN_RANKS.indexOf(b.rank));
  const plan: ConclusionPlan = { exam, items, questions, statements: [] };
  if (!items.some((item) => item.required)) plan.normal = normalStatement(exam);
  plan.statements = planStatements(plan);
  return plan;
}

function planItems(report: Report, analysis: ReportAnalysis): PlanItem[] {
  const vocabulary = analysis.vocabulary;
  const context = { vocabulary, reportText: report.text };
  const items: PlanItem[] = [];
  for (const sentence of analysis.findings) {
    if (sentence.recommendation && sentence.findings.every((f) => f.assertion !== 'present')) continue;
    const critical = sentence.critical.filter((c) => isPositive(c) && !c.chronic);
    const used = new Set<CriticalMention>();
    for (const mention of sentence.findings) {
      if (mention.modifier || (mention.assertion !== 'present' && mention.assertion !== 'possible')) continue;
      // A negation that denies only part ("no large effusion") leaves the rest unsaid, not stated.
      const criticalMention = critical.find((c) => c.span.start <= mention.span.end && c.span.end >= mention.span.start);
      if (criticalMention) used.add(criticalMention);
      const draft = findingItem(mention, context, 'other', Boolean(criticalMention));
      const rank = rankOf(mention, draft.change, Boolean(criticalMention), isAcuteType(mention.finding));
      const item = { ...draft, rank, required: rank !== 'other' } as PlanItem;
      item.statement = itemStatement(item);
      items.push(item);
    }
    // A critical finding the vocabulary knows only as such ("cord compression") is an item of its own.
    for (const mention of critical) {
      if (used.has(mention)) continue;
      const finding: FindingTerm = { id: mention.critical.id, terms: [mention.critical.id], significant: true };
      const written = report.text.slice(mention.span.start, mention.span.end).replace(/\s+/g, ' ').toLowerCase();
      const item: PlanItem = {
        finding,
        group: finding.id,
        rank: 'critical',
        required: true,
        label: written,
        certainty: mention.assertion === 'possible' ? 'possible' : 'definite',
        descriptors: [],
        qualifiers: [],
        source: { text: sentence.sentence.text, span: sentence.sentence.span },
        statement: '',
      };
      if (mention.assertion === 'possible') item.hedge = 'possible';
      item.statement = itemStatement(item);
      items.push(item);
    }
  }
  return items;
}

function isPositive(mention: CriticalMention): boolean {
  return mention.assertion === 'present' || mention.assertion === 'possible';
}

/**
 * One item per finding and side: the same finding said twice ("opacity in the left lower lobe … the left lower lobe
 * opacity measures 3 cm") is one item with what both say; an allowed finding of the group of a required one on the same
 * side ("left basal atelectasis" beside "left lower lobe consolidation") adds nothing.
 */
function mergeItems(items: PlanItem[]): PlanItem[] {
  const out: PlanItem[] = [];
  for (const item of items) {
    const same = out.find((o) => o.finding.id === item.finding.id && o.side === item.side && (!o.siteId || !item.siteId || o.siteId === item.siteId));
    if (same) {
      mergeInto(same, item);
      continue;
    }
    const covered = out.find((o) => o.group === item.group && o.side === item.side && o.required && !item.required);
    if (covered) continue;
    const weaker = out.findIndex((o) => o.group === item.group && o.side === item.side && !o.required && item.required);
    if (weaker !== -1) out.splice(weaker, 1);
    out.push(item);
  }
  return out;
}

function mergeInto(target: PlanItem, other: PlanItem): void {
  if (PLAN_RANKS.indexOf(other.rank) < PLAN_RANKS.indexOf(target.rank)) target.rank = other.rank;
  target.required ||= other.required;
  if (other.certainty === 'definite') {
    target.certainty = 'definite';
    delete target.hedge;
  }
  for (const key of ['size', 'sizeMm', 'count', 'change', 'changeWord', 'severity', 'acuity', 'site', 'siteId'] as const) {
    if (target[key] === undefined && other[key] !== undefined) (target as unknown as Record<string, unknown>)[key] = other[key];
  }
  target.statement = itemStatement(target);
}

/** The plan as conclusion sentences: the findings in rank order, then the answers to the clinical question. */
function planStatements(plan: ConclusionPlan): string[] {
  const findings = plan.items.filter((item) => item.required).map((item) => item.statement);
  const answers = plan.questions.filter((q) => q.answer === 'absent' && q.statement).map((q) => q.statement!);
  const statements = [...findings, ...answers];
  if (plan.normal) statements.push(...plan.normal.split(/(?<=\.)\s+/));
  return [...new Set(statements)];
}
