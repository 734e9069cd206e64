/**
 * The content plan of a report's conclusion, from its findings: the significant findings stated present, each with its
 * side, site, size, count, change, acuity and certainty, ranked critical → acute or new → other significant →
 * incidentals that need follow-up; the findings that are only allowed (chronic, stable, benign, slight, superficial, or
 * not significant), unless the clinical question asks about them; the exam's normal statement when nothing needs saying;
 * and the clinical question with the findings' answer. Pure: the same report and vocabulary give the same plan.
 */
import type { CriticalMention, FindingMention, SentenceAnalysis } from '../clinical/reportAnalysis.ts';
import { analyzeReport } from '../clinical/reportAnalysis.ts';
import type { FindingTerm, Vocabulary } from '../clinical/vocabulary.ts';
import type { Report } from '../report/types.ts';
import { clinicalQuestions } from './clinicalQuestion.ts';
import { examKind, normalStatement } from './examKind.ts';
import { clean, findingItem, isSevere, isSuperficial, rankOf, type ItemContext } from './findingItem.ts';
import { itemStatement } from './planStatements.ts';
import { PLAN_RANKS, type ConclusionPlan, type ExamKind, type PlanItem, type PlanRank } from './types.ts';

/** Words between two findings of a sentence that make the second the diagnosis of the first ("… consistent with …"). */
const EXPLAINS =
  /\b(?:consistent with|compatible with|in keeping with|keeping with|suggestive of|suggesting|suggests|representing|represents|likely represents?|may represent|concerning for|suspicious for|worrisome for|diagnostic of|typical of|characteristic of|in favou?r of|due to|secondary to|from|reflecting|reflects|indicating|indicates|with features of|in the setting of)\b/i;

/** Findings whose words mean other things outside the chest ("opacified sinus", "volume loss", "density"). */
const LUNG_WORDS = new Set(['opacity', 'atelectasis', 'consolidation', 'scarring', 'interstitial markings']);
/** Exam regions where a lung or pleural finding not placed in the chest is most likely another sense of the word. */
const NOT_CHEST = new Set([
  'head',
  'face',
  'neck',
  'spine',
  'knee',
  'shoulder',
  'hip',
  'ankle',
  'foot',
  'wrist',
  'hand',
  'elbow',
  'forearm',
  'humerus',
  'femur',
  'leg',
  'extremity',
  'scrotum',
  'breast',
  'pelvis',
]);

export function buildConclusionPlan(report: Report, vocabulary: Vocabulary): ConclusionPlan {
  const analysis = analyzeReport(report, vocabulary);
  const exam = examKind(report, analysis);
  const context: ItemContext = { vocabulary, reportText: report.text };
  const items = mergeItems(analysis.findings.flatMap((sentence) => sentenceItems(sentence, context, exam)));
  const questions = clinicalQuestions(report, analysis, exam, items);
  // A finding the clinical question asks about is said, however slight or chronic; the current one answers it.
  for (const question of questions) {
    if (question.answer !== 'present') continue;
    const asked = items.filter((item) => question.findingIds.includes(item.finding.id));
    const current = asked.filter((item) => item.qualifiers.length === 0);
    for (const item of current.length ? current : asked) {
      item.answersQuestion = true;
      if (!item.required) {
        item.required = true;
        delete item.suggested;
        item.rank = 'significant';
      }
    }
  }
  items.sort((a, b) => PLAN_RANKS.indexOf(a.rank) - PLAN_RANKS.indexOf(b.rank));
  for (const item of items) item.statement = itemStatement(item);
  const plan: ConclusionPlan = { exam, items, questions, statements: [] };
  // Nothing acute (nothing at all, or only what is known, stable or for follow-up): the exam's normal statement, as
  // radiologists write "Stable cardiomegaly. No acute cardiopulmonary abnormality."
  // An opacity of no stated cause may be an acute one: no "no acute" beside it.
  const acute = items.some(
    (item) =>
      item.required &&
      (item.rank === 'critical' ||
        item.rank === 'acute' ||
        item.finding.id === UNNAMED_FINDING ||
        (item.finding.id === 'opacity' && item.qualifiers.length === 0)),
  );
  if (!acute) plan.normal = normalStatement(exam);
  plan.statements = planStatements(plan);
  return plan;
}

