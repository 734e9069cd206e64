import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { WORKSPACE_SCOPED_SETTINGS_KEY } from '../../server/protocol.ts';
import { LspTestClient } from '../lsp/lspTestClient.ts';

// Issue 11, item 5: `.radreportrc.json` was trusted blindly. A link was followed out of the workspace (the start of
// /etc/shadow ended up in a diagnostic), "Disable rule" wrote through a link, a FIFO hung `lint` for ever and four of
// them used up libuv's thread pool so that no report got diagnostics any more.

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const REPORT = '## Findings\nNodule ___ mm.\n\n## Impression\nNodule.\n';
const SECRET = 'TOP-SECRET-7f3a9c shadow:$6$hash';

function folder(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'radreport-hostile-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function fifo(path: string): void {
  const made = spawnSync('mkfifo', [path]);
  assert.equal(made.status, 0, `mkfifo: ${made.stderr}`);
}

/** A secret file outside every workspace, and a workspace whose config is a link to it. */
function linkedOut(): string {
  const secret = join(folder({ 'secret.txt': `${SECRET}\n` }), 'secret.txt');
  const dir = folder({ 'case.report.md': REPORT });
  symlinkSync(secret, join(dir, '.radreportrc.json'));
  return dir;
}

/** `radreport lint` in its own process, as CI runs it; killed (and the test failed) past the limit. */
async function lint(dir: string, ...args: string[]): Promise<{ status: number | null; signal: string | null; stdout: string; stderr: string; ms: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [join(REPO, 'bin', 'radreport.mjs'), 'lint', ...args], { cwd: dir });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c));
  child.stderr.on('data', (c: Buffer) => (stderr += c));
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const [status, signal] = (await new Promise((resolve) => child.once('close', (...r) => resolve(r)))) as [number | null, string | null];
  clearTimeout(timer);
  return { status, signal, stdout, stderr, ms: performance.now() - started };
}

test('a FIFO .radreportrc.json: lint says so at once and checks the report on built-in defaults', async () => {
  const dir = folder({ 'case.report.md': REPORT });
  fifo(join(dir, '.radreportrc.json'));
  const run = await lint(dir, 'case.report.md');
  assert.equal(run.signal, null, `lint was killed after ${run.ms.toFixed(0)} ms (blocked on the FIFO)`);
  assert.ok(run.ms < 5000, `lint took ${run.ms.toFixed(0)} ms`);
  assert.match(run.stderr, /\.radreportrc\.json: is a FIFO \(named pipe\), not a regular file; it was not read/);
  assert.match(run.stdout, /case\.report\.md:2:\d+ warning placeholder/);
});

test('a FIFO named as a report is refused, not read', async () => {
  const dir = folder();
  fifo(join(dir, 'pipe.report.md'));
  const run = await lint(dir, 'pipe.report.md', '.');
  assert.equal(run.signal, null);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /cannot read pipe\.report\.md: not a regular file/);
});

test('a .radreportrc.json linked to a file outside the workspace is refused; not a character of it is shown', async () => {
  const dir = linkedOut();
  const run = await lint(dir, 'case.report.md');
  assert.match(run.stderr, /\.radreportrc\.json: is a link that leads out of the workspace; it was not read/);
  assert.ok(!`${run.stdout}${run.stderr}`.includes('TOP-SECRET') && !`${run.stdout}${run.stderr}`.includes('shadow'), run.stderr);
  assert.match(run.stdout, /warning placeholder/);
  // A link inside the folder is followed as before.
  const inside = folder({ 'case.report.md': REPORT, 'team.json': '{"rules": {"placeholder": "error"}}' });
  symlinkSync('team.json', join(inside, '.radreportrc.json'));
  const followed = await lint(inside, 'case.report.md');
  assert.match(followed.stdout, /error placeholder/);
  assert.equal(followed.stderr, '');
});

test('an oversized .radreportrc.json is refused with its size and the limit', async () => {
  const dir = folder({ 'case.report.md': REPORT, '.radreportrc.json': `{"sections": {"conclusion": ["${'x'.repeat(2 * 1024 * 1024)}"]}}` });
  const run = await lint(dir, 'case.report.md');
  assert.match(run.stderr, /\.radreportrc\.json: is 2097\d{3} bytes; the limit is 1048576 bytes \(1024 KiB\); it was not read/);
  assert.match(run.stdout, /warning placeholder/);
});

