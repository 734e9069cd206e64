import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { defaultVocabulary } from '../clinical/vocabulary.ts';
import { parseReport } from '../report/parseReport.ts';
import { buildConclusionPlan } from './conclusionPlan.ts';
import { compareConclusions, comparisonMarkdown } from './conclusionComparison.ts';

const REPORT = parseReport(readFileSync(new URL('./fixtures/plan.report.md', import.meta.url), 'utf8'));

test('each conclusion read against the plan: what it states, what it leaves out, what it adds', () => {
  const vocabulary = defaultVocabulary();
  const plan = buildConclusionPlan(REPORT, vocabulary);
  const comparison = compareConclusions(
    REPORT,
    plan,
    {
      resident: '1. Left lower lobe pneumonia.\n2. Right pneumothorax.',
      generated: '1. New airspace opacity in the left lower lobe.\n2. Small left pleural effusion.\n3. Mild cardiomegaly.',
    },
    {},
    vocabulary,
  );
  assert.deepEqual(comparison.resident.leftOut, ['Small left pleural effusion.', 'Mild cardiomegaly.']);
  assert.deepEqual(comparison.generated.leftOut, []);
  assert.ok(
    comparison.resident.problems.some((p) => /pneumothorax/i.test(p)),
    comparison.resident.problems.join('; '),
  );
  assert.deepEqual(comparison.generated.problems, []);
  assert.deepEqual(
    comparison.items.map((row) => [row.item.statement, row.resident, row.generated]),
    [
      ['New airspace opacity in the left lower lobe.', 1, 1],
      ['Small left pleural effusion.', undefined, 2],
      ['Mild cardiomegaly.', undefined, 3],
    ],
  );
  const markdown = comparisonMarkdown(comparison, 'source: model');
  assert.match(
    markdown,
    /^# Your conclusion and the generated one\n\n## Your conclusion\n\n> 1\. Left lower lobe pneumonia\.\n> 2\. Right pneumothorax\.\n\n## Generated conclusion \(source: model\)\n/,
  );
  assert.match(markdown, /\| Small left pleural effusion\. \| ✗ left out \| ✓ statement 2 \|/);
  assert.match(markdown, /## What your conclusion leaves out\n\n- Small left pleural effusion\.\n- Mild cardiomegaly\.\n/);
  assert.match(markdown, /## What the generated conclusion leaves out\n\nNothing the plan requires\.\n/);
  assert.match(markdown, /## What the check finds in the generated conclusion\n\nNothing: it says nothing the findings do not\.\n$/);
});

test('an empty conclusion leaves out everything and says so', () => {
  const vocabulary = defaultVocabulary();
  const plan = buildConclusionPlan(REPORT, vocabulary);
  const comparison = compareConclusions(REPORT, plan, { resident: '', generated: plan.statements.join(' ') }, {}, vocabulary);
  assert.equal(comparison.resident.leftOut.length, 3);
  assert.match(comparisonMarkdown(comparison), /## Your conclusion\n\n> \*\(empty\)\*\n/);
});
