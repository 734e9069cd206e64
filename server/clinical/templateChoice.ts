import type { Span } from '../report/types.ts';

/**
 * A template line whose choice is not made states nothing: "Pleural effusion: [ ] yes [ ] no." (no box ticked) and
 * "Heart size [select: normal / enlarged]." are questions to the radiologist, not findings. Every finding of a sentence
 * with a pick list or with boxes none of which is ticked, and what is named inside a value field, are dropped, so
 * neither the plan nor the rules read an unfilled template as an abnormal study. A blank for a value ("measures ___ mm")
 * leaves the finding stated.
 */
/** A choice offered: empty boxes, a pick list, a field of alternatives ("{{present/absent}}"). */
const EMPTY_BOX = /\[ ?\]/;
const TICKED_BOX = /\[[xX✓✔]\]/;
const PICK_LIST = /\[(?:select|choose|pick)\b[^[\]\n]*\]|\{\{[^{}\n]*[/|][^{}\n]*\}\}/i;
/** A value to fill in ("{{size}}", "<<prior date>>"): only what is written inside it is dropped. */
const VALUE_FIELD = /\{\{[^{}\n]*\}\}|<<[^<>\n]*>>/g;

interface MentionsOfASentence {
  text: string;
  sentence: { span: Span };
  findings: Array<{ span: Span }>;
  critical: Array<{ span: Span }>;
  measurements: Array<{ span: Span }>;
  openChoice?: boolean;
}

/** Drops, in place, what a sentence names only as an open choice (the mentions keep pointing at this analysis). */
export function dropOpenChoices(analysis: MentionsOfASentence): void {
  const { text } = analysis;
  if (PICK_LIST.test(text) || (EMPTY_BOX.test(text) && !TICKED_BOX.test(text))) {
    analysis.openChoice = true;
    analysis.findings = [];
    analysis.critical = [];
    analysis.measurements = [];
    return;
  }
  const offset = analysis.sentence.span.start;
  const fields = [...text.matchAll(VALUE_FIELD)].map((m) => ({ start: offset + m.index, end: offset + m.index + m[0].length }));
  if (fields.length === 0) return;
  const inField = (span: Span) => fields.some((f) => span.start < f.end && f.start < span.end);
  analysis.findings = analysis.findings.filter((m) => !inField(m.span));
  analysis.critical = analysis.critical.filter((m) => !inField(m.span));
  analysis.measurements = analysis.measurements.filter((m) => !inField(m.span));
}
