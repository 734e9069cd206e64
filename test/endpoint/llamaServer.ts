import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A real llama.cpp `llama-server` for the endpoint tier: built from node-llama-cpp's bundled llama.cpp source by
 * scripts/llama-cpp/build.sh (CPU, cached under .cache/llama-cpp/), started on a free port of 127.0.0.1 with one of
 * the tiny test models. Every server a test starts is killed when the test process exits, whatever happened.
 */

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** Builds llama-server when it is not built yet (16.6 CPU-minutes: about 10 minutes on 2 idle cores, once) and returns its path. */
export function buildLlamaServer(): string {
  const result = spawnSync('bash', [join(REPO, 'scripts', 'llama-cpp', 'build.sh'), '--backend', 'cpu'], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 45 * 60_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.status !== 0) {
    assert.fail(`scripts/llama-cpp/build.sh failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stderr.slice(-4000)}`);
  }
  const bin = result.stdout.trim().split('\n').at(-1)!;
  const server = join(bin, 'llama-server');
  assert.ok(existsSync(server), `${server} is missing after the build`);
  return server;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface LlamaServerOptions {
  executable: string;
  model: string;
  /** The name the server lists the model under (`--alias`). */
  alias?: string;
  apiKey?: string;
  /** Parallel slots (default 2). */
  parallel?: number;
  /** Total context over all slots (default 2048 a slot). */
  contextSize?: number;
  extraArgs?: string[];
  /** A fixed port (to restart a server where clients expect it); a free one by default. */
  port?: number;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export class LlamaServer {
  private output = '';
  private constructor(
    readonly process: ChildProcess,
    readonly port: number,
  ) {
    process.stdout!.on('data', (chunk: Buffer) => this.keep(chunk));
    process.stderr!.on('data', (chunk: Buffer) => this.keep(chunk));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The server's log so far (the last 20 000 characters), for failure messages. */
  get log(): string {
    return this.output;
  }

  static async start(options: LlamaServerOptions): Promise<LlamaServer> {
    const port = options.port ?? (await freePort());
    const parallel = options.parallel ?? 2;
    const args = [
      '--model',
      options.model,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--parallel',
      String(parallel),
      '--ctx-size',
      String(options.contextSize ?? 2048 * parallel),
      '--threads',
      '1',
      '--threads-batch',
      '1',
      '--no-webui',
      ...(options.alias ? ['--alias', options.alias] : []),
      ...(options.apiKey ? ['--api-key', options.apiKey] : []),
      ...(options.extraArgs ?? []),
    ];
    const child = spawn(options.executable, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    child.once('exit', () => running.delete(child));
    const server = new LlamaServer(child, port);
    await server.waitUntilHealthy(60_000);
    return server;
  }

  /** Waits for GET /health to answer 200 (the model is loaded). */
  async waitUntilHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.process.exitCode !== null || this.process.signalCode !== null) {
        assert.fail(`llama-server exited (${this.process.exitCode ?? this.process.signalCode}) before it was ready:\n${this.output.slice(-3000)}`);
      }
      try {
        const response = await fetch(`${this.url}/health`);
        if (response.status === 200) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.fail(`llama-server did not become healthy within ${timeoutMs} ms:\n${this.output.slice(-3000)}`);
  }

  /** Whether any slot is generating (GET /slots). */
  async busySlots(): Promise<number> {
    const response = await fetch(`${this.url}/slots`);
    const slots = (await response.json()) as Array<{ is_processing?: boolean }>;
    return slots.filter((slot) => slot.is_processing).length;
  }

  /** Freezes the process (SIGSTOP): the kernel still accepts connections, nothing answers them. */
  pause(): void {
    this.process.kill('SIGSTOP');
  }

  resume(): void {
    this.process.kill('SIGCONT');
  }

  /** Kills the process at once (SIGKILL), as a crash or a pulled plug would. */
  async kill(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    this.process.kill('SIGCONT');
    this.process.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    this.process.kill('SIGCONT');
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  private keep(chunk: Buffer): void {
    this.output = (this.output + chunk.toString()).slice(-20_000);
  }
}
