/**
 * Load generator for the department server: N radiologists, each asking for one conclusion after another, through
 * the product's own endpoint engine (`server/generation/endpointEngine.ts`: the same request, streaming and retries as
 * the editor), against an OpenAI-compatible server. Reports, for each N: conclusions per second, p50/p95 latency (the
 * whole conclusion) and time to first token, generated tokens per second, errors, and the GPU memory in use (the most
 * `nvidia-smi` saw while the level ran; absent without nvidia-smi).
 *
 *   node --import tsx scripts/llama-cpp/load-test.ts --url http://127.0.0.1:8080 --prompts PROMPTS.jsonl
 *        [--concurrency 1,8,32,128] [--requests N] [--max-tokens 256] [--model NAME] [--out results.json]
 *        [--restart-command 'CMD {N}']
 *
 *   --prompts FILE      `{id, system, user}` a line (scripts/llama-cpp/export-prompts.ts writes IU `valid` ones)
 *   --requests N        conclusions per level (default: 2 × concurrency, at least 32); prompts are taken in turn and
 *                       continue across levels, so a level does not find the previous level's prompts in the cache
 *   --restart-command   run before each level with {N} replaced by the concurrency (e.g. to restart llama-server with
 *                       N slots); the level starts once the server answers /v1/models again
 *
 * Bundled into one file (esbuild, no npm packages at run time) by scripts/llama-cpp/prepare-gpu-run.sh for a machine
 * that has Node.js only. The API key, when the server wants one, comes from RADREPORT_API_KEY.
 */
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ConclusionPrompt } from '../../server/generation/conclusionPrompt.ts';
import { createEndpointEngine, type EndpointEngine } from '../../server/generation/endpointEngine.ts';

interface PromptRow extends ConclusionPrompt {
  id: string;
}

interface Sample {
  ms: number;
  firstTokenMs: number | undefined;
  completionTokens: number;
  promptTokens: number;
  reusedPromptTokens: number;
}

export interface LevelResult {
  concurrency: number;
  requests: number;
  errors: number;
  firstError?: string;
  seconds: number;
  conclusionsPerSecond: number;
  latencyMs: { p50: number; p95: number; max: number };
  firstTokenMs: { p50: number; p95: number };
  completionTokensPerSecond: number;
  meanCompletionTokens: number;
  /** Share of prompt tokens the server reused from its KV cache. */
  reusedPromptShare: number;
  /** The most GPU memory in use while the level ran, in MiB per GPU; absent without nvidia-smi. */
  gpuMemoryMiB?: number[];
  gpuMemoryTotalMiB?: number[];
}

export interface LoadTestOptions {
  url: string;
  model?: string;
  prompts: PromptRow[];
  concurrency: number[];
  requests?: number;
  maxTokens: number;
  apiKey?: string | undefined;
  restartCommand?: string;
  log?: (line: string) => void;
}

export async function runLoadTest(options: LoadTestOptions): Promise<LevelResult[]> {
  const log = options.log ?? ((line: string) => console.error(line));
  const results: LevelResult[] = [];
  let next = 0;
  for (const concurrency of options.concurrency) {
    if (options.restartCommand) await restart(options.restartCommand.replaceAll('{N}', String(concurrency)), log);
    const engine = createEndpointEngine(
      {
        temperature: 0,
        maxTokens: options.maxTokens,
        seed: 42,
        endpoint: { url: options.url, model: options.model ?? '', timeoutMs: 600_000, fallback: 'none' },
      },
      { apiKey: options.apiKey, retries: 8 },
    );
    try {
      await waitForServer(engine, log);
      // One conclusion before timing: the first request of a fresh server pays for warming up.
      await engine.generate(options.prompts[next % options.prompts.length]!, { maxTokens: 8 });
      const total = options.requests ?? Math.max(32, 2 * concurrency);
      const start = next;
      next += total;
      let taken = 0;
      const samples: Sample[] = [];
      let errors = 0;
      let firstError: string | undefined;
      const gpu = sampleGpuMemory();
      const started = performance.now();
      const radiologist = async () => {
        while (taken < total) {
          const prompt = options.prompts[(start + taken++) % options.prompts.length]!;
          const asked = performance.now();
          let firstTokenMs: number | undefined;
          try {
            const result = await engine.generate(prompt, {
              onToken: () => {
                firstTokenMs ??= performance.now() - asked;
              },
            });
            samples.push({
              ms: performance.now() - asked,
              firstTokenMs,
              completionTokens: result.completionTokens,
              promptTokens: result.promptTokens,
              reusedPromptTokens: result.reusedPromptTokens,
            });
          } catch (error) {
            errors++;
            firstError ??= (error as Error).message;
          }
        }
      };
      await Promise.all(Array.from({ length: concurrency }, radiologist));
      const seconds = (performance.now() - started) / 1000;
      const memory = await gpu.stop();
      const latencies = samples.map((s) => s.ms);
      const firstTokens = samples.flatMap((s) => (s.firstTokenMs === undefined ? [] : [s.firstTokenMs]));
      const completionTokens = samples.reduce((sum, s) => sum + s.completionTokens, 0);
      const promptTokens = samples.reduce((sum, s) => sum + s.promptTokens, 0);
      const reused = samples.reduce((sum, s) => sum + s.reusedPromptTokens, 0);
      const level: LevelResult = {
        concurrency,
        requests: samples.length,
        errors,
        ...(firstError ? { firstError } : {}),
        seconds: round(seconds, 2),
        conclusionsPerSecond: round(samples.length / seconds, 2),
        latencyMs: { p50: round(percentile(latencies, 50)), p95: round(percentile(latencies, 95)), max: round(Math.max(0, ...latencies)) },
        firstTokenMs: { p50: round(percentile(firstTokens, 50)), p95: round(percentile(firstTokens, 95)) },
        completionTokensPerSecond: round(completionTokens / seconds, 1),
        meanCompletionTokens: round(samples.length ? completionTokens / samples.length : 0, 1),
        reusedPromptShare: round(promptTokens ? reused / promptTokens : 0, 3),
        ...(memory ? { gpuMemoryMiB: memory.used, gpuMemoryTotalMiB: memory.total } : {}),
      };
      results.push(level);
      log(formatLevel(level));
    } finally {
      await engine.dispose();
    }
  }
  return results;
}

