import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ALL_RULES } from '../../server/rules/registry.ts';
import { readFixture } from '../../server/rules/testing/fixtureMarkers.ts';
import { CONFIG_SCHEMA, renderConfigSchema, RULES_README, updateRulesReadme } from '../../scripts/docs-rules.ts';

// The places a rule touches besides its own file (CONTRIBUTING: adding a rule): each is checked here.
const DOCS = new URL('../../docs/rules/', import.meta.url);
const FIXTURES = new URL('../../server/rules/fixtures/', import.meta.url);
const ids = ALL_RULES.map((rule) => rule.id);

test('rules table: docs/rules/README.md is what `npm run docs:rules` writes from the registry', () => {
  const text = readFileSync(RULES_README, 'utf8');
  assert.equal(text, updateRulesReadme(text), 'the rules table is out of date: run `npm run docs:rules`');
  for (const id of ids) assert.ok(text.includes(`| [${id}](${id}.md) |`), `a README row for ${id}`);
});

test('config schema: docs/radreportrc.schema.json is what `npm run docs:rules` writes, and the manifest points editors at it', () => {
  assert.equal(readFileSync(CONFIG_SCHEMA, 'utf8'), renderConfigSchema(), 'the schema is out of date: run `npm run docs:rules`');
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  assert.deepEqual(manifest.contributes.jsonValidation, [{ fileMatch: '.radreportrc.json', url: './docs/radreportrc.schema.json' }]);
  const schema = JSON.parse(renderConfigSchema());
  assert.deepEqual(Object.keys(schema.properties.rules.properties), ids);
});

test('rule docs: every rule has a page that states its metadata, and every page is a rule', () => {
  const pages = readdirSync(DOCS).filter((name) => name.endsWith('.md') && name !== 'README.md');
  assert.deepEqual(pages.map((name) => name.slice(0, -3)).sort(), [...ids].sort(), 'one page a rule, no page without a rule');
  for (const rule of ALL_RULES) {
    const page = readFileSync(new URL(`${rule.id}.md`, DOCS), 'utf8');
    assert.ok(page.startsWith(`# ${rule.id}\n`), `${rule.id}.md starts with its id as the title`);
    const header = /^\*\*Default severity:\*\* (\w+) · \*\*Quick fix:\*\* (.+)$/m.exec(page);
    assert.ok(header, `${rule.id}.md has the "**Default severity:** … · **Quick fix:** …" line`);
    assert.equal(header[1], rule.defaultSeverity, `${rule.id}.md: default severity`);
    assert.equal(/^no\b/.test(header[2]!), !rule.fix, `${rule.id}.md: quick fix "${header[2]}" against the metadata`);
    if (rule.fix) assert.equal(/not preferred/.test(header[2]!), !rule.fix.fixAll, `${rule.id}.md: a fix that "fix all" skips says "not preferred"`);
    for (const option of Object.keys(rule.options ?? {})) assert.ok(page.includes(`\`${option}\``), `${rule.id}.md documents the option ${option}`);
  }
});

test('rule fixtures: every rule has a marked fixture, and every marker names a rule', () => {
  const fixtures = readdirSync(FIXTURES).filter((name) => name.endsWith('.report.md'));
  for (const id of ids) {
    const own = fixtures.filter((name) => name === `${id}.report.md` || name.startsWith(`${id}-`));
    assert.ok(own.length > 0, `server/rules/fixtures/${id}.report.md exists`);
    const marked = own.some((name) => readFixture(readFileSync(new URL(name, FIXTURES), 'utf8')).expected.some((e) => e.ruleId === id));
    assert.ok(marked, `a fixture of ${id} marks where one of its problems is`);
  }
  for (const name of fixtures) {
    for (const { ruleId } of readFixture(readFileSync(new URL(name, FIXTURES), 'utf8')).expected)
      assert.ok(ids.includes(ruleId), `${name}: ⟦${ruleId}|…⟧ is not a rule`);
  }
});
