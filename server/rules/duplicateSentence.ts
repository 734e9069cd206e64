import type { Report, Sentence } from '../report/types.ts';
import { quote } from './quote.ts';
import type { Rule, RuleFinding, TextEdit } from './rule.ts';

/**
 * The same sentence twice in one section (dictation repeats, copy and paste). Compared without case, punctuation,
 * list numbers or extra white space. Repeating a finding in the conclusion is what conclusions do, so sections are
 * checked one at a time. Sentences of one word, or only de-identification tokens (`XXXX`), are left alone.
 */
export const duplicateSentence: Rule = {
  id: 'duplicate-sentence',
  description: 'The same sentence appears twice in one section.',
  defaultSeverity: 'warning',
  scope: 'report',
  fix: { summary: 'remove the repeat', fixAll: true },
  tags: ['unnecessary'],
  generatedConclusion: { failure: 'repeated itself' },
  check({ report }) {
    const problems: RuleFinding[] = [];
    for (const section of report.sections) {
      const seen = new Map<string, Sentence>();
      section.sentences.forEach((sentence, i) => {
        const key = normalize(sentence.text);
        if (key.split(' ').length < 2 || DEIDENTIFIED_ONLY.test(key)) return;
        const first = seen.get(key);
        if (!first) {
          seen.set(key, sentence);
          return;
        }
        problems.push({
          message: `${quote(sentence.text)} repeats a sentence of this section.`,
          span: sentence.span,
          fixes: [{ title: 'Remove the repeated sentence', edits: [removal(report, sentence, section.sentences[i - 1])], isPreferred: true }],
          related: [{ message: 'First written here.', span: first.span }],
        });
      });
    }
    return problems;
  },
};

/**
 * A normalised sentence of only de-identification tokens (`xxxx xxxx`). One way to match each input (`(?:x{2,}\s*)+`
 * matched a long run of x's in exponentially many ways before failing).
 */
const DEIDENTIFIED_ONLY = /^x{2,}(?: x{2,})*$/;

export function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/^\s*(?:\(?\d{1,2}[.)]|[-*+•])\s+/, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Deletes the sentence and the white space before it on its line, or its whole line when it stands alone there. */
function removal(report: Report, sentence: Sentence, previous: Sentence | undefined): TextEdit {
  const text = report.text;
  // Look for the line's ends only near the sentence: a "line" of a megabyte must not make every fix scan it.
  let lineStart = sentence.span.start;
  while (lineStart > 0 && sentence.span.start - lineStart < 80 && text[lineStart - 1] !== '\n') lineStart--;
  let next = sentence.span.end;
  while (next < text.length && next - sentence.span.end < 80 && text[next] !== '\n') next++;
  if (next >= text.length) next = -1;
  const lineEnd = next === -1 ? text.length : next;
  const before = text.slice(lineStart, sentence.span.start);
  const after = text.slice(sentence.span.end, lineEnd);
  if (/^\s*(?:[-*+]|\d{1,2}[.)])?\s*$/.test(before) && after.trim() === '') {
    return { span: { start: lineStart, end: next === -1 ? lineEnd : next + 1 }, newText: '' };
  }
  if (previous && previous.span.end >= lineStart && text.slice(previous.span.end, sentence.span.start).trim() === '') {
    return { span: { start: previous.span.end, end: sentence.span.end }, newText: '' };
  }
  return { span: sentence.span, newText: '' };
}
