import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import { StudyFileError, type StudyFile } from './studyFile.ts';

/** What a reader has answered for one case: the last answer they gave for it. */
export interface StudyAnswer {
  case: number;
  /** Rating of conclusion A, 1 (poor) to 5 (excellent). */
  ratingA: number | null;
  ratingB: number | null;
  preference: Preference | null;
}

export type Preference = 'A' | 'B' | 'equivalent';
export const PREFERENCES: readonly Preference[] = ['A', 'B', 'equivalent'];

/**
 * A reader of the study. `name` is a display label only (shown on the page and in the results); the reader is known
 * to the server by the secret token of their invitation link, of which the store keeps only a SHA-256 hash.
 */
export interface StudyReader {
  id: number;
  name: string;
  /** Whether the reader has confirmed or typed their name on the page (until then `name` is the invitation's label). */
  named: boolean;
}

/** A new reader and the secret of their invitation, which exists only in this value: the store keeps its hash. */
export interface StudyInvitation {
  reader: StudyReader;
  token: string;
}

export interface AnswerChange {
  ratingA?: number | undefined;
  ratingB?: number | undefined;
  preference?: Preference | undefined;
}

/** One row of the append-only answer history: the reader's whole answer to the case after this request. */
export interface AnswerEvent extends StudyAnswer {
  /** Increasing with time of writing. */
  id: number;
  readerId: number;
  /** ISO 8601. */
  at: string;
}

export interface StudyStore {
  /** Adds a reader with a fresh invitation token (256 random bits); `label` is the name shown until they type one. */
  invite(label?: string): StudyInvitation;
  /** The reader whose invitation token this is; undefined for anything else (a name, a wrong or malformed token). */
  readerByToken(token: unknown): StudyReader | undefined;
  /** Sets the reader's display name (spacing normalised, 1 to 80 characters). Names need not be unique. */
  nameReader(readerId: number, name: unknown): StudyReader;
  readers(): StudyReader[];
  /** The reader's last answer to each case they answered. */
  answersOf(readerId: number): StudyAnswer[];
  /** Every answer ever given, oldest first. */
  answerHistory(): AnswerEvent[];
  /**
   * Appends the reader's answer after this change (the fields not given keep their last value) as a new row, in its
   * own transaction, committed to disk (WAL, synchronous=FULL) before it returns. Nothing is ever updated or deleted.
   */
  saveAnswer(readerId: number, caseNumber: number, change: AnswerChange): StudyAnswer;
  close(): void;
}

/** An answer or name the store refuses, with what is wrong (the server answers 400 with the message). */
export class AnswerError extends Error {
  override readonly name = 'AnswerError';
}

