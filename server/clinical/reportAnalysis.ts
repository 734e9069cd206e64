/**
 * The clinical reading of a report: for each sentence of the findings, conclusion and recommendation sections, the
 * findings it names with their assertion (present, absent, possible, ...), the structures, sides and measurements.
 * Computed once per report and vocabulary and shared by every rule.
 */
import { sectionsOf } from '../report/parseReport.ts';
import type { Report, Section, SectionKind, Sentence, Side, Span } from '../report/types.ts';
import { SentenceScope, type Assertion, type CueMatch } from './assertion.ts';
import { examSides, findSideWords, type ExamSide } from './laterality.ts';
import { findMeasurements, type Measurement } from './measurements.ts';
import { tokenize, type Token } from './phraseIndex.ts';
import { dropOpenChoices } from './templateChoice.ts';
import type { AnatomyTerm, CriticalTerm, FindingTerm, Vocabulary } from './vocabulary.ts';

export interface AnatomyMention {
  anatomy: AnatomyTerm;
  first: number;
  last: number;
  span: Span;
  side?: SideMention;
}

export interface FindingMention {
  finding: FindingTerm;
  first: number;
  last: number;
  span: Span;
  assertion: Assertion;
  /** A qualified negation ("no large effusion") that denies only some forms of the finding. */
  partial: boolean;
  /** Described as not new: stable, chronic, healed, old, known. */
  chronic: boolean;
  /** Described as benign: calcified, granulomatous. */
  benign: boolean;
  /** Described as slight: trace, minimal, tiny. */
  minor: boolean;
  /** Described as in the past: old, healed, remote. */
  remote: boolean;
  /** Used as a describing word of another finding ("cavitary nodule", "malignant-type calcifications"), not stated itself. */
  modifier: boolean;
  anatomy?: AnatomyMention;
  side?: SideMention;
  sentence: SentenceAnalysis;
}

export interface SideMention {
  side: Side;
  /** The side word itself ("Right" in "Right-sided effusion"), which a fix replaces. */
  span: Span;
  word: string;
  anatomy?: AnatomyMention;
  finding?: FindingMention;
  sentence: SentenceAnalysis;
}

export interface CriticalMention {
  critical: CriticalTerm;
  span: Span;
  assertion: Assertion;
  chronic: boolean;
  sentence: SentenceAnalysis;
}

export interface MeasurementMention extends Measurement {
  /** Offsets in the report. */
  span: Span;
  finding?: FindingMention;
  anatomy?: AnatomyMention;
  approximate: boolean;
  sentence: SentenceAnalysis;
}

export interface SentenceAnalysis {
  section: Section;
  sentence: Sentence;
  /** The sentence as written in the report (markup included); offsets below are into the report. */
  text: string;
  tokens: Token[];
  scope: SentenceScope;
  findings: FindingMention[];
  anatomy: AnatomyMention[];
  sides: SideMention[];
  critical: CriticalMention[];
  measurements: MeasurementMention[];
  /** The sentence recommends something (follow-up, further imaging, correlation). */
  recommendation: boolean;
  /** The sentence says a result was communicated. */
  communication: boolean;
  /** The sentence is a template line whose choice is not made ("[ ] yes [ ] no", "[select: normal / enlarged]"). */
  openChoice?: boolean;
}

export interface ReportAnalysis {
  report: Report;
  vocabulary: Vocabulary;
  findings: SentenceAnalysis[];
  conclusion: SentenceAnalysis[];
  recommendation: SentenceAnalysis[];
  examSides: ExamSide[];
}

const cache = new WeakMap<Report, Map<Vocabulary, ReportAnalysis>>();

/** Limits that keep a pathological document (megabytes, no full stops) from stalling the editor; no report reaches them. */
export const MAX_SENTENCES = 2000;
export const MAX_SENTENCE_TOKENS = 400;

