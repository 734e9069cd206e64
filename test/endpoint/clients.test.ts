import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ensureTestModels, type TestModels } from '../models/testModels.ts';
import { LspTestClient, SERVER } from '../lsp/lspTestClient.ts';
import { buildLlamaServer, LlamaServer, REPO } from './llamaServer.ts';

/**
 * The product's two clients of the department server, as users run them: the `radreport` command (`--endpoint`, the key
 * from RADREPORT_API_KEY) and the language server (`radiologyReport.endpoint` settings, the key in its environment as
 * the VS Code client hands it over), against a real llama-server that demands an API key.
 */

const KEY = 'department-radiology-key';
const ALIAS = 'tiny-radreport';
const REPORT = `---
type: radiology-report
---
# CT chest

## Clinical information
Cough and fever.

## Findings
Consolidation in the right lower lobe with air bronchograms. No pleural effusion.

## Impression
`;

let models: TestModels;
let server: LlamaServer;

before(async () => {
  assert.ok(existsSync(SERVER) && existsSync(join(REPO, 'dist', 'cli.mjs')), 'dist/ is missing: run `npm run build` first (npm test does)');
  const executable = buildLlamaServer();
  models = await ensureTestModels();
  server = await LlamaServer.start({ executable, model: models.model, alias: ALIAS, apiKey: KEY });
});
after(() => server?.stop());

function radreport(args: string[], env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'radreport-endpoint-'));
  writeFileSync(join(dir, 'chest.report.md'), REPORT);
  const result = spawnSync(process.execPath, [join(REPO, 'bin', 'radreport.mjs'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('radreport conclude --endpoint: the conclusion from the server, the key from RADREPORT_API_KEY', () => {
  const ok = radreport(['conclude', 'chest.report.md', '--endpoint', server.url, '--endpoint-model', ALIAS, '--max-tokens', '10', '--json'], {
    RADREPORT_API_KEY: KEY,
  });
  assert.equal(ok.code, 0, ok.stderr);
  const json = JSON.parse(ok.stdout) as { conclusion: string; model: string; completionTokens: number; promptTokens: number };
  assert.equal(json.model, `${ALIAS} on 127.0.0.1:${server.port}`);
  // The first answer's 10 tokens, and at most 10 more where the guard has the model finish a corrected conclusion.
  assert.ok(json.completionTokens >= 10 && json.completionTokens <= 20, String(json.completionTokens));
  assert.ok(json.conclusion.length > 0 && json.promptTokens > 30);

  const noKey = radreport(['conclude', 'chest.report.md', '--endpoint', server.url], {});
  assert.equal(noKey.code, 1);
  assert.match(noKey.stderr, /refused the API key \(401: Invalid API Key\)/);
  assert.doesNotMatch(`${ok.stdout}${ok.stderr}${noKey.stderr}`, new RegExp(KEY), 'the key is never printed');

  const wrongModel = radreport(['conclude', 'chest.report.md', '--endpoint', server.url, '--endpoint-model', 'radreport-ct'], { RADREPORT_API_KEY: KEY });
  assert.equal(wrongModel.code, 1);
  assert.match(wrongModel.stderr, /has no model "radreport-ct"; it serves "tiny-radreport"/);

  const usage = radreport(['conclude', 'chest.report.md', '--endpoint', 'llm.radiology.local:8080'], {});
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--endpoint: "llm\.radiology\.local:8080" must start with http:\/\/ or https:\/\//);
});

test('radreport eval --endpoint: an evaluation run by the server', () => {
  const data = join(REPO, '..', 'shared', 'data', 'iu-xray', 'pairs.jsonl');
  assert.ok(existsSync(data), `${data} is missing: the tests expect ../shared/data beside the checkout`);
  const out = mkdtempSync(join(tmpdir(), 'radreport-endpoint-eval-'));
  const run = radreport(['eval', '--data', data, '--split', 'valid', '--limit', '3', '--endpoint', server.url, '--out', out], { RADREPORT_API_KEY: KEY });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, new RegExp(`^model ${ALIAS} on 127\\.0\\.0\\.1:${server.port} \\(seed 42\\) on .*pairs\\.jsonl \\(valid\\)`, 'm'));
  assert.match(run.stderr, new RegExp(`Model ready on server 127\\.0\\.0\\.1:${server.port}`));
  assert.ok(existsSync(join(out, 'predictions.jsonl')));
});

test('the language server writes the conclusion through the server and reports "server: NAME"; the key stays out of its log', async () => {
  const settings = {
    endpoint: server.url,
    endpointModel: ALIAS,
    maxTokens: 12,
    diagnosticsDelayMs: 0,
    trace: { server: 'verbose' },
    // The tiny model writes random radiology words; the clinical checks would rightly flag them.
    rules: Object.fromEntries(
      ['laterality-mismatch', 'contradiction', 'unsupported-conclusion', 'omitted-finding', 'duplicate-sentence'].map((id) => [id, 'off']),
    ),
  };
  const client = await LspTestClient.start({ settings, env: { RADREPORT_API_KEY: KEY } });
  try {
    const name = `127.0.0.1:${server.port}`;
    await client.waitFor(
      () => client.modelStates.some((s) => (s as { state: string; server?: string }).state === 'unloaded' && (s as { server?: string }).server === name),
      10_000,
      'the status "server: NAME" before the first conclusion',
    );
    const uri = client.open(REPORT);
    const result = await client.request<{ status: string; text: string; message?: string }>('workspace/executeCommand', {
      command: 'radiologyReport.generateConclusion',
      arguments: [{ uri, version: client.version(uri) }],
    });
    assert.equal(result.status, 'written', result.message);
    assert.ok(client.text(uri).includes(`## Impression\n${result.text}`));
    const ready = client.modelStates.find((s) => (s as { state: string }).state === 'ready') as { server?: string; model: string };
    assert.deepEqual(ready, { state: 'ready', model: ALIAS, device: `server ${name}`, server: name });
    assert.doesNotMatch([...client.logs, ...client.stderr].join('\n'), new RegExp(KEY));
  } finally {
    await client.stop();
  }
});
