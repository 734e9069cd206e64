import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { WORKSPACE_CONFIG_NOTIFICATION, type ServerInitializationOptions } from '../../server/protocol.ts';
import { RESTRICTED_SETTINGS } from '../../server/service/workspaceTrust.ts';
import { LspTestClient } from '../lsp/lspTestClient.ts';

// Issue 11, item 7: workspace trust was not declared (VS Code disabled the whole extension in Restricted Mode), and
// neither the CLI nor other editors could ignore a repository's configuration.

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const REPORT = '## Findings\nNodule ___ mm.\n\n## Impression\nNodule.\n';
/** A repository's configuration that silences the placeholder rule and brings its own (catastrophic) pattern. */
const HOSTILE_RC = JSON.stringify({ rules: { placeholder: 'off', 'missing-section': 'off' }, placeholders: ['(a+)+$'] });

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'radreport-trust-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function lint(dir: string, ...args: string[]) {
  return spawnSync(process.execPath, [join(REPO, 'bin', 'radreport.mjs'), 'lint', ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 15_000,
    killSignal: 'SIGKILL',
  });
}

test('package.json declares limited support in untrusted workspaces, restricting every setting that loads a file, a pattern or an endpoint', () => {
  const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
  const untrusted = manifest.capabilities?.untrustedWorkspaces;
  assert.equal(untrusted?.supported, 'limited');
  assert.ok(typeof untrusted.description === 'string' && untrusted.description.length > 40);
  const restricted = new Set<string>(untrusted.restrictedConfigurations);
  // The server strips the same settings while the workspace is untrusted.
  assert.deepEqual([...restricted].sort(), RESTRICTED_SETTINGS.map((s) => `radiologyReport.${s}`).sort());
  const properties = manifest.contributes.configuration.properties as Record<string, unknown>;
  for (const name of restricted) assert.ok(name in properties, `${name} is restricted but not a setting`);
  // Any setting whose schema speaks of a path, a file, a glob, a pattern, a URL or a program loads something.
  const loads = Object.entries(properties)
    .filter(([, schema]) => /\b(?:paths?|files?|glob|regular expressions?|URL|executable|patterns?|GGUF|adapters?|server)\b/i.test(JSON.stringify(schema)))
    .map(([name]) => name);
  // Settings that only tune how the configured server is used (they load nothing themselves).
  const tuning = new Set(['radiologyReport.endpointFallback', 'radiologyReport.endpointTimeoutMs', 'radiologyReport.trace.server']);
  for (const name of loads) if (!tuning.has(name)) assert.ok(restricted.has(name), `${name} loads a file, pattern or endpoint but is not restricted`);
  // The vocabulary holds regular expressions (findings[].patterns) though its description does not say so.
  assert.ok(restricted.has('radiologyReport.vocabulary'));
});

test('radreport lint --no-config ignores the repository configuration: built-in rules on built-in defaults', () => {
  const dir = folder({ '.radreportrc.json': HOSTILE_RC, 'case.report.md': `${REPORT}${'a'.repeat(40)}` });
  const honoured = lint(dir, 'case.report.md');
  assert.doesNotMatch(honoured.stdout, /placeholder/);
  const ignored = lint(dir, '--no-config', 'case.report.md');
  assert.equal(ignored.signal, null);
  assert.equal(ignored.stderr, '');
  assert.match(ignored.stdout, /case\.report\.md:2:\d+ warning placeholder Unfilled template field "___"/);
  const both = lint(dir, '--no-config', '--config', '.radreportrc.json', 'case.report.md');
  assert.equal(both.status, 2);
  assert.match(both.stderr, /--config and --no-config exclude each other/);
  assert.match(lint(dir, '--help').stdout, /--no-config {5}ignore repository configuration/);
});

test('radreport plan --no-config reads the report with the built-in section names only', () => {
  const dir = folder({
    '.radreportrc.json': JSON.stringify({ sections: { findings: ['Befund'] } }),
    'case.report.md': '## Befund\nSmall left pleural effusion.\n\n## Impression\n',
  });
  const plan = (...args: string[]) =>
    spawnSync(process.execPath, [join(REPO, 'bin', 'radreport.mjs'), 'plan', ...args], { cwd: dir, encoding: 'utf8', timeout: 15_000, killSignal: 'SIGKILL' });
  const honoured = plan('case.report.md');
  assert.equal(honoured.status, 0, honoured.stderr);
  assert.match(honoured.stdout, /pleural effusion/i);
  const ignored = plan('--no-config', 'case.report.md');
  assert.equal(ignored.status, 1);
  assert.match(ignored.stderr, /has no findings to plan a conclusion from/);
});

/** An editor that starts the server with `initializationOptions.ignoreWorkspaceConfig` (an untrusted workspace). */
class UntrustedEditor extends LspTestClient {
  override async initialize(): Promise<unknown> {
    const options: ServerInitializationOptions = { ignoreWorkspaceConfig: true, settings: this.settings };
    const result = await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {
        workspace: { configuration: true, applyEdit: true },
        window: { workDoneProgress: true },
        textDocument: { publishDiagnostics: { versionSupport: true } },
      },
      initializationOptions: options,
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }
}

describe('the language server with initializationOptions.ignoreWorkspaceConfig', () => {
  let client: UntrustedEditor;
  before(async () => {
    // Restricted settings (a pattern, a model) as a workspace's settings file would set them; rules as the user's.
    client = new UntrustedEditor({ settings: { placeholders: ['Nodule'], model: '/elsewhere/model.gguf', rules: { 'empty-conclusion': 'off' } } });
    await client.initialize();
  });
  after(async () => {
    await client.stop();
  });

  const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => d.code);
  const latest = (uri: string) => client.diagnostics.get(uri)?.at(-1)?.diagnostics ?? [];

  test('ignores .radreportrc.json and restricted settings, runs the built-in rules, and honours them once trusted', async () => {
    const dir = folder({ '.radreportrc.json': HOSTILE_RC });
    const uri = client.open(REPORT, { dir });
    const untrusted = await client.diagnosticsFor(uri);
    // The repository's `placeholder: off` is ignored, and so is the settings' own pattern: the default `___` is found.
    assert.deepEqual(
      untrusted.filter((d) => d.code === 'placeholder').map((d) => d.message),
      ['Unfilled template field "___".'],
    );
    assert.ok(!codes(untrusted).includes('config'));
    // The model the (workspace) settings name is not the one the server would load.
    assert.ok(client.modelStates.length > 0);
    assert.ok(
      client.modelStates.every((s) => (s as { model: string }).model !== '/elsewhere/model.gguf'),
      JSON.stringify(client.modelStates),
    );

    const disable = await client.request<{ status?: string; message?: string }>('workspace/executeCommand', {
      command: 'radiologyReport.disableRule',
      arguments: [{ uri, ruleId: 'placeholder' }],
    });
    assert.equal(disable.status, 'failed');
    assert.match(disable.message ?? '', /Repository configuration is ignored in this workspace/);
    assert.equal(readFileSync(join(dir, '.radreportrc.json'), 'utf8'), HOSTILE_RC);

    // The workspace is trusted: its configuration applies without a restart.
    await client.connection.sendNotification(WORKSPACE_CONFIG_NOTIFICATION, { ignoreWorkspaceConfig: false });
    await client.waitFor(
      () => !codes(latest(uri)).includes('placeholder') && !codes(latest(uri)).includes('missing-section'),
      10_000,
      'the repository configuration to apply',
    );
  });
});
