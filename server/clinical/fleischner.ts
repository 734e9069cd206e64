/**
 * Fleischner Society 2017 guidelines for the management of incidental pulmonary nodules detected on CT images
 * (MacMahon H, Naidich DP, Goo JM, et al. Radiology 2017;284(1):228–243, Table 1). They apply to adults aged 35 and
 * over, not to lung cancer screening, patients with a known primary cancer or immunosuppressed patients. Nodule size is
 * the average of the long and short axes, rounded to the nearest millimetre.
 */

export type NoduleType = 'solid' | 'ground-glass' | 'part-solid';

export interface NoduleCategory {
  type: NoduleType;
  multiple: boolean;
  /** Average diameter in millimetres, rounded. */
  sizeMm: number;
  /** The size band as the table writes it: "<6 mm", "6–8 mm", ">8 mm", "≥6 mm". */
  band: string;
  /** The recommendation for low-risk patients, as the table words it. */
  recommendation: string;
}

export const FLEISCHNER_2017_CITATION = 'Fleischner Society 2017 (MacMahon et al., Radiology 2017;284:228–243)';

const SOLID: Record<'single' | 'multiple', Record<'<6' | '6-8' | '>8', string>> = {
  single: {
    '<6': 'No routine follow-up (optional CT at 12 months if high risk)',
    '6-8': 'CT at 6–12 months, then consider CT at 18–24 months',
    '>8': 'Consider CT at 3 months, PET/CT, or tissue sampling',
  },
  multiple: {
    '<6': 'No routine follow-up (optional CT at 12 months if high risk)',
    '6-8': 'CT at 3–6 months, then consider CT at 18–24 months',
    '>8': 'CT at 3–6 months, then consider CT at 18–24 months',
  },
};

const SUBSOLID: Record<'ground-glass' | 'part-solid' | 'multiple', Record<'<6' | '>=6', string>> = {
  'ground-glass': {
    '<6': 'No routine follow-up',
    '>=6': 'CT at 6–12 months to confirm persistence, then CT every 2 years until 5 years',
  },
  'part-solid': {
    '<6': 'No routine follow-up',
    '>=6': 'CT at 3–6 months to confirm persistence; if unchanged and the solid component remains <6 mm, annual CT for 5 years',
  },
  multiple: {
    '<6': 'CT at 3–6 months; if stable, consider CT at 2 and 4 years',
    '>=6': 'CT at 3–6 months; subsequent management based on the most suspicious nodule(s)',
  },
};

/** The Fleischner 2017 category of a nodule by type, multiplicity and average diameter. */
export function fleischnerCategory(type: NoduleType, multiple: boolean, sizeMm: number): NoduleCategory {
  const size = Math.round(sizeMm);
  if (type === 'solid') {
    const band = size < 6 ? '<6' : size <= 8 ? '6-8' : '>8';
    return {
      type,
      multiple,
      sizeMm: size,
      band: band === '6-8' ? '6–8 mm' : `${band} mm`,
      recommendation: SOLID[multiple ? 'multiple' : 'single'][band],
    };
  }
  const band = size < 6 ? '<6' : '>=6';
  return {
    type,
    multiple,
    sizeMm: size,
    band: band === '<6' ? '<6 mm' : '≥6 mm',
    recommendation: SUBSOLID[multiple ? 'multiple' : type][band],
  };
}

/** The average of the long and short axes (the first two dimensions), or the one dimension given. */
export function noduleDiameter(valuesMm: readonly number[]): number {
  if (valuesMm.length === 0) return 0;
  if (valuesMm.length === 1) return valuesMm[0]!;
  const [a, b] = [...valuesMm].sort((x, y) => y - x);
  return (a! + b!) / 2;
}
