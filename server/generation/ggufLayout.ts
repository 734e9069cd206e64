import type { FileHandle } from 'node:fs/promises';

/**
 * Bounds of a GGUF header, checked before any full parser reads it. A GGUF header is counts followed by entries whose
 * sizes the file itself declares (2^40 metadata entries, a string of 2^40 bytes, an array of 2^40 items): a parser that
 * believes them loops or allocates without end (issue 11: a 64-byte file kept the language server busy for minutes and
 * took 2 GB). Here every count and length is checked against the bytes left in the file, so the work and memory of
 * reading the header are bounded by the file's size.
 *
 * Layout (llama.cpp `gguf.cpp`): magic "GGUF", u32 version, u64 tensor count, u64 metadata count, the metadata
 * (key string, u32 type, value), then the tensor infos (name string, u32 dimension count, u64 dimensions, u32 type,
 * u64 offset). Strings are a u64 length and bytes; little-endian throughout.
 */

/** Size of the fixed start: magic, version, tensor count, metadata count. */
export const GGUF_PREAMBLE_BYTES = 24;
/** The fewest bytes a metadata entry takes: an empty key (8), its type (4), a one-byte value (1). */
const MIN_METADATA_BYTES = 8 + 4 + 1;
/** The fewest bytes a tensor info takes: an empty name (8), the dimension count (4), the type (4), the offset (8). */
const MIN_TENSOR_INFO_BYTES = 8 + 4 + 4 + 8;
/** llama.cpp's GGML_MAX_DIMS. */
const MAX_DIMENSIONS = 4;
const SUPPORTED_VERSIONS = [2, 3];

/** Bytes of a fixed-size metadata value, by GGUF value type; string (8) and array (9) are sized by their contents. */
const VALUE_BYTES: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
const STRING = 8;
const ARRAY = 9;

export interface GgufPreamble {
  version: number;
  tensorCount: bigint;
  metadataCount: bigint;
}

/** A header that cannot be a GGUF file, or whose counts and lengths do not fit in the file; `message` says which. */
export class GgufLayoutError extends Error {
  override readonly name = 'GgufLayoutError';
}

/**
 * Checks the first 24 bytes: the magic, a version llama.cpp reads, and counts of metadata entries and tensors that the
 * file is large enough to hold. Constant time, whatever the file claims.
 */
export function checkGgufPreamble(bytes: Buffer, fileSize: number): GgufPreamble {
  if (bytes.length < GGUF_PREAMBLE_BYTES) throw new GgufLayoutError(`only ${fileSize} bytes`);
  const magic = bytes.subarray(0, 4).toString('latin1');
  if (magic !== 'GGUF') throw new GgufLayoutError(`it starts with ${JSON.stringify(magic.replace(/[^\x20-\x7e]/g, '?'))}, not "GGUF"`);
  const version = bytes.readUInt32LE(4);
  if (!SUPPORTED_VERSIONS.includes(version)) {
    throw new GgufLayoutError(`GGUF version ${version} is not supported (llama.cpp reads versions ${SUPPORTED_VERSIONS.join(' and ')})`);
  }
  const tensorCount = bytes.readBigUInt64LE(8);
  const metadataCount = bytes.readBigUInt64LE(16);
  const needed = BigInt(GGUF_PREAMBLE_BYTES) + metadataCount * BigInt(MIN_METADATA_BYTES) + tensorCount * BigInt(MIN_TENSOR_INFO_BYTES);
  if (needed > BigInt(fileSize)) {
    throw new GgufLayoutError(
      `the header claims ${metadataCount} metadata entries and ${tensorCount} tensors, which need at least ${needed} bytes, but the file has ${fileSize} bytes (a crafted or corrupt header)`,
    );
  }
  return { version, tensorCount, metadataCount };
}

/**
 * Walks the whole header (metadata and tensor infos) reading only lengths and counts, and checks each against the bytes
 * left in the file. The number of steps is at most the file's size over the smallest entry; memory is one read buffer.
 */
