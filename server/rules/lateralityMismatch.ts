import { isPositive } from '../clinical/assertion.ts';
import { oppositeSide, rewriteSideWord } from '../clinical/laterality.ts';
import { analyzeReport, type FindingMention, type ReportAnalysis, type SideMention } from '../clinical/reportAnalysis.ts';
import { vocabularyFor, type AnatomyTerm, type FindingTerm, type Vocabulary } from '../clinical/vocabulary.ts';
import type { Side, Span } from '../report/types.ts';
import { quote } from './quote.ts';
import type { Fix, Rule, RuleFinding } from './rule.ts';

/**
 * A structure with one side in the findings and the other in the conclusion ("left lower lobe opacity" … "right lower
 * lobe pneumonia"), a side a structure does not have ("left middle lobe"), or a side other than the exam's ("MR LEFT
 * KNEE" and a right meniscal tear). The fix writes the side the findings (or the exam) give.
 */
export const lateralityMismatch: Rule = {
  id: 'laterality-mismatch',
  description: 'A structure has one side in the findings and the other in the conclusion, or a side other than the exam side.',
  defaultSeverity: 'error',
  // The findings against the exam's side too, so not the conclusion only.
  scope: 'report',
  fix: { summary: "the findings' (or exam's) side", fixAll: true },
  generatedConclusion: { failure: 'gave the wrong side' },
  check({ report, config }) {
    const vocabulary = vocabularyFor(config.vocabulary);
    const analysis = analyzeReport(report, vocabulary);
    const problems: RuleFinding[] = [];
    const flagged = new Set<string>();
    const add = (mention: SideMention, problem: RuleFinding) => {
      const key = `${mention.span.start}`;
      if (flagged.has(key)) return;
      flagged.add(key);
      problems.push(problem);
    };
    const located = locatedInFindings(analysis);
    const sentences = [...analysis.findings, ...analysis.conclusion];

    for (const mention of sentences.flatMap((s) => s.sides)) {
      const own = mention.anatomy?.anatomy.side;
      if (own && mention.side !== own && mention.side !== 'bilateral') {
        add(mention, {
          message: `${quote(mention.word)} ${mention.anatomy!.anatomy.id}: the ${mention.anatomy!.anatomy.id} is on the ${own} side only.`,
          span: mention.span,
          fixes: sideFix(mention, own, `the ${mention.anatomy!.anatomy.id}`),
        });
      }
    }

    for (const mention of analysis.conclusion.flatMap((s) => s.sides)) {
      if (mention.side === 'bilateral') continue;
      // A structure named with no finding, in a normal or negative statement ("Right lung is clear", "No mass in the right breast").
      if (!mention.finding && (NORMAL.test(mention.sentence.text) || mention.sentence.findings.some((f) => f.assertion === 'absent' && !f.partial))) continue;
      const evidence = sidesInFindings(mention, located, vocabulary);
      if (!evidence || evidence.sides.has(mention.side) || evidence.sides.has('bilateral')) continue;
      // The findings name this very structure on this side, with a related finding in the same sentence that the words
      // do not tie to it ("In the left lower lobe there is airspace disease"): no mismatch. A structure named on this
      // side only to call it normal ("The right kidney is normal") is no such place.
      const anatomy = mention.anatomy?.anatomy;
      const concluded = mention.finding ? [mention.finding.finding] : [];
      const relatedHere = (r: Located) =>
        r.stated.some((f) => concluded.length === 0 || concluded.some((c) => vocabulary.supports(f, c) || vocabulary.supports(c, f)));
      if (anatomy && located.some((r) => r.anatomy === anatomy && !r.finding && (r.side === mention.side || r.side === 'bilateral') && relatedHere(r)))
        continue;
      const expected = oppositeSide(mention.side)!;
      const source = evidence.records.find((r) => r.side === expected);
      if (!source) continue;
      add(mention, {
        message: `${quote(mention.word)} in the conclusion, but the findings give the ${expected} side (${quote(source.sentence)}).`,
        span: mention.span,
        fixes: sideFix(mention, expected, 'the findings'),
        related: [{ message: `The findings give the ${expected} side here.`, span: source.span }],
      });
    }

    // "XR pelvis AP and left hip lateral": the AP pelvis shows both hips, so the other hip's findings are expected.
    const title = report.meta.exam ?? '';
    const shownOnBothSides = new Set(WHOLE_REGIONS.filter(([words]) => words.test(title)).flatMap(([, regions]) => regions));
    for (const exam of analysis.examSides) {
      if (exam.side === 'bilateral') continue;
      for (const sentence of sentences) {
        if (COMPARISON.test(sentence.text)) continue;
        for (const mention of sentence.sides) {
          const anatomy = mention.anatomy?.anatomy;
          if (mention.side !== oppositeSide(exam.side) || !anatomy?.paired || (exam.region !== '*' && anatomy.region !== exam.region)) continue;
          if (anatomy.region && shownOnBothSides.has(anatomy.region)) continue;
          if (mention.finding && !isPositive(mention.finding.assertion) && mention.finding.assertion !== 'historical') continue;
          const where = exam.source === 'front matter' ? 'the front matter' : `the exam title (${quote(report.meta.exam ?? '')})`;
          add(mention, {
            message: `${quote(mention.word)} ${anatomy.id}, but the exam is of the ${exam.side} side, as ${where} says.`,
            span: mention.span,
            fixes: sideFix(mention, exam.side, exam.source === 'front matter' ? 'the front matter' : 'the exam title'),
          });
        }
      }
    }
    return problems;
  },
};

