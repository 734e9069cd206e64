/**
 * The adversarial corpus of issue 11: inputs that took seconds to minutes to check (or overflowed the stack) before the
 * parser and regex bounds, each built at any size. Shared by the reliability tests and `scripts/probe-analysis-time.ts`.
 * Each input sits inside an otherwise ordinary report, so the section reader and every rule see it.
 */

export interface AdversarialInput {
  kind: string;
  /** What the input is, in a few words. */
  description: string;
  /** The pathological part, about `size` characters long. */
  body(size: number): string;
}

const repeat = (unit: string, size: number) => unit.repeat(Math.max(1, Math.floor(size / unit.length)));

export const ADVERSARIAL_INPUTS: readonly AdversarialInput[] = [
  { kind: 'emphasis', description: '`*_` repeated', body: (n) => repeat('*_', n) },
  { kind: 'comment', description: '`<!--` repeated', body: (n) => repeat('<!--', n) },
  { kind: 'comment-inline', description: 'text then `<!--` repeated', body: (n) => 'Lungs ' + repeat('<!--', n) },
  { kind: 'word', description: 'one word ending a sentence', body: (n) => 'a'.repeat(n) + '. Next.' },
  { kind: 'word-digit', description: 'one word ending in a digit and a period', body: (n) => 'a'.repeat(n) + '1. Next.' },
  {
    kind: 'deidentified',
    description: 'a run of x then a word (exponential in the old duplicate check)',
    body: (n) => `${'x'.repeat(n)} y. ${'x'.repeat(n >> 1)} y.`,
  },
  { kind: 'abbreviation', description: '"Dr. " repeated', body: (n) => repeat('Dr. ', n) },
  { kind: 'placeholder', description: '`[insert ` repeated', body: (n) => repeat('[insert ', n) },
  { kind: 'brackets', description: 'nested brackets', body: (n) => '['.repeat(n >> 1) + ']'.repeat(n >> 1) },
  { kind: 'open-brackets', description: '`[` repeated', body: (n) => repeat('[', n) },
  { kind: 'link-labels', description: '`[a](` repeated', body: (n) => repeat('[a](', n) },
  { kind: 'blockquote', description: 'nested `>`', body: (n) => repeat('>', n) },
  { kind: 'blockquote-spaced', description: 'nested `> `', body: (n) => repeat('> ', n) },
  { kind: 'list', description: 'nested list items', body: (n) => repeat('- ', n) },
  { kind: 'backticks', description: 'runs of backticks', body: (n) => repeat('`a``', n) },
  { kind: 'autolink', description: '`<a` repeated', body: (n) => repeat('<a', n) },
  { kind: 'entities', description: '`&#` repeated', body: (n) => repeat('&#1', n) },
  { kind: 'lines', description: 'short lines', body: (n) => repeat('a\n', n) },
  { kind: 'labels', description: 'section labels on every line', body: (n) => repeat('FINDINGS: x\n', n) },
  { kind: 'measurements', description: 'dimensions chained by x', body: (n) => repeat('1 x ', n) + 'cm.' },
  { kind: 'laterality', description: 'left and right alternating', body: (n) => repeat('left right ', n) },
  { kind: 'no-spaces', description: 'words joined by periods', body: (n) => repeat('a.', n) + ' x' },
  { kind: 'table', description: 'a table row of pipes', body: (n) => '| a |\n| - |\n' + repeat('|', n) },
  { kind: 'headings', description: 'heading markers', body: (n) => repeat('#', n) },
];

/** A report with the adversarial part in its findings. */
export function adversarialReport(input: AdversarialInput, size: number): string {
  return `# CT chest\n\n## Clinical information\n\nCough.\n\n## Findings\n\n${input.body(size)}\n\n## Impression\n\nNo acute finding.\n`;
}
