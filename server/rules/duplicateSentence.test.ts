import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseReport } from '../report/parseReport.ts';
import { duplicateSentence } from './duplicateSentence.ts';
import { lintReport } from './lintReport.ts';
import { applyEdits, checkFixture, checkFixtureFile } from './testing/checkFixture.ts';

test('duplicate-sentence: a sentence twice in one section, whatever its case, numbering or full stop', () => {
  const problems = checkFixtureFile([duplicateSentence], new URL('./fixtures/duplicate-sentence.report.md', import.meta.url));
  assert.match(problems[0]!.message, /repeats a sentence of this section/);
  // The conclusion repeating the findings is what a conclusion does; one word and de-identification tokens are left alone.
  checkFixture([duplicateSentence], '## Findings\nNo pneumothorax.\n\n## Impression\nNo pneumothorax.\n');
  checkFixture([duplicateSentence], '## Findings\nNormal. Normal. XXXX XXXX. XXXX XXXX.\n');
});

test('duplicate-sentence: the fix removes the repeat and what separated it', () => {
  const inline = '## Findings\nClear lungs. Normal heart. Clear lungs. No effusion.\n';
  const [p] = lintReport(parseReport(inline), {}, [duplicateSentence]);
  assert.equal(applyEdits(inline, p!.fixes![0]!.edits), '## Findings\nClear lungs. Normal heart. No effusion.\n');
  const listed = '## Impression\n1. No acute disease.\n2. No acute disease.\n3. Clear lungs.\n';
  const [q] = lintReport(parseReport(listed), {}, [duplicateSentence]);
  const fixed = applyEdits(listed, q!.fixes![0]!.edits);
  assert.equal(fixed, '## Impression\n1. No acute disease.\n3. Clear lungs.\n');
  assert.deepEqual(lintReport(parseReport(fixed), {}, [duplicateSentence]), []);
});
