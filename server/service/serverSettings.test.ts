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

test('rules in the editor settings are checked against the registry: the name meant is said, the rest applies', () => {
  const { settings, problems } = validateServerSettings({
    rules: { 'omited-finding': 'off', 'unsupported-conclusion': { includeHedged: 'no', severity: 'error' } },
  });
  assert.deepEqual(settings.config.rules, { 'unsupported-conclusion': { severity: 'error' } });
  assert.deepEqual(
    problems.map((p) => `${p.path} ${p.message}`),
    [
      'radiologyReport.rules.omited-finding is not a rule; did you mean "omitted-finding"? (`radreport rules` lists them)',
      'radiologyReport.rules.unsupported-conclusion.includeHedged must be true or false, got "no"; the default false applies',
    ],
  );
});

test('templates: a folder or a list of folders; none by default; anything else is reported', () => {
  assert.deepEqual(DEFAULT_SERVER_SETTINGS.templates, []);
  assert.deepEqual(validateServerSettings({ templates: 'radiology/templates' }).settings.templates, ['radiology/templates']);
  assert.deepEqual(validateServerSettings({ templates: ['a', '/b'] }).settings.templates, ['a', '/b']);
  const { settings, problems } = validateServerSettings({ templates: [3] });
  assert.deepEqual(settings.templates, []);
  assert.match(problems[0]!.message, /a folder or a list of folders/);
});