export async function checkGgufLayout(handle: FileHandle, fileSize: number): Promise<GgufPreamble> {
  const reader = new BoundedReader(handle, fileSize);
  await reader.need(GGUF_PREAMBLE_BYTES);
  const preamble = checkGgufPreamble(reader.bytes(GGUF_PREAMBLE_BYTES), fileSize);
  for (let entry = 0n; entry < preamble.metadataCount; entry++) {
    await reader.need(8);
    reader.skip(reader.length('a metadata key'));
    await reader.need(4);
    await skipValue(reader, reader.u32(), 0);
  }
  for (let tensor = 0n; tensor < preamble.tensorCount; tensor++) {
    await reader.need(8);
    reader.skip(reader.length('a tensor name'));
    await reader.need(4);
    const dimensions = reader.u32();
    if (dimensions > MAX_DIMENSIONS) {
      throw new GgufLayoutError(`tensor ${tensor} claims ${dimensions} dimensions at byte ${reader.position - 4} (llama.cpp allows ${MAX_DIMENSIONS})`);
    }
    reader.skip(BigInt(dimensions * 8 + 4 + 8));
  }
  return preamble;
}

async function skipValue(reader: BoundedReader, type: number, depth: number): Promise<void> {
  const fixed = VALUE_BYTES[type];
  if (fixed !== undefined) return reader.skip(BigInt(fixed));
  if (type === STRING) {
    await reader.need(8);
    return reader.skip(reader.length('a metadata string'));
  }
  if (type !== ARRAY) throw new GgufLayoutError(`unknown metadata value type ${type} at byte ${reader.position - 4}`);
  if (depth > 2) throw new GgufLayoutError(`arrays nested more than three deep at byte ${reader.position - 4}`);
  await reader.need(12);
  const itemType = reader.u32();
  const count = reader.u64();
  const itemFixed = VALUE_BYTES[itemType];
  // The smallest an item can be: its fixed size, a string's length field, a nested array's type and count.
  const least = itemFixed ?? (itemType === STRING ? 8 : itemType === ARRAY ? 12 : undefined);
  if (least === undefined) throw new GgufLayoutError(`unknown array item type ${itemType} at byte ${reader.position - 12}`);
  reader.within(count * BigInt(least), `an array of ${count} items`);
  if (itemFixed !== undefined) return reader.skip(count * BigInt(itemFixed));
  for (let item = 0n; item < count; item++) {
    if (itemType === STRING) {
      // Most of a header is a vocabulary: strings read from the buffer without a promise each.
      if (!reader.buffered(8)) await reader.need(8);
      reader.skip(reader.length('a metadata string'));
    } else {
      await skipValue(reader, itemType, depth + 1);
    }
  }
}

/** Reads a file forward through one buffer, refusing any length that runs past its end. */
class BoundedReader {
  private static readonly CHUNK = 1 << 20;
  private buffer = Buffer.alloc(0);
  /** File offset of `buffer[0]`. */
  private bufferStart = 0;
  position = 0;

  constructor(
    private readonly handle: FileHandle,
    private readonly size: number,
  ) {}

  /** Throws unless `bytes` more bytes are left in the file. */
  within(bytes: bigint, what: string): void {
    // A bigint compares with a number as it is: no allocation for each of a vocabulary's strings.
    if (bytes > this.size - this.position) {
      throw new GgufLayoutError(`the header claims ${what} (${bytes} bytes) at byte ${this.position}, past the end of the file (${this.size} bytes)`);
    }
  }

  /** Whether the next `count` bytes are in the buffer. */
  buffered(count: number): boolean {
    const offset = this.position - this.bufferStart;
    return offset >= 0 && offset + count <= this.buffer.length;
  }

  /** Makes the next `count` bytes readable (they must be in the file). */
  async need(count: number): Promise<void> {
    this.within(BigInt(count), `a ${count}-byte field`);
    if (this.buffered(count)) return;
    const length = Math.min(Math.max(count, BoundedReader.CHUNK), this.size - this.position);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await this.handle.read(buffer, 0, length, this.position);
    if (bytesRead < count) throw new GgufLayoutError(`the file ended early at byte ${this.position + bytesRead}`);
    this.buffer = buffer.subarray(0, bytesRead);
    this.bufferStart = this.position;
  }

  /** The next `count` bytes, after `need(count)`. */
  bytes(count: number): Buffer {
    const start = this.position - this.bufferStart;
    this.position += count;
    return this.buffer.subarray(start, start + count);
  }

  u32(): number {
    return this.bytes(4).readUInt32LE(0);
  }

  u64(): bigint {
    return this.bytes(8).readBigUInt64LE(0);
  }

  /** A u64 length of something that follows (after `need(8)`), checked against the bytes left. */
  length(what: string): bigint {
    const length = this.u64();
    this.within(length, what);
    return length;
  }

  skip(bytes: bigint): void {
    this.within(bytes, `a field of ${bytes} bytes`);
    this.position += Number(bytes);
  }
}