export function analyzeReport(report: Report, vocabulary: Vocabulary): ReportAnalysis {
  let byVocabulary = cache.get(report);
  if (!byVocabulary) {
    byVocabulary = new Map();
    cache.set(report, byVocabulary);
  }
  let analysis = byVocabulary.get(vocabulary);
  if (!analysis) {
    // A report has tens of sentences; a pasted book is read no further than its first few thousand.
    const read = (kind: SectionKind) =>
      sectionsOf(report, kind)
        .flatMap((section) => section.sentences.map((sentence) => [section, sentence] as const))
        .slice(0, MAX_SENTENCES)
        .map(([section, sentence]) => {
          const sentenceAnalysis = analyzeSentence(report, section, sentence, vocabulary);
          dropOpenChoices(sentenceAnalysis);
          return sentenceAnalysis;
        });
    analysis = {
      report,
      vocabulary,
      findings: read('findings'),
      conclusion: read('conclusion'),
      recommendation: read('recommendation'),
      examSides: examSides(report.meta, vocabulary),
    };
    for (const sentences of [analysis.findings, analysis.conclusion]) resolveAnaphora(sentences);
    byVocabulary.set(vocabulary, analysis);
  }
  return analysis;
}

const ANAPHORA = /^\W*(?:this|it|these|they|which|the (?:nodule|mass|lesion|cyst|opacity|collection|effusion|node|stone|focus|foci)s?)\b/i;

/** A sentence that opens by pointing back to what the sentence before it described ("This measures 8 mm.", "It enhances ..."). */
export function pointsBack(sentence: SentenceAnalysis): boolean {
  return ANAPHORA.test(sentence.text);
}

/** "… a small lung nodule. This measures 8 mm.": a size in a sentence that points back belongs to the finding before. */
function resolveAnaphora(sentences: readonly SentenceAnalysis[]): void {
  sentences.forEach((sentence, i) => {
    const previous = sentences[i - 1];
    if (!previous || previous.section !== sentence.section || !pointsBack(sentence)) return;
    const antecedent = [...previous.findings].reverse().find((f) => !f.modifier && f.assertion !== 'absent');
    if (!antecedent) return;
    for (const measurement of sentence.measurements) {
      if (measurement.finding) continue;
      measurement.finding = antecedent;
      if (antecedent.anatomy) measurement.anatomy = antecedent.anatomy;
    }
  });
}

/** Words of distance within which a structure, a side and a finding belong together. */
const NEAR = 6;

