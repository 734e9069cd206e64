import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { defaultVocabulary } from '../clinical/vocabulary.ts';
import { parseReport } from '../report/parseReport.ts';
import { checkConclusion } from './checkConclusion.ts';
import { buildConclusionPlan } from './conclusionPlan.ts';

const vocabulary = defaultVocabulary();
const FIXTURE = readFileSync(new URL('./fixtures/plan.report.md', import.meta.url), 'utf8');

function check(reportText: string, conclusion: string) {
  const report = parseReport(reportText);
  return checkConclusion(report, buildConclusionPlan(report, vocabulary), conclusion, {}, vocabulary);
}
const kinds = (result: ReturnType<typeof check>) => [...new Set(result.problems.map((p) => p.ruleId ?? p.kind))].sort();
const report = (exam: string, findings: string, clinical = '') =>
  `---\nexam: ${exam}\n---\n${clinical ? `## Clinical information\n${clinical}\n\n` : ''}## Findings\n${findings}\n\n## Impression\n`;

test('a conclusion that states the plan in its own words passes', () => {
  for (const conclusion of [
    '1. Left lower lobe pneumonia with a small left pleural effusion.\n2. Mild cardiomegaly.',
    'New left lower lobe airspace disease and small left effusion, in keeping with pneumonia. Mild cardiomegaly. Stable right upper lobe granuloma.',
  ]) {
    const result = check(FIXTURE, conclusion);
    assert.deepEqual(kinds(result), [], `${conclusion}\n${result.problems.map((p) => p.message).join('\n')}`);
    assert.equal(result.ok, true);
  }
});

test('the demo failure: a normal reading above a new consolidation is left out and contradicted', () => {
  const result = check(FIXTURE, '1. Cardiomegaly. 2. No acute cardiopulmonary disease.');
  assert.equal(result.ok, false);
  assert.deepEqual(kinds(result), ['contradiction', 'global-negation', 'omitted']);
  assert.deepEqual(
    result.missing.map((i) => i.finding.id),
    ['consolidation', 'pleural effusion'],
  );
  assert.equal(result.problems.find((p) => p.kind === 'global-negation')!.statement, 1, 'the failing statement is named');
});

test('every kind of addition is caught: finding, side, site, size, change, description, de-identification token', () => {
  const chest = report('XR chest', 'Moderate right pleural effusion, increased since the prior study. A 7 mm nodule in the right upper lobe.');
  const base = 'Increased moderate right pleural effusion. 7 mm right upper lobe nodule.';
  assert.deepEqual(kinds(check(chest, base)), []);
  assert.deepEqual(kinds(check(chest, `${base} Left lower lobe pneumonia.`)), ['added', 'unsupported-conclusion']);
  assert.ok(kinds(check(chest, 'Increased moderate left pleural effusion. 7 mm right upper lobe nodule.')).includes('side-added'));
  assert.deepEqual(kinds(check(chest, 'Increased moderate right pleural effusion. 7 mm right lower lobe nodule.')), ['site']);
  assert.ok(kinds(check(chest, 'Increased moderate right pleural effusion. 9 mm right upper lobe nodule.')).includes('size-added'));
  assert.deepEqual(kinds(check(chest, 'Stable moderate right pleural effusion. 7 mm right upper lobe nodule.')), ['change']);
  assert.deepEqual(kinds(check(chest, 'Increased small right pleural effusion. 7 mm right upper lobe nodule.')), ['description']);
  assert.deepEqual(kinds(check(chest, `${base} Chest x-XXXX.`)).includes('deidentification'), true);
});

test('the exam side: a one-sided exam has no other side', () => {
  const knee = '---\nexam: XR right knee\nside: right\n---\n## Findings\nNo fracture. Joint space preserved.\n\n## Impression\n';
  assert.deepEqual(kinds(check(knee, 'No acute fracture or dislocation of the right knee.')), []);
  assert.ok(kinds(check(knee, 'No fracture of the left knee.')).includes('side-added'));
});

test('the clinical question the findings answer must be answered, and not the other way', () => {
  const rif = report('CT abdomen and pelvis', 'The appendix is normal in calibre. No free fluid.', 'Right iliac fossa pain.');
  assert.deepEqual(kinds(check(rif, 'No acute abnormality in the abdomen or pelvis.')), ['question']);
  assert.deepEqual(kinds(check(rif, 'Normal appendix. No acute abnormality in the abdomen or pelvis.')), []);
  const fever = report('XR chest', 'Right lower lobe consolidation.', 'Fever.');
  assert.ok(kinds(check(fever, 'Right lower lobe consolidation. No evidence of pneumonia.')).includes('question'));
});

test('statements must say something the report can be checked against', () => {
  const result = check(FIXTURE, 'New left lower lobe opacity. Small left pleural effusion. Mild cardiomegaly. Mildly elevated with a large 10.5.');
  assert.deepEqual(kinds(result), ['ungrounded']);
  assert.equal(result.problems[0]!.statement, 3);
});

test('global negations: what they deny, and the "otherwise" that limits them', () => {
  const pneumonia = report('XR chest', 'Right lower lobe consolidation. Mild cardiomegaly.');
  assert.ok(kinds(check(pneumonia, 'Right lower lobe pneumonia. No acute cardiopulmonary abnormality.')).includes('global-negation'));
  assert.deepEqual(kinds(check(pneumonia, 'Right lower lobe pneumonia. Mild cardiomegaly. Otherwise no acute cardiopulmonary abnormality.')), []);
  // A 7 mm nodule is no acute finding: "no acute" beside it is good practice; "normal" is not.
  const nodule = report('CT chest', 'A 7 mm solid nodule in the right upper lobe.');
  assert.deepEqual(kinds(check(nodule, '7 mm right upper lobe nodule. No acute intrathoracic abnormality.')), []);
  assert.ok(kinds(check(nodule, '7 mm right upper lobe nodule. Normal study.')).includes('global-negation'));
  // A place: "no acute osseous abnormality" says nothing of the lungs.
  assert.deepEqual(kinds(check(pneumonia, 'Right lower lobe pneumonia. Mild cardiomegaly. No acute osseous abnormality.')), []);
});

test('an empty conclusion fails, leaving every item out', () => {
  const result = check(FIXTURE, '   ');
  assert.equal(result.ok, false);
  assert.deepEqual(kinds(result), ['empty']);
  assert.equal(result.missing.length, 3);
});
