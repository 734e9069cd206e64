import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateReportConfig } from '../config/reportConfig.ts';
import { checkRuleSettings } from './ruleSettings.ts';

const check = (value: unknown) => checkRuleSettings(validateReportConfig(value, 'rc'), 'rc');

test('rule settings: an unknown rule id is reported with the nearest rule and left out; the rest applies', () => {
  const { config, problems } = check({ rules: { 'lateralty-mismatch': 'off', placeholder: 'error' }, placeholders: ['TBD'] });
  assert.deepEqual(config.rules, { placeholder: 'error' });
  assert.deepEqual(config.placeholders, ['TBD']);
  assert.deepEqual(problems, [
    { source: 'rc', path: 'rules.lateralty-mismatch', message: 'is not a rule; did you mean "laterality-mismatch"? (`radreport rules` lists them)' },
  ]);
  assert.match(check({ rules: { spelling: 'off' } }).problems[0]!.message, /^is not a rule \(`radreport rules` lists them\)$/);
});

test('rule settings: an unknown option names the nearest option, or the options the rule has', () => {
  const { config, problems } = check({
    rules: {
      'unsupported-conclusion': { includeHedge: true, severity: 'error' },
      'missing-section': { heading: 'Conclusion' },
      'sex-mismatch': { strict: true },
      placeholder: { severty: 'error' },
    },
  });
  assert.deepEqual(config.rules, { 'unsupported-conclusion': { severity: 'error' }, 'missing-section': {}, 'sex-mismatch': {}, placeholder: {} });
  assert.deepEqual(
    problems.map((p) => `${p.path} ${p.message}`),
    [
      'rules.unsupported-conclusion.includeHedge is not an option of unsupported-conclusion; did you mean "includeHedged"?',
      'rules.missing-section.heading is not an option of missing-section; its options are "findingsHeading", "conclusionHeading"',
      'rules.sex-mismatch.strict is not an option of sex-mismatch; it has no options, only "severity"',
      'rules.placeholder.severty is not an option of placeholder; did you mean "severity"?',
    ],
  );
});

test('rule settings: an option of the wrong type is reported and its default applies', () => {
  const { config, problems } = check({
    rules: {
      'unsupported-conclusion': { includeHedged: 'yes' },
      'critical-communication': { template: 42 },
      'missing-section': { conclusionHeading: 'Conclusion' },
    },
  });
  assert.deepEqual(config.rules, { 'unsupported-conclusion': {}, 'critical-communication': {}, 'missing-section': { conclusionHeading: 'Conclusion' } });
  assert.deepEqual(
    problems.map((p) => `${p.path} ${p.message}`),
    [
      'rules.unsupported-conclusion.includeHedged must be true or false, got "yes"; the default false applies',
      'rules.critical-communication.template must be a string, got 42; the default "These findings were communicated to Dr. ___ by ___ on ___ at ___." applies',
    ],
  );
});

test('rule settings: a valid configuration passes untouched, and no value makes it throw', () => {
  const value = { rules: { placeholder: 'error', 'omitted-finding': false, 'missing-section': { severity: 'warning', conclusionHeading: 'Conclusion' } } };
  assert.deepEqual(check(value), validateReportConfig(value, 'rc'));
  for (const rules of [null, [], 'x', { a: null }, { placeholder: [] }, { placeholder: { template: undefined } }, { ['__proto__']: {} }]) {
    assert.doesNotThrow(() => check({ rules }));
  }
});
