import type { ConceptMatcher } from './conceptMatcher.ts';

/** Words that may stand between "no acute" and "abnormality": "no acute cardiopulmonary or osseous abnormality". */
const REGION = String.raw`(?:(?:cardiopulmonary|cardiac|pulmonary|lung|chest|intrathoracic|thoracic|radiographic|cardiothoracic|pleural|mediastinal|parenchymal|airspace|or|and|,|/)\s*){0,5}`;
const ABNORMALITY = String.raw`(?:abnormalit(?:y|ies)|disease|process(?:es)?|findings?|patholog(?:y|ies)|changes?|infiltrates?|illness)`;
const STUDY = String.raw`(?:chest|study|exam|examination|radiographs?|films?|x-?rays?|cxr|chest x-?ray|chest radiograph)`;

/**
 * Global statements that a chest radiograph is normal or shows nothing acute: "No acute cardiopulmonary abnormality",
 * "No active disease", "Normal chest", "Clear lungs", "Negative chest", "No evidence of acute cardiopulmonary process".
 */
export const NORMAL_PHRASINGS: readonly RegExp[] = [
  new RegExp(
    String.raw`\bno\s+(?:(?:radiographic|definite|convincing)\s+)?(?:(?:evidence|signs?)\s+(?:of|for)\s+)?(?:an?\s+)?(?:acute|active|significant)\s+(?:(?:or|and|,)\s*(?:acute|active|significant|chronic)\s+)?${REGION}${ABNORMALITY}\b`,
    'i',
  ),
  new RegExp(String.raw`\bnormal\s+${STUDY}\b`, 'i'),
  new RegExp(
    String.raw`\b${STUDY}\s+(?:is|are|appears?|appear)\s+(?:(?:otherwise|essentially|grossly|entirely)\s+)?(?:normal|unremarkable|negative|within normal limits)\b`,
    'i',
  ),
  new RegExp(String.raw`\b(?:negative|unremarkable)\s+${STUDY}\b`, 'i'),
  new RegExp(String.raw`\bclear\s+lungs\b`, 'i'),
  new RegExp(String.raw`\blungs?\s+(?:(?:are|is|remain)\s+)?(?:(?:otherwise|essentially|grossly)\s+)?clear\b`, 'i'),
  new RegExp(String.raw`\bno\s+(?:acute\s+)?(?:cardiopulmonary|intrathoracic)\s+${ABNORMALITY}\b`, 'i'),
  new RegExp(String.raw`\bnegative\s+for\s+acute\s+(?:\w+\s+){0,2}?${ABNORMALITY}\b`, 'i'),
];

/** Whether the text says, as a whole, that the study is normal (or nothing acute). */
export function hasNormalPhrasing(text: string): boolean {
  return NORMAL_PHRASINGS.some((pattern) => pattern.test(text));
}

/**
 * Whether a conclusion reads as normal: a global normal phrasing, or no positive finding at all (nothing of the
 * concept table is stated, which includes an empty conclusion).
 */
export function readsNormal(text: string, matcher: ConceptMatcher): boolean {
  return hasNormalPhrasing(text) || matcher.stated(text).size === 0;
}
