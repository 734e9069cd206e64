import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseReport, sectionOf } from '../../report/parseReport.ts';
import { iuReportMarkdown } from './iuReport.ts';

const ROW = {
  id: 'iu-1',
  split: 'train',
  exam: 'Xray Chest PA and Lateral ',
  indication: 'Positive TB test',
  comparison: '',
  findings: 'There is no pneumothorax. ',
  impression: 'Normal chest x-XXXX.',
};

test('an IU row as a report: the exam in front matter, non-empty sections trimmed, empty ones left out', () => {
  assert.equal(
    iuReportMarkdown(ROW),
    '---\nexam: "Xray Chest PA and Lateral"\n---\n\n## Indication\n\nPositive TB test\n\n## Findings\n\nThere is no pneumothorax.\n\n## Impression\n\nNormal chest x-XXXX.\n',
  );
  const report = parseReport(iuReportMarkdown(ROW));
  assert.equal(report.meta.exam, 'Xray Chest PA and Lateral');
  assert.equal(report.meta.modality, 'XR');
  assert.equal(sectionOf(report, 'clinical')?.text, 'Positive TB test');
  assert.equal(sectionOf(report, 'comparison'), undefined);
  assert.equal(sectionOf(report, 'conclusion')?.text, 'Normal chest x-XXXX.');
});

test('an IU row without its impression: the report as the radiologist has it before concluding', () => {
  const text = iuReportMarkdown({ ...ROW, exam: undefined }, { withImpression: false });
  assert.equal(text, '## Indication\n\nPositive TB test\n\n## Findings\n\nThere is no pneumothorax.\n');
  assert.equal(sectionOf(parseReport(text), 'conclusion'), undefined);
});
