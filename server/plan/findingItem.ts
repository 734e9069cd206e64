/**
 * One finding of the findings section as a plan item: what it is, where (side, structure), how big, how many, how it
 * changed, how acute and how certain, read off the words around the mention in its clause; and the finding's noun
 * phrase as the report words it ("acute subdural haematoma over the right cerebral convexity"), from which the item's
 * sentence in a conclusion is made.
 */
import type { AnatomyMention, FindingMention, MeasurementMention, SentenceAnalysis } from '../clinical/reportAnalysis.ts';
import { organsOf } from '../clinical/regionOrgans.ts';
import type { Vocabulary } from '../clinical/vocabulary.ts';
import type { Token } from '../clinical/phraseIndex.ts';
import type { Span } from '../report/types.ts';
import type { FindingChange, PlanItem, PlanRank } from './types.ts';

const CHANGE_WORDS: Record<string, FindingChange> = {
  new: 'new',
  newly: 'new',
  'interval development': 'new',
  'interval appearance': 'new',
  increased: 'increased',
  increasing: 'increased',
  enlarging: 'increased',
  enlarged: 'increased',
  worsening: 'increased',
  worsened: 'increased',
  worse: 'increased',
  progressive: 'increased',
  progressed: 'increased',
  progressing: 'increased',
  larger: 'increased',
  growing: 'increased',
  grown: 'increased',
  decreased: 'decreased',
  decreasing: 'decreased',
  improving: 'decreased',
  improved: 'decreased',
  smaller: 'decreased',
  resolving: 'decreased',
  regressing: 'decreased',
  reduced: 'decreased',
  diminished: 'decreased',
  diminishing: 'decreased',
  shrinking: 'decreased',
  stable: 'stable',
  unchanged: 'stable',
  persistent: 'stable',
  redemonstrated: 'stable',
  similar: 'stable',
};

/** Degree words, with the adjective a conclusion uses. */
const SEVERITY_WORDS: Record<string, string> = {
  small: 'small',
  tiny: 'tiny',
  trace: 'trace',
  minimal: 'minimal',
  minimally: 'minimal',
  mild: 'mild',
  mildly: 'mild',
  slight: 'slight',
  slightly: 'slight',
  moderate: 'moderate',
  moderately: 'moderate',
  large: 'large',
  huge: 'large',
  sizeable: 'sizeable',
  sizable: 'sizable',
  severe: 'severe',
  severely: 'severe',
  massive: 'massive',
  marked: 'marked',
  markedly: 'marked',
  extensive: 'extensive',
  complete: 'complete',
  completely: 'complete',
  partial: 'partial',
  focal: 'focal',
  diffuse: 'diffuse',
  diffusely: 'diffuse',
  multifocal: 'multifocal',
  patchy: 'patchy',
  subsegmental: 'subsegmental',
  'full thickness': 'full-thickness',
  'partial thickness': 'partial-thickness',
  'high grade': 'high-grade',
  'low grade': 'low-grade',
};

const ACUITY_WORDS = new Set(['acute', 'subacute', 'hyperacute', 'chronic', 'acute-on-chronic']);
const COUNT_WORDS = new Set(['multiple', 'several', 'numerous', 'innumerable', 'few', 'two', 'three', 'four', 'five', 'six', 'scattered', 'multifocal']);
const HEDGES: Record<string, string> = {
  probable: 'probable',
  probably: 'probable',
  likely: 'probable',
  'most likely': 'probable',
  suspected: 'suspected',
  early: 'early',
  developing: 'developing',
  subtle: 'subtle',
};
const SIDE_WORDS = /\b(?:left|right|bilateral|bilaterally|both|bibasilar|bibasal|biapical|l|r|lt|rt|rul|rml|rll|lul|lll)\b/i;

