/**
 * Places in a test document marked where they are, as rust-analyzer's fixtures do: `$0` is a cursor; two of them
 * around text select it (`Nodule measures $0___$0 mm.`). The text comes back without the markers, with every marked
 * place as an LSP position (0-based line, UTF-16 character) in order, so a test never counts lines by hand.
 */
export interface MarkedText {
  text: string;
  /** Every `$0`, in order. */
  cursors: Array<{ line: number; character: number }>;
  /** The first two cursors as a range (for a marked selection). */
  range(): { start: { line: number; character: number }; end: { line: number; character: number } };
}

export function markedText(marked: string): MarkedText {
  const pieces = marked.split('$0');
  const cursors: Array<{ line: number; character: number }> = [];
  let text = pieces[0]!;
  for (const piece of pieces.slice(1)) {
    const lines = text.split('\n');
    cursors.push({ line: lines.length - 1, character: lines.at(-1)!.length });
    text += piece;
  }
  return {
    text,
    cursors,
    range() {
      if (cursors.length < 2) throw new Error(`a range needs two $0 markers, the text has ${cursors.length}`);
      return { start: cursors[0]!, end: cursors[1]! };
    },
  };
}
