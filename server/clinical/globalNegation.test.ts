import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseReport } from '../report/parseReport.ts';
import { deniedByGlobalNegation, findGlobalNegations, globalNegationConflicts, type GlobalNegation } from './globalNegation.ts';
import { analyzeReport } from './reportAnalysis.ts';
import { defaultVocabulary } from './vocabulary.ts';

const analysed = (findings: string, conclusion: string) =>
  analyzeReport(parseReport(`## Findings\n${findings}\n\n## Impression\n${conclusion}\n`), defaultVocabulary());

/** The global negations of a conclusion, as "words: reach, place" (place: the organs, or `all`). */
function read(conclusion: string): string[] {
  const analysis = analysed('See below.', conclusion);
  const describe = (n: GlobalNegation) =>
    `${analysis.report.text.slice(n.span.start, n.span.end)}: ${n.reach}, ${n.organs ? [...n.organs].sort().join('/') : 'all'}${n.side ? `, ${n.side}` : ''}${n.otherwise ? ', otherwise' : ''}`;
  return analysis.conclusion.flatMap((s, i) => findGlobalNegations(s, analysis.conclusion.slice(0, i)).map(describe));
}

test('global negations of acute disease: reach and place from the words between the cue and the general noun', () => {
  assert.deepEqual(read('No acute cardiopulmonary process.'), [
    'No acute cardiopulmonary process: acute, atrium/bronchus/heart/hilum/lung/mediastinum/paratracheal/pleura/pulmonary artery/ventricle',
  ]);
  assert.deepEqual(read('No acute intracranial abnormality.'), ['No acute intracranial abnormality: acute, brain/brain side']);
  assert.deepEqual(read('No acute osseous abnormality.'), ['No acute osseous abnormality: acute, bones']);
  assert.deepEqual(read('No evidence of active disease.'), ['No evidence of active disease: acute, all']);
  assert.deepEqual(read('Negative for acute abnormality.'), ['Negative for acute abnormality: acute, all']);
  assert.deepEqual(read('No acute findings in the abdomen or pelvis.'), [
    'No acute findings in the abdomen or pelvis: acute, abdomen/adrenal/bladder/bowel/colon/gallbladder/kidney/liver/liver lobe/ovary/pancreas/pelvis/pelvis side/prostate/quadrant/spleen/ureter/uterus',
  ]);
  assert.deepEqual(read('No evidence of disease.'), ['No evidence of disease: significant, all']);
  assert.deepEqual(read('No cardiopulmonary injury.'), [
    'No cardiopulmonary injury: acute, atrium/bronchus/heart/hilum/lung/mediastinum/paratracheal/pleura/pulmonary artery/ventricle',
  ]);
  assert.deepEqual(
    read('Small right pleural effusion. No other acute cardiopulmonary abnormality.').map((r) => r.endsWith(', otherwise')),
    [true],
  );
  // Compared with a prior study, it denies what is new: "No XXXX abnormalities as compared to prior study" (iu-2271).
  assert.deepEqual(read('No abnormalities as compared to the prior study.'), ['No abnormalities: acute, all']);
  assert.deepEqual(read('No abnormalities.'), ['No abnormalities: significant, all']);
});

test('normal statements: the whole examination, a structure, or the label before a bare "Normal."', () => {
  assert.deepEqual(read('Unremarkable examination.'), ['Unremarkable examination: significant, all']);
  assert.deepEqual(read('Normal MRI of the left knee.'), ['Normal MRI of the left knee: significant, knee, left']);
  assert.deepEqual(read('The lungs are clear.'), ['The lungs are clear: acute, lung']);
  assert.deepEqual(read('The right kidney is normal.'), ['The right kidney is normal: significant, kidney, right']);
  assert.deepEqual(read('Ribs. Normal.'), ['Normal: significant, rib']);
  assert.deepEqual(read('Negative.'), ['Negative: significant, all']);
  // A label that is no place: nothing one can tell.
  assert.deepEqual(read('Ventricular function: Normal.'), []);
});

