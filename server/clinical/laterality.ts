/**
 * Sides in report text: "left", "right", "bilateral", "right-sided", the abbreviations L, R, Lt, Rt and the lobe
 * abbreviations RUL, RML, RLL, LUL, LLL, and words that carry their side ("bibasilar"). Also the side of the exam from
 * the front matter or the exam title ("MR LEFT KNEE").
 */
import type { ReportMeta, Side } from '../report/types.ts';
import { parseSide } from '../report/reportMeta.ts';
import { tokenize, type Token } from './phraseIndex.ts';
import type { Vocabulary } from './vocabulary.ts';

export interface SideWord {
  side: Side;
  /** Tokens of the side expression ("right - sided" is three). */
  first: number;
  last: number;
  /** The token that names the side, which a fix replaces. */
  sideToken: number;
  /** An anatomy id the word itself names: "RLL" the lower lobe, "bibasilar" the lung bases. */
  intrinsicAnatomy?: string;
  /** The side is written after what it qualifies: "effusion on the left", "opacities bilaterally". */
  trailing: boolean;
}

const WORD_SIDES: Record<string, Side> = { left: 'left', right: 'right', bilateral: 'bilateral', bilat: 'bilateral', both: 'bilateral' };
const INTRINSIC: Record<string, [Side, string]> = {
  bibasilar: ['bilateral', 'lung base'],
  bibasal: ['bilateral', 'lung base'],
  bibasally: ['bilateral', 'lung base'],
  biapical: ['bilateral', 'lung apex'],
  bihilar: ['bilateral', 'hilum'],
  bilaterally: ['bilateral', ''],
};
const LOBES: Record<string, [Side, string]> = {
  RUL: ['right', 'upper lobe'],
  RML: ['right', 'middle lobe'],
  RLL: ['right', 'lower lobe'],
  LUL: ['left', 'upper lobe'],
  LLL: ['left', 'lower lobe'],
};
const ABBREVIATED: Record<string, Side> = { L: 'left', R: 'right', Lt: 'left', Rt: 'right', LT: 'left', RT: 'right' };
const COMPARATIVES = new Set(['greater', 'worse', 'more', 'larger', 'bigger', 'smaller', 'less', 'higher', 'lower', 'predominantly', 'predominant']);
const TRAILING_PREPOSITIONS = new Set(['on', 'in', 'at', 'of', 'within', 'along', 'involving', 'over', 'overlying']);

/**
 * Side expressions in a token list. `startsStructure(i)` says whether an anatomical structure or a finding starts at
 * token `i`: the one-letter abbreviations count only right before one ("R knee", not "R/O").
 */
export function findSideWords(tokens: readonly Token[], startsStructure: (i: number) => boolean): SideWord[] {
  const out: SideWord[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const lobe = LOBES[token.text];
    if (lobe) {
      out.push({ side: lobe[0], first: i, last: i, sideToken: i, intrinsicAnatomy: lobe[1], trailing: false });
      continue;
    }
    const intrinsic = INTRINSIC[token.lower];
    if (intrinsic) {
      const trailing = token.lower === 'bilaterally';
      out.push({ side: intrinsic[0], first: i, last: i, sideToken: i, ...(intrinsic[1] ? { intrinsicAnatomy: intrinsic[1] } : {}), trailing });
      continue;
    }
    let side: Side | undefined = WORD_SIDES[token.lower];
    if (side === 'bilateral' && token.lower === 'both' && !startsStructure(i + 1)) side = undefined;
    if (!side && ABBREVIATED[token.text]) {
      let next = i + 1;
      if (tokens[next]?.lower === '.') next++;
      if (startsStructure(next)) side = ABBREVIATED[token.text];
    }
    if (!side) continue;
    let last = i;
    // "right-sided", "right sided", "left side"
    if (tokens[last + 1]?.lower === '-' && /^sided?$/.test(tokens[last + 2]?.lower ?? '')) last += 2;
    else if (/^sided?$/.test(tokens[last + 1]?.lower ?? '')) last += 1;
    // "left greater than right", "left worse right": both sides, one more than the other.
    let k = last + 1;
    if (COMPARATIVES.has(tokens[k]?.lower ?? '')) {
      k++;
      if (tokens[k]?.lower === 'than' || tokens[k]?.lower === 'on' || tokens[k]?.lower === 'to') k++;
      if (tokens[k]?.lower === 'the') k++;
      const compared = tokens[k] ? WORD_SIDES[tokens[k]!.lower] : undefined;
      if (compared && compared !== 'bilateral') {
        out.push({ side: compared === side ? side : 'bilateral', first: i, last: k, sideToken: i, trailing: false });
        i = k;
        continue;
      }
    }
    // "left and right", "right or left": both sides.
    const joiner = tokens[last + 1]?.lower;
    const other = tokens[last + 2] ? WORD_SIDES[tokens[last + 2]!.lower] : undefined;
    if ((joiner === 'and' || joiner === 'or' || joiner === '/') && other && other !== 'bilateral') {
      out.push({ side: other === side ? side : 'bilateral', first: i, last: last + 2, sideToken: i, trailing: false });
      i = last + 2;
      continue;
    }
    const trailing = tokens[i - 1]?.lower === 'the' && TRAILING_PREPOSITIONS.has(tokens[i - 2]?.lower ?? '');
    out.push({ side, first: i, last, sideToken: i, trailing });
    i = last;
  }
  return out;
}

