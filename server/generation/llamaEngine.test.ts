import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ensureTestModels } from '../../test/models/testModels.ts';
import { buildConclusionPrompt, type ConclusionPrompt } from './conclusionPrompt.ts';
import { EngineError, type EngineState } from './engine.ts';
import { createLlamaEngine, type LlamaEngine } from './llamaEngine.ts';

// Real llama.cpp inference (node-llama-cpp, CPU) on the tiny seeded test model.

const models = await ensureTestModels();
const cpu = { gpu: false as const, threads: 1, contextSize: 2048 };

const nodulePrompt = buildConclusionPrompt({
  exam: 'CT chest',
  modality: 'CT',
  clinical: 'Cough for three weeks.',
  findings: 'A 6 mm solid nodule in the right upper lobe. No pleural effusion.',
});
const fracturePrompt = buildConclusionPrompt({
  exam: 'Radiograph left wrist',
  findings: 'Transverse fracture of the distal radius with dorsal angulation.',
});

function extend(prompt: ConclusionPrompt, more: string): ConclusionPrompt {
  return { system: prompt.system, user: `${prompt.user} ${more}` };
}

describe('llama engine on the tiny model (CPU)', () => {
  let engine: LlamaEngine;
  const states: EngineState[] = [];
  let firstText = '';

  before(() => {
    engine = createLlamaEngine({ modelPath: models.model, ...cpu });
    engine.onState((state) => states.push(state));
  });
  after(() => engine.dispose());

  test('loads lazily on first use, once, reporting progress and the device', async () => {
    assert.deepEqual(engine.state, { state: 'unloaded' });
    assert.equal(engine.hostPid, undefined, 'no inference process before the first request');
    const [first, second] = await Promise.all([engine.generate(nodulePrompt, { maxTokens: 8 }), engine.generate(fracturePrompt, { maxTokens: 8 })]);
    assert.equal(first.completionTokens, 8);
    assert.equal(second.completionTokens, 8);
    const kinds = states.map((state) => state.state);
    assert.equal(kinds[0], 'loading');
    assert.equal(kinds.filter((kind) => kind === 'ready').length, 1, `loaded once: ${kinds.join(' → ')}`);
    assert.deepEqual(kinds.at(-1), 'ready');
    const percents = states.flatMap((state) => (state.state === 'loading' ? [state.progress] : []));
    assert.deepEqual(
      percents,
      [...percents].sort((a, b) => a - b),
      'progress never goes back',
    );
    assert.ok(percents.every((percent) => percent >= 0 && percent <= 100));
    assert.deepEqual(engine.state, {
      state: 'ready',
      device: 'CPU',
      model: 'tiny-llama (test model, random weights)',
      chatWrapper: 'ChatML',
    });
    assert.equal(typeof engine.hostPid, 'number');
    assert.notEqual(engine.hostPid, process.pid);
  });

  test('streams pieces that add up to the text and stops at maxTokens', async (t) => {
    await engine.unload();
    const pieces: string[] = [];
    const started = performance.now();
    let firstPieceMs = 0;
    const result = await engine.generate(nodulePrompt, {
      maxTokens: 40,
      onToken: (piece) => {
        if (pieces.length === 0) firstPieceMs = performance.now() - started;
        pieces.push(piece);
      },
    });
    firstText = result.text;
    assert.equal(result.stopReason, 'maxTokens');
    assert.equal(result.completionTokens, 40);
    assert.ok(pieces.length > 1, 'more than one streamed piece');
    assert.equal(pieces.join(''), result.text);
    assert.ok(result.promptTokens > 20, `prompt tokens: ${result.promptTokens}`);
    assert.equal(result.reusedPromptTokens, 0, 'nothing to reuse right after loading');
    const words = result.text.trim().split(/\s+/);
    assert.ok(new Set(words).size >= 10, `varied text, not one repeated token: ${result.text}`);
    const short = await engine.generate(nodulePrompt, { maxTokens: 3 });
    assert.equal(short.completionTokens, 3);
    assert.ok(firstText.startsWith(short.text), 'the shorter generation is a prefix of the longer one');
    t.diagnostic(`first piece after ${firstPieceMs.toFixed(0)} ms including load; text: ${JSON.stringify(result.text)}`);
  });

  test('is deterministic at temperature 0 across engine instances', async () => {
    const other = createLlamaEngine({ modelPath: models.model, ...cpu });
    try {
      const again = await other.generate(nodulePrompt, { maxTokens: 40 });
      assert.equal(again.text, firstText);
      const fracture = await other.generate(fracturePrompt, { maxTokens: 40 });
      assert.notEqual(fracture.text, firstText, 'a different report gives a different conclusion');
      assert.equal((await engine.generate(fracturePrompt, { maxTokens: 40 })).text, fracture.text);
    } finally {
      await other.dispose();
    }
  });

  test('reuses the KV state of a repeated or extended prompt', async (t) => {
    const fresh = await engine.generate(extend(nodulePrompt, 'Mild emphysema.'), { maxTokens: 16 });
    const repeated = await engine.generate(extend(nodulePrompt, 'Mild emphysema.'), { maxTokens: 16 });
    assert.equal(repeated.text, fresh.text, 'reusing the cache does not change the result');
    assert.equal(repeated.promptTokens, fresh.promptTokens);
    assert.equal(repeated.reusedPromptTokens, repeated.promptTokens - 1, 'all but the last prompt token reused');
    const extended = await engine.generate(extend(nodulePrompt, 'Mild emphysema. Old rib fracture.'), { maxTokens: 16 });
    assert.ok(extended.promptTokens > repeated.promptTokens);
    assert.ok(
      extended.reusedPromptTokens >= repeated.promptTokens - 20 && extended.reusedPromptTokens < extended.promptTokens,
      `extended prompt reuses its shared prefix: ${extended.reusedPromptTokens} of ${extended.promptTokens}`,
    );
    assert.ok(fresh.reusedPromptTokens < fresh.promptTokens - 10, 'a changed prompt is evaluated again from the change');
    t.diagnostic(
      `fresh ${fresh.ms.toFixed(1)} ms (reused ${fresh.reusedPromptTokens}/${fresh.promptTokens}), ` +
        `repeated ${repeated.ms.toFixed(1)} ms (reused ${repeated.reusedPromptTokens}/${repeated.promptTokens})`,
    );
  });

  test('an abort settles the call at once and stops the host', async (t) => {
    const controller = new AbortController();
    const pieces: string[] = [];
    let abortedAt = 0;
    const pending = engine.generate(fracturePrompt, {
      maxTokens: 1500,
      signal: controller.signal,
      onToken: (piece) => {
        pieces.push(piece);
        if (pieces.length === 5) {
          abortedAt = performance.now();
          controller.abort();
        }
      },
    });
    const result = await pending;
    const settleMs = performance.now() - abortedAt;
    assert.equal(result.stopReason, 'aborted');
    assert.ok(settleMs < 250, `settled ${settleMs.toFixed(1)} ms after the abort`);
    assert.equal(pieces.length, 5, 'no piece is delivered after the abort');
    assert.equal(result.text, pieces.join(''));
    // The host stopped too: the next request is served now, not after the ~1,500 tokens the aborted one asked for
    // (about a second on this model).
    const next = performance.now();
    const after = await engine.generate(fracturePrompt, { maxTokens: 2 });
    const nextMs = performance.now() - next;
    assert.equal(after.completionTokens, 2);
    assert.ok(nextMs < 250, `next request served ${nextMs.toFixed(1)} ms after the abort`);
    assert.ok(after.reusedPromptTokens > 0, 'the aborted request left a usable KV state');
    t.diagnostic(`abort settled in ${settleMs.toFixed(2)} ms; next request done in ${nextMs.toFixed(1)} ms`);
  });

  test('a response prefix is continued: the answer starts with what the user typed', async () => {
    const whole = await engine.generate(nodulePrompt, { maxTokens: 12 });
    const words = whole.text.trim().split(' ');
    const typed = words.slice(0, 2).join(' ');
    let streamed = '';
    const continued = await engine.generate(nodulePrompt, { maxTokens: 8, responsePrefix: typed, onToken: (t) => (streamed += t) });
    assert.equal(continued.completionTokens, 8);
    assert.equal(streamed, continued.text, 'only the continuation streams; the prefix is not repeated');
    assert.ok(!continued.text.startsWith(typed), 'the result is what follows the prefix');
    assert.ok(continued.promptTokens > whole.promptTokens, 'the prefix is part of the prompt');
    assert.ok(continued.reusedPromptTokens >= whole.promptTokens - 1, 'the shared prompt is reused from the KV cache');
    const again = await engine.generate(nodulePrompt, { maxTokens: 8, responsePrefix: typed });
    assert.equal(again.text, continued.text, 'deterministic');
  });

  test('an already aborted signal returns at once without generating', async () => {
    const result = await engine.generate(nodulePrompt, { signal: AbortSignal.abort() });
    assert.equal(result.stopReason, 'aborted');
    assert.equal(result.text, '');
  });

  test('unload releases the host; the next request loads again', async () => {
    const pid = engine.hostPid;
    assert.ok(pid);
    await engine.unload();
    assert.deepEqual(engine.state, { state: 'unloaded' });
    assert.equal(engine.hostPid, undefined);
    assert.throws(() => process.kill(pid, 0), /ESRCH/, 'the old host process is gone');
    const seen: string[] = [];
    const listener = engine.onState((state) => seen.push(state.state));
    const result = await engine.generate(nodulePrompt, { maxTokens: 40 });
    listener.dispose();
    assert.equal(result.text, firstText);
    assert.equal(seen[0], 'loading');
    assert.equal(seen.at(-1), 'ready');
    assert.notEqual(engine.hostPid, pid);
  });

  test('a prompt longer than the context is refused with a clear message', async () => {
    const small = createLlamaEngine({ modelPath: models.model, ...cpu, contextSize: 256 });
    const longFindings = 'Multiple small nodules in both lungs, the largest 4 mm in the left lower lobe. '.repeat(12);
    try {
      await assert.rejects(small.generate(buildConclusionPrompt({ findings: longFindings })), (error: Error) => {
        assert.ok(error instanceof EngineError);
        assert.match(error.message, /prompt has \d+ tokens, more than the context size of 256/);
        return true;
      });
    } finally {
      await small.dispose();
    }
  });

  test('dispose is idempotent and later requests are refused', async () => {
    const other = createLlamaEngine({ modelPath: models.model, ...cpu });
    await other.load();
    const pid = other.hostPid!;
    await other.dispose();
    await other.dispose();
    assert.deepEqual(other.state, { state: 'unloaded' });
    assert.throws(() => process.kill(pid, 0), /ESRCH/);
    await assert.rejects(other.generate(nodulePrompt), EngineError);
  });
});

