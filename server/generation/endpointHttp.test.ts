import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retryDelay, statusError } from './endpointHttp.ts';

test('retries wait what Retry-After asks (seconds or a date), else 0.5 s doubling with jitter, never past the cap', () => {
  assert.equal(retryDelay('2', 0, 30_000), 2000);
  assert.equal(retryDelay('0', 3, 30_000), 0);
  const inFive = new Date(Date.now() + 5000).toUTCString();
  const ms = retryDelay(inFive, 0, 30_000)!;
  assert.ok(ms > 3000 && ms <= 5000, `${ms}`);
  assert.equal(retryDelay('120', 0, 30_000), undefined, 'asked to wait longer than the cap: give up and say so');
  assert.deepEqual(
    [0, 1, 2, 3].map((attempt) => retryDelay(undefined, attempt, 30_000, () => 0.5)),
    [500, 1000, 2000, 4000],
  );
  assert.equal(
    retryDelay(undefined, 1, 30_000, () => 0),
    800,
  );
  assert.equal(Math.round(retryDelay(undefined, 1, 30_000, () => 1)!), 1200);
  assert.equal(
    retryDelay(undefined, 10, 8000, () => 0.5),
    8000,
  );
  assert.equal(
    retryDelay('soon', 0, 30_000, () => 0.5),
    500,
    'an unreadable header counts as none',
  );
});

test("error statuses become errors that say what to do, with the server's own message", () => {
  const auth = statusError('llm:8080', 401, '{"error":{"code":401,"message":"Invalid API Key","type":"authentication_error"}}');
  assert.equal(auth.kind, 'auth');
  assert.match(auth.message, /refused the API key \(401: Invalid API Key\); set it with "Radiology Report: Set server API key"/);
  const model = statusError('vllm:8000', 404, '{"object":"error","message":"The model `radreport-ct` does not exist.","type":"NotFoundError","code":404}');
  assert.equal(model.kind, 'model');
  const busy = statusError('llm:8080', 503, '{"error":{"message":"Loading model","code":503}}', 3);
  assert.equal(busy.kind, 'busy');
  assert.match(busy.message, /busy or starting \(503: Loading model\) after 4 attempts/);
  assert.equal(busy.serverDown, true);
  const ollama = statusError('ollama:11434', 500, '{"error":"llama runner process has terminated"}');
  assert.equal(ollama.kind, 'http');
  assert.match(ollama.message, /500: llama runner process has terminated/);
  assert.equal(ollama.serverDown, true);
  const bad = statusError('llm:8080', 400, 'plain text problem');
  assert.equal(bad.serverDown, false, 'a 400 is not a server that is down');
  assert.match(bad.message, /400: plain text problem/);
});