/** The opposite of a side; bilateral has none. */
export function oppositeSide(side: Side): Side | undefined {
  return side === 'left' ? 'right' : side === 'right' ? 'left' : undefined;
}

/** The side word written for another side, in the same style: "Right" → "Left", "RLL" → "LLL", "Rt" → "Lt". */
export function rewriteSideWord(word: string, target: Side): string | undefined {
  if (target === 'bilateral') return undefined;
  const lobe = LOBES[word];
  if (lobe) {
    const rewritten = (target === 'left' ? 'L' : 'R') + word.slice(1);
    return LOBES[rewritten] ? rewritten : undefined;
  }
  if (ABBREVIATED[word]) return (target === 'left' ? 'L' : 'R') + word.slice(1);
  if (!/^(left|right)$/i.test(word)) return undefined;
  const plain = target;
  if (word === word.toUpperCase()) return plain.toUpperCase();
  if (word[0] === word[0]!.toUpperCase()) return plain[0]!.toUpperCase() + plain.slice(1);
  return plain;
}

export interface ExamSide {
  side: Side;
  /** The body region the side belongs to ("knee"), or `*` when the front matter gives a side for the whole exam. */
  region: string;
  source: 'front matter' | 'exam title';
}

const FRONT_MATTER_SIDE_KEYS = ['side', 'laterality', 'examside'];

/**
 * The sides an exam is of. "MR LEFT KNEE" gives left for the knee; "Chest PA and lateral; right shoulder 3 views"
 * gives right for the shoulder only; the front matter `side` applies to the whole exam.
 */
export function examSides(meta: ReportMeta, vocabulary: Vocabulary): ExamSide[] {
  for (const key of Object.keys(meta.raw)) {
    if (!FRONT_MATTER_SIDE_KEYS.includes(key.toLowerCase().replace(/[\s_-]/g, ''))) continue;
    const value = meta.raw[key];
    const side = typeof value === 'string' ? parseSide(value) : undefined;
    if (side) return [{ side, region: '*', source: 'front matter' }];
  }
  if (!meta.exam) return [];
  const tokens = tokenize(meta.exam);
  const sides = findSideWords(tokens, () => true);
  const out: ExamSide[] = [];
  for (const match of vocabulary.examRegions.findAll(tokens)) {
    // The nearest side before the region word, within its part of the title (parts end at ; , . and numbers).
    let side: Side | undefined;
    for (let i = match.first - 1; i >= 0 && match.first - i <= 5; i--) {
      const token = tokens[i]!;
      if ([';', ',', '.', ':'].includes(token.lower) || /^\d/.test(token.lower)) break;
      const word = sides.find((s) => s.first <= i && s.last >= i);
      if (word) {
        side = word.side;
        break;
      }
    }
    if (side && !out.some((e) => e.region === match.value && e.side === side)) out.push({ side, region: match.value, source: 'exam title' });
  }
  // One region named twice with different sides ("left and right knees" written apart) is bilateral.
  const byRegion = new Map<string, ExamSide>();
  for (const entry of out) {
    const previous = byRegion.get(entry.region);
    byRegion.set(entry.region, previous && previous.side !== entry.side ? { ...entry, side: 'bilateral' } : entry);
  }
  return [...byRegion.values()];
}
