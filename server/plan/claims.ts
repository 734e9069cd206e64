/**
 * What a positive statement of a conclusion claims, held against the plan: a finding no item of the report is, a side
 * or site other than the items', a change, acuity or description the findings do not give. Pure.
 */
import type { analyzeReport, FindingMention } from '../clinical/reportAnalysis.ts';
import type { Vocabulary } from '../clinical/vocabulary.ts';
import { findingItem } from './findingItem.ts';
import { quoteText, type GuardProblem } from './guardProblem.ts';
import type { ConclusionPlan, PlanItem } from './types.ts';

/** Regions of the vocabulary's structures and the exam regions that hold them. */
export function sameRegion(anatomyRegion: string | undefined, examRegion: string | undefined): boolean {
  if (!anatomyRegion || !examRegion) return false;
  if (anatomyRegion === examRegion) return true;
  const joined: Record<string, string[]> = {
    leg: ['leg', 'knee', 'ankle', 'thigh', 'extremity'],
    femur: ['thigh', 'hip'],
    humerus: ['arm', 'shoulder'],
    extremity: ['leg', 'arm', 'knee', 'ankle', 'thigh'],
  };
  return joined[examRegion]?.includes(anatomyRegion) ?? false;
}

/** Descriptions that exclude each other: a conclusion may not use one for a finding the report describes with the other. */
const EXCLUSIVE: ReadonlyArray<[RegExp, RegExp]> = [
  [/\b(?:non-?displaced|undisplaced|nondisplaced|without displacement|not displaced)\b/i, /(?<!not |non-?|un)\bdisplaced\b/i],
  [/\bpartial[- ]thickness\b/i, /\bfull[- ]thickness\b/i],
  [/\bpartial\b(?![- ]thickness)/i, /\bcomplete\b/i],
  [/\bextra-?articular\b/i, /\bintra-?articular\b/i],
  [/\btype (?:i|1)\b/i, /\btype (?:ii|2)\b/i],
  [/\btype (?:ii|2)\b/i, /\btype (?:iii|3)\b/i],
  [/\btype (?:i|1)\b/i, /\btype (?:iii|3)\b/i],
  [/\btype a\b/i, /\btype b\b/i],
  [/\b(?:small|tiny|trace|minimal)\b/i, /\b(?:large|massive|moderate|sizeable|huge)\b/i],
  [/\bsimple\b/i, /\bcomplex\b/i],
  [/\bbursal\b/i, /\barticular\b/i],
  [/\bintertrochanteric\b/i, /\b(?:femoral neck|subcapital|intracapsular)\b/i],
];

/**
 * What a positive statement of the conclusion claims beyond the plan: a finding no item of the report is (and no
 * evidence in the findings supports), a side or site other than the items', a change, acuity or description that the
 * findings contradict.
 */