export function analyzeSentence(report: Report, section: Section, sentence: Sentence, vocabulary: Vocabulary): SentenceAnalysis {
  const offset = sentence.span.start;
  const text = report.text.slice(sentence.span.start, sentence.span.end);
  const tokens = tokenize(text).slice(0, MAX_SENTENCE_TOKENS);
  const scope = new SentenceScope(tokens, vocabulary);
  const spanOf = (first: number, last: number): Span => ({ start: offset + tokens[first]!.start, end: offset + tokens[last]!.end });
  const analysis: SentenceAnalysis = {
    section,
    sentence,
    text,
    tokens,
    scope,
    findings: [],
    anatomy: [],
    sides: [],
    critical: [],
    measurements: [],
    recommendation: vocabulary.recommendation.findAll(tokens).length > 0,
    communication: vocabulary.communication.findAll(tokens).length > 0,
  };

  analysis.anatomy = vocabulary.anatomy.findAll(tokens).map((m) => ({ anatomy: m.value, first: m.first, last: m.last, span: spanOf(m.first, m.last) }));

  const found = vocabulary.findings
    .findAll(tokens)
    .filter((m) => {
      let before = m.first - 1;
      if (tokens[before]?.lower === '-') before--;
      return !(before >= 0 && m.value.notAfter?.includes(tokens[before]!.lower));
    })
    .map((m) => ({ finding: m.value, first: m.first, last: m.last }));
  for (const { regex, finding } of vocabulary.findingPatterns) {
    regex.lastIndex = 0;
    const limit = tokens.length > 0 ? tokens[tokens.length - 1]!.end : 0;
    for (let match = regex.exec(text); match && match.index < limit; match = regex.exec(text)) {
      if (match[0].length === 0) {
        regex.lastIndex++;
        continue;
      }
      const first = tokens.findIndex((t) => t.start >= match!.index);
      let last = first;
      while (last + 1 < tokens.length && tokens[last + 1]!.end <= match.index + match[0].length) last++;
      if (first === -1 || found.some((f) => f.finding === finding && f.first <= last && f.last >= first)) continue;
      found.push({ finding, first, last });
    }
  }
  found.sort((a, b) => a.first - b.first);
  const negations = new Map<FindingMention, CueMatch>();
  for (const { finding, first, last } of found) {
    const { assertion, partial, cue } = scope.assert(first, last);
    const start = scope.clauseStart(first);
    const end = scope.clauseEnd(last);
    const qualified = (index: Parameters<SentenceScope['has']>[0]) => scope.has(index, start, first - 1) || scope.has(index, last + 1, end);
    analysis.findings.push({
      finding,
      first,
      last,
      span: spanOf(first, last),
      assertion,
      partial,
      // Qualifiers around the finding, not inside its own words ("chronic obstructive pulmonary disease" is no stable finding).
      chronic: qualified(vocabulary.chronic),
      benign: qualified(vocabulary.benign),
      minor: qualified(vocabulary.minor),
      remote: qualified(vocabulary.remote),
      modifier: false,
      sentence: analysis,
    });
    if (assertion === 'absent' && cue && cue.last < first) negations.set(analysis.findings[analysis.findings.length - 1]!, cue);
  }

  for (const match of vocabulary.critical.findAll(tokens)) {
    const { assertion } = scope.assert(match.first, match.last);
    const chronic = scope.has(vocabulary.chronic, scope.clauseStart(match.first), scope.clauseEnd(match.last));
    analysis.critical.push({ critical: match.value, span: spanOf(match.first, match.last), assertion, chronic, sentence: analysis });
  }

  // A finding word right before another finding ("cavitary nodule", "malignant-type calcifications") describes it.
  for (let i = 0; i + 1 < analysis.findings.length; i++) {
    const a = analysis.findings[i]!;
    const b = analysis.findings[i + 1]!;
    const between = tokens.slice(a.last + 1, b.first);
    const adjective = /(?:ary|al|ic|ous|ive|like|ant|ent|ed|ing)$/.test(tokens[a.last]!.lower) || between.length > 0;
    if (adjective && between.length <= 2 && between.every((t) => t.lower === '-' || t.lower === 'type' || t.lower === 'like' || t.lower === 'appearing'))
      a.modifier = true;
  }
  attachAnatomy(analysis);
  attachSides(analysis, vocabulary, spanOf);
  qualifyNegations(analysis, negations, vocabulary);

  const read = tokens.length > 0 ? text.slice(0, tokens[tokens.length - 1]!.end) : '';
  for (const measurement of findMeasurements(read, vocabulary)) {
    const first = tokens.findIndex((t) => t.start >= measurement.start);
    if (first === -1) continue;
    const approximate = scope.has(vocabulary.approximate, Math.max(0, first - 3), first - 1);
    const mention: MeasurementMention = {
      ...measurement,
      span: { start: offset + measurement.start, end: offset + measurement.end },
      approximate,
      sentence: analysis,
    };
    // A size belongs to the nearest finding of its sentence ("2 nodules, the largest measuring 12 mm"), or structure.
    const finding = nearest(
      analysis.findings.filter((f) => !f.modifier),
      first,
      scope,
      12,
      first,
      undefined,
      true,
    );
    if (finding) mention.finding = finding;
    const anatomy = finding?.anatomy ?? nearest(analysis.anatomy, first, scope, 12, first, undefined, true);
    if (anatomy) mention.anatomy = anatomy;
    analysis.measurements.push(mention);
  }
  return analysis;
}

/**
 * A negation reaches its finding through a list ("no consolidation, effusion or pneumothorax") or plain words ("no
 * evidence of"); a describing word right before the finding that the vocabulary does not know ("no cavitary nodule",
 * "no retrocardiac fluid") narrows what is denied, so the negation is partial.
 */
