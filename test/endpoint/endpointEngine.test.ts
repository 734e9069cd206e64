import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ConclusionPrompt } from '../../server/generation/conclusionPrompt.ts';
import { buildConclusionPrompt } from '../../server/generation/conclusionPrompt.ts';
import type { EndpointSettings } from '../../server/generation/engine.ts';
import { EndpointError } from '../../server/generation/endpointError.ts';
import { createEndpointEngine, type EndpointEngineOptions } from '../../server/generation/endpointEngine.ts';
import { createLlamaEngine } from '../../server/generation/llamaEngine.ts';
import { ensureTestModels, type TestModels } from '../models/testModels.ts';
import { buildLlamaServer, freePort, LlamaServer } from './llamaServer.ts';
import { GatewayProxy } from './gatewayProxy.ts';

/**
 * The endpoint engine against a real llama-server (llama.cpp of node-llama-cpp, built for the CPU) serving the tiny
 * test model: what the editor and the CLI do when `radiologyReport.endpoint` names a department server.
 */

const PROMPT: ConclusionPrompt = buildConclusionPrompt({
  exam: 'CT chest',
  clinical: 'Cough and fever.',
  findings: 'Consolidation in the right lower lobe with air bronchograms. No pleural effusion. No pneumothorax.',
});
const ALIAS = 'tiny-radreport';

let executable: string;
let models: TestModels;
let server: LlamaServer;
const engines: Array<{ dispose(): Promise<void> }> = [];

function endpointEngine(endpoint: Partial<EndpointSettings> & { url: string }, options: EndpointEngineOptions = {}, maxTokens = 24) {
  const engine = createEndpointEngine(
    { temperature: 0, maxTokens, seed: 42, endpoint: { model: '', timeoutMs: 10_000, fallback: 'none', ...endpoint } },
    options,
  );
  engines.push(engine);
  return engine;
}

before(async () => {
  executable = buildLlamaServer();
  models = await ensureTestModels();
  server = await LlamaServer.start({ executable, model: models.model, alias: ALIAS, extraArgs: ['--metrics'] });
});
after(async () => {
  for (const engine of engines) await engine.dispose();
  await server?.stop();
});

