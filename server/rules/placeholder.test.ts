import assert from 'node:assert/strict';
import { test } from 'node:test';
import { placeholder } from './placeholder.ts';
import { checkFixture, checkFixtureFile } from './testing/checkFixture.ts';

test('placeholder: flags every unfilled field, not XXXX, emphasis, links or horizontal rules', () => {
  const problems = checkFixtureFile([placeholder], new URL('./fixtures/placeholder.report.md', import.meta.url));
  assert.match(problems[0]!.message, /Unfilled template field "___"/);
  assert.equal(problems[0]!.severity, 'warning');
});

test('placeholder: patterns come from the configuration', () => {
  checkFixture([placeholder], '## Findings\nNodule ⟦placeholder|TBD⟧ and ___ here.\n## Impression\nOk.\n', { placeholders: ['\\bTBD\\b'] });
});

test('placeholder: severity is configurable and "off" silences it', () => {
  const problems = checkFixture([placeholder], '## Findings\nSize ⟦placeholder|___⟧.\n', { rules: { placeholder: 'error' } });
  assert.equal(problems[0]!.severity, 'error');
  checkFixture([placeholder], '## Findings\nSize ___.\n', { rules: { placeholder: 'off' } });
});
