/**
 * Checks reports (parse + rules) in a worker thread with a time budget, so the language server keeps answering
 * completion, code actions and shutdown while a report is checked. One worker, one report at a time: a newer version of
 * a report replaces its older version still waiting, and stops the older one if it is being checked (the worker is
 * ended and a fresh one started); a check past its budget is stopped the same way and answered with a clear reason.
 */
import { Worker } from 'node:worker_threads';
import type { ReportConfig } from '../config/reportConfig.ts';
import { createPositionIndex } from '../report/positionIndex.ts';
import type { Report } from '../report/types.ts';
import type { LintMode } from '../rules/lintReport.ts';
import type { Problem } from '../rules/rule.ts';
import type { AnalysisAnswer, AnalysisJob } from './analysisWorker.ts';

export type AnalyserResult = { report: Report; problems: Problem[] } | { skipped: string };

export interface ReportAnalyser {
  /** Checks `text` of the document `uri` at `version`. Never rejects: a failure or an overrun is a `skipped` reason. */
  analyse(uri: string, version: number, text: string, config: ReportConfig, mode?: LintMode): Promise<AnalyserResult>;
  dispose(): Promise<void>;
}

export interface WorkerAnalyserOptions {
  /** Creates the worker running `analysisWorker.ts` (the bundle's `dist/analysisWorker.mjs`, or the source under tsx). */
  createWorker(): Worker;
  /** Most milliseconds one report may take before its check is stopped. */
  budgetMs: number;
  log?(level: 'warn' | 'error', message: string): void;
}

interface Pending {
  id: number;
  uri: string;
  version: number;
  job: AnalysisJob;
  resolve(result: AnalyserResult): void;
}

export function createWorkerAnalyser(options: WorkerAnalyserOptions): ReportAnalyser {
  let worker: Worker | undefined;
  let ready: Promise<void> | undefined;
  let running: (Pending & { timer?: NodeJS.Timeout }) | undefined;
  const queue: Pending[] = [];
  let nextId = 1;
  let disposed = false;

  function start(): void {
    const current = options.createWorker();
    worker = current;
    current.unref();
    ready = new Promise((resolve) => current.once('message', () => resolve()));
    current.on('message', (answer: AnalysisAnswer) => {
      if (current !== worker || !running || answer.id !== running.id) return;
      const done = running;
      clearTimeout(done.timer);
      running = undefined;
      if ('error' in answer) {
        options.log?.('error', `Checking ${done.uri} failed: ${answer.error}`);
        done.resolve({ skipped: `Checking this report failed: ${answer.error.split('\n')[0]}` });
      } else {
        done.resolve({ report: { ...answer.report, positions: createPositionIndex(answer.report.text) }, problems: answer.problems });
      }
      pump();
    });
    current.on('error', (error) => {
      if (current !== worker) return;
      options.log?.('error', `The report checker stopped: ${error.stack ?? error.message}`);
      restart({ skipped: `Checking this report failed: ${error.message}` });
    });
    current.on('exit', () => {
      if (current === worker && !disposed) restart({ skipped: 'The report checker stopped; the report will be checked again at the next edit.' });
    });
  }

  /** Ends the worker (answering what it was checking with `result`) and starts a fresh one for the queue. */
  function restart(result: AnalyserResult): void {
    const old = worker;
    worker = undefined;
    ready = undefined;
    if (old) void old.terminate();
    if (running) {
      clearTimeout(running.timer);
      running.resolve(result);
      running = undefined;
    }
    if (!disposed) pump();
  }

  function pump(): void {
    if (running || disposed) return;
    const next = queue.shift();
    if (!next) return;
    if (!worker) start();
    running = next;
    const job = next;
    void ready!.then(() => {
      if (running !== job || !worker) return;
      job.job.id = job.id;
      worker.postMessage(job.job);
      running.timer = setTimeout(() => {
        if (running !== job) return;
        options.log?.('warn', `Checking ${job.uri} took longer than ${options.budgetMs} ms and was stopped.`);
        restart({
          skipped: `Checking this report took longer than ${options.budgetMs / 1000} s and was stopped; the report was not checked. Please report the text that causes this.`,
        });
      }, options.budgetMs);
    });
  }

  return {
    analyse(uri, version, text, config, mode) {
      return new Promise<AnalyserResult>((resolve) => {
        if (disposed) return resolve({ skipped: 'The language server is shutting down.' });
        const superseded = { skipped: 'A newer version of the report is being checked.' };
        for (let i = queue.length - 1; i >= 0; i--) {
          if (queue[i]!.uri === uri && queue[i]!.version < version) queue.splice(i, 1)[0]!.resolve(superseded);
        }
        const id = nextId++;
        queue.push({ id, uri, version, job: { id, text, config, ...(mode?.template ? { mode } : {}) }, resolve });
        // The version being checked is out of date: stop it, so the new one does not wait for it.
        if (running && running.uri === uri && running.version < version) restart(superseded);
        else pump();
      });
    },
    async dispose() {
      disposed = true;
      for (const pending of queue.splice(0)) pending.resolve({ skipped: 'The language server is shutting down.' });
      const old = worker;
      worker = undefined;
      if (running) {
        clearTimeout(running.timer);
        running.resolve({ skipped: 'The language server is shutting down.' });
        running = undefined;
      }
      if (old) await old.terminate();
    },
  };
}

/**
 * Starts the analysis worker next to this module: `dist/analysisWorker.mjs` beside the bundled server, or the TypeScript
 * source with tsx's loader when the server runs from source (tests, `tsx server/lsp/main.ts`).
 */
export function analysisWorkerFactory(moduleUrl: string = import.meta.url): () => Worker {
  if (!moduleUrl.endsWith('.ts')) return () => new Worker(new URL('./analysisWorker.mjs', moduleUrl));
  const tsx = import.meta.resolve('tsx/esm/api');
  const source = new URL('./analysisWorker.ts', moduleUrl).href;
  const entry = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(source)}); });`;
  return () => new Worker(entry, { eval: true });
}
