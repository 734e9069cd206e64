import type { Position, PositionIndex, Range, Span } from './types.ts';

/** Maps UTF-16 offsets to 0-based line/character positions and back. Lines end at `\n`; a `\r` before it belongs to the line. */
export function createPositionIndex(text: string): PositionIndex {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  }
  const clamp = (offset: number) => Math.max(0, Math.min(offset, text.length));

  function positionAt(offset: number): Position {
    const target = clamp(offset);
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid]! <= target) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: target - lineStarts[low]! };
  }

  function offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= lineStarts.length) return text.length;
    const start = lineStarts[position.line]!;
    const next = position.line + 1 < lineStarts.length ? lineStarts[position.line + 1]! - 1 : text.length;
    return clamp(Math.min(start + Math.max(0, position.character), next));
  }

  function rangeOf(span: Span): Range {
    return { start: positionAt(span.start), end: positionAt(span.end) };
  }

  return Object.freeze({ positionAt, offsetAt, rangeOf, lineCount: lineStarts.length });
}
