/**
 * The guard: checks a conclusion's text against the plan and the findings before anyone sees it. Every required item
 * must be stated (in any wording the vocabulary accepts, with its side); nothing may contradict a finding — a global
 * negation ("No acute cardiopulmonary disease.") while a significant finding is present included; nothing may add a
 * finding, side, size or site the findings lack; the clinical question answered in the findings must be answered; no
 * de-identification token (`XXXX`) may remain. The conclusion rules run too (laterality, contradiction, unsupported
 * statements, measurements, sex, repeated sentences, unfilled fields). Pure; never throws.
 */
import type { ReportConfig } from '../config/reportConfig.ts';
import { findGlobalNegations } from '../clinical/globalNegation.ts';
import { analyzeReport, type FindingMention, type SentenceAnalysis } from '../clinical/reportAnalysis.ts';
import type { Vocabulary } from '../clinical/vocabulary.ts';
import type { Span } from '../report/types.ts';
import { checkGeneratedConclusion } from '../rules/checkGeneratedConclusion.ts';
import { ALL_RULES } from '../rules/registry.ts';
import { unsupportedConclusion } from '../rules/unsupportedConclusion.ts';
import type { Report } from '../report/types.ts';
import { UNNAMED_FINDING } from './conclusionPlan.ts';
import { claimProblems, matches, sameRegion } from './claims.ts';
import { describe, quoteSource, quoteText, type GuardProblem } from './guardProblem.ts';
import { splitStatements } from './statementList.ts';
import type { ConclusionPlan, PlanItem } from './types.ts';

export type { GuardProblem, GuardProblemKind } from './guardProblem.ts';
export { describe } from './guardProblem.ts';

export interface ConclusionCheck {
  ok: boolean;
  problems: GuardProblem[];
  /** The conclusion's statements (numbered items or sentences), with their spans in the text. */
  statements: Array<{ text: string; span: Span }>;
  /** Required items the conclusion states, and which statement states each. */
  stated: Array<{ item: PlanItem; statement: number }>;
  missing: PlanItem[];
}

/** Rule settings for checking a generated conclusion: what it leaves out is the plan's business, hedged claims count. */
export function guardConfig(config: ReportConfig): ReportConfig {
  const rules = { ...(config.rules ?? {}) };
  // What the conclusion leaves out is what the findings-scoped rules point at.
  for (const rule of ALL_RULES) if (rule.scope === 'findings') rules[rule.id] = 'off';
  const unsupported = rules[unsupportedConclusion.id];
  if (unsupported !== 'off' && !(typeof unsupported === 'object' && unsupported.severity === 'off')) {
    rules[unsupportedConclusion.id] = {
      ...(typeof unsupported === 'object' ? unsupported : {}),
      ...(typeof unsupported === 'string' ? { severity: unsupported } : {}),
      includeHedged: true,
    };
  }
  return { ...config, rules };
}

const NORMAL_WORDS = /\b(?:normal|clear|unremarkable|intact|within normal limits|stable|unchanged|preserved|patent|no)\b/i;
/**
 * What makes a statement word salad rather than a sentence: it starts in lower case, runs past fifty words, or repeats
 * a word three times. Undefined for a statement that reads as one.
 */
function garbling(text: string): string | undefined {
  const trimmed = text.trim();
  if (/^[a-z]/.test(trimmed)) return 'it starts in lower case';
  const words = trimmed.toLowerCase().match(/[a-z]+/g) ?? [];
  if (words.length > 50) return `${words.length} words`;
  const counts = new Map<string, number>();
  for (const word of words) if (word.length >= 4 && !GENERIC_WORDS.has(word)) counts.set(word, (counts.get(word) ?? 0) + 1);
  const repeated = [...counts].find(([, n]) => n >= 3);
  return repeated ? `"${repeated[0]}" ${repeated[1]} times` : undefined;
}

/** A statement that denies, calls normal, recommends or refers says something a reader can act on. */
const SAYS_SOMETHING =
  /\b(?:no|not|without|normal|intact|unchanged|stable|clear|viable|patent|negative|refer\w*|review|advis\w*|recommend\w*|mdt|multidisciplinary|discuss\w*|exploration|surgical|urgent\w*|consult\w*|correlat\w*|follow-?up|communicated|informed)\b/i;
const COMPARISON = /\b(?:compared|comparison|prior|previous)\b/i;

