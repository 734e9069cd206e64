import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SERVER_SETTINGS, validateServerSettings } from './serverSettings.ts';

test('promptLookup: a boolean is taken, anything else is reported and the default kept', () => {
  assert.equal(DEFAULT_SERVER_SETTINGS.promptLookup, false, 'off by default (slower on the CPU on IU conclusions)');
  assert.equal(validateServerSettings({ promptLookup: true }).settings.promptLookup, true);
  assert.equal(validateServerSettings({ promptLookup: false }).settings.promptLookup, false);
  const { settings, problems } = validateServerSettings({ promptLookup: 'yes' });
  assert.equal(settings.promptLookup, DEFAULT_SERVER_SETTINGS.promptLookup);
  assert.deepEqual(
    problems.map((p) => p.path),
    ['radiologyReport.promptLookup'],
  );
  assert.match(problems[0]!.message, /true or false/);
});
