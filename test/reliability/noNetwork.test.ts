/**
 * No network at run time (issue 11, "Tests in CI"): `radreport lint`, `radreport conclude` with the tiny model, and the
 * language server generating a conclusion, each inside an empty network namespace (`unshare -n`: only a loopback
 * interface, down). CI runs as root; where `unshare -n` is not allowed the test fails saying what is missing, it never
 * skips.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureTestModels, type TestModels } from '../models/testModels.ts';
import { LspTestClient, REPO } from '../lsp/lspTestClient.ts';
import { CLINICAL_OFF } from '../support/clinicalRulesOff.ts';

const REPORT = `---
type: radiology-report
---
# XR chest

## Findings
Left lower lobe opacity. Nodule measures ___ mm.

## Impression

`;
const RADREPORT = join(REPO, 'bin', 'radreport.mjs');

/** Runs a command inside a fresh, empty network namespace. */
function offline(command: string, args: string[], cwd: string) {
  return spawnSync('unshare', ['-n', command, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
}

describe('no network', () => {
  let models: TestModels;
  const dir = mkdtempSync(join(tmpdir(), 'radreport-offline-'));
  before(async () => {
    models = await ensureTestModels();
    writeFileSync(join(dir, 'case.report.md'), REPORT);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('unshare -n is available, and its namespace has no network', () => {
    const probe = spawnSync('unshare', ['-n', 'true'], { encoding: 'utf8' });
    assert.equal(
      probe.status,
      0,
      `"unshare -n true" failed (${probe.error?.message ?? probe.stderr.trim() ?? `exit ${probe.status}`}): this test needs util-linux's unshare and the right to create a network namespace (root, as in CI, or unprivileged user namespaces with "unshare -rn"); it does not skip`,
    );
    // Inside, only a loopback interface, and a connection to anywhere fails at once.
    const interfaces = offline('cat', ['/proc/net/dev'], dir);
    assert.deepEqual(
      [...interfaces.stdout.matchAll(/^\s*([^\s:]+):/gm)].map((m) => m[1]),
      ['lo'],
    );
    const connect = offline(
      process.execPath,
      ['-e', "require('node:net').connect(53, '1.1.1.1').on('error', (e) => { console.log(e.code); process.exit(3); })"],
      dir,
    );
    assert.equal(connect.status, 3, connect.stderr);
    assert.match(connect.stdout, /ENETUNREACH/);
  });

  test('radreport lint works offline', () => {
    const lint = offline(process.execPath, [RADREPORT, 'lint', 'case.report.md'], dir);
    assert.equal(lint.status, 0, lint.stderr);
    assert.match(lint.stdout, /^case\.report\.md:\d+:\d+ warning placeholder Unfilled template field "___"\./m);
  });

  test('radreport conclude with the tiny model works offline', () => {
    const conclude = offline(
      process.execPath,
      [RADREPORT, 'conclude', 'case.report.md', '--model', models.model, '--max-tokens', '8', '--gpu', 'cpu', '--json'],
      dir,
    );
    assert.equal(conclude.status, 0, conclude.stderr);
    const result = JSON.parse(conclude.stdout) as { conclusion: string; source: string };
    assert.ok(result.conclusion.length > 0);
    assert.ok(['model', 'model-corrected', 'composed'].includes(result.source));
  });

  test('the language server checks and generates a conclusion offline', async () => {
    const client = await LspTestClient.start({
      wrap: ['unshare', '-n'],
      settings: { model: models.model, maxTokens: 8, diagnosticsDelayMs: 0, inlineCompletion: { enabled: false }, rules: CLINICAL_OFF },
    });
    try {
      const uri = client.open(REPORT, { dir: mkdtempSync(join(dir, 'lsp-')) });
      const diagnostics = await client.diagnosticsFor(uri);
      assert.ok(diagnostics.some((d) => d.code === 'placeholder'));
      const result = await client.request<{ status: string; text: string; message?: string }>('workspace/executeCommand', {
        command: 'radiologyReport.generateConclusion',
        arguments: [{ uri, version: client.version(uri) }],
      });
      assert.equal(result.status, 'written', JSON.stringify(result));
      assert.ok(client.text(uri).includes(`## Impression\n${result.text}`));
      // The server really ran in the empty namespace.
      const namespace = (pid: number | string) => spawnSync('readlink', [`/proc/${pid}/ns/net`], { encoding: 'utf8' }).stdout.trim();
      assert.notEqual(namespace(client.process.pid!), namespace('self'));
    } finally {
      await client.stop();
    }
  });
});