/** Words that end the noun phrase of a finding, looking back from it. */
const PHRASE_STOPS = new Set([
  'a',
  'an',
  'the',
  'is',
  'are',
  'was',
  'were',
  'be',
  'been',
  'has',
  'have',
  'had',
  'there',
  'this',
  'these',
  'that',
  'which',
  'with',
  'without',
  'of',
  'in',
  'on',
  'at',
  'to',
  'for',
  'by',
  'from',
  'and',
  'or',
  'but',
  'no',
  'not',
  'any',
  'some',
  'seen',
  'noted',
  'identified',
  'demonstrated',
  'present',
  'shows',
  'show',
  'showing',
  'demonstrates',
  'reveals',
  'again',
  'also',
  'as',
  'its',
  'their',
  'his',
  'her',
  'xxxx',
  'within',
  'into',
  'consistent',
  'compatible',
  'represent',
  'represents',
  'suggest',
  'suggests',
  'suggesting',
  'suggestive',
  'likely',
  'probably',
  'possible',
  'possibly',
  'probable',
  'may',
  'might',
  'could',
  'concerning',
  'suspicious',
  'appearance',
  'appears',
  'appear',
  'measuring',
  'measures',
  'approximately',
  'about',
  'keeping',
  'favour',
  'favor',
  'favoured',
  'favored',
  'suspected',
  'query',
  'questionable',
  'evidence',
  'findings',
  'finding',
]);
/** Words that may stand inside a finding's noun phrase although they end it elsewhere: sides, lobes, units. */
const IN_PHRASE = new Set(['left', 'right', 'bilateral', 'sided', 'lower', 'upper', 'middle', 'lobe', 'mm', 'cm', 'x', 'by', 'both']);

const COPULAS = new Set(['is', 'are', 'was', 'were', 'appears', 'appear', 'remains', 'remain', 'seems', 'seem', 'becomes', 'become']);

/** Prepositions that place a finding in a structure written after it ("tear of the … medial meniscus"). */
const LOCATING = new Set([
  'of',
  'in',
  'at',
  'within',
  'involving',
  'along',
  'over',
  'on',
  'throughout',
  'abutting',
  'adjacent',
  'overlying',
  'behind',
  'beneath',
]);
/** Participles that come before such a preposition ("centred in", "located at"). */
const PLACING = new Set(['centred', 'centered', 'located', 'situated', 'arising', 'seen', 'noted', 'extending', 'lying', 'projecting', 'projected']);
/** Words that end a finding's place after it. */
const COMPLEMENT_STOPS = new Set([
  'with',
  'without',
  'measuring',
  'measures',
  'measure',
  'consistent',
  'compatible',
  'suggesting',
  'suggestive',
  'suspicious',
  'concerning',
  'which',
  'that',
  'likely',
  'probably',
  'possibly',
  'keeping',
  'representing',
  'and',
  'or',
  'but',
  'causing',
  'resulting',
  'due',
  'secondary',
  'since',
  'from',
  'when',
  'where',
  'is',
  'are',
  'was',
  'were',
  'has',
  'have',
  'as',
  'than',
  'compared',
  'xxxx',
  'to',
  'for',
  'containing',
]);

export interface ItemContext {
  vocabulary: Vocabulary;
  reportText: string;
}

/** Significant findings that are usually incidental and matter for their follow-up (a nodule, a mass, nodes, an aneurysm). */
const FOLLOW_UP_GROUPS = new Set(['nodule', 'mass', 'lymphadenopathy', 'aneurysm']);

/** The rank a finding mention earns, before the clinical question is taken into account. */
export function rankOf(
  mention: FindingMention,
  item: Pick<PlanItem, 'change' | 'qualifiers'>,
  critical: boolean,
  acuteType: boolean,
  severe = false,
): PlanRank {
  const finding = mention.finding;
  if (critical) return 'critical';
  const worse = item.change === 'new' || item.change === 'increased';
  const background = item.qualifiers.length > 0 && !worse;
  if (background) return 'other';
  // "severe foraminal stenosis", "marked degenerative change": a degree that makes any finding worth saying.
  if (!finding.significant) return severe ? 'significant' : 'other';
  if (worse || acuteType) return 'acute';
  if (FOLLOW_UP_GROUPS.has(finding.group ?? finding.id) || FOLLOW_UP_GROUPS.has(finding.id)) return 'follow-up';
  return 'significant';
}