/** `meta.schema` of a database with invitation links and append-only answers. */
export const STUDY_SCHEMA_VERSION = '2';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS study_readers (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  token_sha256 TEXT NOT NULL UNIQUE,
  invited_at TEXT NOT NULL,
  named_at TEXT
);
CREATE TABLE IF NOT EXISTS answer_events (
  id INTEGER PRIMARY KEY,
  reader_id INTEGER NOT NULL REFERENCES study_readers(id),
  case_number INTEGER NOT NULL,
  rating_a INTEGER CHECK (rating_a BETWEEN 1 AND 5),
  rating_b INTEGER CHECK (rating_b BETWEEN 1 AND 5),
  preference TEXT CHECK (preference IN ('A', 'B', 'equivalent')),
  at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS answer_events_by_reader_case ON answer_events (reader_id, case_number, id);
CREATE TRIGGER IF NOT EXISTS answer_events_no_update BEFORE UPDATE ON answer_events
  BEGIN SELECT RAISE(ABORT, 'answers are append-only'); END;
CREATE TRIGGER IF NOT EXISTS answer_events_no_delete BEFORE DELETE ON answer_events
  BEGIN SELECT RAISE(ABORT, 'answers are append-only'); END;
`;

/** Invitation tokens: 32 random bytes, base64url (43 characters). Anything else is refused before any lookup. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function newInvitationToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the store keeps of a token. A token has 256 random bits, so a plain SHA-256 cannot be searched back. */
export function invitationTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

type AnswerRow = { case_number: number; rating_a: number | null; rating_b: number | null; preference: Preference | null };
type ReaderRow = { id: number; name: string; named_at: string | null };

/**
 * Opens (or creates) the study's SQLite file. The file remembers a fingerprint of `study.json`, so answers can never be
 * read against a different set of cases or answer key. A file made before invitation links (readers known by name) is
 * refused with the command that upgrades it (`radreport study upgrade DIR`, see `upgradeStudyStore`).
 */
export function openStudyStore(path: string, study: StudyFile, now: () => Date = () => new Date()): StudyStore {
  const db = openDatabase(path);
  try {
    configure(db);
    if (isNameOnlyDatabase(db)) {
      throw new StudyFileError(
        `${path} was made by an earlier radreport in which a reader's name was their identity (anyone typing it got their answers). ` +
          'Run `radreport study upgrade DIR` once: it keeps every answer, as history, and prints a new invitation link for each reader.',
      );
    }
    db.exec(SCHEMA);
    checkFingerprint(db, path, study);
    db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', ?)").run(STUDY_SCHEMA_VERSION);
  } catch (error) {
    db.close();
    throw error;
  }

  const selectReader = db.prepare<[number], ReaderRow>('SELECT id, name, named_at FROM study_readers WHERE id = ?');
  const selectByHash = db.prepare<[string], ReaderRow>('SELECT id, name, named_at FROM study_readers WHERE token_sha256 = ?');
  const selectReaders = db.prepare<[], ReaderRow>('SELECT id, name, named_at FROM study_readers ORDER BY id');
  const insertReader = db.prepare<[string, string, string]>('INSERT INTO study_readers (name, token_sha256, invited_at) VALUES (?, ?, ?)');
  const renameReader = db.prepare<[string, string, number]>('UPDATE study_readers SET name = ?, named_at = ? WHERE id = ?');
  const countReaders = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM study_readers');
  const lastAnswers = db.prepare<[number], AnswerRow>(
    `SELECT case_number, rating_a, rating_b, preference FROM answer_events
     WHERE id IN (SELECT MAX(id) FROM answer_events WHERE reader_id = ? GROUP BY case_number) ORDER BY case_number`,
  );
  const lastAnswer = db.prepare<[number, number], AnswerRow>(
    'SELECT case_number, rating_a, rating_b, preference FROM answer_events WHERE reader_id = ? AND case_number = ? ORDER BY id DESC LIMIT 1',
  );
  const history = db.prepare<[], AnswerRow & { id: number; reader_id: number; at: string }>(
    'SELECT id, reader_id, case_number, rating_a, rating_b, preference, at FROM answer_events ORDER BY id',
  );
  const append = db.prepare('INSERT INTO answer_events (reader_id, case_number, rating_a, rating_b, preference, at) VALUES (?, ?, ?, ?, ?, ?)');

  const invite = db.transaction((label: string | undefined): StudyInvitation => {
    const token = newInvitationToken();
    const name = label ?? `Reader ${countReaders.get()!.n + 1}`;
    const info = insertReader.run(name, invitationTokenHash(token), now().toISOString());
    return { reader: { id: Number(info.lastInsertRowid), name, named: false }, token };
  });
  const save = db.transaction((readerId: number, caseNumber: number, change: AnswerChange): StudyAnswer => {
    const last = lastAnswer.get(readerId, caseNumber);
    const next: StudyAnswer = {
      case: caseNumber,
      ratingA: change.ratingA ?? last?.rating_a ?? null,
      ratingB: change.ratingB ?? last?.rating_b ?? null,
      preference: change.preference ?? last?.preference ?? null,
    };
    append.run(readerId, caseNumber, next.ratingA, next.ratingB, next.preference, now().toISOString());
    return next;
  });

  let closed = false;
  return {
    invite(label) {
      return invite(label === undefined ? undefined : readerName(label));
    },
    readerByToken(token) {
      if (typeof token !== 'string' || !TOKEN_SHAPE.test(token)) return undefined;
      const row = selectByHash.get(invitationTokenHash(token));
      return row ? toReader(row) : undefined;
    },
    nameReader(readerId, rawName) {
      const name = readerName(rawName);
      renameReader.run(name, now().toISOString(), readerId);
      const row = selectReader.get(readerId);
      if (!row) throw new AnswerError('No such reader.');
      return toReader(row);
    },
    readers: () => selectReaders.all().map(toReader),
    answersOf: (readerId) => lastAnswers.all(readerId).map(toAnswer),
    answerHistory: () => history.all().map((row) => ({ id: row.id, readerId: row.reader_id, at: row.at, ...toAnswer(row) })),
    saveAnswer(readerId, caseNumber, change) {
      if (!Number.isInteger(caseNumber) || caseNumber < 1 || caseNumber > study.cases.length) throw new AnswerError(`No case ${caseNumber} in this study.`);
      const clean: AnswerChange = {};
      for (const field of ['ratingA', 'ratingB'] as const) {
        const value = change[field];
        if (value === undefined) continue;
        if (!Number.isInteger(value) || value < 1 || value > 5) throw new AnswerError(`${field} must be a whole number from 1 to 5.`);
        clean[field] = value;
      }
      if (change.preference !== undefined) {
        if (!PREFERENCES.includes(change.preference)) throw new AnswerError('preference must be A, B or equivalent.');
        clean.preference = change.preference;
      }
      if (Object.keys(clean).length === 0) throw new AnswerError('Nothing to save: give ratingA, ratingB or preference.');
      return save(readerId, caseNumber, clean);
    },
    close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}

