import type { Modality, ReportMeta, Sex, Side } from './types.ts';

/** Front matter keys that hold the patient's details one level down (`patient: { sex: F, age: 61 }`). */
const NESTED_KEYS = ['patient', 'demographics', 'subject', 'patientinfo', 'patientinformation'];

/**
 * Reads the report metadata from parsed front matter, falling back to what the exam title says and, for the patient's
 * sex and age, to the clinical information ("61-year-old woman", "45 yo M", "male patient").
 */
export function readReportMeta(raw: Record<string, unknown>, examFromText?: string, clinicalText?: string): ReportMeta {
  const normalize = (key: string) => key.toLowerCase().replace(/[\s_-]/g, '');
  const lookUp = (object: Record<string, unknown>, keys: string[]): unknown => {
    for (const key of keys) {
      for (const actual of Object.keys(object)) {
        if (normalize(actual) === key) return object[actual];
      }
    }
    return undefined;
  };
  const get = (...keys: string[]): unknown => lookUp(raw, keys);
  const nested = Object.entries(raw)
    .filter(([key, value]) => NESTED_KEYS.includes(normalize(key)) && typeof value === 'object' && value !== null && !Array.isArray(value))
    .map(([, value]) => value as Record<string, unknown>);
  /** A patient detail: at the top of the front matter, or under `patient:`. */
  const getPatient = (...keys: string[]): unknown => get(...keys) ?? nested.map((object) => lookUp(object, keys)).find((value) => value !== undefined);
  const str = (value: unknown): string | undefined =>
    typeof value === 'string' && value.trim() ? value.trim() : typeof value === 'number' ? String(value) : undefined;

  const exam = str(get('exam', 'examination', 'study', 'title', 'procedure')) ?? examFromText;
  const meta: ReportMeta = { raw };
  if (exam) meta.exam = exam;
  const modality = parseModality(str(get('modality'))) ?? (exam ? modalityFromExam(exam) : undefined);
  if (modality) meta.modality = modality;
  const bodyPart = str(get('bodypart', 'region', 'anatomy'));
  if (bodyPart) meta.bodyPart = bodyPart;
  const side = parseSide(str(get('side', 'laterality', 'examside'))) ?? (exam ? sideFromExam(exam) : undefined);
  if (side) meta.side = side;
  const sex = parseSex(str(getPatient('sex', 'gender', 'patientsex')));
  const told = clinicalText ? patientFromText(clinicalText) : {};
  if (sex) {
    meta.sex = sex;
    meta.sexSource = 'front matter';
  } else if (told.sex) {
    meta.sex = told.sex;
    meta.sexSource = 'clinical information';
  }
  const age = parseAge(getPatient('age', 'patientage')) ?? told.age;
  if (age !== undefined) meta.age = age;
  const author = str(get('author', 'radiologist', 'reportedby', 'dictatedby'));
  if (author) meta.author = author;
  const type = str(get('type'));
  if (type) meta.type = type;
  return meta;
}

const MODALITY_WORDS: ReadonlyArray<[RegExp, Modality]> = [
  [/\bpet\b|positron/i, 'PET'],
  [/\bct\b|\bcta\b|computed tomograph|\bcat scan/i, 'CT'],
  [/\bmri?\b|\bmra\b|magnetic resonance/i, 'MR'],
  [/mammogra|\bmg\b/i, 'MG'],
  [/ultrasound|\bus\b|sonogra|doppler|echocardiogra/i, 'US'],
  [/x-?ray|radiograph|\bxr\b|\bcxr\b|\bkub\b|\bpa and lateral\b/i, 'XR'],
  [/fluoroscop|swallow|\bfl\b/i, 'FL'],
  [/nuclear|scintigra|bone scan|\bnm\b|\bspect\b|\bhida\b/i, 'NM'],
];

export function parseModality(value: string | undefined): Modality | undefined {
  if (!value) return undefined;
  const upper = value.trim().toUpperCase();
  const direct: Record<string, Modality> = {
    CT: 'CT',
    MR: 'MR',
    MRI: 'MR',
    XR: 'XR',
    CR: 'XR',
    DX: 'XR',
    US: 'US',
    NM: 'NM',
    PET: 'PET',
    PT: 'PET',
    MG: 'MG',
    FL: 'FL',
    RF: 'FL',
    IR: 'IR',
    XA: 'IR',
  };
  return direct[upper] ?? modalityFromExam(value) ?? 'other';
}