const DEIDENTIFICATION = /\bX{2,}\b|\bx{4,}\b/g;

export function checkConclusion(report: Report, plan: ConclusionPlan, text: string, config: ReportConfig, vocabulary: Vocabulary): ConclusionCheck {
  const body = text.trim();
  const statements = splitStatements(body);
  const statementAt = (offset: number) => {
    const index = statements.findIndex((s) => offset >= s.span.start && offset < Math.max(s.span.end, s.span.start + 1));
    return index === -1 ? undefined : index;
  };
  const problems: GuardProblem[] = [];
  const add = (problem: GuardProblem) => {
    if (problem.span && problem.statement === undefined) {
      const index = statementAt(problem.span.start);
      if (index !== undefined) problem.statement = index;
    }
    problems.push(problem);
  };
  if (!body) {
    add({ kind: 'empty', message: 'The conclusion is empty.' });
    return { ok: false, problems, statements, stated: [], missing: plan.items.filter((i) => i.required) };
  }

  for (const match of body.matchAll(DEIDENTIFICATION)) {
    add({
      kind: 'deidentification',
      message: `The conclusion holds a de-identification token (${match[0]}).`,
      span: { start: match.index!, end: match.index! + match[0].length },
    });
  }

  // The conclusion rules, on the report with this conclusion in place.
  const check = checkGeneratedConclusion(report, body, guardConfig(config));
  const offset = check.conclusionSpan.start;
  for (const problem of check.problems) {
    if (problem.severity !== 'error' && problem.severity !== 'warning') continue;
    const start = Math.max(0, problem.span.start - offset);
    add({ kind: 'rule', ruleId: problem.ruleId, message: problem.message, span: { start, end: Math.max(start, problem.span.end - offset) } });
  }

  const analysis = analyzeReport(check.report, vocabulary);
  const concluded = analysis.conclusion;
  const localSpan = (span: Span): Span => ({ start: span.start - offset, end: span.end - offset });

  // Every required item stated, with its side.
  const stated: ConclusionCheck['stated'] = [];
  const missing: PlanItem[] = [];
  for (const item of plan.items) {
    if (!item.required) continue;
    const where = statementOf(item, concluded, vocabulary);
    if (where) {
      const index = statementAt(where.span.start - offset);
      stated.push({ item, statement: index ?? 0 });
    } else {
      missing.push(item);
      add({ kind: 'omitted', item, message: `The conclusion leaves out ${describe(item)} (${quoteSource(item)}).` });
    }
  }

  // Every statement says something clinical: a finding, a normal structure, a normal study, a recommendation, or what a
  // sentence of the findings says in its words.
  const findingWords = analysis.findings.map((s) => contentWords(s.text));
  for (const [index, statement] of statements.entries()) {
    const sentences = concluded.filter((s) => s.sentence.span.start - offset < statement.span.end && s.sentence.span.end - offset > statement.span.start);
    const words = [...contentWords(statement.text)];
    const garbled = garbling(statement.text);
    if (garbled) {
      add({
        kind: 'ungrounded',
        message: `${quoteText(statement.text)} is not a sentence a radiologist writes (${garbled}).`,
        statement: index,
        span: statement.span,
      });
      continue;
    }
    const copied = findingWords.some((f) => words.filter((w) => f.has(w)).length >= Math.min(2, words.length));
    const short = (statement.text.match(/[A-Za-z]+/g) ?? []).length <= 12;
    const grounded =
      copied ||
      (short && SAYS_SOMETHING.test(statement.text)) ||
      sentences.some(
        (s) =>
          s.findings.length > 0 ||
          s.critical.length > 0 ||
          s.recommendation ||
          s.communication ||
          findGlobalNegations(s).length > 0 ||
          (s.anatomy.length > 0 && NORMAL_WORDS.test(s.text)) ||
          COMPARISON.test(s.text),
      );
    if (!grounded)
      add({
        kind: 'ungrounded',
        message: `${quoteText(statement.text)} states no finding the report can be checked against.`,
        statement: index,
        span: statement.span,
      });
  }

  // A conclusion with nothing required to say may leave out what is only suggested, but not all of it: one that names
  // none of it reads as normal above findings that are not ("No acute abnormality." above hyperinflated lungs).
  const suggested = plan.items.filter((item) => item.suggested);
  if (stated.length === 0 && missing.length === 0 && suggested.length > 0) {
    const named = suggested.filter((item) => statementOf(item, concluded, vocabulary));
    if (named.length === 0) {
      for (const item of suggested) {
        missing.push(item);
        add({ kind: 'omitted', item, message: `The conclusion reads as normal and leaves out ${describe(item)} (${quoteSource(item)}).` });
      }
    }
  }

  // A global negation (read as the contradiction rule reads it) while a required item it denies is present: its reach
  // (acute items, or any), its place (the organs it names), and no "otherwise" beside a statement of the item.
  const required = plan.items.filter((item) => item.required);
  concluded.forEach((sentence, index) => {
    for (const negation of findGlobalNegations(sentence, concluded.slice(0, index))) {
      const denied = required.filter(
        (item) =>
          (negation.reach === 'significant' || item.rank === 'critical' || item.rank === 'acute' || item.finding.acute === true) &&
          (!negation.organs || (item.organs ?? []).some((organ) => negation.organs!.has(organ))) &&
          !(negation.otherwise && stated.some((s) => s.item === item)),
      );
      if (denied.length === 0) continue;
      add({
        kind: 'global-negation',
        message: `${quoteText(sentence.text)} reads as normal, but the findings state ${denied.map(describe).join(', ')}.`,
        span: localSpan(sentence.sentence.span),
      });
    }
  });

  // The clinical question the findings answer is not answered the other way ("No evidence of pneumonia" above a new
  // consolidation in a febrile patient).
  for (const question of plan.questions) {
    if (question.answer !== 'present') continue;
    for (const sentence of concluded) {
      const denial = sentence.findings.find((f) => f.assertion === 'absent' && !f.partial && question.findingIds.includes(f.finding.id));
      if (denial)
        add({
          kind: 'question',
          message: `The conclusion denies ${question.concern}, which the findings answer (${quoteText(question.asked)}): ${quoteText(sentence.text)}.`,
          span: localSpan(denial.span),
        });
    }
  }

  // The clinical question the findings answer in the negative is answered.
  for (const question of plan.questions) {
    if (question.answer !== 'absent') continue;
    const answered = concluded.some(
      (s) =>
        s.findings.some((f) => f.assertion === 'absent' && question.findingIds.includes(f.finding.id)) ||
        (new RegExp(`\\b${escape(question.concern.split(' ').at(-1)!.slice(0, 6))}`, 'i').test(s.text) &&
          /\b(?:no|not|without|normal|negative|unremarkable)\b/i.test(s.text)),
    );
    if (!answered)
      add({
        kind: 'question',
        message: `The clinical question (${quoteText(question.asked)}) is not answered: the findings say ${quoteText(question.source?.text ?? '')}.`,
      });
  }

  // Nothing added: a finding, side, site, size, change or acuity the findings do not give.
  const findingSizes = analysis.findings.flatMap((s) => s.measurements.map((m) => m.values));
  for (const sentence of concluded) {
    if (sentence.recommendation && sentence.findings.every((f) => f.assertion !== 'present')) continue;
    for (const mention of sentence.findings) {
      if (mention.modifier || (mention.assertion !== 'present' && mention.assertion !== 'possible')) continue;
      for (const claim of claimProblems(mention, plan, analysis, vocabulary, check.report.text)) add({ ...claim, span: localSpan(claim.span ?? mention.span) });
    }
    const allSizes = findingSizes.flat();
    for (const measurement of sentence.measurements) {
      if (findingSizes.some((values) => sameSize(values, measurement.values)) || sameSize(allSizes, measurement.values)) continue;
      add({
        kind: 'size-added',
        message: `The conclusion gives a size (${measurement.text.trim()}) that the findings do not.`,
        span: localSpan(measurement.span),
      });
    }
    // An exam of one side: the other side is not what was examined ("No fracture of the left hip" on a right hip film).
    const examSide = plan.exam.side;
    if (examSide === 'left' || examSide === 'right') {
      for (const side of sentence.sides) {
        const anatomy = side.anatomy?.anatomy ?? side.finding?.anatomy?.anatomy;
        if (side.side !== (examSide === 'left' ? 'right' : 'left') || !anatomy?.paired || !sameRegion(anatomy.region, plan.exam.region)) continue;
        add({
          kind: 'side-added',
          message: `The conclusion names the ${side.side} ${anatomy.id}, but the exam is of the ${examSide} side.`,
          span: localSpan(side.span),
        });
      }
    }
  }
  return { ok: problems.length === 0, problems, statements, stated, missing };
}

