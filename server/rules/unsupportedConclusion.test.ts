import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseReport } from '../report/parseReport.ts';
import { lintReport } from './lintReport.ts';
import { applyEdits, checkFixture, checkFixtureFile } from './testing/checkFixture.ts';
import { unsupportedConclusion } from './unsupportedConclusion.ts';

test('unsupported-conclusion: a positive statement with no support in the findings; interpretations and recommendations pass', () => {
  const [problem] = checkFixtureFile([unsupportedConclusion], new URL('./fixtures/unsupported-conclusion.report.md', import.meta.url));
  assert.match(problem!.message, /The conclusion states pleural effusion \(“Small right pleural effusion\.”\), which the findings do not describe\./);
  assert.equal(problem!.severity, 'warning');
});

test('unsupported-conclusion: the fix removes the statement; hedged statements are checked on request', () => {
  const text = '## Findings\nClear lungs.\n\n## Impression\nNo acute disease. Large hiatal hernia.\n';
  const [p] = lintReport(parseReport(text), {}, [unsupportedConclusion]);
  assert.equal(applyEdits(text, p!.fixes![0]!.edits), '## Findings\nClear lungs.\n\n## Impression\nNo acute disease. \n');
  checkFixture([unsupportedConclusion], '## Findings\nClear lungs.\n\n## Impression\nPossible small pneumothorax.\n');
  checkFixture([unsupportedConclusion], '## Findings\nClear lungs.\n\n## Impression\nPossible small ⟦unsupported-conclusion|pneumothorax⟧.\n', {
    rules: { 'unsupported-conclusion': { includeHedged: true } },
  });
});

test('unsupported-conclusion: supported by a finding of its group, its evidence words, or a stated pattern', () => {
  checkFixture([unsupportedConclusion], '## Findings\nBlunting of the left costophrenic angle.\n\n## Impression\nSmall left pleural effusion.\n');
  checkFixture([unsupportedConclusion], '## Findings\nThe cardiac silhouette is enlarged.\n\n## Impression\nCardiomegaly.\n');
  checkFixture([unsupportedConclusion], '## Findings\nRounded opacity in the right lung.\n\n## Impression\nRight lung nodule.\n');
  checkFixture([unsupportedConclusion], '## Findings\nAtelectasis at the bases.\n\n## Impression\n⟦unsupported-conclusion|Lung nodule⟧.\n');
});
