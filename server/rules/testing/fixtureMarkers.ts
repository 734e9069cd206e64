import type { Span } from '../../report/types.ts';

/**
 * Fixture reports mark where each problem must be, so a test reads like the report it checks:
 * `Nodule measures ⟦placeholder|___⟧ mm.` expects a `placeholder` problem exactly on `___`.
 * An empty marker `⟦missing-section|⟧` expects an empty span at that point. A third part is a piece of the message
 * the problem must carry: `⟦laterality-mismatch|Right|the findings give the left side⟧`.
 */
export interface ExpectedProblem {
  ruleId: string;
  span: Span;
  text: string;
  /** A piece of the problem's message, when the marker gives one. */
  message?: string;
}

const MARKER = /⟦([a-z0-9-]+)\|([^⟧|]*)(?:\|([^⟧]*))?⟧/g;

export function readFixture(marked: string): { text: string; expected: ExpectedProblem[] } {
  const expected: ExpectedProblem[] = [];
  let text = '';
  let last = 0;
  for (const match of marked.matchAll(MARKER)) {
    text += marked.slice(last, match.index);
    const start = text.length;
    text += match[2]!;
    expected.push({ ruleId: match[1]!, span: { start, end: text.length }, text: match[2]!, ...(match[3] ? { message: match[3] } : {}) });
    last = match.index! + match[0].length;
  }
  text += marked.slice(last);
  return { text, expected };
}

/** Puts markers into text for the given problems: the readable form of an actual result, for assertion messages. */
export function markProblems(text: string, problems: ReadonlyArray<{ ruleId: string; span: Span }>): string {
  const sorted = [...problems].sort((a, b) => b.span.start - a.span.start || b.span.end - a.span.end);
  let out = text;
  for (const p of sorted) {
    out = out.slice(0, p.span.start) + `⟦${p.ruleId}|` + out.slice(p.span.start, p.span.end) + '⟧' + out.slice(p.span.end);
  }
  return out;
}