export function findingItem(mention: FindingMention, context: ItemContext, rank: PlanRank): Omit<PlanItem, 'statement'> {
  const sentence = mention.sentence;
  const { tokens, scope } = sentence;
  const start = scope.clauseStart(mention.first);
  const end = scope.clauseEnd(mention.last);
  const before = tokens.slice(phraseStart(sentence, mention, start), mention.first);
  const after = tokens.slice(mention.last + 1, Math.min(end + 1, mention.last + 7));
  // A change is said in the finding's own phrase ("new airspace opacity") or of it after it in its clause, before any
  // other finding ("the effusion has increased", "mass measuring 4.5 cm, increased in size"), not of another finding
  // of the clause ("reduced lung volumes with atelectasis").
  const nextFinding = sentence.findings.find((f) => f !== mention && !f.modifier && f.first > mention.last);
  const predicate = tokens
    .slice(mention.last + 1, Math.min(end, nextFinding ? nextFinding.first - 1 : end) + 1)
    .filter((t) => CHANGE_WORDS[t.lower] && t.lower !== 'enlarged');
  const near = [...before, ...predicate];

  const item: Omit<PlanItem, 'statement'> = {
    finding: mention.finding,
    group: context.vocabulary.groupOf(mention.finding),
    rank,
    required: rank !== 'other',
    label: labelOf(mention, context),
    certainty: mention.assertion === 'possible' ? 'possible' : 'definite',
    descriptors: [],
    qualifiers: [],
    source: { text: sentence.sentence.text, span: sentence.sentence.span },
  };
  if (mention.side) item.side = mention.side.side;
  const anatomy = mention.anatomy ?? structureAfter(sentence, mention, end);
  if (anatomy && !impliedBy(anatomy.anatomy.id, anatomy.anatomy.organ, mention)) {
    // "cerebral convexity", "posterior horn of the medial meniscus": structures written together are one site.
    const next = sentence.anatomy.find((a) => a.first === anatomy.last + 1);
    const siteEnd = next ? next.span.end : anatomy.span.end;
    item.site = siteText(context.reportText.slice(anatomy.span.start, siteEnd));
    item.siteId = anatomy.anatomy.id;
    if (!item.side && anatomy.side) item.side = anatomy.side.side;
  }
  const measurement = measurementOf(sentence, mention, end);
  if (measurement) {
    item.size = measurement.text.trim();
    item.sizeMm = measurement.values;
  }

  const words = (list: readonly Token[]) => list.filter((t) => t.word).map((t) => t.lower);
  const nearWords = words(near);
  for (let i = 0; i < nearWords.length; i++) {
    const two = `${nearWords[i]} ${nearWords[i + 1] ?? ''}`;
    const change = CHANGE_WORDS[two] ?? CHANGE_WORDS[nearWords[i]!];
    // "enlarged" describes a node or an organ's size, not a change, unless it is said of the finding after it.
    if (change && !item.change && !(nearWords[i] === 'enlarged' && !words(after).includes('enlarged'))) {
      item.change = change;
      item.changeWord = CHANGE_WORDS[two] ? two : nearWords[i]!;
    }
  }
  const beforeWords = words(before);
  beforeWords.forEach((word, i) => {
    const pair = `${word} ${beforeWords[i + 1] ?? ''}`;
    if (SEVERITY_WORDS[pair]) item.severity = SEVERITY_WORDS[pair];
    else if (SEVERITY_WORDS[word] && !item.severity) item.severity = SEVERITY_WORDS[word];
    else if (ACUITY_WORDS.has(word) && !item.acuity) item.acuity = word;
    else if (COUNT_WORDS.has(word) && !item.count) item.count = word;
  });
  // "The heart is mildly enlarged": the degree comes after the structure.
  if (!item.severity) {
    const degree = words(tokens.slice(mention.first, mention.last + 1))
      .map((w) => SEVERITY_WORDS[w])
      .find((severity) => severity !== undefined);
    if (degree) item.severity = degree;
  }
  if (!item.acuity) {
    const acuity = nearWords.find((w) => ACUITY_WORDS.has(w));
    if (acuity && acuity !== 'chronic') item.acuity = acuity;
  }
  item.descriptors = descriptorsOf(before, item);
  if (item.certainty === 'possible') {
    const cue = tokens
      .slice(Math.max(0, mention.first - 4), mention.first)
      .map((t) => t.lower)
      .join(' ');
    const hedge = Object.keys(HEDGES).find((h) => cue.endsWith(h) || cue.includes(`${h} `));
    item.hedge = hedge ? HEDGES[hedge]! : 'possible';
  }
  // "new since the previous film": a change for the worse outweighs the words that read as a history; a finding is
  // old when its history is said before it ("old healed fracture", "history of"), not when it is compared with a prior
  // study after it ("similar to prior exams").
  const worse = item.change === 'new' || item.change === 'increased';
  const oldBefore = scope.has(context.vocabulary.remote, start, mention.first - 1);
  if (mention.chronic && !worse) item.qualifiers.push('chronic or stable');
  if (mention.benign) item.qualifiers.push('benign');
  if (mention.remote && oldBefore && !worse) item.qualifiers.push('old');
  if (mention.minor) item.qualifiers.push('slight');
  const organs = organsOf(mention);
  if (organs.length) item.organs = organs;
  const phrase = writtenPhrase(sentence, mention, context);
  if (phrase) {
    item.phrase = phrase.text;
    item.phraseSpan = phrase.span;
    if (phrase.place) item.place = phrase.place;
  }
  return item;
}

