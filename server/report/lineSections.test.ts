import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { markdownOverload } from './markdownLoad.ts';
import { parseReport } from './parseReport.ts';

const ctChest = readFileSync(new URL('./fixtures/ct-chest.report.md', import.meta.url), 'utf8');
const DICTATED = 'EXAM: CT head\nCLINICAL HISTORY: Fall.\nFINDINGS: No hemorrhage. No fracture.\nIMPRESSION:\nNo acute finding.\n';

test('the line reader finds the same sections, metadata and sentences as the markdown parser in a plain report', () => {
  for (const text of [ctChest, DICTATED]) {
    const markdown = parseReport(text);
    const lines = parseReport(text, { reader: 'lines' });
    assert.equal(markdown.reader, 'markdown');
    assert.equal(lines.reader, 'lines');
    assert.deepEqual(
      lines.sections.map((s) => [s.kind, s.heading, s.style, s.level, s.span]),
      markdown.sections.map((s) => [s.kind, s.heading, s.style, s.level, s.span]),
    );
    assert.deepEqual(lines.meta, markdown.meta);
    assert.deepEqual(lines.frontMatterSpan, markdown.frontMatterSpan);
    const conclusion = (r: typeof lines) => r.sections.find((s) => s.kind === 'conclusion')!.sentences.map((s) => [s.text, s.span]);
    assert.deepEqual(conclusion(lines), conclusion(markdown));
  }
});

test('markup the parser cannot read in bounded time is detected in linear time and read line by line, with a note', () => {
  assert.equal(markdownOverload(ctChest), undefined);
  assert.match(markdownOverload('*_'.repeat(5_000))!, /too much inline markup/);
  assert.match(markdownOverload('>'.repeat(40))!, /more than 32 levels/);
  assert.match(markdownOverload('- '.repeat(40))!, /more than 32 levels/);
  assert.match(markdownOverload('a\n'.repeat(5_000))!, /more than 4,000 lines/);
  const report = parseReport(`## Findings\n\n${'*_'.repeat(5_000)}\n\n## Impression\n\nNo acute finding.\n`);
  assert.equal(report.reader, 'lines');
  assert.deepEqual(
    report.sections.map((s) => s.kind),
    ['findings', 'conclusion'],
  );
  assert.deepEqual(
    report.sections[1]!.sentences.map((s) => s.text),
    ['No acute finding.'],
  );
  assert.deepEqual(
    report.parseProblems.map((p) => [p.code, p.severity]),
    [['markdown-overload', 'information']],
  );
});

test('more than 1,000 sections: the rest is text of the last one, with a note', () => {
  const report = parseReport('## Findings\n\n' + 'IMPRESSION: x\nFINDINGS: y\n'.repeat(600));
  assert.equal(report.sections.length, 1_000);
  assert.ok(report.parseProblems.some((p) => /More than 1,000 section headings/.test(p.message)));
});
