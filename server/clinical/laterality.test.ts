import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseReport } from '../report/parseReport.ts';
import { examSides, rewriteSideWord } from './laterality.ts';
import { analyzeReport } from './reportAnalysis.ts';
import { defaultVocabulary } from './vocabulary.ts';

function sides(sentence: string): string[] {
  const report = parseReport(`## Findings\n${sentence}\n`);
  return analyzeReport(report, defaultVocabulary()).findings.flatMap((s) =>
    s.sides.map((m) => `${m.word}=${m.side}:${m.anatomy?.anatomy.id ?? '-'}/${m.finding?.finding.id ?? '-'}`),
  );
}

test('a side qualifies the structure or finding after it', () => {
  assert.deepEqual(sides('Left lower lobe opacity.'), ['Left=left:lower lobe/opacity']);
  assert.deepEqual(sides('Small right-sided pleural effusion.'), ['right=right:pleura/pleural effusion']);
  assert.deepEqual(sides('Small left effusion.'), ['left=left:-/pleural effusion']);
});

test('a side after what it qualifies: "on the left", "bilaterally"', () => {
  assert.deepEqual(sides('Small effusion on the left.'), ['left=left:-/pleural effusion']);
  assert.deepEqual(sides('Patchy opacities bilaterally.'), ['bilaterally=bilateral:-/opacity']);
  assert.deepEqual(sides('There is a 1.4 cm nodule in the right upper lobe.'), ['right=right:upper lobe/nodule']);
});

test('abbreviations: lobes, Lt/Rt, and L/R only before a structure', () => {
  assert.deepEqual(sides('RLL consolidation.'), ['RLL=right:lower lobe/consolidation']);
  assert.deepEqual(sides('Lt hip fracture.'), ['Lt=left:hip/fracture']);
  assert.deepEqual(sides('Mild degenerative change at L4-5.'), []);
});

test('words that carry a side, both sides, and comparisons of sides', () => {
  assert.deepEqual(sides('Bibasilar atelectasis.'), ['Bibasilar=bilateral:lung base/atelectasis']);
  assert.deepEqual(sides('Basilar atelectasis, left greater than right.'), ['left=bilateral:-/atelectasis']);
});

test('the side word is rewritten in its own style', () => {
  assert.equal(rewriteSideWord('Right', 'left'), 'Left');
  assert.equal(rewriteSideWord('RIGHT', 'left'), 'LEFT');
  assert.equal(rewriteSideWord('right', 'left'), 'left');
  assert.equal(rewriteSideWord('RLL', 'left'), 'LLL');
  assert.equal(rewriteSideWord('Rt', 'left'), 'Lt');
  assert.equal(rewriteSideWord('RML', 'left'), undefined);
});

test('exam sides: front matter for the whole exam, the title per region', () => {
  const vocabulary = defaultVocabulary();
  assert.deepEqual(examSides(parseReport('---\nside: L\n---\n## Findings\nx\n').meta, vocabulary), [{ side: 'left', region: '*', source: 'front matter' }]);
  assert.deepEqual(examSides(parseReport('# MR LEFT KNEE\n\n## Findings\nx\n').meta, vocabulary), [{ side: 'left', region: 'knee', source: 'exam title' }]);
  assert.deepEqual(examSides(parseReport('# PA and lateral chest; right shoulder 3 views\n\n## Findings\nx\n').meta, vocabulary), [
    { side: 'right', region: 'shoulder', source: 'exam title' },
  ]);
  assert.deepEqual(examSides(parseReport('# Xray Chest PA and Lateral\n\n## Findings\nx\n').meta, vocabulary), []);
});
