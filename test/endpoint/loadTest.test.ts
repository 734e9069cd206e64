import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { runLoadTest, type LevelResult } from '../../scripts/llama-cpp/load-test.ts';
import { ensureTestModels, type TestModels } from '../models/testModels.ts';
import { buildLlamaServer, freePort, LlamaServer, REPO } from './llamaServer.ts';

/**
 * The department-server load test at small N on the CPU, as the lead runs it on the H200 at N = 1, 8, 32, 128:
 * the IU `valid` prompts exported by the product's prompt builder, the bundled load generator (Node.js only, no npm
 * packages), and llama-server restarted for each level by scripts/llama-cpp/serve.sh.
 */

let executable: string;
let models: TestModels;
let server: LlamaServer;

before(async () => {
  executable = buildLlamaServer();
  models = await ensureTestModels();
  server = await LlamaServer.start({ executable, model: models.model, parallel: 2 });
});
after(() => server?.stop());

function checkLevel(level: LevelResult, concurrency: number, requests: number): void {
  assert.equal(level.concurrency, concurrency);
  assert.equal(level.errors, 0, level.firstError);
  assert.equal(level.requests, requests);
  assert.ok(level.conclusionsPerSecond > 0);
  assert.ok(level.latencyMs.p50 > 0 && level.latencyMs.p50 <= level.latencyMs.p95 && level.latencyMs.p95 <= level.latencyMs.max);
  assert.ok(level.firstTokenMs.p50 > 0 && level.firstTokenMs.p50 <= level.latencyMs.p50);
  assert.equal(level.meanCompletionTokens, 8, 'the tiny model writes to max_tokens');
  assert.equal(level.gpuMemoryMiB, undefined, 'no nvidia-smi here');
}

test("N radiologists through the product's endpoint engine: conclusions per second and latency per level", async () => {
  const prompts = Array.from({ length: 5 }, (_, i) => ({
    id: `p${i}`,
    system: 'You are a radiologist.',
    user: `Findings: nodule ${i + 4} mm in the right upper lobe.`,
  }));
  const lines: string[] = [];
  const levels = await runLoadTest({ url: server.url, prompts, concurrency: [1, 3], requests: 6, maxTokens: 8, log: (line) => lines.push(line) });
  assert.equal(levels.length, 2);
  checkLevel(levels[0]!, 1, 6);
  checkLevel(levels[1]!, 3, 6);
  assert.match(
    lines.join('\n'),
    /^N=3: 6 conclusions in [\d.]+ s = [\d.]+\/s, latency p50 \d+ ms p95 \d+ ms, first token p50 \d+ ms, [\d.]+ tokens\/s, 0 errors$/m,
  );
});

test('the GPU run as the lead runs it, on the CPU: exported IU valid prompts, the bundled generator, llama-server restarted per level', async () => {
  const prepare = spawnSync('bash', [join(REPO, 'scripts', 'llama-cpp', 'prepare-gpu-run.sh')], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
  assert.equal(prepare.status, 0, prepare.stderr);
  const promptsFile = join(REPO, '.cache', 'department', 'iu-valid-prompts.jsonl');
  const rows = readFileSync(promptsFile, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { id: string; system: string; user: string; reference: string });
  assert.equal(rows.length, 332, 'every IU valid report');
  assert.match(rows[0]!.user, /^Exam: .*\n(?:.*\n)*Findings: /);
  assert.ok(rows.every((row) => row.reference && row.system === rows[0]!.system));

  const port = await freePort();
  const out = join(mkdtempSync(join(tmpdir(), 'radreport-load-')), 'load.json');
  const serve = `bash ${join(REPO, 'scripts', 'llama-cpp', 'serve.sh')} {N} --bin ${dirname(executable)} --model ${models.model} --port ${port} --threads 1 --log-dir ${dirname(out)}`;
  const run = spawnSync(
    process.execPath,
    [
      join(REPO, '.cache', 'department', 'load-test.mjs'),
      '--url',
      `http://127.0.0.1:${port}`,
      '--prompts',
      promptsFile,
      '--concurrency',
      '1,2',
      '--requests',
      '4',
      '--max-tokens',
      '8',
      '--restart-command',
      serve,
      '--out',
      out,
    ],
    // Node.js alone, as on the GPU machine: no tsx, no node_modules.
    { cwd: tmpdir(), encoding: 'utf8', timeout: 180_000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } },
  );
  spawnSync('bash', [join(REPO, 'scripts', 'llama-cpp', 'serve.sh'), 'stop']);
  assert.equal(run.status, 0, run.stderr);
  const report = JSON.parse(readFileSync(out, 'utf8')) as { levels: LevelResult[] };
  checkLevel(report.levels[0]!, 1, 4);
  checkLevel(report.levels[1]!, 2, 4);
  assert.ok(existsSync(join(dirname(out), 'llama-server-N2.log')), 'the server of each level logged beside the results');
  assert.match(run.stderr, /llama-server N=2 pid \d+ on port/);
});
