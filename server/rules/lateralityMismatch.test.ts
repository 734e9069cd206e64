import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseReport } from '../report/parseReport.ts';
import { lateralityMismatch } from './lateralityMismatch.ts';
import { lintReport } from './lintReport.ts';
import { applyEdits, checkFixture, checkFixtureFile } from './testing/checkFixture.ts';
import { readFixture } from './testing/fixtureMarkers.ts';

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
  checkFixture(
    [lateralityMismatch],
    '# MR RIGHT SHOULDER\n\n## Findings\nFull-thickness tear of the supraspinatus tendon.\n\n## Impression\n⟦laterality-mismatch|Left⟧ supraspinatus tear.\n',
  );
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
  checkFixture(
    [lateralityMismatch],
    '## Findings\nRight shoulder: negative for fracture.\n\n## Impression\nNo ⟦laterality-mismatch|left⟧ shoulder fracture.\n',
  );
});

/** Held-out-style CT and MR reports: a finding on one side in the findings, the other in the conclusion, the other side named only as normal. */
const HELD_OUT = ['renal-mass', 'ovarian-cyst', 'mca-infarct', 'pneumothorax', 'meniscal-tear'];

test('laterality-mismatch: the side belongs to the finding, not to the organ a normal statement names on the other side', () => {
  for (const name of HELD_OUT) {
    const url = new URL(`./fixtures/laterality-mismatch-${name}.report.md`, import.meta.url);
    const [problem] = checkFixtureFile([lateralityMismatch], url);
    // The clean twin: the conclusion with the side of the findings.
    const text = readFixture(readFileSync(url, 'utf8')).text;
    const twin = applyEdits(text, problem!.fixes![0]!.edits);
    assert.notEqual(twin, text, name);
    assert.deepEqual(lintReport(parseReport(twin), {}, [lateralityMismatch]), [], `${name}: the clean twin is not flagged`);
  }
});

test('laterality-mismatch: a related finding said without its tie to the structure still counts for that side', () => {
  checkFixture(
    [lateralityMismatch],
    '## Findings\nIn the left lower lobe there is airspace disease. The right lung is clear.\n\n## Impression\nLeft lower lobe pneumonia.\n',
  );
  checkFixture(
    [lateralityMismatch],
    '## Findings\nIn the left lower lobe there is airspace disease. The right lung is clear.\n\n## Impression\n⟦laterality-mismatch|Right⟧ lower lobe pneumonia.\n',
  );
  checkFixture(
    [lateralityMismatch],
    '## Findings\nComplex cyst in the left breast at 2 o clock. The right breast is unremarkable.\n\n## Impression\n⟦laterality-mismatch|Right⟧ breast complex cyst.\n',
  );
});

test('laterality-mismatch: an exam that adds a view of a midline region (AP pelvis) shows the other side too', () => {
  const findings = 'Displaced fracture of the left femoral neck. Mild right hip osteoarthritis.';
  const impression = 'Displaced left femoral neck fracture.';
  checkFixture(
    [lateralityMismatch],
    `---\nexam: XR pelvis AP and left hip lateral\nside: left\n---\n## Findings\n${findings}\n\n## Impression\n${impression}\n`,
  );
  // A chest view does not show the other knee.
  checkFixture(
    [lateralityMismatch],
    '---\nexam: Two-view chest; left knee 2 views\n---\n## Findings\nLungs clear. Effusion in the ⟦laterality-mismatch|right⟧ knee.\n\n## Impression\nKnee effusion.\n',
  );
  // A left hip exam alone: the right hip is not in it.
  checkFixture(
    [lateralityMismatch],
    `---\nexam: XR left hip 2 views\nside: left\n---\n## Findings\nDisplaced fracture of the left femoral neck. Mild ⟦laterality-mismatch|right⟧ hip osteoarthritis.\n\n## Impression\n${impression}\n`,
  );
});
