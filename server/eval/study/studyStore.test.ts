import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createStudy, type StudyFile } from './studyFile.ts';
import { invitationTokenHash, openStudyStore, upgradeStudyStore, type StudyStore } from './studyStore.ts';

let dir: string;
const rows = [1, 2, 3].map((i) => ({ id: `iu-${i}`, findings: `Findings ${i}.`, reference: `Original ${i}.`, prediction: `Generated ${i}.` }));
const study: StudyFile = createStudy(rows, { seed: 3, source: 'p.jsonl' }).study;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'study-store-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A clock that moves one second a call, so every answer has its own time. */
function clock(): () => Date {
  let t = Date.parse('2026-12-01T09:00:00Z');
  return () => new Date((t += 1000));
}

/** Every byte SQLite wrote for the store: the file and its WAL. */
async function storedBytes(path: string): Promise<string> {
  const parts = await Promise.all([path, `${path}-wal`].map((p) => readFile(p).catch(() => Buffer.alloc(0))));
  return Buffer.concat(parts).toString('latin1');
}

test('an invitation token is 256 random bits; only its SHA-256 is stored; only the token itself opens the reader', async () => {
  const path = join(dir, 'tokens.sqlite');
  const store = openStudyStore(path, study);
  let tokens: string[];
  try {
    const first = store.invite('Dr Alice Smith');
    const second = store.invite();
    tokens = [first.token, second.token];
    assert.match(first.token, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(first.token, second.token);
    assert.equal(invitationTokenHash(first.token), createHash('sha256').update(first.token).digest('hex'));
    assert.deepEqual(first.reader, { id: 1, name: 'Dr Alice Smith', named: false });
    assert.equal(second.reader.name, 'Reader 2');

    assert.deepEqual(store.readerByToken(first.token), first.reader);
    assert.equal(store.readerByToken(second.token)?.id, 2);
    for (const guess of ['Dr Alice Smith', ' dr ALICE smith', '', `${first.token} `, first.token.slice(0, 42), invitationTokenHash(first.token), 42, null]) {
      assert.equal(store.readerByToken(guess), undefined, String(guess));
    }
    // Typing the same name is a label on one's own reader, nothing more.
    assert.deepEqual(store.nameReader(2, ' dr ALICE   smith '), { id: 2, name: 'dr ALICE smith', named: true });
    assert.deepEqual(store.readerByToken(first.token), first.reader);
  } finally {
    store.close();
  }
  const bytes = await storedBytes(path);
  for (const token of tokens) {
    assert.equal(bytes.includes(token), false, 'a token is in the database file');
    assert.equal(bytes.includes(invitationTokenHash(token)), true, 'the hash of a token is missing from the database file');
  }
});

test('answers are appended: every request is a row, the last one counts, UPDATE and DELETE are refused', () => {
  const path = join(dir, 'answers.sqlite');
  const store: StudyStore = openStudyStore(path, study, clock());
  try {
    const { reader } = store.invite('Ada');
    const other = store.invite('Ben').reader;
    store.saveAnswer(reader.id, 1, { ratingA: 5 });
    store.saveAnswer(reader.id, 1, { ratingB: 2, preference: 'A' });
    store.saveAnswer(other.id, 1, { ratingA: 1 });
    assert.deepEqual(store.saveAnswer(reader.id, 1, { ratingA: 3 }), { case: 1, ratingA: 3, ratingB: 2, preference: 'A' });
    store.saveAnswer(reader.id, 3, { preference: 'equivalent' });
    assert.throws(() => store.saveAnswer(reader.id, 4, { ratingA: 3 }), /No case 4/);

    assert.deepEqual(store.answersOf(reader.id), [
      { case: 1, ratingA: 3, ratingB: 2, preference: 'A' },
      { case: 3, ratingA: null, ratingB: null, preference: 'equivalent' },
    ]);
    assert.deepEqual(store.answersOf(other.id), [{ case: 1, ratingA: 1, ratingB: null, preference: null }]);
    const history = store.answerHistory();
    assert.deepEqual(
      history.map((e) => [e.readerId, e.case, e.ratingA, e.ratingB, e.preference, e.at]),
      [
        [1, 1, 5, null, null, '2026-12-01T09:00:03.000Z'],
        [1, 1, 5, 2, 'A', '2026-12-01T09:00:04.000Z'],
        [2, 1, 1, null, null, '2026-12-01T09:00:05.000Z'],
        [1, 1, 3, 2, 'A', '2026-12-01T09:00:06.000Z'],
        [1, 3, null, null, 'equivalent', '2026-12-01T09:00:07.000Z'],
      ],
    );
  } finally {
    store.close();
  }
  const db = new Database(path);
  try {
    assert.throws(() => db.prepare('UPDATE answer_events SET rating_a = 1').run(), /append-only/);
    assert.throws(() => db.prepare('DELETE FROM answer_events').run(), /append-only/);
    assert.equal(db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM answer_events').get()!.n, 5);
  } finally {
    db.close();
  }
});

/** The schema of the first version of the study store, where a reader was found by name and the token kept in plain. */
const NAME_ONLY_SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE readers (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE, token TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
CREATE TABLE answers (
  reader_id INTEGER NOT NULL REFERENCES readers(id), case_number INTEGER NOT NULL,
  rating_a INTEGER CHECK (rating_a BETWEEN 1 AND 5), rating_b INTEGER CHECK (rating_b BETWEEN 1 AND 5),
  preference TEXT CHECK (preference IN ('A', 'B', 'equivalent')), updated_at TEXT NOT NULL, PRIMARY KEY (reader_id, case_number));
CREATE TABLE answer_log (id INTEGER PRIMARY KEY, reader_id INTEGER NOT NULL REFERENCES readers(id), case_number INTEGER NOT NULL,
  field TEXT NOT NULL, value TEXT NOT NULL, at TEXT NOT NULL);
`;

test('a database of the name-only version is refused with the command that upgrades it; the upgrade keeps every answer and revokes old tokens', async () => {
  const path = join(dir, 'legacy.sqlite');
  const legacy = new Database(path);
  legacy.exec(NAME_ONLY_SCHEMA);
  legacy.prepare("INSERT INTO meta (key, value) VALUES ('study', ?)").run(
    createHash('sha256')
      .update(JSON.stringify({ cases: study.cases, key: study.key }))
      .digest('hex'),
  );
  legacy.prepare('INSERT INTO readers (id, name, token, created_at) VALUES (?, ?, ?, ?)').run(1, 'Dr Ada', 'old-token-of-ada', '2026-11-01T08:00:00Z');
  legacy.prepare('INSERT INTO readers (id, name, token, created_at) VALUES (?, ?, ?, ?)').run(2, 'Dr Ben', 'old-token-of-ben', '2026-11-01T08:05:00Z');
  const log = legacy.prepare('INSERT INTO answer_log (reader_id, case_number, field, value, at) VALUES (?, ?, ?, ?, ?)');
  log.run(1, 1, 'ratingA', '4', '2026-11-01T08:01:00Z');
  log.run(1, 1, 'ratingB', '2', '2026-11-01T08:01:10Z');
  log.run(1, 1, 'preference', 'A', '2026-11-01T08:01:10Z');
  log.run(1, 1, 'ratingA', '1', '2026-11-01T08:02:00Z');
  log.run(2, 2, 'ratingB', '5', '2026-11-01T08:06:00Z');
  const answer = legacy.prepare('INSERT INTO answers (reader_id, case_number, rating_a, rating_b, preference, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
  answer.run(1, 1, 1, 2, 'A', '2026-11-01T08:02:00Z');
  answer.run(2, 2, null, 5, null, '2026-11-01T08:06:00Z');
  // An answer the log never saw (the log came after the answers table): it is kept as the last row.
  answer.run(2, 3, 3, null, null, '2026-11-01T08:07:00Z');
  legacy.close();

  assert.throws(() => openStudyStore(path, study), /earlier radreport in which a reader's name was their identity[\s\S]*radreport study upgrade DIR/);
  const invitations = upgradeStudyStore(path, study, clock());
  assert.deepEqual(
    invitations.map((i) => i.reader),
    [
      { id: 1, name: 'Dr Ada', named: true },
      { id: 2, name: 'Dr Ben', named: true },
    ],
  );
  assert.throws(() => upgradeStudyStore(path, study), /needs no upgrade/);

  const store = openStudyStore(path, study);
  try {
    assert.equal(store.readerByToken(invitations[0]!.token)?.name, 'Dr Ada');
    assert.equal(store.readerByToken('old-token-of-ada'), undefined);
    assert.deepEqual(store.answersOf(1), [{ case: 1, ratingA: 1, ratingB: 2, preference: 'A' }]);
    assert.deepEqual(store.answersOf(2), [
      { case: 2, ratingA: null, ratingB: 5, preference: null },
      { case: 3, ratingA: 3, ratingB: null, preference: null },
    ]);
    assert.deepEqual(
      store.answerHistory().map((e) => [e.readerId, e.case, e.ratingA, e.ratingB, e.preference, e.at]),
      [
        [1, 1, 4, null, null, '2026-11-01T08:01:00Z'],
        [1, 1, 4, 2, 'A', '2026-11-01T08:01:10Z'],
        [1, 1, 1, 2, 'A', '2026-11-01T08:02:00Z'],
        [2, 2, null, 5, null, '2026-11-01T08:06:00Z'],
        [2, 3, 3, null, null, '2026-11-01T08:07:00Z'],
      ],
    );
  } finally {
    store.close();
  }
  const bytes = await storedBytes(path);
  assert.doesNotMatch(bytes, /old-token-of-(ada|ben)/);
  for (const invitation of invitations) assert.equal(bytes.includes(invitation.token), false);
});
