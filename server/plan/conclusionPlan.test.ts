import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { defaultVocabulary } from '../clinical/vocabulary.ts';
import { parseReport } from '../report/parseReport.ts';
import { buildConclusionPlan, UNNAMED_FINDING } from './conclusionPlan.ts';
import { planData, planLines } from './planText.ts';

const vocabulary = defaultVocabulary();
const plan = (text: string) => buildConclusionPlan(parseReport(text), vocabulary);
const report = (exam: string, findings: string, clinical = '') =>
  `---\nexam: ${exam}\n---\n${clinical ? `## Clinical information\n${clinical}\n\n` : ''}## Findings\n${findings}\n\n## Impression\n`;

test('the fixture: the new opacity and the effusion first, then the mild cardiomegaly; stable, benign and slight findings only allowed', () => {
  const p = plan(readFileSync(new URL('./fixtures/plan.report.md', import.meta.url), 'utf8'));
  const required = p.items.filter((i) => i.required);
  assert.deepEqual(
    required.map((i) => [i.rank, i.finding.id, i.side]),
    [
      ['acute', 'consolidation', 'left'],
      ['acute', 'pleural effusion', 'left'],
      ['significant', 'cardiomegaly', undefined],
    ],
  );
  assert.deepEqual(p.statements, ['New airspace opacity in the left lower lobe.', 'Small left pleural effusion.', 'Mild cardiomegaly.']);
  const opacity = required[0]!;
  assert.equal(opacity.change, 'new');
  assert.equal(opacity.site, 'lower lobe');
  assert.equal(opacity.answersQuestion, true, 'fever and cough ask about pneumonia; the opacity answers');
  const allowed = p.items.filter((i) => !i.required).map((i) => i.finding.id);
  assert.ok(allowed.includes('degenerative change') && allowed.includes('device'), allowed.join(', '));
  assert.equal(p.normal, undefined, 'no normal statement beside a new opacity');
  assert.deepEqual(
    p.questions.map((q) => [q.concern, q.answer]),
    [['pneumonia', 'present']],
  );
});

test('nothing significant: the normal statement of the exam, in its words', () => {
  assert.deepEqual(plan(report('CT head without contrast', 'No intracranial haemorrhage. Ventricles normal.')).statements, [
    'No acute intracranial abnormality.',
  ]);
  assert.deepEqual(plan(report('XR chest PA and lateral', 'The lungs are clear. Heart size normal.')).statements, ['No acute cardiopulmonary abnormality.']);
  assert.deepEqual(plan(report('MR left knee', 'Menisci and ligaments intact.')).statements, ['No internal derangement of the left knee.']);
  assert.deepEqual(plan(report('CT abdomen and pelvis with contrast', 'Liver, spleen and kidneys normal.')).statements, [
    'No acute abnormality in the abdomen or pelvis.',
  ]);
  assert.deepEqual(plan(report('CT lumbar spine', 'Vertebral heights maintained.')).statements, ['No acute abnormality of the lumbar spine.']);
});

test('the clinical question is answered where the findings allow', () => {
  const rif = plan(report('CT abdomen and pelvis', 'The appendix is normal in calibre. No free fluid.', 'Right iliac fossa pain.'));
  assert.deepEqual(
    rif.questions.map((q) => [q.concern, q.answer]),
    [['appendicitis', 'absent']],
  );
  assert.deepEqual(rif.statements, ['No evidence of appendicitis.', 'No acute abnormality in the abdomen or pelvis.']);
  const fall = plan(report('CT head', 'No intracranial haemorrhage. No skull fracture.', 'Fall on warfarin.'));
  assert.equal(fall.statements[0], 'No intracranial haemorrhage.', 'in the report’s spelling');
  const asked = plan(report('XR chest', 'Small apical pneumothorax on the left.', '? pneumothorax after line insertion'));
  assert.equal(asked.questions[0]!.answer, 'present');
  assert.equal(asked.items[0]!.answersQuestion, true);
});

test('an appendix described as dilated is appendicitis, stated and answering the question; one that is not, is not', () => {
  const dilated = plan(
    report('CT abdomen and pelvis', 'The appendix is dilated to 13 mm with wall hyperenhancement and an appendicolith. Small hiatal hernia.', 'RLQ pain.'),
  );
  assert.deepEqual(
    dilated.questions.map((q) => [q.concern, q.answer]),
    [['appendicitis', 'present']],
  );
  assert.equal(dilated.items[0]!.statement, 'Appendicitis.', 'neither "13 mm appendicitis" nor "in the appendix"');
  const fluidFilled = plan(report('CT abdomen and pelvis', 'Distended fluid-filled appendix with periappendiceal stranding.', 'RLQ pain.'));
  assert.equal(fluidFilled.questions[0]!.answer, 'present');
  const notDilated = plan(report('CT abdomen and pelvis', 'The appendix is not dilated. No free fluid.', 'RLQ pain.'));
  assert.deepEqual(
    notDilated.questions.map((q) => [q.concern, q.answer]),
    [['appendicitis', 'absent']],
  );
  assert.equal(notDilated.items.length, 0);
});