export function formatLevel(level: LevelResult): string {
  const gpu = level.gpuMemoryMiB ? `, GPU memory ${level.gpuMemoryMiB.map((m, i) => `${m}/${level.gpuMemoryTotalMiB?.[i]} MiB`).join(' + ')}` : '';
  return (
    `N=${level.concurrency}: ${level.requests} conclusions in ${level.seconds} s = ${level.conclusionsPerSecond}/s, ` +
    `latency p50 ${level.latencyMs.p50} ms p95 ${level.latencyMs.p95} ms, first token p50 ${level.firstTokenMs.p50} ms, ` +
    `${level.completionTokensPerSecond} tokens/s, ${level.errors} errors${gpu}`
  );
}

/** The p-th percentile by the nearest-rank method; 0 for no values. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function round(value: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

async function waitForServer(engine: EndpointEngine, log: (line: string) => void): Promise<void> {
  const deadline = Date.now() + 600_000;
  for (;;) {
    try {
      await engine.load();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      log(`waiting for the server: ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

async function restart(command: string, log: (line: string) => void): Promise<void> {
  log(`$ ${command}`);
  const result = spawnSync('bash', ['-c', command], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`${command} failed (${result.error?.message ?? `exit ${result.status}`})`);
}

/** Polls nvidia-smi every 500 ms; `stop()` gives the most memory used per GPU, or undefined without nvidia-smi. */
function sampleGpuMemory(): { stop(): Promise<{ used: number[]; total: number[] } | undefined> } {
  let peak: number[] | undefined;
  let total: number[] | undefined;
  let running = true;
  let available = true;
  const poll = () =>
    new Promise<void>((resolve) => {
      execFile('nvidia-smi', ['--query-gpu=memory.used,memory.total', '--format=csv,noheader,nounits'], (error, stdout) => {
        if (error) available = false;
        else {
          const rows = stdout
            .trim()
            .split('\n')
            .map((line) => line.split(',').map((v) => Number(v.trim())));
          total = rows.map((r) => r[1]!);
          peak = rows.map((r, i) => Math.max(peak?.[i] ?? 0, r[0]!));
        }
        resolve();
      });
    });
  const loop = (async () => {
    while (running && available) {
      await poll();
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return peak && total ? { used: peak, total } : undefined;
    },
  };
}

function readPrompts(path: string): PromptRow[] {
  const rows = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as PromptRow);
  if (rows.length === 0 || typeof rows[0]!.system !== 'string' || typeof rows[0]!.user !== 'string') {
    throw new Error(`${path} holds no {id, system, user} prompts`);
  }
  return rows;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      prompts: { type: 'string' },
      concurrency: { type: 'string', default: '1,8,32,128' },
      requests: { type: 'string' },
      'max-tokens': { type: 'string', default: '256' },
      model: { type: 'string' },
      out: { type: 'string' },
      'restart-command': { type: 'string' },
    },
  });
  if (!values.url || !values.prompts) {
    console.error(
      'usage: load-test --url URL --prompts FILE [--concurrency 1,8,32,128] [--requests N] [--max-tokens 256] [--model NAME] [--out FILE] [--restart-command CMD]',
    );
    process.exit(2);
  }
  const concurrency = values.concurrency!.split(',').map((n) => Number(n.trim()));
  if (concurrency.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--concurrency must be whole numbers ≥ 1, got ${values.concurrency}`);
  const results = await runLoadTest({
    url: values.url,
    prompts: readPrompts(values.prompts),
    concurrency,
    ...(values.requests ? { requests: Number(values.requests) } : {}),
    maxTokens: Number(values['max-tokens']),
    ...(values.model ? { model: values.model } : {}),
    apiKey: process.env.RADREPORT_API_KEY,
    ...(values['restart-command'] ? { restartCommand: values['restart-command'] } : {}),
  });
  const report = { url: values.url, prompts: values.prompts, maxTokens: Number(values['max-tokens']), date: new Date().toISOString(), levels: results };
  if (values.out) writeFileSync(values.out, JSON.stringify(report, null, 2) + '\n');
  console.log(JSON.stringify(report, null, 2));
}

const invoked = process.argv[1] ?? '';
if (/load-test\.(?:ts|mjs)$/.test(invoked)) {
  main().catch((error) => {
    console.error(`load-test: ${(error as Error).stack ?? error}`);
    process.exit(1);
  });
}
