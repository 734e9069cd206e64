/**
 * Reader identity in the blinded reader study (issue 11, item 6). The probe that failed: entering " dr ALICE smith"
 * returned Alice's token and her answers, and a PUT with it overwrote them. Here a reader is known only by the secret
 * of their invitation link: a name, a wrong token, a stored hash or no token gets nothing; answers are appended,
 * never overwritten, and `study results` uses each reader's last answer and lists every change.
 */
import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { studyCommand } from '../../server/cli/commands/study.ts';
import { startStudyServer, STUDY_DATABASE, type StudyServer } from '../../server/eval/study/studyServer.ts';
import { invitationTokenHash } from '../../server/eval/study/studyStore.ts';

let work: string;
let studyDir: string;
let server: StudyServer;
/** Every response body the server sent in this file. */
const bodies: string[] = [];

async function radreportStudy(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await studyCommand.run(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    cwd: work,
    env: {},
    signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
}

const LINK = /^ {2}#(\d+) (.+?) +http:\/\/127\.0\.0\.1:(\d+)\/#invite=([A-Za-z0-9_-]{43})$/gm;
function links(stdout: string): Array<{ id: number; label: string; port: number; token: string }> {
  return [...stdout.matchAll(LINK)].map((m) => ({ id: Number(m[1]), label: m[2]!, port: Number(m[3]), token: m[4]! }));
}

interface Reply {
  status: number;
  text: string;
  json: any;
}

function call(method: string, path: string, options: { body?: unknown; token?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...options.headers };
    if (options.token !== undefined) headers['X-Reader-Token'] = options.token;
    const req = request({ host: '127.0.0.1', port: server.port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        bodies.push(text);
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode!, text, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

let alice: string;
let ben: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'study-identity-'));
  studyDir = join(work, 'study');
  const rows = [1, 2, 3].map((i) => JSON.stringify({ id: `iu-${i}`, findings: `Findings ${i}.`, reference: `Original ${i}.`, prediction: `Generated ${i}.` }));
  await writeFile(join(work, 'predictions.jsonl'), `${rows.join('\n')}\n`);
  const created = await radreportStudy('create', '--from', 'predictions.jsonl', '--out', 'study', '--readers', '2', '--seed', '4');
  assert.equal(created.code, 0, created.stderr);
  const invited = links(created.stdout);
  assert.deepEqual(
    invited.map((l) => [l.id, l.label, l.port]),
    [
      [1, 'Reader 1', 8437],
      [2, 'Reader 2', 8437],
    ],
  );
  [alice, ben] = invited.map((l) => l.token) as [string, string];
  server = await startStudyServer({ dir: studyDir, port: 0 });
});

