/**
 * Global negations: conclusion sentences that deny a whole class of findings at once — "No acute cardiopulmonary
 * abnormality", "No active disease", "Normal chest radiograph", "Unremarkable examination", "No acute intracranial
 * abnormality", "The lungs are clear". Each has a reach (acute-type findings only, or any significant finding) and a
 * place (the whole examination, or the organs it names). A finding the findings section states as present, new and
 * within that reach and place contradicts it, unless the conclusion states that finding too and the negation leaves
 * room for it ("otherwise", "other", "else", "except").
 *
 * Pure: reads the sentence analysis of `reportAnalysis.ts`; used by the `contradiction` rule and the conclusion guard.
 */
import type { Side, Span } from '../report/types.ts';
import type { AnatomyMention, FindingMention, SentenceAnalysis } from './reportAnalysis.ts';
import { CHEST, organsNamedBy, organsOf, REGION_WORDS } from './regionOrgans.ts';
import { NORMAL_WORDS, segmentsOf, statedFindings, statesPresentFinding } from './statedFindings.ts';
import type { FindingTerm, Vocabulary } from './vocabulary.ts';

export { statesPresentFinding };

/** `acute`: only acute-type findings ("no acute ...", "no active ..."); `significant`: any significant finding. */
export type GlobalNegationReach = 'acute' | 'significant';

export interface GlobalNegation {
  sentence: SentenceAnalysis;
  /** The words that make it ("No acute cardiopulmonary abnormality"), offsets into the report. */
  span: Span;
  reach: GlobalNegationReach;
  /** The organs it speaks of (anatomy organs, `bones`, `brain`); absent: the whole examination. */
  organs?: ReadonlySet<string>;
  /** "The left lung is clear": only that side. */
  side?: Side;
  /** "Otherwise", "other", "else", "except", "besides": it leaves room for what the conclusion states beside it. */
  otherwise: boolean;
}

export interface GlobalNegationConflict {
  negation: GlobalNegation;
  /** The finding stated in the findings that the negation denies. */
  finding: FindingMention;
}

// ---------------------------------------------------------------------------------------------------------------------
// Words.

/** What a global negation denies: the general nouns ("no acute disease"), not a named finding. */
const GENERAL_NOUNS = new Set([
  'disease',
  'diseases',
  'process',
  'processes',
  'abnormality',
  'abnormalities',
  'finding',
  'findings',
  'pathology',
  'injury',
  'injuries',
  'change',
  'changes',
]);
/** Nouns that are acute-type by themselves ("no cardiopulmonary injury"). */
const INJURY_NOUNS = new Set(['injury', 'injuries']);
/** Describing words that limit a global negation to acute-type findings. */
const ACUTE_WORDS = new Set(['acute', 'active', 'new', 'traumatic', 'emergent']);
/** Words that may stand in a global negation's noun phrase without changing what it denies. */
const PLAIN_WORDS = new Set([
  'a',
  'an',
  'the',
  'any',
  'of',
  'for',
  'or',
  'and',
  'nor',
  ',',
  '/',
  '-',
  'evidence',
  'sign',
  'signs',
  'significant',
  'radiographic',
  'radiographically',
  'radiologic',
  'radiological',
  'sonographic',
  'imaging',
  'visible',
  'visualized',
  'evident',
  'definite',
  'definitive',
  'demonstrable',
  'gross',
  'grossly',
  'obvious',
  'other',
  'additional',
  'further',
  'focal',
  'identifiable',
  'detectable',
  'appreciable',
  'apparent',
  'clinically',
  'major',
  'serious',
  'important',
  'preoperative',
  'intra',
  'xxxx',
  'x',
  'otherwise',
  'else',
]);
/** Words that say the negation leaves room for what is stated beside it. */
const OTHERWISE_WORDS = new Set([
  'otherwise',
  'other',
  'else',
  'except',
  'besides',
  'apart',
  'aside',
  'additional',
  'further',
  'elsewhere',
  'remainder',
  'rest',
]);
/** What "normal" is said of for the whole examination ("normal chest radiograph", "the study is unremarkable"). */
const STUDY_NOUNS = new Set([
  'study',
  'studies',
  'exam',
  'exams',
  'examination',
  'examinations',
  'radiograph',
  'radiographs',
  'radiography',
  'film',
  'films',
  'x',
  'ray',
  'xray',
  'xrays',
  'rays',
  'xxxx',
  'cxr',
  'ct',
  'cta',
  'mri',
  'mr',
  'mra',
  'scan',
  'scans',
  'series',
  'view',
  'views',
  'ultrasound',
  'sonogram',
  'chest',
  'head',
  'abdomen',
  'pelvis',
  'survey',
  'images',
  'imaging',
  'appearance',
  'plain',
]);
/** Words a "normal" statement may hold besides its subject ("The lungs are otherwise clear", "Essentially normal study"). */
const STATEMENT_WORDS = new Set([
  'a',
  'an',
  'the',
  'this',
  'of',
  'is',
  'are',
  'was',
  'were',
  'appear',
  'appears',
  'remain',
  'remains',
  'be',
  'otherwise',
  'essentially',
  'grossly',
  'again',
  'also',
  'both',
  'bilaterally',
  'now',
  'entirely',
  'completely',
  'overall',
  'within',
  'limits',
  'and',
  '-',
  '/',
  'preoperative',
  'portable',
  'frontal',
  'lateral',
  'pa',
  'ap',
  'two',
  'view',
  'views',
  'for',
  'age',
  'in',
  'on',
  'today',
  "today's",
  'current',
  'present',
  'follow',
  'up',
  'repeat',
  'limited',
]);

