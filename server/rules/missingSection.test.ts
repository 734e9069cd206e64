import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseReport } from '../report/parseReport.ts';
import { createSectionClassifier } from '../report/sectionSynonyms.ts';
import { lintReport } from './lintReport.ts';
import { missingSection } from './missingSection.ts';
import { applyEdits, checkFixture, checkFixtureFile } from './testing/checkFixture.ts';

test('missing-section: no conclusion is flagged on the findings heading, and the fix adds one in the same style', () => {
  const [problem] = checkFixtureFile([missingSection], new URL('./fixtures/missing-section.report.md', import.meta.url));
  assert.equal(problem!.message, 'The report has no conclusion (impression) section.');
  assert.equal(problem!.severity, 'error');
  const text = '# XR chest\n\n## Findings\nThe lungs are clear.\n\n';
  const [p] = lintReport(parseReport(text), {}, [missingSection]);
  const after = applyEdits(text, p!.fixes![0]!.edits);
  assert.equal(after, '# XR chest\n\n## Findings\nThe lungs are clear.\n\n## Impression\n\n');
  assert.deepEqual(lintReport(parseReport(after), {}, [missingSection]), []);
});

test('missing-section: dictation-style reports get a dictation-style label', () => {
  const text = 'EXAM: CT head\nFINDINGS: No hemorrhage.\n';
  const [p] = lintReport(parseReport(text), {}, [missingSection]);
  assert.equal(applyEdits(text, p!.fixes![0]!.edits), 'EXAM: CT head\nFINDINGS: No hemorrhage.\nIMPRESSION:\n');
});

test('missing-section: no findings, fix inserts them before the conclusion', () => {
  const marked = '# CT head\n\n⟦missing-section|## Impression⟧\nNo acute abnormality.\n';
  const [p] = checkFixture([missingSection], marked);
  assert.equal(p!.message, 'The report has no findings section.');
  const text = '# CT head\n\n## Impression\nNo acute abnormality.\n';
  assert.equal(applyEdits(text, p!.fixes![0]!.edits), '# CT head\n\n## Findings\n\n## Impression\nNo acute abnormality.\n');
});

test('missing-section: a text that is no report is said to be none, once', () => {
  const [p] = checkFixture([missingSection], '⟦missing-section|⟧Shopping list: eggs, milk.\n');
  assert.match(p!.message, /does not look like a radiology report/);
});

test('missing-section: the heading name is a rule option', () => {
  const text = '## Befund\nUnauffällig.\n';
  const report = parseReport(text, { classifier: createSectionClassifier({ findings: ['Befund'] }) });
  assert.equal(report.sections[0]!.kind, 'findings');
  const problems = lintReport(report, { rules: { 'missing-section': { conclusionHeading: 'Conclusion' } } }, [missingSection]);
  assert.match(problems.at(-1)!.fixes![0]!.title, /Conclusion/);
});