describe('prompt lookup', () => {
  test('gives the text of plain decoding, guesses from the findings, and keeps reusing the KV prefix', async () => {
    const plain = createLlamaEngine({ modelPath: models.model, ...cpu, promptLookup: false });
    const lookup = createLlamaEngine({ modelPath: models.model, ...cpu, promptLookup: true });
    try {
      for (const prompt of [nodulePrompt, fracturePrompt]) {
        const expected = await plain.generate(prompt, { maxTokens: 40 });
        const result = await lookup.generate(prompt, { maxTokens: 40 });
        assert.equal(result.text, expected.text);
        assert.equal(result.completionTokens, 40);
        assert.equal(expected.lookup, undefined, 'no guesses without prompt lookup');
        assert.ok(result.lookup && result.lookup.accepted + result.lookup.rejected > 0, `guesses were checked: ${JSON.stringify(result.lookup)}`);
      }
      const repeated = await lookup.generate(fracturePrompt, { maxTokens: 40 });
      assert.equal(repeated.reusedPromptTokens, repeated.promptTokens - 1, 'all but the last prompt token reused');
      const extended = await lookup.generate(extend(fracturePrompt, 'Soft tissue swelling.'), { maxTokens: 40 });
      assert.ok(extended.reusedPromptTokens >= repeated.promptTokens - 20, `extended prompt reuses its prefix: ${extended.reusedPromptTokens}`);
      assert.equal(extended.text, (await plain.generate(extend(fracturePrompt, 'Soft tissue swelling.'), { maxTokens: 40 })).text);
    } finally {
      await Promise.all([plain.dispose(), lookup.dispose()]);
    }
  });

  test('turning it on or off reloads the model', async () => {
    const engine = createLlamaEngine({ modelPath: models.model, ...cpu, promptLookup: false });
    try {
      await engine.generate(nodulePrompt, { maxTokens: 4 });
      const pid = engine.hostPid;
      await engine.updateSettings({ ...engine.settings, promptLookup: true });
      assert.deepEqual(engine.state, { state: 'unloaded' });
      const result = await engine.generate(nodulePrompt, { maxTokens: 4 });
      assert.notEqual(engine.hostPid, pid);
      assert.ok(result.lookup, 'the new host guesses');
    } finally {
      await engine.dispose();
    }
  });
});

