/**
 * Writes the rules table of docs/rules/README.md from the rule registry (`npm run docs:rules`), between the markers
 * `<!-- rules-table:start -->` and `<!-- rules-table:end -->`. `test/unit/ruleContract.test.ts` fails when the checked-in
 * table is not what this writes, so a rule's facts are stated in one place: its metadata.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ALL_RULES } from '../server/rules/registry.ts';
import type { Rule, RuleOption } from '../server/rules/rule.ts';

export const RULES_README = fileURLToPath(new URL('../docs/rules/README.md', import.meta.url));
const START = '<!-- rules-table:start: written by `npm run docs:rules` from the rules\' metadata; do not edit by hand -->';
const END = '<!-- rules-table:end -->';

const SCOPE: Record<Rule['scope'], string> = {
  conclusion: 'conclusion',
  findings: 'findings',
  report: 'whole report',
};

/** The generated part: the table, and which rules also check a generated conclusion. */
export function renderRulesTable(rules: readonly Rule[] = ALL_RULES): string {
  // Markdown would read `___` or `[ ]` in a description as emphasis or a link; code spans are left as they are.
  const plain = (text: string) => text.split(/(`[^`]*`)/).map((part, i) => (i % 2 ? part : part.replace(/[\\_*[\]<>]/g, '\\$&'))).join('');
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const option = (name: string, o: RuleOption) => `\`${name}\`: ${o.type}, default \`${String(o.default)}\``;
  const rows = rules.map((rule) =>
    [
      `[${rule.id}](${rule.id}.md)`,
      rule.defaultSeverity,
      SCOPE[rule.scope],
      plain(rule.description),
      rule.fix ? `${rule.fix.summary}${rule.fix.fixAll ? ' (fix all)' : ''}` : '—',
      Object.entries(rule.options ?? {}).map(([name, o]) => option(name, o)).join('; ') || '—',
    ].map(cell),
  );
  const guarded = rules.filter((rule) => rule.generatedConclusion).map((rule) => `[${rule.id}](${rule.id}.md)`);
  return [
    START,
    '| Rule | Default | Scope | Checks | Quick fix | Options |',
    '|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    '',
    'Scope: where a rule\'s problems lie — in the conclusion (judged against the findings), in the findings (what the',
    'conclusion leaves out), or anywhere in the report. "Fix all" (`source.fixAll`) applies the fixes marked (fix all); the',
    'others are offered one at a time. Options go in `"rules": { "<id>": { … } }` beside `severity`, which every rule takes.',
    `A generated conclusion is checked with ${guarded.join(', ')} before it is shown.`,
    END,
  ].join('\n');
}

/** The README text with its generated part written anew; an error when the markers are missing. */
export function updateRulesReadme(text: string, rules: readonly Rule[] = ALL_RULES): string {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start === -1 || end < start) throw new Error(`docs/rules/README.md has no ${START} … ${END} markers`);
  return text.slice(0, start) + renderRulesTable(rules) + text.slice(end + END.length);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const before = readFileSync(RULES_README, 'utf8');
  const after = updateRulesReadme(before);
  if (after === before) console.log('docs/rules/README.md is current');
  else {
    writeFileSync(RULES_README, after);
    console.log('docs/rules/README.md: rules table written');
  }
}
