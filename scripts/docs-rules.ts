/**
 * Writes what the docs say of the rules from the rule registry (`npm run docs:rules`): the rules table of
 * docs/rules/README.md, between the markers `<!-- rules-table:start -->` and `<!-- rules-table:end -->`, and the JSON
 * schema of `.radreportrc.json` (docs/radreportrc.schema.json: completion and hover for rule ids and options in editors
 * that read JSON schemas). `test/unit/ruleContract.test.ts` fails when either checked-in file is not what this writes,
 * so a rule's facts are stated in one place: its metadata.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SECTION_KINDS } from '../server/report/types.ts';
import { ALL_RULES } from '../server/rules/registry.ts';
import { SEVERITIES } from '../server/config/severity.ts';
import type { Rule, RuleOption } from '../server/rules/rule.ts';

export const RULES_README = fileURLToPath(new URL('../docs/rules/README.md', import.meta.url));
export const CONFIG_SCHEMA = fileURLToPath(new URL('../docs/radreportrc.schema.json', import.meta.url));
const START = "<!-- rules-table:start: written by `npm run docs:rules` from the rules' metadata; do not edit by hand -->";
const END = '<!-- rules-table:end -->';

const SCOPE: Record<Rule['scope'], string> = {
  conclusion: 'conclusion',
  findings: 'findings',
  report: 'whole report',
};

/** The generated part: the table, and which rules also check a generated conclusion. */
export function renderRulesTable(rules: readonly Rule[] = ALL_RULES): string {
  // Markdown would read `___` or `[ ]` in a description as emphasis or a link; code spans are left as they are.
  const plain = (text: string) =>
    text
      .split(/(`[^`]*`)/)
      .map((part, i) => (i % 2 ? part : part.replace(/[\\_*[\]<>]/g, '\\$&')))
      .join('');
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const option = (name: string, o: RuleOption) => `\`${name}\`: ${o.type}, default \`${String(o.default)}\``;
  const rows = rules.map((rule) =>
    [
      `[${rule.id}](${rule.id}.md)`,
      rule.defaultSeverity,
      SCOPE[rule.scope],
      plain(rule.description),
      rule.fix ? `${rule.fix.summary}${rule.fix.fixAll ? ' (fix all)' : ''}` : '—',
      Object.entries(rule.options ?? {})
        .map(([name, o]) => option(name, o))
        .join('; ') || '—',
    ].map(cell),
  );
  const guarded = rules.filter((rule) => rule.generatedConclusion).map((rule) => `[${rule.id}](${rule.id}.md)`);
  return [
    START,
    '| Rule | Default | Scope | Checks | Quick fix | Options |',
    '|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    '',
    "Scope: where a rule's problems lie — in the conclusion (judged against the findings), in the findings (what the",
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

/**
 * The JSON schema of `.radreportrc.json`, as text. Unknown rule ids and options are allowed here: the language server
 * reports them itself, with the name meant, so an editor does not say it twice.
 */
export function renderConfigSchema(rules: readonly Rule[] = ALL_RULES): string {
  const severity = { enum: ['off', ...SEVERITIES], description: '"off" or a severity' };
  const ruleSchema = (rule: Rule) => ({
    description: `${rule.description} Default severity: ${rule.defaultSeverity}.`,
    markdownDescription: `${rule.description} Default severity: \`${rule.defaultSeverity}\`. See \`docs/rules/${rule.id}.md\`.`,
    anyOf: [
      severity,
      { type: 'boolean', description: 'false turns the rule off; true keeps its default severity' },
      {
        type: 'object',
        properties: {
          severity,
          ...Object.fromEntries(
            Object.entries(rule.options ?? {}).map(([name, o]) => [name, { type: o.type, default: o.default, description: o.description }]),
          ),
        },
      },
    ],
  });
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Radiology Report Assistant project configuration (.radreportrc.json)',
    description: "Written by `npm run docs:rules` from the rules' metadata; do not edit by hand.",
    type: 'object',
    properties: {
      $schema: { type: 'string' },
      rules: {
        type: 'object',
        description: 'Per-rule setting: "off", a severity, false, or an object with "severity" and the rule\'s options.',
        properties: Object.fromEntries(rules.map((rule) => [rule.id, ruleSchema(rule)])),
      },
      sections: {
        type: 'object',
        description: 'Extra section names by section kind; they add to the built-in ones.',
        properties: Object.fromEntries(SECTION_KINDS.map((kind) => [kind, { type: 'array', items: { type: 'string' } }])),
      },
      placeholders: {
        type: 'array',
        description: 'Regular expressions for unfilled template fields; they replace the default list.',
        items: { type: 'string' },
      },
      vocabulary: { type: 'object', description: 'Additions to the clinical vocabulary (docs/vocabulary.md).' },
    },
  };
  return JSON.stringify(schema, null, 2) + '\n';
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const write = (path: string, name: string, after: string) => {
    let before = '';
    try {
      before = readFileSync(path, 'utf8');
    } catch {
      // Not written yet.
    }
    if (before === after) console.log(`${name} is current`);
    else {
      writeFileSync(path, after);
      console.log(`${name} written`);
    }
  };
  write(RULES_README, 'docs/rules/README.md', updateRulesReadme(readFileSync(RULES_README, 'utf8')));
  write(CONFIG_SCHEMA, 'docs/radreportrc.schema.json', renderConfigSchema());
}
