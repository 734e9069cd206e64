/**
 * Sizes written in reports: "1.4 cm", "14 mm", "3 x 4 cm", "1.2 cm x 0.8 cm", "3-4 mm", "1.4-cm". Values are kept in
 * millimetres so that "1.4 cm" and "14 mm" compare equal.
 */
import type { Vocabulary } from './vocabulary.ts';

export interface Measurement {
  /** Each dimension in millimetres, in the order written (a range "3-4 mm" gives both ends). */
  values: number[];
  /** The numbers as written, for messages. */
  text: string;
  /** Offsets into the text the measurement was read from. */
  start: number;
  end: number;
  /** The unit of the last dimension, as written ("cm"), and its size in millimetres. */
  unit: string;
  unitMm: number;
  /** Decimal places of the most precise number, to compare at the precision written. */
  decimals: number;
}

const NUMBER = String.raw`(?:\d+(?:\.\d+)?|\.\d+)`;
const SEPARATOR = String.raw`\s*(?:x|×|by|\*|-|–|to)\s*`;
const patterns = new WeakMap<Vocabulary, RegExp>();

function measurementPattern(vocabulary: Vocabulary): RegExp {
  let pattern = patterns.get(vocabulary);
  if (!pattern) {
    const units = [...vocabulary.units.keys()]
      .sort((a, b) => b.length - a.length)
      .map(escape)
      .join('|');
    const dimension = `${NUMBER}(?:\\s*-?\\s*(?:${units})(?![A-Za-z]))?`;
    pattern = new RegExp(`(?<![\\w.\\/-])${dimension}(?:${SEPARATOR}${dimension}){0,2}(?![\\w])`, 'gi');
    patterns.set(vocabulary, pattern);
  }
  return pattern;
}

/** Every measurement with a length unit in a text. Numbers without a unit ("T10", "2 views") are not measurements. */
export function findMeasurements(text: string, vocabulary: Vocabulary): Measurement[] {
  const pattern = measurementPattern(vocabulary);
  const out: Measurement[] = [];
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const parsed = parseDimensions(match[0], vocabulary);
    if (parsed) out.push({ ...parsed, text: match[0], start: match.index, end: match.index + match[0].length });
  }
  return out;
}

function parseDimensions(text: string, vocabulary: Vocabulary): Omit<Measurement, 'text' | 'start' | 'end'> | undefined {
  const parts = [...text.matchAll(new RegExp(`(${NUMBER})\\s*-?\\s*([A-Za-z]+)?`, 'g'))];
  const numbers: number[] = [];
  const units: Array<number | undefined> = [];
  let lastUnit = '';
  let decimals = 0;
  for (const part of parts) {
    const unitWord = part[2]?.toLowerCase();
    if (unitWord && ['x', 'by', 'to'].includes(unitWord)) {
      numbers.push(Number(part[1]));
      units.push(undefined);
    } else {
      numbers.push(Number(part[1]));
      const size = unitWord ? vocabulary.units.get(unitWord) : undefined;
      units.push(size);
      if (unitWord && size !== undefined) lastUnit = part[2]!;
    }
    decimals = Math.max(decimals, part[1]!.includes('.') ? part[1]!.split('.')[1]!.length : 0);
  }
  if (units[units.length - 1] === undefined) return undefined;
  // A number without its own unit takes the next unit written after it: "3 x 4 cm" is 30 × 40 mm.
  let unit = units[units.length - 1]!;
  const values: number[] = new Array(numbers.length);
  for (let i = numbers.length - 1; i >= 0; i--) {
    if (units[i] !== undefined) unit = units[i]!;
    values[i] = round(numbers[i]! * unit);
  }
  if (values.some((v) => !Number.isFinite(v))) return undefined;
  return { values, unit: lastUnit, unitMm: units[units.length - 1]!, decimals };
}

/**
 * Whether two measurements of one thing agree: every dimension of `stated` equals some dimension of `reference`,
 * at the precision `stated` is written in ("1.45 cm" in the findings agrees with "1.5 cm"), or within 20% when
 * `stated` is approximate ("about 2 cm").
 */
export function measurementsAgree(stated: Measurement, reference: Measurement, approximate = false): boolean {
  const statedUnit = stated.unitMm;
  return stated.values.every((value) =>
    reference.values.some((other) => {
      if (Math.abs(value - other) < 1e-6) return true;
      // Round the reference to the stated precision, in the stated unit.
      const step = statedUnit / 10 ** stated.decimals;
      if (Math.abs(Math.round(other / step) * step - value) < 1e-6) return true;
      return approximate && Math.abs(value - other) <= 0.2 * Math.max(value, other);
    }),
  );
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
