import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseReport } from '../report/parseReport.ts';
import { lintReport } from './lintReport.ts';
import { ALL_RULES } from './registry.ts';
import { templateSectionOrder } from './templateSectionOrder.ts';
import { checkFixture, checkFixtureFile } from './testing/checkFixture.ts';

const TEMPLATE = '---\ntype: radiology-report-template\n---\n';

test('template-section-order: a comparison after the findings is out of the default order', () => {
  const [problem] = checkFixtureFile([templateSectionOrder], new URL('./fixtures/template-section-order.report.md', import.meta.url));
  assert.match(problem!.message, /"Comparison" \(comparison\) comes after "Findings" \(findings\)/);
  assert.equal(problem!.severity, 'warning');
});

test("template-section-order: the department's order is an option; sections it does not name are free", () => {
  const marked = `${TEMPLATE}## Findings\nLiver: Normal.\n\n## Notes\nFree text.\n\n⟦template-section-order|## Technique⟧\nAxial.\n\n## Impression\nNormal.\n`;
  checkFixture([templateSectionOrder], marked);
  const text = `${TEMPLATE}## Findings\nLiver: Normal.\n\n## Technique\nAxial.\n\n## Impression\nNormal.\n`;
  assert.deepEqual(
    lintReport(parseReport(text), { rules: { 'template-section-order': { order: 'findings, technique, conclusion' } } }, [templateSectionOrder]),
    [],
  );
});

test('template-section-order: a report (not a template) is left to the report rules', () => {
  const text = '## Findings\nNormal.\n\n## Technique\nAxial.\n\n## Impression\nNormal.\n';
  assert.deepEqual(lintReport(parseReport(text), {}, [templateSectionOrder]), []);
  assert.equal(lintReport(parseReport(text), {}, [templateSectionOrder], { template: true }).length, 1);
});

test('template mode: unfilled fields, placeholders and an empty impression are expected in a template, not reported', () => {
  const text = `${TEMPLATE}# CT head\n\n## Clinical information\n___\n\n## Findings\nHemorrhage: ___\nRight lateral ventricle: Normal.\nRight lateral ventricle: Normal.\n\n## Impression\n`;
  const asReport = new Set(lintReport(parseReport(text.slice(TEMPLATE.length)), {}, ALL_RULES).map((p) => p.ruleId));
  assert.ok(asReport.has('placeholder') && asReport.has('empty-conclusion'), [...asReport].join(', '));
  assert.deepEqual(
    lintReport(parseReport(text), {}, ALL_RULES).map((p) => p.ruleId),
    ['template-duplicate-field'],
  );
  assert.deepEqual(
    lintReport(parseReport('# CT head\n\n## Findings\nNormal.\n'), {}, ALL_RULES, { template: true }).map((p) => p.ruleId),
    ['missing-section'],
  );
});

test('template-section-order: subsections and "Label:" field lines are not sections of the order', () => {
  const text = `${TEMPLATE}# CT chest\n\n## Findings\n\n### Technique quality\nMotion: None.\n\nComparison: None.\n\n## Impression\nNormal.\n`;
  assert.deepEqual(lintReport(parseReport(text), {}, [templateSectionOrder]), []);
});
