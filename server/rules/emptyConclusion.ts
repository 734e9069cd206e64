import { sectionsOf } from '../report/parseReport.ts';
import { DEFAULT_PLACEHOLDER_PATTERNS } from '../config/placeholderPatterns.ts';
import { hasRealText } from './placeholder.ts';
import type { Rule } from './rule.ts';

/** A conclusion section that says nothing (empty, or only unfilled template fields). */
export const emptyConclusion: Rule = {
  id: 'empty-conclusion',
  description: 'The conclusion (impression) section is empty or holds only unfilled template fields.',
  defaultSeverity: 'warning',
  scope: 'conclusion',
  check({ report, config }) {
    const conclusions = sectionsOf(report, 'conclusion');
    if (conclusions.length === 0) return [];
    const patterns = config.placeholders ?? DEFAULT_PLACEHOLDER_PATTERNS;
    if (conclusions.some((section) => hasRealText(report, section.bodySpan, patterns))) return [];
    const first = conclusions[0]!;
    return [{ message: `The ${first.heading || 'conclusion'} section is empty.`, span: first.headingSpan, absentSection: 'conclusion' }];
  },
};
