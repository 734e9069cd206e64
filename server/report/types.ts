/**
 * The typed model of a radiology report. Pure data: no editor or protocol types.
 *
 * Positions follow LSP conventions (0-based line, 0-based UTF-16 character) so the protocol layer can pass them through;
 * offsets are UTF-16 code unit indices into the report text, which is what JavaScript strings index by.
 */

export type SectionKind = 'clinical' | 'technique' | 'comparison' | 'findings' | 'conclusion' | 'recommendation' | 'other';

export const SECTION_KINDS: readonly SectionKind[] = ['clinical', 'technique', 'comparison', 'findings', 'conclusion', 'recommendation', 'other'];

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A half-open span of UTF-16 offsets into the report text. */
export interface Span {
  start: number;
  end: number;
}

export interface Sentence {
  /** The sentence as plain text (markdown markup removed, white space folded to single spaces). */
  text: string;
  /** Where the sentence lies in the report text. */
  span: Span;
  range: Range;
}

export type SectionStyle = 'heading' | 'label' | 'title';

export interface Section {
  kind: SectionKind;
  /** The heading or label as written, without `#`, `**` or the trailing colon. */
  heading: string;
  /** `heading`: a markdown heading; `label`: a dictation label such as `FINDINGS:`; `title`: text before any heading. */
  style: SectionStyle;
  /** Markdown heading level (1–6); 0 for labels and the title. */
  level: number;
  /** The heading or label itself. Empty span at the section start for `title`. */
  headingSpan: Span;
  headingRange: Range;
  /** From the start of the heading to the start of the next section (or the end of the report). */
  span: Span;
  range: Range;
  /** The text after the heading: starts right after the label's colon or the heading line. */
  bodySpan: Span;
  bodyRange: Range;
  /** The body as plain text: markdown markup removed, blocks separated by newlines. */
  text: string;
  sentences: Sentence[];
}

export type Modality = 'CT' | 'MR' | 'XR' | 'US' | 'NM' | 'PET' | 'MG' | 'FL' | 'IR' | 'other';
export type Side = 'left' | 'right' | 'bilateral';
export type Sex = 'female' | 'male' | 'other';

export interface ReportMeta {
  /** The exam title, e.g. "CT chest without contrast". From front matter `exam`, or an `EXAM:` label, or the title heading. */
  exam?: string;
  modality?: Modality;
  bodyPart?: string;
  /** The side of the examined body part, from front matter `side` or the exam title ("MR LEFT KNEE"). */
  side?: Side;
  sex?: Sex;
  /** Where `sex` was read: front matter `sex` (or `patient: { sex }`), else the clinical information ("61-year-old woman"). */
  sexSource?: 'front matter' | 'clinical information';
  /** Age in years, from front matter `age` (or `patient: { age }`), else the clinical information ("61-year-old"). */
  age?: number;
  author?: string;
  /** Front matter `type`, e.g. `radiology-report`. */
  type?: string;
  /** Every front matter key as parsed. */
  raw: Record<string, unknown>;
}

/** A problem found while reading the report itself (bad front matter and the like), reported as a diagnostic. */
export interface ParseProblem {
  message: string;
  /** The diagnostic code; `front-matter` when absent. */
  code?: 'front-matter' | 'markdown-overload';
  /** `error` when absent. */
  severity?: 'error' | 'information';
  span: Span;
  range: Range;
}

export interface Report {
  text: string;
  meta: ReportMeta;
  /** The YAML front matter block, when present. */
  frontMatterSpan?: Span;
  sections: Section[];
  parseProblems: ParseProblem[];
  /** How the sections were read: by the markdown parser, or line by line (markup too complex for the parser). */
  reader?: 'markdown' | 'lines';
  /** Converts offsets to positions and back. */
  positions: PositionIndex;
}

export interface PositionIndex {
  positionAt(offset: number): Position;
  offsetAt(position: Position): number;
  rangeOf(span: Span): Range;
  readonly lineCount: number;
}