describe('a conclusion from the server', () => {
  test('streams piece by piece, and is the text the local engine writes for the same prompt', async () => {
    const engine = endpointEngine({ url: server.url });
    const pieces: string[] = [];
    const result = await engine.generate(PROMPT, { onToken: (piece) => pieces.push(piece) });
    assert.ok(pieces.length >= 10, `streamed in ${pieces.length} pieces`);
    assert.equal(pieces.join(''), result.text);
    assert.equal(result.stopReason, 'maxTokens', 'the tiny model writes until max_tokens');
    assert.equal(result.completionTokens, 24);
    assert.ok(result.promptTokens > 40, `${result.promptTokens} prompt tokens`);
    assert.deepEqual(engine.state, { state: 'ready', device: `server 127.0.0.1:${server.port}`, model: ALIAS, server: `127.0.0.1:${server.port}` });

    // The same llama.cpp, weights, chat template and greedy sampling: the same conclusion as node-llama-cpp locally.
    const local = createLlamaEngine({ modelPath: models.model, gpu: false, threads: 1, maxTokens: 24 });
    try {
      const here = await local.generate(PROMPT);
      assert.equal(result.text, here.text);
    } finally {
      await local.dispose();
    }

    // A second request for the same prompt finds it in the server's cache, as the local engine reuses its KV state.
    const again = await engine.generate(PROMPT);
    assert.equal(again.text, result.text);
    assert.ok(again.reusedPromptTokens > 40, `${again.reusedPromptTokens} prompt tokens reused`);
  });

  test('continues what the radiologist already typed, as the local engine does', async () => {
    const engine = endpointEngine({ url: `${server.url}/v1/chat/completions`, model: ALIAS });
    const typed = 'Right lower lobe';
    const result = await engine.generate(PROMPT, { responsePrefix: typed, maxTokens: 12 });
    assert.ok(!result.text.startsWith(typed), 'the streamed text is what follows the typed start');
    const local = createLlamaEngine({ modelPath: models.model, gpu: false, threads: 1 });
    try {
      const here = await local.generate(PROMPT, { responsePrefix: typed, maxTokens: 12 });
      assert.equal(result.text, here.text);
    } finally {
      await local.dispose();
    }
    const fresh = await engine.generate(PROMPT, { maxTokens: 12 });
    assert.notEqual(result.text, fresh.text, 'the typed start changed what followed');
  });

  test('a kept-alive connection that the server closed while this process was busy is replaced, not reported', async () => {
    const engine = endpointEngine({ url: server.url }, {}, 4);
    await engine.load();
    // The event loop blocked past llama-server's 5 s keep-alive (a long synchronous task in the language server): the
    // idle connection is closed by the server before Node's own idle timer could retire it.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 6000);
    const result = await engine.generate(PROMPT);
    assert.equal(result.completionTokens, 4);
  });

  test('cancelling closes the request: the server stops generating and frees its slot', async () => {
    const engine = endpointEngine({ url: server.url }, {}, 1500);
    await engine.load();
    const predictedBefore = await tokensPredicted();
    const controller = new AbortController();
    let pieces = 0;
    const started = performance.now();
    let abortedAt = 0;
    const result = await engine.generate(PROMPT, {
      signal: controller.signal,
      onToken: () => {
        if (++pieces === 5) {
          abortedAt = performance.now();
          controller.abort();
        }
      },
    });
    assert.equal(result.stopReason, 'aborted');
    assert.ok(performance.now() - abortedAt < 100, `settled ${Math.round(performance.now() - abortedAt)} ms after the abort`);
    assert.ok(result.text.length > 0, 'the text so far comes back');
    await waitUntil(async () => (await server.busySlots()) === 0, 2000, 'the slot to be free');
    const generated = (await tokensPredicted()) - predictedBefore;
    assert.ok(generated < 1500, `the server generated ${generated} of 1500 tokens before it saw the client go away`);
    assert.ok(performance.now() - started < 20_000);
    // An abort before the request: nothing is sent.
    const early = new AbortController();
    early.abort();
    assert.equal((await engine.generate(PROMPT, { signal: early.signal })).stopReason, 'aborted');
  });
});

describe('a server that cannot serve says why', () => {
  test('a wrong model name, with the names the server has', async () => {
    const engine = endpointEngine({ url: server.url, model: 'radreport-ct' });
    await assert.rejects(engine.generate(PROMPT), (error: unknown) => {
      assert.ok(error instanceof EndpointError);
      assert.equal(error.kind, 'model');
      assert.deepEqual(error.details.models, [ALIAS]);
      assert.match(error.message, /has no model "radreport-ct"; it serves "tiny-radreport"\. Set radiologyReport\.endpointModel/);
      return true;
    });
    assert.equal(engine.state.state, 'error');
  });

  test('nothing listening at the address', async () => {
    const port = await freePort();
    const engine = endpointEngine({ url: `http://127.0.0.1:${port}` });
    const started = performance.now();
    await assert.rejects(engine.generate(PROMPT), (error: unknown) => {
      assert.ok(error instanceof EndpointError);
      assert.equal(error.kind, 'unreachable');
      assert.equal(error.serverDown, true);
      assert.match(
        error.message,
        new RegExp(`cannot reach the conclusion server at http://127\\.0\\.0\\.1:${port}: nothing is listening there \\(ECONNREFUSED\\)`),
      );
      return true;
    });
    assert.ok(performance.now() - started < 2000, 'a refused connection fails at once, not after the timeout');
  });

  test('an API key the server refuses, or none', async () => {
    const guarded = await LlamaServer.start({ executable, model: models.model, alias: ALIAS, apiKey: 'department-ct-key' });
    try {
      for (const apiKey of [undefined, 'wrong-key']) {
        const engine = endpointEngine({ url: guarded.url }, { apiKey });
        await assert.rejects(engine.generate(PROMPT), (error: unknown) => {
          assert.ok(error instanceof EndpointError);
          assert.equal(error.kind, 'auth');
          assert.equal(error.serverDown, false);
          assert.match(error.message, /refused the API key \(401: Invalid API Key\); set it with "Radiology Report: Set server API key"/);
          return true;
        });
      }
      const engine = endpointEngine({ url: guarded.url }, { apiKey: 'department-ct-key' });
      assert.equal((await engine.generate(PROMPT, { maxTokens: 4 })).completionTokens, 4);
    } finally {
      await guarded.stop();
    }
  });
});

