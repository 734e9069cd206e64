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
      if (isThematicBreak(report.text, start, start + match[0].length)) continue;
      spans.push({ start, end: start + match[0].length });
    }
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  return spans.filter((span, i) => i === 0 || span.start >= spans[i - 1]!.end);
}

/** `***` or `___` alone on a line is a markdown horizontal rule, not a field. */
function isThematicBreak(text: string, start: number, end: number): boolean {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const next = text.indexOf('\n', end);
  const line = text.slice(lineStart, next === -1 ? text.length : next);
  return /^ {0,3}([*_-])(?:[ \t]*\1){2,}[ \t]*$/.test(line);
}

/** Whether a span holds real text: not only white space, unfilled fields and HTML comments. */
export function hasRealText(report: Report, span: { start: number; end: number }, patterns: readonly string[]): boolean {
  let body = report.text.slice(span.start, span.end);
  const inside = findPlaceholders(report, patterns).filter((p) => p.start >= span.start && p.end <= span.end);
  for (const p of inside.reverse()) body = body.slice(0, p.start - span.start) + body.slice(p.end - span.start);
  return /[\p{L}\p{N}]/u.test(body.replace(/<!--[\s\S]*?-->/g, ''));
}
