import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contradiction } from './contradiction.ts';
import { checkFixture, checkFixtureFile } from './testing/checkFixture.ts';

test('contradiction: asserting what the findings negate, negating what they assert, hedged positives count', () => {
  const problems = checkFixtureFile([contradiction], new URL('./fixtures/contradiction.report.md', import.meta.url));
  assert.match(problems[0]!.message, /The conclusion states pneumothorax, but the findings negate it: “No pneumothorax\.”/);
  assert.match(problems[1]!.message, /The conclusion negates pleural effusion, but the findings state it/);
  assert.match(problems[2]!.message, /as a possibility/);
  assert.equal(problems[0]!.severity, 'error');
});

test('contradiction: partial negations, other sides, other organs, history and resolved findings are no contradiction', () => {
  checkFixture([contradiction], '## Findings\nNo large pleural effusion.\n\n## Impression\nSmall pleural effusion.\n');
  checkFixture([contradiction], '## Findings\nNo left pleural effusion. Small right pleural effusion.\n\n## Impression\nSmall right pleural effusion.\n');
  checkFixture([contradiction], '## Findings\nNo rib fracture.\n\n## Impression\nHealed clavicle fracture.\n');
  checkFixture([contradiction], '## Findings\nHealed left rib fracture.\n\n## Impression\nNo acute fracture.\n');
  checkFixture([contradiction], '## Findings\nThe pneumothorax has resolved.\n\n## Impression\nResolution of the pneumothorax.\n');
  checkFixture([contradiction], '## Findings\nNo pneumonia.\n\n## Impression\nHistory of pneumonia.\n');
  checkFixture([contradiction], '## Findings\nNo change in the small left pleural effusion.\n\n## Impression\nStable left pleural effusion.\n');
});

test('contradiction: a general denial covers the specific finding', () => {
  checkFixture([contradiction], '## Findings\nMild congestion without edema.\n\n## Impression\n⟦contradiction|Pulmonary edema⟧.\n');
  checkFixture([contradiction], '## Findings\nStable cardiomegaly.\n\n## Impression\nNo ⟦contradiction|cardiomegaly⟧.\n');
});
