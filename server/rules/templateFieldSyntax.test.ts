import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseReport } from '../report/parseReport.ts';
import { lintReport } from './lintReport.ts';
import { templateFieldSyntax } from './templateFieldSyntax.ts';
import { checkFixture, checkFixtureFile } from './testing/checkFixture.ts';

const TEMPLATE = '---\ntype: radiology-report-template\n---\n';

test('template-field-syntax: a pick-list default that is no option, and a label with no space after its colon', () => {
  const problems = checkFixtureFile([templateFieldSyntax], new URL('./fixtures/template-field-syntax.report.md', import.meta.url));
  assert.deepEqual(
    problems.map((p) => p.message),
    [
      '"Excelent" is not one of the pick list of "Examination quality": "Excellent", "Good", "Fair", "Poor".',
      'Write a space after the field label\'s colon: "Left main: …".',
    ],
  );
});

test('template-field-syntax: an unreadable MRRT comment, a field with no label', () => {
  const marked = `${TEMPLATE}## Findings\nSpleen: Normal.\n⟦template-field-syntax|<!-- mrrt-field {"id": -->⟧\n⟦template-field-syntax|: Normal.⟧\n\n## Impression\nNormal.\n`;
  const problems = checkFixture([templateFieldSyntax], marked);
  assert.match(problems[0]!.message, /not valid JSON/);
  assert.equal(problems[1]!.message, 'This field line has no label before its colon.');
});

test('template-field-syntax: times, links and lists are not fields; a multiple choice may pick several options', () => {
  const text =
    `${TEMPLATE}## Findings\nSee https://radreport.org for the source.\n- Note:x\n\nLimitation: None; Patient motion\n` +
    `<!-- mrrt-field {"id":"T1","type":"select","multiple":true,"options":["None","Patient motion"]} -->\n\n## Impression\nNormal.\n`;
  assert.deepEqual(lintReport(parseReport(text), {}, [templateFieldSyntax]), []);
});
