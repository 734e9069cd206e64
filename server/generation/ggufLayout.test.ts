import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { writeGguf } from '../../test/models/ggufWriter.ts';
import { ensureTestModels } from '../../test/models/testModels.ts';
import { checkGgufLayout, checkGgufPreamble, GgufLayoutError } from './ggufLayout.ts';

const scratch = mkdtempSync(join(tmpdir(), 'radreport-layout-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A GGUF preamble (magic, version 3, tensor and metadata counts) followed by `rest`. */
function gguf(tensors: bigint, metadata: bigint, ...rest: Buffer[]): Buffer {
  const head = Buffer.alloc(24);
  head.write('GGUF', 0, 'latin1');
  head.writeUInt32LE(3, 4);
  head.writeBigUInt64LE(tensors, 8);
  head.writeBigUInt64LE(metadata, 16);
  return Buffer.concat([head, ...rest]);
}
const u32 = (n: number) => Buffer.from(new Uint32Array([n]).buffer);
const u64 = (n: bigint) => Buffer.from(new BigUint64Array([n]).buffer);
const str = (s: string) => Buffer.concat([u64(BigInt(s.length)), Buffer.from(s)]);

async function layout(bytes: Buffer): Promise<void> {
  const path = join(scratch, 'file.gguf');
  writeFileSync(path, bytes);
  const handle = await open(path, 'r');
  try {
    await checkGgufLayout(handle, bytes.length);
  } finally {
    await handle.close();
  }
}

const TERA = 2n ** 40n;

describe('GGUF layout bounds', () => {
  test('the test models pass', async () => {
    const models = await ensureTestModels();
    for (const path of [models.model, models.lora, models.terse]) {
      const handle = await open(path, 'r');
      try {
        const { size } = await handle.stat();
        assert.equal((await checkGgufLayout(handle, size)).version, 3);
      } finally {
        await handle.close();
      }
    }
  });

  test('a 64-byte file claiming 2^40 tensors and 2^40 metadata entries is refused from its first 24 bytes', () => {
    const file = Buffer.concat([gguf(TERA, TERA), Buffer.alloc(40)]);
    assert.throws(
      () => checkGgufPreamble(file, file.length),
      (error: Error) =>
        error instanceof GgufLayoutError && /claims 1099511627776 metadata entries and 1099511627776 tensors.*file has 64 bytes/.test(error.message),
    );
  });

  test('counts the file can hold pass the preamble', () => {
    const file = gguf(0n, 1n, str('a'), u32(0), Buffer.alloc(1));
    assert.equal(checkGgufPreamble(file, file.length).metadataCount, 1n);
  });

  test('not a GGUF, an unsupported version', () => {
    assert.throws(() => checkGgufPreamble(Buffer.from('This is a radiology report, not a model.'), 41), /not "GGUF"/);
    const v1 = gguf(0n, 0n);
    v1.writeUInt32LE(1, 4);
    assert.throws(() => checkGgufPreamble(v1, v1.length), /GGUF version 1 is not supported/);
  });

  test('an array, a string or a key longer than the file is refused without reading it', async () => {
    await assert.rejects(layout(gguf(0n, 1n, str('a'), u32(9), u32(0), u64(TERA))), /array of 1099511627776 items.*past the end of the file \(49 bytes\)/);
    await assert.rejects(layout(gguf(0n, 1n, str('a'), u32(9), u32(8), u64(TERA))), /array of 1099511627776 items/);
    await assert.rejects(layout(gguf(0n, 1n, str('a'), u32(8), u64(TERA), Buffer.alloc(1))), /a metadata string \(1099511627776 bytes\)/);
    await assert.rejects(layout(gguf(0n, 1n, u64(TERA), Buffer.alloc(5))), /a metadata key/);
    await assert.rejects(layout(gguf(0n, 1n, str('a'), u32(42), Buffer.alloc(1))), /unknown metadata value type 42/);
  });

  test('a tensor with too many dimensions or a name past the end is refused', async () => {
    await assert.rejects(layout(gguf(1n, 0n, str('t'), u32(5), Buffer.alloc(60))), /claims 5 dimensions/);
    await assert.rejects(layout(gguf(1n, 0n, u64(TERA), Buffer.alloc(24))), /a tensor name/);
  });

  test('a written file passes, and every shorter prefix of its header is refused', async () => {
    const file = writeGguf(
      [
        ['general.architecture', { type: 'string', value: 'llama' }],
        ['tokenizer.ggml.tokens', { type: 'string[]', value: ['a', 'b'] }],
      ],
      [{ name: 't', dims: [2, 2], data: new Float32Array(4) }],
    );
    await layout(file);
    // The tensor info: name "t", 2 dimensions, type, offset; the header ends after it.
    const tensorInfo = file.indexOf(Buffer.concat([str('t'), u32(2)]));
    assert.ok(tensorInfo > 24);
    const headerEnd = tensorInfo + 9 + 4 + 16 + 4 + 8;
    for (let length = 24; length < headerEnd; length++) {
      await assert.rejects(layout(file.subarray(0, length)), GgufLayoutError, `prefix of ${length} bytes`);
    }
  });
});
