/**
 * The clinical question: what the clinical information asks ("right iliac fossa pain" asks about appendicitis, "? PE"
 * about a pulmonary embolism), and whether the findings answer it: a finding stated present, or denied ("No evidence
 * of appendicitis", "The appendix is normal").
 */
import type { ReportAnalysis, SentenceAnalysis } from '../clinical/reportAnalysis.ts';
import { analyzeSentence } from '../clinical/reportAnalysis.ts';
import { sectionsOf } from '../report/parseReport.ts';
import type { Report } from '../report/types.ts';
import { isSuperficial } from './findingItem.ts';
import type { ClinicalQuestion, ExamKind, PlanItem } from './types.ts';

/** What the clinical information asks about, and how the findings answer it. */
interface Concern {
  concern: string;
  /** Vocabulary finding ids that are the concern when stated; `term` narrows to mentions whose words match it. */
  findingIds: readonly string[];
  term?: RegExp;
  /** A findings sentence that rules it out by describing the organ as normal ("normal appendix"). */
  normalOrgan?: RegExp;
  /** The conclusion's sentence when it is ruled out; `{haem}` takes the report's spelling. */
  absent: string;
}

/** A concern that symptoms in the clinical information raise, for the exams that can answer it. */
interface SymptomConcern extends Concern {
  /** Words of the clinical information that raise it. */
  asked: RegExp;
  regions: readonly string[];
  modalities?: readonly string[];
}

const CHEST = ['chest'];
const HEAD = ['head'];
const ABDOMEN = ['abdomen', 'abdomen and pelvis', 'pelvis'];
const NORMAL_WORDS = String.raw`(?:normal|unremarkable|not (?:dilated|inflamed|thickened|enlarged)|intact|within normal limits)`;

const CONCERNS: readonly SymptomConcern[] = [
  {
    concern: 'appendicitis',
    asked:
      /\b(?:right (?:iliac fossa|lower quadrant)|rif|rlq)\b[^.;]*\bpain\b|\bpain\b[^.;]*\b(?:right (?:iliac fossa|lower quadrant)|rif|rlq)\b|\bappendicitis\b/i,
    regions: ABDOMEN,
    findingIds: ['inflammation', 'fluid collection'],
    term: /\bappend/i,
    normalOrgan: new RegExp(String.raw`\bappendi(?:x|ceal)\b[^.;]*\b${NORMAL_WORDS}|\bnormal(?:[- ]appearing)? appendix\b`, 'i'),
    absent: 'No evidence of appendicitis.',
  },
  {
    concern: 'diverticulitis',
    asked:
      /\b(?:left (?:iliac fossa|lower quadrant)|lif|llq)\b[^.;]*\bpain\b|\bpain\b[^.;]*\b(?:left (?:iliac fossa|lower quadrant)|lif|llq)\b|\bdiverticulitis\b/i,
    regions: ABDOMEN,
    findingIds: ['inflammation'],
    term: /\bdiverticul/i,
    absent: 'No evidence of diverticulitis.',
  },
  {
    concern: 'acute cholecystitis',
    asked: /\b(?:right upper quadrant|ruq)\b[^.;]*\bpain\b|\bcholecystitis\b|\bbiliary colic\b/i,
    regions: ABDOMEN,
    findingIds: ['inflammation'],
    term: /\bcholecyst/i,
    normalOrgan: new RegExp(String.raw`\bgall ?bladder\b[^.;]*\b${NORMAL_WORDS}`, 'i'),
    absent: 'No evidence of acute cholecystitis.',
  },
  {
    concern: 'urinary tract obstruction',
    asked: /\b(?:flank pain|loin pain|renal colic|ha?ematuria|kidney stone|renal stone|ureteric colic)\b/i,
    regions: ABDOMEN,
    findingIds: ['hydronephrosis', 'calculus'],
    absent: 'No hydronephrosis or urinary tract calculus.',
  },
  {
    concern: 'bowel obstruction',
    asked: /\b(?:obstruct\w*|vomiting|distension|distention|constipation|not passing)\b/i,
    regions: ABDOMEN,
    findingIds: ['bowel obstruction'],
    absent: 'No bowel obstruction.',
  },
  {
    concern: 'pneumonia',
    asked: /\b(?:fever\w*|febrile|cough\w*|pneumonia|sputum|crackles|consolidation|infection|sepsis|pyrexia)\b/i,
    regions: CHEST,
    findingIds: ['consolidation', 'pneumonia', 'opacity'],
    absent: 'No focal consolidation.',
  },
  {
    concern: 'pulmonary embolism',
    asked: /\b(?:pulmonary embol\w*|\bpe\b|d-?dimer|dvt|pleuritic)\b|\bpe\b/i,
    regions: CHEST,
    modalities: ['CT', 'MR', 'NM'],
    findingIds: ['thrombus'],
    absent: 'No pulmonary embolism.',
  },
  {
    concern: 'pneumothorax',
    asked: /\bpneumothorax\b|\b(?:line|catheter|drain) (?:insertion|placement)\b|\bbiopsy\b/i,
    regions: CHEST,
    findingIds: ['pneumothorax'],
    absent: 'No pneumothorax.',
  },
  {
    concern: 'intracranial haemorrhage',
    asked: /\b(?:fall|fell|trauma|head injury|hit (?:his|her) head|anticoag\w*|warfarin|apixaban|rivaroxaban|thunderclap|ha?emorrhage|bleed\w*)\b/i,
    regions: HEAD,
    findingIds: ['hemorrhage'],
    absent: 'No intracranial {haem}orrhage.',
  },
  {
    concern: 'acute infarct',
    asked: /\b(?:stroke|cva|tia|weakness|hemiparesis|aphasia|dysphasia|facial droop|slurred speech|code stroke|numbness)\b/i,
    regions: HEAD,
    findingIds: ['infarct'],
    absent: 'No acute infarct.',
  },
  {
    concern: 'fracture',
    asked: /\b(?:fall|fell|trauma|injury|injured|fracture|tender\w*|deformity|mva|mvc|rta|assault)\b/i,
    regions: ['knee', 'shoulder', 'hip', 'ankle', 'foot', 'wrist', 'hand', 'elbow', 'forearm', 'humerus', 'femur', 'leg', 'extremity', 'spine'],
    modalities: ['XR', 'CT'],
    findingIds: ['fracture'],
    absent: 'No acute fracture.',
  },
  {
    concern: 'internal derangement',
    asked: /\b(?:twist\w*|pivot\w*|locking|giving way|instability|sports injury|injury|tear)\b/i,
    regions: ['knee', 'shoulder', 'ankle', 'wrist', 'hip'],
    modalities: ['MR'],
    findingIds: ['tear'],
    absent: 'No ligament or tendon tear.',
  },
  {
    concern: 'spinal cord compression',
    asked: /\b(?:cord compression|cauda equina|saddle an(?:a)?esthesia|urinary retention|bilateral leg weakness|myelopathy)\b/i,
    regions: ['spine'],
    modalities: ['MR', 'CT'],
    findingIds: ['spinal cord compression'],
    term: /\b(?:cord|cauda)\b/i,
    absent: 'No spinal cord compression.',
  },
];

