import { test } from 'node:test';
import { emptyConclusion } from './emptyConclusion.ts';
import { checkFixture, checkFixtureFile } from './testing/checkFixture.ts';

test('empty-conclusion: an impression of only a blank field and a comment is empty', () => {
  checkFixtureFile([emptyConclusion], new URL('./fixtures/empty-conclusion.report.md', import.meta.url));
});

test('empty-conclusion: an empty impression is flagged on its heading', () => {
  checkFixture([emptyConclusion], '## Findings\nClear lungs.\n\n⟦empty-conclusion|## Impression⟧\n\n');
});

test('empty-conclusion: a dictation label with nothing after it', () => {
  checkFixture([emptyConclusion], 'FINDINGS: Clear lungs.\n⟦empty-conclusion|IMPRESSION:⟧\n');
});

test('empty-conclusion: only placeholders or comments count as empty', () => {
  checkFixture([emptyConclusion], '## Findings\nClear.\n\n⟦empty-conclusion|## Conclusion⟧\n___\n<!-- dictate here -->\n');
});

test('empty-conclusion: any text is a conclusion; no conclusion section is missing-section, not this', () => {
  checkFixture([emptyConclusion], '## Findings\nClear.\n\n## Impression\nNormal chest.\n');
  checkFixture([emptyConclusion], '## Findings\nClear.\n');
});
