/**
 * Crafted GGUF headers (issue 11, item 3), through the real language server and a real LSP client: a file whose header
 * claims far more entries or bytes than it holds must give a clear error quickly, without the language server's memory
 * growing, and must not leave generation locked: a valid model works right after.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureTestModels, type TestModels } from '../models/testModels.ts';
import { LspTestClient } from '../lsp/lspTestClient.ts';
import { CLINICAL_OFF } from '../support/clinicalRulesOff.ts';

const REPORT = `---
type: radiology-report
---
# CT abdomen

## Findings
Simple cyst in the right kidney.

## Impression

`;

const TERA = 2n ** 40n;

function preamble(tensors: bigint, metadata: bigint): Buffer {
  const head = Buffer.alloc(24);
  head.write('GGUF', 0, 'latin1');
  head.writeUInt32LE(3, 4);
  head.writeBigUInt64LE(tensors, 8);
  head.writeBigUInt64LE(metadata, 16);
  return head;
}

/** The file: 64 bytes whose header claims 2^40 tensors and 2^40 metadata entries. */
function craftedCounts(): Buffer {
  return Buffer.concat([preamble(TERA, TERA), Buffer.alloc(40)]);
}

/** Counts the file can hold, but one metadata entry that claims to be an array of 2^40 bytes. */
function craftedArray(): Buffer {
  const entry = Buffer.alloc(8 + 1 + 4 + 4 + 8);
  entry.writeBigUInt64LE(1n, 0);
  entry.write('a', 8, 'latin1');
  entry.writeUInt32LE(9, 9); // array
  entry.writeUInt32LE(0, 13); // of u8
  entry.writeBigUInt64LE(TERA, 17);
  return Buffer.concat([preamble(0n, 1n), entry]);
}

/** Peak and current resident memory of a process, in MiB (Linux). */
function memory(pid: number): { peak: number; now: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)![1]) / 1024;
  return { peak: kib('VmHWM'), now: kib('VmRSS') };
}

describe('crafted GGUF headers', () => {
  let models: TestModels;
  let client: LspTestClient;
  const dir = mkdtempSync(join(tmpdir(), 'radreport-crafted-'));
  const counts = join(dir, 'counts.gguf');
  const array = join(dir, 'array.gguf');
  const settings = (model: string) => ({ model, maxTokens: 8, diagnosticsDelayMs: 0, inlineCompletion: { enabled: false }, rules: CLINICAL_OFF });

  before(async () => {
    models = await ensureTestModels();
    writeFileSync(counts, craftedCounts());
    writeFileSync(array, craftedArray());
    client = await LspTestClient.start({ settings: settings(counts) });
  });
  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The command's answer, or a failure after 20 s (before the fix, the server was still reading the header at 120 s). */
  const generate = (uri: string) => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('no answer to generateConclusion within 20 s')), 20_000);
    });
    const request = client.request<{ status: string; text: string; message?: string }>('workspace/executeCommand', {
      command: 'radiologyReport.generateConclusion',
      arguments: [{ uri, version: client.version(uri) }],
    });
    return Promise.race([request, deadline]).finally(() => clearTimeout(timer));
  };

  test("2^40 tensors and 2^40 metadata entries in 64 bytes: a clear error in under 2 s, the server's memory flat, then a valid model works", async () => {
    const uri = client.open(REPORT);
    await client.diagnosticsFor(uri);
    const pid = client.process.pid!;
    const before = memory(pid);
    const started = Date.now();
    const result = await generate(uri);
    const ms = Date.now() - started;
    const afterCheck = memory(pid);
    assert.equal(result.status, 'failed');
    assert.match(
      result.message ?? '',
      /counts\.gguf: the GGUF header is invalid: the header claims 1099511627776 metadata entries and 1099511627776 tensors, which need at least \d+ bytes, but the file has 64 bytes/,
    );
    assert.ok(ms < 2000, `the error came after ${ms} ms`);
    assert.ok(afterCheck.peak - before.peak < 64, `the server's peak memory grew from ${before.peak} to ${afterCheck.peak} MiB`);
    assert.ok(client.modelStates.some((s) => (s as { state: string }).state === 'error'));
    console.log(`crafted counts: error in ${ms} ms; server peak RSS ${before.peak.toFixed(0)} -> ${afterCheck.peak.toFixed(0)} MiB`);

    await client.changeSettings(settings(models.model));
    const valid = await generate(uri);
    assert.equal(valid.status, 'written', JSON.stringify(valid));
  });

  test("a metadata array claiming 2^40 bytes: a clear error, bounded in time, the server's memory flat, then a valid model works", async () => {
    await client.changeSettings(settings(array));
    const uri = client.open(REPORT);
    const pid = client.process.pid!;
    const before = memory(pid);
    const started = Date.now();
    const result = await generate(uri);
    const ms = Date.now() - started;
    const afterCheck = memory(pid);
    assert.equal(result.status, 'failed');
    assert.match(
      result.message ?? '',
      /array\.gguf: the GGUF header is invalid: the header claims an array of 1099511627776 items .* past the end of the file \(49 bytes\)/,
    );
    // The rest of the header is read in the inference host (its start, loading node-llama-cpp, is most of this).
    assert.ok(ms < 10_000, `the error came after ${ms} ms`);
    assert.ok(afterCheck.peak - before.peak < 64, `the server's peak memory grew from ${before.peak} to ${afterCheck.peak} MiB`);
    console.log(`crafted array: error in ${ms} ms; server peak RSS ${before.peak.toFixed(0)} -> ${afterCheck.peak.toFixed(0)} MiB`);

    await client.changeSettings(settings(models.model));
    const valid = await generate(uri);
    assert.equal(valid.status, 'written', JSON.stringify(valid));
  });
});