/**
 * Upgrades a study database made before invitation links, in one transaction: every reader keeps their number and
 * name and gets a new invitation token (returned, never stored); the answer log of the old file is replayed into the
 * append-only history (with a last row from the old answers table wherever the log did not reach it). The old tables
 * stay as they were, except that the plaintext tokens of the `readers` table are replaced by `revoked-ID`, so nothing
 * an old page remembered opens the study any more.
 */
export function upgradeStudyStore(path: string, study: StudyFile, now: () => Date = () => new Date()): StudyInvitation[] {
  const db = openDatabase(path);
  try {
    configure(db);
    if (!isNameOnlyDatabase(db)) throw new StudyFileError(`${path} needs no upgrade: its readers already enter by invitation link.`);
    checkFingerprint(db, path, study);
    // The revoked plaintext tokens are overwritten on disk, not only unlinked.
    db.pragma('secure_delete = ON');
    const upgrade = db.transaction((): StudyInvitation[] => {
      db.exec(SCHEMA);
      const at = now().toISOString();
      const oldReaders = db.prepare<[], { id: number; name: string; created_at: string }>('SELECT id, name, created_at FROM readers ORDER BY id').all();
      const insertReader = db.prepare('INSERT INTO study_readers (id, name, token_sha256, invited_at, named_at) VALUES (?, ?, ?, ?, ?)');
      const invitations = oldReaders.map((reader): StudyInvitation => {
        const token = newInvitationToken();
        insertReader.run(reader.id, reader.name, invitationTokenHash(token), at, reader.created_at);
        return { reader: { id: reader.id, name: reader.name, named: true }, token };
      });
      const append = db.prepare('INSERT INTO answer_events (reader_id, case_number, rating_a, rating_b, preference, at) VALUES (?, ?, ?, ?, ?, ?)');
      const state = new Map<string, StudyAnswer>();
      const log = db
        .prepare<[], { reader_id: number; case_number: number; field: string; value: string; at: string }>(
          'SELECT reader_id, case_number, field, value, at FROM answer_log ORDER BY id',
        )
        .all();
      // Fields logged by one request share its time: one history row per reader, case and time.
      for (let i = 0; i < log.length;) {
        const first = log[i]!;
        const key = `${first.reader_id}:${first.case_number}`;
        const answer = { ...(state.get(key) ?? { case: first.case_number, ratingA: null, ratingB: null, preference: null }) };
        for (; i < log.length && log[i]!.reader_id === first.reader_id && log[i]!.case_number === first.case_number && log[i]!.at === first.at; i++) {
          const { field, value } = log[i]!;
          if (field === 'ratingA') answer.ratingA = Number(value);
          else if (field === 'ratingB') answer.ratingB = Number(value);
          else if (field === 'preference' && PREFERENCES.includes(value as Preference)) answer.preference = value as Preference;
        }
        state.set(key, answer);
        append.run(first.reader_id, first.case_number, answer.ratingA, answer.ratingB, answer.preference, first.at);
      }
      const stored = db
        .prepare<[], AnswerRow & { reader_id: number; updated_at: string }>(
          'SELECT reader_id, case_number, rating_a, rating_b, preference, updated_at FROM answers ORDER BY updated_at, reader_id, case_number',
        )
        .all();
      for (const row of stored) {
        const replayed = state.get(`${row.reader_id}:${row.case_number}`);
        if (replayed && replayed.ratingA === row.rating_a && replayed.ratingB === row.rating_b && replayed.preference === row.preference) continue;
        append.run(row.reader_id, row.case_number, row.rating_a, row.rating_b, row.preference, row.updated_at);
      }
      db.exec("UPDATE readers SET token = 'revoked-' || id");
      db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?)").run(STUDY_SCHEMA_VERSION);
      return invitations;
    });
    return upgrade();
  } finally {
    db.close();
  }
}