// ---------------------------------------------------------------------------------------------------------------------

/**
 * The global negations of one analysed sentence (of a conclusion, usually). `before`, the sentences before it in its
 * section, may name what a bare "Normal." is about: "Ribs. Normal." is about the ribs; in a conclusion of several
 * labelled parts ("Chest. ... Left knee. ..."), a bare "Normal." away from a label is about no part one can tell.
 */
export function findGlobalNegations(sentence: SentenceAnalysis, before: readonly SentenceAnalysis[] = []): GlobalNegation[] {
  if (sentence.recommendation) return [];
  const { tokens } = sentence;
  const inFinding = new Uint8Array(tokens.length);
  for (const f of sentence.findings) for (let k = f.first; k <= f.last; k++) inFinding[k] = 1;
  const anatomyAt = new Map<number, AnatomyMention>();
  for (const a of sentence.anatomy) for (let k = a.first; k <= a.last; k++) anatomyAt.set(k, a);
  const otherwise = tokens.some((t) => OTHERWISE_WORDS.has(t.lower));
  const out: GlobalNegation[] = [];
  const spanOf = (first: number, last: number): Span => ({
    start: sentence.sentence.span.start + tokens[first]!.start,
    end: sentence.sentence.span.start + tokens[last]!.end,
  });

  // "No acute cardiopulmonary abnormality", "negative for acute disease", "without acute process", "acute disease is excluded".
  for (let i = 0; i < tokens.length; i++) {
    if (!GENERAL_NOUNS.has(tokens[i]!.lower) || inFinding[i]) continue;
    const { assertion, cue } = sentence.scope.assert(i, i);
    if (assertion !== 'absent' || !cue) continue;
    const floor = cue.last < i ? cue.last : sentence.scope.clauseStart(i) - 1;
    const phrase = readNounPhrase(sentence, floor, i, anatomyAt, inFinding);
    // "No findings of pneumonia", "no findings to explain the pain": the noun is narrowed by what follows it.
    if (!phrase || narrowedAfter(sentence, i, inFinding)) continue;
    if (INJURY_NOUNS.has(tokens[i]!.lower)) phrase.acute = true;
    // "No abnormalities as compared to the prior study", "no change since": it denies what is new, not what was there.
    if (comparedAfter(sentence, i)) phrase.acute = true;
    const after = placesAfter(sentence, i, anatomyAt);
    const organs = new Set([...phrase.organs, ...after.organs]);
    out.push({
      sentence,
      span: spanOf(cue.last < i ? cue.first : Math.min(phrase.first, i), cue.last < i ? Math.max(i, after.last) : cue.last),
      reach: phrase.acute ? 'acute' : 'significant',
      ...(organs.size > 0 ? { organs } : {}),
      ...(phrase.side ? { side: phrase.side } : {}),
      otherwise,
    });
  }

  // "Normal chest radiograph", "Unremarkable examination", "The lungs are clear", "Negative.", "Kidneys are normal".
  const segments = segmentsOf(sentence);
  segments.forEach((segment, index) => {
    const statement = readNormalStatement(sentence, segment, anatomyAt, inFinding);
    if (!statement) return;
    let place: Place | undefined = statement.place;
    if (statement.bare) {
      // "Ventricular function: Normal.", "Ribs. Normal.": the label before it says what is normal.
      const colon = segment.first > 0 && tokens[segment.first - 1]!.lower === ':';
      if (colon) place = labelPlace(sentence, { first: 0, last: segment.first - 2 });
      else if (segments.slice(0, index).every((g) => listNumberOnly(sentence, g))) {
        const earlier = before.filter((b) => b.section === sentence.section);
        const previous = earlier[earlier.length - 1];
        place = previous ? labelPlace(previous, { first: 0, last: previous.tokens.length - 1 }) : undefined;
        if (!place && earlier.some((b) => labelPlace(b, { first: 0, last: b.tokens.length - 1 }) !== undefined)) return;
        place ??= {};
      }
      if (!place) return;
    }
    // "Clear" speaks of airspaces: no consolidation, no oedema; a nodule does not make lungs unclear.
    const reach = tokens[statement.normal]!.lower === 'clear' ? 'acute' : 'significant';
    out.push({ sentence, span: spanOf(statement.first, statement.last), reach, ...place, otherwise });
  });
  return out;
}

