import type { Modality, ReportMeta, Sex, Side } from './types.ts';

/** Reads the report metadata from parsed front matter, falling back to what the exam title says. */
export function readReportMeta(raw: Record<string, unknown>, examFromText?: string): ReportMeta {
  const get = (...keys: string[]): unknown => {
    for (const key of keys) {
      for (const actual of Object.keys(raw)) {
        if (actual.toLowerCase().replace(/[\s_-]/g, '') === key) return raw[actual];
      }
    }
    return undefined;
  };
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
  const sex = parseSex(str(get('sex', 'gender', 'patientsex')));
  if (sex) meta.sex = sex;
  const age = parseAge(get('age', 'patientage'));
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
    CT: 'CT', MR: 'MR', MRI: 'MR', XR: 'XR', CR: 'XR', DX: 'XR', US: 'US', NM: 'NM', PET: 'PET', PT: 'PET',
    MG: 'MG', FL: 'FL', RF: 'FL', IR: 'IR', XA: 'IR',
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

/** The side an exam title names: "MR LEFT KNEE" is left, "XR BOTH HANDS" bilateral, "CT HEAD" none. */
export function sideFromExam(exam: string): Side | undefined {
  if (/\b(bilateral|bilat|both)\b/i.test(exam)) return 'bilateral';
  const left = /\b(left|lt)\b/i.test(exam);
  const right = /\b(right|rt)\b/i.test(exam);
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
