import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tinyLlamaGguf, tinyLoraGguf } from './tinyLlama.ts';

/**
 * The tiny GGUF models the tests run real inference on, built from seeded weights into `.test-models/` (gitignored)
 * the first time a test asks for them. Idempotent and safe when several test processes ask at once: every file is
 * written under a temporary name and renamed into place, and the build is deterministic, so concurrent builders write
 * the same bytes. A stamp (a hash of the generator's source) triggers a rebuild when the generator changes.
 */
export interface TestModels {
  /** The tiny llama model: generations practically never end by themselves, so they run to `maxTokens`. */
  model: string;
  /** A LoRA adapter for `model` that changes its output. */
  lora: string;
  /** The same architecture and vocabulary with an output layer that ends most generations after a few words. */
  terse: string;
  /** Deliberately unusable files. */
  broken: {
    /** The first half of `model`: a valid header whose tensor data runs past the end of the file. */
    truncated: string;
    /** `model` without `llama.feed_forward_length` (llama.cpp aborts the whole process on this one). */
    missingFeedForwardLength: string;
    /** A text file with a `.gguf` name. */
    notGguf: string;
    /** An empty file. */
    empty: string;
  };
}

const here = dirname(fileURLToPath(import.meta.url));
export const TEST_MODELS_DIR = join(here, '..', '..', '.test-models');
const GENERATOR_SOURCES = ['tinyLlama.ts', 'ggufWriter.ts', 'testModels.ts'];

export function testModelPaths(dir = TEST_MODELS_DIR): TestModels {
  return {
    model: join(dir, 'tiny-llama.gguf'),
    lora: join(dir, 'tiny-lora.gguf'),
    terse: join(dir, 'tiny-llama-terse.gguf'),
    broken: {
      truncated: join(dir, 'broken-truncated.gguf'),
      missingFeedForwardLength: join(dir, 'broken-no-feed-forward-length.gguf'),
      notGguf: join(dir, 'broken-not-gguf.gguf'),
      empty: join(dir, 'broken-empty.gguf'),
    },
  };
}

/** Builds the test models when missing or stale, and returns their paths. */
export async function ensureTestModels(options: { dir?: string; force?: boolean } = {}): Promise<TestModels> {
  const dir = options.dir ?? TEST_MODELS_DIR;
  const paths = testModelPaths(dir);
  const stampPath = join(dir, 'tiny-models.stamp');
  const stamp = generatorStamp();
  const allFiles = [paths.model, paths.lora, paths.terse, ...Object.values(paths.broken)];
  const upToDate = !options.force && allFiles.every((file) => existsSync(file)) && readText(stampPath) === stamp;
  if (upToDate) return paths;

  mkdirSync(dir, { recursive: true });
  const model = tinyLlamaGguf();
  writeAtomically(paths.model, model);
  writeAtomically(paths.lora, tinyLoraGguf());
  writeAtomically(paths.terse, tinyLlamaGguf({ endOfTurnGain: 4 }));
  writeAtomically(paths.broken.truncated, model.subarray(0, Math.floor(model.length / 2)));
  writeAtomically(paths.broken.missingFeedForwardLength, tinyLlamaGguf({ omitFeedForwardLength: true }));
  writeAtomically(paths.broken.notGguf, Buffer.from('This is a radiology report, not a model.\n'));
  writeAtomically(paths.broken.empty, Buffer.alloc(0));
  writeAtomically(stampPath, Buffer.from(stamp));
  return paths;
}

function generatorStamp(): string {
  const hash = createHash('sha256');
  for (const source of GENERATOR_SOURCES) hash.update(readFileSync(join(here, source)));
  return hash.digest('hex');
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function writeAtomically(path: string, bytes: Uint8Array): void {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, bytes);
  renameSync(temporary, path);
}
