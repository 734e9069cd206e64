/** What the guard finds wrong with a conclusion, and the words the guard's messages quote with. */
import type { Span } from '../report/types.ts';
import type { PlanItem } from './types.ts';

export type GuardProblemKind =
  | 'empty'
  | 'omitted'
  | 'global-negation'
  | 'question'
  | 'added'
  | 'side-added'
  | 'size-added'
  | 'site'
  | 'change'
  | 'description'
  | 'deidentification'
  | 'ungrounded'
  | 'rule';

export interface GuardProblem {
  kind: GuardProblemKind;
  message: string;
  /** For `rule` problems: the rule that failed (`contradiction`, `laterality-mismatch`, ...). */
  ruleId?: string;
  /** The plan item left out, for `omitted`. */
  item?: PlanItem;
  /** Where in the conclusion text the problem is; absent for what is missing. */
  span?: Span;
  /** Index of the statement (sentence or numbered item) of the conclusion it is in. */
  statement?: number;
}

export function describe(item: PlanItem): string {
  return item.statement.replace(/\.$/, '').replace(/^./, (c) => c.toLowerCase());
}

export function quoteSource(item: PlanItem): string {
  return `findings: ${quoteText(item.source.text)}`;
}

export function quoteText(text: string): string {
  const folded = text.replace(/\s+/g, ' ').trim();
  return `"${folded.length > 80 ? `${folded.slice(0, 77)}…` : folded}"`;
}
