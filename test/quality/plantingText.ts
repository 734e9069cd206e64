/**
 * Text operations and word lists for planting errors in real reports. Deliberately independent of `server/clinical`
 * and the rules: the planted set is made with its own small lists and plain text edits, so the evaluation measures the
 * rules, not their agreement with themselves. The report parser is used only to find section bodies and sentences.
 */
import { parseReport, sectionOf } from '../../server/report/parseReport.ts';
import type { Section, Sentence } from '../../server/report/types.ts';

/** A small deterministic random source, seeded by a string (mulberry32 over an FNV-1a hash). */
export function randomFor(seed: string): { next(): number; pick<T>(items: readonly T[]): T; chance(p: number): boolean } {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  let state = h >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: (items) => items[Math.floor(next() * items.length)]!, chance: (p) => next() < p };
}

export interface ReportParts {
  text: string;
  findings?: Section;
  conclusion?: Section;
  findingsText: string;
  conclusionText: string;
}

export function partsOf(text: string): ReportParts {
  const report = parseReport(text);
  const findings = sectionOf(report, 'findings');
  const conclusion = sectionOf(report, 'conclusion');
  return {
    text,
    ...(findings ? { findings } : {}),
    ...(conclusion ? { conclusion } : {}),
    findingsText: findings ? text.slice(findings.bodySpan.start, findings.bodySpan.end) : '',
    conclusionText: conclusion ? text.slice(conclusion.bodySpan.start, conclusion.bodySpan.end) : '',
  };
}

export function replaceAt(text: string, start: number, end: number, replacement: string): string {
  return text.slice(0, start) + replacement + text.slice(end);
}

/**
 * The report with a front matter field set: its value replaced where the front matter has the field, the field added
 * to the front matter where it has not, or a front matter block put first where the report has none.
 */
export function withFrontMatterField(text: string, key: string, value: string): string {
  const line = `${key}: ${value}`;
  const block = /^---\n((?:.*\n)*?)---\n/.exec(text);
  if (!block) return `---\n${line}\n---\n${text}`;
  const fields = block[1]!;
  const field = new RegExp(`^${escapeRegExp(key)}:.*$`, 'm');
  return `---\n${field.test(fields) ? fields.replace(field, line) : `${fields}${line}\n`}---\n${text.slice(block[0].length)}`;
}

/** The end of a section's written content (before trailing white space). */
export function contentEndOf(text: string, section: Section): number {
  let end = section.bodySpan.end;
  while (end > section.bodySpan.start && /\s/.test(text[end - 1]!)) end--;
  return end;
}

/** Appends a sentence at the end of a section's content, on the same line. */
export function appendSentence(text: string, section: Section, sentence: string): string {
  const end = contentEndOf(text, section);
  const last = text[end - 1];
  const joint = last === undefined || end === section.bodySpan.start ? ' ' : /[.!?]/.test(last) ? ' ' : '. ';
  return replaceAt(text, end, end, `${joint}${sentence}`);
}

/** Puts a sentence first in a section's content. */
export function prependSentence(text: string, section: Section, sentence: string): string {
  let start = section.bodySpan.start;
  while (start < section.bodySpan.end && /[\s,]/.test(text[start]!)) start++;
  return replaceAt(text, start, start, `${sentence} `);
}

