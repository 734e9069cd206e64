import { sectionOf } from '../report/parseReport.ts';
import { sectionInsertion } from '../report/sectionEditing.ts';
import type { Section } from '../report/types.ts';
import type { Rule, RuleFinding } from './rule.ts';

const FINDINGS_HEADING = 'Findings';
const CONCLUSION_HEADING = 'Impression';

/** A report needs findings and a conclusion; a text with no report sections at all is said to be no report. */
export const missingSection: Rule = {
  id: 'missing-section',
  description: 'The report has no findings or no conclusion (impression) section.',
  defaultSeverity: 'error',
  scope: 'report',
  fix: { summary: 'add the section', fixAll: true },
  appliesTo: 'both',
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
        fixes: [{ title: `Add a ${name} section`, edits: [sectionInsertion(report, name, before, 'before')], isPreferred: true }],
      });
    }
    if (!conclusion) {
      const name = typeof options.conclusionHeading === 'string' ? options.conclusionHeading : CONCLUSION_HEADING;
      const after = findings ?? report.sections[report.sections.length - 1];
      problems.push({
        message: 'The report has no conclusion (impression) section.',
        absentSection: 'conclusion',
        span: anchor(after),
        fixes: [{ title: `Add an ${name} section`, edits: [sectionInsertion(report, name, after, 'after')], isPreferred: true }],
      });
    }
    return problems;
  },
};