after(async () => {
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

test('invitation links: printed once, 256-bit tokens, only their SHA-256 in the database; invite adds one while served', async () => {
  assert.notEqual(alice, ben);
  const more = await radreportStudy('invite', 'study', '--reader', 'Dr Carol', '--port', '9000');
  assert.equal(more.code, 0, more.stderr);
  const [carol] = links(more.stdout);
  assert.deepEqual([carol!.id, carol!.label, carol!.port], [3, 'Dr Carol', 9000]);
  // The running server knows the new reader at once, by the token alone.
  const opened = await call('GET', '/api/me', { token: carol!.token });
  assert.equal(opened.status, 200);
  assert.deepEqual(opened.json.reader, { name: 'Dr Carol', named: false });

  const db = new Database(join(studyDir, STUDY_DATABASE), { readonly: true });
  try {
    const hashes = db
      .prepare<[], { token_sha256: string }>('SELECT token_sha256 FROM study_readers ORDER BY id')
      .all()
      .map((r) => r.token_sha256);
    assert.deepEqual(hashes, [alice, ben, carol!.token].map(invitationTokenHash));
  } finally {
    db.close();
  }
  const bytes = Buffer.concat(
    await Promise.all(['', '-wal'].map((suffix) => readFile(join(studyDir, STUDY_DATABASE) + suffix).catch(() => Buffer.alloc(0)))),
  ).toString('latin1');
  for (const token of [alice, ben, carol!.token]) assert.equal(bytes.includes(token), false, 'a token is stored in clear');
});

test('a second person typing " dr ALICE smith" gets no token and none of her answers; a PUT without or with a wrong token is refused', async () => {
  assert.equal((await call('PUT', '/api/me', { token: alice, body: { name: 'Dr Alice Smith' } })).status, 200);
  assert.equal((await call('PUT', '/api/answers/1', { token: alice, body: { ratingA: 4, ratingB: 2, preference: 'A' } })).status, 200);
  assert.equal((await call('PUT', '/api/answers/2', { token: alice, body: { ratingA: 5 } })).status, 200);
  const aliceAnswers = (await call('GET', '/api/me', { token: alice })).json.answers;
  assert.equal(aliceAnswers.length, 2);

  // The attack of the issue: enter by name.
  const byName = await call('POST', '/api/readers', { body: { name: ' dr ALICE smith' } });
  assert.equal(byName.status, 404);
  assert.equal(byName.json.token, undefined);
  assert.equal(byName.json.answers, undefined);
  // The name, her token's hash, a forged token, a token in the query string, no token: nothing opens her answers.
  const forged = 'A'.repeat(43);
  for (const token of [' dr ALICE smith', 'Dr Alice Smith', invitationTokenHash(alice), forged, `${alice}x`, '']) {
    assert.equal((await call('GET', '/api/me', { token })).status, 401, `GET /api/me with "${token}"`);
    assert.equal((await call('GET', '/api/cases', { token })).status, 401);
    assert.equal((await call('PUT', '/api/me', { token, body: { name: 'Mallory' } })).status, 401);
    assert.equal((await call('PUT', '/api/answers/1', { token, body: { ratingA: 1 } })).status, 401, `PUT with "${token}"`);
  }
  assert.equal((await call('PUT', '/api/answers/1', { body: { ratingA: 1 } })).status, 401);
  assert.equal((await call('PUT', `/api/answers/1?token=${alice}`, { body: { ratingA: 1 } })).status, 401);
  assert.equal((await call('GET', `/api/me?invite=${alice}`)).status, 401);

  // The second person, with their own invitation, types the same name: a label on their own, empty answers.
  const named = await call('PUT', '/api/me', { token: ben, body: { name: ' dr ALICE smith' } });
  assert.equal(named.status, 200);
  assert.deepEqual(named.json, { reader: { name: 'dr ALICE smith', named: true }, answers: [] });
  assert.equal((await call('PUT', '/api/answers/1', { token: ben, body: { ratingA: 1, preference: 'B' } })).status, 200);
  assert.deepEqual((await call('GET', '/api/me', { token: alice })).json.answers, aliceAnswers);
  assert.deepEqual((await call('GET', '/api/me', { token: ben })).json.answers, [{ case: 1, ratingA: 1, ratingB: null, preference: 'B' }]);

  // No response ever carried a token.
  for (const body of bodies) for (const token of [alice, ben]) assert.equal(body.includes(token), false);
});

test('answers are appended: a changed answer is a new row, results use the last one and list the change', async () => {
  const before = await call('PUT', '/api/answers/1', { token: alice, body: { ratingA: 2 } });
  assert.deepEqual(before.json.answer, { case: 1, ratingA: 2, ratingB: 2, preference: 'A' });
  const db = new Database(join(studyDir, STUDY_DATABASE), { readonly: true });
  try {
    const rows = db
      .prepare<[], { reader_id: number; case_number: number; rating_a: number | null }>(
        'SELECT reader_id, case_number, rating_a FROM answer_events ORDER BY id',
      )
      .all();
    assert.deepEqual(
      rows.map((r) => [r.reader_id, r.case_number, r.rating_a]),
      [
        [1, 1, 4],
        [1, 2, 5],
        [2, 1, 1],
        [1, 1, 2],
      ],
    );
  } finally {
    db.close();
  }

  const results = await radreportStudy('results', 'study', '--json');
  assert.equal(results.code, 0, results.stderr);
  const figures = JSON.parse(results.stdout);
  // Two readers typed the same name: the results tell them apart by number.
  assert.deepEqual(
    figures.readers.map((r: { reader: string }) => r.reader),
    ['Dr Alice Smith (#1)', 'dr ALICE smith (#2)', 'Dr Carol'],
  );
  const key = JSON.parse(await readFile(join(studyDir, 'study.json'), 'utf8')).key as Array<{ A: 'generated' | 'original' }>;
  // Alice's last answers: case 1 A = 2 (not 4), B = 2; case 2 A = 5.
  const given = { generated: [2], original: [2] };
  given[key[1]!.A].push(5);
  const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
  assert.equal(figures.readers[0].ratings.generated.mean, mean(given.generated));
  assert.equal(figures.readers[0].ratings.original.mean, mean(given.original));
  assert.equal(figures.readers[0].casesComplete, 1);
  assert.equal(figures.changes.answersGiven, 4);
  assert.equal(figures.changes.changed, 1);
  assert.deepEqual(figures.changes.byReader, [
    { reader: 'Dr Alice Smith (#1)', changed: 1 },
    { reader: 'dr ALICE smith (#2)', changed: 0 },
  ]);
  const [change] = figures.changes.changes;
  assert.deepEqual({ ...change, at: undefined }, { reader: 'Dr Alice Smith (#1)', case: 1, field: 'ratingA', from: 4, to: 2, at: undefined });
  assert.ok(Math.abs(Date.parse(change.at) - Date.now()) < 60_000, change.at);

  const table = await radreportStudy('results', 'study');
  assert.match(table.stdout, /^Changed answers: 1 \(of 4 answers saved\)$/m);
  assert.match(table.stdout, /Dr Alice Smith \(#1\) {2}case 1 {2}rating of A 4 → 2$/m);
});

test('a study database of the name-only version: serve and results refuse it clearly, upgrade keeps its answers and issues links', async () => {
  const dir = join(work, 'old');
  await radreportStudy('create', '--from', 'predictions.jsonl', '--out', 'old', '--seed', '4');
  // The first version's tables, as its server left them.
  const db = new Database(join(dir, STUDY_DATABASE));
  try {
    db.exec(`DROP TABLE study_readers; DROP TABLE answer_events; DELETE FROM meta WHERE key = 'schema';
      CREATE TABLE readers (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE, token TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
      CREATE TABLE answers (reader_id INTEGER NOT NULL, case_number INTEGER NOT NULL, rating_a INTEGER, rating_b INTEGER, preference TEXT,
        updated_at TEXT NOT NULL, PRIMARY KEY (reader_id, case_number));
      CREATE TABLE answer_log (id INTEGER PRIMARY KEY, reader_id INTEGER NOT NULL, case_number INTEGER NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, at TEXT NOT NULL);
      INSERT INTO readers VALUES (1, 'Dr Alice Smith', 'plaintext-token-of-alice', '2026-11-01T08:00:00Z');
      INSERT INTO answers VALUES (1, 2, 3, 4, 'equivalent', '2026-11-01T08:01:00Z');
      INSERT INTO answer_log (reader_id, case_number, field, value, at) VALUES
        (1, 2, 'ratingA', '3', '2026-11-01T08:01:00Z'), (1, 2, 'ratingB', '4', '2026-11-01T08:01:00Z'), (1, 2, 'preference', 'equivalent', '2026-11-01T08:01:00Z');`);
  } finally {
    db.close();
  }
  await assert.rejects(startStudyServer({ dir, port: 0 }), /a reader's name was their identity[\s\S]*radreport study upgrade DIR/);
  const refused = await radreportStudy('results', 'old');
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /radreport study upgrade DIR/);

  const upgraded = await radreportStudy('upgrade', 'old');
  assert.equal(upgraded.code, 0, upgraded.stderr);
  const [link] = links(upgraded.stdout);
  assert.deepEqual([link!.id, link!.label], [1, 'Dr Alice Smith']);
  const results = await radreportStudy('results', 'old', '--json');
  assert.equal(results.code, 0, results.stderr);
  assert.equal(JSON.parse(results.stdout).readers[0].casesComplete, 1);
  assert.equal((await radreportStudy('upgrade', 'old')).code, 2);
});
