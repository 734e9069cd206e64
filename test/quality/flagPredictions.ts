/**
 * Generated conclusions checked before they are shown: runs `checkGeneratedConclusion` on each prediction against the
 * report it was generated from and reports the share flagged, overall and per rule.
 *
 *   node --import tsx test/quality/flagPredictions.ts predictions.jsonl
 *
 * Each line of the file is `{"id": "iu-123", "prediction": "..."}` (or `"conclusion"`); an IU id is looked up in
 * ../shared/data and rendered with `iuReportMarkdown`, an MTSamples id in the imaging reports. A line may instead carry
 * the report itself as `"report"`. A conclusion counts as flagged when a problem of error or warning severity remains
 * (information, such as `omitted-finding`, is counted per rule but does not flag).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ReportConfig } from '../../server/config/reportConfig.ts';
import { parseReport } from '../../server/report/parseReport.ts';
import { checkGeneratedConclusion } from '../../server/rules/checkGeneratedConclusion.ts';
import { iuReportMarkdown } from '../../server/eval/runner/iuReport.ts';
import { iuPairs, mtsamplesImaging } from '../support/sharedData.ts';

export interface GeneratedConclusion {
  id: string;
  /** The report the conclusion was generated from (its own conclusion, if any, is replaced). */
  report: string;
  conclusion: string;
}

export interface FlagShare {
  total: number;
  /** Conclusions with at least one problem of error or warning severity. */
  flagged: number;
  /** Conclusions with at least one problem of the rule, per rule id (any severity). */
  byRule: Record<string, number>;
  problems: Array<{ id: string; ruleId: string; severity: string; message: string }>;
}

export function flagPredictions(items: readonly GeneratedConclusion[], config: ReportConfig = {}): FlagShare {
  const share: FlagShare = { total: items.length, flagged: 0, byRule: {}, problems: [] };
  for (const item of items) {
    const check = checkGeneratedConclusion(parseReport(item.report), item.conclusion, config);
    if (!check.ok) share.flagged++;
    for (const rule of new Set(check.problems.map((p) => p.ruleId))) share.byRule[rule] = (share.byRule[rule] ?? 0) + 1;
    for (const p of check.problems) share.problems.push({ id: item.id, ruleId: p.ruleId, severity: p.severity, message: p.message });
  }
  return share;
}

export function formatShare(share: FlagShare): string {
  const pct = (n: number) => `${((100 * n) / Math.max(1, share.total)).toFixed(1)}%`;
  const lines = [`${share.flagged}/${share.total} generated conclusions flagged (${pct(share.flagged)})`];
  for (const [rule, n] of Object.entries(share.byRule).sort((a, b) => b[1] - a[1])) lines.push(`  ${rule.padEnd(26)} ${String(n).padStart(5)}  ${pct(n)}`);
  return lines.join('\n');
}

/** Reads `{id, prediction|conclusion, report?}` lines and finds each report in the shared data. */
export function readPredictions(path: string): GeneratedConclusion[] {
  const iu = new Map(iuPairs().map((p) => [p.id, iuReportMarkdown(p)]));
  const mts = new Map(mtsamplesImaging().map((m) => [m.id, m.text]));
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const row = JSON.parse(line) as { id?: string; prediction?: string; conclusion?: string; report?: string };
      const id = String(row.id ?? `line ${i + 1}`);
      const report = row.report ?? iu.get(id) ?? mts.get(id);
      const conclusion = row.prediction ?? row.conclusion;
      if (report === undefined) throw new Error(`${path}:${i + 1}: no report for id ${id} (give "report" or an IU/MTSamples id)`);
      if (typeof conclusion !== 'string') throw new Error(`${path}:${i + 1}: no "prediction" or "conclusion" text`);
      return { id, report, conclusion };
    });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const path = process.argv[2];
  if (!path) {
    console.error('usage: node --import tsx test/quality/flagPredictions.ts predictions.jsonl');
    process.exit(2);
  }
  console.log(formatShare(flagPredictions(readPredictions(path))));
}
