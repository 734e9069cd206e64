import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseReport } from '../report/parseReport.ts';
import type { Report, SectionKind } from '../report/types.ts';
import { lintReport } from './lintReport.ts';
import { ALL_RULES } from './registry.ts';
import { SEVERITIES } from '../config/severity.ts';
import { RULE_SCOPES, type Problem, type Rule } from './rule.ts';
import { readFixture } from './testing/fixtureMarkers.ts';

const FIXTURES = new URL('./fixtures/', import.meta.url);
const reports: Report[] = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.report.md'))
  .sort()
  .map((name) => parseReport(readFixture(readFileSync(new URL(name, FIXTURES), 'utf8')).text));

/** Each rule's problems over every rule fixture (not only its own): what the metadata is checked against. */
function problemsOf(rule: Rule): Array<{ report: Report; problem: Problem }> {
  return reports.flatMap((report) => lintReport(report, {}, [rule]).map((problem) => ({ report, problem })));
}

test('rule metadata: ids are unique kebab-case, and every fact is one the code knows', () => {
  assert.equal(new Set(ALL_RULES.map((r) => r.id)).size, ALL_RULES.length);
  for (const rule of ALL_RULES) {
    assert.match(rule.id, /^[a-z]+(?:-[a-z]+)*$/, rule.id);
    assert.ok(SEVERITIES.includes(rule.defaultSeverity), rule.id);
    assert.ok(RULE_SCOPES.includes(rule.scope), rule.id);
    assert.ok(rule.description.endsWith('.'), `${rule.id}: the description is a sentence`);
    for (const [name, option] of Object.entries(rule.options ?? {})) {
      assert.notEqual(name, 'severity', `${rule.id}: severity is every rule's setting, not an option`);
      assert.equal(typeof option.default, option.type, `${rule.id}.${name}: the default has the option's type`);
    }
    if (rule.fix) assert.ok(rule.fix.summary.length > 0, rule.id);
    if (rule.generatedConclusion) assert.ok(rule.generatedConclusion.failure.length > 0, rule.id);
  }
});

test('rule metadata: a rule offers fixes only when it says so, and marks one preferred only when fix-all may apply it', () => {
  for (const rule of ALL_RULES) {
    const problems = problemsOf(rule).map((p) => p.problem);
    const fixed = problems.filter((p) => p.fixes?.length);
    if (!rule.fix) {
      assert.deepEqual(
        fixed.map((p) => p.message),
        [],
        `${rule.id} declares no fix`,
      );
      continue;
    }
    assert.ok(fixed.length > 0, `${rule.id} declares a fix; some fixture must show it`);
    for (const problem of fixed) {
      const preferred = problem.fixes!.filter((f) => f.isPreferred).length;
      assert.ok(preferred <= 1, `${rule.id}: at most one preferred fix a problem`);
      if (!rule.fix.fixAll) assert.equal(preferred, 0, `${rule.id} is not safe for fix-all, so no fix of it is preferred: ${problem.message}`);
    }
    if (rule.fix.fixAll)
      assert.ok(
        fixed.some((p) => p.fixes!.some((f) => f.isPreferred)),
        `${rule.id} is safe for fix-all; some fix must be preferred`,
      );
  }
});

test('rule metadata: conclusion- and findings-scoped rules put their problems in that section', () => {
  const inSection = (report: Report, offset: number, kind: SectionKind) =>
    report.sections.some((s) => s.kind === kind && offset >= s.span.start && offset <= s.span.end);
  for (const rule of ALL_RULES) {
    if (rule.scope === 'report') continue;
    const problems = problemsOf(rule);
    assert.ok(problems.length > 0, `${rule.id}: some fixture shows its problems`);
    for (const { report, problem } of problems) {
      assert.ok(inSection(report, problem.span.start, rule.scope), `${rule.id} (${rule.scope}): ${problem.message}`);
    }
  }
});

test('rule metadata: a diagnostic tag is one the editor can show', () => {
  for (const rule of ALL_RULES) for (const tag of rule.tags ?? []) assert.ok(['unnecessary', 'deprecated'].includes(tag), rule.id);
  assert.deepEqual(
    ALL_RULES.filter((r) => r.tags?.includes('unnecessary')).map((r) => r.id),
    ['duplicate-sentence'],
  );
});

test('rule metadata: the rules that check a generated conclusion are the conclusion rules plus unfilled fields, sex and repeats', () => {
  assert.deepEqual(
    ALL_RULES.filter((r) => r.generatedConclusion)
      .map((r) => r.id)
      .sort(),
    [
      'contradiction',
      'duplicate-sentence',
      'laterality-mismatch',
      'measurement-mismatch',
      'omitted-finding',
      'placeholder',
      'sex-mismatch',
      'unsupported-conclusion',
    ],
  );
});
