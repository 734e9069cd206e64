import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { SHARED_DATA } from '../../test/support/sharedData.ts';
import { librarySectionRoles } from '../templates/librarySections.ts';
import { importMrrt } from '../templates/mrrtImport.ts';
import { templateToMarkdown } from '../templates/templateMarkdown.ts';
import { parseReport } from './parseReport.ts';
import { createSectionClassifier } from './sectionSynonyms.ts';

const MRRT = `${SHARED_DATA}radreport-templates/mrrt/`;
const templates = readdirSync(MRRT)
  .filter((name) => name.endsWith('.html'))
  .map((name) => ({ name, template: importMrrt(readFileSync(MRRT + name, 'utf8')) }));

test('every section name and heading of the 263 RadReport templates is a section the classifier knows, the exam title, or a part of the findings', () => {
  assert.equal(templates.length, 263);
  const classifier = createSectionClassifier();
  const unrecognised: string[] = [];
  const roles = new Map<string, number>();
  for (const { name, template } of templates) {
    for (const { label, role } of librarySectionRoles(template, classifier)) {
      roles.set(role, (roles.get(role) ?? 0) + 1);
      if (role === 'unrecognised') unrecognised.push(`${name}: ${label}`);
    }
  }
  assert.deepEqual(unrecognised, []);
  // The sections proper are most of them; the exam titles and the findings parts are the exceptions the roles explain.
  assert.ok(roles.get('section')! > 1000, `${roles.get('section')} recognised sections`);
  assert.ok((roles.get('findings part') ?? 0) < 40, `${roles.get('findings part')} findings parts`);
});

test('every template imported to markdown has findings or a conclusion the report parser finds, under the headings it wrote', () => {
  const withoutSections: string[] = [];
  for (const { name, template } of templates) {
    const report = parseReport(templateToMarkdown(template));
    if (!report.sections.some((s) => s.kind === 'findings' || s.kind === 'conclusion')) withoutSections.push(name);
  }
  // Modules, not reports: the three AAST grading modules (a grade section each) and the Fleischner guideline module
  // (its one section is named Impression in MRRT but headed by the guideline's name).
  assert.deepEqual(withoutSections, ['264.html', '265.html', '266.html', '32.html']);
});

test('the library names join the defaults without taking a default synonym, and a site can still re-map them', () => {
  assert.equal(createSectionClassifier().classify('Procedure Information'), 'technique');
  assert.equal(createSectionClassifier().classify('Bevindingen:'), 'findings');
  assert.equal(createSectionClassifier().classify('Impression'), 'conclusion');
  assert.equal(createSectionClassifier({ other: ['procedure information'] }).classify('PROCEDURE INFORMATION'), 'other');
});
