import { DEFAULT_PLACEHOLDER_PATTERNS } from '../config/placeholderPatterns.ts';
import { hasRealText } from '../rules/placeholder.ts';
import { sectionOf } from '../report/parseReport.ts';
import { contentEnd, sectionInsertion } from '../report/sectionEditing.ts';
import type { Report, Section, Span } from '../report/types.ts';

/**
 * Where a generated conclusion goes in a report, as one edit: replace `span` with `prefix` + conclusion + `suffix`.
 * Pure, so the CLI, the command and the tests agree on it.
 */
export interface ConclusionPlacement {
  span: Span;
  /** Text written before the conclusion: a new section heading, or a separator. */
  prefix: string;
  /** Text written after it (a line break so the next section stays on its own line). */
  suffix: string;
  /** What the conclusion section already says (trimmed), or '' when it is empty or missing. */
  existing: string;
  section?: Section;
}

export type PlacementMode = 'replace' | 'append';

export function placeConclusion(
  report: Report,
  mode: PlacementMode = 'replace',
  placeholders: readonly string[] = DEFAULT_PLACEHOLDER_PATTERNS,
): ConclusionPlacement {
  const text = report.text;
  const finish = (span: Span, prefix: string, existing: string, section?: Section): ConclusionPlacement => ({
    span,
    prefix,
    suffix: span.end === text.length ? '\n' : '',
    existing,
    ...(section ? { section } : {}),
  });
  const section = sectionOf(report, 'conclusion');
  if (!section) {
    // A new section after the findings (or the last section), in the report's heading style; a text with no report
    // sections gets a plain "## Impression" at its end.
    const neighbour = report.sections.some((s) => s.kind !== 'other') ? (sectionOf(report, 'findings') ?? report.sections.at(-1)) : undefined;
    const edit = sectionInsertion(report, 'Impression', neighbour, 'after');
    return finish({ start: edit.span.start, end: edit.span.start }, edit.newText + (edit.newText.endsWith(':') ? ' ' : '\n'), '');
  }

  const start = section.bodySpan.start;
  const end = Math.max(start, contentEnd(text, section.bodySpan.end));
  const existing = hasRealText(report, { start, end }, placeholders) ? text.slice(start, end).trim() : '';
  const label = section.style === 'label';
  if (mode === 'append' && existing) return finish({ start: end, end }, label ? '\n' : '\n\n', existing, section);
  // Replace the body's content, keeping the heading line; a label gets the conclusion on its own line.
  const prefix = label ? (text[start - 1] === ' ' ? '' : ' ') : '\n';
  return finish({ start, end }, prefix, existing, section);
}
