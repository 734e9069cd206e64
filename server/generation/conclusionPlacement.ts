import { DEFAULT_PLACEHOLDER_PATTERNS, hasRealText } from '../rules/placeholder.ts';
import { contentEnd, missingSection } from '../rules/missingSection.ts';
import { sectionOf } from '../report/parseReport.ts';
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

export function placeConclusion(report: Report, mode: PlacementMode = 'replace', placeholders: readonly string[] = DEFAULT_PLACEHOLDER_PATTERNS): ConclusionPlacement {
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
    // Reuse the missing-section fix, so the new heading looks like the rest of the report.
    const edit = missingSection
      .check({ report, config: {}, options: {} })
      .flatMap((p) => p.fixes ?? [])
      .find((fix) => /impression|conclusion/i.test(fix.title))?.edits[0];
    const at = edit?.span.start ?? contentEnd(text, text.length);
    const heading = edit?.newText ?? (at > 0 ? '\n\n## Impression' : '## Impression');
    return finish({ start: at, end: at }, heading + (heading.endsWith(':') ? ' ' : '\n'), '');
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
