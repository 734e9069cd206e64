import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildConclusionPrompt } from '../../server/generation/conclusionPrompt.ts';
import type { ConclusionEngine, EngineSettings, EngineState } from '../../server/generation/engine.ts';
import { DEFAULT_ENGINE_SETTINGS } from '../../server/generation/engine.ts';
import { EndpointError } from '../../server/generation/endpointError.ts';
import { createConclusionEngine } from '../../server/generation/engineSelection.ts';
import { createLlamaEngine } from '../../server/generation/llamaEngine.ts';
import { ensureTestModels, type TestModels } from '../models/testModels.ts';
import { buildLlamaServer, freePort, LlamaServer } from './llamaServer.ts';

/**
 * The department server going down: killed in the middle of a conclusion, or not there at all; with
 * `endpointFallback: "none"` the user is told, with `"local"` the local model (node-llama-cpp, the tiny test model)
 * writes or finishes the conclusion.
 */

const PROMPT = buildConclusionPrompt({ exam: 'CT abdomen', findings: 'Appendix dilated to 12 mm with periappendiceal fat stranding. No free air.' });

let executable: string;
let models: TestModels;
const engines: ConclusionEngine[] = [];

before(async () => {
  executable = buildLlamaServer();
  models = await ensureTestModels();
});
after(async () => {
  for (const engine of engines) await engine.dispose();
});

function settings(url: string, fallback: 'none' | 'local', maxTokens: number): EngineSettings {
  return {
    ...DEFAULT_ENGINE_SETTINGS,
    modelPath: models.model,
    gpu: false,
    threads: 1,
    maxTokens,
    endpoint: { url, model: '', timeoutMs: 10_000, fallback },
  };
}

function engineFor(url: string, fallback: 'none' | 'local', maxTokens: number): ConclusionEngine {
  const engine = createConclusionEngine(settings(url, fallback, maxTokens));
  engines.push(engine);
  return engine;
}

test('the server killed mid-stream: the error says so and carries the text streamed so far', async () => {
  const server = await LlamaServer.start({ executable, model: models.model });
  const engine = engineFor(server.url, 'none', 1500);
  const streamed: string[] = [];
  await assert.rejects(
    engine.generate(PROMPT, {
      onToken: (piece) => {
        streamed.push(piece);
        if (streamed.length === 3) void server.kill();
      },
    }),
    (error: unknown) => {
      assert.ok(error instanceof EndpointError, String(error));
      assert.equal(error.kind, 'interrupted');
      assert.equal(error.serverDown, true);
      assert.match(error.message, /while the conclusion was streaming|ended before the conclusion was complete/);
      assert.equal(error.details.partialText, streamed.join(''));
      return true;
    },
  );
  assert.ok(streamed.length >= 3 && streamed.length < 1500, `${streamed.length} pieces before the server died`);
  assert.equal(engine.state.state, 'error');
  // The next request finds no server.
  await assert.rejects(engine.generate(PROMPT), (error: unknown) => error instanceof EndpointError && error.kind === 'unreachable');
});

test('the server killed mid-stream with the local fallback: the local model finishes the conclusion from where it stopped', async () => {
  const server = await LlamaServer.start({ executable, model: models.model });
  // Long enough that the server is still generating when it is killed (the tiny model writes thousands of tokens a second).
  const maxTokens = 250;
  const engine = engineFor(server.url, 'local', maxTokens);
  const states: EngineState[] = [];
  const streamed: string[] = [];
  /** How many pieces had come from the server when it failed (its engine reports the error before handing over). */
  let fromServer: number | undefined;
  engine.onState((state) => {
    states.push(state);
    if (state.state === 'error') fromServer ??= streamed.length;
  });
  const result = await engine.generate(PROMPT, {
    onToken: (piece) => {
      streamed.push(piece);
      if (streamed.length === 3) void server.kill();
    },
  });
  assert.ok(fromServer !== undefined && fromServer >= 3 && fromServer < maxTokens, `the server died after ${fromServer} pieces`);
  assert.equal(result.text, streamed.join(''), 'every piece shown is part of the conclusion');
  // The local model was asked to continue exactly what the server had streamed.
  const head = streamed.slice(0, fromServer).join('');
  const local = createLlamaEngine({ modelPath: models.model, gpu: false, threads: 1 });
  try {
    const rest = await local.generate(PROMPT, { responsePrefix: head, maxTokens });
    assert.equal(result.text, head + rest.text);
  } finally {
    await local.dispose();
  }
  assert.ok(
    states.some((s) => s.state === 'ready' && s.device === 'CPU' && s.server === undefined),
    'the status shows the local model once it took over',
  );
  assert.equal(engine.state.state === 'ready' && engine.state.server, undefined);
});

test('no server at all: reported at once without the fallback; written locally with it', async () => {
  const url = `http://127.0.0.1:${await freePort()}`;
  const strict = engineFor(url, 'none', 12);
  await assert.rejects(strict.generate(PROMPT), (error: unknown) => error instanceof EndpointError && error.kind === 'unreachable');

  const logs: string[] = [];
  const lenient = createConclusionEngine(settings(url, 'local', 12), { log: (level, message) => level === 'warn' && logs.push(message) });
  engines.push(lenient);
  const result = await lenient.generate(PROMPT);
  assert.equal(result.completionTokens, 12);
  const local = createLlamaEngine({ modelPath: models.model, gpu: false, threads: 1, maxTokens: 12 });
  try {
    assert.equal(result.text, (await local.generate(PROMPT)).text, 'the local model wrote it');
  } finally {
    await local.dispose();
  }
  assert.match(logs[0]!, /ECONNREFUSED.*the local model writes conclusions for the next 30 s/);
  assert.deepEqual(lenient.state.state === 'ready' && lenient.state.device, 'CPU');
  // The fallback covers a server that is down, not one that is misconfigured.
  const server = await LlamaServer.start({ executable, model: models.model, alias: 'tiny-radreport' });
  try {
    const wrongModel = createConclusionEngine({
      ...settings(server.url, 'local', 12),
      endpoint: { url: server.url, model: 'radreport-mr', timeoutMs: 10_000, fallback: 'local' },
    });
    engines.push(wrongModel);
    await assert.rejects(wrongModel.generate(PROMPT), (error: unknown) => error instanceof EndpointError && error.kind === 'model');
  } finally {
    await server.stop();
  }
});
