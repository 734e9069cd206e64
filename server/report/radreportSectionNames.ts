import type { SectionKind } from './types.ts';

/**
 * Section names and headings of the RSNA RadReport template library that the built-in synonyms did not know, each
 * reviewed and given its kind. Derived by `scripts/radreport-section-names.ts` from the library's MRRT files
 * (../shared/data/radreport-templates); a list of heading names, no report text. Checked over all 263 templates by
 * `server/report/radreportSectionNames.test.ts`.
 */
export const RADREPORT_SECTION_NAMES: Readonly<Partial<Record<SectionKind, readonly string[]>>> = {
  // 68 templates (the RadReport "base" templates) open with "Procedure Information".
  technique: ['procedure information'],
  // The Dutch headings of the two abdominal aorta templates (their MRRT names are the English ones).
  clinical: ['klinische informatie'],
  comparison: ['vergelijking'],
  findings: ['bevindingen'],
  conclusion: ['conclusie'],
  // The trauma grading templates: a section holding the AAST organ injury grade, its heading written with the "+" of a
  // collapsible block ("+ AAST Kidney Injury Grade").
  other: [
    'aast kidney injury grade',
    'aast liver injury grade',
    'aast spleen injury grade',
    '+ aast kidney injury grade',
    '+ aast liver injury grade',
    '+ aast spleen injury grade',
  ],
};