function configure(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

/** A file of the first version: a `readers` table of names and plaintext tokens, and no schema version. */
function isNameOnlyDatabase(db: Database.Database): boolean {
  const hasReaders = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'readers'").get() !== undefined;
  if (!hasReaders) return false;
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get() !== undefined;
  const schema = hasMeta ? db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'schema'").get() : undefined;
  return schema === undefined;
}

function checkFingerprint(db: Database.Database, path: string, study: StudyFile): void {
  db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  const fingerprint = studyFingerprint(study);
  const stored = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'study'").get();
  if (!stored) db.prepare("INSERT INTO meta (key, value) VALUES ('study', ?)").run(fingerprint);
  else if (stored.value !== fingerprint) {
    throw new StudyFileError(`${path} holds answers to a different study.json (its cases or answer key changed); restore the original study.json`);
  }
}

function readerName(raw: unknown): string {
  const name = typeof raw === 'string' ? raw.replace(/\s+/g, ' ').trim() : '';
  if (name.length < 1 || name.length > 80) throw new AnswerError('Enter your name (1 to 80 characters).');
  return name;
}

/** Opens the SQLite file, explaining the one failure a user can fix: a native module built for another Node.js. */
function openDatabase(path: string): Database.Database {
  try {
    return new Database(path);
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    if (/NODE_MODULE_VERSION|compiled against a different Node|bindings file|invalid ELF|cannot open shared object|not a valid Win32/i.test(message)) {
      throw new Error(
        `The SQLite module (better-sqlite3) cannot be loaded by this runtime (Node.js ${process.versions.node}, ABI ${process.versions.modules}` +
          `${process.versions.electron ? `, Electron ${process.versions.electron}` : ''}): run the study with the Node.js the package was installed with. ` +
          `(${message.split('\n')[0]})`,
      );
    }
    throw new Error(`Cannot open the study's answer file ${path}: ${message}`);
  }
}

function toReader(row: ReaderRow): StudyReader {
  return { id: row.id, name: row.name, named: row.named_at !== null };
}

function toAnswer(row: AnswerRow): StudyAnswer {
  return { case: row.case_number, ratingA: row.rating_a, ratingB: row.rating_b, preference: row.preference };
}

export function studyFingerprint(study: StudyFile): string {
  return createHash('sha256')
    .update(JSON.stringify({ cases: study.cases, key: study.key }))
    .digest('hex');
}

export function isComplete(answer: StudyAnswer): boolean {
  return answer.ratingA !== null && answer.ratingB !== null && answer.preference !== null;
}
