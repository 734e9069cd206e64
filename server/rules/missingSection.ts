import { sectionOf } from '../report/parseReport.ts';
import type { Report, Section } from '../report/types.ts';
import type { Rule, RuleFinding, TextEdit } from './rule.ts';

const FINDINGS_HEADING = 'Findings';
const CONCLUSION_HEADING = 'Impression';

/** A report needs findings and a conclusion; a text with no report sections at all is said to be no report. */
export const missingSection: Rule = {
  id: 'missing-section',
  description: 'The report has no findings or no conclusion (impression) section.',
  defaultSeverity: 'error',
  scope: 'report',
  fix: { summary: 'add the section', fixAll: true },
  options: {
    findingsHeading: { type: 'string', default: FINDINGS_HEADING, description: 'the heading of the findings section the fix adds' },
    conclusionHeading: { type: 'string', default: CONCLUSION_HEADING, description: 'the heading of the conclusion section the fix adds' },
  },
  check({ report, options }) {
    const start = report.frontMatterSpan?.end ?? 0;
    if (!report.sections.some((s) => s.kind !== 'other')) {
      return [
        {
          message: 'No report sections found (Findings, Impression, …): this does not look like a radiology report.',
          span: { start, end: start },
        },
      ];
    }
    const findings = sectionOf(report, 'findings');
    const conclusion = sectionOf(report, 'conclusion');
    const problems: RuleFinding[] = [];
    const anchor = (section: Section | undefined) => section?.headingSpan ?? report.sections[0]!.headingSpan;
    if (!findings) {
      const name = typeof options.findingsHeading === 'string' ? options.findingsHeading : FINDINGS_HEADING;
      const before = conclusion ?? sectionOf(report, 'recommendation');
      problems.push({
        message: 'The report has no findings section.',
        absentSection: 'findings',
        span: anchor(before),
        fixes: [{ title: `Add a ${name} section`, edits: [insertSection(report, name, before, 'before')], isPreferred: true }],
      });
    }
    if (!conclusion) {
      const name = typeof options.conclusionHeading === 'string' ? options.conclusionHeading : CONCLUSION_HEADING;
      const after = findings ?? report.sections[report.sections.length - 1];
      problems.push({
        message: 'The report has no conclusion (impression) section.',
        absentSection: 'conclusion',
        span: anchor(after),
        fixes: [{ title: `Add an ${name} section`, edits: [insertSection(report, name, after, 'after')], isPreferred: true }],
      });
    }
    return problems;
  },
};

/** Inserts an empty section written in the same style as its neighbour: a heading of the same level, or a label. */
function insertSection(report: Report, name: string, neighbour: Section | undefined, where: 'before' | 'after'): TextEdit {
  const style = neighbour ?? report.sections.find((s) => s.kind !== 'other');
  const upper = style ? style.heading === style.heading.toUpperCase() && /[A-Z]/.test(style.heading) : false;
  const title = upper ? name.toUpperCase() : name;
  const heading = style?.style === 'label' ? `${title}:` : `${'#'.repeat(Math.max(2, style?.level || 2))} ${title}`;
  if (where === 'before' && neighbour) {
    return { span: { start: neighbour.span.start, end: neighbour.span.start }, newText: `${heading}\n\n` };
  }
  const end = neighbour ? contentEnd(report.text, neighbour.span.end) : contentEnd(report.text, report.text.length);
  const gap = style?.style === 'label' ? '\n' : '\n\n';
  return { span: { start: end, end }, newText: `${end > 0 ? gap : ''}${heading}` };
}

/** The offset just after the last non-white character before `end`. */
export function contentEnd(text: string, end: number): number {
  let i = end;
  while (i > 0 && /\s/.test(text[i - 1]!)) i--;
  return i;
}