test('not global negations: a named finding, a narrowing noun phrase, a qualifying clause, a normal size', () => {
  assert.deepEqual(read('No acute fracture.'), []);
  assert.deepEqual(read('No acute infiltrate.'), []);
  assert.deepEqual(read('No definite findings of pneumonia.'), []);
  assert.deepEqual(read('No findings to explain the headache.'), []);
  assert.deepEqual(read('Normal heart size.'), []);
  assert.deepEqual(read('No metastatic disease.'), []);
  assert.deepEqual(read('No change in the appearance of the chest.'), []);
});

test('what a global negation denies: present, new findings of its reach and place', () => {
  const denied = (findings: string, conclusion: string) => {
    const analysis = analysed(findings, conclusion);
    const [negation] = findGlobalNegations(analysis.conclusion[0]!);
    return analysis.findings
      .flatMap((s) => s.findings)
      .filter((f) => deniedByGlobalNegation(negation!, f))
      .map((f) => f.finding.id);
  };
  assert.deepEqual(denied('New left lower lobe consolidation. 7 mm right upper lobe nodule.', 'No acute cardiopulmonary process.'), ['consolidation']);
  assert.deepEqual(denied('New left lower lobe consolidation. 7 mm right upper lobe nodule.', 'Normal chest radiograph.'), ['consolidation', 'nodule']);
  assert.deepEqual(denied('Acute fracture of the left fifth rib. Small right pleural effusion.', 'No acute osseous abnormality.'), ['fracture']);
  assert.deepEqual(denied('Trace right pleural effusion. Stable left pleural effusion. Healed rib fracture. Possible pneumothorax.', 'No acute findings.'), []);
  assert.deepEqual(denied('Right lower lobe consolidation.', 'The left lung is clear.'), []);
  assert.deepEqual(denied('The residual right pneumothorax has increased in size since the prior examination.', 'No acute cardiopulmonary abnormality.'), [
    'pneumothorax',
  ]);
});

test('conflicts: "otherwise" leaves room for what the conclusion states; the findings own doubts are no finding', () => {
  const conflicts = (findings: string, conclusion: string) => {
    const analysis = analysed(findings, conclusion);
    return globalNegationConflicts(analysis.findings, analysis.conclusion, analysis.vocabulary).map((c) => c.finding.finding.id);
  };
  assert.deepEqual(conflicts('Small right pleural effusion.', 'Small right pleural effusion, otherwise no acute cardiopulmonary process.'), []);
  assert.deepEqual(conflicts('Small right pleural effusion.', 'Small right pleural effusion. No acute cardiopulmonary process.'), ['pleural effusion']);
  assert.deepEqual(conflicts('Right lower lobe consolidation.', 'Right lower lobe pneumonia. No other acute abnormality.'), []);
  assert.deepEqual(conflicts('Small right pleural effusion. Left lower lobe consolidation.', 'Small right pleural effusion. No other acute abnormality.'), [
    'consolidation',
  ]);
  assert.deepEqual(conflicts('Small pleural effusion or atelectasis at the left base.', 'No acute cardiopulmonary process.'), []);
  assert.deepEqual(
    conflicts('Streaky left basilar airspace opacities, compatible with atelectasis.', 'Left basilar atelectasis. No acute cardiopulmonary process.'),
    [],
  );
  assert.deepEqual(conflicts('Left basilar airspace opacity secondary to epicardial fat and overlying soft tissues.', 'Clear lungs.'), []);
  assert.deepEqual(conflicts('Fractured sternotomy wire.', 'No acute osseous abnormality.'), []);
  assert.deepEqual(conflicts('Pneumonia seen on CT examination dated last week is not seen on this radiograph.', 'No acute cardiopulmonary abnormality.'), []);
});
