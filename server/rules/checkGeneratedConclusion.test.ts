import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseReport } from '../report/parseReport.ts';
import { checkGeneratedConclusion, withConclusion } from './checkGeneratedConclusion.ts';

const report = parseReport(
  '---\nexam: CT chest\nsex: male\n---\n# CT chest\n\n## Findings\nLeft lower lobe consolidation. No pneumothorax. A 1.4 cm nodule in the right upper lobe.\n\n## Impression\nOld impression.\n\n## Recommendation\nNone.\n',
);

test('checkGeneratedConclusion: a faithful conclusion passes', () => {
  const check = checkGeneratedConclusion(report, 'Left lower lobe pneumonia. 14 mm right upper lobe nodule.');
  assert.deepEqual(check.problems, []);
  assert.equal(check.ok, true);
  assert.equal(check.report.text.slice(check.conclusionSpan.start, check.conclusionSpan.end), 'Left lower lobe pneumonia. 14 mm right upper lobe nodule.');
});

test('checkGeneratedConclusion: the problems the generated conclusion itself causes, inside it', () => {
  const check = checkGeneratedConclusion(report, 'Right lower lobe pneumonia. Small pneumothorax. 4.1 cm right upper lobe nodule. Uterine fibroids.');
  assert.deepEqual(
    check.problems.map((p) => p.ruleId),
    ['laterality-mismatch', 'contradiction', 'measurement-mismatch', 'sex-mismatch', 'unsupported-conclusion'],
  );
  assert.ok(check.problems.every((p) => p.span.start >= check.conclusionSpan.start && p.span.end <= check.conclusionSpan.end));
  assert.equal(check.ok, false);
  // Fixes are in the candidate report's offsets: applying one gives a conclusion that passes that rule.
  const side = check.problems[0]!.fixes![0]!.edits[0]!;
  assert.equal(side.newText, 'Left');
});

test('checkGeneratedConclusion: a conclusion that leaves out a significant finding says so, as information', () => {
  const check = checkGeneratedConclusion(report, '14 mm right upper lobe nodule.');
  assert.deepEqual(
    check.problems.map((p) => [p.ruleId, p.severity]),
    [['omitted-finding', 'information']],
  );
  assert.equal(check.ok, true);
});

test('withConclusion: replaces the body of the conclusion, or adds a section in the report style', () => {
  assert.equal(
    withConclusion(parseReport('FINDINGS: Clear.\nIMPRESSION: , Old.\nRECOMMENDATION: None.\n'), 'New.').text,
    'FINDINGS: Clear.\nIMPRESSION: , New.\nRECOMMENDATION: None.\n',
  );
  assert.equal(withConclusion(parseReport('FINDINGS: Clear.\n'), 'Normal.').text, 'FINDINGS: Clear.\nIMPRESSION: Normal.\n');
  assert.equal(withConclusion(parseReport('## Findings\nClear.\n'), 'Normal.').text, '## Findings\nClear.\n\n## Impression\nNormal.\n');
});
