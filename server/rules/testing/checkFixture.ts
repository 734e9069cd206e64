import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ReportConfig } from '../../config/reportConfig.ts';
import { parseReport } from '../../report/parseReport.ts';
import { lintReport } from '../lintReport.ts';
import type { Problem, Rule, TextEdit } from '../rule.ts';
import { markProblems, readFixture } from './fixtureMarkers.ts';

/**
 * Lints a marked fixture with the given rules and asserts their problems are exactly where the markers say (markers of
 * other rules are for the scenario test that runs every rule), each with the message piece its marker gives.
 */
export function checkFixture(rules: readonly Rule[], marked: string, config: ReportConfig = {}): Problem[] {
  const { text, expected } = readFixture(marked);
  const problems = lintReport(parseReport(text), config, rules);
  const mine = expected.filter((e) => rules.some((rule) => rule.id === e.ruleId));
  const actual = markProblems(text, problems);
  const wanted = markProblems(text, mine);
  assert.equal(actual, wanted, 'problems differ from the fixture markers');
  for (const want of mine) {
    if (want.message === undefined) continue;
    const problem = problems.find((p) => p.ruleId === want.ruleId && p.span.start === want.span.start && p.span.end === want.span.end);
    assert.ok(problem?.message.includes(want.message), `the ${want.ruleId} problem on "${want.text}" says "${problem?.message}", not "${want.message}"`);
  }
  return problems;
}

export function checkFixtureFile(rules: readonly Rule[], url: URL, config: ReportConfig = {}): Problem[] {
  return checkFixture(rules, readFileSync(url, 'utf8'), config);
}

/** Applies text edits (non-overlapping, any order) to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const edit of [...edits].sort((a, b) => b.span.start - a.span.start)) {
    out = out.slice(0, edit.span.start) + edit.newText + out.slice(edit.span.end);
  }
  return out;
}
