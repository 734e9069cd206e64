/**
 * What the findings section states plainly: a finding present now (not denied, hedged, old, stable, benign or slight),
 * less what the findings' own words leave in doubt. Read by the global negations of `globalNegation.ts`.
 */
import type { FindingMention, SentenceAnalysis } from './reportAnalysis.ts';
import { organsNamedBy, organsOf, ORGAN_OF_FINDING } from './regionOrgans.ts';
import type { Vocabulary } from './vocabulary.ts';

/** Words that call a whole examination or a structure normal. */
export const NORMAL_WORDS = new Set(['normal', 'unremarkable', 'negative', 'clear']);
/** Words that end a stretch of a sentence that says one thing. */
const SEGMENT_BREAKS = new Set([
  ',',
  ';',
  ':',
  'but',
  'with',
  'without',
  'while',
  'whereas',
  'however',
  'although',
  'though',
  'except',
  'aside',
  'apart',
  'besides',
]);

/**
 * Whether a mention in the findings states the finding as present now: not denied, hedged, old, stable, benign or
 * slight. A known finding that has grown ("the residual pneumothorax has increased in size since the prior exam") is
 * present now, whatever else its clause says of the past.
 */
export function statesPresentFinding(mention: FindingMention): boolean {
  if (mention.assertion !== 'present' || mention.modifier || mention.benign || mention.minor) return false;
  return !(mention.chronic || mention.remote) || progressing(mention);
}

/** Words that say a finding has grown or appeared since the last examination. */
const PROGRESSION_WORDS = new Set([
  'increased',
  'increasing',
  'enlarging',
  'enlarged',
  'worsening',
  'worsened',
  'worse',
  'new',
  'newly',
  'progressed',
  'progressing',
  'progression',
  'larger',
  'developing',
  'developed',
]);

function progressing(mention: FindingMention): boolean {
  const { tokens, scope } = mention.sentence;
  for (let k = scope.clauseStart(mention.first); k <= scope.clauseEnd(mention.last); k++) if (PROGRESSION_WORDS.has(tokens[k]!.lower)) return true;
  return false;
}

/**
 * The findings mentions that state a finding as present (of those `wanted` keeps), less those the findings' own words
 * leave in doubt: an alternative ("effusion or atelectasis"), a description the sentence goes on to interpret as
 * another finding or as an artefact ("airspace opacities, compatible with atelectasis"; "opacity due to overlying soft
 * tissues"), a finding of another, dated examination ("pneumonia seen on CT examination dated ..."), a finding in
 * words that call its organ clear ("Lungs are expanded and clear airspace disease"), and a broken device ("fractured
 * sternotomy wire").
 */
export function statedFindings(findings: readonly SentenceAnalysis[], vocabulary: Vocabulary, wanted: (mention: FindingMention) => boolean): FindingMention[] {
  const out: FindingMention[] = [];
  for (const sentence of findings) {
    let alternatives: Set<FindingMention> | undefined;
    for (const mention of sentence.findings) {
      if (!wanted(mention)) continue;
      alternatives ??= alternativesOf(sentence);
      if (alternatives.has(mention) || interpretedAsOther(mention, vocabulary) || explainedAway(mention)) continue;
      if (ofDevice(mention) || calledNormalBeside(mention)) continue;
      out.push(mention);
    }
  }
  return out;
}

/** An explanation that makes a finding no finding: "opacity secondary to epicardial fat and overlying soft tissues". */
const ARTEFACT =
  /^[^.;]{0,40}?\b(?:due to|secondary to|related to|from|caused by|represent\w*|reflect\w*|likely|compatible with|consistent with|attributable to|attributed to)\s+(?:[\w-]+\s+){0,3}?(?:overlying soft tissues?|soft tissues?|epicardial fat|fat pad|nipple shadows?|nipples?|breast tissue|artifact|artefact|technique|positioning|rotation|projection|overlap\w*|summation)\b/i;

/** A finding placed on another, dated examination: "pneumonia seen on CT examination dated ..." (then not seen here). */
const ANOTHER_EXAMINATION =
  /^[^.;]{0,20}?\b(?:seen|noted|identified|demonstrated|described|shown|visualized|present)\s+(?:on|in)\s+(?:the\s+|a\s+)?(?:prior\s+|previous\s+|outside\s+|recent\s+|comparison\s+|earlier\s+)?(?:ct|cta|mri?|pet|ultrasound|examination|exam|study|radiograph|film)\b[^.;]{0,25}?\bdated\b/i;

function explainedAway(mention: FindingMention): boolean {
  const { sentence } = mention;
  const after = sentence.text.slice(sentence.tokens[mention.last]!.end);
  return ARTEFACT.test(after) || ANOTHER_EXAMINATION.test(after);
}