describe('a slow or overloaded server', () => {
  test('a server that stalls is given up on after the timeout; one that is only slow is waited for', async () => {
    const own = await LlamaServer.start({ executable, model: models.model, alias: ALIAS });
    try {
      const impatient = endpointEngine({ url: own.url, timeoutMs: 1000 });
      await impatient.load();
      own.pause();
      const started = performance.now();
      await assert.rejects(impatient.generate(PROMPT), (error: unknown) => {
        assert.ok(error instanceof EndpointError);
        assert.equal(error.kind, 'timeout');
        assert.match(error.message, /sent nothing for 1 s; it may be overloaded or stalled/);
        return true;
      });
      const waited = performance.now() - started;
      assert.ok(waited >= 950 && waited < 3000, `gave up after ${Math.round(waited)} ms`);
      own.resume();

      const patient = endpointEngine({ url: own.url, timeoutMs: 5000 });
      await patient.load();
      own.pause();
      const resumed = setTimeout(() => own.resume(), 1500);
      const slowStart = performance.now();
      const result = await patient.generate(PROMPT, { maxTokens: 8 });
      clearTimeout(resumed);
      assert.equal(result.completionTokens, 8);
      assert.ok(performance.now() - slowStart >= 1400, 'the answer came after the server woke up');
    } finally {
      await own.kill();
    }
  });

  test('429 answers are retried after Retry-After, then the server writes the conclusion', async () => {
    const proxy = await GatewayProxy.start({ upstream: server.url, rejections: 2, retryAfter: '1' });
    try {
      const logs: string[] = [];
      const engine = endpointEngine({ url: proxy.url }, { log: (_level, message) => logs.push(message) });
      const started = performance.now();
      const result = await engine.generate(PROMPT, { maxTokens: 6 });
      assert.equal(result.completionTokens, 6);
      assert.equal(proxy.chatRequests, 3);
      assert.ok(performance.now() - started >= 1900, 'waited the 1 s asked, twice');
      assert.equal(logs.filter((line) => /answered 429; retrying in 1000 ms/.test(line)).length, 2);
    } finally {
      await proxy.close();
    }
  });

  test('a server that keeps answering 429 is reported busy after the retries, with its own message', async () => {
    const proxy = await GatewayProxy.start({ upstream: server.url, rejections: 1000 });
    try {
      const engine = endpointEngine({ url: proxy.url }, { retries: 3, maxRetryDelayMs: 200 });
      await assert.rejects(engine.generate(PROMPT), (error: unknown) => {
        assert.ok(error instanceof EndpointError);
        assert.equal(error.kind, 'busy');
        assert.equal(error.serverDown, true);
        assert.match(error.message, /is busy or starting \(429: Too many requests for this department\) after 4 attempts/);
        return true;
      });
      assert.equal(proxy.chatRequests, 4);
    } finally {
      await proxy.close();
    }
  });
});

async function tokensPredicted(): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const match = /^llamacpp:tokens_predicted_total\s+(\d+(?:\.\d+)?)/m.exec(text);
  assert.ok(match, `no tokens_predicted_total in /metrics:\n${text.slice(0, 500)}`);
  return Number(match[1]);
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`timed out waiting for ${what}`);
}