function qualifyNegations(analysis: SentenceAnalysis, negations: Map<FindingMention, CueMatch>, vocabulary: Vocabulary): void {
  const covered = new Set<number>();
  for (const m of [...analysis.anatomy, ...analysis.findings]) for (let k = m.first; k <= m.last; k++) covered.add(k);
  const tokenAt = new Map(analysis.tokens.map((t, i) => [analysis.sentence.span.start + t.start, i]));
  for (const s of analysis.sides) covered.add(tokenAt.get(s.span.start) ?? -1);
  for (const [mention, cue] of negations) {
    if (mention.partial) continue;
    let k = mention.first - 1;
    while (k > cue.last && (analysis.tokens[k]!.lower === '-' || analysis.tokens[k]!.lower === ',')) k--;
    if (k <= cue.last) continue;
    const token = analysis.tokens[k]!;
    const describedBy = analysis.findings.find((f) => f !== mention && f.modifier && f.last === k);
    // A place of another organ right before the finding narrows it too: "no retrocardiac pleural fluid".
    const place = analysis.anatomy.find((a) => a.last === k);
    const elsewhere =
      place !== undefined && place.anatomy.organ !== undefined && mention.finding.organ !== undefined && place.anatomy.organ !== mention.finding.organ;
    const placedOnly = place !== undefined && !place.anatomy.paired && mention.finding.organ === undefined && place.anatomy.id !== 'lymph node';
    if (!describedBy && !elsewhere && !placedOnly && (!token.word || covered.has(k) || vocabulary.neutral.has(token.lower))) continue;
    mention.partial = true;
  }
}

/** Words of a phrase that names a part of a structure: "in the lower pole of the", "of the posterior horn of the". */
const PART_OF_WORDS = new Set([
  'in',
  'within',
  'at',
  'of',
  'along',
  'involving',
  'the',
  'a',
  'an',
  'left',
  'right',
  '-',
  'pole',
  'poles',
  'horn',
  'horns',
  'body',
  'tail',
  'dome',
  'wall',
  'aspect',
  'portion',
  'part',
  'margin',
  'periphery',
  'surface',
  'cortex',
  'segment',
  'territory',
  'interpolar',
  'upper',
  'lower',
  'mid',
  'middle',
  'anterior',
  'posterior',
  'medial',
  'lateral',
  'superior',
  'inferior',
  'central',
  'peripheral',
  'distal',
  'proximal',
  'root',
  'junction',
]);

/**
 * Each finding takes the nearest structure named in its clause ("opacity in the left lower lobe"), reaching further
 * through a phrase that names a part of it ("mass in the lower pole of the left kidney").
 */
function attachAnatomy(analysis: SentenceAnalysis): void {
  for (const finding of analysis.findings) {
    const anatomy = nearest(analysis.anatomy, finding.first, analysis.scope, NEAR, finding.last) ?? throughPartOf(analysis, finding);
    // A finding with an organ of its own ("effusion": pleura) does not take a structure of another organ.
    if (anatomy && (!finding.finding.organ || finding.finding.organ === (anatomy.anatomy.organ ?? anatomy.anatomy.id))) finding.anatomy = anatomy;
  }
}

/** The structure after a finding across only part-of words ("tear of the posterior horn of the medial meniscus"). */
function throughPartOf(analysis: SentenceAnalysis, finding: FindingMention): AnatomyMention | undefined {
  const { tokens } = analysis;
  const next = tokens[finding.last + 1]?.lower;
  if (next !== 'in' && next !== 'of' && next !== 'within' && next !== 'at' && next !== 'along' && next !== 'involving') return undefined;
  const end = Math.min(analysis.scope.clauseEnd(finding.last), finding.last + 16);
  for (let k = finding.last + 1; k <= end; k++) {
    const anatomy = analysis.anatomy.find((a) => a.first === k);
    if (anatomy) return anatomy;
    if (!PART_OF_WORDS.has(tokens[k]!.lower)) return undefined;
  }
  return undefined;
}