/** The items of one findings sentence: one per finding, a finding and its diagnosis ("… consistent with …") as one. */
function sentenceItems(sentence: SentenceAnalysis, context: ItemContext, exam: ExamKind): PlanItem[] {
  if (sentence.recommendation && sentence.findings.every((f) => f.assertion !== 'present')) return [];
  const critical = sentence.critical.filter((c) => (c.assertion === 'present' || c.assertion === 'possible') && !c.chronic);
  // A finding word right before another ("streaky opacity", "patchy consolidation") describes it; so does a finding
  // adjective joined to it ("patchy and hazy airspace opacity"), not a finding noun ("hydronephrosis and hydroureter").
  // The place may stand between them: "minimal patchy right lower lobe airspace disease".
  const adjective = (m: FindingMention) => m.first === m.last && /(?:y|ic|ive|ed|ar)$/.test(sentence.tokens[m.first]!.lower);
  const inPlace = new Set<number>();
  for (const a of sentence.anatomy) for (let k = a.first; k <= a.last; k++) inPlace.add(k);
  const describes = (m: FindingMention, next: FindingMention | undefined) =>
    next !== undefined &&
    context.vocabulary.groupOf(next.finding) === context.vocabulary.groupOf(m.finding) &&
    (next.first === m.last + 1 ||
      (adjective(m) &&
        next.first - m.last <= 6 &&
        sentence.tokens
          .slice(m.last + 1, next.first)
          .every((t, k) => ['and', 'or', ',', 'xxxx', '-', 'left', 'right', 'bilateral'].includes(t.lower) || inPlace.has(m.last + 1 + k))));
  const positive = sentence.findings.filter(
    (m, i, all) => !m.modifier && (m.assertion === 'present' || m.assertion === 'possible') && !describes(m, all[i + 1]),
  );
  const used = new Set<CriticalMention>();
  const entries: Array<{ mention: FindingMention; item: PlanItem }> = [];
  for (const mention of positive) {
    const criticalMention = critical.find((c) => c.span.start <= mention.span.end && c.span.end >= mention.span.start);
    if (criticalMention) used.add(criticalMention);
    const draft = findingItem(mention, context, 'other');
    const rank = adjustedRank(mention, draft, rankOf(mention, draft, Boolean(criticalMention), mention.finding.acute === true, isSevere(draft)), exam);
    // A significant finding that is only stable, chronic, benign or slight ("stable cardiomegaly", "minimal basal
    // atelectasis"), and one radiologists usually name ("hyperinflated lungs"), is suggested: in the plan's statements,
    // after the rest, but a conclusion may leave it out. Old ones are only allowed.
    const suggested = rank === 'other' && !draft.qualifiers.includes('old') && (mention.finding.significant === true || mention.finding.noteworthy === true);
    entries.push({ mention, item: { ...draft, rank, required: rank !== 'other', ...(suggested ? { suggested } : {}), statement: '' } });
  }
  // "A collection over the left temporal convexity, consistent with an acute epidural haematoma": one item, the diagnosis.
  for (let i = entries.length - 2; i >= 0; i--) {
    const a = entries[i]!;
    const b = entries[i + 1]!;
    const between = context.reportText.slice(a.mention.span.end, b.mention.span.start);
    if (!EXPLAINS.test(between) || /[.;]/.test(between)) continue;
    mergeInto(b.item, a.item, true);
    entries.splice(i, 1);
  }
  // "Effacement of the right lateral ventricle with 6 mm leftward midline shift": one item of the group.
  for (let i = 0; i < entries.length; i++) {
    for (let j = i + 1; j < entries.length; j++) {
      const a = entries[i]!.item;
      const b = entries[j]!.item;
      if (a.group !== b.group || (a.side && b.side && a.side !== b.side) || (a.siteId && b.siteId && a.siteId !== b.siteId)) continue;
      const keep = b.size && !a.size ? b : a;
      const gap =
        a.phraseSpan && b.phraseSpan && a.phraseSpan.end <= b.phraseSpan.start ? context.reportText.slice(a.phraseSpan.end, b.phraseSpan.start) : undefined;
      // Written together ("… with 6 mm leftward midline shift", "patchy right lower lung opacification"): the
      // conclusion says them together; one phrase holding the other is that phrase.
      const together =
        gap !== undefined &&
        !/\b(?:is|are|was|were|has|have|present|noted|seen|whose|which|that|there)\b/i.test(gap) &&
        (/^\s*(?:,\s*)?(?:with|and|causing|resulting in)\s+(?:\w+\s+){0,3}$/i.test(gap) || /^\s*(?:[\w-]+\s+){0,4}$/.test(gap));
      const holds = (outer?: { start: number; end: number }, inner?: { start: number; end: number }) =>
        outer && inner && outer.start <= inner.start && outer.end >= inner.end;
      const joined = together
        ? { start: a.phraseSpan!.start, end: b.phraseSpan!.end }
        : holds(b.phraseSpan, a.phraseSpan)
          ? b.phraseSpan
          : holds(a.phraseSpan, b.phraseSpan)
            ? a.phraseSpan
            : undefined;
      mergeInto(keep, keep === a ? b : a, false);
      if (joined) {
        keep.phrase = clean(context.reportText.slice(joined.start, joined.end));
        keep.phraseSpan = joined;
        if (a.side !== b.side) delete keep.side;
      }
      entries[i]!.item = keep;
      entries.splice(j, 1);
      j--;
    }
  }
  const items = entries.map((entry) => entry.item);
  // A template line whose choice is not made states nothing, not even in words the vocabulary does not know.
  if (items.length === 0 && critical.length === 0 && !sentence.openChoice) {
    const unnamed = unnamedItem(sentence, context) ?? evidenceItem(sentence, context);
    if (unnamed) items.push(unnamed);
  }
  // A critical finding the vocabulary knows only as such ("cord compression") is an item of its own.
  for (const mention of critical) {
    if (used.has(mention)) continue;
    const finding: FindingTerm = { id: mention.critical.id, terms: [mention.critical.id], significant: true };
    const written = context.reportText.slice(mention.span.start, mention.span.end).replace(/\s+/g, ' ').toLowerCase();
    const item: PlanItem = {
      finding,
      group: finding.id,
      rank: 'critical',
      required: true,
      label: written,
      phrase: written,
      certainty: mention.assertion === 'possible' ? 'possible' : 'definite',
      descriptors: [],
      qualifiers: [],
      source: { text: sentence.sentence.text, span: sentence.sentence.span },
      statement: '',
    };
    if (mention.assertion === 'possible') item.hedge = 'possible';
    items.push(item);
  }
  return items;
}