/** A segment that is only a list number ("1" of "1. Normal."). */
function listNumberOnly(sentence: SentenceAnalysis, segment: { first: number; last: number }): boolean {
  return sentence.tokens.slice(segment.first, segment.last + 1).every((t) => !t.word || /^\d+$/.test(t.lower));
}

interface Place {
  organs?: ReadonlySet<string>;
  side?: Side;
}

/**
 * What a label names ("Ribs", "Left knee", "Chest", "Ventricular function"): its structures, or the examination.
 * Undefined when the label is more than a place (a sentence of its own, or a place the vocabulary does not know).
 */
function labelPlace(sentence: SentenceAnalysis, range: { first: number; last: number }): Place | undefined {
  const { tokens } = sentence;
  const organs = new Set<string>();
  const sides = new Set<Side>();
  let words = 0;
  let chest = false;
  let study = false;
  for (let k = range.first; k <= range.last && k < tokens.length; k++) {
    const token = tokens[k]!;
    if (!token.word || /^\d+$/.test(token.lower)) continue;
    const anatomy = sentence.anatomy.find((a) => a.first === k);
    words++;
    if (anatomy) {
      for (const organ of organsNamedBy(anatomy)) organs.add(organ);
      if (anatomy.side) sides.add(anatomy.side.side);
      k = anatomy.last;
    } else if (token.lower === 'left' || token.lower === 'right') sides.add(token.lower);
    else if (STUDY_NOUNS.has(token.lower)) {
      study = true;
      if (token.lower === 'chest') chest = true;
    } else if (!['and', 'the', 'of'].includes(token.lower)) return undefined;
  }
  if (words === 0 || words > 5) return undefined;
  const side = sides.size === 1 ? [...sides][0]! : undefined;
  if (organs.size > 0) return { organs, ...(side && side !== 'bilateral' ? { side } : {}) };
  if (chest) return { organs: new Set(CHEST) };
  return study ? {} : undefined;
}

/** Whether a global negation denies the finding a findings mention states: in its reach, its place and its side. */
export function deniedByGlobalNegation(negation: GlobalNegation, mention: FindingMention): boolean {
  if (!statesPresentFinding(mention)) return false;
  const finding = mention.finding;
  if (!(finding.acute === true || (negation.reach === 'significant' && finding.significant === true))) return false;
  return placeCovers(negation, mention);
}

/** Whether a mention lies where a global negation speaks: in one of its organs, on its side. */
function placeCovers(negation: GlobalNegation, mention: FindingMention): boolean {
  if (negation.organs && !organsOf(mention).some((organ) => negation.organs!.has(organ))) return false;
  if (negation.side === 'left' || negation.side === 'right') {
    const side = mention.side?.side ?? mention.anatomy?.side?.side ?? mention.anatomy?.anatomy.side;
    if (side !== negation.side) return false;
  }
  return true;
}

