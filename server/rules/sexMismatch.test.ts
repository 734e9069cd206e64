import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseReport } from '../report/parseReport.ts';
import { lintReport } from './lintReport.ts';
import { sexMismatch } from './sexMismatch.ts';
import { checkFixture, checkFixtureFile } from './testing/checkFixture.ts';
import { readFixture } from './testing/fixtureMarkers.ts';

test('sex-mismatch: an organ of the other sex, by the front matter sex; denied organs are fine', () => {
  const [problem] = checkFixtureFile([sexMismatch], new URL('./fixtures/sex-mismatch.report.md', import.meta.url));
  assert.equal(problem!.message, '“uterus” is a female organ, but the patient is male (front matter).');
  checkFixture([sexMismatch], '---\nsex: F\n---\n## Findings\nThe ⟦sex-mismatch|prostate⟧ is enlarged.\n\n## Impression\nEnlarged ⟦sex-mismatch|prostate⟧.\n');
  checkFixture(
    [sexMismatch],
    '---\nsex: female\n---\n## Findings\nStatus post hysterectomy; the uterus is surgically absent.\n\n## Impression\nNo acute findings.\n',
  );
  checkFixture([sexMismatch], '## Findings\nThe prostate is enlarged.\n\n## Impression\nProstatomegaly.\n');
});

/** Held-out-style CT and MR reports: the patient's sex only in nested front matter or in the clinical information. */
const HELD_OUT = [
  ['nested-front-matter', 'sex: F', 'sex: M', 'front matter'],
  ['clinical-woman', '61-year-old woman', '61-year-old man', 'clinical information'],
  ['clinical-yo-m', '45 yo M', '45 yo F', 'clinical information'],
  ['clinical-male-patient', 'Male patient', 'Female patient', 'clinical information'],
] as const;

test('sex-mismatch: the sex from nested front matter (patient: { sex }) or from the clinical information', () => {
  for (const [name, said, twinSaid, source] of HELD_OUT) {
    const marked = readFileSync(new URL(`./fixtures/sex-mismatch-${name}.report.md`, import.meta.url), 'utf8');
    const problems = checkFixture([sexMismatch], marked);
    assert.ok(problems.length > 0 && problems.every((p) => p.message.endsWith(`(${source}).`)), name);
    // The clean twin: the same report of a patient of the sex its organs belong to.
    const twin = readFixture(marked).text.replace(said, twinSaid);
    assert.deepEqual(lintReport(parseReport(twin), {}, [sexMismatch]), [], `${name}: the clean twin is not flagged`);
  }
});

test('sex-mismatch: front matter wins over the clinical information; unclear or mixed words give no sex', () => {
  checkFixture(
    [sexMismatch],
    '---\nsex: M\n---\n## Clinical information\n61-year-old woman.\n\n## Findings\nThe prostate is enlarged.\n\n## Impression\nProstatomegaly.\n',
  );
  checkFixture(
    [sexMismatch],
    '## Clinical information\nTemperature 101 F, abdominal pain.\n\n## Findings\nThe prostate is enlarged.\n\n## Impression\nProstatomegaly.\n',
  );
  checkFixture(
    [sexMismatch],
    '## Clinical information\nPassenger in a car accident, the driver a woman and the other passenger a man.\n\n## Findings\nThe prostate is enlarged.\n\n## Impression\nProstatomegaly.\n',
  );
});
