import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SHARED_DATA } from '../../../test/support/sharedData.ts';
import { ensureTestModels } from '../../../test/models/testModels.ts';
import type { CliIo } from '../command.ts';
import { evalCommand } from './eval.ts';

/**
 * The product's `radreport eval` with real node-llama-cpp inference on the tiny test model and its LoRA adapter: two
 * runs, each loading the model afresh, give byte-identical metrics and predictions.
 */
test('same model, adapter, data and seed: identical metrics.json and predictions.jsonl', { timeout: 180_000 }, async () => {
  const models = await ensureTestModels();
  const work = await mkdtemp(join(tmpdir(), 'radreport-eval-model-'));
  try {
    const outputs: string[] = [];
    for (const run of ['run-1', 'run-2']) {
      let err = '';
      const io: CliIo = {
        stdout: { write: () => true },
        stderr: { write: (text: string) => (err += text) },
        cwd: work,
        env: {},
        signal: new AbortController().signal,
      };
      const out = join(work, run);
      const args = [
        '--data',
        `${SHARED_DATA}iu-xray/pairs.jsonl`,
        '--limit',
        '4',
        '--model',
        models.terse,
        '--lora',
        `${models.lora}:0.5`,
        '--gpu',
        'cpu',
        '--seed',
        '3',
        '--out',
        out,
      ];
      assert.equal(await evalCommand.run(args, io), 0, err);
      assert.match(err, /Model ready on CPU/);
      outputs.push(out);
    }
    for (const file of ['metrics.json', 'predictions.jsonl']) {
      assert.equal(await readFile(join(outputs[0]!, file), 'utf8'), await readFile(join(outputs[1]!, file), 'utf8'), file);
    }
    const predictions = (await readFile(join(outputs[0]!, 'predictions.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(predictions.length, 4);
    assert.ok(
      predictions.every((p) => typeof p.prediction === 'string' && p.prediction.length > 0),
      'the model wrote something for every case',
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
});
