import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseReport } from '../report/parseReport.ts';
import { COMMUNICATION_TEMPLATE, criticalCommunication } from './criticalCommunication.ts';
import { lintReport } from './lintReport.ts';
import { placeholder } from './placeholder.ts';
import { applyEdits, checkFixture, checkFixtureFile } from './testing/checkFixture.ts';

test('critical-communication: a critical finding and no communication statement; the fix inserts a template', () => {
  const [problem] = checkFixtureFile([criticalCommunication], new URL('./fixtures/critical-communication.report.md', import.meta.url));
  assert.match(problem!.message, /Critical finding “aortic dissection” with no statement that it was communicated/);
  const text = '## Findings\nLarge tension pneumothorax.\n\n## Impression\nTension pneumothorax.\n';
  const [p] = lintReport(parseReport(text), {}, [criticalCommunication]);
  const fixed = applyEdits(text, p!.fixes![0]!.edits);
  assert.equal(fixed, `## Findings\nLarge tension pneumothorax.\n\n## Impression\nTension pneumothorax.\n${COMMUNICATION_TEMPLATE}\n`);
  assert.deepEqual(lintReport(parseReport(fixed), {}, [criticalCommunication]), []);
  // The template's blanks are left for the placeholder rule, on purpose.
  assert.equal(lintReport(parseReport(fixed), {}, [placeholder]).length, 4);
});

test('critical-communication: communicated, negated, hedged, known; the list is configurable', () => {
  checkFixture(
    [criticalCommunication],
    '## Findings\nAcute pulmonary embolism.\n\n## Impression\nAcute pulmonary embolism. Discussed with Dr. Lee at 14:05.\n',
  );
  checkFixture([criticalCommunication], '## Findings\nNo pulmonary embolism.\n\n## Impression\nNo pulmonary embolism.\n');
  checkFixture([criticalCommunication], '## Findings\nLucency under the diaphragm.\n\n## Impression\nPossible ⟦critical-communication|pneumoperitoneum⟧.\n');
  checkFixture([criticalCommunication], '## Findings\nStable known aortic dissection.\n\n## Impression\nStable aortic dissection.\n');
  checkFixture([criticalCommunication], '## Findings\nRuptured appendix.\n\n## Impression\n⟦critical-communication|Ruptured appendix⟧.\n', {
    vocabulary: { critical: [{ id: 'ruptured appendix', terms: ['ruptured appendix'] }] },
  });
});