/**
 * Views of a midline region, which show both sides of the structures in it: an exam title that names one side may add
 * one ("XR pelvis AP and left hip lateral"); "Two-view chest; left knee" does not show the right knee.
 */
const WHOLE_REGIONS: ReadonlyArray<readonly [RegExp, readonly string[]]> = [
  [/\bpelvi(?:s|c)\b/i, ['hip', 'pelvis']],
  [/\b(?:chest|thorax|thoracic)\b/i, ['chest']],
  [/\babdom(?:en|inal)\b/i, ['abdomen']],
];

/** Sentences that name the other side on purpose: a comparison with the contralateral side. */
const COMPARISON = /\b(?:compar\w*|contralateral|opposite side|other side|normal side|asymptomatic side)\b/i;
/** "Right lung is clear": a normal structure named in passing, with no finding to place. */
const NORMAL = /\b(?:clear|normal|unremarkable|intact|negative|free|preserved|patent|expanded)\b/i;

/** What the findings place somewhere: a finding or a sided structure, with the side if one is given. */
interface Located {
  side?: Side;
  finding?: FindingTerm;
  group?: string;
  anatomy?: AnatomyTerm;
  organ?: string;
  /** States the finding (for certain, perhaps, or as history). */
  positive: boolean;
  /** Denies the finding there ("no left effusion"). */
  absent: boolean;
  /** The findings its sentence denies ("Right shoulder: negative for fracture"). */
  denied: FindingTerm[];
  /** The findings its sentence states (for certain or perhaps). */
  stated: FindingTerm[];
  span: Span;
  sentence: string;
}

function locatedInFindings(analysis: ReportAnalysis): Located[] {
  const { vocabulary } = analysis;
  const out: Located[] = [];
  let denied: FindingTerm[] = [];
  let stated: FindingTerm[] = [];
  const record = (finding: FindingMention | undefined, anatomy: AnatomyTerm | undefined, side: Side | undefined, span: Span, sentence: string) => {
    const organ = anatomy ? (anatomy.organ ?? anatomy.id) : finding?.finding.organ;
    out.push({
      ...(side ? { side } : {}),
      ...(finding ? { finding: finding.finding, group: vocabulary.groupOf(finding.finding) } : {}),
      ...(anatomy ? { anatomy } : {}),
      ...(organ ? { organ } : {}),
      positive: finding !== undefined && finding.assertion !== 'absent',
      absent: finding?.assertion === 'absent',
      denied,
      stated,
      span,
      sentence,
    });
  };
  for (const sentence of analysis.findings) {
    denied = sentence.findings.filter((f) => f.assertion === 'absent').map((f) => f.finding);
    stated = sentence.findings.filter((f) => !f.modifier && isPositive(f.assertion)).map((f) => f.finding);
    for (const s of sentence.sides) {
      if (s.finding?.modifier) continue;
      // The structure the side names, unless the finding belongs to another organ ("left lung pleural fluid": pleura).
      const own = s.finding?.finding.organ;
      const named = s.anatomy?.anatomy;
      const anatomy = named && (!own || (named.organ ?? named.id) === own) ? named : (s.finding?.anatomy?.anatomy ?? named);
      record(s.finding, anatomy, s.side, s.span, sentence.sentence.text);
    }
    for (const f of sentence.findings) {
      if (f.modifier || sentence.sides.some((s) => s.finding === f)) continue;
      const anatomy = f.anatomy?.anatomy;
      record(f, anatomy, f.side?.side ?? anatomy?.side, f.span, sentence.sentence.text);
    }
  }
  return out;
}

