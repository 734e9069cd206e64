import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { COMMANDS } from '../../server/protocol.ts';
import { DEFAULT_SERVER_SETTINGS, validateServerSettings } from '../../server/service/serverSettings.ts';

const root = new URL('../../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const properties: Record<string, { default: unknown; markdownDescription?: string }> = manifest.contributes.configuration.properties;

test('every setting the server reads is contributed with a description, and the defaults agree', () => {
  const flat: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(DEFAULT_SERVER_SETTINGS)) {
    if (key === 'config') continue;
    if (key === 'inlineCompletion') for (const [k, v] of Object.entries(value as object)) flat[`inlineCompletion.${k}`] = v;
    else flat[key] = value;
  }
  for (const [key, value] of Object.entries(flat)) {
    const property = properties[`radiologyReport.${key}`];
    assert.ok(property, `radiologyReport.${key} is contributed`);
    assert.ok(property.markdownDescription && property.markdownDescription.length > 20, `radiologyReport.${key} has a description`);
    assert.deepEqual(property.default, value, `radiologyReport.${key} default`);
  }
  for (const key of ['rules', 'sections', 'placeholders', 'vocabulary']) assert.ok(properties[`radiologyReport.${key}`], key);
  // The contributed defaults are valid settings.
  const defaults = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k.replace('radiologyReport.', ''), v.default]));
  assert.deepEqual(validateServerSettings(defaults).problems, []);
});

test('commands, snippets and grammar named in the manifest exist', () => {
  const contributed = manifest.contributes.commands.map((c: { command: string }) => c.command);
  for (const command of [COMMANDS.generateConclusion, COMMANDS.loadModel, COMMANDS.unloadModel, 'radiologyReport.openStudy']) {
    assert.ok(contributed.includes(command), command);
  }
  for (const snippet of manifest.contributes.snippets) assert.ok(existsSync(new URL(snippet.path, root)), snippet.path);
  for (const grammar of manifest.contributes.grammars) assert.ok(existsSync(new URL(grammar.path, root)), grammar.path);
  assert.equal(manifest.dependencies['node-llama-cpp'], '3.21.1', 'node-llama-cpp is pinned exactly');
});

test('the extension activates for report workspaces and its own commands, not for every markdown file', () => {
  const events: string[] = manifest.activationEvents;
  assert.ok(!events.includes('onLanguage:markdown'), 'no activation on any markdown file');
  assert.ok(!events.includes('*'), 'no activation at startup');
  // The default of radiologyReport.files, and a folder versioning its rule settings.
  assert.deepEqual(properties['radiologyReport.files']!.default, ['**/*.report.md']);
  assert.ok(events.includes('workspaceContains:**/*.report.md'));
  assert.ok(events.includes('workspaceContains:**/.radreportrc.json'));
  // Any command activates it, so a lone file with `type: radiology-report` front matter gets the server on first use.
  const contributed: string[] = manifest.contributes.commands.map((c: { command: string }) => c.command);
  for (const command of contributed) assert.ok(events.includes(`onCommand:${command}`), command);
  for (const event of events) {
    assert.match(event, /^(workspaceContains:|onCommand:|onWalkthrough:)/, event);
    if (event.startsWith('onCommand:')) assert.ok(contributed.includes(event.slice('onCommand:'.length)), `${event} names a contributed command`);
  }
});

test('report templates parse into reports with findings and an impression to fill', async () => {
  const { parseReport, sectionOf } = await import('../../server/report/parseReport.ts');
  const snippets = JSON.parse(readFileSync(new URL('snippets/report-templates.json', root), 'utf8')) as Record<string, { body: string[] }>;
  assert.equal(Object.keys(snippets).length, 5);
  for (const [name, snippet] of Object.entries(snippets)) {
    // Expand tab stops to their defaults, as accepting the snippet would.
    const text = snippet.body
      .join('\n')
      .replace(/\$\{\d+\|([^,|]+)[^}]*\}/g, '$1')
      .replace(/\$\{\d+:([^}]*)\}/g, '$1')
      .replace(/\$\{\d+\}/g, 'left')
      .replace(/\$0/g, '');
    const report = parseReport(text);
    assert.ok(sectionOf(report, 'findings')?.text, `${name} has findings`);
    assert.ok(sectionOf(report, 'conclusion'), `${name} has a conclusion section`);
    assert.equal(report.meta.type, 'radiology-report', name);
  }
});