/** Structures on the body's surface: a scalp haematoma is not what a head CT is for. */
const SUPERFICIAL = new Set(['scalp', 'soft tissues']);

export function isSuperficial(siteId: string | undefined): boolean {
  return siteId !== undefined && SUPERFICIAL.has(siteId);
}

/** A degree that makes a finding worth saying whatever it is. */
export function isSevere(item: Pick<PlanItem, 'severity'>): boolean {
  return (
    item.severity === 'severe' || item.severity === 'marked' || item.severity === 'massive' || item.severity === 'high-grade' || item.severity === 'extensive'
  );
}

/** The first token of the finding's noun phrase ("new", "small left", "7 mm solid" before the finding). */
function phraseStart(sentence: SentenceAnalysis, mention: FindingMention, clauseStart: number): number {
  const { tokens } = sentence;
  let from = mention.first;
  while (from - 1 >= clauseStart && mention.first - from < 7) {
    const token = tokens[from - 1]!;
    if (!token.word && token.lower !== '-' && token.lower !== '.') break;
    // A decimal point belongs to a size ("2.3 cm"); any other full stop ends the phrase.
    if (token.lower === '.' && !(/^\d/.test(tokens[from - 2]?.lower ?? '') && /^\d/.test(tokens[from]?.lower ?? ''))) break;
    const stop = PHRASE_STOPS.has(token.lower) && !SEVERITY_WORDS[token.lower] && !CHANGE_WORDS[token.lower] && !IN_PHRASE.has(token.lower);
    // A de-identification token stands for a word of the phrase; it is left out of the text.
    if (stop && token.lower !== 'xxxx') break;
    from--;
  }
  return from;
}

/**
 * The finding's noun phrase as written: its describing words, the finding, and the place that follows it ("in the left
 * lower lobe", "of the medial meniscus", "centred in the left basal ganglia"); undefined for a finding said in a clause
 * of its own ("the heart is mildly enlarged"), which the item's attributes word instead.
 */
