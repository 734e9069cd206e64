import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseReport } from '../report/parseReport.ts';
import { lintReport } from './lintReport.ts';
import { measurementMismatch } from './measurementMismatch.ts';
import { applyEdits, checkFixture, checkFixtureFile } from './testing/checkFixture.ts';

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
  checkFixture([measurementMismatch], '## Findings\nThere is a small lung nodule. This measures 8 mm.\n\n## Impression\n⟦measurement-mismatch|16 mm⟧ lung nodule.\n');
  checkFixture([measurementMismatch], '## Findings\nNo nodule.\n\n## Impression\nA 5 mm nodule.\n');
});
