import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ReportConfig } from '../../config/reportConfig.ts';
import { parseReport } from '../../report/parseReport.ts';
import { lintReport } from '../lintReport.ts';
import type { Problem, Rule, TextEdit } from '../rule.ts';
import { markProblems, readFixture } from './fixtureMarkers.ts';

/** Lints a marked fixture with the given rules and asserts the problems are exactly where the markers say. */
export function checkFixture(rules: readonly Rule[], marked: string, config: ReportConfig = {}): Problem[] {
  const { text, expected } = readFixture(marked);
  const problems = lintReport(parseReport(text), config, rules);
  const actual = markProblems(text, problems);
  const wanted = markProblems(text, expected);
  assert.equal(actual, wanted, 'problems differ from the fixture markers');
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