/** The finding id of a plan item made from a sentence the vocabulary cannot read. */
export const UNNAMED_FINDING = 'unnamed finding';

/** A sentence that says something is there, in no words of the vocabulary, is no normal sentence. */
const NORMAL_WORDS =
  /\b(?:normal|normally|unremarkable|no|not|without|negative|intact|clear|patent|preserved|within|appropriate|satisfactory|expected|physiologic(?:al)?|stable|unchanged|symmetric(?:al)?|maintained|well|free|none|nil|adequate|adequately|otherwise|age|aged|appropriately|grossly|likely|may|might|possible|possibly|query|questionable|benign|incidental|limited|compressible|congruent|competent|concordant|mild|mildly|minimal|minor|trace|tiny|punctate|subtle|slight|slightly|nonspecific|non-specific)\b/i;
/** Words that say something is wrong: a sentence the vocabulary cannot read is kept only with one of them. */
const ABNORMAL_WORDS =
  /\b(?:enlarg\w*|dilat\w*|distend\w*|thicken\w*|hyper(?:dens|intens|echo|attenuat|enhanc)\w*|hypo(?:dens|intens|echo|attenuat|enhanc)\w*|enhanc\w*|collections?|fluid|defects?|destruct\w*|erosi\w*|widen\w*|narrow\w*|deform\w*|displac\w*|compress\w*|herniat\w*|ruptur\w*|tear|torn|twist\w*|whirlpool|air|gas|irregular\w*|spiculat\w*|heterogeneous|nodular|foci|focus|restrict\w*|occlu\w*|filling|loss|effac\w*|shift\w*|ectatic|ectasia|aneurysm\w*|embryo|sac|ring|flap|extravasat\w*|perforat\w*|necro\w*|infiltrat\w*|invad\w*|invasion|extension|swollen|varices|clot|bulging|protru\w*|sclero\w*|lytic|blastic|periosteal|fragment\w*|avulsion|subluxat\w*|malalign\w*|angulat\w*|new|increas\w*|worse\w*|progress\w*|elevat\w*|depress\w*|absent|reduced|decreased|opacif\w*|obstruct\w*|abnormal\w*|suspicious|concerning|worrisome)\b/i;
