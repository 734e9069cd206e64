/**
 * A row of the Indiana University chest radiograph data (`../shared/data/iu-xray/pairs.jsonl`; CT-RATE rows share
 * its fields). The one type of such a row: the evaluation runner reads it, `training/exportPairs.ts` exports it, the
 * tests and benchmarks lint it. The fields are optional where a hand-made file may leave them out.
 */
export interface IuRow {
  id: string;
  split?: string | undefined;
  exam?: string | undefined;
  indication?: string | undefined;
  comparison?: string | undefined;
  findings: string;
  impression: string;
}

/**
 * An IU row as the markdown report a radiologist would have in the editor: front matter with the exam, then
 * `## Indication`, `## Comparison`, `## Findings` and `## Impression` (empty sections left out, each body trimmed).
 * Parsed, it gives the conclusion prompt `radreport eval` builds from the same row (`iuPairCase`, `caseReport`), word
 * for word, and it is the text `training/exportPairs.ts` writes for the language-model corpus; the exam stays in front
 * matter as the data has it (the Open-i export's `&lt;` / `&gt;` entities included, which a `#` title would decode).
 * Pure: no I/O.
 */
export function iuReportMarkdown(row: IuRow, options: { withImpression?: boolean } = {}): string {
  const parts: string[] = [];
  if (row.exam?.trim()) parts.push('---', `exam: ${JSON.stringify(row.exam.trim())}`, '---', '');
  const section = (heading: string, body: string | undefined) => {
    if (body?.trim()) parts.push(`## ${heading}`, '', body.trim(), '');
  };
  section('Indication', row.indication);
  section('Comparison', row.comparison);
  section('Findings', row.findings);
  if (options.withImpression ?? true) section('Impression', row.impression);
  return parts.join('\n');
}