/**
 * Every global negation of the conclusion that a finding of the findings contradicts, with the first such finding.
 * A finding the conclusion states too (under its name or a related one) is allowed beside a negation that says
 * "otherwise"/"other"/"else"/"except"; without that word, "Small left effusion. No acute cardiopulmonary process." still
 * denies what it has just said.
 */
export function globalNegationConflicts(
  findings: readonly SentenceAnalysis[],
  conclusion: readonly SentenceAnalysis[],
  vocabulary: Vocabulary,
): GlobalNegationConflict[] {
  const negations = conclusion.flatMap((sentence, i) => findGlobalNegations(sentence, conclusion.slice(0, i)));
  if (negations.length === 0) return [];
  const stated = statedFindings(findings, vocabulary, (mention) => negations.some((n) => deniedByGlobalNegation(n, mention)));
  if (stated.length === 0) return [];
  const concluded = conclusion
    .filter((s) => !s.recommendation)
    .flatMap((s) => s.findings)
    .filter((f) => !f.modifier && f.assertion !== 'absent' && f.assertion !== 'hypothetical');
  const inConclusion = (finding: FindingTerm) => concluded.some((c) => related(c.finding, finding, vocabulary));
  const out: GlobalNegationConflict[] = [];
  for (const negation of negations) {
    const finding = stated.find((f) => deniedByGlobalNegation(negation, f) && !(negation.otherwise && inConclusion(f.finding)));
    if (finding) out.push({ negation, finding });
  }
  return out;
}

function related(a: FindingTerm, b: FindingTerm, vocabulary: Vocabulary): boolean {
  return a === b || vocabulary.supports(a, b) || vocabulary.supports(b, a);
}

interface NounPhrase {
  first: number;
  acute: boolean;
  organs: string[];
  side?: Side;
}

/**
 * The words between a negation cue (token `floor`) and a general noun (token `noun`): only acute words, places and
 * plain words ("no radiographic evidence of acute cardiopulmonary disease"); a named finding before them is another
 * item of the negated list ("no pneumothorax or other acute abnormality"). Undefined when another word limits it.
 */
function readNounPhrase(
  sentence: SentenceAnalysis,
  floor: number,
  noun: number,
  anatomyAt: ReadonlyMap<number, AnatomyMention>,
  inFinding: Uint8Array,
): NounPhrase | undefined {
  const { tokens } = sentence;
  const phrase: NounPhrase = { first: noun, acute: false, organs: [] };
  const sides = new Set<Side>();
  for (let k = noun - 1; k > floor; k--) {
    const lower = tokens[k]!.lower;
    const anatomy = anatomyAt.get(k);
    if (inFinding[k]) break;
    if (anatomy) {
      phrase.organs.push(...organsNamedBy(anatomy));
      if (anatomy.side) sides.add(anatomy.side.side);
      k = anatomy.first;
    } else if (ACUTE_WORDS.has(lower)) phrase.acute = true;
    else if (REGION_WORDS[lower]) phrase.organs.push(...REGION_WORDS[lower]!);
    else if (lower === 'left' || lower === 'right') sides.add(lower);
    else if (lower !== 'bilateral' && lower !== 'sided' && !PLAIN_WORDS.has(lower)) return undefined;
    phrase.first = k;
  }
  if (sides.size === 1) phrase.side = [...sides][0]!;
  return phrase;
}

/** A named finding or a qualifying clause right after the noun: "no findings of pneumonia", "no findings to explain". */
function narrowedAfter(sentence: SentenceAnalysis, noun: number, inFinding: Uint8Array): boolean {
  const { tokens } = sentence;
  const next = tokens[noun + 1]?.lower;
  if (next === 'to' || next === 'that' || next === 'which' || next === 'related' || next === 'suggestive' || next === 'concerning') return true;
  if (next !== 'of' && next !== 'for') return false;
  const end = Math.min(sentence.scope.clauseEnd(noun), noun + 5);
  for (let k = noun + 2; k <= end; k++) if (inFinding[k]) return true;
  return false;
}

/** A comparison with an earlier study in the noun's clause after it: "as compared to prior", "since the last film". */
function comparedAfter(sentence: SentenceAnalysis, noun: number): boolean {
  const end = sentence.scope.clauseEnd(noun);
  return sentence.tokens
    .slice(noun + 1, end + 1)
    .some((t) => ['compared', 'comparison', 'since', 'prior', 'previous', 'previously', 'interval'].includes(t.lower));
}

