import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseReport } from '../report/parseReport.ts';
import { analyzeReport } from './reportAnalysis.ts';
import { vocabularyFor } from './vocabulary.ts';

const findingsOf = (findings: string) =>
  analyzeReport(parseReport(`## Findings\n${findings}\n\n## Impression\nPending.\n`), vocabularyFor()).findings.map((s) => ({
    ids: s.findings.map((m) => m.finding.id),
    openChoice: s.openChoice ?? false,
  }));

test('a template line whose choice is not made states no finding; a ticked box or a blank value does', () => {
  assert.deepEqual(findingsOf('Pleural effusion: [ ] yes [] no.'), [{ ids: [], openChoice: true }]);
  assert.deepEqual(findingsOf('Heart size [select: normal / enlarged].'), [{ ids: [], openChoice: true }]);
  assert.deepEqual(findingsOf('Pneumothorax {{present/absent}}. Small left pleural effusion.'), [
    { ids: [], openChoice: true },
    { ids: ['pleural effusion'], openChoice: false },
  ]);
  assert.deepEqual(
    findingsOf('Pleural effusion: [x] yes [ ] no.').map((s) => s.ids),
    [['pleural effusion']],
  );
  assert.deepEqual(findingsOf('Right upper lobe nodule measures ___ mm.'), [{ ids: ['nodule'], openChoice: false }]);
});
