/** An IU chest radiograph row (`../shared/data/iu-xray/pairs.jsonl`). */
export interface IuRow {
  id: string;
  split: string;
  exam?: string;
  indication?: string;
  comparison?: string;
  findings: string;
  impression: string;
}

/**
 * An IU row as the markdown report a radiologist would have in the editor: front matter with the exam, then
 * `## Indication`, `## Comparison`, `## Findings` and `## Impression` (empty sections left out).
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
