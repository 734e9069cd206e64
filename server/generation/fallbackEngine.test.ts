import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConclusionPrompt } from './conclusionPrompt.ts';
import type { ConclusionEngine, EngineState, GenerateOptions, GenerationResult } from './engine.ts';
import { EndpointError } from './endpointError.ts';
import type { EndpointEngine } from './endpointEngine.ts';
import { createFallbackEngine } from './fallbackEngine.ts';

const PROMPT: ConclusionPrompt = { system: 'You are a radiologist.', user: 'Findings: Right lower lobe consolidation.' };

/** An engine that answers from a script: each call takes the next step (pieces to stream, then an error or an end). */
function scriptedEngine(name: string, steps: Array<{ pieces: string[]; error?: EndpointError }>, server?: string) {
  const calls: GenerateOptions[] = [];
  let state: EngineState = { state: 'unloaded' };
  const listeners = new Set<(s: EngineState) => void>();
  const setState = (next: EngineState) => {
    state = next;
    for (const l of listeners) l(next);
  };
  const engine: EndpointEngine = {
    server: server ?? name,
    get state() {
      return state;
    },
    onState(listener) {
      listeners.add(listener);
      return { dispose: () => void listeners.delete(listener) };
    },
    async load() {
      setState({ state: 'ready', device: name, model: name, ...(server ? { server } : {}) });
    },
    async generate(_prompt: ConclusionPrompt, options: GenerateOptions = {}): Promise<GenerationResult> {
      calls.push(options);
      const step = steps.shift();
      assert.ok(step, `${name} was asked more often than scripted`);
      await engine.load();
      for (const piece of step.pieces) options.onToken?.(piece);
      if (step.error) {
        setState({ state: 'error', message: step.error.message });
        throw step.error;
      }
      const text = step.pieces.join('');
      return { text, promptTokens: 10, completionTokens: step.pieces.length, reusedPromptTokens: 0, ms: 1, stopReason: 'eos' };
    },
    async unload() {},
    async dispose() {},
  };
  return { engine, calls };
}

const down = () =>
  new EndpointError('unreachable', 'llm:8080', 'cannot reach the conclusion server at http://llm:8080: nothing is listening there (ECONNREFUSED)');

test('the server writes while it is up; the local model is not even created', async () => {
  const server = scriptedEngine('server', [{ pieces: ['No acute', ' disease.'] }], 'llm:8080');
  let created = 0;
  const engine = createFallbackEngine(server.engine, () => (created++, scriptedEngine('local', []).engine));
  const result = await engine.generate(PROMPT);
  assert.equal(result.text, 'No acute disease.');
  assert.equal(created, 0);
  assert.deepEqual(engine.state, { state: 'ready', device: 'server', model: 'server', server: 'llm:8080' });
});

test('a server that is down hands over to the local model, which serves until the server is tried again', async () => {
  let clock = 0;
  const server = scriptedEngine('server', [{ pieces: [], error: down() }, { pieces: ['Pneumonia.'] }], 'llm:8080');
  const local = scriptedEngine('local', [{ pieces: ['Right lower lobe pneumonia.'] }, { pieces: ['Pneumonia again.'] }]);
  const states: EngineState[] = [];
  const warnings: string[] = [];
  const engine = createFallbackEngine(server.engine, () => local.engine, {
    now: () => clock,
    retryServerAfterMs: 30_000,
    log: (level, message) => level === 'warn' && warnings.push(message),
  });
  engine.onState((state) => states.push(state));

  assert.equal((await engine.generate(PROMPT)).text, 'Right lower lobe pneumonia.');
  assert.match(warnings[0]!, /ECONNREFUSED.*the local model writes conclusions for the next 30 s/);
  assert.equal(engine.state.state === 'ready' && engine.state.device, 'local', 'the status shows the local model');
  clock = 29_999;
  assert.equal((await engine.generate(PROMPT)).text, 'Pneumonia again.');
  assert.equal(server.calls.length, 1, 'the dead server is not asked again within the window');
  clock = 30_000;
  assert.equal((await engine.generate(PROMPT)).text, 'Pneumonia.');
  assert.deepEqual(engine.state, { state: 'ready', device: 'server', model: 'server', server: 'llm:8080' });
  assert.ok(states.some((s) => s.state === 'ready' && s.device === 'local'));
});

test('a conclusion cut off mid-stream is finished locally from where the server stopped', async () => {
  const broken = new EndpointError('interrupted', 'llm:8080', 'the connection to llm:8080 closed while the conclusion was streaming');
  const server = scriptedEngine('server', [{ pieces: ['Right lower', ' lobe'], error: broken }], 'llm:8080');
  const local = scriptedEngine('local', [{ pieces: [' pneumonia.'] }]);
  const engine = createFallbackEngine(server.engine, () => local.engine);
  const streamed: string[] = [];
  const result = await engine.generate(PROMPT, { responsePrefix: 'Impression:', onToken: (piece) => streamed.push(piece) });
  assert.equal(local.calls[0]!.responsePrefix, 'Impression:Right lower lobe', 'the local model continues the typed and streamed text');
  assert.equal(result.text, 'Right lower lobe pneumonia.');
  assert.deepEqual(streamed, ['Right lower', ' lobe', ' pneumonia.'], 'nothing shown is taken back');
  assert.equal(result.completionTokens, 3);
});

test("a refused key or a wrong model is the user's to fix: reported, not covered up by the local model", async () => {
  for (const error of [
    new EndpointError('auth', 'llm:8080', 'llm:8080 refused the API key (401: Invalid API Key)', { status: 401 }),
    new EndpointError('model', 'llm:8080', 'llm:8080 has no model "radreport-ct"', { models: ['radreport-xr'] }),
    new EndpointError('tls', 'llm:8080', 'the certificate of llm:8080 is not trusted'),
    new EndpointError('http', 'llm:8080', 'llm:8080 answered 400: bad request', { status: 400 }),
  ]) {
    const server = scriptedEngine('server', [{ pieces: [], error }], 'llm:8080');
    let created = 0;
    const engine: ConclusionEngine = createFallbackEngine(server.engine, () => (created++, scriptedEngine('local', []).engine));
    await assert.rejects(engine.generate(PROMPT), (thrown) => thrown === error);
    assert.equal(created, 0, error.kind);
  }
});
