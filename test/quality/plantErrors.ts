/**
 * The planted-error generator: from a real report, makes copies with exactly one error of a given kind in the
 * conclusion (or, for the augmented kinds, a controlled addition), plus benign edits that must not be flagged.
 * Independent of the rules: it uses the word lists of `plantingText.ts` and plain text edits. See docs/rules/README.md
 * ("Measured quality") for how the results are counted.
 */
import {
  appendSentence,
  capitalize,
  COMMUNICATION,
  CRITICAL_WORDS,
  DENIAL,
  DOUBT,
  escapeRegExp,
  GLOBAL_NEGATION,
  HISTORY,
  inCaseOf,
  leaveRoom,
  OLD,
  PARTIAL_DENIAL,
  partsOf,
  prependSentence,
  randomFor,
  REGION_STRUCTURES,
  replaceAt,
  SIDED_STRUCTURES,
  type ReportParts,
  withFrontMatterField,
} from './plantingText.ts';

export const ERROR_KINDS = [
  'laterality-mismatch',
  'contradiction',
  'unsupported-conclusion',
  'omitted-finding',
  'measurement-mismatch',
  'critical-communication',
  'follow-up-recommendation',
  'sex-mismatch',
  'duplicate-sentence',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface SourceReport {
  id: string;
  corpus: 'iu' | 'mtsamples';
  split: string;
  text: string;
}

export interface PlantedReport {
  sourceId: string;
  split: string;
  /** The error planted, or `benign` for an edit that must not be flagged. */
  kind: ErrorKind | 'benign';
  /** Other kinds the planted error legitimately also is (a planted critical finding is also uncommunicated). */
  also: ErrorKind[];
  /** What was done, for reading the misses. */
  operation: string;
  text: string;
}

type Planter = (source: SourceReport, parts: ReportParts) => Array<Omit<PlantedReport, 'sourceId' | 'split'>>;

/** Every planted and benign variant of one report. */
export function plantErrors(source: SourceReport): PlantedReport[] {
  const parts = partsOf(source.text);
  if (!parts.findings || !parts.conclusion || parts.conclusionText.trim() === '') return [];
  const out: PlantedReport[] = [];
  for (const planter of PLANTERS) {
    for (const variant of planter(source, parts)) out.push({ ...variant, sourceId: source.id, split: source.split });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------------
// laterality-mismatch: swap the side of a structure that has that side in the findings; or give a structure of a
// sided exam the other side.

const SIDE_PHRASE = new RegExp(
  String.raw`\b(left|right)(?:[- ]sided)?\s+((?:[a-z]+\s+){0,2}?)(${SIDED_STRUCTURES.map(escapeRegExp)
    .sort((a, b) => b.length - a.length)
    .join('|')})\b`,
  'gi',
);
const LOBES: Record<string, string> = { RUL: 'LUL', LUL: 'RUL', RLL: 'LLL', LLL: 'RLL' };

const plantLaterality: Planter = (source, parts) => {
  const random = randomFor(`${source.id}/laterality`);
  const { text, conclusion } = parts;
  const findings = parts.findingsText.toLowerCase();
  const candidates: Array<{ start: number; end: number; replacement: string; operation: string }> = [];
  SIDE_PHRASE.lastIndex = 0;
  const body = parts.conclusionText;
  for (const match of body.matchAll(SIDE_PHRASE)) {
    const side = match[1]!.toLowerCase();
    const other = side === 'left' ? 'right' : 'left';
    const structure = match[3]!.toLowerCase();
    const near = (s: string) => new RegExp(String.raw`\b${s}(?:[- ]sided)?\s+(?:[a-z]+\s+){0,3}?${escapeRegExp(structure)}\b`, 'i');
    if (!near(side).test(findings) || near(other).test(findings) || near(other).test(body.toLowerCase())) continue;
    // One side only: no findings sentence names the structure with the other side or both sides.
    const structureWord = new RegExp(String.raw`\b${escapeRegExp(structure)}\b`, 'i');
    if (
      sentencesMatching(findings, structureWord).some((f) => new RegExp(String.raw`\b(?:${other}|bilateral\w*|both|bi(?:basilar|apical|basal))\b`, 'i').test(f))
    )
      continue;
    if (new RegExp(String.raw`\b(?:bilateral\w*|both|bibasilar|biapical)\b[^.]*\b${escapeRegExp(structure)}`, 'i').test(findings)) continue;
    const start = conclusion!.bodySpan.start + match.index!;
    candidates.push({ start, end: start + match[1]!.length, replacement: inCaseOf(match[1]!, other), operation: `swap ${side} → ${other} (${structure})` });
  }
  for (const match of body.matchAll(/\b(RUL|LUL|RLL|LLL)\b/g)) {
    const full = `${match[1]![0] === 'R' ? 'right' : 'left'} ${match[1]![1] === 'U' ? 'upper' : 'lower'} lobe`;
    const otherFull = full.startsWith('right') ? full.replace('right', 'left') : full.replace('left', 'right');
    if (
      !(findings.includes(match[1]!.toLowerCase()) || findings.includes(full)) ||
      findings.includes(otherFull) ||
      findings.includes(LOBES[match[1]!]!.toLowerCase())
    )
      continue;
    const start = conclusion!.bodySpan.start + match.index!;
    candidates.push({ start, end: start + 3, replacement: LOBES[match[1]!]!, operation: `swap ${match[1]} → ${LOBES[match[1]!]}` });
  }
  if (candidates.length > 0) {
    const c = random.pick(candidates);
    return [{ kind: 'laterality-mismatch', also: [], operation: c.operation, text: replaceAt(text, c.start, c.end, c.replacement) }];
  }
  // The exam side: "MRI LEFT KNEE" and a conclusion that names knee structures without a side.
  const title = /^(?:#\s*|EXAM(?:INATION)?:[ ,]*)(.*)$/im.exec(text)?.[1] ?? '';
  const exam = /\b(left|right)\b[^.;\n]*?\b(knee|shoulder|hip|ankle|foot|wrist|elbow|hand)\b/i.exec(title);
  if (!exam || /\b(?:left|right)\b/i.test(body) || /\bbilateral|both\b/i.test(title)) return [];
  const other = exam[1]!.toLowerCase() === 'left' ? 'right' : 'left';
  const structures = REGION_STRUCTURES[exam[2]!.toLowerCase()]!;
  const pattern = new RegExp(String.raw`\b(?:(?:the|a|an)\s+)?(${structures.map(escapeRegExp).join('|')})\b`, 'i');
  const found = pattern.exec(body);
  if (!found) return [];
  const at = conclusion!.bodySpan.start + found.index + found[0].length - found[1]!.length;
  return [{ kind: 'laterality-mismatch', also: [], operation: `exam ${exam[1]} ${exam[2]}: ${other} ${found[1]}`, text: replaceAt(text, at, at, `${other} `) }];
};

/** An added sentence names a structure with one side where the findings name it with the other only (then it is also a laterality error). */
function sidedAgainstFindings(sentence: string, findings: string): boolean {
  for (const match of sentence.matchAll(SIDE_PHRASE)) {
    const other = match[1]!.toLowerCase() === 'left' ? 'right' : 'left';
    const structure = escapeRegExp(match[3]!.toLowerCase());
    const named = (side: string) => new RegExp(String.raw`\b${side}(?:[- ]sided)?\s+(?:[a-z]+\s+){0,3}?${structure}\b`, 'i').test(findings);
    if (named(other) && !named(match[1]!.toLowerCase())) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------------------
// contradiction: negate a finding the findings state; or state a finding the findings deny.

interface FindingWord {
  /** Pattern of the word in text. */
  pattern: string;
  /** How the generator writes it in a new sentence. */
  name: string;
  /** Takes a size adjective ("small pneumothorax"). */
  sized?: boolean;
  /** Takes a side ("right pleural effusion"). */
  sided?: boolean;
}

const STATED_FINDINGS: FindingWord[] = [
  { pattern: 'pneumothorax', name: 'pneumothorax', sized: true, sided: true },
  { pattern: '(?<!pericardial |joint |suprapatellar )(?:pleural )?effusions?', name: 'pleural effusion', sized: true, sided: true },
  { pattern: 'consolidation', name: 'consolidation' },
  { pattern: 'pneumonia', name: 'pneumonia' },
  { pattern: 'atelectasis', name: 'atelectasis' },
  { pattern: '(?:pulmonary |interstitial )?edema', name: 'pulmonary edema' },
  { pattern: 'cardiomegaly', name: 'cardiomegaly' },
  { pattern: 'nodules?', name: 'pulmonary nodule', sized: true },
  { pattern: 'mass(?:es)?(?! effect)', name: 'mass', sized: true },
  { pattern: 'fractures?', name: 'fracture' },
  { pattern: 'infiltrates?', name: 'infiltrate' },
  { pattern: 'emphysema', name: 'emphysema' },
  { pattern: '(?:hiatal )?hernia', name: 'hiatal hernia', sized: true },
  { pattern: 'granulomas?', name: 'granuloma' },
  { pattern: 'scarring', name: 'scarring' },
  { pattern: 'opacit(?:y|ies)', name: 'opacity' },
  { pattern: '(?:lymph)?adenopathy', name: 'lymphadenopathy' },
  { pattern: 'hydronephrosis', name: 'hydronephrosis' },
  { pattern: 'tear', name: 'tear' },
  { pattern: 'joint effusion', name: 'joint effusion', sized: true },
  { pattern: 'ascites', name: 'ascites' },
  { pattern: 'splenomegaly', name: 'splenomegaly' },
  { pattern: 'hemorrhage', name: 'hemorrhage' },
];

const NEGATIONS = [
  (x: string) => `No ${x}.`,
  (x: string) => `No evidence of ${x}.`,
  (x: string) => `${capitalize(x)} is not seen.`,
  (x: string) => `Negative for ${x}.`,
  (x: string) => `There is no ${x}.`,
  (x: string) => `${capitalize(x)} has resolved.`,
  (x: string) => `Resolution of ${x}.`,
  (x: string) => `${capitalize(x)} is ruled out.`,
  (x: string) => `Lungs free of ${x}.`,
  (x: string) => `Chest without ${x}.`,
];
const ASSERTIONS = [
  (x: string, w: FindingWord, side: string) => (w.sized ? `Small ${side}${x}.` : `${capitalize(x)}.`),
  (x: string) => `${capitalize(x)} is present.`,
  (x: string) => `Findings consistent with ${x}.`,
  (x: string, w: FindingWord, side: string) => (w.sized ? `There is a moderate ${side}${x}.` : `There is ${x}.`),
  (x: string) => `Possible ${x}.`,
  (x: string) => `Suspicious for ${x}.`,
  (x: string) => `Cannot exclude ${x}.`,
  (x: string) => `New ${x}.`,
];

const sentencesMatching = (text: string, word: RegExp) => text.split(/(?<=[.!?])\s+|\n/).filter((s) => word.test(s));

const plantContradiction: Planter = (source, parts) => {
  const random = randomFor(`${source.id}/contradiction`);
  const { text, conclusion, findingsText } = parts;
  const options: Array<() => Omit<PlantedReport, 'sourceId' | 'split'> | undefined> = [];
  for (const w of STATED_FINDINGS) {
    const word = new RegExp(String.raw`\b${w.pattern}\b`, 'i');
    const inFindings = sentencesMatching(findingsText, word);
    const stated = inFindings.filter((s) => !DENIAL.test(s) && !DOUBT.test(s) && !HISTORY.test(s));
    const denied = inFindings.filter((s) => new RegExp(String.raw`\b(?:no|without|negative for|free of)\b(?:\s+[\w-]+){0,6}?\s+${w.pattern}\b`, 'i').test(s));
    const conclusionSentences = conclusion!.sentences.filter((s) => word.test(s.text));
    // Negate: the findings state it, a conclusion sentence states it too; that sentence is replaced by a denial.
    if (stated.length > 0 && inFindings.length === stated.length) {
      const positive = conclusionSentences.filter((s) => !DENIAL.test(s.text) && !DOUBT.test(s.text));
      if (positive.length > 0) {
        options.push(() => {
          const sentence = random.pick(positive);
          const others = STATED_FINDINGS.filter((o) => o !== w && new RegExp(String.raw`\b${o.pattern}\b`, 'i').test(sentence.text));
          const negation = random.pick(NEGATIONS)(w.name);
          return {
            kind: 'contradiction',
            also: others.length > 0 ? ['omitted-finding'] : [],
            operation: `negate ${w.name}: "${negation}"`,
            text: replaceAt(text, sentence.span.start, sentence.span.end, negation),
          };
        });
      }
    }
    // State what the findings deny: every mention of it in the findings is a plain denial and the conclusion is silent
    // about it or denies it too.
    if (
      denied.length > 0 &&
      denied.length === inFindings.length &&
      !denied.some((s) => PARTIAL_DENIAL.test(s.slice(s.search(/\b(?:no|without|negative for|free of)\b/i), s.search(word))))
    ) {
      const inConclusion = conclusionSentences;
      if (inConclusion.every((s) => DENIAL.test(s.text))) {
        options.push(() => {
          const side = w.sided && random.chance(0.4) ? `${random.pick(['left ', 'right '])}` : '';
          const assertion = random.pick(ASSERTIONS)(w.name, w, side);
          const replaceable = inConclusion.filter((s) =>
            new RegExp(String.raw`^\W*(?:\d+[.)](?!\d)\s*)?(?:no|negative for)\s+${w.pattern}\W*$`, 'i').test(s.text),
          );
          const planted =
            replaceable.length > 0
              ? replaceAt(text, replaceable[0]!.span.start, replaceable[0]!.span.end, assertion)
              : appendSentence(text, conclusion!, assertion);
          const also: ErrorKind[] = [];
          if (CRITICAL_WORDS.test(assertion)) also.push('critical-communication');
          if (sidedAgainstFindings(assertion, findingsText)) also.push('laterality-mismatch');
          return {
            kind: 'contradiction',
            also,
            operation: `assert denied ${w.name}: "${assertion}"`,
            text: planted,
          };
        });
      }
    }
  }
  options.push(...globalNegationOptions(source, parts, random));
  if (options.length === 0) return [];
  const planted = random.pick(options)();
  return planted ? [planted] : [];
};

/** Acute findings, for denying them with a global negation ("chest": a chest global negation covers them). */
const ACUTE_FINDINGS: Array<{ name: string; words: RegExp; chest: boolean }> = [
  { name: 'pneumothorax', words: /pneumothora/i, chest: true },
  { name: 'pleural effusion', words: /(?<!pericardial |joint |knee |suprapatellar )(?:pleural )?effusion|pleural fluid/i, chest: true },
  { name: 'consolidation', words: /consolidat|pneumonia|infiltrat|airspace disease|air space disease/i, chest: true },
  { name: 'pulmonary edema', words: /pulmonary edema|interstitial edema|alveolar edema/i, chest: true },
  { name: 'fracture', words: /fractur/i, chest: false },
  { name: 'hemorrhage', words: /hemorrhag|haemorrhag|hematoma/i, chest: false },
  { name: 'free air', words: /free air|pneumoperitoneum|free intraperitoneal/i, chest: false },
  { name: 'bowel obstruction', words: /bowel obstruction/i, chest: false },
  { name: 'hydronephrosis', words: /hydroneph/i, chest: false },
];
const CHEST_GLOBAL_NEGATIONS = [
  'No acute cardiopulmonary abnormality.',
  'No acute cardiopulmonary process.',
  'No active disease.',
  'Normal chest radiograph.',
  'No evidence of acute cardiopulmonary disease.',
];
const WHOLE_GLOBAL_NEGATIONS = ['No acute abnormality.', 'No acute findings.', 'Unremarkable examination.', 'Negative examination.'];

/**
 * Deny globally: the findings state an acute finding plainly, the conclusion names it; its conclusion sentences are
 * replaced by a global negation ("No acute cardiopulmonary abnormality."), which is also an omission.
 */
function globalNegationOptions(
  source: SourceReport,
  parts: ReportParts,
  random: ReturnType<typeof randomFor>,
): Array<() => Omit<PlantedReport, 'sourceId' | 'split'>> {
  const { text, conclusion, findingsText } = parts;
  const options: Array<() => Omit<PlantedReport, 'sourceId' | 'split'>> = [];
  for (const acute of ACUTE_FINDINGS) {
    const inFindings = sentencesMatching(findingsText, acute.words);
    if (inFindings.length === 0 || inFindings.some((f) => DENIAL.test(f) || DOUBT.test(f) || OLD.test(f) || HISTORY.test(f) || SLIGHT.test(f))) continue;
    const naming = conclusion!.sentences.filter((c) => acute.words.test(c.text));
    if (naming.length === 0 || naming.some((c) => DENIAL.test(c.text) || DOUBT.test(c.text))) continue;
    options.push(() => {
      const negation = random.pick(acute.chest && source.corpus === 'iu' ? CHEST_GLOBAL_NEGATIONS : WHOLE_GLOBAL_NEGATIONS);
      let planted = text;
      const sorted = [...naming].sort((a, b) => b.span.start - a.span.start);
      sorted.forEach((sentence, i) => {
        planted = replaceAt(planted, sentence.span.start, sentence.span.end, i === sorted.length - 1 ? negation : '');
      });
      return { kind: 'contradiction', also: ['omitted-finding'], operation: `deny ${acute.name} globally: "${negation}"`, text: planted };
    });
  }
  return options;
}

// ---------------------------------------------------------------------------------------------------------------------
// unsupported-conclusion: add a finding the findings do not mention at all.

interface Addition {
  sentences: string[];
  /** Any of these in the findings or the conclusion means the finding is not absent. */
  related: RegExp;
}

const ADDITIONS: Addition[] = [
  {
    sentences: ['Small right apical pneumothorax.', 'Left pneumothorax.', 'There is a small pneumothorax.'],
    related: /pneumothora|pleural air|air collection/i,
  },
  {
    sentences: ['Small left pleural effusion.', 'Moderate bilateral pleural effusions.', 'Right pleural effusion.'],
    related: /effusion|pleural fluid|fluid|blunt|costophrenic|pleura/i,
  },
  {
    sentences: ['Right lower lobe pneumonia.', 'Left upper lobe consolidation consistent with pneumonia.', 'Findings compatible with multifocal pneumonia.'],
    related: /pneumon|consolidat|infiltrat|airspace|air space|opaci|densit|atelecta|scar|fibros|edema|aspirat|infect|interstit|marking/i,
  },
  { sentences: ['Mild cardiomegaly.', 'Cardiomegaly.', 'The heart is enlarged.'], related: /cardiomegaly|heart|cardiac|cardiomediastinal|silhouette/i },
  {
    sentences: ['Acute fracture of the left sixth rib.', 'Displaced right clavicle fracture.', 'Compression fracture of a lower thoracic vertebral body.'],
    related: /fractur|deformit|rib|clavic|vertebra|osseous|bony|bone|spine/i,
  },
  {
    sentences: ['8 mm right upper lobe pulmonary nodule.', 'Left lower lobe nodule.', 'A 1.5 cm nodule in the right middle lobe.'],
    related: /nodul|mass|granulom|opaci|densit|lesion|calcif/i,
  },
  {
    sentences: ['Large right hilar mass.', 'A 4 cm mass in the left upper lobe.', 'Mediastinal mass.'],
    related: /mass|nodul|lesion|hil|mediastin|opaci|densit|tumou?r|neoplas|malig/i,
  },
  { sentences: ['Large hiatal hernia.', 'Small hiatal hernia.'], related: /hernia|hiatal|retrocardiac/i },
  { sentences: ['Mild interstitial pulmonary edema.', 'Pulmonary edema.'], related: /edema|congest|vascula|interstit|kerley|opaci|heart failure|overload/i },
  {
    sentences: ['Emphysema.', 'Changes of COPD.', 'Hyperinflated lungs consistent with emphysema.'],
    related: /emphysem|copd|obstructive|hyperinfla|hyperexpan|bull|flatten|hyperluc|inflat/i,
  },
  { sentences: ['Mediastinal lymphadenopathy.', 'Bilateral hilar adenopathy.'], related: /adenopath|lymph|hil|node|mediastin/i },
  {
    sentences: ['Left basilar atelectasis.', 'Bibasilar atelectasis.'],
    related: /atelecta|opaci|densit|consolidat|airspace|scar|collapse|volume|infiltrat|basilar|base/i,
  },
  { sentences: ['Moderate hydronephrosis of the right kidney.', 'Left hydronephrosis.'], related: /hydroneph|kidney|renal|pelvocalic|ureter|collecting/i },
  { sentences: ['Splenomegaly.', 'The spleen is enlarged.'], related: /spleen|splen/i },
  { sentences: ['Cholelithiasis.', 'Gallstones are present.'], related: /gallbladder|gallstone|cholelith|cholecyst|biliary/i },
  { sentences: ['Small joint effusion.', 'There is a large joint effusion.'], related: /effusion|fluid|joint|synov/i },
  { sentences: ['Thoracic scoliosis.', 'Scoliosis of the spine.'], related: /scolio|curvature|kyphos|spine|spinal|vertebra/i },
];

const plantUnsupported: Planter = (source, parts) => {
  const random = randomFor(`${source.id}/unsupported`);
  const everything = `${parts.findingsText}\n${parts.conclusionText}`;
  const absent = ADDITIONS.filter((a) => !a.related.test(everything));
  if (absent.length === 0) return [];
  const addition = random.pick(absent);
  const sentence = random.pick(addition.sentences);
  const text = random.chance(0.5) ? appendSentence(parts.text, parts.conclusion!, sentence) : prependSentence(parts.text, parts.conclusion!, sentence);
  return [
    {
      kind: 'unsupported-conclusion',
      also: sidedAgainstFindings(sentence, parts.findingsText) ? ['laterality-mismatch'] : [],
      operation: `add "${sentence}"`,
      text,
    },
  ];
};

// ---------------------------------------------------------------------------------------------------------------------
// omitted-finding: drop the conclusion sentences about a significant finding the findings state.

const SIGNIFICANT: Array<{ name: string; words: RegExp }> = [
  { name: 'pneumothorax', words: /pneumothora/i },
  { name: 'pleural effusion', words: /effusion|pleural fluid/i },
  { name: 'consolidation', words: /consolidat|infiltrat|airspace disease|air space disease|pneumonia|airspace opacit|aspiration/i },
  { name: 'pulmonary edema', words: /edema|congestion|heart failure/i },
  { name: 'mass', words: /\bmass|nodul|tumou?r|neoplas|lesion|malignan|carcinoma|cancer|metasta/i },
  { name: 'fracture', words: /fractur/i },
  { name: 'lymphadenopathy', words: /adenopath|lymph node/i },
  { name: 'hydronephrosis', words: /hydroneph/i },
  { name: 'hemorrhage', words: /hemorrhag|haemorrhag|hematoma|haematoma|bleed/i },
  { name: 'tear', words: /\btear|torn\b|ruptur/i },
  { name: 'dislocation', words: /dislocat|sublux/i },
  { name: 'ascites', words: /ascites/i },
];

const SLIGHT = /\b(?:trace|minimal|tiny|subtle|slight|slightly|minute)\b/i;
const NOTHING_ACUTE = [
  'No acute cardiopulmonary abnormality.',
  'No acute findings.',
  'No acute abnormality.',
  'Unremarkable examination.',
  'No acute disease.',
];

const plantOmission: Planter = (source, parts) => {
  const random = randomFor(`${source.id}/omitted`);
  const { text, findingsText } = parts;
  const conclusion = parts.conclusion!;
  const options: Array<{ name: string; drop: typeof conclusion.sentences }> = [];
  for (const s of SIGNIFICANT) {
    const inFindings = sentencesMatching(findingsText, s.words);
    // Stated plainly, as new: no denial, doubt, or old/stable/benign description in any sentence that names it.
    if (inFindings.length === 0 || inFindings.some((f) => DENIAL.test(f) || DOUBT.test(f) || OLD.test(f) || SLIGHT.test(f))) continue;
    const drop = conclusion!.sentences.filter((c) => s.words.test(c.text));
    if (drop.length === 0) continue;
    options.push({ name: s.name, drop });
  }
  if (options.length === 0) return [];
  const choice = random.pick(options);
  let planted = text;
  const sorted = [...choice.drop].sort((a, b) => b.span.start - a.span.start);
  const keep = conclusion!.sentences.filter((c) => !choice.drop.includes(c) && /[a-z]{3}/i.test(c.text.replace(/xxxx/gi, '')));
  for (const [i, sentence] of sorted.entries()) {
    let end = sentence.span.end;
    while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
    // Where nothing would be left, the conclusion says the exam is normal instead: a plain omission.
    const instead = keep.length === 0 && i === sorted.length - 1 ? `${random.pick(NOTHING_ACUTE)} ` : '';
    planted = replaceAt(planted, sentence.span.start, end, instead);
  }
  // What is left may deny the dropped finding globally ("No acute cardiopulmonary abnormality"): also a contradiction.
  const left = partsOf(planted).conclusionText;
  const also: ErrorKind[] = GLOBAL_NEGATION.test(left) ? ['contradiction'] : [];
  return [
    {
      kind: 'omitted-finding',
      also,
      operation: `drop ${choice.drop.length} sentence(s) about ${choice.name}${keep.length === 0 ? ' (conclusion now says nothing acute)' : ''}`,
      text: planted,
    },
  ];
};

/** Significant findings to add to the findings of a report that does not mention them. */
const SIGNIFICANT_ADDITIONS: Array<{ findings: string[]; conclusion: string; related: RegExp }> = [
  {
    findings: ['There is a small right pleural effusion.', 'A moderate left pleural effusion is present.', 'Small bilateral pleural effusions are noted.'],
    conclusion: 'Pleural effusion.',
    related: /effusion|pleural fluid|fluid|blunt|costophrenic|pleura/i,
  },
  {
    findings: ['There is a small right apical pneumothorax.', 'A left pneumothorax is present.'],
    conclusion: 'Pneumothorax.',
    related: /pneumothora|pleural air|air collection/i,
  },
  {
    findings: [
      'There is consolidation in the right lower lobe.',
      'Focal airspace consolidation is present in the left lower lobe.',
      'There is a right middle lobe infiltrate.',
    ],
    conclusion: 'Consolidation, possibly pneumonia.',
    related: /pneumon|consolidat|infiltrat|airspace|air space|opaci|densit|atelecta|scar|fibros|edema|aspirat|infect|interstit|marking/i,
  },
  {
    findings: ['There is a 3 cm mass in the right upper lobe.', 'A spiculated mass is present in the left hilar region.'],
    conclusion: 'Lung mass.',
    related: /mass|nodul|lesion|hil|tumou?r|neoplas|malig|opaci|densit|granulom/i,
  },
  {
    findings: ['There is an acute fracture of the left sixth rib.', 'A displaced fracture of the right clavicle is present.'],
    conclusion: 'Acute fracture.',
    related: /fractur|deformit|rib|clavic|osseous|bony|bone/i,
  },
  {
    findings: ['There is interstitial pulmonary edema.', 'Findings of moderate pulmonary edema are present.'],
    conclusion: 'Pulmonary edema.',
    related: /edema|congest|vascula|interstit|kerley|opaci|heart failure|overload/i,
  },
  {
    findings: ['There is mediastinal lymphadenopathy.', 'Bilateral hilar lymphadenopathy is present.'],
    conclusion: 'Lymphadenopathy.',
    related: /adenopath|lymph|hil|node|mediastin/i,
  },
];

/** Omission by addition: a significant finding in the findings only (planted), or in both sections (benign). */
const plantOmissionByAddition: Planter = (source, parts) => {
  const random = randomFor(`${source.id}/omitted-addition`);
  const everything = `${parts.findingsText}\n${parts.conclusionText}`;
  const absent = SIGNIFICANT_ADDITIONS.filter((a) => !a.related.test(everything));
  if (absent.length === 0) return [];
  const addition = random.pick(absent);
  const sentence = random.pick(addition.findings);
  const planted = appendSentence(parts.text, parts.findings!, sentence);
  // Named in the conclusion too, beside a global negation that now says "otherwise".
  const both = leaveRoom(prependSentence(planted, partsOf(planted).conclusion!, addition.conclusion));
  // Where the conclusion denies every acute finding ("No acute cardiopulmonary abnormality"), the addition contradicts it.
  const also: ErrorKind[] = parts.conclusion!.sentences.some((s) => GLOBAL_NEGATION.test(s.text)) ? ['contradiction'] : [];
  const out: Array<Omit<PlantedReport, 'sourceId' | 'split'>> = [
    { kind: 'omitted-finding', also, operation: `add "${sentence}" to the findings only`, text: planted },
  ];
  if (both) out.push({ kind: 'benign', also: [], operation: `add "${sentence}" to the findings and "${addition.conclusion}" to the conclusion`, text: both });
  return out;
};

// ---------------------------------------------------------------------------------------------------------------------
// measurement-mismatch: change a measured value the conclusion repeats from the findings; or restate a measured
// finding in the conclusion with another value. Benign: the same value in the other unit.

const MEASURE = /(?<![\w.])(\d+(?:\.\d+)?)((?:\s*(?:x|by)\s*\d+(?:\.\d+)?){0,2})\s*(mm|cm)\b/gi;
const MEASURED_NOUNS =
  /\b(nodules?|mass(?:es)?|lesions?|cysts?|stones?|calcul(?:us|i)|aneurysms?|hematomas?|effusions?|tears?|fractures?|opacit(?:y|ies)|densit(?:y|ies)|lymph nodes?|adenopathy|collections?|tumou?rs?|polyps?|fibroids?|granulomas?)\b/i;

const sentenceAround = (text: string, at: number) => {
  const start = Math.max(text.lastIndexOf('. ', at) + 1, 0);
  const end = text.indexOf('. ', at);
  return text.slice(start, end === -1 ? text.length : end);
};
const toMm = (value: number, unit: string) => (unit.toLowerCase() === 'cm' ? value * 10 : value);
const written = (value: number) => String(Number(value.toFixed(2)));

function changedValue(value: number, unit: string, known: number[], random: ReturnType<typeof randomFor>): { value: string; unit: string } | undefined {
  const options: Array<{ value: string; unit: string }> = [];
  const digits = written(value);
  if (/^\d\.\d$/.test(digits) && digits[0] !== digits[2] && digits[2] !== '0') options.push({ value: `${digits[2]}.${digits[0]}`, unit });
  options.push({ value: written(value * 2), unit }, { value: written(value + (unit.toLowerCase() === 'cm' ? 1.5 : 5)), unit });
  if (value >= 2) options.push({ value: written(Math.max(0.1, value / 2)), unit });
  options.push({ value: digits, unit: unit.toLowerCase() === 'cm' ? 'mm' : 'cm' });
  const far = options.filter((o) => known.every((k) => Math.abs(toMm(Number(o.value), o.unit) - k) > 0.25 * Math.max(k, 1)));
  return far.length > 0 ? random.pick(far) : undefined;
}

const plantMeasurement: Planter = (source, parts) => {
  const random = randomFor(`${source.id}/measurement`);
  const { text, conclusion, findingsText, conclusionText } = parts;
  const known = [...findingsText.matchAll(MEASURE)].flatMap((m) => [m[1]!, ...(m[2]!.match(/\d+(?:\.\d+)?/g) ?? [])].map((v) => toMm(Number(v), m[3]!)));
  const out: Array<Omit<PlantedReport, 'sourceId' | 'split'>> = [];
  // In place: a conclusion measurement whose first value the findings also give.
  // (Only where the conclusion sentence names a measured finding: a balloon size or a clock position is no finding.)
  const inPlace = [...conclusionText.matchAll(MEASURE)].filter(
    (m) => known.some((k) => Math.abs(k - toMm(Number(m[1]), m[3]!)) < 1e-6) && MEASURED_NOUNS.test(sentenceAround(conclusionText, m.index!)),
  );
  if (inPlace.length > 0) {
    const m = random.pick(inPlace);
    const change = changedValue(Number(m[1]), m[3]!, known, random);
    if (change) {
      const start = conclusion!.bodySpan.start + m.index!;
      const replacement = `${change.value}${m[2]!}${m[0].slice(m[1]!.length + m[2]!.length).replace(/(mm|cm)/i, change.unit)}`;
      out.push({
        kind: 'measurement-mismatch',
        also: [],
        operation: `change "${m[0]}" → "${replacement}"`,
        text: replaceAt(text, start, start + m[0].length, replacement),
      });
      // Benign: the same size in the other unit.
      if (!m[2]) {
        const mm = toMm(Number(m[1]), m[3]!);
        const converted = m[3]!.toLowerCase() === 'cm' ? `${written(mm)} mm` : `${written(mm / 10)} cm`;
        out.push({ kind: 'benign', also: [], operation: `convert "${m[0]}" → "${converted}"`, text: replaceAt(text, start, start + m[0].length, converted) });
      }
      return out;
    }
  }
  // Restate: a findings sentence with one measured finding, copied into the conclusion with another value.
  const measured = parts.findings!.sentences.filter((s) => {
    const ms = [...s.text.matchAll(MEASURE)];
    return ms.length === 1 && MEASURED_NOUNS.test(s.text) && !DENIAL.test(s.text) && s.text.length < 200;
  });
  if (measured.length === 0) return [];
  const sentence = random.pick(measured);
  const m = [...sentence.text.matchAll(MEASURE)][0]!;
  const change = changedValue(Number(m[1]), m[3]!, known, random);
  if (!change) return [];
  const restated = (value: string, unit: string) => sentence.text.slice(0, m.index!) + `${value}${m[2]!} ${unit}` + sentence.text.slice(m.index! + m[0].length);
  const clean = (s: string) => s.replace(/^\W*(?:\d+[.)](?!\d)\s*)?/, '').replace(/[.\s]*$/, '.');
  out.push({
    kind: 'measurement-mismatch',
    also: [],
    operation: `restate with ${change.value} ${change.unit}: "${clean(restated(change.value, change.unit))}"`,
    text: appendSentence(text, conclusion!, clean(restated(change.value, change.unit))),
  });
  const mm = toMm(Number(m[1]), m[3]!);
  if (!m[2]) {
    const converted = m[3]!.toLowerCase() === 'cm' ? [written(mm), 'mm'] : [written(mm / 10), 'cm'];
    out.push({
      kind: 'benign',
      also: [],
      operation: 'restate in the other unit',
      text: appendSentence(text, conclusion!, clean(restated(converted[0]!, converted[1]!))),
    });
  }
  return out;
};

// ---------------------------------------------------------------------------------------------------------------------
// critical-communication: drop the communication statement next to a critical finding; where the report has none,
// add a critical finding to the findings and the conclusion, with (benign) and without (planted) a communication.

const CRITICAL_ADDITIONS: Array<{ findings: string; conclusion: string; related: RegExp }> = [
  {
    findings: 'There is free intraperitoneal air beneath the right hemidiaphragm.',
    conclusion: 'Free intraperitoneal air.',
    related: /free air|intraperitoneal|pneumoperitoneum|subdiaphragmatic|beneath the (?:right|left) hemidiaphragm/i,
  },
  {
    findings: 'The mediastinal contour shows an intimal flap in the ascending aorta.',
    conclusion: 'Findings concerning for acute aortic dissection.',
    related: /dissect|intimal flap/i,
  },
  {
    findings: 'Filling defects are present in the segmental pulmonary arteries.',
    conclusion: 'Acute pulmonary embolism.',
    related: /embol|thromb|filling defect/i,
  },
  {
    findings: 'Large pneumothorax with shift of the mediastinum.',
    conclusion: 'Tension pneumothorax.',
    related: /pneumothora|pleural air|mediastin\w* shift/i,
  },
  {
    findings: 'There is an acute subdural hematoma along the convexity.',
    conclusion: 'Acute subdural hematoma.',
    related: /subdural|hemorrhag|hematoma|bleed|convexity/i,
  },
];
const COMMUNICATIONS = [
  'These findings were discussed with Dr. Smith by telephone at 14:20 on the day of the examination.',
  'Critical result communicated to the ordering physician, Dr. Jones, at 09:15.',
  'The referring clinician was notified of these findings at 16:40.',
  'Results were conveyed to the emergency department physician at 02:10 with read-back.',
  'I spoke with Dr. Patel about these findings at 11:05.',
];

const plantCritical: Planter = (source, parts) => {
  const random = randomFor(`${source.id}/critical`);
  const { text, conclusion } = parts;
  const communicating = conclusion!.sentences.filter((s) => COMMUNICATION.test(s.text));
  if (CRITICAL_WORDS.test(parts.conclusionText) && communicating.length > 0) {
    let planted = text;
    for (const s of [...communicating].sort((a, b) => b.span.start - a.span.start)) planted = replaceAt(planted, s.span.start, s.span.end, '');
    if (!COMMUNICATION.test(planted)) return [{ kind: 'critical-communication', also: [], operation: 'drop the communication statement', text: planted }];
  }
  // Augment one report in three, so the planted set is not dominated by one kind.
  if (!random.chance(1 / 3) || COMMUNICATION.test(text)) return [];
  const fitting = CRITICAL_ADDITIONS.filter((c) => !c.related.test(`${parts.findingsText}\n${parts.conclusionText}`));
  if (fitting.length === 0) return [];
  const addition = random.pick(fitting);
  const withFinding = appendSentence(text, parts.findings!, addition.findings);
  const reparsed = partsOf(withFinding);
  const withConclusion = leaveRoom(prependSentence(withFinding, reparsed.conclusion!, addition.conclusion));
  if (!withConclusion) return [];
  const communicated = appendSentence(withConclusion, partsOf(withConclusion).conclusion!, random.pick(COMMUNICATIONS));
  return [
    { kind: 'critical-communication', also: [], operation: `add "${addition.conclusion}" with no communication`, text: withConclusion },
    { kind: 'benign', also: [], operation: `add "${addition.conclusion}" and a communication statement`, text: communicated },
  ];
};

// ---------------------------------------------------------------------------------------------------------------------
// follow-up-recommendation: a chest CT with a sized incidental nodule and no recommendation (planted), with a
// recommendation (benign), and where Fleischner does not apply: under 35, or a known cancer (benign).

const NODULES = [
  { findings: 'There is a 4 mm solid nodule in the right upper lobe.', conclusion: '4 mm right upper lobe pulmonary nodule.' },
  { findings: 'A 7 mm solid pulmonary nodule is present in the left lower lobe.', conclusion: '7 mm left lower lobe nodule.' },
  { findings: 'There is a 1.2 cm nodule in the right middle lobe.', conclusion: 'Right middle lobe nodule measuring 1.2 cm.' },
  { findings: 'An 8 x 6 mm ground-glass nodule is seen in the left upper lobe.', conclusion: 'Ground-glass nodule in the left upper lobe, 8 x 6 mm.' },
  { findings: 'A part-solid nodule measuring 9 mm is present in the right lower lobe.', conclusion: '9 mm part-solid nodule in the right lower lobe.' },
  {
    findings: 'Multiple small solid nodules are present in both lungs, the largest measuring 5 mm in the right upper lobe.',
    conclusion: 'Multiple small pulmonary nodules, up to 5 mm.',
  },
  { findings: 'Two solid nodules in the left upper lobe measure 6 mm and 7 mm.', conclusion: 'Two left upper lobe pulmonary nodules measuring up to 7 mm.' },
  { findings: 'A 6 mm solid pulmonary nodule is present.', conclusion: '6 mm pulmonary nodule.' },
  { findings: 'There is a 3 mm ground-glass nodule in the lung periphery.', conclusion: 'Tiny ground-glass nodule, 3 mm.' },
  { findings: 'A solitary 11 mm solid nodule is noted.', conclusion: 'Solitary 11 mm pulmonary nodule.' },
  { findings: 'There is a 15 mm spiculated nodule in the right upper lobe.', conclusion: '1.5 cm spiculated right upper lobe nodule.' },
];
const RECOMMENDATIONS = [
  'Recommend follow-up chest CT in 6 to 12 months per Fleischner Society guidelines.',
  'No routine follow-up is needed for this nodule per Fleischner Society guidelines.',
  'Consider PET/CT or tissue sampling.',
  'A follow-up CT in 3 months is recommended.',
];

/** An IU report (`iuReportMarkdown`) with its indication replaced, or given one where it has none. */
function withIndication(text: string, indication: string): string {
  if (/^## Indication\n/m.test(text)) return text.replace(/^(## Indication\n\n?)[^\n]*/m, `$1${indication}`);
  return text.replace(/^## /m, `## Indication\n\n${indication}\n\n## `);
}

const plantFollowUp: Planter = (source, parts) => {
  const random = randomFor(`${source.id}/follow-up`);
  if (source.corpus !== 'iu' || !random.chance(1 / 3)) return [];
  const { text } = parts;
  // Fleischner applies to incidental nodules: not with a known cancer or immunosuppression, not in screening; and the
  // report must have no recommendation of any kind already.
  if (
    /nodul|mass|granulom|lesion|tumou?r|cancer|carcinoma|malignan|metasta|lymphoma|leuk[a]?emia|myeloma|sarcoma|transplant|\bbmt\b|\bhiv\b|\baids\b|immun|chemo|oncolog|screening/i.test(
      text,
    )
  )
    return [];
  if (
    /recommend|follow\W?up|further (?:evaluation|characteri[sz]ation|assessment|imaging)|suggest|advis|consider|could be (?:obtained|performed)|may be helpful|is indicated|correlat/i.test(
      text,
    )
  )
    return [];
  // A nodule on a side the report names nowhere else, so that the addition cannot contradict the report's sides.
  const sides = new Set((text.match(/\b(?:left|right)\b/gi) ?? []).map((w) => w.toLowerCase()));
  const fitting = NODULES.filter((n) =>
    [...(n.findings.match(/\b(?:left|right)\b/gi) ?? [])].every((w) => sides.size === 0 || (sides.size === 1 && sides.has(w.toLowerCase()))),
  );
  if (fitting.length === 0) return [];
  const nodule = random.pick(fitting);
  const asCt = withFrontMatterField(text, 'exam', '"CT chest without contrast"');
  let planted = appendSentence(asCt, partsOf(asCt).findings!, nodule.findings);
  const named = leaveRoom(appendSentence(planted, partsOf(planted).conclusion!, nodule.conclusion));
  if (!named) return [];
  planted = named;
  const recommended = appendSentence(planted, partsOf(planted).conclusion!, random.pick(RECOMMENDATIONS));
  const young = withFrontMatterField(planted, 'age', String(random.pick([19, 24, 28, 33])));
  const older = withFrontMatterField(planted, 'age', String(random.pick([41, 56, 63, 72])));
  const known = withIndication(planted, 'History of lung cancer, restaging.');
  return [
    { kind: 'follow-up-recommendation', also: [], operation: `nodule, no recommendation: "${nodule.conclusion}"`, text: random.chance(0.5) ? older : planted },
    { kind: 'benign', also: [], operation: 'nodule with a recommendation', text: recommended },
    { kind: 'benign', also: [], operation: random.chance(0.5) ? 'nodule, patient under 35' : 'nodule, known cancer', text: random.chance(0.5) ? young : known },
  ];
};

// ---------------------------------------------------------------------------------------------------------------------
// sex-mismatch: a front matter sex and an organ of the other sex.

const FEMALE_ORGANS = /\b(?:uterus|uterine|ovar(?:y|ies|ian)|endometri\w*|cervix|vagina\w*|adnexa\w*|fallopian)\b/i;
const MALE_ORGANS = /\b(?:prostat(?:e|ic)|testi(?:s|cle|cles|cular|es)|scrot(?:um|al)|seminal vesicles?|epididym\w*|penile|penis)\b/i;
const NORMAL_ORGAN_SENTENCES = {
  female: ['The uterus and ovaries are unremarkable.', 'The uterus is normal in size.', 'Both ovaries are normal in appearance.'],
  male: ['The prostate gland is normal in size.', 'The testes are unremarkable.', 'The prostate is unremarkable.'],
};

const plantSex: Planter = (source, parts) => {
  const random = randomFor(`${source.id}/sex`);
  const { text } = parts;
  const body = `${parts.findingsText}\n${parts.conclusionText}`;
  const statesOrgan = (organs: RegExp) => sentencesMatching(body, organs).some((s) => !DENIAL.test(s));
  const withSex = (t: string, sex: string) => withFrontMatterField(t, 'sex', sex);
  if (statesOrgan(FEMALE_ORGANS) !== statesOrgan(MALE_ORGANS)) {
    const own = statesOrgan(FEMALE_ORGANS) ? 'female' : 'male';
    const other = own === 'female' ? 'male' : 'female';
    return [
      { kind: 'sex-mismatch', also: [], operation: `${own} organs, front matter sex ${other}`, text: withSex(text, other) },
      { kind: 'benign', also: [], operation: `${own} organs, front matter sex ${own}`, text: withSex(text, own) },
    ];
  }
  if (statesOrgan(FEMALE_ORGANS) || !random.chance(1 / 3)) return [];
  const stated = /\b(?:female|woman|girl|she|her)\b/i.test(text)
    ? 'female'
    : /\b(?:male|man|boy|he|his|gentleman)\b/i.test(text)
      ? 'male'
      : random.pick(['female', 'male'] as const);
  const other = stated === 'female' ? 'male' : 'female';
  const sexed = withSex(text, stated);
  const conclusion = partsOf(sexed).conclusion!;
  return [
    {
      kind: 'sex-mismatch',
      also: [],
      operation: `sex ${stated}, add a ${other} organ`,
      text: appendSentence(sexed, conclusion, random.pick(NORMAL_ORGAN_SENTENCES[other])),
    },
    {
      kind: 'benign',
      also: [],
      operation: `sex ${stated}, add a ${stated} organ`,
      text: appendSentence(sexed, conclusion, random.pick(NORMAL_ORGAN_SENTENCES[stated])),
    },
  ];
};

// ---------------------------------------------------------------------------------------------------------------------
// duplicate-sentence: repeat a conclusion sentence, exactly or with other case and punctuation.

const plantDuplicate: Planter = (source, parts) => {
  const random = randomFor(`${source.id}/duplicate`);
  const sentences = parts.conclusion!.sentences.filter((s) => (s.text.replace(/xxxx/gi, '').match(/[a-z]{2,}/gi) ?? []).length >= 2);
  if (sentences.length === 0) return [];
  const sentence = random.pick(sentences);
  const core = sentence.text.replace(/^\W*(?:\d+[.)](?!\d)\s*)?/, '');
  const copy = random.pick([core, core.toUpperCase(), core.replace(/[.\s]*$/, ''), `${core.replace(/[.\s]*$/, '')}.`, core.toLowerCase()]);
  // The copy stays a sentence of its own: a full stop between it and what comes after.
  const closed = /[.!?]$/.test(copy) ? copy : `${copy}.`;
  const text = random.chance(0.5)
    ? replaceAt(parts.text, sentence.span.end, sentence.span.end, `${/[.!?]$/.test(sentence.text) ? '' : '.'} ${closed}`)
    : appendSentence(parts.text, parts.conclusion!, copy);
  return [{ kind: 'duplicate-sentence', also: [], operation: `repeat "${copy}"`, text }];
};

// ---------------------------------------------------------------------------------------------------------------------
// Benign rephrasings: a denial in other words; a hedge on a finding the findings state.

const plantBenign: Planter = (source, parts) => {
  const random = randomFor(`${source.id}/benign`);
  const out: Array<Omit<PlantedReport, 'sourceId' | 'split'>> = [];
  const denial = parts.conclusion!.sentences.find((s) => /^\W*(?:\d+[.)](?!\d)\s*)?no\s+[a-z]/i.test(s.text) && !/\b(?:and|but|with)\b/i.test(s.text));
  if (denial) {
    const rest = denial.text.replace(/^\W*(?:\d+[.)](?!\d)\s*)?no\s+/i, '').replace(/[.\s]*$/, '');
    const rephrased = random.pick([`Negative for ${rest}.`, `There is no ${rest}.`, `No evidence of ${rest}.`]);
    out.push({
      kind: 'benign',
      also: [],
      operation: `rephrase "${denial.text}" → "${rephrased}"`,
      text: replaceAt(parts.text, denial.span.start, denial.span.end, rephrased),
    });
  }
  for (const w of STATED_FINDINGS) {
    const word = new RegExp(String.raw`\b${w.pattern}\b`, 'i');
    const inFindings = sentencesMatching(parts.findingsText, word);
    if (inFindings.length === 0 || inFindings.some((s) => DENIAL.test(s))) continue;
    const sentence = parts.conclusion!.sentences.find((s) => word.test(s.text) && !DENIAL.test(s.text) && !DOUBT.test(s.text));
    if (!sentence) continue;
    const body = sentence.text.replace(/^\W*(?:\d+[.)](?!\d)\s*)?/, '');
    const offset = sentence.text.length - body.length;
    const hedged = `${random.pick(['Probable', 'Possible', 'Likely'])} ${body.charAt(0).toLowerCase()}${body.slice(1)}`;
    out.push({ kind: 'benign', also: [], operation: `hedge "${body}"`, text: replaceAt(parts.text, sentence.span.start + offset, sentence.span.end, hedged) });
    break;
  }
  return out;
};

const PLANTERS: Planter[] = [
  plantLaterality,
  plantContradiction,
  plantUnsupported,
  plantOmission,
  plantOmissionByAddition,
  plantMeasurement,
  plantCritical,
  plantFollowUp,
  plantSex,
  plantDuplicate,
  plantBenign,
];
