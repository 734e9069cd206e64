import { SECTION_KINDS, type SectionKind } from '../report/types.ts';
import type { Rule, RuleFinding } from './rule.ts';

const DEFAULT_ORDER = 'clinical, technique, comparison, findings, conclusion';

/** The department's section order, from the rule's `order` option: section kinds separated by commas. */
function orderOf(option: unknown): SectionKind[] {
  const words = (typeof option === 'string' ? option : DEFAULT_ORDER).split(/[\s,]+/).filter(Boolean);
  return words.filter((word): word is SectionKind => (SECTION_KINDS as readonly string[]).includes(word));
}

/** A report template lays its sections out in the department's order, so every report made from it does. */
export const templateSectionOrder: Rule = {
  id: 'template-section-order',
  description: "A report template's sections are not in the department's order (by default clinical information, technique, comparison, findings, conclusion).",
  defaultSeverity: 'warning',
  scope: 'report',
  appliesTo: 'templates',
  options: {
    order: { type: 'string', default: DEFAULT_ORDER, description: 'the section kinds in the order a template must follow, separated by commas' },
  },
  check({ report, options }) {
    const order = orderOf(options.order);
    const rank = (kind: SectionKind) => order.indexOf(kind);
    const problems: RuleFinding[] = [];
    let latest: { kind: SectionKind; heading: string } | undefined;
    // A template's sections are its top-level headings (under the `#` title); its `Label:` lines are fields, and `###`
    // subsections belong to their section. A dictation-style template with no headings is read by its labels.
    const headings = report.sections.filter((s) => s.style === 'heading' && s.level >= 2);
    const top = Math.min(...headings.map((s) => s.level));
    const sections = headings.length ? headings.filter((s) => s.level === top) : report.sections.filter((s) => s.style === 'label');
    for (const section of sections) {
      if (rank(section.kind) < 0) continue;
      if (latest && rank(section.kind) < rank(latest.kind)) {
        problems.push({
          message: `"${section.heading}" (${section.kind}) comes after "${latest.heading}" (${latest.kind}); the department's order is ${order.join(', ')}.`,
          span: section.headingSpan,
        });
        continue;
      }
      if (!latest || rank(section.kind) > rank(latest.kind)) latest = { kind: section.kind, heading: section.heading };
    }
    return problems;
  },
};
