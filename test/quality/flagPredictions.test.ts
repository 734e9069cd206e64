import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { iuReportMarkdown } from '../../server/eval/runner/iuReport.ts';
import { iuPairs } from '../support/sharedData.ts';
import { flagPredictions, formatShare, readPredictions } from './flagPredictions.ts';

test('flagPredictions: the share of generated conclusions flagged, per rule, on the IU valid split', () => {
  const valid = iuPairs().filter((p) => p.split === 'valid');
  assert.equal(valid.length, 332);
  // The radiologists' own impressions as "predictions": the floor any generated conclusion is compared with.
  const references = flagPredictions(valid.map((p) => ({ id: p.id, report: iuReportMarkdown(p), conclusion: p.impression })));
  console.log(`reference impressions of the valid split as predictions:\n${formatShare(references)}`);
  assert.equal(references.total, 332);
  assert.ok(references.flagged / references.total < 0.1);
  // A "model" that writes the findings' first sentence with the sides swapped is caught.
  const swapped = valid
    .filter((p) => /\b(left|right)\b/i.test(p.findings.split(/(?<=\.)\s/)[0]!))
    .map((p) => ({
      id: p.id,
      report: iuReportMarkdown(p),
      conclusion: p.findings.split(/(?<=\.)\s/)[0]!.replace(/\b(left|right)\b/gi, (w) => (w.toLowerCase() === 'left' ? 'right' : 'left')),
    }));
  const caught = flagPredictions(swapped);
  console.log(`first findings sentence with sides swapped (${swapped.length}):\n${formatShare(caught)}`);
  assert.ok((caught.byRule['laterality-mismatch'] ?? 0) / swapped.length >= 0.75);
});

test('readPredictions: ids are found in the shared data, or the report is given', () => {
  const dir = mkdtempSync(join(tmpdir(), 'predictions-'));
  const path = join(dir, 'p.jsonl');
  writeFileSync(
    path,
    `${JSON.stringify({ id: 'iu-1', prediction: 'Normal chest.' })}\n${JSON.stringify({ id: 'x', report: '## Findings\nClear.\n', conclusion: 'Clear.' })}\n`,
  );
  const items = readPredictions(path);
  assert.equal(items[0]!.report.includes('## Findings'), true);
  assert.equal(items[1]!.conclusion, 'Clear.');
  writeFileSync(path, `${JSON.stringify({ id: 'nope', prediction: 'x' })}\n`);
  assert.throws(() => readPredictions(path), /no report for id nope/);
});