/** Places named right after the noun: "no acute abnormality of the chest", "in the abdomen or pelvis". */
function placesAfter(sentence: SentenceAnalysis, noun: number, anatomyAt: ReadonlyMap<number, AnatomyMention>): { organs: string[]; last: number } {
  const { tokens } = sentence;
  const organs: string[] = [];
  let last = noun;
  let k = noun + 1;
  if (!['of', 'in', 'within', 'involving'].includes(tokens[k]?.lower ?? '')) return { organs, last };
  for (k++; k < tokens.length; k++) {
    const lower = tokens[k]!.lower;
    const anatomy = anatomyAt.get(k);
    if (anatomy) {
      organs.push(...organsNamedBy(anatomy));
      k = anatomy.last;
      last = k;
    } else if (REGION_WORDS[lower]) {
      organs.push(...REGION_WORDS[lower]!);
      last = k;
    } else if (!['the', 'or', 'and', ',', 'either', 'both'].includes(lower)) break;
  }
  return { organs, last };
}

/**
 * A statement that calls the whole examination ("Normal chest radiograph", "Negative.", "The study is unremarkable")
 * or a structure ("The lungs are clear", "Kidneys are normal", "Left lung clear") normal, with nothing else in it.
 */
function readNormalStatement(
  sentence: SentenceAnalysis,
  segment: { first: number; last: number },
  anatomyAt: ReadonlyMap<number, AnatomyMention>,
  inFinding: Uint8Array,
): { first: number; last: number; normal: number; place: Place; bare: boolean } | undefined {
  const { tokens } = sentence;
  let normal: number | undefined;
  let study = false;
  let chest = false;
  const organs = new Set<string>();
  const sides = new Set<Side>();
  let first = -1;
  let last = -1;
  for (let k = segment.first; k <= segment.last; k++) {
    const token = tokens[k]!;
    if (!token.word && token.lower !== '-' && token.lower !== '/' && token.lower !== "'") continue;
    if (/^\d+$/.test(token.lower) && k === segment.first) continue; // a list number
    if (inFinding[k]) return undefined;
    const anatomy = anatomyAt.get(k);
    if (anatomy) {
      for (const organ of organsNamedBy(anatomy)) organs.add(organ);
      if (anatomy.side) sides.add(anatomy.side.side);
      else if (
        anatomy.anatomy.paired &&
        /\b(?:lungs|kidneys|ovaries|hemithoraces|both|bilateral)\b/i.test(sentence.text.slice(token.start, tokens[anatomy.last]!.end + 1))
      )
        sides.add('bilateral');
      if (first < 0) first = anatomy.first;
      last = Math.max(last, anatomy.last);
      k = anatomy.last;
      continue;
    }
    const lower = token.lower;
    if (NORMAL_WORDS.has(lower)) {
      // "not normal", "clear of": not a normal statement.
      if (tokens[k - 1]?.lower === 'not' || tokens[k + 1]?.lower === 'of') return undefined;
      normal = k;
    } else if (lower === 'limits' && tokens[k - 1]?.lower === 'normal') normal = k;
    else if (STUDY_NOUNS.has(lower)) {
      study = true;
      if (lower === 'chest') chest = true;
    } else if (lower === 'left' || lower === 'right') sides.add(lower);
    else if (!STATEMENT_WORDS.has(lower)) return undefined;
    if (first < 0) first = k;
    last = k;
  }
  if (normal === undefined || first < 0) return undefined;
  // "Clear" is said of structures ("clear lungs"), not of an examination; an examination "negative for" something is a
  // negation of that something.
  if (tokens[normal]!.lower === 'clear' && organs.size === 0) return undefined;
  const side = sides.size === 1 ? [...sides][0]! : undefined;
  if (organs.size > 0) return { first, last, normal, place: { organs, ...(side && side !== 'bilateral' ? { side } : {}) }, bare: false };
  if (study) return { first, last, normal, place: chest ? { organs: new Set(CHEST) } : {}, bare: false };
  // "Negative.", "Otherwise unremarkable.", "Normal for age.": about the examination, or about the label before it.
  const words = tokens.slice(segment.first, segment.last + 1).filter((t) => t.word && !/^\d+$/.test(t.lower)).length;
  return words <= 3 ? { first, last, normal, place: {}, bare: true } : undefined;
}
