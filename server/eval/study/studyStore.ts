import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import { StudyFileError, type StudyFile } from './studyFile.ts';

/** What a reader has answered for one case; each part is stored the moment it is given. */
export interface StudyAnswer {
  case: number;
  /** Rating of conclusion A, 1 (poor) to 5 (excellent). */
  ratingA: number | null;
  ratingB: number | null;
  preference: Preference | null;
}

export type Preference = 'A' | 'B' | 'equivalent';
export const PREFERENCES: readonly Preference[] = ['A', 'B', 'equivalent'];

export interface StudyReader {
  id: number;
  name: string;
  token: string;
}

export interface AnswerChange {
  ratingA?: number;
  ratingB?: number;
  preference?: Preference;
}

export interface StudyStore {
  /** The reader of this name (case and spacing ignored), created on first entry: entering the same name resumes. */
  enterReader(name: string): StudyReader;
  readerByToken(token: string): StudyReader | undefined;
  readers(): StudyReader[];
  answersOf(readerId: number): StudyAnswer[];
  /** Stores the change in its own transaction, committed to disk (WAL, synchronous=FULL) before it returns. */
  saveAnswer(readerId: number, caseNumber: number, change: AnswerChange): StudyAnswer;
  close(): void;
}

/** An answer or name the store refuses, with what is wrong (the server answers 400 with the message). */
export class AnswerError extends Error {
  override readonly name = 'AnswerError';
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS readers (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  token TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS answers (
  reader_id INTEGER NOT NULL REFERENCES readers(id),
  case_number INTEGER NOT NULL,
  rating_a INTEGER CHECK (rating_a BETWEEN 1 AND 5),
  rating_b INTEGER CHECK (rating_b BETWEEN 1 AND 5),
  preference TEXT CHECK (preference IN ('A', 'B', 'equivalent')),
  updated_at TEXT NOT NULL,
  PRIMARY KEY (reader_id, case_number)
);
CREATE TABLE IF NOT EXISTS answer_log (
  id INTEGER PRIMARY KEY,
  reader_id INTEGER NOT NULL REFERENCES readers(id),
  case_number INTEGER NOT NULL,
  field TEXT NOT NULL,
  value TEXT NOT NULL,
  at TEXT NOT NULL
);
`;

/**
 * Opens (or creates) the study's SQLite file. The file remembers a fingerprint of `study.json`, so answers can never be
 * read against a different set of cases or answer key.
 */
export function openStudyStore(path: string, study: StudyFile, now: () => Date = () => new Date()): StudyStore {
  const db = openDatabase(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.exec(SCHEMA);
    const fingerprint = studyFingerprint(study);
    const stored = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'study'").get();
    if (!stored) db.prepare("INSERT INTO meta (key, value) VALUES ('study', ?)").run(fingerprint);
    else if (stored.value !== fingerprint) {
      throw new StudyFileError(`${path} holds answers to a different study.json (its cases or answer key changed); restore the original study.json`);
    }
  } catch (error) {
    db.close();
    throw error;
  }

  const selectByName = db.prepare<[string], StudyReader>('SELECT id, name, token FROM readers WHERE name = ?');
  const selectByToken = db.prepare<[string], StudyReader>('SELECT id, name, token FROM readers WHERE token = ?');
  const insertReader = db.prepare('INSERT INTO readers (name, token, created_at) VALUES (?, ?, ?)');
  const selectAnswers = db.prepare<[number], { case_number: number; rating_a: number | null; rating_b: number | null; preference: Preference | null }>(
    'SELECT case_number, rating_a, rating_b, preference FROM answers WHERE reader_id = ? ORDER BY case_number',
  );
  const selectAnswer = db.prepare<[number, number], { case_number: number; rating_a: number | null; rating_b: number | null; preference: Preference | null }>(
    'SELECT case_number, rating_a, rating_b, preference FROM answers WHERE reader_id = ? AND case_number = ?',
  );
  const upsert = db.prepare(`
    INSERT INTO answers (reader_id, case_number, rating_a, rating_b, preference, updated_at) VALUES (@reader, @case, @ratingA, @ratingB, @preference, @at)
    ON CONFLICT (reader_id, case_number) DO UPDATE SET
      rating_a = COALESCE(@ratingA, rating_a), rating_b = COALESCE(@ratingB, rating_b),
      preference = COALESCE(@preference, preference), updated_at = @at`);
  const log = db.prepare('INSERT INTO answer_log (reader_id, case_number, field, value, at) VALUES (?, ?, ?, ?, ?)');

  const enter = db.transaction((name: string): StudyReader => {
    const existing = selectByName.get(name);
    if (existing) return existing;
    const token = randomBytes(18).toString('base64url');
    const info = insertReader.run(name, token, now().toISOString());
    return { id: Number(info.lastInsertRowid), name, token };
  });
  const save = db.transaction((readerId: number, caseNumber: number, change: AnswerChange): StudyAnswer => {
    const at = now().toISOString();
    upsert.run({ reader: readerId, case: caseNumber, ratingA: change.ratingA ?? null, ratingB: change.ratingB ?? null, preference: change.preference ?? null, at });
    for (const [field, value] of Object.entries(change)) if (value !== undefined) log.run(readerId, caseNumber, field, String(value), at);
    return toAnswer(selectAnswer.get(readerId, caseNumber)!);
  });

  let closed = false;
  return {
    enterReader(rawName) {
      const name = typeof rawName === 'string' ? rawName.replace(/\s+/g, ' ').trim() : '';
      if (name.length < 1 || name.length > 80) throw new AnswerError('Enter your name (1 to 80 characters).');
      return enter(name);
    },
    readerByToken: (token) => (typeof token === 'string' && token ? selectByToken.get(token) : undefined),
    readers: () => db.prepare<[], StudyReader>('SELECT id, name, token FROM readers ORDER BY id').all(),
    answersOf: (readerId) => selectAnswers.all(readerId).map(toAnswer),
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

function toAnswer(row: { case_number: number; rating_a: number | null; rating_b: number | null; preference: Preference | null }): StudyAnswer {
  return { case: row.case_number, ratingA: row.rating_a, ratingB: row.rating_b, preference: row.preference };
}

export function studyFingerprint(study: StudyFile): string {
  return createHash('sha256').update(JSON.stringify({ cases: study.cases, key: study.key })).digest('hex');
}

export function isComplete(answer: StudyAnswer): boolean {
  return answer.ratingA !== null && answer.ratingB !== null && answer.preference !== null;
}
