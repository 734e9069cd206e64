import { open, stat } from 'node:fs/promises';
import type { GgufFileInfo } from 'node-llama-cpp';
import { ModelFileError } from './engine.ts';
import { checkGgufLayout, checkGgufPreamble, GGUF_PREAMBLE_BYTES, GgufLayoutError } from './ggufLayout.ts';

/**
 * Checks a model or LoRA adapter GGUF before llama.cpp sees it. llama.cpp trusts the file: some malformed files make it
 * throw (caught), others make it abort the whole process (a `GGML_ASSERT` on a missing `feed_forward_length`). This
 * check turns what can be known from the header into a `ModelFileError` that says what is wrong; the inference host
 * process is the second line of defence for the rest.
 *
 * Reads only the header (metadata and tensor table) with node-llama-cpp's `readGgufFileInfo`, never the network, and
 * only after every count and length in it has been checked against the file's size (`ggufLayout.ts`). The full check
 * runs in the inference host, under its memory limit and the engine's time limit; the language server runs only
 * `checkGgufFile`, which reads 24 bytes.
 */

export interface CheckedModelFile {
  /** `general.architecture`, e.g. `llama`. */
  architecture: string;
  /** `general.name`, when the file has one. */
  name: string | undefined;
  /** Context length the model was trained with. */
  trainContextSize: number | undefined;
}

/** Checks a base model file. Throws `ModelFileError` naming the file and the problem. */
export async function checkModelFile(path: string): Promise<CheckedModelFile> {
  const { info, size } = await readHeader(path, 'model');
  const metadata = flatMetadata(info);
  const architecture = metadata['general.architecture'];
  if (typeof architecture !== 'string' || architecture === '') {
    throw new ModelFileError(path, 'the GGUF metadata has no general.architecture');
  }
  if (metadata['general.type'] === 'adapter') {
    throw new ModelFileError(path, 'this is a LoRA adapter, not a base model; set it as an adapter and choose a base model');
  }
  for (const key of ['context_length', 'embedding_length', 'block_count']) {
    requirePositive(path, metadata, `${architecture}.${key}`);
  }
  const tensorNames = new Set((info.fullTensorInfo ?? info.tensorInfo ?? []).map((tensor) => tensor.name));
  const hasDenseFeedForward = [...tensorNames].some((name) => /^blk\.\d+\.ffn_(up|gate|down)\.weight$/.test(name));
  if (hasDenseFeedForward) requirePositive(path, metadata, `${architecture}.feed_forward_length`);
  const hasAttention = [...tensorNames].some((name) => /^blk\.\d+\.attn_(q|qkv)\.weight$/.test(name));
  if (hasAttention) requirePositive(path, metadata, `${architecture}.attention.head_count`);
  const tokens = metadata['tokenizer.ggml.tokens'];
  if (!Array.isArray(tokens) || tokens.length === 0) {
    throw new ModelFileError(path, 'the GGUF metadata has no tokenizer vocabulary (tokenizer.ggml.tokens)');
  }
  checkTensorBounds(path, info, size);
  const trainContextSize = metadata[`${architecture}.context_length`];
  const name = metadata['general.name'];
  return {
    architecture,
    name: typeof name === 'string' ? name : undefined,
    trainContextSize: typeof trainContextSize === 'number' ? trainContextSize : undefined,
  };
}

/** Checks a LoRA adapter file against the architecture of the model it is applied to. */
export async function checkLoraFile(path: string, modelArchitecture: string): Promise<void> {
  const { info, size } = await readHeader(path, 'LoRA adapter');
  const metadata = flatMetadata(info);
  if (metadata['general.type'] !== 'adapter' || metadata['adapter.type'] !== 'lora') {
    throw new ModelFileError(path, 'not a LoRA adapter (general.type must be "adapter" and adapter.type "lora")');
  }
  const architecture = metadata['general.architecture'];
  if (architecture !== modelArchitecture) {
    throw new ModelFileError(path, `the adapter is for a ${String(architecture)} model, but the base model is ${modelArchitecture}`);
  }
  const tensors = info.fullTensorInfo ?? info.tensorInfo ?? [];
  if (!tensors.some((tensor) => tensor.name.endsWith('.lora_a'))) {
    throw new ModelFileError(path, 'the adapter has no LoRA tensors (*.lora_a / *.lora_b)');
  }
  checkTensorBounds(path, info, size);
}

/**
 * What can be known without a parser, in constant time: the path is a readable regular file that starts like a GGUF
 * file llama.cpp reads, with metadata and tensor counts the file is large enough to hold. Returns the file's size.
 */
