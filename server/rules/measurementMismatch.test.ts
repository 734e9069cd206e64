import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseReport } from '../report/parseReport.ts';
import { lintReport } from './lintReport.ts';
import { measurementMismatch } from './measurementMismatch.ts';
import { applyEdits, checkFixture, checkFixtureFile } from './testing/checkFixture.ts';
import { readFixture } from './testing/fixtureMarkers.ts';

test('measurement-mismatch: 1.4 cm and 14 mm agree; another value for the same finding does not', () => {
  const [problem] = checkFixtureFile([measurementMismatch], new URL('./fixtures/measurement-mismatch.report.md', import.meta.url));
  assert.equal(problem!.message, 'The conclusion gives “4.1 x 1.6 cm” for the mass, the findings “2.2 x 1.6 cm”.');
  const text = '## Findings\nA 1.4 cm nodule in the right upper lobe.\n\n## Impression\nRight upper lobe nodule, 4.1 cm.\n';
  const [p] = lintReport(parseReport(text), {}, [measurementMismatch]);
  const fixed = applyEdits(text, p!.fixes![0]!.edits);
  assert.match(fixed, /Right upper lobe nodule, 1\.4 cm\./);
  assert.deepEqual(lintReport(parseReport(fixed), {}, [measurementMismatch]), []);
});

test('measurement-mismatch: units, sides, approximations, a size said in the next sentence', () => {
  checkFixture([measurementMismatch], '## Findings\nA 1.4 cm nodule.\n\n## Impression\nNodule of ⟦measurement-mismatch|1.4 mm⟧.\n');
  checkFixture([measurementMismatch], '## Findings\nRight renal cyst of 2 cm. Left renal cyst of 5 cm.\n\n## Impression\nLeft renal cyst of 5 cm.\n');
  checkFixture([measurementMismatch], '## Findings\nA nodule measures 1.7 cm.\n\n## Impression\nNodule of about 2 cm.\n');
  checkFixture(
    [measurementMismatch],
    '## Findings\nThere is a small lung nodule. This measures 8 mm.\n\n## Impression\n⟦measurement-mismatch|16 mm⟧ lung nodule.\n',
  );
  checkFixture([measurementMismatch], '## Findings\nNo nodule.\n\n## Impression\nA 5 mm nodule.\n');
});

/** Held-out-style CT and MR reports: a generic lesion measured in the findings, named by its diagnosis in the conclusion. */
const HELD_OUT = [
  ['haemangioma', /the hemangioma, the findings “2\.3 cm”/],
  ['meningioma', /the meningioma, the findings “2\.8 x 2\.1 cm”/],
  ['adrenal-adenoma', /the adenoma, the findings “1\.8 cm”/],
  ['schwannoma', /the schwannoma, the findings “1\.1 cm”/],
] as const;

test('measurement-mismatch: the size of a lesion the conclusion names by its diagnosis and the findings by a generic word', () => {
  for (const [name, message] of HELD_OUT) {
    const url = new URL(`./fixtures/measurement-mismatch-${name}.report.md`, import.meta.url);
    const [problem] = checkFixtureFile([measurementMismatch], url);
    assert.match(problem!.message, message);
    // The clean twin: the conclusion with the findings' size.
    const text = readFixture(readFileSync(url, 'utf8')).text;
    const twin = applyEdits(text, problem!.fixes![0]!.edits);
    assert.notEqual(twin, text, name);
    assert.deepEqual(lintReport(parseReport(twin), {}, [measurementMismatch]), [], `${name}: the clean twin is not flagged`);
  }
});

test('measurement-mismatch: a diagnosis ties the size to its lesion, not to another lesion of the same size', () => {
  // Without the diagnosis, "4.1 cm" would agree with the renal cyst.
  checkFixture(
    [measurementMismatch],
    '## Findings\nA 2.3 cm lesion in segment 6 of the liver, typical of a hemangioma. A 4.1 cm cyst in the left kidney.\n\n## Impression\n⟦measurement-mismatch|4.1 cm⟧ hemangioma.\n',
  );
  checkFixture(
    [measurementMismatch],
    '## Findings\nA 2.3 cm lesion in segment 6 of the liver, typical of a hemangioma. A 4.1 cm cyst in the left kidney.\n\n## Impression\n2.3 cm hemangioma. 4.1 cm left renal cyst.\n',
  );
  // A generic word in the conclusion is compared with every lesion of its kind.
  checkFixture(
    [measurementMismatch],
    '## Findings\nA 2.3 cm lesion in segment 6 of the liver, typical of a hemangioma. A 4.1 cm cyst in the left kidney.\n\n## Impression\n4.1 cm cyst.\n',
  );
});

test('measurement-mismatch: a size band or threshold in the conclusion is not a measurement of the lesion', () => {
  checkFixture(
    [measurementMismatch],
    '## Findings\nA 1.4 cm nodule in the right upper lobe.\n\n## Impression\n14 mm nodule. Consider CT at 3 months (Fleischner 2017, solid nodule, >8 mm); none needed for nodules less than 6 mm.\n',
  );
  checkFixture([measurementMismatch], '## Findings\nA 1.4 cm nodule in the right upper lobe.\n\n## Impression\nNodule of ⟦measurement-mismatch|8 mm⟧.\n');
});

test('measurement-mismatch: a size the findings give in a sentence about the same thing, tied there to another word', () => {
  // The growth of a nodule: its sizes follow "increased from", the phrase's own measurement is the solid component.
  checkFixture(
    [measurementMismatch],
    '## Findings\nPart-solid nodule in the right lower lobe has increased from 9 mm to 14 mm in mean diameter, with a new solid component of 6 mm.\n\n## Impression\nGrowing right lower lobe part-solid nodule (9 mm to 14 mm) with a new 6 mm solid component.\n',
  );
  // A lymph node's size, the conclusion naming what the node probably is.
  checkFixture(
    [measurementMismatch],
    '## Findings\nLiver: new lesions in segments VII (3.1 cm) and VIII (2.2 cm).\nLymph nodes: new 1.8 cm short-axis portocaval lymph node.\n\n## Impression\n1. New liver metastases, the largest 3.1 cm.\n2. New 1.8 cm portocaval lymph node, likely nodal metastasis.\n',
  );
  // The size of another kind of finding at the same structure is not corroboration: the stone is measured in the findings.
  checkFixture(
    [measurementMismatch],
    '## Findings\nA 2.1 cm simple cyst in the left kidney. An 8 mm stone in the left kidney.\n\n## Impression\n⟦measurement-mismatch|2.1 cm⟧ stone in the left kidney.\n',
  );
  // A size the findings give for nothing of the kind is still a mismatch.
  checkFixture(
    [measurementMismatch],
    '## Findings\nPart-solid nodule in the right lower lobe has increased from 9 mm to 14 mm.\n\n## Impression\nGrowing part-solid nodule (⟦measurement-mismatch|9 mm to 41 mm⟧).\n',
  );
});

test('measurement-mismatch: a threshold written after the size ("1.5 cm or larger") is not a measurement of the lesion', () => {
  checkFixture(
    [measurementMismatch],
    '## Findings\nLeft lobe: solid hypoechoic nodule 1.7 x 1.3 x 1.1 cm (TR4).\n\n## Impression\n1.7 cm TR4 nodule in the left thyroid lobe: fine needle aspiration recommended (TR4 nodule 1.5 cm or larger).\n',
  );
});
