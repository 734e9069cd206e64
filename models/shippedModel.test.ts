import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { defaultVocabulary } from '../server/clinical/vocabulary.ts';
import { conclusionRequest } from '../server/generation/groundedConclusion.ts';
import { readEmbeddedModel } from '../server/generation/embeddedModel.ts';
import { createLlamaEngine, type LlamaEngine } from '../server/generation/llamaEngine.ts';
import { parseReport } from '../server/report/parseReport.ts';
import { sha256, type ExpectedOutputs } from './recordExpectedOutputs.ts';

// The shipped default model (models/default-model.json: base GGUF + LoRA adapter GGUF) loads in node-llama-cpp on
// the CPU and reproduces, word for word, the greedy conclusions recorded for five fixed public reports.

const here = dirname(fileURLToPath(import.meta.url));
const recorded = JSON.parse(readFileSync(join(here, 'expected-outputs.json'), 'utf8')) as ExpectedOutputs;
const embedded = readEmbeddedModel(join(here, '..'));

describe('the shipped default model', () => {
  let engine: LlamaEngine;

  before(() => {
    assert.ok(embedded, 'models/default-model.json names the embedded model');
    engine = createLlamaEngine({ modelPath: embedded.modelPath, loras: embedded.loras, ...recorded.settings });
  });
  after(() => engine?.dispose());

  test('its files are the ones the outputs were recorded with', () => {
    assert.ok(embedded);
    const files = [embedded.modelPath, ...embedded.loras.map((lora) => lora.path)];
    assert.deepEqual(
      files.map((path) => path.slice(here.length + 1)),
      Object.keys(recorded.files),
      'default-model.json and expected-outputs.json name the same files',
    );
    for (const path of files) {
      assert.ok(existsSync(path), `${path} exists`);
      const name = path.slice(here.length + 1);
      assert.equal(sha256(path), recorded.files[name], `${name} changed: run \`npx tsx models/recordExpectedOutputs.ts\` after shipping new model files`);
    }
    const megabytes = files.reduce((sum, path) => sum + readFileSync(path).length, 0) / 1e6;
    assert.ok(megabytes <= 60, `the base and the adapter together are at most 60 MB (${megabytes.toFixed(1)} MB)`);
  });

  test('loads on the CPU with the ChatML template and its adapter', async () => {
    await engine.load();
    assert.equal(engine.state.state, 'ready');
    assert.equal(engine.state.state === 'ready' && engine.state.device, 'CPU');
  });

  for (const recordedCase of recorded.cases) {
    test(`writes the recorded conclusion for ${recordedCase.id} (${recordedCase.source} ${recordedCase.split})`, async () => {
      const prompt = conclusionRequest(parseReport(recordedCase.report), defaultVocabulary()).prompt;
      const result = await engine.generate(prompt);
      assert.equal(result.text, recordedCase.expected);
      assert.equal(result.stopReason, 'eos', 'the model ends its conclusion itself');
    });
  }
});
