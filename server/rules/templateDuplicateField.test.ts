import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseReport } from '../report/parseReport.ts';
import { lintReport } from './lintReport.ts';
import { templateDuplicateField } from './templateDuplicateField.ts';
import { checkFixture, checkFixtureFile } from './testing/checkFixture.ts';

const TEMPLATE = '---\ntype: radiology-report-template\n---\n';

test('template-duplicate-field: the same label twice in a section, pointing at the first', () => {
  const [problem] = checkFixtureFile([templateDuplicateField], new URL('./fixtures/template-duplicate-field.report.md', import.meta.url));
  assert.equal(problem!.message, '"Ventricular system" is already a field of Findings.');
  assert.equal(problem!.related?.[0]?.message, 'the first one');
});

test('template-duplicate-field: the same label in two sections is fine; the same MRRT id twice is not', () => {
  const marked =
    `${TEMPLATE}## Findings\nOther: None.\n<!-- mrrt-field {"id":"T1","type":"text"} -->\n\n` +
    `## Impression\nOther: None.\n<!-- mrrt-field {"id":"T2","type":"text"} -->\n\n⟦template-duplicate-field|Summary: Normal.⟧\n<!-- mrrt-field {"id":"T1","type":"text"} -->\n`;
  const [problem] = checkFixture([templateDuplicateField], marked);
  assert.equal(problem!.message, 'The MRRT id "T1" is already the id of "Other".');
});

test('template-duplicate-field: labels differing only in case and spacing are the same field', () => {
  const text = `${TEMPLATE}## Findings\nLiver: Normal.\nliver:  Normal.\n\n## Impression\nNormal.\n`;
  assert.equal(lintReport(parseReport(text), {}, [templateDuplicateField]).length, 1);
});
