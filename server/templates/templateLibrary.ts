import { creditLine, type ReportTemplate } from './reportTemplate.ts';

/** One template of a library, as the "New report from template" quick pick and the completion list show it. */
export interface TemplateLibraryEntry {
  /** Unique within its library: the RadReport number ("6"), or the department template's file name. */
  id: string;
  title: string;
  modality?: string;
  bodyPart?: string;
  creator?: string;
  /** Who to credit ("… template from RSNA RadReport, by Heilbrun ME, et al. (…)"). */
  credit?: string;
  /** The library: `RSNA RadReport` or `department`. */
  source: string;
}

/** Body parts by the words of an exam title, most specific first; the first that matches names the part. */
const BODY_PARTS: ReadonlyArray<[string, RegExp]> = [
  ['breast', /\b(breast|mammo\w*)\b/i],
  ['spine', /\b(spine|spinal|cspine|c\/t|lumbosacral|myelo\w*|lumbar puncture)\b/i],
  [
    'head',
    /\b(head|brain|skull|sella|orbits?|sinus(es)?|temporal bones?|facial bones|auditory|cranial|tmj|temporomandibular|pituitary|stroke|iac|mastoid|middle ear|face|bone age)\b/i,
  ],
  ['neck', /\b(neck|thyroid|parathyroid|carotids?|larynx|swallow)\b/i],
  ['upper limb', /\b(shoulder|wrist|hand|forearm|elbow|humerus|upper extremity|brachial plexus|finger)s?\b/i],
  ['lower limb', /\b(hip|knee|ankle|foot|feet|femur|tibia|lower extremity|leg)s?\b/i],
  ['chest', /\b(chest|lungs?|pulmonary|thorax|thoracic|cardiac|heart|coronary|calcium score|picc|pleural|thoracentesis|cxr|covid\S*|mitral|diep)\b/i],
  [
    'pelvis',
    /\b(pelvis|pelvic|prostate|scrotal|scrotum|uterus|ovar\w*|hysterosalpingogram|pregnancy|bladder|cystogram|cystourethr\w*|rectal|cervical cancer|endometrial|vaginal|vulvar|uterine|adnexal|trophoblastic|trimester)\b/i,
  ],
  [
    'abdomen',
    /\b(abdomen|abdominal|abd|liver|hepat\w*|renal|kidneys?|pancrea\w*|appendi\w*|bowel|enterography|gastr\w*|biliary|cholangio\w*|ercp|erc|erp|upper gi|esophag\w*|spleen|aorta|paracentesis|tips|meckel|enema|dmsa|ureter\w*|kub|ivp|stones?|hcc|cirrhosis|abd_pel|elastography|li-rads|feeding tube|nasogastric|runoff)\b/i,
  ],
  ['whole body', /\b(bone survey|skeletal survey|pet|bone scan|whole body|wbc|white blood cell|ga-67|zevalin)\b/i],
];

/** The body part an exam title names ("CT Appendicitis" → abdomen), if any. */
export function bodyPartOfTitle(title: string): string | undefined {
  return BODY_PARTS.find(([, words]) => words.test(title))?.[0];
}

export function libraryEntry(id: string, template: ReportTemplate, source: string): TemplateLibraryEntry {
  const { meta } = template;
  const entry: TemplateLibraryEntry = { id, title: meta.title || id, source };
  if (meta.modality) entry.modality = meta.modality;
  const bodyPart = meta.bodyPart ?? bodyPartOfTitle(meta.title);
  if (bodyPart) entry.bodyPart = bodyPart;
  if (meta.creator) entry.creator = meta.creator;
  entry.credit = creditLine(meta, source === 'department' ? undefined : source);
  return entry;
}

/**
 * A new report from a template: front matter `type: radiology-report` with the exam, modality, body part and the
 * template's credit, the title, each section a heading with its fields as `Label: default` lines and its fixed wording.
 * A report keeps no MRRT comments; a field with no default is left as `Label:` for the radiologist to fill in.
 */
export function reportFromTemplate(template: ReportTemplate): string {
  const { meta } = template;
  const quote = (text: string) => JSON.stringify(text);
  const front = ['---', 'type: radiology-report', `exam: ${quote(meta.title)}`];
  if (meta.modality) front.push(`modality: ${meta.modality}`);
  const bodyPart = meta.bodyPart ?? bodyPartOfTitle(meta.title);
  if (bodyPart) front.push(`bodyPart: ${quote(bodyPart)}`);
  if (meta.identifier || meta.creator) front.push(`template: ${quote(creditLine(meta))}`);
  front.push('---');
  const lines = [...front, `# ${meta.title}`];
  for (const section of template.sections) {
    lines.push('', `${'#'.repeat(section.level + 1)} ${section.heading}`);
    for (const item of section.items) {
      if (item.kind === 'text') lines.push(item.text);
      else if (item.label) lines.push(`${item.label}:${item.default ? ' ' + item.default.split('\n').join(' ') : ''}`);
      else if (item.default) lines.push(item.default);
    }
  }
  return lines.join('\n') + '\n';
}
