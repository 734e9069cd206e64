import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { readGgufFileInfo } from 'node-llama-cpp';
import { writeGguf, type GgufValue } from '../../test/models/ggufWriter.ts';
import { ensureTestModels } from '../../test/models/testModels.ts';
import { CHATML_TEMPLATE, TINY_LLAMA } from '../../test/models/tinyLlama.ts';
import { ModelFileError } from './engine.ts';
import { checkLoraFile, checkModelFile } from './modelFileCheck.ts';

const models = await ensureTestModels();
const scratch = mkdtempSync(join(tmpdir(), 'radreport-gguf-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function writeScratch(name: string, metadata: Array<[string, GgufValue]>, tensorNames: string[] = []): string {
  const path = join(scratch, name);
  const tensors = tensorNames.map((tensorName) => ({ name: tensorName, dims: [4, 2], data: new Float32Array(8) }));
  writeFileSync(path, writeGguf(metadata, tensors));
  return path;
}

const llamaBasics: Array<[string, GgufValue]> = [
  ['general.architecture', { type: 'string', value: 'llama' }],
  ['llama.context_length', { type: 'u32', value: 512 }],
  ['llama.embedding_length', { type: 'u32', value: 4 }],
  ['llama.block_count', { type: 'u32', value: 1 }],
  ['tokenizer.ggml.tokens', { type: 'string[]', value: ['a', 'b'] }],
];

describe('the tiny test model', () => {
  test('is a llama GGUF with the metadata llama.cpp needs', async () => {
    const info = await readGgufFileInfo(models.model, { sourceType: 'filesystem', logWarnings: false });
    const metadata = info.metadata as unknown as Record<string, any>;
    assert.equal(metadata.general.architecture, 'llama');
    assert.equal(metadata.llama.feed_forward_length, TINY_LLAMA.feedForward);
    assert.equal(metadata.llama.attention.head_count_kv, TINY_LLAMA.kvHeads);
    const tokenizer = metadata.tokenizer;
    assert.equal(tokenizer.ggml.model, 'llama');
    assert.equal(tokenizer.chat_template, CHATML_TEMPLATE);
    assert.equal(tokenizer.ggml.add_space_prefix, false);
    const tokens: string[] = tokenizer.ggml.tokens;
    const types: number[] = tokenizer.ggml.token_type;
    assert.equal(tokens.length, types.length);
    assert.equal(tokenizer.ggml.scores.length, tokens.length);
    for (let byte = 0; byte < 256; byte++) {
      const index = tokens.indexOf(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`);
      assert.ok(index >= 0 && types[index] === 6, `byte token ${byte}`);
    }
    for (const control of ['<s>', '</s>', '<|im_start|>', '<|im_end|>']) assert.equal(types[tokens.indexOf(control)], 3, control);
    assert.equal(tokens[tokenizer.ggml.eos_token_id], '<|im_end|>');
    assert.equal(tokens[tokenizer.ggml.bos_token_id], '<s>');
    assert.ok(tokens.includes('\u2581nodule'), 'whole words are tokens');
  });

  test('its LoRA adapter has lora_a (r, n_in) and lora_b (n_out, r) tensors', async () => {
    const info = await readGgufFileInfo(models.lora, { sourceType: 'filesystem', logWarnings: false });
    const metadata = info.metadata as unknown as Record<string, any>;
    assert.equal(metadata.general.type, 'adapter');
    assert.equal(metadata.adapter.type, 'lora');
    assert.equal(metadata.adapter.lora.alpha, TINY_LLAMA.loraAlpha);
    const down = info.tensorInfo!.find((tensor) => tensor.name === 'blk.0.ffn_down.weight.lora_a');
    // ggml order is numpy's reversed: lora_a numpy (r, n_in) = ggml [n_in, r].
    assert.deepEqual(down?.dimensions.map(Number), [TINY_LLAMA.feedForward, TINY_LLAMA.loraRank]);
    const up = info.tensorInfo!.find((tensor) => tensor.name === 'blk.0.ffn_down.weight.lora_b');
    assert.deepEqual(up?.dimensions.map(Number), [TINY_LLAMA.loraRank, TINY_LLAMA.embedding]);
  });

  test('is rebuilt byte for byte the same (seeded)', async () => {
    const again = await ensureTestModels({ dir: join(scratch, 'rebuilt'), force: true });
    const { readFileSync } = await import('node:fs');
    assert.ok(readFileSync(again.model).equals(readFileSync(models.model)));
    assert.ok(readFileSync(again.lora).equals(readFileSync(models.lora)));
  });
});

describe('checkModelFile', () => {
  test('accepts the tiny model and reads its architecture, name and training context', async () => {
    assert.deepEqual(await checkModelFile(models.model), {
      architecture: 'llama',
      name: 'tiny-llama (test model, random weights)',
      trainContextSize: TINY_LLAMA.contextLength,
    });
  });

  test('refuses a file without general.architecture', async () => {
    const path = writeScratch('no-arch.gguf', llamaBasics.slice(1));
    await assert.rejects(checkModelFile(path), (error: ModelFileError) => /no general\.architecture/.test(error.reason));
  });

  test('refuses a missing or zero hyperparameter by its key', async () => {
    const noBlocks = writeScratch(
      'no-blocks.gguf',
      llamaBasics.filter(([key]) => key !== 'llama.block_count'),
    );
    await assert.rejects(checkModelFile(noBlocks), (error: ModelFileError) => /missing llama\.block_count/.test(error.reason));
    const zeroContext = writeScratch('zero-context.gguf', [
      ...llamaBasics.filter(([key]) => key !== 'llama.context_length'),
      ['llama.context_length', { type: 'u32', value: 0 }],
    ]);
    await assert.rejects(checkModelFile(zeroContext), (error: ModelFileError) => /invalid llama\.context_length \(0\)/.test(error.reason));
  });

  test('asks for head_count only when the model has attention tensors', async () => {
    const withAttention = writeScratch('attention.gguf', llamaBasics, ['blk.0.attn_q.weight']);
    await assert.rejects(checkModelFile(withAttention), (error: ModelFileError) => /missing llama\.attention\.head_count/.test(error.reason));
    const without = writeScratch('no-attention.gguf', llamaBasics, ['token_embd.weight']);
    assert.equal((await checkModelFile(without)).architecture, 'llama');
  });

  test('refuses a model without a vocabulary', async () => {
    const path = writeScratch(
      'no-vocab.gguf',
      llamaBasics.filter(([key]) => !key.startsWith('tokenizer')),
    );
    await assert.rejects(checkModelFile(path), (error: ModelFileError) => /no tokenizer vocabulary/.test(error.reason));
  });

  test('refuses an empty path with a message saying no model is set', async () => {
    await assert.rejects(checkModelFile(''), (error: ModelFileError) => /no model file is set/.test(error.reason));
  });

  test('refuses a directory', async () => {
    await assert.rejects(checkModelFile(scratch), (error: ModelFileError) => error.path === scratch && /not a file/.test(error.reason));
  });
});

describe('checkLoraFile', () => {
  test('accepts the tiny adapter for a llama model', async () => {
    await checkLoraFile(models.lora, 'llama');
  });

  test('refuses an adapter for another architecture', async () => {
    await assert.rejects(checkLoraFile(models.lora, 'qwen2'), (error: ModelFileError) =>
      /adapter is for a llama model, but the base model is qwen2/.test(error.reason),
    );
  });

  test('refuses an adapter without LoRA tensors', async () => {
    const path = writeScratch('empty-adapter.gguf', [
      ['general.architecture', { type: 'string', value: 'llama' }],
      ['general.type', { type: 'string', value: 'adapter' }],
      ['adapter.type', { type: 'string', value: 'lora' }],
    ]);
    await assert.rejects(checkLoraFile(path, 'llama'), (error: ModelFileError) => /no LoRA tensors/.test(error.reason));
  });
});