/** The questions the clinical information asks that this exam can answer, with the findings' answer. */
export function clinicalQuestions(report: Report, analysis: ReportAnalysis, exam: ExamKind, items: readonly PlanItem[]): ClinicalQuestion[] {
  const clinical = sectionsOf(report, 'clinical')
    .map((section) => section.text)
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!clinical) return [];
  const haem = /haem/i.test(report.text) ? 'haem' : 'hem';
  const out: ClinicalQuestion[] = [];
  const seen = new Set<string>();
  const ask = (concern: Concern, asked: string) => {
    if (seen.has(concern.concern)) return;
    seen.add(concern.concern);
    out.push(answer(concern, asked, analysis, items, haem));
  };
  for (const concern of CONCERNS) {
    if (exam.region && !concern.regions.includes(exam.region)) continue;
    if (!exam.region) continue;
    if (concern.modalities && exam.modality && !concern.modalities.includes(exam.modality)) continue;
    const match = concern.asked.exec(clinical);
    if (match) ask(concern, match[0]);
  }
  // A finding named in the clinical information ("? pneumothorax", "rule out pneumonia") is a question too.
  for (const sentence of clinicalSentences(report, analysis)) {
    for (const mention of sentence.findings) {
      if (mention.modifier || mention.assertion === 'historical' || mention.assertion === 'absent') continue;
      const known = CONCERNS.find((c) => c.findingIds.includes(mention.finding.id) && (!c.term || c.term.test(sentence.text)));
      if (known && (!exam.region || known.regions.includes(exam.region))) {
        ask(known, report.text.slice(mention.span.start, mention.span.end));
        continue;
      }
      if (!mention.finding.significant) continue;
      const words = report.text.slice(mention.span.start, mention.span.end).replace(/\s+/g, ' ').toLowerCase();
      ask({ concern: words, findingIds: [mention.finding.id], absent: `No ${words}.` }, words);
    }
  }
  return out;
}

function clinicalSentences(report: Report, analysis: ReportAnalysis): SentenceAnalysis[] {
  return sectionsOf(report, 'clinical').flatMap((section) =>
    section.sentences.slice(0, 20).map((sentence) => analyzeSentence(report, section, sentence, analysis.vocabulary)),
  );
}

function answer(concern: Concern, asked: string, analysis: ReportAnalysis, items: readonly PlanItem[], haem: string): ClinicalQuestion {
  const question: ClinicalQuestion = { asked, concern: concern.concern, answer: 'not answered', findingIds: [...concern.findingIds] };
  const matches = (id: string, text: string) => concern.findingIds.includes(id) && (!concern.term || concern.term.test(text));
  const present = items.find((item) => matches(item.finding.id, item.source.text) && !isSuperficial(item.siteId));
  if (present) {
    question.answer = 'present';
    return question;
  }
  for (const sentence of analysis.findings) {
    // "No intracranial haemorrhage" denies only a place's haemorrhage, which is the place the exam is of.
    const placed = (f: (typeof sentence.findings)[number]) => f.partial && f.anatomy !== undefined && f.anatomy.last < f.first;
    const denied = sentence.findings.some((f) => f.assertion === 'absent' && (!f.partial || placed(f)) && matches(f.finding.id, sentence.text));
    const normal = concern.normalOrgan?.test(sentence.text) && !sentence.findings.some((f) => f.assertion === 'present' && !f.modifier);
    if (denied || normal) {
      question.answer = 'absent';
      question.statement = concern.absent.replace('{haem}', haem);
      question.source = { text: sentence.sentence.text, span: sentence.sentence.span };
      return question;
    }
  }
  return question;
}
