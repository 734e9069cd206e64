import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseReport } from '../report/parseReport.ts';
import { analyzeReport } from './reportAnalysis.ts';
import { defaultVocabulary } from './vocabulary.ts';

/** The assertion of every finding in a one-sentence findings section, as "finding:assertion" (partial marked). */
function read(sentence: string): string[] {
  const report = parseReport(`## Findings\n${sentence}\n\n## Impression\nSee above.\n`);
  return analyzeReport(report, defaultVocabulary()).findings.flatMap((s) =>
    s.findings.map((f) => `${f.finding.id}:${f.assertion}${f.partial ? '(partial)' : ''}`),
  );
}

test('negation cues before the finding, through a list, to the end of the clause', () => {
  assert.deepEqual(read('No pneumothorax.'), ['pneumothorax:absent']);
  assert.deepEqual(read('No focal consolidation, pleural effusion, or pneumothorax.'), [
    'consolidation:absent(partial)',
    'pleural effusion:absent',
    'pneumothorax:absent',
  ]);
  assert.deepEqual(read('Lungs are clear without pleural effusion.'), ['pleural effusion:absent']);
  assert.deepEqual(read('Negative for pneumothorax.'), ['pneumothorax:absent']);
  assert.deepEqual(read('The lungs are free of consolidation.'), ['consolidation:absent']);
  assert.deepEqual(read('Left lower lobe opacity without effusion.'), ['opacity:present', 'pleural effusion:absent']);
  assert.deepEqual(read('No pneumothorax, but there is a small right pleural effusion.'), ['pneumothorax:absent', 'pleural effusion:present']);
});

test('negation cues after the finding: resolved, ruled out, not seen', () => {
  assert.deepEqual(read('The left apical pneumothorax has resolved.'), ['pneumothorax:absent']);
  assert.deepEqual(read('Pneumonia is ruled out.'), ['pneumonia:absent']);
  assert.deepEqual(read('Pleural effusion is not seen.'), ['pleural effusion:absent']);
  assert.deepEqual(read('Interval resolution of the right pleural effusion.'), ['pleural effusion:absent']);
  assert.deepEqual(read('The heart is not enlarged.'), ['cardiomegaly:absent']);
});

test('hedges are a hedged positive, never a negation', () => {
  assert.deepEqual(read('Cannot exclude pneumothorax.'), ['pneumothorax:possible']);
  assert.deepEqual(read('Small pleural effusion cannot be excluded.'), ['pleural effusion:possible']);
  assert.deepEqual(read('Possible right lower lobe pneumonia.'), ['pneumonia:possible']);
  assert.deepEqual(read('Findings suspicious for pulmonary edema.'), ['pulmonary edema:possible']);
  assert.deepEqual(read('Pneumonia is not excluded.'), ['pneumonia:possible']);
});

test('pseudo-negations and qualified negations', () => {
  assert.deepEqual(read('No change in the small left pleural effusion.'), ['pleural effusion:present']);
  assert.deepEqual(read('Near-complete resolution of the right pleural effusion.'), ['pleural effusion:present']);
  assert.deepEqual(read('No large pleural effusion.'), ['pleural effusion:absent(partial)']);
  assert.deepEqual(read('No pneumothorax or large pleural effusion.'), ['pneumothorax:absent', 'pleural effusion:absent(partial)']);
  assert.deepEqual(read('No other infiltrates or masses.'), ['consolidation:absent(partial)', 'mass:absent(partial)']);
  assert.deepEqual(read('No nodules are definitely seen.'), ['nodule:absent(partial)']);
  assert.deepEqual(read('Nodule not seen on the prior study.'), ['nodule:present']);
});

test('history and hypothesis are neither present nor absent', () => {
  assert.deepEqual(read('History of pneumonia.'), ['pneumonia:historical']);
  assert.deepEqual(read('Evaluate for pneumothorax.'), ['pneumothorax:hypothetical']);
});
