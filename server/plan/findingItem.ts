/**
 * One finding of the findings section as a plan item: what it is, where (side, structure), how big, how many, how it
 * changed, how acute and how certain, read off the words around the mention in its clause.
 */
import type { AnatomyMention, FindingMention, SentenceAnalysis } from '../clinical/reportAnalysis.ts';
import type { Vocabulary } from '../clinical/vocabulary.ts';
import type { Token } from '../clinical/phraseIndex.ts';
import type { FindingChange, PlanItem, PlanRank } from './types.ts';

const CHANGE_WORDS: Record<string, FindingChange> = {
  new: 'new', newly: 'new', developing: 'new', 'interval development': 'new', 'interval appearance': 'new',
  increased: 'increased', increasing: 'increased', enlarging: 'increased', enlarged: 'increased', worsening: 'increased', worsened: 'increased',
  worse: 'increased', progressive: 'increased', progressed: 'increased', progressing: 'increased', larger: 'increased', growing: 'increased', grown: 'increased',
  decreased: 'decreased', decreasing: 'decreased', improving: 'decreased', improved: 'decreased', smaller: 'decreased', resolving: 'decreased',
  regressing: 'decreased', reduced: 'decreased', diminished: 'decreased', diminishing: 'decreased', shrinking: 'decreased',
  stable: 'stable', unchanged: 'stable', persistent: 'stable', redemonstrated: 'stable', similar: 'stable',
};

/** Degree words, with the adjective a conclusion uses. */
const SEVERITY_WORDS: Record<string, string> = {
  small: 'small', tiny: 'tiny', trace: 'trace', minimal: 'minimal', minimally: 'minimal', mild: 'mild', mildly: 'mild', slight: 'slight', slightly: 'slight',
  moderate: 'moderate', moderately: 'moderate', large: 'large', huge: 'large', sizeable: 'sizeable', sizable: 'sizable', severe: 'severe', severely: 'severe',
  massive: 'massive', marked: 'marked', markedly: 'marked', extensive: 'extensive', complete: 'complete', completely: 'complete', partial: 'partial',
  focal: 'focal', diffuse: 'diffuse', diffusely: 'diffuse', multifocal: 'multifocal', patchy: 'patchy', subsegmental: 'subsegmental',
  'full thickness': 'full-thickness', 'partial thickness': 'partial-thickness', 'high grade': 'high-grade', 'low grade': 'low-grade',
};

const ACUITY_WORDS = new Set(['acute', 'subacute', 'hyperacute', 'chronic', 'acute-on-chronic']);
const COUNT_WORDS = new Set(['multiple', 'several', 'numerous', 'innumerable', 'few', 'two', 'three', 'four', 'five', 'six', 'scattered', 'multifocal', 'bilateral']);
const HEDGES: Record<string, string> = { probable: 'probable', probably: 'probable', likely: 'probable', 'most likely': 'probable', suspected: 'suspected', early: 'early', developing: 'developing', subtle: 'subtle' };

/** Words that end the noun phrase of a finding, looking back from it. */
const PHRASE_STOPS = new Set([
  'a', 'an', 'the', 'is', 'are', 'was', 'were', 'be', 'been', 'has', 'have', 'had', 'there', 'this', 'these', 'that', 'which',
  'with', 'without', 'of', 'in', 'on', 'at', 'to', 'for', 'by', 'from', 'and', 'or', 'but', 'no', 'not', 'any', 'some',
  'seen', 'noted', 'identified', 'demonstrated', 'present', 'shows', 'show', 'showing', 'demonstrates', 'reveals', 'again',
  'also', 'as', 'its', 'their', 'his', 'her', 'xxxx', 'within', 'into', 'consistent', 'compatible', 'represent', 'represents',
  'suggest', 'suggests', 'suggesting', 'suggestive', 'likely', 'probably', 'possible', 'possibly', 'probable', 'may', 'might',
  'could', 'concerning', 'suspicious', 'appearance', 'appears', 'appear', 'measuring', 'measures', 'approximately', 'about',
  'mm', 'cm', 'x', 'by', 'both', 'left', 'right', 'sided', 'side', 'bilateral', 'lower', 'upper', 'middle', 'lobe',
]);

export interface ItemContext {
  vocabulary: Vocabulary;
  reportText: string;
}

/** The rank a finding mention earns, before the clinical question is taken into account. */
export function rankOf(mention: FindingMention, change: FindingChange | undefined, critical: boolean, acuteType: boolean): PlanRank {
  const finding = mention.finding;
  if (critical) return 'critical';
  const worse = change === 'new' || change === 'increased';
  const background = (mention.chronic || mention.benign || mention.remote || mention.minor) && !worse;
  if (!finding.significant || background) return 'other';
  if (worse || acuteType) return 'acute';
  if (FOLLOW_UP_GROUPS.has(finding.group ?? finding.id) || FOLLOW_UP_GROUPS.has(finding.id)) return 'follow-up';
  return 'significant';
}

/** Significant findings that are usually incidental and matter for their follow-up (a nodule, a mass, nodes, an aneurysm). */
const FOLLOW_UP_GROUPS = new Set(['nodule', 'mass', 'lymphadenopathy', 'aneurysm']);

