import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readConfigText } from './configResolver.ts';

test('a .radreportrc.json: each problem is marked on its key in the file, a JSON error where it is', () => {
  const text = '{\n  "rules": {\n    "lateralty-mismatch": "off",\n    "unsupported-conclusion": { "includeHedged": 1 }\n  },\n  "sectons": {}\n}\n';
  const { config, problems } = readConfigText('/p/.radreportrc.json', text);
  assert.deepEqual(config, { rules: { 'unsupported-conclusion': {} } });
  assert.deepEqual(
    problems.map((p) => [p.path, p.range]),
    [
      ['sectons', { start: { line: 5, character: 2 }, end: { line: 5, character: 11 } }],
      ['rules.lateralty-mismatch', { start: { line: 2, character: 4 }, end: { line: 2, character: 24 } }],
      ['rules.unsupported-conclusion.includeHedged', { start: { line: 3, character: 32 }, end: { line: 3, character: 47 } }],
    ],
  );
  assert.match(problems[0]!.message, /unknown setting; did you mean "sections"\?/);
  const broken = readConfigText('/p/.radreportrc.json', '{\n  "rules": { "placeholder": "off" }\n  "sections": {}\n}');
  assert.deepEqual(broken.problems[0]!.range, { start: { line: 2, character: 2 }, end: { line: 2, character: 3 } });
  assert.match(broken.problems[0]!.message, /is not valid JSON/);
});
