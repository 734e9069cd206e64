import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostMessage, ParentMessage } from './engineProtocol.ts';

/**
 * The inference host as seen from the language server: a forked Node process speaking `engineProtocol.ts` over IPC.
 * Its stdout and stderr are piped (never inherited: the stdio language server's stdout is the protocol) and the last
 * stderr lines are kept, because llama.cpp writes the reason for an abort there just before the process dies.
 */

export interface HostExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines the host wrote to stderr (a `GGML_ASSERT` message, a Node stack trace). */
  stderrTail: string[];
  /** The exit was asked for (`stop()`), not a crash. */
  expected: boolean;
}

export interface InferenceHostOptions {
  hostPath: string;
  onMessage(message: HostMessage): void;
  onExit(exit: HostExit): void;
  log?: (level: 'error' | 'warn' | 'info' | 'debug', message: string) => void;
}

const STDERR_LINES_KEPT = 20;
/**
 * The host's JavaScript heap limit (MiB). The model and its context live in native memory, outside it; what lives in it
 * is node-llama-cpp's reading of GGUF headers, which a crafted file could otherwise make grow without end.
 */
export const HOST_HEAP_LIMIT_MB = 1024;
const STOP_GRACE_MS = 2000;

export class InferenceHost {
  private readonly child: ChildProcess;
  private readonly stderrTail: string[] = [];
  private stopping = false;
  private exitInfo: HostExit | undefined;
  readonly exited: Promise<HostExit>;

  constructor(private readonly options: InferenceHostOptions) {
    this.child = fork(options.hostPath, [], {
      execArgv: [`--max-old-space-size=${HOST_HEAP_LIMIT_MB}`, ...hostExecArgv(options.hostPath)],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.child.on('message', (message) => options.onMessage(message as HostMessage));
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line.trim() !== '') options.log?.('info', `inference host: ${line}`);
    });
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) {
        if (line.trim() === '') continue;
        this.stderrTail.push(line);
        if (this.stderrTail.length > STDERR_LINES_KEPT) this.stderrTail.shift();
        options.log?.('warn', `inference host: ${line}`);
      }
    });
    this.exited = new Promise((resolve) => {
      const finish = (code: number | null, signal: NodeJS.Signals | null) => {
        if (this.exitInfo) return;
        this.exitInfo = { code, signal, stderrTail: [...this.stderrTail], expected: this.stopping };
        resolve(this.exitInfo);
        options.onExit(this.exitInfo);
      };
      // 'close' waits for stdio to drain, so the stderr tail is complete.
      this.child.on('close', finish);
      this.child.on('error', (error) => {
        this.stderrTail.push(error.message);
        if (this.child.exitCode === null && this.child.signalCode === null && this.child.pid === undefined) finish(null, null);
      });
    });
  }

  get pid(): number | undefined {
    return this.alive ? this.child.pid : undefined;
  }

  get alive(): boolean {
    return this.exitInfo === undefined;
  }

  /**
   * While active, the host keeps this process alive (a pending load or generation); an idle host does not, so a
   * process that forgets to stop it can still exit (the host then sees the IPC channel close and exits too).
   */
  setActive(active: boolean): void {
    if (!this.alive) return;
    const handles = [this.child, this.child.channel, this.child.stdout, this.child.stderr] as Array<{ ref?(): unknown; unref?(): unknown } | null | undefined>;
    for (const handle of handles) {
      if (active) handle?.ref?.();
      else handle?.unref?.();
    }
  }

  send(message: ParentMessage): void {
    if (!this.alive || !this.child.connected) return;
    this.child.send(message, (error) => {
      if (error) this.options.log?.('warn', `inference host: message not delivered: ${error.message}`);
    });
  }

  /**
   * Kills the host at once (SIGKILL works on a stopped or wedged process too) and waits for it to be gone. Used by the
   * watchdog, when the host no longer answers and cannot be asked to shut down.
   */
  async kill(): Promise<void> {
    if (!this.alive) return;
    this.stopping = true;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Asks the host to release the model and exit; kills it when it does not within a grace period. */
  async stop(): Promise<void> {
    if (!this.alive) return;
    this.stopping = true;
    this.setActive(true);
    this.send({ type: 'shutdown' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Where the host module is: next to this module, as `.ts` when running from source, `.mjs` in the bundle (`dist/`). */
export function defaultHostPath(): string {
  return hostModuleBeside(currentModuleFile());
}

/** `server/generation/llamaEngine.ts` → `server/generation/engineHost.ts`; `dist/server.mjs` → `dist/engineHost.mjs`. */
export function hostModuleBeside(moduleFile: string): string {
  return join(dirname(moduleFile), moduleFile.endsWith('.ts') ? 'engineHost.ts' : 'engineHost.mjs');
}

function currentModuleFile(): string {
  // An ESM module (source under tsx, an ESM bundle) has import.meta.url; a CommonJS bundle has __filename instead.
  const url: string | undefined = import.meta.url;
  if (typeof url === 'string' && url !== '') return fileURLToPath(url);
  if (typeof __filename === 'string') return __filename;
  throw new Error('Cannot locate the inference host module; pass hostPath explicitly');
}

/** A TypeScript host runs through tsx (tests, `npx tsx`); the bundled `.mjs` host runs on plain Node. */
function hostExecArgv(hostPath: string): string[] {
  if (!hostPath.endsWith('.ts')) return [];
  let loader = 'tsx';
  try {
    loader = import.meta.resolve('tsx');
  } catch {
    // Resolved from the working directory instead.
  }
  return ['--import', loader];
}
