/**
 * What was examined (modality, body region, side) and the normal statement of such an exam, in the words radiologists
 * use for it ("No acute intracranial abnormality." for a head CT). Read from the front matter and the exam title, else
 * from the structures the findings name.
 */
import type { ReportAnalysis } from '../clinical/reportAnalysis.ts';
import type { Report } from '../report/types.ts';
import type { ExamKind } from './types.ts';

/** Exam-title words and the region they name; the first match in the title wins, longer phrases first. */
const REGION_WORDS: ReadonlyArray<[RegExp, string, string?]> = [
  [/\b(?:ctpa|pulmonary angiogra\w*|pe protocol|pulmonary embol\w*)\b/i, 'chest'],
  [/\bc-?spine\b|\bcervical spine\b/i, 'spine', 'cervical'],
  [/\bt-?spine\b|\bthoracic spine\b/i, 'spine', 'thoracic'],
  [/\bl-?spine\b|\blumbar\b|\blumbosacral\b|\bsacrum\b/i, 'spine', 'lumbar'],
  [/\bspine\b|\bspinal\b|\bwhole spine\b/i, 'spine'],
  [/\babdomen\b.*\bpelvis\b|\babd(?:omen)?\/pelvis\b|\babdominopelvic\b/i, 'abdomen and pelvis'],
  [/\bpelvis\b|\bpelvic\b|\bprostate\b|\buterus\b|\bovar\w*\b|\btransvaginal\b|\bbladder\b/i, 'pelvis'],
  [/\babdom\w*\b|\babd\b|\bliver\b|\bpancrea\w*\b|\brenal\b|\bkidneys?\b|\bkub\b|\burogra\w*\b|\bmrcp\b|\benterogra\w*\b|\bgallbladder\b|\bruq\b/i, 'abdomen'],
  [/\bhead\b|\bbrain\b|\bskull\b|\bcranial\b|\bintracranial\b|\bpituitary\b|\bsella\b|\biac\b|\binternal auditory\b/i, 'head'],
  [/\bsinus\w*\b|\bfacial bones\b|\bface\b|\bmaxillofacial\b|\borbits?\b|\btemporal bones?\b|\bmandible\b/i, 'face'],
  [/\bneck\b|\bsoft tissue neck\b|\bthyroid\b|\bcarotids?\b|\blarynx\b/i, 'neck'],
  [
    /\bchest\b|\bthorax\b|\bthoracic\b|\blungs?\b|\bcxr\b|\bribs?\b|\bsternum\b|\bpa and lateral\b|\bpa\/lat\b|\bfrontal and lateral\b|\bcardiac\b|\bheart\b|\bcoronary\b/i,
    'chest',
  ],
  [/\bknees?\b/i, 'knee'],
  [/\bshoulders?\b|\bclavicle\b|\bscapula\b/i, 'shoulder'],
  [/\bhips?\b|\bfemoral neck\b/i, 'hip'],
  [/\bankles?\b/i, 'ankle'],
  [/\bfeet\b|\bfoot\b|\btoes?\b|\bcalcaneus\b|\bheel\b/i, 'foot'],
  [/\bwrists?\b|\bscaphoid\b/i, 'wrist'],
  [/\bhands?\b|\bfingers?\b|\bthumb\b/i, 'hand'],
  [/\belbows?\b/i, 'elbow'],
  [/\bforearm\b/i, 'forearm'],
  [/\bhumerus\b|\bupper arm\b/i, 'humerus'],
  [/\bfemur\b|\bthigh\b/i, 'femur'],
  [/\btibia\b|\bfibula\b|\blower leg\b|\bleg\b/i, 'leg'],
  [/\bscrot\w*\b|\btestic\w*\b|\btestes\b|\btestis\b/i, 'scrotum'],
  [/\bbreasts?\b|\bmammo\w*\b/i, 'breast'],
  [/\bextremit\w*\b/i, 'extremity'],
];

const JOINTS = new Set(['knee', 'shoulder', 'hip', 'ankle', 'foot', 'wrist', 'hand', 'elbow', 'forearm', 'humerus', 'femur', 'leg', 'extremity']);

/** Anatomy regions of the vocabulary (the `region` of the structures the findings name) → exam regions. */
const ANATOMY_REGIONS: Record<string, string> = {
  chest: 'chest',
  head: 'head',
  abdomen: 'abdomen',
  pelvis: 'pelvis',
  spine: 'spine',
  neck: 'neck',
  knee: 'knee',
  shoulder: 'shoulder',
  hip: 'hip',
  ankle: 'ankle',
  foot: 'foot',
  wrist: 'wrist',
  hand: 'hand',
  elbow: 'elbow',
  scrotum: 'scrotum',
  breast: 'breast',
  arm: 'humerus',
  thigh: 'femur',
  leg: 'leg',
  forearm: 'forearm',
};

export function examKind(report: Report, analysis: ReportAnalysis): ExamKind {
  const meta = report.meta;
  const title = [meta.bodyPart, meta.exam].filter(Boolean).join(' ');
  const kind: ExamKind = { angiographic: /\b(?:cta|ctpa|mra|angiogra\w*|pe protocol)\b/i.test(title) };
  if (meta.modality && meta.modality !== 'other') kind.modality = meta.modality;
  if (meta.side) kind.side = meta.side;
  for (const [pattern, region, part] of REGION_WORDS) {
    if (pattern.test(title)) {
      kind.region = region;
      if (part) kind.part = part;
      break;
    }
  }
  if (!kind.region) {
    // The region most of the structures in the findings belong to.
    const counts = new Map<string, number>();
    for (const sentence of analysis.findings) {
      for (const mention of sentence.anatomy) {
        const region = ANATOMY_REGIONS[mention.anatomy.region ?? ''];
        if (region) counts.set(region, (counts.get(region) ?? 0) + 1);
      }
    }
    const best = [...counts].sort((a, b) => b[1] - a[1])[0];
    if (best) kind.region = best[0];
  }
  return kind;
}

/** The conclusion of a normal exam of this kind, as radiologists word it. */
export function normalStatement(exam: ExamKind): string {
  const side = exam.side && exam.side !== 'bilateral' ? `${exam.side} ` : exam.side === 'bilateral' ? 'bilateral ' : '';
  const sectional = exam.modality === 'CT' || exam.modality === 'MR';
  switch (exam.region) {
    case 'chest':
      if (exam.angiographic) return 'No pulmonary embolism. No acute intrathoracic abnormality.';
      return sectional ? 'No acute intrathoracic abnormality.' : 'No acute cardiopulmonary abnormality.';
    case 'head':
      return 'No acute intracranial abnormality.';
    case 'face':
      return 'No acute abnormality of the face or sinuses.';
    case 'neck':
      return 'No acute abnormality of the neck.';
    case 'abdomen and pelvis':
      return 'No acute abnormality in the abdomen or pelvis.';
    case 'abdomen':
      return 'No acute abdominal abnormality.';
    case 'pelvis':
      return 'No acute pelvic abnormality.';
    case 'spine':
      return `No acute abnormality of the ${exam.part ? `${exam.part} ` : ''}spine.`;
    case 'scrotum':
      return 'No acute scrotal abnormality.';
    case 'breast':
      return 'No suspicious abnormality.';
    default:
      if (exam.region && JOINTS.has(exam.region)) {
        const part = exam.region === 'extremity' ? 'extremity' : exam.region;
        return exam.modality === 'MR' ? `No internal derangement of the ${side}${part}.` : `No acute fracture or dislocation of the ${side}${part}.`;
      }
      return 'No acute abnormality.';
  }
}