export function modalityFromExam(exam: string): Modality | undefined {
  for (const [pattern, modality] of MODALITY_WORDS) if (pattern.test(exam)) return modality;
  return undefined;
}

export function parseSide(value: string | undefined): Side | undefined {
  if (!value) return undefined;
  const v = value.trim().toLowerCase();
  if (/^(l|lt|left)$/.test(v)) return 'left';
  if (/^(r|rt|right)$/.test(v)) return 'right';
  if (/^(b|bil|bilat|bilateral|both)$/.test(v)) return 'bilateral';
  return undefined;
}

/**
 * The side an exam title names: "MR LEFT KNEE" is left, "XR BOTH HANDS" bilateral, "CT HEAD" none. The `lt` of an
 * HTML entity ("&lt;", as in exported titles such as "… hours &lt;XXXX&gt;") names no side.
 */
export function sideFromExam(exam: string): Side | undefined {
  if (/\b(bilateral|bilat|both)\b/i.test(exam)) return 'bilateral';
  const left = /(?<!&)\b(left|lt)\b/i.test(exam);
  const right = /(?<!&)\b(right|rt)\b/i.test(exam);
  if (left && right) return 'bilateral';
  if (left) return 'left';
  if (right) return 'right';
  return undefined;
}

export function parseSex(value: string | undefined): Sex | undefined {
  if (!value) return undefined;
  const v = value.trim().toLowerCase();
  if (/^(f|female|woman|w)$/.test(v)) return 'female';
  if (/^(m|male|man)$/.test(v)) return 'male';
  return 'other';
}

function parseAge(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  if (typeof value === 'string') {
    const match = /^\s*(\d{1,3}(?:\.\d+)?)\s*(?:y|yr|yrs|years?|yo)?\s*$/i.exec(value);
    if (match) return Number(match[1]);
  }
  return undefined;
}

const FEMALE_WORDS = 'female|woman|lady|girl';
const MALE_WORDS = 'male|man|gentleman|boy';
const AGE = String.raw`(\d{1,3}|xxxx)`;
/** "61-year-old woman", "61 year old obese female", "45-yr-old man", "XXXX-year-old female" (de-identified age). */
const AGE_AND_WORD = new RegExp(String.raw`\b${AGE}[\s-]*(?:years?|yrs?|yr)[\s-]*old\s+(?:[a-z-]+\s+){0,2}?(${FEMALE_WORDS}|${MALE_WORDS})\b`, 'gi');
/** "45 yo M", "45 y/o F", "45yo male", "45 y.o. female", "45-year-old M". */
const AGE_AND_LETTER = new RegExp(String.raw`\b${AGE}\s*-?\s*(?:y\/o|y\.o\.|yo|years?[\s-]*old|yrs?[\s-]*old)\s*(m|f|${FEMALE_WORDS}|${MALE_WORDS})\b`, 'gi');
/** "male patient", "a woman with", "elderly gentleman". */
const WORD_ALONE = new RegExp(String.raw`\b(?:(female|male)\s+(?:patient|pt)|(woman|lady|girl|gentleman|boy|man))\b`, 'gi');

/**
 * The patient's sex (and age) as the clinical information says it. Undefined where it says nothing clear, or both
 * sexes ("a woman and her son").
 */
export function patientFromText(text: string): { sex?: 'female' | 'male'; age?: number } {
  const sexes = new Set<'female' | 'male'>();
  let age: number | undefined;
  const sexOf = (word: string): 'female' | 'male' => (new RegExp(`^(?:f|${FEMALE_WORDS})$`, 'i').test(word) ? 'female' : 'male');
  for (const pattern of [AGE_AND_WORD, AGE_AND_LETTER]) {
    for (const match of text.matchAll(pattern)) {
      sexes.add(sexOf(match[2]!));
      if (age === undefined && /^\d+$/.test(match[1]!) && Number(match[1]) <= 120) age = Number(match[1]);
    }
  }
  if (sexes.size === 0) for (const match of text.matchAll(WORD_ALONE)) sexes.add(sexOf(match[1] ?? match[2]!));
  const out: { sex?: 'female' | 'male'; age?: number } = {};
  if (sexes.size === 1) out.sex = [...sexes][0]!;
  if (age !== undefined) out.age = age;
  return out;
}
