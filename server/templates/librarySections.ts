import { modalityFromExam } from '../report/reportMeta.ts';
import type { SectionClassifier } from '../report/sectionSynonyms.ts';
import type { ReportTemplate } from './reportTemplate.ts';

/**
 * What each top-level section name and heading of a template is to the section classifier:
 * - `section`: a section the classifier recognises (Findings, Impression, Procedure information, …);
 * - `exam title`: the first section, named or headed by the exam ("MRI BRAIN WITHOUT CONTRAST", "CT Appendicitis"),
 *   which the report parser reads as the title;
 * - `findings part`: a body-part section an MRRT author placed beside the findings rather than inside them
 *   ("SPINAL CORD" after "FINDINGS:"), between the findings and the conclusion;
 * - `unrecognised`: none of these, a gap in the synonyms.
 */
export type LibrarySectionRole = 'section' | 'exam title' | 'findings part' | 'unrecognised';

export function librarySectionRoles(template: ReportTemplate, classifier: SectionClassifier): Array<{ label: string; role: LibrarySectionRole }> {
  const roles: Array<{ label: string; role: LibrarySectionRole }> = [];
  const top = template.sections.filter((section) => section.level === 1);
  let afterFindings = false;
  for (const [index, section] of top.entries()) {
    const labels = [...new Set([section.name, section.heading].map((label) => label.trim()).filter(Boolean))];
    const kinds = labels.map((label) => classifier.classify(label) ?? classifier.classifyByHeadNoun(label));
    const kind = kinds.find((k) => k !== undefined);
    if (kind === 'findings') afterFindings = true;
    else if (kind === 'conclusion') afterFindings = false;
    for (const [i, label] of labels.entries()) {
      let role: LibrarySectionRole;
      if (kinds[i] !== undefined) role = 'section';
      else if (index === 0 && (label === template.meta.title || modalityFromExam(label) !== undefined || kind === 'technique')) role = 'exam title';
      else if (afterFindings && kind !== 'conclusion') role = 'findings part';
      else role = 'unrecognised';
      roles.push({ label, role });
    }
  }
  return roles;
}
