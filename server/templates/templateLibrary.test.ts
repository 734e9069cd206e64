import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SHARED_DATA } from '../../test/support/sharedData.ts';
import { parseReport } from '../report/parseReport.ts';
import { importMrrt } from './mrrtImport.ts';
import { bodyPartOfTitle, libraryEntry, reportFromTemplate } from './templateLibrary.ts';
import { templateFromMarkdown } from './templateMarkdown.ts';

const MRRT = `${SHARED_DATA}radreport-templates/mrrt/`;
const appendicitis = importMrrt(readFileSync(`${MRRT}6.html`, 'utf8'));

test('a library entry names the template, its modality and body part, and credits RSNA RadReport and its creator', () => {
  assert.deepEqual(libraryEntry('6', appendicitis, 'RSNA RadReport'), {
    id: '6',
    title: 'CT Appendicitis',
    source: 'RSNA RadReport',
    modality: 'CT',
    bodyPart: 'abdomen',
    creator: 'Heilbrun ME, et al.',
    credit: '"CT Appendicitis" template from RSNA RadReport, by Heilbrun ME, et al. (http://www.radreport.org/template/0000006).',
  });
});

test('the body part an exam title names', () => {
  assert.equal(bodyPartOfTitle('MR Right Knee'), 'lower limb');
  assert.equal(bodyPartOfTitle('base mri cspine ms screening'), 'spine');
  assert.equal(bodyPartOfTitle('CT Chest Pulmonary Embolism'), 'chest');
  assert.equal(bodyPartOfTitle('Cervical Cancer Staging MRI'), 'pelvis');
  assert.equal(bodyPartOfTitle('Communication of Actionable Findings'), undefined);
});

test('a report from a template: report front matter with the credit, its sections and fields with their defaults, no MRRT comments', () => {
  const text = reportFromTemplate(appendicitis);
  assert.match(
    text,
    /^---\ntype: radiology-report\nexam: "CT Appendicitis"\nmodality: CT\nbodyPart: "abdomen"\ntemplate: ".*RSNA RadReport, by Heilbrun ME, et al\..*"\n---\n# CT Appendicitis\n/,
  );
  assert.match(text, /\n### Appendix\nDiameter:\nWall thickness:\nPeri-appendiceal stranding: None\.\n/);
  assert.doesNotMatch(text, /mrrt/);
  const report = parseReport(text);
  assert.deepEqual(report.parseProblems, []);
  assert.deepEqual(
    report.sections.filter((s) => s.kind !== 'other').map((s) => s.kind),
    ['clinical', 'comparison', 'findings', 'conclusion'],
  );
  assert.equal(report.meta.exam, 'CT Appendicitis');
});

const out = mkdtempSync(join(tmpdir(), 'radreport-library-'));
after(() => rmSync(out, { recursive: true, force: true }));

test('npm run templates:build converts the 263 RadReport templates into markdown templates and an index with their credits', () => {
  const script = fileURLToPath(new URL('../../scripts/build-templates.ts', import.meta.url));
  execFileSync(process.execPath, ['--import', 'tsx', script, MRRT, '--out', out], { stdio: 'pipe' });
  const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as {
    source: string;
    templates: Array<{ id: string; credit?: string; creator?: string }>;
  };
  assert.match(index.source, /RSNA RadReport/);
  assert.equal(index.templates.length, 263);
  assert.equal(readdirSync(out).filter((name) => name.endsWith('.report-template.md')).length, 263);
  const uncredited = index.templates.filter((entry) => !entry.credit?.includes('RSNA RadReport') || (entry.creator && !entry.credit.includes(entry.creator)));
  assert.deepEqual(uncredited, []);
  const scrotal = index.templates.find((entry) => entry.creator?.startsWith('Medical College of Wisconsin'));
  assert.match(scrotal!.credit!, /from Medical College of Wisconsin, Department of Radiology, in the RSNA RadReport library/);
  const brain = templateFromMarkdown(readFileSync(join(out, '4.report-template.md'), 'utf8'));
  assert.deepEqual(brain.problems, []);
  assert.equal(brain.template.meta.title, 'CT Brain');
});