function writtenPhrase(sentence: SentenceAnalysis, mention: FindingMention, context: ItemContext): { text: string; span: Span; place?: string } | undefined {
  const { tokens, scope } = sentence;
  const inside = tokens.slice(mention.first, mention.last + 1).map((t) => t.lower);
  if (inside.some((w) => ['is', 'are', 'was', 'were', 'appears', 'appear', 'seems'].includes(w))) return undefined;
  const start = scope.clauseStart(mention.first);
  const end = scope.clauseEnd(mention.last);
  let first = phraseStart(sentence, mention, start);
  // "The lungs are hyperinflated": the finding is said of a subject; the phrase is "hyperinflated lungs".
  if (COPULAS.has(tokens[first - 1]?.lower ?? '')) {
    const subject = tokens.slice(start, first - 1).filter((t) => t.word && !['the', 'a', 'an', 'both', 'xxxx'].includes(t.lower));
    if (subject.length === 0 || subject.length > 3 || subject.some((t) => COPULAS.has(t.lower))) return undefined;
    const offsetOf = sentence.sentence.span.start;
    const words = `${context.reportText.slice(offsetOf + tokens[first]!.start, offsetOf + tokens[mention.last]!.end)} ${subject.map((t) => (t.text.length > 1 && t.text === t.text.toUpperCase() ? t.text : t.lower)).join(' ')}`;
    return { text: clean(words), span: { start: offsetOf + tokens[first]!.start, end: offsetOf + tokens[mention.last]!.end } };
  }
  // "4 mm of midline shift": a size written before the finding belongs to its phrase.
  const offset = sentence.sentence.span.start;
  if (tokens[first - 1]?.lower === 'of') {
    const size = sentence.measurements.find((m) => m.span.end - offset === tokens[first - 2]?.end);
    if (size) first = tokens.findIndex((t) => t.start + offset >= size.span.start);
  }
  let last = mention.last;
  let placeFirst: number | undefined;
  // "hyperinflated lungs", "enlarged heart": a structure right after the finding word is what it describes.
  const described = sentence.anatomy.find((a) => a.first === mention.last + 1 && a.last <= end);
  if (described) last = described.last;
  let k = last + 1;
  if (PLACING.has(tokens[k]?.lower ?? '') && LOCATING.has(tokens[k + 1]?.lower ?? '')) k++;
  if (LOCATING.has(tokens[k]?.lower ?? '')) {
    placeFirst = k;
    let words = 0;
    for (; k <= end && words < 7; k++) {
      const token = tokens[k]!;
      if (!token.word && token.lower !== '-') break;
      if (COMPLEMENT_STOPS.has(token.lower) || (/ing$/.test(token.lower) && token.lower !== 'involving' && token.lower !== 'overlying')) break;
      if (token.word && !LOCATING.has(token.lower) && !['the', 'a', 'an'].includes(token.lower)) words++;
      last = k;
    }
    // A place ends on its noun, not on "of the".
    const noun = described ? described.last : mention.last;
    while (last > noun && (LOCATING.has(tokens[last]!.lower) || ['the', 'a', 'an', '-'].includes(tokens[last]!.lower))) last--;
    if (last === noun) placeFirst = undefined;
  }
  const span = { start: offset + tokens[first]!.start, end: offset + tokens[last]!.end };
  const slice = (from: number, to: number) => clean(context.reportText.slice(offset + tokens[from]!.start, offset + tokens[to]!.end));
  const text = slice(first, last);
  if (!text) return undefined;
  return placeFirst !== undefined ? { text, span, place: slice(placeFirst, last) } : { text, span };
}

