/** Report text quoted in a message: white space folded, markup dropped, long text shortened at a word. */
export function quote(text: string, max = 60): string {
  const folded = text
    .replace(/[*_`]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (folded.length <= max) return `“${folded}”`;
  const cut = folded.slice(0, max);
  return `“${cut.slice(0, Math.max(cut.lastIndexOf(' '), max / 2))}…”`;
}
