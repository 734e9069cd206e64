/**
 * A radiology report template as informatics staff keep it: sections with fields and their default (normal) wording, as in
 * an IHE MRRT template (the HTML5 format of the RSNA RadReport library) and in the product's markdown report template.
 * Plain data: `mrrtImport.ts` reads it from MRRT HTML, `templateMarkdown.ts` writes and reads the markdown, `mrrtExport.ts`
 * writes MRRT HTML back.
 */

/** A concept code of an MRRT template: RadLex, SNOMED CT or LOINC. */
export interface Coding {
  scheme: string;
  value: string;
  meaning: string;
}

/** How the template asks for a field's value (the MRRT form control). */
export type FieldType = 'text' | 'textarea' | 'number' | 'date' | 'time' | 'select' | 'radio' | 'checkbox' | 'list';

/** The field types whose value is chosen from a pick list. */
export const PICK_LIST_TYPES: ReadonlySet<FieldType> = new Set(['select', 'radio', 'checkbox', 'list']);

export interface TemplateField {
  kind: 'field';
  /** The MRRT id (the coded content refers to it). */
  id: string;
  /** What the report line starts with ("Spleen"), without the trailing colon; '' for a free-text field with no label. */
  label: string;
  type: FieldType;
  /** The default wording ("Normal."); for a pick list, the chosen options joined by "; ". */
  default: string;
  /** The pick list, for select, radio, checkbox and list fields. */
  options?: string[];
  /** The MRRT value of each option, only where some value differs from the option's wording ("Normal" for "Signal … normal"). */
  optionValues?: string[];
  /** Several options may be chosen (a multiple select, a group of check boxes). */
  multiple?: boolean;
  /** The unit of a number field ("mm"). */
  units?: string;
  codes?: Coding[];
}

/** Fixed wording of a section that is not a field. */
export interface TemplateText {
  kind: 'text';
  text: string;
}

export type TemplateItem = TemplateField | TemplateText;

export interface TemplateSection {
  /** The MRRT section name (`data-section-name`), e.g. "Findings". */
  name: string;
  /** The heading shown to the reader (the MRRT `<header>`), often the same as the name. */
  heading: string;
  /** 1 for a top-level section, 2 for a section inside it, … */
  level: number;
  id?: string;
  codes?: Coding[];
  items: TemplateItem[];
}

export interface TemplateMeta {
  title: string;
  /** The template's URI ("http://www.radreport.org/template/0000006"). */
  identifier?: string;
  creator?: string;
  contributor?: string;
  publisher?: string;
  rights?: string;
  license?: string;
  date?: string;
  language?: string;
  description?: string;
  /** What the template's author calls its subspecialties (RadReport's "specialties"). */
  specialties?: string[];
  modality?: string;
  bodyPart?: string;
  /** The concepts the whole template is about (its `<term>` codes). */
  terms?: Coding[];
  /** Coded content whose MRRT id is neither a field nor a section, kept so that an export writes it back. */
  otherCodes?: Record<string, Coding[]>;
}

/** Sections in document order; a section's subsections follow it with a higher level. */
export interface ReportTemplate {
  meta: TemplateMeta;
  sections: TemplateSection[];
}

/** The front matter `type` that marks a markdown file as a report template. */
export const TEMPLATE_TYPE = 'radiology-report-template';

/**
 * The credit line a shipped template carries (the RadReport licence asks for RSNA RadReport and the template's creator).
 * `library`: the library it was taken from, named when its publisher is another ("… from Medical College of Wisconsin,
 * by …, in the RSNA RadReport library").
 */
export function creditLine(meta: TemplateMeta, library?: string): string {
  const source = meta.publisher?.includes('RSNA') || meta.identifier?.includes('radreport.org') ? 'RSNA RadReport' : meta.publisher;
  const from = source ? ` from ${source}` : '';
  const by = meta.creator && meta.creator !== source ? `, by ${meta.creator}` : meta.creator && !source ? ` by ${meta.creator}` : '';
  const within = library && library !== source ? `, in the ${library} library` : '';
  const where = meta.identifier ? ` (${meta.identifier})` : '';
  return `"${meta.title}" template${from}${by}${within}${where}.`;
}

/** White space folded, ends trimmed: how MRRT (HTML) and markdown both read text. */
export function foldSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