test('a finding and its diagnosis are one item, with the place the description gives', () => {
  const p = plan(
    report(
      'CT head',
      'There is a biconvex hyperdense extra-axial collection over the left temporal convexity measuring 14 mm, consistent with an acute epidural hematoma.',
    ),
  );
  const required = p.items.filter((i) => i.required);
  assert.equal(required.length, 1);
  assert.equal(required[0]!.finding.id, 'hemorrhage');
  assert.equal(required[0]!.rank, 'critical', 'a bleed inside the head is critical');
  assert.match(required[0]!.statement, /^Acute epidural hematoma over the left temporal convexity, measuring 14 mm\.$/);
  assert.deepEqual(
    required[0]!.also?.map((f) => f.id),
    ['fluid collection'],
  );
});

test('stable significant findings and the ones radiologists usually name are suggested, not required', () => {
  const p = plan(report('XR chest', 'Stable cardiomegaly. The lungs are clear.'));
  assert.deepEqual(p.statements, ['Stable cardiomegaly.', 'No acute cardiopulmonary abnormality.']);
  assert.deepEqual([p.items[0]!.rank, p.items[0]!.required, p.items[0]!.suggested], ['other', false, true]);
  const copd = plan(report('XR chest', 'The lungs are hyperinflated. No consolidation.'));
  assert.deepEqual(copd.statements, ['Hyperinflated lungs.', 'No acute cardiopulmonary abnormality.']);
  assert.equal(copd.items[0]!.suggested, true);
  const slight = plan(report('XR chest', 'Minimal right basilar atelectasis. Old healed left rib fractures.'));
  assert.deepEqual(
    slight.statements,
    ['Minimal right basilar atelectasis.', 'No acute cardiopulmonary abnormality.'],
    'slight findings are suggested, old ones only allowed',
  );
  assert.equal(slight.items.find((i) => i.finding.id === 'fracture')?.suggested, undefined);
  const borderline = plan(report('XR chest', 'The heart size is upper limits of normal. The lungs are clear.'));
  assert.deepEqual(
    borderline.statements,
    ['Heart size is upper limits of normal.', 'No acute cardiopulmonary abnormality.'],
    'evidence of cardiomegaly, in its words',
  );
  const stripe = plan(report('XR chest', 'Right paratracheal stripe is denser and XXXX than normal. Lungs clear.'));
  assert.deepEqual(
    stripe.statements,
    ['Right paratracheal stripe is denser than normal.', 'No acute cardiopulmonary abnormality.'],
    'a dense paratracheal stripe is said; the de-identified word leaves no dangling "and"',
  );
  const mediastinum = plan(report('XR chest', 'There is mild prominence of the superior mediastinum. No focal consolidation.'));
  assert.equal(mediastinum.items[0]?.finding.id, 'mediastinal widening');
});

test('a finding word joined to another by "and" describes it: the statement is the noun phrase, not the adjective', () => {
  const p = plan(report('XR chest', 'There is minimal patchy and XXXX air space opacity within the lingula favored as atelectasis.'));
  assert.equal(p.items.length, 1, JSON.stringify(p.statements));
  assert.match(p.items[0]!.statement, /air space opacity within the lingula/i);
  assert.doesNotMatch(p.items[0]!.statement, /patchy\.$/i);
});

test('a sentence the vocabulary cannot read is kept, never read as normal', () => {
  const p = plan(report('US right upper quadrant', 'Gallbladder wall thickened to 5 mm with pericholecystic fluid. Sonographic Murphy sign positive.'));
  const unnamed = p.items.find((i) => i.finding.id === UNNAMED_FINDING);
  assert.ok(unnamed, JSON.stringify(p.statements));
  assert.equal(unnamed.required, true);
  assert.equal(p.normal, undefined);
  assert.ok(
    unnamed.also?.some((f) => f.id === 'inflammation'),
    'its words are evidence of cholecystitis, which states it',
  );
  assert.deepEqual(
    plan(report('CT chest', 'Right dominant circulation. Thyroid lobes 4.6 cm and 4.9 cm.')).items,
    [],
    'descriptions with no abnormal word are not findings',
  );
});

test('critical findings first; sides, sizes and changes read off the phrase', () => {
  const p = plan(report('XR chest', 'Small left pleural effusion. Large right tension pneumothorax with mediastinal shift. The right effusion has increased.'));
  assert.equal(p.items[0]!.rank, 'critical');
  assert.equal(p.items[0]!.finding.id, 'pneumothorax');
  assert.equal(p.items[0]!.side, 'right');
  assert.equal(p.items[0]!.severity, 'large');
  const increased = p.items.find((i) => i.finding.id === 'pleural effusion' && i.side === 'right');
  assert.equal(increased?.change, 'increased');
  const nodule = plan(report('CT chest', 'A 7 mm solid nodule in the right upper lobe.')).items[0]!;
  assert.deepEqual([nodule.rank, nodule.size, nodule.sizeMm, nodule.statement], ['follow-up', '7 mm', [7], '7 mm solid nodule in the right upper lobe.']);
});

test('the plan for people and for JSON', () => {
  const p = plan(readFileSync(new URL('./fixtures/plan.report.md', import.meta.url), 'utf8'));
  const lines = planLines(p);
  assert.equal(lines[0], 'Exam: XR chest');
  assert.ok(lines.includes('  1. New airspace opacity in the left lower lobe. (acute or new, answers the clinical question)'), lines.join('\n'));
  const data = planData(p);
  assert.equal(data.items[0]!.finding, 'consolidation');
  assert.doesNotThrow(() => JSON.stringify(data));
});
