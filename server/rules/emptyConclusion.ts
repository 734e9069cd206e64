import { sectionsOf } from '../report/parseReport.ts';
import { DEFAULT_PLACEHOLDER_PATTERNS, findPlaceholders } from './placeholder.ts';
import type { Rule } from './rule.ts';

/** A conclusion section that says nothing (empty, or only unfilled template fields). */
export const emptyConclusion: Rule = {
  id: 'empty-conclusion',
  description: 'The conclusion (impression) section is empty or holds only unfilled template fields.',
  defaultSeverity: 'warning',
  check({ report, config }) {
    const conclusions = sectionsOf(report, 'conclusion');
    if (conclusions.length === 0) return [];
    const placeholders = findPlaceholders(report, config.placeholders ?? DEFAULT_PLACEHOLDER_PATTERNS);
    const saysSomething = conclusions.some((section) => {
      let body = report.text.slice(section.bodySpan.start, section.bodySpan.end);
      for (const p of placeholders.filter((p) => p.start >= section.bodySpan.start && p.end <= section.bodySpan.end).reverse()) {
        body = body.slice(0, p.start - section.bodySpan.start) + body.slice(p.end - section.bodySpan.start);
      }
      return /[\p{L}\p{N}]/u.test(body.replace(/<!--[\s\S]*?-->/g, ''));
    });
    if (saysSomething) return [];
    const first = conclusions[0]!;
    return [{ message: `The ${first.heading || 'conclusion'} section is empty.`, span: first.headingSpan }];
  },
};
