import type { Report } from '../report/types.ts';
import type { Rule, RuleFinding } from './rule.ts';
import { DEFAULT_PLACEHOLDER_PATTERNS } from '../config/placeholderPatterns.ts';
import { compileReportPattern, isTextPattern } from '../config/userPattern.ts';

const BUILT_IN = new Set(DEFAULT_PLACEHOLDER_PATTERNS);

export const placeholder: Rule = {
  id: 'placeholder',
  description: 'An unfilled template field such as ___, [ ], {{size}} or *** is left in the report.',
  defaultSeverity: 'warning',
  scope: 'report',
  // An unfilled field in a generated conclusion means it is not finished.
  generatedConclusion: { failure: 'left a template field' },
  check({ report, config }) {
    return findPlaceholders(report, config.placeholders ?? DEFAULT_PLACEHOLDER_PATTERNS).map((span) => ({
      message: `Unfilled template field "${report.text.slice(span.start, span.end)}".`,
      span,
    })) satisfies RuleFinding[];
  },
};

/** Spans of every placeholder in the report, in order, without overlaps. Shared with `empty-conclusion`. */
export function findPlaceholders(report: Report, patterns: readonly string[]): Array<{ start: number; end: number }> {
  const spans: Array<{ start: number; end: number }> = [];
  const thematicBreaks = new Map<number, boolean>();
  for (const source of patterns) {
    // A workspace's own patterns run on the linear-time engine; ones it does not accept are reported by validation.
    const pattern = compileReportPattern(source, BUILT_IN);
    if (!isTextPattern(pattern)) continue;
    for (let match = pattern.exec(report.text); match; match = pattern.exec(report.text)) {
      if (match[0].length === 0) {
        pattern.lastIndex++;
        continue;
      }
      const start = match.index;
      if (isThematicBreak(report.text, start, start + match[0].length, thematicBreaks)) continue;
      spans.push({ start, end: start + match[0].length });
    }
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  return spans.filter((span, i) => i === 0 || span.start >= spans[i - 1]!.end);
}

/** `***` or `___` alone on a line is a markdown horizontal rule, not a field. Each line is tested once (`seen`, by its start). */
function isThematicBreak(text: string, start: number, end: number, seen: Map<number, boolean>): boolean {
  const lineStart = start === 0 ? 0 : text.lastIndexOf('\n', start - 1) + 1;
  let known = seen.get(lineStart);
  if (known === undefined) {
    const next = text.indexOf('\n', end);
    known = /^ {0,3}([*_-])(?:[ \t]*\1){2,}[ \t]*$/.test(text.slice(lineStart, next === -1 ? text.length : next));
    seen.set(lineStart, known);
  }
  return known;
}

/** Whether a span holds real text: not only white space, unfilled fields and HTML comments. */
export function hasRealText(report: Report, span: { start: number; end: number }, patterns: readonly string[]): boolean {
  const inside = findPlaceholders(report, patterns).filter((p) => p.start >= span.start && p.end <= span.end);
  const parts: string[] = [];
  let from = span.start;
  for (const p of inside) {
    parts.push(report.text.slice(from, p.start));
    from = p.end;
  }
  parts.push(report.text.slice(from, span.end));
  return /[\p{L}\p{N}]/u.test(withoutComments(parts.join('')));
}

/** The text without its closed HTML comments (a loop: `/<!--[\s\S]*?-->/g` is quadratic on many unclosed `<!--`). */
function withoutComments(text: string): string {
  const parts: string[] = [];
  let from = 0;
  for (;;) {
    const open = text.indexOf('<!--', from);
    const close = open === -1 ? -1 : text.indexOf('-->', open + 4);
    if (close === -1) break;
    parts.push(text.slice(from, open));
    from = close + 3;
  }
  parts.push(text.slice(from));
  return parts.join('');
}