export function findingItem(mention: FindingMention, context: ItemContext, rank: PlanRank, critical: boolean): Omit<PlanItem, 'statement'> {
  const sentence = mention.sentence;
  const { tokens, scope } = sentence;
  const start = scope.clauseStart(mention.first);
  const end = scope.clauseEnd(mention.last);
  // Words before the finding in its phrase, and the predicate after it ("the effusion has increased").
  const before = phraseBefore(sentence, mention, start);
  const after = tokens.slice(mention.last + 1, Math.min(end + 1, mention.last + 7));
  const near = [...tokens.slice(Math.max(start, mention.first - 8), mention.first), ...after];

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
  const measurement = sentence.measurements.find((m) => m.finding === mention);
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
  for (const word of words(before)) {
    if (SEVERITY_WORDS[word] && !item.severity) item.severity = SEVERITY_WORDS[word];
    else if (ACUITY_WORDS.has(word) && !item.acuity) item.acuity = word;
    else if (COUNT_WORDS.has(word) && !item.count) item.count = word;
  }
  for (const [i, word] of words(before).entries()) {
    const pair = `${word} ${words(before)[i + 1] ?? ''}`;
    if (SEVERITY_WORDS[pair]) item.severity = SEVERITY_WORDS[pair];
  }
  // "The heart is mildly enlarged": the degree comes after the structure.
  if (!item.severity) {
    const degree = words(tokens.slice(mention.first, mention.last + 1)).find((w) => SEVERITY_WORDS[w]);
    if (degree) item.severity = SEVERITY_WORDS[degree];
  }
  if (!item.acuity) {
    const acuity = nearWords.find((w) => ACUITY_WORDS.has(w));
    if (acuity && acuity !== 'chronic') item.acuity = acuity;
  }
  item.descriptors = descriptorsOf(before, item);
  if (item.certainty === 'possible') {
    const cue = tokens.slice(Math.max(0, mention.first - 4), mention.first).map((t) => t.lower).join(' ');
    const hedge = Object.keys(HEDGES).find((h) => cue.endsWith(h) || cue.includes(`${h} `));
    item.hedge = hedge ? HEDGES[hedge]! : 'possible';
  }
  if (mention.chronic) item.qualifiers.push('chronic or stable');
  if (mention.benign) item.qualifiers.push('benign');
  if (mention.remote) item.qualifiers.push('old');
  if (mention.minor) item.qualifiers.push('slight');
  if (critical && !item.acuity && /\bacute\b/i.test(sentence.text)) item.acuity = 'acute';
  return item;
}

/** Prepositions that put a finding in a structure named after it ("tear of the … medial meniscus"). */
const LOCATING = new Set(['of', 'in', 'at', 'within', 'involving', 'along', 'over', 'on']);

/** The structure a finding is placed in by a preposition after it, in its clause, within eight words. */
function structureAfter(sentence: SentenceAnalysis, mention: FindingMention, clauseEnd: number): AnatomyMention | undefined {
  const { tokens } = sentence;
  if (!LOCATING.has(tokens[mention.last + 1]?.lower ?? '')) return undefined;
  return sentence.anatomy
    .filter((a) => a.first > mention.last && a.last <= clauseEnd && sentence.scope.distance(mention.last, a.first) <= 8)
    .sort((a, b) => a.first - b.first)[0];
}

/** Words that may stand inside a finding's noun phrase although they end it elsewhere: sides, lobes, units. */
const IN_PHRASE = new Set(['left', 'right', 'bilateral', 'sided', 'lower', 'upper', 'middle', 'lobe', 'mm', 'cm', 'x', 'by', 'both']);

/** The tokens of the finding's noun phrase before the finding itself ("new", "small left", "7 mm solid"). */
function phraseBefore(sentence: SentenceAnalysis, mention: FindingMention, start: number): Token[] {
  const { tokens } = sentence;
  let from = mention.first;
  while (from - 1 >= start && mention.first - from < 6) {
    const token = tokens[from - 1]!;
    if (!token.word && token.lower !== '-') break;
    const stops = PHRASE_STOPS.has(token.lower) && !SEVERITY_WORDS[token.lower] && !CHANGE_WORDS[token.lower] && !IN_PHRASE.has(token.lower);
    if (stops) break;
    from--;
  }
  return tokens.slice(from, mention.first);
}

/** Describing words of the phrase that no other attribute accounts for ("solid", "displaced", "comminuted"). */
function descriptorsOf(before: readonly Token[], item: Omit<PlanItem, 'statement'>): string[] {
  const out: string[] = [];
  for (const token of before) {
    const word = token.lower;
    if (!token.word || /^\d/.test(word) || PHRASE_STOPS.has(word) || SEVERITY_WORDS[word] || CHANGE_WORDS[word] || ACUITY_WORDS.has(word) || COUNT_WORDS.has(word)) continue;
    if (item.site && item.site.toLowerCase().split(/\s+/).includes(word)) continue;
    if (['rt', 'lt', 'l', 'r', 'rll', 'rml', 'rul', 'lll', 'lul', 'measuring', 'cm', 'mm', 'sided'].includes(word)) continue;
    out.push(token.text === token.text.toUpperCase() && token.text.length > 1 ? token.text : word);
  }
  return out;
}

/** The finding as the report words it, or the vocabulary's name when the words are a whole phrasing ("heart is enlarged"). */
function labelOf(mention: FindingMention, context: ItemContext): string {
  const written = context.reportText.slice(mention.span.start, mention.span.end).replace(/\s+/g, ' ').trim();
  const wordCount = written.split(/\s+/).length;
  const phrasing = /\b(?:is|are|was|were|appears?|seems?|of the|in the)\b/i.test(written) || wordCount > 4;
  const label = phrasing ? mention.finding.terms[0] ?? mention.finding.id : written;
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
  return written
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(?:the|a|an)\s+/i, '')
    .replace(/^(?:left|right|bilateral)(?:[\s-]+sided)?\s+/i, '')
    .toLowerCase();
}
