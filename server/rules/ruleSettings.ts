import { didYouMean } from '../config/nearestName.ts';
import type { ConfigProblem, RuleSetting, ValidatedConfig } from '../config/reportConfig.ts';
import { ALL_RULES } from './registry.ts';
import type { Rule, RuleOption } from './rule.ts';

/**
 * Checks the `rules` of a validated configuration against the registry: an unknown rule id, an option the rule does not
 * have, or an option of the wrong type is a problem that names the nearest valid name ("did you mean …?") and is left
 * out, so the rule runs with its default; the rest of the configuration still applies. Never throws.
 */
export function checkRuleSettings(validated: ValidatedConfig, source: string, rules: readonly Rule[] = ALL_RULES): ValidatedConfig {
  const settings = validated.config.rules;
  if (!settings) return validated;
  const problems: ConfigProblem[] = [...validated.problems];
  const problem = (path: string, message: string) => problems.push({ source, path, message });
  const ids = rules.map((rule) => rule.id);
  const kept: Record<string, RuleSetting> = {};
  for (const [id, setting] of Object.entries(settings)) {
    const rule = rules.find((r) => r.id === id);
    if (!rule) {
      problem(`rules.${id}`, `is not a rule${didYouMean(id, ids)} (\`radreport rules\` lists them)`);
      continue;
    }
    if (typeof setting !== 'object') {
      kept[id] = setting;
      continue;
    }
    const options = rule.options ?? {};
    const names = Object.keys(options);
    const checked: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(setting)) {
      if (name === 'severity') {
        checked[name] = value;
        continue;
      }
      const option = options[name];
      if (!option) {
        const known = names.length ? `; its options are ${names.map((n) => `"${n}"`).join(', ')}` : '; it has no options, only "severity"';
        const near = didYouMean(name, [...names, 'severity']);
        problem(`rules.${id}.${name}`, `is not an option of ${id}${near || known}`);
      } else if (typeof value !== option.type || (option.type === 'number' && !Number.isFinite(value))) {
        problem(`rules.${id}.${name}`, `must be ${article(option)}, got ${describe(value)}; the default ${JSON.stringify(option.default)} applies`);
      } else checked[name] = value;
    }
    kept[id] = checked as RuleSetting;
  }
  return { config: { ...validated.config, rules: kept }, problems };
}

function article(option: RuleOption): string {
  return option.type === 'boolean' ? 'true or false' : `a ${option.type}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `${JSON.stringify(value)}`;
}
