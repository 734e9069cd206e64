import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFixture, checkFixtureFile } from './testing/checkFixture.ts';
import { sexMismatch } from './sexMismatch.ts';

test('sex-mismatch: an organ of the other sex, by the front matter sex; denied organs are fine', () => {
  const [problem] = checkFixtureFile([sexMismatch], new URL('./fixtures/sex-mismatch.report.md', import.meta.url));
  assert.equal(problem!.message, '“uterus” is a female organ, but the patient is male (front matter).');
  checkFixture([sexMismatch], '---\nsex: F\n---\n## Findings\nThe ⟦sex-mismatch|prostate⟧ is enlarged.\n\n## Impression\nEnlarged ⟦sex-mismatch|prostate⟧.\n');
  checkFixture([sexMismatch], '---\nsex: female\n---\n## Findings\nStatus post hysterectomy; the uterus is surgically absent.\n\n## Impression\nNo acute findings.\n');
  checkFixture([sexMismatch], '## Findings\nThe prostate is enlarged.\n\n## Impression\nProstatomegaly.\n');
});
