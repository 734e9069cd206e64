import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

/**
 * The real VS Code for the end-to-end tests: code-server (installed into .cache/ by scripts/install-e2e.sh), with its
 * own HOME, user data and extensions folders, on a free port of 127.0.0.1. Every process it starts (the extension
 * host, the language server, the inference host) and the browser carry a marker in their environment, so the test can
 * find and kill all of them at the end, whatever happened.
 */

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const CHROMIUM = '/usr/bin/chromium';
export const APT_PACKAGES = 'apt-get install -y chromium libkrb5-dev ripgrep';
export const MARKER_VARIABLE = 'RADREPORT_E2E_RUN';

/** Chromium flags for tests: no sandbox (containers), no GPU, nothing that reaches the network on its own. */
export const OFFLINE_CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Headless Chromium for the code-server page, with its own HOME and the run's marker, so `killMarked` finds it. */
export function launchChromium(home: string, marker: string): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...OFFLINE_CHROMIUM_ARGS],
    env: { ...process.env, HOME: home, [MARKER_VARIABLE]: marker },
    timeout: 60_000,
  });
}

/** Fails (never skips) when a system package the tier needs is missing, with the apt-get command that installs it. */
export function requireSystemPackages(): void {
  const missing: string[] = [];
  if (!existsSync(CHROMIUM)) missing.push(`${CHROMIUM} (package chromium)`);
  if (spawnSync('rg', ['--version']).status !== 0) missing.push('rg (package ripgrep)');
  if (missing.length) assert.fail(`The end-to-end tests need ${missing.join(' and ')}. Install with: ${APT_PACKAGES}`);
}

/** Installs code-server into .cache/code-server when missing (minutes, once) and returns its entry point. */
export function installCodeServer(): string {
  const result = spawnSync('bash', [join(REPO, 'scripts', 'install-e2e.sh')], { cwd: REPO, encoding: 'utf8', timeout: 20 * 60_000 });
  if (result.status !== 0) {
    assert.fail(`scripts/install-e2e.sh failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stderr.slice(-4000)}`);
  }
  const entry = result.stdout.trim().split('\n').at(-1)!;
  assert.ok(existsSync(entry), `code-server entry point ${entry} is missing`);
  return entry;
}

export interface CodeServerOptions {
  entry: string;
  home: string;
  userDataDir: string;
  extensionsDir: string;
  /** Extra environment for code-server and everything it starts. */
  env: Record<string, string>;
  /** Unique per run; see {@link killMarked}. */
  marker: string;
}

function serverEnv(options: CodeServerOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env, HOME: options.home, [MARKER_VARIABLE]: options.marker };
  for (const name of ['XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_STATE_HOME', 'XDG_CACHE_HOME', 'XDG_RUNTIME_DIR', 'VSCODE_IPC_HOOK_CLI', 'NODE_OPTIONS']) {
    delete env[name];
  }
  return env;
}

/** `code-server --install-extension FILE.vsix` into the extensions folder; returns its output. */
export function installExtension(options: CodeServerOptions, vsix: string): string {
  const result = spawnSync(
    process.execPath,
    [options.entry, '--user-data-dir', options.userDataDir, '--extensions-dir', options.extensionsDir, '--install-extension', vsix, '--force'],
    { env: serverEnv(options), encoding: 'utf8', timeout: 180_000 },
  );
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0 || !/successfully installed/i.test(output)) {
    assert.fail(`code-server --install-extension ${vsix} failed (${result.error?.message ?? `exit ${result.status}`}):\n${output.slice(-3000)}`);
  }
  return output;
}

export class CodeServer {
  private output = '';
  private constructor(
    readonly process: ChildProcess,
    readonly options: CodeServerOptions,
  ) {
    process.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    process.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  url = '';

  /** Starts code-server and waits until it says which port it bound. */
  static async start(options: CodeServerOptions, timeoutMs = 90_000): Promise<CodeServer> {
    const child = spawn(
      process.execPath,
      [
        options.entry,
        '--auth',
        'none',
        '--bind-addr',
        '127.0.0.1:0',
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        '--ignore-last-opened',
        '--user-data-dir',
        options.userDataDir,
        '--extensions-dir',
        options.extensionsDir,
      ],
      // Its own process group, so the whole tree can be killed at once.
      { env: serverEnv(options), stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    const server = new CodeServer(child, options);
    const started = Date.now();
    while (!server.url) {
      const match = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\/?/.exec(server.output);
      if (match) server.url = match[1]!;
      else if (child.exitCode !== null) assert.fail(`code-server exited with ${child.exitCode} before listening:\n${server.logTail()}`);
      else if (Date.now() - started > timeoutMs) {
        server.kill();
        assert.fail(`code-server did not start listening within ${timeoutMs} ms:\n${server.logTail()}`);
      } else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return server;
  }

  /** The end of code-server's own output, then the extension host's log and the extension's output channel. */
  logTail(chars = 4000): string {
    const parts = [`--- code-server output ---\n${this.output.slice(-chars)}`];
    for (const file of logFiles(join(this.options.userDataDir, 'logs'))) {
      if (/remoteexthost|remoteagent|radreport|Radiology Report/i.test(file)) {
        parts.push(`--- ${file.slice(this.options.userDataDir.length + 1)} ---\n${readFileSync(file, 'utf8').slice(-chars)}`);
      }
    }
    return parts.join('\n');
  }

  /** Kills code-server's process group (code-server, its extension host, the language server it started). */
  kill(): void {
    try {
      process.kill(-this.process.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  /** Kills the process group and waits (up to 5 s) for code-server itself to be gone. */
  async stop(): Promise<void> {
    const exited =
      this.process.exitCode !== null || this.process.signalCode !== null
        ? Promise.resolve()
        : new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    this.kill();
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
  }
}

/** Every log file under code-server's logs folder, newest session last. */
export function logFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...logFiles(path));
    else if (entry.name.endsWith('.log') && statSync(path).size > 0) files.push(path);
  }
  return files;
}

/** The processes whose environment carries `RADREPORT_E2E_RUN=marker`: code-server's tree and the browser's. */
export function markedProcesses(marker: string): Array<{ pid: number; command: string }> {
  const needle = `${MARKER_VARIABLE}=${marker}\0`;
  const found: Array<{ pid: number; command: string }> = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${pid}/environ`, 'latin1').includes(needle)) continue;
      found.push({ pid, command: readFileSync(`/proc/${pid}/cmdline`, 'latin1').replaceAll('\0', ' ').trim().slice(0, 1000) });
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

/** Kills every process of the run that is still running (SIGKILL) and returns them. */
export async function killMarked(marker: string): Promise<Array<{ pid: number; command: string }>> {
  // Processes killed a moment ago may still be on their way out: look twice before calling one a leftover.
  let left = markedProcesses(marker);
  for (let i = 0; i < 10 && left.length; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = markedProcesses(marker);
  }
  for (const { pid } of left) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  // Zombies of our own children go once reaped; give the kernel a moment.
  for (let i = 0; i < 20 && markedProcesses(marker).some((p) => !isZombie(p.pid)); i++) await new Promise((r) => setTimeout(r, 100));
  return left;
}

function isZombie(pid: number): boolean {
  try {
    return /\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'latin1'));
  } catch {
    return true;
  }
}
