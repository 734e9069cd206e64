/**
 * A conclusion grounded in the findings: plan what it must say, let the model write it, check the text against the
 * plan, and never hand back an unchecked one. When the model's text fails the check, its failing statements are dropped,
 * the items it left out are forced as the start of its answer and the model finishes it ("model-corrected"); when that
 * fails too, the conclusion is composed from the plan itself ("composed"). Orchestration only: the engine is behind
 * the `ConclusionEngine` seam, the plan and the check are pure domain code.
 */
import type { ReportConfig } from '../config/reportConfig.ts';
import { vocabularyFor, type Vocabulary } from '../clinical/vocabulary.ts';
import { checkConclusion, describe, type ConclusionCheck, type GuardProblem } from '../plan/checkConclusion.ts';
import { buildConclusionPlan } from '../plan/conclusionPlan.ts';
import { renderConclusion, splitStatements } from '../plan/statementList.ts';
import type { ConclusionPlan } from '../plan/types.ts';
import type { Report } from '../report/types.ts';
import { ruleById } from '../rules/registry.ts';
import { buildConclusionPrompt, conclusionPromptInput, type ConclusionExample, type ConclusionPrompt } from './conclusionPrompt.ts';
import type { ConclusionEngine, GenerationResult } from './engine.ts';

export type ConclusionSource = 'model' | 'model-corrected' | 'composed';
export const CONCLUSION_SOURCES: readonly ConclusionSource[] = ['model', 'model-corrected', 'composed'];

export interface ConclusionRequest {
  plan: ConclusionPlan;
  prompt: ConclusionPrompt;
}

/**
 * The plan of a report and the prompt that carries it: the same for the editor, the CLI, evaluation and training.
 * `examples` (the user's own reports nearest to this one) go before the report; the plan is the report's own.
 */
export function conclusionRequest(report: Report, vocabulary: Vocabulary, examples: readonly ConclusionExample[] = []): ConclusionRequest {
  const plan = buildConclusionPlan(report, vocabulary);
  const prompt = buildConclusionPrompt({ ...conclusionPromptInput(report), plan: plan.statements }, examples);
  return { plan, prompt };
}

export interface GroundedConclusionOptions {
  engine: ConclusionEngine;
  config?: ReportConfig;
  signal?: AbortSignal;
  /** Called as the work goes on ("Writing the conclusion…", "Checking it against the findings…"). */
  onProgress?(message: string): void;
  /** Most tokens of the model's answer, the user's `maxTokens` (the engine's setting otherwise); a correction's
   * continuation gets no more than this either. */
  maxTokens?: number;
  /** Tokens allowed for the model to finish a corrected conclusion (48; at most `maxTokens`). */
  correctionTokens?: number;
  /**
   * Solved examples from the user's own reports, put before the report so the model words the conclusion as the user
   * does. They change the wording only: the plan comes from this report, and the check holds the text to this
   * report's findings, so a finding that only an example has is caught like any other the findings lack.
   */
  examples?: readonly ConclusionExample[];
}

export interface GroundedConclusion {
  /** The conclusion to show: checked against the plan, whatever its source. */
  text: string;
  source: ConclusionSource;
  plan: ConclusionPlan;
  /** The check of `text`. `ok` is false only when even the composed conclusion fails a rule: shown flagged. */
  check: ConclusionCheck;
  /** What was wrong with the model's text, in words for the user ("left out: small left pleural effusion"). */
  corrections: string[];
  /** Each model answer and what the check found in it. */
  attempts: Array<{ text: string; problems: GuardProblem[] }>;
  promptTokens: number;
  completionTokens: number;
  /** Milliseconds from the call to the result. */
  ms: number;
}

/** The generation was cancelled; nothing is shown. */
export class ConclusionCancelled extends Error {
  override readonly name = 'AbortError';
  constructor() {
    super('Generation cancelled.');
  }
}

export async function groundedConclusion(report: Report, options: GroundedConclusionOptions): Promise<GroundedConclusion> {
  const started = performance.now();
  const config = options.config ?? {};
  const vocabulary = vocabularyFor(config.vocabulary);
  const { plan, prompt } = conclusionRequest(report, vocabulary, options.examples);
  const check = (text: string) => checkConclusion(report, plan, text, config, vocabulary);
  const attempts: GroundedConclusion['attempts'] = [];
  let promptTokens = 0;
  let completionTokens = 0;
  const generate = async (responsePrefix?: string, maxTokens?: number): Promise<GenerationResult> => {
    const result = await options.engine.generate(prompt, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(responsePrefix ? { responsePrefix } : {}),
      ...(maxTokens ? { maxTokens } : {}),
    });
    promptTokens += result.promptTokens;
    completionTokens += result.completionTokens;
    if (result.stopReason === 'aborted' || options.signal?.aborted) throw new ConclusionCancelled();
    return result;
  };
  const done = (text: string, source: ConclusionSource, final: ConclusionCheck, corrections: string[]): GroundedConclusion => ({
    text,
    source,
    plan,
    check: final,
    corrections,
    attempts,
    promptTokens,
    completionTokens,
    ms: performance.now() - started,
  });

  options.onProgress?.('Writing the conclusion…');
  const first = (await generate(undefined, options.maxTokens)).text.trim();
  options.onProgress?.('Checking it against the findings…');
  const firstCheck = check(first);
  attempts.push({ text: first, problems: firstCheck.problems });
  if (firstCheck.ok) return done(first, 'model', firstCheck, []);
  const corrections = explain(firstCheck);

  // Keep the statements that passed, force what is missing as the start of the answer, and let the model finish.
  options.onProgress?.(`Correcting: ${corrections.join('; ')}…`);
  const forced = correctedStatements(plan, keptStatements(firstCheck), check);
  if (forced.length > 0) {
    const prefix = inlineList(forced);
    const continued = (await generate(`${prefix} `, Math.min(options.correctionTokens ?? 48, options.maxTokens ?? Infinity))).text;
    const candidate = prunedContinuation(forced, continued, check);
    const candidateCheck = check(candidate);
    attempts.push({ text: `${prefix} ${continued.trim()}`.trim(), problems: candidateCheck.problems });
    // Nothing of the model's own left: that is the composed conclusion, and says so.
    const modelWords = splitStatements(candidate).some((statement) => !plan.statements.includes(statement.text));
    if (candidateCheck.ok && modelWords) return done(candidate, 'model-corrected', candidateCheck, corrections);
  }

  const composed = renderConclusion(plan.statements);
  return done(composed, 'composed', check(composed), corrections);
}

