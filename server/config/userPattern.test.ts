import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileReportPattern, isTextPattern, userPatternProblem, type TextPattern } from './userPattern.ts';

const NONE = new Set<string>();

function compile(source: string, builtIn: ReadonlySet<string> = NONE): TextPattern {
  const pattern = compileReportPattern(source, builtIn);
  assert.ok(isTextPattern(pattern), JSON.stringify(pattern));
  return pattern;
}

function all(pattern: TextPattern, text: string): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    out.push([match.index, match[0]]);
    if (match[0].length === 0) pattern.lastIndex++;
  }
  return out;
}

test('a workspace pattern searches like a global, case-insensitive RegExp, with UTF-16 indices', () => {
  const pattern = compile('_{3,}|\\bTBD\\b');
  assert.equal(pattern instanceof RegExp, false);
  assert.deepEqual(all(pattern, 'Size ___ mm, 😀 tbd, ____.'), [
    [5, '___'],
    [16, 'tbd'],
    [21, '____'],
  ]);
  assert.equal(pattern.lastIndex, 0);
  assert.equal(pattern.test('nothing here'), false);
  assert.equal(pattern.test('then TBD'), true);
  // Groups, named groups (JavaScript syntax) and lookbehind are accepted.
  const grouped = compile('(?<size>\\d+) (mm|cm)').exec('a 12 mm nodule');
  assert.deepEqual([...grouped!], ['12 mm', '12', 'mm']);
  assert.deepEqual(all(compile('(?<=size: )x+'), 'size: xx, xx'), [[6, 'xx']]);
});

test('built-in pattern sources run on JavaScript RegExp (lookahead included)', () => {
  const source = '(?<![*\\w])\\*{3}(?![*\\w])';
  assert.ok(compileReportPattern(source, new Set([source])) instanceof RegExp);
  assert.equal(isTextPattern(compileReportPattern(source, NONE)), false);
});

test('the reason a pattern is not accepted names what RE2 lacks', () => {
  assert.match(userPatternProblem('(a)\\1') ?? '', /^backreferences/);
  assert.match(userPatternProblem('a(?=b)') ?? '', /^lookahead/);
  assert.match(userPatternProblem('(?<=(a))b') ?? '', /^a lookbehind may not hold a capturing group/);
  assert.match(userPatternProblem('[a') ?? '', /^it is not a valid pattern \(missing closing \]/);
  assert.equal(userPatternProblem('(a+)+$'), undefined);
});