describe('LoRA adapters and sampling settings', () => {
  test('an adapter changes the output; scale 0 gives the base model output', async () => {
    const engine = createLlamaEngine({ modelPath: models.model, ...cpu });
    try {
      const base = (await engine.generate(nodulePrompt, { maxTokens: 24 })).text;
      await engine.updateSettings({ ...engine.settings, loras: [{ path: models.lora, scale: 1 }] });
      assert.deepEqual(engine.state, { state: 'unloaded' }, 'a new adapter needs a reload');
      const adapted = (await engine.generate(nodulePrompt, { maxTokens: 24 })).text;
      assert.notEqual(adapted, base);
      await engine.updateSettings({ ...engine.settings, loras: [{ path: models.lora, scale: 0 }] });
      const scaledToZero = (await engine.generate(nodulePrompt, { maxTokens: 24 })).text;
      assert.equal(scaledToZero, base);
      await engine.updateSettings({ ...engine.settings, loras: [{ path: models.lora, scale: 1 }] });
      assert.equal((await engine.generate(nodulePrompt, { maxTokens: 24 })).text, adapted, 'the adapter output is deterministic too');
      // Settings that change while a load is under way: that load is void, the next request uses the new settings.
      await engine.updateSettings({ ...engine.settings, loras: [] });
      const stale = engine.load();
      await engine.updateSettings({ ...engine.settings, loras: [{ path: models.lora, scale: 1 }] });
      await assert.rejects(stale, EngineError);
      assert.equal((await engine.generate(nodulePrompt, { maxTokens: 24 })).text, adapted);
      assert.equal(engine.state.state, 'ready');
    } finally {
      await engine.dispose();
    }
  });

  test('sampling settings apply without a reload; a seeded temperature is reproducible', async () => {
    const engine = createLlamaEngine({ modelPath: models.model, ...cpu });
    try {
      const greedy = await engine.generate(nodulePrompt, { maxTokens: 24 });
      const pid = engine.hostPid;
      await engine.updateSettings({ ...engine.settings, temperature: 1.5, seed: 7 });
      assert.equal(engine.hostPid, pid, 'no reload for a sampling change');
      const sampled = await engine.generate(nodulePrompt, { maxTokens: 24 });
      const resampled = await engine.generate(nodulePrompt, { maxTokens: 24 });
      assert.equal(resampled.text, sampled.text, 'same seed, same text');
      assert.notEqual(sampled.text, greedy.text, 'temperature 1.5 departs from the greedy text');
    } finally {
      await engine.dispose();
    }
  });

  test('a model whose conclusions end by themselves stops at the end of turn', async () => {
    const engine = createLlamaEngine({ modelPath: models.terse, ...cpu });
    try {
      const results = await Promise.all([nodulePrompt, fracturePrompt].map((prompt) => engine.generate(prompt, { maxTokens: 200 })));
      const ended = results.filter((result) => result.stopReason === 'eos');
      assert.ok(ended.length > 0, `at least one conclusion ends by itself: ${results.map((r) => r.stopReason).join(', ')}`);
      for (const result of ended) {
        assert.ok(result.completionTokens < 200);
        assert.ok(result.text.trim() !== '');
        assert.doesNotMatch(result.text, /im_end|<\//, 'the end-of-turn token is not part of the text');
      }
    } finally {
      await engine.dispose();
    }
  });
});
