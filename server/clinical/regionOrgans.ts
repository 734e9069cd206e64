/**
 * The places a global negation speaks of, as sets of organs (anatomy `organ` ids, and `bones`): a region word
 * ("cardiopulmonary", "intrathoracic") or a structure ("intracranial", "the left kidney") stands for organs; a finding
 * belongs to its structure and that structure's organ, its own `organ`, and the organ findings of its kind always have
 * (a fracture is in a bone).
 */
import type { AnatomyMention, FindingMention } from './reportAnalysis.ts';

const CARDIOPULMONARY = ['lung', 'pleura', 'heart', 'mediastinum', 'hilum', 'paratracheal', 'bronchus', 'pulmonary artery', 'atrium', 'ventricle'];
export const CHEST = [...CARDIOPULMONARY, 'diaphragm', 'rib', 'chest wall', 'axilla'];
const BRAIN = ['brain', 'brain side'];
const ABDOMEN = ['abdomen', 'liver', 'spleen', 'pancreas', 'gallbladder', 'bowel', 'kidney', 'ureter', 'adrenal', 'liver lobe', 'colon', 'quadrant'];
const PELVIS = ['pelvis', 'bladder', 'ovary', 'uterus', 'prostate', 'pelvis side'];

/** Words of a global negation that name a place without being a structure of the vocabulary. */
export const REGION_WORDS: Readonly<Record<string, readonly string[]>> = {
  cardiopulmonary: CARDIOPULMONARY,
  cardiothoracic: CARDIOPULMONARY,
  cardiorespiratory: CARDIOPULMONARY,
  cardiovascular: ['heart', 'mediastinum', 'pulmonary artery'],
  pulmonary: ['lung', 'pleura'],
  intrathoracic: [...CARDIOPULMONARY, 'diaphragm'],
  thoracic: CHEST,
  chest: CHEST,
  abdominopelvic: [...ABDOMEN, ...PELVIS],
  musculoskeletal: ['bones'],
};

/** A structure named in a global negation stands for these organs ("intracranial": the brain and its sides). */
const ORGAN_REACH: Readonly<Record<string, readonly string[]>> = {
  brain: BRAIN,
  abdomen: ABDOMEN,
  pelvis: PELVIS,
  lung: ['lung'],
  heart: ['heart'],
  mediastinum: ['mediastinum', 'hilum', 'paratracheal'],
};

/** The organ a finding of this kind is in wherever it is said to be ("fracture": bone; "free air": abdomen). */
export const ORGAN_OF_FINDING: Readonly<Record<string, string>> = {
  fracture: 'bones',
  dislocation: 'bones',
  'bone lesion': 'bones',
  'bone marrow edema': 'bones',
  osteomyelitis: 'bones',
  pneumomediastinum: 'mediastinum',
  'mediastinal widening': 'mediastinum',
  'free air': 'abdomen',
  'bowel obstruction': 'bowel',
  hydronephrosis: 'kidney',
  infarct: 'brain',
  'mass effect': 'brain',
  hydrocephalus: 'brain',
};

/** Where a finding is: its structure and that structure's organ, its own organ, the organ of its kind. */
export function organsOf(mention: FindingMention): string[] {
  const organs: string[] = [];
  const anatomy = mention.anatomy?.anatomy;
  if (anatomy) organs.push(anatomy.id, anatomy.organ ?? anatomy.id, ...(anatomy.overlaps ?? []));
  if (mention.finding.organ) organs.push(mention.finding.organ);
  const own = ORGAN_OF_FINDING[mention.finding.id];
  if (own && !anatomy) organs.push(own);
  // A finding with no place of its own takes the structures its clause names ("tear of the posterior horn of the
  // medial meniscus", "the appendix is dilated ... appendicitis").
  if (!anatomy && !mention.finding.organ && !own) {
    const { scope } = mention.sentence;
    const start = scope.clauseStart(mention.first);
    const end = scope.clauseEnd(mention.last);
    for (const a of mention.sentence.anatomy) if (a.first >= start && a.last <= end) organs.push(a.anatomy.id, a.anatomy.organ ?? a.anatomy.id);
  }
  // A fracture is in a bone wherever it is.
  if (own === 'bones') organs.push('bones');
  return organs;
}

/**
 * What a structure named in a global negation covers: a whole organ ("intracranial": the brain and its sides; "lungs")
 * covers every structure of it; a part of an organ ("supraspinatus tendon", "left lower lobe") only that part.
 */
export function organsNamedBy(anatomy: AnatomyMention): readonly string[] {
  const organ = anatomy.anatomy.organ ?? anatomy.anatomy.id;
  if (anatomy.anatomy.id !== organ) return [anatomy.anatomy.id];
  return ORGAN_REACH[organ] ?? [organ];
}