/** Sentences about the exam itself, not the patient. */
const ABOUT_THE_EXAM =
  /\b(?:views?|images?|imaged|study|studies|technique|examination|exam|comparison|compared|projection|protocol|sequences?|contrast|motion|artefact|artifact|rotated|rotation|portable|inspiration|penetration|obscured|evaluated|assessment|acquired|performed|reformats?|reconstructions?|provided|dose|kv|ma|series|phase|measured|measures|measuring)\b/i;

/**
 * A findings sentence with no finding the vocabulary knows, that reads as something present ("Gallbladder wall thickened
 * to 6 mm with pericholecystic fluid; positive sonographic Murphy sign."): the plan cannot name it, so it keeps the
 * sentence, and a conclusion states it by its words or by a diagnosis whose evidence the sentence holds. Never a normal
 * study for want of a word.
 */
function unnamedItem(sentence: SentenceAnalysis, context: ItemContext): PlanItem | undefined {
  const text = clean(sentence.text.replace(/^[A-Z][A-Za-z /]{1,30}:\s*/, ''));
  const words = text.toLowerCase().match(/[a-z]{3,}/g) ?? [];
  if (
    words.length < 2 ||
    NORMAL_WORDS.test(text) ||
    !ABNORMAL_WORDS.test(text) ||
    ABOUT_THE_EXAM.test(text) ||
    sentence.recommendation ||
    sentence.communication
  )
    return undefined;
  if (/\bx{2,}\b/i.test(sentence.text) && words.length < 4) return undefined;
  const evidence = [...context.vocabulary.evidence]
    .filter(([, e]) => e.phrases.findAll(sentence.tokens).length > 0 || e.patterns.some((p) => ((p.lastIndex = 0), p.test(sentence.text))))
    .map(([id]) => context.vocabulary.data.findings.find((f) => f.id === id))
    .filter((f): f is FindingTerm => f !== undefined);
  const finding: FindingTerm = { id: UNNAMED_FINDING, terms: [], significant: true };
  const statement = text.replace(/[.;:,\s]+$/, '');
  return {
    finding,
    group: UNNAMED_FINDING,
    rank: 'significant',
    required: true,
    label: statement,
    phrase: statement,
    certainty: 'definite',
    descriptors: [],
    qualifiers: [],
    source: { text: sentence.sentence.text, span: sentence.sentence.span },
    ...(evidence.length ? { also: evidence } : {}),
    statement: '',
  };
}

/**
 * A sentence that names no finding but holds the vocabulary's evidence of a significant or noteworthy one ("The heart
 * is at the upper limit of normal size", "The costophrenic angles are blunted"): a suggested item in its own words.
 */
function evidenceItem(sentence: SentenceAnalysis, context: ItemContext): PlanItem | undefined {
  const { vocabulary } = context;
  for (const [id, evidence] of vocabulary.evidence) {
    const finding = vocabulary.data.findings.find((f) => f.id === id);
    if (!finding || !(finding.significant || finding.noteworthy)) continue;
    const phrase = evidence.phrases.findAll(sentence.tokens).find((m) => sentence.scope.assert(m.first, m.last).assertion === 'present');
    const pattern = evidence.patterns.some((p) => ((p.lastIndex = 0), p.test(sentence.text)));
    if (
      !phrase &&
      !(
        pattern &&
        !/\b(?:no|not|without|normal size|normal in size|within normal limits)\b/i.test(
          sentence.text.replace(/upper limits? of normal|top normal|top-normal/gi, ''),
        )
      )
    )
      continue;
    const statement = clean(sentence.text.replace(/^[A-Z][A-Za-z /]{1,30}:\s*/, '')).replace(/[.;:,\s]+$/, '');
    return {
      finding,
      group: vocabulary.groupOf(finding),
      rank: 'other',
      required: false,
      suggested: true,
      label: statement,
      phrase: statement,
      certainty: 'definite',
      descriptors: [],
      qualifiers: ['described, not named'],
      source: { text: sentence.sentence.text, span: sentence.sentence.span },
      statement: '',
    };
  }
  return undefined;
}

