import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseReport } from '../report/parseReport.ts';
import { lateralityMismatch } from './lateralityMismatch.ts';
import { lintReport } from './lintReport.ts';
import { applyEdits, checkFixture, checkFixtureFile } from './testing/checkFixture.ts';

test('laterality-mismatch: the conclusion gives a structure the other side; the fix writes the side of the findings', () => {
  const [problem] = checkFixtureFile([lateralityMismatch], new URL('./fixtures/laterality-mismatch.report.md', import.meta.url));
  assert.match(problem!.message, /the findings give the left side/);
  assert.equal(problem!.severity, 'error');
  assert.equal(problem!.related?.length, 1);
  const text = '## Findings\nLeft lower lobe opacity.\n\n## Impression\nRight lower lobe pneumonia.\n';
  const [p] = lintReport(parseReport(text), {}, [lateralityMismatch]);
  const fixed = applyEdits(text, p!.fixes![0]!.edits);
  assert.equal(fixed, '## Findings\nLeft lower lobe opacity.\n\n## Impression\nLeft lower lobe pneumonia.\n');
  assert.deepEqual(lintReport(parseReport(fixed), {}, [lateralityMismatch]), []);
});

test('laterality-mismatch: a side against the exam side of the front matter or title', () => {
  const [problem] = checkFixtureFile([lateralityMismatch], new URL('./fixtures/laterality-mismatch-exam.report.md', import.meta.url));
  assert.match(problem!.message, /the exam is of the left side/);
  assert.equal(problem!.fixes![0]!.edits[0]!.newText, 'left');
  checkFixture([lateralityMismatch], '# MR RIGHT SHOULDER\n\n## Findings\nFull-thickness tear of the supraspinatus tendon.\n\n## Impression\n⟦laterality-mismatch|Left⟧ supraspinatus tear.\n');
  // A comparison with the other side is on purpose.
  checkFixture([lateralityMismatch], '# US LEFT KNEE\n\n## Findings\nBaker cyst, larger than in the contralateral right knee.\n\n## Impression\nBaker cyst.\n');
});

test('laterality-mismatch: abbreviations, one-sided structures, both sides, structures named without a side', () => {
  checkFixture([lateralityMismatch], '## Findings\nRLL consolidation.\n\n## Impression\n⟦laterality-mismatch|LLL⟧ pneumonia.\n');
  checkFixture([lateralityMismatch], '## Findings\nLt hip fracture.\n\n## Impression\nAcute ⟦laterality-mismatch|Rt⟧ hip fracture.\n');
  checkFixture([lateralityMismatch], '## Findings\nOpacity in the middle lobe.\n\n## Impression\n⟦laterality-mismatch|Left⟧ middle lobe pneumonia.\n');
  checkFixture([lateralityMismatch], '## Findings\nBilateral pleural effusions.\n\n## Impression\nLeft pleural effusion.\n');
  checkFixture([lateralityMismatch], '## Findings\nBasilar atelectasis, left greater than right.\n\n## Impression\nRight basilar atelectasis.\n');
  checkFixture([lateralityMismatch], '## Findings\nPneumonia in the lower lobe.\n\n## Impression\nRight lower lobe pneumonia.\n');
  checkFixture([lateralityMismatch], '## Findings\nSmall effusion on the right.\n\n## Impression\n⟦laterality-mismatch|Left⟧ pleural effusion.\n');
  checkFixture([lateralityMismatch], '## Findings\nRight shoulder: negative for fracture.\n\n## Impression\nNo ⟦laterality-mismatch|left⟧ shoulder fracture.\n');
});