/** Words after a side that leave it qualifying what came before: "effusion on the left, with ...". */
const AFTER_TRAILING_SIDE = new Set([
  'and',
  'or',
  'with',
  'without',
  'but',
  'which',
  'is',
  'are',
  'was',
  'were',
  'side',
  'greater',
  'more',
  'worse',
  'than',
  'also',
  'as',
  'only',
]);

function attachSides(analysis: SentenceAnalysis, vocabulary: Vocabulary, spanOf: (first: number, last: number) => Span): void {
  const { tokens, scope } = analysis;
  const anatomyAt = new Map(analysis.anatomy.map((a) => [a.first, a]));
  const findingAt = new Map(analysis.findings.map((f) => [f.first, f]));
  const words = findSideWords(tokens, (i) => anatomyAt.has(i) || findingAt.has(i));
  const sideWordAt = new Map<number, number>();
  words.forEach((w, index) => {
    for (let k = w.first; k <= w.last; k++) sideWordAt.set(k, index);
  });
  const mentions: Array<SideMention | undefined> = [];
  const leadingSides = new Set<SideMention>();
  const pending = new Map<number, number>(); // word index → index of the side word its structure is shared with
  words.forEach((word, index) => {
    const mention: SideMention = { side: word.side, span: spanOf(word.sideToken, word.sideToken), word: tokens[word.sideToken]!.text, sentence: analysis };
    mentions.push(mention);
    if (word.intrinsicAnatomy) {
      const term = vocabulary.data.anatomy.find((a) => a.id === word.intrinsicAnatomy);
      if (term) {
        const anatomy: AnatomyMention = { anatomy: term, first: word.first, last: word.last, span: spanOf(word.first, word.last) };
        analysis.anatomy.push(anatomy);
        mention.anatomy = anatomy;
      }
    }
    if (!mention.anatomy && tokens[word.sideToken]!.lower !== 'bilaterally') {
      // Forward: "right lower lobe", "left-sided pleural effusion", "left effusion"; a leading "On the right, ..." reaches
      // through its clause.
      const leading = word.trailing && word.first - 2 === scope.clauseStart(word.first);
      if (leading) leadingSides.add(mention);
      const reach = leading ? Infinity : 3;
      for (let i = word.last + 1, seen = 0; i < tokens.length && seen <= reach; i++) {
        const token = tokens[i]!;
        const other = sideWordAt.get(i);
        if (other !== undefined) {
          if (!leading) pending.set(index, other); // "left upper and right upper lobe"
          break;
        }
        if ((!token.word && token.lower !== '-' && !(leading && token.lower === ',')) || scope.clauseStart(i) > scope.clauseStart(word.first)) break;
        const anatomy = anatomyAt.get(i);
        if (anatomy) {
          mention.anatomy = anatomy;
          break;
        }
        const finding = findingAt.get(i);
        if (finding) {
          mention.finding = finding;
          break;
        }
        if (token.word) seen++;
      }
    }
    const next = tokens[word.last + 1];
    if (!mention.anatomy && !mention.finding && !pending.has(index) && (!next || !next.word || AFTER_TRAILING_SIDE.has(next.lower))) {
      // Backward: "effusion on the left", "opacities bilaterally".
      const before = [...analysis.anatomy, ...analysis.findings]
        .filter((m) => m.last < word.first && scope.clauseStart(word.first) <= m.first && scope.distance(m.last, word.first) <= NEAR)
        .sort((a, b) => b.last - a.last)[0];
      if (before && 'finding' in before) mention.finding = before;
      else if (before) mention.anatomy = before;
    }
  });
  // "left upper and right upper lobe": the first side shares the structure of the second.
  for (const [index, other] of pending) {
    const anatomy = mentions[other]?.anatomy;
    if (anatomy && !mentions[index]!.anatomy) mentions[index]!.anatomy = anatomy;
  }
  const out: SideMention[] = [];
  for (const mention of mentions) {
    if (!mention || (!mention.anatomy && !mention.finding)) continue;
    out.push(mention);
    // "right mid and lower lung zones": the side covers both structures.
    if (mention.anatomy) {
      let k = mention.anatomy.last + 1;
      if (tokens[k] && [',', 'and', 'or'].includes(tokens[k]!.lower)) {
        k++;
        if (tokens[k]?.lower === 'the') k++;
        const second = anatomyAt.get(k);
        if (second && !second.side && !second.anatomy.side && second.anatomy.paired && !sideWordAt.has(k)) out.push({ ...mention, anatomy: second });
      }
    }
  }
  for (const mention of out) {
    if (mention.anatomy && !mention.finding) {
      const finding =
        nearest(analysis.findings, mention.anatomy.first, scope, NEAR, mention.anatomy.last, SEGMENT_BREAKS) ??
        // "In the left lower lobe there is airspace disease": a leading place reaches into the clause after it.
        (leadingSides.has(mention)
          ? analysis.findings.find((f) => f.first > mention.anatomy!.last && scope.distance(mention.anatomy!.last, f.first) <= NEAR + 2)
          : undefined);
      if (finding) mention.finding = finding;
    }
    if (mention.anatomy) mention.anatomy.side ??= mention;
    if (mention.finding) {
      mention.finding.side ??= mention;
      if (mention.anatomy) mention.finding.anatomy ??= mention.anatomy;
    }
    analysis.sides.push(mention);
  }
  // A sided label ("Left knee: tear of the medial meniscus") gives its side to the structures of its organ after it.
  const label = out.find((m) => m.anatomy && !m.finding && tokens[m.anatomy.last + 1]?.lower === ':' && scope.clauseStart(m.anatomy.first) === 0);
  if (label && label.side !== 'bilateral') {
    const organ = label.anatomy!.anatomy.organ ?? label.anatomy!.anatomy.id;
    for (const anatomy of analysis.anatomy) {
      if (
        anatomy.first > label.anatomy!.last &&
        !anatomy.side &&
        anatomy.anatomy.paired &&
        !anatomy.anatomy.side &&
        (anatomy.anatomy.organ ?? anatomy.anatomy.id) === organ
      )
        anatomy.side = label;
    }
  }
  // A finding placed in a sided structure takes its side: "opacity in the left lower lobe".
  for (const finding of analysis.findings) {
    if (!finding.side && finding.anatomy?.side) finding.side = finding.anatomy.side;
  }
}