export function claimProblems(
  mention: FindingMention,
  plan: ConclusionPlan,
  analysis: ReturnType<typeof analyzeReport>,
  vocabulary: Vocabulary,
  reportText: string,
): GuardProblem[] {
  const out: GuardProblem[] = [];
  const candidates = plan.items.filter((i) => matches(i, mention, vocabulary));
  if (candidates.length === 0) {
    if (!supportedInFindings(mention, analysis, vocabulary)) {
      out.push({
        kind: 'added',
        message: `The conclusion states ${mention.finding.id} (${quoteText(mention.sentence.text)}), which the findings do not state present.`,
      });
    }
    return out;
  }
  const side = mention.side?.side;
  const sided = candidates.filter((i) => !side || side === 'bilateral' || !i.side || i.side === side || i.side === 'bilateral');
  if (sided.length === 0) {
    out.push({
      kind: 'side-added',
      message: `The conclusion puts ${mention.finding.id} on the ${side}; the findings give the ${candidates[0]!.side}.`,
      span: mention.side!.span,
    });
    return out;
  }
  // A site the findings do not give this finding: a part of the same organ no item of the finding is in.
  const site = mention.anatomy?.anatomy;
  if (site && (site.organ ?? site.id) !== site.id && sided.every((i) => i.siteId)) {
    const elsewhere = sided.every((i) => {
      const planned = vocabulary.data.anatomy.find((a) => a.id === i.siteId);
      if (!planned || planned.id === site.id || (planned.organ ?? planned.id) !== (site.organ ?? site.id) || planned.id === (planned.organ ?? planned.id))
        return false;
      return !(planned.overlaps?.includes(site.id) || site.overlaps?.includes(planned.id));
    });
    if (elsewhere) out.push({ kind: 'site', message: `The conclusion puts ${mention.finding.id} in the ${site.id}; the findings say the ${sided[0]!.site}.` });
  }
  // The change, acuity and description the conclusion gives this finding, read as the plan reads the findings.
  const claim = findingItem(mention, { vocabulary, reportText }, 'other');
  const said = `${claim.phrase ?? claim.label} ${claimPredicate(mention)}`;
  const worse = sided.every((i) => i.change === 'new' || i.change === 'increased');
  const unchanged = sided.every(
    (i) => i.change === 'stable' || (i.qualifiers.some((q) => q === 'old' || q === 'chronic or stable') && i.change !== 'new' && i.change !== 'increased'),
  );
  const better = sided.every((i) => i.change === 'decreased');
  const claimed = claim.change;
  // A change the findings do not give at all ("stable cardiomegaly" above "the heart is mildly enlarged").
  const silent = sided.every((i) => i.change === undefined && !i.qualifiers.includes('chronic or stable') && !i.qualifiers.includes('old'));
  if (
    (worse && (claimed === 'stable' || claimed === 'decreased')) ||
    (unchanged && (claimed === 'new' || claimed === 'increased')) ||
    (better && (claimed === 'new' || claimed === 'increased' || claimed === 'stable'))
  ) {
    out.push({ kind: 'change', message: `${quoteText(said)} gives another change than the findings (${quoteText(sided[0]!.source.text)}).` });
  } else if (silent && claimed !== undefined) {
    out.push({
      kind: 'change',
      message: `${quoteText(said)} gives a change (${claim.changeWord ?? claimed}) the findings do not (${quoteText(sided[0]!.source.text)}).`,
    });
  } else if (
    claim.acuity === 'acute' &&
    sided.every((i) => i.qualifiers.some((q) => q === 'old' || q === 'chronic or stable') && !i.acuity && i.change !== 'new' && i.change !== 'increased')
  ) {
    out.push({ kind: 'change', message: `${quoteText(said)} calls acute what the findings call old or chronic (${quoteText(sided[0]!.source.text)}).` });
  }
  for (const [a, b] of EXCLUSIVE) {
    const contradicts = sided.every((i) => {
      const written = `${i.phrase ?? ''} ${i.source.text}`;
      return (a.test(said) && b.test(written) && !a.test(written)) || (b.test(said) && a.test(written) && !b.test(written));
    });
    if (contradicts) {
      out.push({
        kind: 'description',
        message: `${quoteText(said)} describes ${mention.finding.id} otherwise than the findings (${quoteText(sided[0]!.source.text)}).`,
      });
      break;
    }
  }
  return out;
}

/** The words right after a conclusion's finding that say something of it ("… has increased", ", not displaced"). */
function claimPredicate(mention: FindingMention): string {
  const { tokens } = mention.sentence;
  const end = mention.sentence.scope.clauseEnd(mention.last);
  const after = tokens.slice(mention.last + 1, Math.min(end + 1, mention.last + 5));
  return after.map((t) => t.text).join(' ');
}

/** A positive finding of its group in the findings, or the vocabulary's evidence words for it ("embryo", "whirlpool"). */
function supportedInFindings(mention: FindingMention, analysis: ReturnType<typeof analyzeReport>, vocabulary: Vocabulary): boolean {
  const positive = analysis.findings.some((s) =>
    s.findings.some((f) => (f.assertion === 'present' || f.assertion === 'possible') && vocabulary.supports(f.finding, mention.finding)),
  );
  if (positive) return true;
  const evidence = vocabulary.evidence.get(mention.finding.id);
  if (!evidence) return false;
  return analysis.findings.some(
    (s) =>
      evidence.phrases.findAll(s.tokens).some((m) => s.scope.assert(m.first, m.last).assertion !== 'absent') ||
      evidence.patterns.some((p) => ((p.lastIndex = 0), p.test(s.text))),
  );
}

/** A conclusion's mention states an item: its finding, one its group supports, or what the item also stands for. */
export function matches(item: PlanItem, mention: FindingMention, vocabulary: Vocabulary): boolean {
  const stands = (finding: PlanItem['finding']) =>
    mention.finding.id === finding.id || vocabulary.supports(finding, mention.finding) || vocabulary.groupOf(mention.finding) === vocabulary.groupOf(finding);
  return stands(item.finding) || (item.also ?? []).some(stands);
}
