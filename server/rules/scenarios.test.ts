/**
 * The scenario harness (markdownlint's test-scenarios, rust-analyzer's check_fix): every fixture report runs with every
 * rule; its markers must name every problem (rule, text and, where given, a piece of the message); then "fix all" is
 * applied and the report linted again until no fixable problem is left, as a user pressing "Fix all" would.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseReport } from '../report/parseReport.ts';
import { preferredFixEdits } from './fixAll.ts';
import { lintReport } from './lintReport.ts';
import { ALL_RULES } from './registry.ts';
import { applyEdits, checkFixture } from './testing/checkFixture.ts';
import { readFixture } from './testing/fixtureMarkers.ts';

const FIXTURES = new URL('./fixtures/', import.meta.url);
const fixtures = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.report.md'))
  .sort();

/** At most this many "Fix all" rounds; each must leave fewer fixable problems than the one before. */
const MAX_ROUNDS = 4;
/** Problems a fix may leave on purpose, for the radiologist to complete. */
const LEFT_FOR_THE_RADIOLOGIST = new Set(['placeholder', 'empty-conclusion']);

test('the scenario fixtures are there', () => {
  assert.ok(fixtures.length >= 20, `only ${fixtures.length} fixtures under server/rules/fixtures`);
});

for (const name of fixtures) {
  test(`scenario ${name}: every rule's problems where the markers say, then "Fix all" until nothing fixable is left`, () => {
    const marked = readFileSync(new URL(name, FIXTURES), 'utf8');
    const problems = checkFixture(ALL_RULES, marked);
    const original = readFixture(marked).text;
    let text = original;
    let fixable = problems.filter((p) => p.fixes?.some((f) => f.isPreferred)).length;
    for (let round = 1; fixable > 0; round++) {
      assert.ok(round <= MAX_ROUNDS, `${name}: still ${fixable} fixable problem(s) after ${MAX_ROUNDS} rounds of "Fix all"`);
      const edits = preferredFixEdits(lintReport(parseReport(text), {}, ALL_RULES));
      text = applyEdits(text, edits);
      const after = lintReport(parseReport(text), {}, ALL_RULES);
      const left = after.filter((p) => p.fixes?.some((f) => f.isPreferred));
      assert.ok(
        left.length < fixable,
        `${name}: round ${round} of "Fix all" left ${left.length} fixable problem(s) of ${fixable}:\n${left.map((p) => `${p.ruleId}: ${p.message}`).join('\n')}`,
      );
      fixable = left.length;
    }
    // What a fix wrote is itself clean, except what it leaves for the radiologist on purpose: a field of the
    // communication template to fill in, an added conclusion section to write.
    for (const problem of lintReport(parseReport(text), {}, ALL_RULES)) {
      const quoted = text.slice(problem.span.start, problem.span.end);
      if (quoted.length === 0 || original.includes(quoted) || LEFT_FOR_THE_RADIOLOGIST.has(problem.ruleId)) continue;
      assert.fail(`${name}: ${problem.ruleId} on text a fix wrote: "${quoted}" (${problem.message})`);
    }
  });
}
