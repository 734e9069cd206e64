import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createStudy } from './studyFile.ts';
import { startStudyServer, STUDY_DATABASE, type StudyServer } from './studyServer.ts';
import { openStudyStore } from './studyStore.ts';

let dir: string;
let server: StudyServer;
const rows = [1, 2, 3].map((i) => ({ id: `iu-${i}`, findings: `Findings ${i}.`, reference: `Original ${i}.`, prediction: `Generated ${i}.` }));

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'study-server-'));
  await writeFile(join(dir, 'study.json'), JSON.stringify(createStudy(rows, { seed: 5, source: 'p.jsonl' }).study));
  server = await startStudyServer({ dir, port: 0 });
});
after(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** A new reader's invitation token, made as `radreport study invite` does, beside the running server. */
function invite(label?: string): string {
  const store = openStudyStore(join(dir, STUDY_DATABASE), server.study);
  try {
    return store.invite(label).token;
  } finally {
    store.close();
  }
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

function call(method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; raw?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        method,
        path,
        headers: { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...options.headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode!, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

test('serves on 127.0.0.1 only, the page self-contained with a nonce CSP', async () => {
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const page = await call('GET', '/');
  assert.equal(page.status, 200);
  const csp = String(page.headers['content-security-policy']);
  const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
  assert.ok(nonce, csp);
  assert.match(csp, /default-src 'none'/);
  assert.match(page.text, new RegExp(`<script nonce="${nonce.replace(/[+/=]/g, '\\$&')}">`));
  assert.doesNotMatch(page.text, /https?:\/\/|\bsrc=|<link\b|@import|url\(/i);
});

test('the page never receives which conclusion is generated', async () => {
  assert.equal((await call('GET', '/api/cases')).status, 401);
  const cases = await call('GET', '/api/cases', { headers: { 'X-Reader-Token': invite() } });
  assert.equal(cases.status, 200);
  assert.equal(cases.json.cases.length, 3);
  assert.deepEqual(Object.keys(cases.json.cases[0]).sort(), ['A', 'B', 'findings', 'number']);
  assert.doesNotMatch(cases.text, /generated"|original"|iu-\d|"key"/);
});

test('a reader opens their invitation, names themselves, answers are checked and stored, the link resumes', async () => {
  const token = invite('Reader 1');
  const headers = { 'X-Reader-Token': token };
  const opened = await call('GET', '/api/me', { headers });
  assert.equal(opened.status, 200);
  assert.deepEqual(opened.json, { reader: { name: 'Reader 1', named: false }, answers: [] });
  const named = await call('PUT', '/api/me', { body: { name: '  Dr  Ada ' }, headers });
  assert.deepEqual(named.json.reader, { name: 'Dr Ada', named: true });
  assert.equal((await call('PUT', '/api/me', { body: { name: '   ' }, headers })).status, 400);

  const saved = await call('PUT', '/api/answers/2', { body: { ratingA: 4 }, headers });
  assert.equal(saved.status, 200);
  assert.deepEqual(saved.json.answer, { case: 2, ratingA: 4, ratingB: null, preference: null });
  const more = await call('PUT', '/api/answers/2', { body: { preference: 'equivalent', ratingB: 2 }, headers });
  assert.deepEqual(more.json.answer, { case: 2, ratingA: 4, ratingB: 2, preference: 'equivalent' });

  assert.equal((await call('PUT', '/api/answers/2', { body: { ratingA: 6 }, headers })).status, 400);
  assert.equal((await call('PUT', '/api/answers/2', { body: { ratingA: 2.5 }, headers })).status, 400);
  assert.equal((await call('PUT', '/api/answers/2', { body: { preference: 'generated' }, headers })).status, 400);
  assert.equal((await call('PUT', '/api/answers/9', { body: { ratingA: 3 }, headers })).status, 400);
  assert.equal((await call('PUT', '/api/answers/2', { body: {}, headers })).status, 400);
  assert.equal((await call('PUT', '/api/answers/2', { raw: 'not json', headers })).status, 400);

  const me = await call('GET', '/api/me', { headers });
  assert.equal(me.json.reader.name, 'Dr Ada');
  assert.deepEqual(me.json.answers, [{ case: 2, ratingA: 4, ratingB: 2, preference: 'equivalent' }]);
  assert.doesNotMatch(me.text, new RegExp(token));
});

test('other hosts and origins are refused (no DNS rebinding, no cross-site writes)', async () => {
  const headers = { 'X-Reader-Token': invite() };
  assert.equal((await call('GET', '/', { headers: { Host: 'evil.example:80' } })).status, 403);
  assert.equal((await call('GET', '/api/cases', { headers: { ...headers, Host: `attacker.test:${server.port}` } })).status, 403);
  assert.equal((await call('GET', '/api/cases', { headers: { ...headers, Host: '127.0.0.1.attacker.test' } })).status, 403);
  // A forwarded local port (VS Code's port forwarding) is still this machine.
  assert.equal((await call('GET', '/api/cases', { headers: { ...headers, Host: 'localhost:39001' } })).status, 200);
  assert.equal((await call('PUT', '/api/answers/1', { body: { ratingA: 3 }, headers: { ...headers, Origin: 'http://evil.example' } })).status, 403);
  assert.equal(
    (await call('PUT', '/api/answers/1', { raw: 'ratingA=3', headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' } })).status,
    415,
  );
  assert.equal((await call('GET', '/etc/passwd')).status, 404);
  assert.equal((await call('PUT', '/api/answers/1', { body: { ratingA: 3 }, headers: { ...headers, Origin: `http://localhost:${server.port}` } })).status, 200);
});

test('answers survive the server: a new server on the same folder sees them; a changed study.json is refused', async () => {
  const token = invite('Ben');
  await call('PUT', '/api/answers/1', { body: { ratingB: 5 }, headers: { 'X-Reader-Token': token } });
  await server.close();
  server = await startStudyServer({ dir, port: 0 });
  const resumed = await call('GET', '/api/me', { headers: { 'X-Reader-Token': token } });
  assert.deepEqual(resumed.json.answers, [{ case: 1, ratingA: null, ratingB: 5, preference: null }]);

  const other = await mkdtemp(join(tmpdir(), 'study-server-'));
  try {
    await writeFile(join(other, 'study.json'), JSON.stringify(createStudy(rows, { seed: 5, source: 'p.jsonl' }).study));
    const first = await startStudyServer({ dir: other, port: 0 });
    await first.close();
    await writeFile(join(other, 'study.json'), JSON.stringify(createStudy(rows, { seed: 6, source: 'p.jsonl' }).study));
    await assert.rejects(startStudyServer({ dir: other, port: 0 }), /holds answers to a different study\.json/);
  } finally {
    await rm(other, { recursive: true, force: true });
  }
});