/** The rank, knowing the exam: a bleed inside the head is critical, a scalp bruise is not; a "density" in a knee is no lung. */
function adjustedRank(mention: FindingMention, item: Omit<PlanItem, 'statement'>, rank: PlanRank, exam: ExamKind): PlanRank {
  const siteId = item.siteId ?? mention.anatomy?.anatomy.id;
  if (rank !== 'critical' && isSuperficial(siteId)) return 'other';
  const organ = mention.finding.organ;
  const placedInChest = mention.anatomy && ['lung', 'pleura'].includes(mention.anatomy.anatomy.organ ?? mention.anatomy.anatomy.id);
  if (
    rank !== 'critical' &&
    exam.region &&
    NOT_CHEST.has(exam.region) &&
    LUNG_WORDS.has(mention.finding.id) &&
    (organ === 'lung' || organ === 'pleura') &&
    !placedInChest
  )
    return 'other';
  if (mention.finding.id === 'hemorrhage' && exam.region === 'head' && !item.qualifiers.includes('chronic or stable') && !item.qualifiers.includes('old'))
    return 'critical';
  return rank;
}

/** Takes another item's words into one: the higher rank, the definite certainty, the attributes this one lacks. */
function mergeInto(target: PlanItem, other: PlanItem, diagnosis: boolean): void {
  if (PLAN_RANKS.indexOf(other.rank) < PLAN_RANKS.indexOf(target.rank)) target.rank = other.rank;
  target.required ||= other.required;
  if (other.suggested && !target.required) target.suggested = true;
  if (target.required) delete target.suggested;
  if (other.certainty === 'definite' && !diagnosis) {
    target.certainty = 'definite';
    delete target.hedge;
  }
  for (const key of ['side', 'site', 'siteId', 'size', 'sizeMm', 'count', 'change', 'changeWord', 'severity', 'acuity', 'place'] as const) {
    if (target[key] === undefined && other[key] !== undefined) (target as unknown as Record<string, unknown>)[key] = other[key];
  }
  // A diagnosis takes the place its description gives ("… over the left temporal convexity").
  if (diagnosis && target.phrase && other.place && !target.phrase.includes(other.place)) target.phrase = `${target.phrase} ${other.place}`;
  target.also = [...new Set([...(target.also ?? []), other.finding, ...(other.also ?? [])])].filter((f) => f !== target.finding);
  target.qualifiers = target.qualifiers.filter((q) => other.qualifiers.includes(q));
}

/**
 * One item per finding and side across sentences: the same finding said twice ("opacity in the left lower lobe … the
 * opacity measures 3 cm") is one item with what both say; an allowed finding of the group of a required one on the same
 * side ("left basal atelectasis" beside "left lower lobe consolidation") adds nothing.
 */
function mergeItems(items: PlanItem[]): PlanItem[] {
  const out: PlanItem[] = [];
  const compatible = (a: PlanItem, b: PlanItem) => (!a.side || !b.side || a.side === b.side) && (!a.siteId || !b.siteId || a.siteId === b.siteId);
  for (const item of items) {
    const same = out.find((o) => o.finding.id === item.finding.id && compatible(o, item) && (o.side === item.side || !o.side || !item.side));
    if (same) {
      mergeInto(same, item, false);
      continue;
    }
    const covered = out.find((o) => o.group === item.group && o.side === item.side && o.required && !item.required);
    if (covered) continue;
    const weaker = out.findIndex((o) => o.group === item.group && o.side === item.side && !o.required && item.required);
    if (weaker !== -1) out.splice(weaker, 1);
    out.push(item);
  }
  return out;
}

/**
 * The plan as conclusion sentences: the required findings in rank order, the suggested ones, then the answers to the
 * clinical question and the normal statement.
 */
function planStatements(plan: ConclusionPlan): string[] {
  const findings = plan.items.filter((item) => item.required).map((item) => item.statement);
  const suggested = plan.items.filter((item) => item.suggested).map((item) => item.statement);
  const answers = plan.questions.filter((q) => q.answer === 'absent' && q.statement).map((q) => q.statement!);
  const statements = [...findings, ...suggested, ...answers];
  if (plan.normal) statements.push(...plan.normal.split(/(?<=\.)\s+/));
  return [...new Set(statements)];
}