/**
 * The sides the findings give for what a conclusion mention names, from the most specific evidence that exists: the
 * same finding in the same structure; a related finding (same group or supporting group) in the same structure; a
 * related finding in the same organ; then, with no such finding, the same structure or organ at all. Undecided
 * (undefined) when the findings also state that finding there without a side.
 */
function sidesInFindings(mention: SideMention, located: readonly Located[], vocabulary: Vocabulary): { sides: Set<Side>; records: Located[] } | undefined {
  const anatomy = mention.anatomy?.anatomy;
  // The findings the side qualifies: "left base atelectasis/infiltrate" is about both.
  const targets = new Set<FindingTerm>();
  if (mention.finding) targets.add(mention.finding.finding);
  if (mention.finding)
    for (const f of mention.sentence.findings) if (anatomy && f.anatomy?.anatomy === anatomy && f.assertion !== 'absent') targets.add(f.finding);
  const organ = anatomy ? (anatomy.organ ?? anatomy.id) : mention.finding?.finding.organ;
  const isRelated = (r: Located) =>
    r.finding !== undefined && [...targets].some((t) => vocabulary.supports(r.finding!, t) || vocabulary.supports(t, r.finding!));
  const levels: Array<(r: Located) => boolean> = [];
  if (mention.finding?.assertion === 'absent') {
    // "No left shoulder fracture" where the findings say "right shoulder: no fracture": the same denial, other side.
    const finding = mention.finding.finding;
    const group = vocabulary.groupOf(finding);
    if (anatomy)
      levels.push(
        (r) => !r.positive && r.anatomy !== undefined && sameOrOverlapping(r.anatomy, anatomy) && r.denied.some((d) => vocabulary.groupOf(d) === group),
      );
  } else if (targets.size > 0) {
    // The same finding: where the findings place it, if they do (else wherever they name it).
    const same = (r: Located) => r.finding !== undefined && targets.has(r.finding) && (!anatomy || !r.anatomy || sameOrOverlapping(r.anatomy, anatomy));
    const placed = located.some((r) => same(r) && r.side && r.anatomy && anatomy && sameOrOverlapping(r.anatomy, anatomy));
    // With it, a related finding in exactly this structure ("opacities in the left apex" for "scarring in the left apex").
    const here = (r: Located) => anatomy !== undefined && r.anatomy === anatomy && isRelated(r);
    levels.push(placed ? (r) => (same(r) && r.anatomy !== undefined && sameOrOverlapping(r.anatomy, anatomy!)) || here(r) : (r) => same(r) || here(r));
    // A related finding in the same structure ("left lower lobe opacity" for "right lower lobe pneumonia").
    if (anatomy) levels.push((r) => r.anatomy !== undefined && sameOrOverlapping(r.anatomy, anatomy) && isRelated(r));
    // A finding of the same group in the same organ.
    const groups = new Set([...targets].map((t) => vocabulary.groupOf(t)));
    if (organ) levels.push((r) => r.organ === organ && r.group !== undefined && groups.has(r.group));
    // The same structure, whatever is said of it.
    if (anatomy) levels.push((r) => r.anatomy === anatomy);
  } else if (anatomy) {
    // A structure named with no finding: the same structure.
    levels.push((r) => r.anatomy === anatomy);
  }
  const stated = mention.finding?.assertion === 'absent' ? located : located.filter((r) => !r.absent);
  for (const level of levels) {
    const records = stated.filter(level);
    const sided = records.filter((r) => r.side);
    if (sided.length === 0) continue;
    return { sides: new Set(sided.map((r) => r.side!)), records: sided };
  }
  return undefined;
}

function sameOrOverlapping(a: AnatomyTerm, b: AnatomyTerm): boolean {
  return a === b || (a.overlaps ?? []).includes(b.id) || (b.overlaps ?? []).includes(a.id);
}

function sideFix(mention: SideMention, side: Side, source: string): Fix[] {
  const newText = rewriteSideWord(mention.word, side);
  if (!newText) return [];
  return [{ title: `Change to ${quote(newText)} as in ${source}`, edits: [{ span: mention.span, newText }], isPreferred: true }];
}