/**
 * Where the conclusion states an item: a positive mention of its finding (or one its group supports), on its side — the
 * mention's own side, or the side its sentence names when it names no other ("Displaced left subcapital (intracapsular)
 * femoral neck fracture").
 */
function statementOf(item: PlanItem, sentences: readonly SentenceAnalysis[], vocabulary: Vocabulary): FindingMention | { span: Span } | undefined {
  if (item.finding.id === UNNAMED_FINDING) return unnamedStatement(item, sentences, vocabulary);
  for (const sentence of sentences) {
    for (const mention of sentence.findings) {
      if (mention.modifier || (mention.assertion !== 'present' && mention.assertion !== 'possible')) continue;
      if (!matches(item, mention, vocabulary)) continue;
      if ((item.side === 'left' || item.side === 'right') && mention.side?.side !== item.side) {
        const sides = new Set(sentence.sides.map((s) => s.side));
        const named =
          new RegExp(`\\b${item.side}\\b`, 'i').test(sentence.text) && !new RegExp(`\\b${item.side === 'left' ? 'right' : 'left'}\\b`, 'i').test(sentence.text);
        if (mention.side || !(sides.has(item.side) || named) || sides.has(item.side === 'left' ? 'right' : 'left')) continue;
      }
      return mention;
    }
    // A finding the vocabulary knows only as critical ("cord compression") is stated by its critical term.
    if (!vocabulary.data.findings.some((f) => f.id === item.finding.id)) {
      const critical = sentence.critical.find((c) => c.critical.id === item.finding.id && (c.assertion === 'present' || c.assertion === 'possible'));
      if (critical) return critical;
    }
  }
  return undefined;
}

