import { sentenceBoundaries } from '../../report/sentences.ts';
import type { Baseline } from './baseline.ts';

/**
 * The first sentence of the findings as the conclusion (the "lead" baseline of summarisation). It needs no training.
 * Sentences are split by the report parser's `sentenceBoundaries` (at `.`, `?`, `!` followed by white space and at
 * line breaks, keeping measurements, list markers and common abbreviations together).
 */
export function fitLeadSentence(): Baseline {
  return Object.freeze({ name: 'lead-sentence' as const, predict: leadSentence });
}

export function leadSentence(findings: string): string {
  const first = sentenceBoundaries(findings)[0];
  return first ? findings.slice(first[0], first[1]).replace(/\s+/g, ' ') : '';
}