/** The statements of a checked conclusion that no problem points at, without their numbers. */
function keptStatements(result: ConclusionCheck): string[] {
  const bad = new Set(result.problems.filter((p) => p.statement !== undefined).map((p) => p.statement!));
  // A problem that points nowhere (a rule about the whole text) spoils every statement.
  if (result.problems.some((p) => p.statement === undefined && p.kind !== 'omitted' && p.kind !== 'question')) return [];
  return result.statements.filter((_, i) => !bad.has(i)).map((s) => s.text);
}

/**
 * The start of a corrected conclusion: the plan's items in rank order, each in the model's words where a kept statement
 * states it and in the plan's where none does, then the other kept statements, then a missing answer to the question.
 */
function correctedStatements(plan: ConclusionPlan, keptStatements: readonly string[], check: (text: string) => ConclusionCheck): string[] {
  const keptCheck = check(renderConclusion(keptStatements));
  // The statements as the check splits them (one kept statement may hold two sentences).
  const kept = keptCheck.statements.map((statement) => statement.text);
  const byItem = new Map(keptCheck.stated.map((s) => [s.item, s.statement]));
  const out: string[] = [];
  const used = new Set<number>();
  const wanted = new Set(keptCheck.missing);
  for (const item of plan.items) {
    if (!item.required && !wanted.has(item)) continue;
    const index = byItem.get(item);
    if (index === undefined) out.push(item.statement);
    else if (!used.has(index)) {
      used.add(index);
      out.push(kept[index]!);
    }
  }
  // The model's other statements, each once (a small model repeats itself in other words), a few at most.
  let others = 0;
  kept.forEach((statement, index) => {
    if (used.has(index) || others === MAX_ADDED || out.some((other) => similar(other, statement))) return;
    out.push(statement);
    others++;
  });
  if (keptCheck.problems.some((p) => p.kind === 'question')) {
    out.push(...plan.questions.filter((q) => q.answer === 'absent' && q.statement).map((q) => q.statement!));
  }
  return [...new Set(out)];
}

/** The forced statements and the model's continuation, less the continuation's statements that fail the check. */
function prunedContinuation(forced: readonly string[], continued: string, check: (text: string) => ConclusionCheck): string {
  // What the model adds after the forced start: at most two statements, none that says again what another says.
  const added: string[] = [];
  for (const statement of splitStatements(continued.trim()).map((s) => s.text)) {
    if (added.length === MAX_ADDED) break;
    if ([...forced, ...added].some((other) => similar(other, statement))) continue;
    added.push(statement);
  }
  let statements = [...forced, ...added];
  for (let round = 0; round < 3; round++) {
    const result = check(renderConclusion(statements));
    const bad = new Set(result.problems.filter((p) => p.statement !== undefined && p.statement >= forced.length).map((p) => p.statement!));
    if (bad.size === 0) break;
    statements = statements.filter((_, i) => !bad.has(i));
  }
  return renderConclusion(statements);
}

const MAX_ADDED = 2;

/** Two statements that share most of their words ("No fracture or dislocation." and "No fracture visualized."). */
function similar(a: string, b: string): boolean {
  const words = (text: string) => new Set(text.toLowerCase().match(/[a-z]{3,}/g) ?? []);
  const x = words(a);
  const y = words(b);
  const shared = [...x].filter((w) => y.has(w)).length;
  return shared / Math.max(1, Math.min(x.size, y.size)) >= 0.6;
}

/** Statements as the model writes a list on one line: "1. A. 2. B." */
function inlineList(statements: readonly string[]): string {
  return statements.length === 1 ? statements[0]! : statements.map((s, i) => `${i + 1}. ${s}`).join(' ');
}

const KIND_WORDS: Partial<Record<GuardProblem['kind'], string>> = {
  empty: 'was empty',
  'global-negation': 'called the study normal although the findings are not',
  deidentification: 'copied a de-identification token',
  question: 'did not answer the clinical question as the findings do',
  added: 'stated a finding the findings do not',
  'side-added': 'gave a side the findings do not',
  change: 'gave another change or acuity than the findings',
  description: 'described a finding otherwise than the findings',
  'size-added': 'added a size the findings do not give',
  site: 'put a finding in another structure than the findings',
  ungrounded: 'wrote a statement that names no finding',
};

/** The check's findings in a few words each, for the progress message and the result. */
function explain(result: ConclusionCheck): string[] {
  const out: string[] = [];
  for (const problem of result.problems) {
    if (problem.kind === 'omitted' && problem.item) out.push(`left out ${describe(problem.item)}`);
    else if (problem.kind === 'rule') out.push(ruleById(problem.ruleId ?? '')?.generatedConclusion?.failure ?? `failed ${problem.ruleId}`);
    else out.push(KIND_WORDS[problem.kind] ?? problem.kind);
  }
  return [...new Set(out)];
}