export async function checkGgufFile(path: string, what: 'model' | 'LoRA adapter'): Promise<number> {
  if (path.trim() === '') throw new ModelFileError(path, `no ${what} file is set`);
  let size: number;
  let start: Buffer;
  try {
    const stats = await stat(path);
    if (!stats.isFile()) throw new ModelFileError(path, `the ${what} path is not a file`);
    size = stats.size;
    const handle = await open(path, 'r');
    try {
      start = Buffer.alloc(Math.min(size, GGUF_PREAMBLE_BYTES));
      await handle.read(start, 0, start.length, 0);
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof ModelFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ModelFileError(path, `the ${what} file does not exist`);
    if (code === 'EACCES' || code === 'EPERM') throw new ModelFileError(path, `the ${what} file cannot be read (permission denied)`);
    throw new ModelFileError(path, `the ${what} file cannot be read: ${(error as Error).message}`);
  }
  if (size < GGUF_PREAMBLE_BYTES) throw new ModelFileError(path, `not a GGUF file: only ${size} bytes`);
  try {
    checkGgufPreamble(start, size);
  } catch (error) {
    throw layoutError(path, error);
  }
  return size;
}

function layoutError(path: string, error: unknown): unknown {
  if (!(error instanceof GgufLayoutError)) return error;
  if (/"GGUF"/.test(error.message)) return new ModelFileError(path, `not a GGUF file (${error.message})`);
  return new ModelFileError(path, `the GGUF header is invalid: ${error.message}`);
}

async function readHeader(path: string, what: 'model' | 'LoRA adapter'): Promise<{ info: GgufFileInfo; size: number }> {
  const size = await checkGgufFile(path, what);
  const handle = await open(path, 'r');
  try {
    await checkGgufLayout(handle, size);
  } catch (error) {
    throw layoutError(path, error);
  } finally {
    await handle.close();
  }
  const { readGgufFileInfo } = await import('node-llama-cpp');
  try {
    const info = await readGgufFileInfo(path, { sourceType: 'filesystem', logWarnings: false, spliceSplitFiles: false });
    return { info, size };
  } catch (error) {
    const message = (error as Error).message;
    if (/magic/i.test(message)) throw new ModelFileError(path, `not a GGUF file (${message})`);
    throw new ModelFileError(path, `the GGUF header is unreadable, the file may be truncated or corrupt (${message})`);
  }
}

type FlatMetadata = Record<string, unknown>;

/** node-llama-cpp nests metadata by the dots in the key; this flattens it back to GGUF keys. */
function flatMetadata(info: GgufFileInfo): FlatMetadata {
  const flat: FlatMetadata = {};
  const walk = (value: unknown, prefix: string) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) walk(inner, prefix === '' ? key : `${prefix}.${key}`);
    } else {
      flat[prefix] = value;
    }
  };
  walk(info.metadata, '');
  return flat;
}

function requirePositive(path: string, metadata: FlatMetadata, key: string): void {
  const value = metadata[key];
  const values = Array.isArray(value) ? value : [value];
  const positive = values.length > 0 && values.some((item) => (typeof item === 'number' || typeof item === 'bigint') && item > 0);
  if (value === undefined) throw new ModelFileError(path, `the GGUF metadata is missing ${key}`);
  if (!positive) throw new ModelFileError(path, `the GGUF metadata has an invalid ${key} (${String(value)})`);
}

/** [elements per block, bytes per block] of the ggml tensor types (ggml.c `type_traits`). */
const GGML_TYPE_BLOCKS: Record<number, [number, number]> = {
  0: [1, 4], // F32
  1: [1, 2], // F16
  2: [32, 18], // Q4_0
  3: [32, 20], // Q4_1
  6: [32, 22], // Q5_0
  7: [32, 24], // Q5_1
  8: [32, 34], // Q8_0
  9: [32, 36], // Q8_1
  10: [256, 84], // Q2_K
  11: [256, 110], // Q3_K
  12: [256, 144], // Q4_K
  13: [256, 176], // Q5_K
  14: [256, 210], // Q6_K
  15: [256, 292], // Q8_K
  16: [256, 66], // IQ2_XXS
  17: [256, 74], // IQ2_XS
  18: [256, 98], // IQ3_XXS
  19: [256, 50], // IQ1_S
  20: [32, 18], // IQ4_NL
  21: [256, 110], // IQ3_S
  22: [256, 82], // IQ2_S
  23: [256, 136], // IQ4_XS
  24: [1, 1], // I8
  25: [1, 2], // I16
  26: [1, 4], // I32
  27: [1, 8], // I64
  28: [1, 8], // F64
  29: [256, 56], // IQ1_M
  30: [1, 2], // BF16
  34: [256, 54], // TQ1_0
  35: [256, 66], // TQ2_0
  39: [32, 17], // MXFP4
};

/** A truncated download keeps a valid header; its tensor data then runs past the end of the file. */
function checkTensorBounds(path: string, info: GgufFileInfo, fileSize: number): void {
  const tensors = info.tensorInfo ?? [];
  let end = 0;
  let furthest = '';
  for (const tensor of tensors) {
    const block = GGML_TYPE_BLOCKS[tensor.ggmlType];
    if (block === undefined) continue;
    const elements = tensor.dimensions.reduce<number>((product, dim) => product * Number(dim), 1);
    const bytes = Math.ceil(elements / block[0]) * block[1];
    const tensorEnd = Number(tensor.fileOffset) + bytes;
    if (tensorEnd > end) {
      end = tensorEnd;
      furthest = tensor.name;
    }
  }
  if (end > fileSize) {
    throw new ModelFileError(
      path,
      `the file is truncated: tensor ${furthest} ends at byte ${end} but the file has ${fileSize} bytes (an incomplete download or copy?)`,
    );
  }
}
