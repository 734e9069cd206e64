import type { Report, Section, Span } from './types.ts';

/**
 * Editing a report's sections in the report's own style, shared by the rules' fixes (a missing section, a sentence
 * added to the conclusion) and by generation (where a conclusion goes).
 */

/** The offset just after the last non-white character before `end`. */
export function contentEnd(text: string, end: number): number {
  let i = end;
  while (i > 0 && /\s/.test(text[i - 1]!)) i--;
  return i;
}

/**
 * Inserts an empty section written in the same style as its neighbour (a heading of the same level and case, or a
 * label), before or after it; with no neighbour, at the end of the report.
 */
export function sectionInsertion(report: Report, name: string, neighbour: Section | undefined, where: 'before' | 'after'): { span: Span; newText: string } {
  const style = neighbour ?? report.sections.find((s) => s.kind !== 'other');
  const upper = style ? style.heading === style.heading.toUpperCase() && /[A-Z]/.test(style.heading) : false;
  const title = upper ? name.toUpperCase() : name;
  const heading = style?.style === 'label' ? `${title}:` : `${'#'.repeat(Math.max(2, style?.level || 2))} ${title}`;
  if (where === 'before' && neighbour) {
    return { span: { start: neighbour.span.start, end: neighbour.span.start }, newText: `${heading}\n\n` };
  }
  const end = neighbour ? contentEnd(report.text, neighbour.span.end) : contentEnd(report.text, report.text.length);
  const gap = style?.style === 'label' ? '\n' : '\n\n';
  return { span: { start: end, end }, newText: `${end > 0 ? gap : ''}${heading}` };
}
