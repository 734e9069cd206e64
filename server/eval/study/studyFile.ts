import { readFile } from 'node:fs/promises';

/**
 * The study folder's `study.json`: the cases as readers see them (findings and two conclusions labelled A and B) and,
 * apart from them, the answer key saying which of A and B is the radiologist's original. The server only ever sends
 * `cases`; `key` stays on disk for `study results`.
 */
export interface StudyFile {
  format: 'radreport-study';
  version: 1;
  seed: number;
  /** The predictions file the study was made from, as given. */
  source: string;
  cases: StudyCase[];
  key: StudyKey[];
}

/** A case as a reader sees it. */
export interface StudyCase {
  /** 1-based position in the study. */
  number: number;
  exam?: string;
  findings: string;
  A: string;
  B: string;
}

export type ConclusionSource = 'original' | 'generated';

export interface StudyKey {
  number: number;
  /** The report id in the predictions file. */
  id: string;
  A: ConclusionSource;
  B: ConclusionSource;
}

/** A line of `predictions.jsonl` as the study needs it. */
export interface StudySourceRow {
  id: string;
  exam?: string | undefined;
  findings: string;
  reference: string;
  prediction: string;
}

export interface CreateStudyOptions {
  seed: number;
  /** How many cases to draw; all rows by default. */
  cases?: number | undefined;
  source: string;
}

/**
 * Draws the study's cases (a seeded shuffle of the rows, the first `cases` of it) and puts the original and the
 * generated conclusion of each in a seeded random order. Pure: the same rows, count and seed give the same study.
 * Rows whose prediction is empty are left out, since an empty conclusion would give away which one is generated.
 */
export function createStudy(rows: readonly StudySourceRow[], options: CreateStudyOptions): { study: StudyFile; leftOut: string[] } {
  const random = seededRandom(options.seed);
  const usable = rows.filter((row) => row.prediction.trim() !== '');
  const leftOut = rows.filter((row) => row.prediction.trim() === '').map((row) => row.id);
  const order = usable.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const chosen = order.slice(0, options.cases ?? order.length);
  const cases: StudyCase[] = [];
  const key: StudyKey[] = [];
  chosen.forEach((rowIndex, i) => {
    const row = usable[rowIndex]!;
    const generatedFirst = random() < 0.5;
    const number = i + 1;
    const original = row.reference.trim();
    const generated = row.prediction.trim();
    const exam = row.exam?.trim();
    cases.push({
      number,
      ...(exam ? { exam } : {}),
      findings: row.findings.trim(),
      A: generatedFirst ? generated : original,
      B: generatedFirst ? original : generated,
    });
    key.push({ number, id: row.id, A: generatedFirst ? 'generated' : 'original', B: generatedFirst ? 'original' : 'generated' });
  });
  return { study: { format: 'radreport-study', version: 1, seed: options.seed, source: options.source, cases, key }, leftOut };
}

/** Mulberry32: a small, fast, seedable generator of numbers in [0, 1); the same seed gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A study folder that cannot be used, with what is wrong. */
export class StudyFileError extends Error {
  override readonly name = 'StudyFileError';
}

/** Reads and checks `study.json`. */
export async function readStudyFile(path: string): Promise<StudyFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new StudyFileError(`${path} not found: create the study first with \`radreport study create --from predictions.jsonl --out DIR\``);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new StudyFileError(`${path} is not valid JSON`);
  }
  return checkStudyFile(value, path);
}

export function checkStudyFile(value: unknown, path: string): StudyFile {
  const fail = (why: string): never => {
    throw new StudyFileError(`${path} is not a reader study: ${why}`);
  };
  if (!value || typeof value !== 'object') fail('not a JSON object');
  const study = value as Partial<StudyFile>;
  if (study.format !== 'radreport-study' || study.version !== 1) fail('unknown format or version');
  if (!Array.isArray(study.cases) || !Array.isArray(study.key) || study.cases.length !== study.key.length)
    fail('cases and key missing or of different lengths');
  study.cases!.forEach((c, i) => {
    if (c?.number !== i + 1 || typeof c.findings !== 'string' || typeof c.A !== 'string' || typeof c.B !== 'string') fail(`case ${i + 1} is malformed`);
    const k = study.key![i];
    const sources = [k?.A, k?.B].sort().join(',');
    if (k?.number !== i + 1 || typeof k.id !== 'string' || sources !== 'generated,original') fail(`answer key ${i + 1} is malformed`);
  });
  return study as StudyFile;
}