export function sentencesOf(section: Section | undefined): Sentence[] {
  return section?.sentences ?? [];
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The word written in the case style of another ("Right" → "Left", "RIGHT" → "LEFT"). */
export function inCaseOf(model: string, word: string): string {
  if (model === model.toUpperCase() && /[A-Z]/.test(model)) return word.toUpperCase();
  if (model[0] === model[0]!.toUpperCase()) return capitalize(word);
  return word.toLowerCase();
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---------------------------------------------------------------------------------------------------------------------
// The generator's own word lists.

/** Words that deny or doubt what follows in a sentence (a crude sentence-level test, enough to choose material). */
export const DENIAL =
  /\b(?:no|not|without|negative|free of|resolved|resolution|cleared|clear of|absent|ruled out|excluded?|unlikely|never|neither|nor|removed)\b/i;
export const DOUBT =
  /\b(?:possible|possibly|probable|probably|likely|may|might|could|questionable|suspicious|suspected|suggest\w*|cannot|concern\w*|worrisome|versus|vs|differential|consider\w*|equivocal|indeterminate|presum\w*|favou?r\w*|vague|subtle|if|recommend\w*|evaluat\w*|follow\W?up|correlat\w*)\b/i;
export const OLD =
  /\b(?:stable|unchanged|chronic|old|healed|healing|remote|again|re-?demonstrat\w*|persistent|known|prior|previous\w*|post-?surgical|post-?operative|status post|history|calcified|granulom\w*|sequela\w*|similar|no change)\b/i;
export const HISTORY = /\b(?:history|prior|previous\w*|status post|s\/p|old|healed|remote)\b/i;

/** Qualifiers that make a denial partial ("no large effusion" allows a small one). */
export const PARTIAL_DENIAL =
  /\b(?:large|significant|acute|new|focal|definite|definitive|other|displaced|suspicious|discrete|dominant|gross|obvious|overt|additional|further|confluent|lobar|frank|convincing|appreciable|substantial|sizable|sizeable|moderate|aggressive|destructive|residual|visible|typical|active|definitely|clearly|dense|extensive|marked|severe)\b/i;

export const COMMUNICATION =
  /\b(?:discuss\w*|communicat\w*|notif\w*|called|paged|inform\w*|convey\w*|telephon\w*|spoke|spoken|phoned|relayed|read[- ]?back|acknowledg\w*|veriphy|primordial|critical result)\b/i;

/** Critical findings as the generator knows them (for marking a legitimate second kind). */
export const CRITICAL_WORDS =
  /\b(?:tension pneumothorax|pulmonary emboli\w*|pulmonary embolus|aortic dissection|dissection of the aorta|free (?:intraperitoneal )?air|pneumoperitoneum|intracranial (?:hemorrhage|haemorrhage)|subdural|epidural hematoma|subarachnoid hemorrhage|cord compression|torsion|ectopic pregnancy|perforat\w*)\b/i;

/** Structures that take a side, for swapping sides (chest first; the MTSamples exams add limbs, kidneys, brain). */
export const SIDED_STRUCTURES = [
  'upper lobe',
  'middle lobe',
  'lower lobe',
  'upper lung',
  'lower lung',
  'mid lung',
  'midlung',
  'lung base',
  'lung bases',
  'base',
  'bases',
  'basilar',
  'basal',
  'apex',
  'apical',
  'lung',
  'hemithorax',
  'hemidiaphragm',
  'diaphragm',
  'pleural',
  'costophrenic',
  'hilum',
  'hilar',
  'perihilar',
  'paratracheal',
  'rib',
  'ribs',
  'clavicle',
  'clavicular',
  'shoulder',
  'humerus',
  'humeral',
  'scapula',
  'breast',
  'axilla',
  'axillary',
  'chest wall',
  'kidney',
  'renal',
  'ureter',
  'ureteral',
  'adrenal',
  'ovary',
  'ovarian',
  'adnexa',
  'adnexal',
  'testis',
  'testicle',
  'testicular',
  'hip',
  'femur',
  'femoral',
  'knee',
  'ankle',
  'foot',
  'wrist',
  'hand',
  'elbow',
  'effusion',
  'pneumothorax',
  'upper extremity',
  'lower extremity',
  'subclavian',
  'jugular',
  'internal jugular',
  'parietal',
  'frontal',
  'temporal',
  'occipital',
  'hemisphere',
  'cerebellar',
  'carotid',
  'maxillary sinus',
  'mastoid',
  'orbit',
  'thyroid lobe',
  'lobe of the liver',
  'hepatic lobe',
  'upper quadrant',
  'lower quadrant',
  'flank',
  'inguinal',
  'iliac',
  'middle finger',
  'index finger',
  'finger',
  'thumb',
  'toe',
  'calcaneus',
  'tibia',
  'fibula',
  'patella',
  'meniscus',
  'basal ganglia',
  'thalamus',
  'neural foramen',
  'foramen',
  'foraminal',
  'facet',
  'lateral recess',
  'sacroiliac',
  'retrocardiac',
];

/** Exam regions and the structures the conclusion of such an exam names (for the exam-side error). */
export const REGION_STRUCTURES: Record<string, string[]> = {
  knee: [
    'medial meniscus',
    'lateral meniscus',
    'meniscus',
    'anterior cruciate ligament',
    'posterior cruciate ligament',
    'cruciate ligament',
    'medial collateral ligament',
    'lateral collateral ligament',
    'collateral ligament',
    'patella',
    'patellar tendon',
    'quadriceps tendon',
    'femoral condyle',
    'tibial plateau',
    'knee',
  ],
  shoulder: [
    'rotator cuff',
    'supraspinatus tendon',
    'supraspinatus',
    'infraspinatus',
    'subscapularis tendon',
    'subscapularis',
    'glenoid labrum',
    'labrum',
    'acromion',
    'acromioclavicular joint',
    'glenohumeral joint',
    'biceps tendon',
    'humeral head',
    'shoulder',
  ],
  hip: ['femoral head', 'femoral neck', 'acetabulum', 'hip'],
  ankle: ['achilles tendon', 'peroneal tendon', 'talus', 'malleolus', 'ankle'],
  foot: ['calcaneus', 'metatarsal', 'navicular', 'cuboid', 'plantar fascia', 'foot'],
  wrist: ['scaphoid', 'lunate', 'distal radius', 'triangular fibrocartilage', 'wrist'],
  elbow: ['olecranon', 'radial head', 'epicondyle', 'elbow'],
  hand: ['metacarpal', 'phalanx', 'finger', 'thumb', 'hand'],
};

/**
 * Conclusion sentences that deny a whole class of findings at once ("No acute cardiopulmonary abnormality", "No active
 * disease", "Normal chest", "Unremarkable examination", "Clear lungs", "Negative.").
 */
export const GLOBAL_NEGATION = new RegExp(
  [
    String.raw`\b(?:no|without|negative)\s+(?:[\w-]+[\s,/]+){0,6}?(?:acute|active)\b`,
    String.raw`\b(?:no|without|negative)(?:\s+for)?\s+(?:(?:a|an|any|radiographic|radiologic|visible|visualized|definite|evidence|of|for|significant|other|focal|xxxx|or|and|cardiopulmonary|cardiothoracic|thoracic|intrathoracic|pulmonary|cardiac|pleural|osseous|bony|intracranial|abdominal|pelvic)[\s,/]+)*(?:disease|process|abnormalit(?:y|ies)|findings?|injur(?:y|ies)|changes?)\b`,
    String.raw`\bnormal (?:chest|study|exam|examination|radiograph|ct|mri)\b`,
    String.raw`\b(?:study|exam|examination|chest|radiographs?) (?:is |are )?(?:normal|unremarkable|negative)\b`,
    String.raw`\b(?:unremarkable|clear lungs|negative (?:\w+ )?(?:chest|study|exam|examination))\b`,
    String.raw`\blungs (?:are )?(?:\w+ )?clear\b`,
    String.raw`^\W*(?:\d+[.)]\s*)?(?:normal|negative)\W*$`,
  ].join('|'),
  'i',
);
/** Words with which a global negation leaves room for what the conclusion states beside it ("otherwise"). */
export const LEAVES_ROOM = /\b(?:otherwise|other|else|except|besides)\b/i;

/**
 * The report with "Otherwise, " before each conclusion sentence that is a global negation without such a word, as a
 * radiologist writes it once the conclusion names a finding beside it ("Small effusion. Otherwise, no acute ...").
 * Undefined where such a sentence is repeated: rewording a repeat would change what other rules see of it.
 */
export function leaveRoom(text: string): string | undefined {
  const conclusion = partsOf(text).conclusion;
  if (!conclusion) return text;
  let out = text;
  const wording = (s: { text: string }) => s.text.replace(/^\W*(?:\d+[.)](?!\d)\s*)?/, '').toLowerCase();
  for (const sentence of [...conclusion.sentences].sort((a, b) => b.span.start - a.span.start)) {
    const written = text.slice(sentence.span.start, sentence.span.end);
    if (!GLOBAL_NEGATION.test(written) || LEAVES_ROOM.test(written)) continue;
    if (conclusion.sentences.filter((s) => wording(s) === wording(sentence)).length > 1) return undefined;
    const number = /^\W*(?:\d+[.)](?!\d)\s*)?/.exec(written)![0].length;
    const rest = written.slice(number);
    const firstWord = /^\S+/.exec(rest)?.[0] ?? '';
    const lowered = firstWord.length > 1 && firstWord === firstWord.toUpperCase() ? rest : rest.charAt(0).toLowerCase() + rest.slice(1);
    out = replaceAt(out, sentence.span.start + number, sentence.span.end, `Otherwise, ${lowered}`);
  }
  return out;
}
