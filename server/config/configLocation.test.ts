import assert from 'node:assert/strict';
import { test } from 'node:test';
import { locateConfigPath, locateJsonError } from './configLocation.ts';

const TEXT = `{
  "rules": {
    "placeholder": "error",
    "lateralty-mismatch": "off",
    "missing-section": { "conclusionHeading": "Conclusion", "findingHeading": "Befund" }
  },
  "placeholders": ["_{3,}", "[ ?]"],
  "sections": { "conclusion": ["Beurteilung"] }
}
`;

test('locateConfigPath: the key of a rule, of an option, and an item of a list', () => {
  assert.deepEqual(locateConfigPath(TEXT, 'rules.lateralty-mismatch'), { start: { line: 3, character: 4 }, end: { line: 3, character: 24 } });
  assert.deepEqual(locateConfigPath(TEXT, 'rules.missing-section.findingHeading'), { start: { line: 4, character: 60 }, end: { line: 4, character: 76 } });
  assert.deepEqual(locateConfigPath(TEXT, 'placeholders[1]'), { start: { line: 6, character: 28 }, end: { line: 6, character: 34 } });
  assert.deepEqual(locateConfigPath(TEXT, 'sections'), { start: { line: 7, character: 2 }, end: { line: 7, character: 12 } });
});

test('locateConfigPath: a path not in the text gives its nearest ancestor; a first step not there, nothing', () => {
  assert.deepEqual(locateConfigPath(TEXT, 'rules.placeholder.severity'), locateConfigPath(TEXT, 'rules.placeholder'));
  assert.equal(locateConfigPath(TEXT, 'vocabulary.findings[0]'), undefined);
  assert.equal(locateConfigPath(TEXT, ''), undefined);
});

test('locateConfigPath: a byte order mark, escapes in keys, a duplicate key and broken JSON do not mislead it', () => {
  assert.deepEqual(locateConfigPath('\uFEFF{"rules": {}}', 'rules'), { start: { line: 0, character: 1 }, end: { line: 0, character: 8 } });
  assert.deepEqual(locateConfigPath('{"a\\"b": 1, "rules": 2}', 'rules'), { start: { line: 0, character: 12 }, end: { line: 0, character: 19 } });
  assert.deepEqual(locateConfigPath('{"rules": 1,\n"rules": 2}', 'rules'), { start: { line: 1, character: 0 }, end: { line: 1, character: 7 } });
  assert.deepEqual(locateConfigPath('{"rules": {"x": 1,, }', 'rules.x'), { start: { line: 0, character: 11 }, end: { line: 0, character: 14 } });
});

test('locateJsonError: where invalid JSON first goes wrong, and nothing for valid JSON', () => {
  assert.deepEqual(locateJsonError('{\n  "rules": nope\n}'), { start: { line: 1, character: 11 }, end: { line: 1, character: 12 } });
  assert.deepEqual(locateJsonError('{ "a": 1 } x'), { start: { line: 0, character: 11 }, end: { line: 0, character: 12 } });
  assert.deepEqual(locateJsonError('{ "a": [1, 2'), { start: { line: 0, character: 12 }, end: { line: 0, character: 12 } });
  assert.deepEqual(locateJsonError('{ "a": {}, }'), { start: { line: 0, character: 11 }, end: { line: 0, character: 12 } });
  assert.equal(locateJsonError(TEXT), undefined);
  assert.equal(locateJsonError('\uFEFF[1, "two", {"three": [true, false, null]}, -4.5e3]'), undefined);
});