/** Words that say nothing of what a finding is. */
const GENERIC_WORDS = new Set([
  'there',
  'with',
  'without',
  'from',
  'into',
  'this',
  'that',
  'these',
  'those',
  'which',
  'left',
  'right',
  'both',
  'bilateral',
  'small',
  'large',
  'mild',
  'moderate',
  'severe',
  'seen',
  'noted',
  'also',
  'again',
  'measuring',
  'measures',
  'approximately',
  'about',
  'level',
  'side',
  'sided',
  'area',
  'region',
  'part',
  'more',
  'less',
  'some',
  'each',
  'other',
  'than',
  'upper',
  'lower',
  'middle',
  'anterior',
  'posterior',
  'medial',
  'lateral',
  'superior',
  'inferior',
  'proximal',
  'distal',
]);

function contentWords(text: string): Set<string> {
  return new Set((text.toLowerCase().match(/[a-z]{4,}/g) ?? []).filter((w) => !GENERIC_WORDS.has(w)).map((w) => w.slice(0, 6)));
}

/**
 * A sentence the vocabulary could not read is stated by a conclusion sentence that repeats its words (two of them, or
 * its one), or by a diagnosis whose evidence it holds (a thickened gallbladder wall with pericholecystic fluid for
 * cholecystitis); never by a sentence that denies.
 */
function unnamedStatement(item: PlanItem, sentences: readonly SentenceAnalysis[], vocabulary: Vocabulary): SentenceAnalysis['sentence'] | undefined {
  const wanted = contentWords(item.phrase ?? item.label);
  for (const sentence of sentences) {
    const diagnosis = sentence.findings.some(
      (f) =>
        !f.modifier &&
        (f.assertion === 'present' || f.assertion === 'possible') &&
        (item.also ?? []).some((a) => vocabulary.supports(a, f.finding) || a.id === f.finding.id),
    );
    if (diagnosis) return sentence.sentence;
    if (/\b(?:no|not|without|normal|negative|unremarkable)\b/i.test(sentence.text)) continue;
    const shared = [...contentWords(sentence.text)].filter((w) => wanted.has(w)).length;
    if (shared >= Math.min(2, wanted.size)) return sentence.sentence;
  }
  return undefined;
}

function sameSize(a: readonly number[], b: readonly number[]): boolean {
  const close = (x: number, y: number) => Math.abs(x - y) <= Math.max(0.5, 0.05 * Math.max(x, y));
  return b.every((value) => a.some((other) => close(value, other)));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
