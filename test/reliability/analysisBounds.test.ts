/**
 * Issue 11, item 1: the time to check a report is bounded on any input. Every adversarial input (test/reliability/
 * adversarialCorpus.ts), and documents fuzzed from the characters markdown and the sentence splitter find hardest, is
 * checked (parse + all rules) in a worker thread within a per-document limit; a worker that overruns is terminated, so
 * today's code passes in seconds and code with a super-linear path fails instead of hanging.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { ADVERSARIAL_INPUTS, adversarialReport } from './adversarialCorpus.ts';
import type { TimedAnalysis } from './analysisTimer.ts';

/** Per document: generous for a loaded 2-core CI machine; the inputs took 8 s to minutes before the bounds. */
const LIMIT_MS = 2_000;
/** How long a hung worker is given before the document counts as failed. */
const HANG_MS = 5_000;
const SIZES = [65_536, 262_144];
/** A fixed seed and a bounded number of runs in CI; RADREPORT_FUZZ_RUNS and RADREPORT_FUZZ_SEED fuzz longer by hand. */
const FUZZ_RUNS = Number(process.env.RADREPORT_FUZZ_RUNS ?? 150);
const FUZZ_SEED = Number(process.env.RADREPORT_FUZZ_SEED ?? 11);

class AnalysisTimer {
  private worker!: Worker;
  private ready!: Promise<void>;

  constructor() {
    this.spawn();
  }

  private spawn(): void {
    // A worker does not inherit tsx's loader for a `.ts` entry: register it, then import the TypeScript module.
    const entry = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => { register(); return import(${JSON.stringify(new URL('./analysisTimer.ts', import.meta.url).href)}); });`;
    this.worker = new Worker(entry, { eval: true });
    const worker = this.worker;
    this.ready = new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      worker.once('error', onError);
      worker.once('message', () => {
        worker.off('error', onError);
        resolve();
      });
    });
  }

  /** The time to check `text`, or the reason it could not be (overrun, crash). */
  async time(text: string): Promise<TimedAnalysis> {
    await this.ready;
    return new Promise((resolve) => {
      const worker = this.worker;
      const done = (result: TimedAnalysis, respawn: boolean) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        if (respawn) {
          void worker.terminate();
          this.spawn();
        }
        resolve(result);
      };
      const onMessage = (result: TimedAnalysis) => done(result, false);
      const onError = (error: Error) => done({ ms: 0, problems: 0, reader: '', error: `worker crashed: ${error.message}` }, true);
      const timer = setTimeout(() => done({ ms: HANG_MS, problems: 0, reader: '', error: `no answer in ${HANG_MS} ms` }, true), HANG_MS);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.postMessage(text);
    });
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}

let timer: AnalysisTimer;
before(() => {
  timer = new AnalysisTimer();
});
after(() => timer.stop());

describe('adversarial corpus', () => {
  for (const size of SIZES) {
    test(`every input of ${size / 1024} KB is checked in under ${LIMIT_MS} ms`, async (t) => {
      const slow: string[] = [];
      let worst = { kind: '', ms: 0 };
      for (const input of ADVERSARIAL_INPUTS) {
        const result = await timer.time(adversarialReport(input, size));
        if (result.ms > worst.ms) worst = { kind: input.kind, ms: result.ms };
        if (result.error || result.ms > LIMIT_MS) slow.push(`${input.kind} (${input.description}): ${result.error ?? `${Math.round(result.ms)} ms`}`);
      }
      t.diagnostic(`slowest at ${size} characters: ${worst.kind} in ${Math.round(worst.ms)} ms`);
      assert.deepEqual(slow, []);
    });
  }

  test('deeply nested block quotes and lists are read (line by line), not a stack overflow', async () => {
    for (const kind of ['blockquote', 'blockquote-spaced', 'list']) {
      const result = await timer.time(
        adversarialReport(
          ADVERSARIAL_INPUTS.find((i) => i.kind === kind)!,
          10_240,
        ),
      );
      assert.equal(result.error, undefined, kind);
      assert.equal(result.reader, 'lines', kind);
    }
  });
});

/** Characters weighted towards what markdown's inline parser and the sentence splitter find hardest. */
const DANGEROUS = [
  '*',
  '_',
  '[',
  ']',
  '(',
  ')',
  '<',
  '>',
  '!',
  '`',
  '&',
  '#',
  '\\',
  '-',
  '|',
  '~',
  '.',
  ' ',
  '\n',
  '<!--',
  '-->',
  '[insert ',
  '> ',
  '- ',
  '1. ',
  'Dr. ',
  'FINDINGS: ',
  'left ',
  'right ',
  '1 x ',
  'cm. ',
  'a',
  'Lungs ',
];

describe('fuzzed documents', () => {
  test(`parse + rules stay under ${LIMIT_MS} ms per document`, async (t) => {
    const piece = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...DANGEROUS) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) });
    // A run of one piece (what makes parsers quadratic) or a mix of pieces, up to about 64 KB.
    const body = fc.oneof(
      fc.tuple(fc.array(piece, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 16_000 })).map(([unit, times]) => unit.join('').repeat(times)),
      fc.array(piece, { maxLength: 4_000 }).map((pieces) => pieces.join('')),
    );
    const report = fc
      .tuple(body, fc.boolean())
      .map(([text, wrapped]) => (wrapped ? `## Findings\n\n${text}\n\n## Impression\n\n${text.slice(0, 2_000)}\n` : text));
    let documents = 0;
    let characters = 0;
    let totalMs = 0;
    let slowest = { ms: 0, sample: '', length: 0 };
    await fc.assert(
      fc.asyncProperty(report, async (text) => {
        const result = await timer.time(text);
        documents++;
        characters += text.length;
        totalMs += result.ms;
        if (result.ms > slowest.ms) slowest = { ms: result.ms, sample: JSON.stringify(text.slice(0, 60)), length: text.length };
        assert.equal(result.error, undefined);
        assert.ok(result.ms < LIMIT_MS, `${Math.round(result.ms)} ms for ${text.length} characters`);
      }),
      { numRuns: FUZZ_RUNS, seed: FUZZ_SEED, endOnFailure: true },
    );
    t.diagnostic(
      `${documents} documents (${(characters / 1e6).toFixed(1)} M characters) in ${(totalMs / 1000).toFixed(1)} s: ${(documents / (totalMs / 1000)).toFixed(1)} documents/s`,
    );
    t.diagnostic(`slowest: ${Math.round(slowest.ms)} ms, ${slowest.length} characters starting ${slowest.sample}`);
  });
});
