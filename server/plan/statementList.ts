/**
 * A conclusion as a list of statements: the numbered items of "1. A. 2. B." (inline or one a line), or else its
 * sentences; and statements back into a conclusion, numbered when there are several.
 */
import type { Span } from '../report/types.ts';

export interface Statement {
  /** The statement without its number. */
  text: string;
  /** Where the statement (number included) lies in the conclusion text. */
  span: Span;
}

const NUMBER = /(?:^|(?<=[\s.;:]))(\d{1,2})[.)](?=\s)/g;

export function splitStatements(conclusion: string): Statement[] {
  // A list counts up from its first number, which starts the text: "2 mm" or "T12." are not list numbers. (A model
  // finishing a list that was begun for it starts at 3.)
  const markers: RegExpMatchArray[] = [];
  for (const match of conclusion.matchAll(NUMBER)) {
    if (markers.length === 0 ? match.index === conclusion.search(/\S/) : Number(match[1]) === Number(markers.at(-1)![1]) + 1) markers.push(match);
  }
  const statements: Statement[] = [];
  if (markers.length >= 1) {
    markers.forEach((marker, i) => {
      const start = marker.index!;
      const end = i + 1 < markers.length ? markers[i + 1]!.index! : conclusion.length;
      const text = conclusion.slice(start + marker[0].length, end).trim();
      if (text) statements.push({ text, span: { start, end: trimEnd(conclusion, end) } });
    });
    return statements;
  }
  for (const part of sentenceParts(conclusion)) {
    const text = part.text.trim();
    if (text) statements.push({ text, span: part.span });
  }
  return statements;
}

/** Sentences: a full stop, question or exclamation mark followed by white space ends one ("1.4 cm" does not). */
function sentenceParts(text: string): Statement[] {
  const out: Statement[] = [];
  let from = 0;
  const boundary = /[.!?](?=\s)|\n/g;
  for (let match = boundary.exec(text); match; match = boundary.exec(text)) {
    const end = match.index + match[0].length;
    out.push({ text: text.slice(from, end), span: { start: skipSpace(text, from), end } });
    from = end;
  }
  if (from < text.length) out.push({ text: text.slice(from), span: { start: skipSpace(text, from), end: trimEnd(text, text.length) } });
  return out;
}

function skipSpace(text: string, at: number): number {
  while (at < text.length && /\s/.test(text[at]!)) at++;
  return at;
}

function trimEnd(text: string, end: number): number {
  while (end > 0 && /\s/.test(text[end - 1]!)) end--;
  return end;
}

/** Statements as a conclusion: one as it is; several as a numbered list, one a line. */
export function renderConclusion(statements: readonly string[]): string {
  const list = statements.map((s) => s.trim()).filter(Boolean);
  if (list.length <= 1) return list[0] ?? '';
  return list.map((s, i) => `${i + 1}. ${s}`).join('\n');
}
