import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileReportGlob, reportGlobProblem } from './reportGlob.ts';

const matches = (glob: string, path: string) => {
  const compiled = compileReportGlob(glob);
  assert.notEqual(typeof compiled, 'string', `${glob}: ${compiled as string}`);
  return (compiled as Exclude<typeof compiled, string>).matches(path);
};

test('report globs: ** any folders, * and ? within a name, classes, braces, case-insensitive, dot files', () => {
  assert.equal(matches('**/*.report.md', '/home/u/case.report.md'), true);
  assert.equal(matches('**/*.report.md', '/home/u/.hidden/CASE.REPORT.MD'), true);
  assert.equal(matches('**/*.report.md', '/home/u/case.md'), false);
  assert.equal(matches('**/reports/*.md', '/w/reports/a.md'), true);
  assert.equal(matches('**/reports/*.md', '/w/reports/deep/a.md'), false);
  assert.equal(matches('/abs/**/x.md', '/abs/x.md'), true);
  assert.equal(matches('/abs/**/x.md', '/abs/q/r/x.md'), true);
  assert.equal(matches('reports/**', 'reports/x/y'), true);
  assert.equal(matches('reports/**', 'reports'), false);
  assert.equal(matches('**/{ct,mr}/*.{md,markdown}', '/w/mr/b.markdown'), true);
  assert.equal(matches('**/{ct,mr}/*.{md,markdown}', '/w/xr/a.md'), false);
  assert.equal(matches('**/[a-c]*.md', '/w/b1.md'), true);
  assert.equal(matches('**/[!a]*.md', '/w/abc.md'), false);
  assert.equal(matches('**/a?c.md', '/w/abc.md'), true);
  assert.equal(matches('x\\*y.md', 'x*y.md'), true);
  assert.equal(matches('x\\*y.md', 'xzy.md'), false);
});

test('report globs: a glob without / matches the file name; Windows separators are read as /', () => {
  assert.equal(matches('*.md', '/deep/folder/a.md'), true);
  assert.equal(matches('*.md', 'C:\\reports\\a.md'), true);
  assert.equal(matches('**/reports/*.md', 'C:\\w\\reports\\a.md'), true);
});

test('report globs: extended globs and unclosed braces are refused with the reason', () => {
  assert.match(reportGlobProblem('**/+(a|aa)*.md') ?? '', /extended glob patterns/);
  assert.match(reportGlobProblem('**/{a,b.md') ?? '', /a \{ has no closing \}/);
  assert.equal(reportGlobProblem('**/*.report.md'), undefined);
});