/** Text of a phrase without de-identification tokens, markup or doubled spaces. */
export function clean(text: string): string {
  return (
    text
      .replace(/\bX{2,}\b/gi, ' ')
      .replace(/[*_`]/g, '')
      .replace(/\s+/g, ' ')
      // A conjunction whose word was a de-identification token: "denser and XXXX than normal" → "denser than normal".
      .replace(/\b(?:and|or)\s+(?=than\b|[,.;:)]|$)/gi, '')
      .replace(/\s+([,;:)])/g, '$1')
      .replace(/^(?:the|a|an)\s+/i, '')
      .trim()
  );
}

/**
 * The size of a finding: a measurement the clinical reading ties to it, or one its phrase introduces ("haemorrhage
 * centred in the left basal ganglia measuring 4.1 x 2.6 cm") with no other finding in between.
 */
function measurementOf(sentence: SentenceAnalysis, mention: FindingMention, clauseEnd: number): MeasurementMention | undefined {
  const { tokens } = sentence;
  const offset = sentence.sentence.span.start;
  const tokenAt = (m: MeasurementMention) => tokens.findIndex((t) => t.start + offset >= m.span.start);
  const introduced = sentence.measurements.find((m) => {
    const at = tokenAt(m);
    if (at <= mention.last || at > clauseEnd + 6) return false;
    let k = at - 1;
    while (k > mention.last && ['up', 'to', 'approximately', 'about', 'of', '~', 'maximum', 'max'].includes(tokens[k]!.lower)) k--;
    const says =
      k > mention.last && ['measuring', 'measures', 'measure', 'measured', 'diameter', 'thickness', 'size', 'sized', 'length'].includes(tokens[k]!.lower);
    const other = sentence.findings.some((f) => f !== mention && !f.modifier && f.first > mention.last && f.first < at);
    return says && !other;
  });
  return introduced ?? sentence.measurements.find((m) => m.finding === mention);
}

/** Describing words of the phrase that no other attribute accounts for ("solid", "displaced", "comminuted"). */
function descriptorsOf(before: readonly Token[], item: Omit<PlanItem, 'statement'>): string[] {
  const out: string[] = [];
  for (const token of before) {
    const word = token.lower;
    if (
      !token.word ||
      /^\d/.test(word) ||
      PHRASE_STOPS.has(word) ||
      IN_PHRASE.has(word) ||
      SEVERITY_WORDS[word] ||
      CHANGE_WORDS[word] ||
      ACUITY_WORDS.has(word) ||
      COUNT_WORDS.has(word)
    )
      continue;
    if (item.site && item.site.toLowerCase().split(/\s+/).includes(word)) continue;
    if (['rt', 'lt', 'l', 'r', 'rll', 'rml', 'rul', 'lll', 'lul', 'measuring', 'sided'].includes(word)) continue;
    out.push(token.text === token.text.toUpperCase() && token.text.length > 1 ? token.text : word);
  }
  return out;
}

/** The structure a finding is placed in by a preposition after it, in its clause, within eight words. */
function structureAfter(sentence: SentenceAnalysis, mention: FindingMention, clauseEnd: number): AnatomyMention | undefined {
  const { tokens } = sentence;
  let k = mention.last + 1;
  if (PLACING.has(tokens[k]?.lower ?? '')) k++;
  if (!LOCATING.has(tokens[k]?.lower ?? '')) return undefined;
  return sentence.anatomy
    .filter((a) => a.first > mention.last && a.last <= clauseEnd && sentence.scope.distance(mention.last, a.first) <= 8)
    .sort((a, b) => a.first - b.first)[0];
}

/** The finding as the report words it, or the vocabulary's name when the words are a whole phrasing ("heart is enlarged"). */
function labelOf(mention: FindingMention, context: ItemContext): string {
  const written = clean(context.reportText.slice(mention.span.start, mention.span.end));
  const wordCount = written.split(/\s+/).length;
  const phrasing = /\b(?:is|are|was|were|appears?|seems?|of the|in the)\b/i.test(written) || wordCount > 4 || !written;
  const label = phrasing ? (mention.finding.terms[0] ?? mention.finding.id) : written;
  // Keep abbreviations (ACL, PE) as written; everything else in lower case.
  return label
    .split(' ')
    .map((word) => (word.length > 1 && word === word.toUpperCase() && /[A-Z]/.test(word) ? word : word.toLowerCase()))
    .join(' ');
}

/** The structure is what the finding itself says (the pleura of an effusion, the heart of cardiomegaly). */
function impliedBy(anatomyId: string, organ: string | undefined, mention: FindingMention): boolean {
  const own = mention.finding.organ;
  if (anatomyId === 'heart' && mention.finding.id === 'cardiomegaly') return true;
  if (anatomyId === 'lung' || anatomyId === 'pleura') return own === 'lung' || own === 'pleura' || anatomyId === 'pleura';
  return own !== undefined && (anatomyId === own || organ === own) && anatomyId === (organ ?? anatomyId);
}

/** A structure's words without a leading article or side: "the left lower lobe" → "lower lobe". */
function siteText(written: string): string {
  return clean(written)
    .replace(/^(?:left|right|bilateral)(?:[\s-]+sided)?\s+/i, '')
    .toLowerCase();
}

/** Whether a phrase names a side. */
export function namesSide(phrase: string): boolean {
  return SIDE_WORDS.test(phrase);
}