/** Findings offered as alternatives: "pleural effusion or atelectasis", "pneumothorax, consolidation or effusion". */
function alternativesOf(sentence: SentenceAnalysis): Set<FindingMention> {
  const out = new Set<FindingMention>();
  const { tokens, findings } = sentence;
  findings.forEach((mention, i) => {
    const next = findings[i + 1];
    if (!next || sentence.scope.clauseStart(next.first) !== sentence.scope.clauseStart(mention.first)) return;
    const between = tokens.slice(mention.last + 1, next.first);
    if (between.length > 4 || !between.some((t) => t.lower === 'or') || between.some((t) => t.lower === 'and')) return;
    // The whole list: items before joined by commas.
    out.add(mention).add(next);
    for (let k = i - 1; k >= 0; k--) {
      const gap = tokens.slice(findings[k]!.last + 1, findings[k + 1]!.first);
      if (gap.length > 4 || !gap.some((t) => t.lower === ',')) break;
      out.add(findings[k]!);
    }
  });
  return out;
}

/** Phrases that give a description its diagnosis: "opacity compatible with atelectasis". */
const INTERPRETATION =
  /\b(?:compatible with|consistent with|representing|represents|likely|most likely|reflecting|reflects|suggestive of|in keeping with|characteristic of|typical of)\s+(?:\w+\s+){0,2}$/i;

/** A finding the same sentence goes on to call another finding of its group, not both acute ("airspace opacities, compatible with atelectasis"). */
function interpretedAsOther(mention: FindingMention, vocabulary: Vocabulary): boolean {
  const sentence = mention.sentence;
  return sentence.findings.some((other) => {
    if (other.first <= mention.last || other.modifier || other.finding === mention.finding) return false;
    if (other.finding.acute === true && mention.finding.acute === true) return false;
    if (vocabulary.groupOf(other.finding) !== vocabulary.groupOf(mention.finding)) return false;
    const before = sentence.text.slice(sentence.tokens[mention.last]!.end, sentence.tokens[other.first]!.start);
    return before.length < 60 && INTERPRETATION.test(before);
  });
}

/** A finding in words that call its organ clear or normal: "Lungs are expanded and clear airspace disease". */
function calledNormalBeside(mention: FindingMention): boolean {
  const sentence = mention.sentence;
  const { tokens, scope } = sentence;
  const segment = segmentsOf(sentence).find((g) => g.first <= mention.first && mention.last <= g.last);
  if (!segment) return false;
  const first = Math.max(segment.first, scope.clauseStart(mention.first));
  const last = Math.min(segment.last, scope.clauseEnd(mention.last));
  const normalWord = tokens.slice(first, last + 1).some((t, i) => {
    const k = first + i;
    return (
      NORMAL_WORDS.has(t.lower) &&
      tokens[k + 1]?.lower !== 'of' &&
      tokens[k - 1]?.lower !== 'not' &&
      !sentence.findings.some((f) => f.first <= k && k <= f.last)
    );
  });
  if (!normalWord) return false;
  const organs = organsOf(mention);
  return sentence.anatomy.some((a) => a.first >= first && a.last <= last && organsNamedBy(a).some((o) => organs.includes(o)));
}

/** Devices, whose fracture or disruption is no injury of the patient. */
const DEVICE_WORDS = new Set([
  'screw',
  'screws',
  'wire',
  'wires',
  'plate',
  'plates',
  'hardware',
  'prosthesis',
  'rod',
  'rods',
  'nail',
  'lead',
  'leads',
  'catheter',
  'stent',
  'pin',
  'pins',
  'cerclage',
  'sternotomy',
  'implant',
  'device',
  'anchor',
]);

function ofDevice(mention: FindingMention): boolean {
  if (ORGAN_OF_FINDING[mention.finding.id] !== 'bones' && mention.finding.id !== 'tear') return false;
  const { tokens, scope } = mention.sentence;
  for (let k = scope.clauseStart(mention.first); k <= scope.clauseEnd(mention.last); k++) if (DEVICE_WORDS.has(tokens[k]!.lower)) return true;
  return false;
}

/** Stretches of a sentence between commas, semicolons and clause words ("Hyperexpanded but clear lungs"). */
export function segmentsOf(sentence: SentenceAnalysis): Array<{ first: number; last: number }> {
  const out: Array<{ first: number; last: number }> = [];
  let first = 0;
  sentence.tokens.forEach((token, i) => {
    if (SEGMENT_BREAKS.has(token.lower) || token.lower === '.' || token.lower === '(' || token.lower === ')') {
      if (i > first) out.push({ first, last: i - 1 });
      first = i + 1;
    }
  });
  if (first < sentence.tokens.length) out.push({ first, last: sentence.tokens.length - 1 });
  return out;
}