/** Words that separate two things said in one clause: "density in the left breast and a nodule in the right breast". */
const SEGMENT_BREAKS = new Set(['and', 'or', ',', 'with', 'without', 'but', 'while', 'whereas', '/']);

/** The mention nearest to tokens `[first, last]` in the same clause (and segment, given breaks), within `within` words. */
function nearest<T extends { first: number; last: number }>(
  mentions: readonly T[],
  first: number,
  scope: SentenceScope,
  within: number,
  last = first,
  breaks?: ReadonlySet<string>,
  wholeSentence = false,
): T | undefined {
  let best: T | undefined;
  let bestDistance = Infinity;
  let start = wholeSentence ? 0 : scope.clauseStart(first);
  let end = wholeSentence ? scope.tokens.length - 1 : scope.clauseEnd(last);
  if (breaks) {
    const tokens = scope.tokens;
    for (let i = first - 1; i >= start; i--) if (breaks.has(tokens[i]!.lower)) start = i + 1;
    for (let i = last + 1; i <= end; i++)
      if (breaks.has(tokens[i]!.lower)) {
        end = i - 1;
        break;
      }
  }
  for (const mention of mentions) {
    if (mention.last < start || mention.first > end) continue;
    const distance = mention.last < first ? scope.distance(mention.last, first) : mention.first > last ? scope.distance(last, mention.first) : 0;
    // On a tie, the mention after wins: "scarring in the left lung base" (not "the lungs … with scarring").
    if (
      distance <= within &&
      (distance < bestDistance || (distance === bestDistance && best !== undefined && mention.first > best.first && mention.first > last))
    ) {
      best = mention;
      bestDistance = distance;
    }
  }
  return best;
}
