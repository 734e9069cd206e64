import { RADREPORT_SECTION_NAMES } from './radreportSectionNames.ts';
import type { SectionKind } from './types.ts';

/**
 * Which heading or dictation label names which section. Matching is case-insensitive and ignores punctuation and
 * surrounding white space. More synonyms (other languages, local templates) come from the `sections` setting or
 * `.radreportrc.json`; they add to these defaults.
 */
export type SectionSynonyms = Readonly<Record<SectionKind, readonly string[]>>;

export const DEFAULT_SECTION_SYNONYMS: SectionSynonyms = {
  clinical: [
    'clinical information',
    'clinical info',
    'clinical history',
    'clinical indication',
    'clinical indications',
    'clinical details',
    'clinical data',
    'clinical',
    'history',
    'brief history',
    'indication',
    'indications',
    'indications for procedure',
    'reason for exam',
    'reason for examination',
    'reason for study',
    'reason for the test',
    'reason for procedure',
    'reason for referral',
    'reason for consultation',
    'symptom',
    'symptoms',
    'clinical question',
    'chief complaint',
    'history of present illness',
  ],
  technique: [
    'technique',
    'techniques',
    'technique of procedure',
    'procedure',
    'procedures',
    'procedure performed',
    'procedures performed',
    'protocol',
    'method',
    'methods',
    'exam technique',
    'study technique',
    'contrast',
    'technical quality',
  ],
  comparison: ['comparison', 'comparisons', 'comparison exam', 'comparison studies', 'comparison study', 'prior studies', 'priors', 'prior'],
  findings: [
    'findings',
    'finding',
    'description',
    'report',
    'technique and findings',
    'description of findings',
    'angiographic findings',
    'observations',
    'results',
    'body',
    'interpretation and findings',
  ],
  conclusion: [
    'impression',
    'impressions',
    'conclusion',
    'conclusions',
    'opinion',
    'summary',
    'final impression',
    'diagnostic impression',
    'interpretation',
    'assessment',
    'diagnosis',
    'diagnoses',
  ],
  recommendation: ['recommendation', 'recommendations', 'follow-up', 'follow up', 'advice', 'plan'],
  other: [
    'exam',
    'examination',
    'study',
    'title',
    'addendum',
    'communication',
    'critical result',
    'critical results',
    'medications',
    'medication',
    'complications',
    'preoperative diagnosis',
    'postoperative diagnosis',
    'preoperative diagnoses',
    'postoperative diagnoses',
    'anesthesia',
    'estimated blood loss',
    'signature',
    'dictated by',
    'attending',
    'allergies',
    'past medical history',
    'social history',
    'family history',
    'physical examination',
    'review of systems',
  ],
};

export function normalizeLabel(label: string): string {
  return label
    .toLowerCase()
    .replace(/[*_`#:]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface SectionClassifier {
  /** The section kind a heading or label names, or undefined when it names none. */
  classify(label: string): SectionKind | undefined;
  /**
   * For labels that are no synonym, the kind their last word names when it is a findings or conclusion noun:
   * "OCULAR FINDINGS", "CLINICAL IMPRESSION". Labels of more than four words name nothing.
   */
  classifyByHeadNoun(label: string): SectionKind | undefined;
}

const HEAD_NOUNS: Readonly<Record<string, SectionKind>> = {
  finding: 'findings',
  findings: 'findings',
  impression: 'conclusion',
  impressions: 'conclusion',
  conclusion: 'conclusion',
  conclusions: 'conclusion',
  opinion: 'conclusion',
};

/** Merges extra synonyms into the defaults and returns a lookup. Later kinds never steal an earlier kind's synonym. */
export function createSectionClassifier(extra?: Partial<Record<SectionKind, readonly string[]>>): SectionClassifier {
  const byLabel = new Map<string, SectionKind>();
  const add = (kind: SectionKind, labels: readonly string[] | undefined) => {
    for (const label of labels ?? []) {
      const key = normalizeLabel(label);
      if (key) byLabel.set(key, kind);
    }
  };
  for (const kind of Object.keys(DEFAULT_SECTION_SYNONYMS) as SectionKind[]) add(kind, DEFAULT_SECTION_SYNONYMS[kind]);
  // The RSNA RadReport library's section names, where the defaults do not already name them.
  for (const kind of Object.keys(RADREPORT_SECTION_NAMES) as SectionKind[]) {
    add(
      kind,
      RADREPORT_SECTION_NAMES[kind]?.filter((label) => !byLabel.has(normalizeLabel(label))),
    );
  }
  // User synonyms win over the defaults, so a site can re-map a word (e.g. "Report" as `other`).
  if (extra) for (const kind of Object.keys(extra) as SectionKind[]) add(kind, extra[kind]);
  return Object.freeze({
    classify(label: string) {
      return byLabel.get(normalizeLabel(label));
    },
    classifyByHeadNoun(label: string) {
      const words = normalizeLabel(label).split(' ');
      if (words.length > 4) return undefined;
      return HEAD_NOUNS[words[words.length - 1]!];
    },
  });
}
