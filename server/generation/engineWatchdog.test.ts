import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ensureTestModels } from '../../test/models/testModels.ts';
import { buildConclusionPrompt } from './conclusionPrompt.ts';
import { EngineError, ModelFileError, type EngineState } from './engine.ts';
import { createLlamaEngine } from './llamaEngine.ts';

// The engine's time limits against inference hosts that stop answering at each stage: fake hosts (plain modules
// speaking engineProtocol.ts), so that each stage can be made to hang or die on purpose.

const models = await ensureTestModels();
const prompt = buildConclusionPrompt({ findings: 'Simple cyst in the right kidney.' });
const scratch = mkdtempSync(join(tmpdir(), 'radreport-watchdog-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A fake host: `onLoad` and `onGenerate` are module source run with `message` and `send` in scope. */
function fakeHost(name: string, onLoad: string, onGenerate = ''): string {
  const path = join(scratch, `${name}.mjs`);
  writeFileSync(
    path,
    `
    const send = (m) => process.send(m);
    process.on('message', async (message) => {
      if (message.type === 'load') { ${onLoad} }
      if (message.type === 'generate') { ${onGenerate} }
      if (message.type === 'shutdown') process.exit(0);
    });
    process.on('disconnect', () => process.exit(0));
  `,
  );
  return path;
}
const LOADED = `send({ type: 'loaded', device: 'CPU', model: 'fake', chatWrapper: 'fake', contextSize: 512 });`;

async function timed<T>(promise: Promise<T>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  try {
    await promise;
    return { error: undefined, ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
}

describe('inference watchdog', () => {
  test('a header check that does not finish in time is a ModelFileError naming the file, and the host is killed', async () => {
    const hostPath = fakeHost('check-hangs', `send({ type: 'progress', loading: { stage: 'check', path: message.settings.modelPath }, progress: 0 });`);
    const engine = createLlamaEngine({ modelPath: models.model, gpu: false }, { hostPath, limits: { headerCheckMs: 500 } });
    try {
      const { error, ms } = await timed(engine.generate(prompt));
      assert.ok(error instanceof ModelFileError && error.path === models.model, String(error));
      assert.match(error.reason, /reading its GGUF header took more than 0\.5 s/);
      assert.ok(ms >= 450 && ms < 5000, `${ms} ms`);
      assert.equal(engine.hostPid, undefined);
    } finally {
      await engine.dispose();
    }
  });

  test('a host that runs out of its heap while checking a header: a ModelFileError that says so', async () => {
    const hostPath = fakeHost(
      'check-oom',
      `
      send({ type: 'progress', loading: { stage: 'check', path: message.settings.modelPath }, progress: 0 });
      process.stderr.write('FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\\n 1: 0xb8 node::Abort() [node]\\n', () => process.abort());
    `,
    );
    const engine = createLlamaEngine({ modelPath: models.model, gpu: false }, { hostPath });
    try {
      const { error } = await timed(engine.generate(prompt));
      assert.ok(error instanceof ModelFileError && error.path === models.model, String(error));
      assert.match(error.reason, /reading its GGUF header, the inference process stopped \(killed by SIGABRT\): it ran out of its 1024 MiB JavaScript heap/);
    } finally {
      await engine.dispose();
    }
  });

  test('a load with no sign of progress in time fails and the host is killed', async () => {
    const hostPath = fakeHost('load-hangs', `send({ type: 'progress', loading: { stage: 'model', path: message.settings.modelPath }, progress: 0.1 });`);
    const engine = createLlamaEngine({ modelPath: models.model, gpu: false }, { hostPath, limits: { loadMs: 500 } });
    try {
      const { error } = await timed(engine.generate(prompt));
      assert.ok(error instanceof EngineError, String(error));
      assert.match(error.message, /did not load: the inference process showed no progress for 0\.5 s/);
      assert.equal(engine.state.state, 'error');
      assert.equal(engine.hostPid, undefined);
    } finally {
      await engine.dispose();
    }
  });

  test('a prompt evaluated for longer than the token watchdog is waited for while the host beats; without a token it is bounded by the loading allowance', async () => {
    // The host beats every 100 ms and answers after 1.6 s: longer than the 1 s between tokens, shorter than the 3 s allowance.
    const slow = fakeHost(
      'slow-prompt',
      LOADED,
      `
      const id = message.request.id;
      send({ type: 'started', id, promptTokens: 900, reusedPromptTokens: 0 });
      const beat = setInterval(() => send({ type: 'alive', id }), 100);
      setTimeout(() => { clearInterval(beat); send({ type: 'token', id, text: 'Simple cyst.', completionTokens: 2 }); send({ type: 'done', id, text: 'Simple cyst.', completionTokens: 2, stopReason: 'eos' }); }, 1600);
    `,
    );
    const patient = createLlamaEngine({ modelPath: models.model, gpu: false, inferenceTimeoutMs: 1000 }, { hostPath: slow, limits: { loadMs: 3000 } });
    try {
      assert.equal((await patient.generate(prompt)).text, 'Simple cyst.');
    } finally {
      await patient.dispose();
    }
    // A host that beats but never produces a token: the loading allowance ends the wait.
    const stuck = fakeHost(
      'beats-no-token',
      LOADED,
      `
      const id = message.request.id;
      send({ type: 'started', id, promptTokens: 900, reusedPromptTokens: 0 });
      setInterval(() => send({ type: 'alive', id }), 100);
    `,
    );
    const engine = createLlamaEngine({ modelPath: models.model, gpu: false, inferenceTimeoutMs: 1000 }, { hostPath: stuck, limits: { loadMs: 1500 } });
    try {
      const { error, ms } = await timed(engine.generate(prompt));
      assert.ok(error instanceof EngineError, String(error));
      assert.equal(error.message, 'The model produced nothing for 1.5 s; the inference process was restarted.');
      assert.ok(ms >= 1400 && ms < 5000, `${ms} ms`);
    } finally {
      await engine.dispose();
    }
  });

  test('a generation with no token in time fails, the host is replaced, and the state says it was restarted until a generation succeeds', async () => {
    // The first host process answers one token and then nothing; the ones after it generate normally.
    const marker = join(scratch, 'hung-once');
    const hostPath = fakeHost(
      'generate-hangs-once',
      LOADED,
      `
      const fs = await import('node:fs');
      const id = message.request.id;
      send({ type: 'started', id, promptTokens: 3, reusedPromptTokens: 0 });
      send({ type: 'token', id, text: 'Simple', completionTokens: 1 });
      if (!fs.existsSync(${JSON.stringify(marker)})) { fs.writeFileSync(${JSON.stringify(marker)}, ''); return; }
      send({ type: 'done', id, text: 'Simple cyst.', completionTokens: 2, stopReason: 'eos' });
    `,
    );
    const engine = createLlamaEngine({ modelPath: models.model, gpu: false, inferenceTimeoutMs: 1000 }, { hostPath });
    const states: EngineState[] = [];
    engine.onState((state) => states.push(state));
    try {
      await engine.load();
      const first = engine.hostPid;
      const tokens: string[] = [];
      const { error, ms } = await timed(engine.generate(prompt, { onToken: (t) => tokens.push(t) }));
      assert.ok(error instanceof EngineError, String(error));
      assert.equal(error.message, 'The model produced nothing for 1 s; the inference process was restarted.');
      assert.deepEqual(tokens, ['Simple']);
      assert.ok(ms >= 950 && ms < 4000, `${ms} ms`);
      assert.ok(states.some((s) => s.state === 'error' && s.message === error.message));
      const result = await engine.generate(prompt);
      assert.equal(result.text, 'Simple cyst.');
      assert.notEqual(engine.hostPid, first);
      const readies = states.filter((s) => s.state === 'ready');
      assert.match((readies.at(-2) as { notice?: string }).notice ?? '', /produced nothing for 1 s/, 'ready again, with the notice');
      assert.equal((readies.at(-1) as { notice?: string }).notice, undefined, 'the notice clears after a generation');
    } finally {
      await engine.dispose();
    }
  });
});