describe('the language server', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start();
  });
  after(async () => {
    await client.stop();
  });

  test('four FIFO configs do not starve the diagnostics of other reports', async () => {
    const hostile = Array.from({ length: 4 }, () => {
      const dir = folder();
      fifo(join(dir, '.radreportrc.json'));
      return client.open(REPORT, { dir });
    });
    const started = performance.now();
    for (const uri of hostile) {
      const diagnostics = await client.diagnosticsFor(uri, 5000);
      assert.ok(
        diagnostics.some((d) => d.code === 'config' && /is a FIFO \(named pipe\), not a regular file/.test(String(d.message))),
        JSON.stringify(diagnostics),
      );
      assert.ok(diagnostics.some((d) => d.code === 'placeholder'));
    }
    const plain = client.open(REPORT);
    assert.ok((await client.diagnosticsFor(plain, 5000)).some((d) => d.code === 'placeholder'));
    assert.ok(performance.now() - started < 5000);
  });

  test('a config linked out of the workspace: refused, and its content is in no diagnostic, message or log', async () => {
    const dir = linkedOut();
    const uri = client.open(REPORT, { dir });
    const diagnostics = await client.diagnosticsFor(uri);
    assert.ok(diagnostics.some((d) => d.code === 'config' && /is a link that leads out of the workspace/.test(String(d.message))));
    // Disable rule neither reads nor writes it.
    await client.request('workspace/executeCommand', { command: 'radiologyReport.disableRule', arguments: [{ uri, ruleId: 'placeholder' }] });
    const seen = JSON.stringify({ diagnostics: [...client.diagnostics.values()], messages: client.messages, logs: client.logs, stderr: client.stderr });
    assert.ok(!seen.includes('TOP-SECRET') && !seen.includes('shadow:'), 'the secret leaked');
    assert.equal(readFileSync(fileURLToPath(new URL('.radreportrc.json', uri)), 'utf8'), `${SECRET}\n`);
  });

  test('Disable rule refuses to write through a link, even one inside the workspace', async () => {
    const dir = folder();
    mkdirSync(join(dir, 'templates'));
    const target = join(dir, 'templates', 'team.json');
    writeFileSync(target, '{"rules": {"placeholder": "warning"}}\n');
    symlinkSync(join('templates', 'team.json'), join(dir, '.radreportrc.json'));
    const uri = client.open(REPORT, { dir });
    await client.diagnosticsFor(uri);
    const before = client.messages.length;
    await client.request('workspace/executeCommand', { command: 'radiologyReport.disableRule', arguments: [{ uri, ruleId: 'placeholder' }] });
    assert.equal(readFileSync(target, 'utf8'), '{"rules": {"placeholder": "warning"}}\n');
    const said = client.messages
      .slice(before)
      .map((m) => m.message)
      .join('\n');
    assert.match(said, /\.radreportrc\.json is a link; the configuration is not written through it/);
  });
});

/** An editor with a workspace folder open, as VS Code starts the server. */
class FolderEditor extends LspTestClient {
  constructor(
    readonly root: string,
    settings: Record<string, unknown>,
  ) {
    super({ settings });
  }
  override async initialize(): Promise<unknown> {
    const result = await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(this.root).href,
      workspaceFolders: [{ uri: pathToFileURL(this.root).href, name: 'reports' }],
      capabilities: {
        workspace: { configuration: true, applyEdit: true },
        window: { workDoneProgress: true },
        textDocument: { publishDiagnostics: { versionSupport: true } },
      },
      initializationOptions: { settings: this.settings },
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }
}

test('a model file the workspace settings name must lie inside the workspace; the user settings may name any', async () => {
  const root = folder();
  const outside = join(folder(), 'evil.gguf');
  const models = () => client.modelStates.map((s) => (s as { model: string }).model);
  const client = new FolderEditor(root, { model: outside, loras: [`${outside}:0.5`], [WORKSPACE_SCOPED_SETTINGS_KEY]: ['model', 'loras'] });
  try {
    await client.initialize();
    await client.waitFor(() => client.messages.some((m) => m.message.includes('radiologyReport.model is set by the workspace')), 10_000, 'the refusal');
    const said = client.messages.map((m) => m.message).join('\n');
    assert.match(
      said,
      new RegExp(
        `radiologyReport\\.model is set by the workspace to ${outside.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, outside the workspace; only your user settings may name a file elsewhere`,
      ),
    );
    assert.match(said, /radiologyReport\.loras is set by the workspace/);
    assert.ok(!models().includes(outside), JSON.stringify(models()));

    const inside = join(root, 'models', 'team.gguf');
    await client.changeSettings({ model: inside, [WORKSPACE_SCOPED_SETTINGS_KEY]: ['model'] });
    await client.waitFor(() => models().at(-1) === inside, 10_000, 'the workspace model inside the workspace');
    // The user's own settings (no workspace scope) may name any file.
    await client.changeSettings({ model: outside });
    await client.waitFor(() => models().at(-1) === outside, 10_000, "the user's model");
  } finally {
    await client.stop();
  }
});
