import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseReport, sectionOf } from '../../server/report/parseReport.ts';
import { iuReportMarkdown } from '../../server/eval/runner/iuReport.ts';
import { iuAsDictation, iuPairs, mtsamplesImaging } from '../support/sharedData.ts';

/** Parses every text, and requires a non-empty findings and conclusion section in at least 99% of them. */
function coverage(name: string, items: Array<{ id: string; text: string }>) {
  const misses: string[] = [];
  for (const { id, text } of items) {
    const report = parseReport(text);
    const findings = sectionOf(report, 'findings');
    const conclusion = sectionOf(report, 'conclusion');
    if (!findings?.text || !conclusion?.text) {
      misses.push(`${id}: sections ${report.sections.map((s) => `${s.kind}(${s.heading})`).join(', ')}`);
    }
  }
  const share = 1 - misses.length / items.length;
  console.log(`${name}: ${items.length - misses.length}/${items.length} with findings and conclusion (${(share * 100).toFixed(2)}%)`);
  for (const miss of misses) console.log(`  miss ${miss}`);
  assert.ok(share >= 0.99, `${name}: only ${(share * 100).toFixed(2)}% have both sections`);
}

test('all 152 MTSamples imaging reports parse, as they are', () => {
  const rows = mtsamplesImaging();
  assert.equal(rows.length, 152);
  coverage(
    'MTSamples imaging',
    rows.map((r) => ({ id: r.id, text: r.text })),
  );
});

test('all 3,331 IU reports parse, rendered as markdown', () => {
  const rows = iuPairs();
  assert.equal(rows.length, 3331);
  coverage(
    'IU as markdown',
    rows.map((r) => ({ id: r.id, text: iuReportMarkdown(r) })),
  );
});

test('all 3,331 IU reports parse, rendered as dictation-style text', () => {
  coverage(
    'IU as dictation',
    iuPairs().map((r) => ({ id: r.id, text: iuAsDictation(r) })),
  );
});
